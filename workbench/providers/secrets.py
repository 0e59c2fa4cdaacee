"""API keys: in the OS keyring only (service "FineTuneWorkbench", user = profile name).

With no usable keyring backend, keys are kept in memory for the session and ``notice`` says so.
For scripting, OPENAI_API_KEY (openai / compatible profiles) and AZURE_OPENAI_API_KEY (azure
profiles) are used when nothing is stored. Values only ever leave as ``Secret`` objects, which
print masked; keyring errors are re-raised as ``SecretStoreError`` with a plain message and no key.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from workbench.core.profiles import Profile
from workbench.core.redact import Secret, mask, remember, scrub

SERVICE = "FineTuneWorkbench"
KeySource = Literal["keyring", "environment", "memory", "none"]
ENV_VARS = {"openai": "OPENAI_API_KEY", "compatible": "OPENAI_API_KEY", "azure": "AZURE_OPENAI_API_KEY"}
# A third-party server (Together, Fireworks, ...) never gets OPENAI_API_KEY: that would hand the
# user's OpenAI key to someone else. Its key comes from the keyring, or from this variable.
THIRD_PARTY_ENV_VAR = "WORKBENCH_API_KEY"
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def env_var_for(kind: str | None, base_url: str | None) -> str | None:
    """The environment variable a key is taken from: OPENAI_API_KEY only for OpenAI itself and for
    servers on this machine; WORKBENCH_API_KEY for any other OpenAI-compatible server."""
    if kind == "openai" or kind is None and base_url is None:
        return ENV_VARS["openai"]
    if kind == "azure":
        return ENV_VARS["azure"]
    host = (urlsplit(base_url or "").hostname or "").lower()
    if host == "api.openai.com" or host in _LOCAL_HOSTS or host.startswith("127."):
        return ENV_VARS["openai"]
    return THIRD_PARTY_ENV_VAR
NO_KEYRING_NOTICE = "No system keyring was found; your key is kept in memory until you quit."

__all__ = ["ENV_VARS", "NO_KEYRING_NOTICE", "SERVICE", "KeySource", "Secret", "SecretStore",
           "SecretStoreError", "backend_label", "mask", "scrub", "usable_backend"]


class SecretStoreError(Exception):
    """The keyring failed (locked, refused, D-Bus gone); the message is for people and has no key."""


def usable_backend(backend: KeyringBackend | None) -> KeyringBackend | None:
    """``backend`` if it can actually store secrets; None for the fail/null keyrings and an empty chainer."""
    if backend is None or isinstance(backend, fail.Keyring) or type(backend).__module__ == "keyring.backends.null":
        return None
    if isinstance(backend, chainer.ChainerBackend):
        return backend if backend.backends else None
    return backend


def backend_label(backend: KeyringBackend) -> str:
    """A person's name for a keyring backend ("macOS Keychain", "Secret Service (GNOME Keyring)", ...)."""
    if isinstance(backend, chainer.ChainerBackend):
        inner = backend.backends
        return backend_label(inner[0]) if inner else "none"
    module = type(backend).__module__
    if module == "keyring.backends.SecretService":
        desktop = os.environ.get("XDG_CURRENT_DESKTOP", "").upper()
        return "Secret Service (KDE Wallet)" if "KDE" in desktop else "Secret Service (GNOME Keyring)"
    labels = {
        "keyring.backends.libsecret": "Secret Service (libsecret)",
        "keyring.backends.kwallet": "KDE Wallet",
        "keyring.backends.macOS": "macOS Keychain",
        "keyring.backends.Windows": "Windows Credential Manager",
    }
    for prefix, label in labels.items():
        if module.startswith(prefix):
            return label
    return str(getattr(backend, "name", type(backend).__name__))


class SecretStore:
    """Where a profile's key is and how to change it.

    ``backend`` defaults to ``keyring.get_keyring()`` (tests pass a fake or set one with
    ``keyring.set_keyring``); ``environ`` defaults to ``os.environ``.
    """

    def __init__(self, backend: KeyringBackend | None = None, *, environ: Mapping[str, str] | None = None,
                 service: str = SERVICE) -> None:
        self._backend = usable_backend(backend if backend is not None else keyring.get_keyring())
        self._environ = environ if environ is not None else os.environ
        self.service = service
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- what we have ----------------------------------------------------------------------------
    @property
    def has_backend(self) -> bool:
        return self._backend is not None

    @property
    def backend_name(self) -> str:
        """Human name of the keyring in use, or "none"."""
        return backend_label(self._backend) if self._backend is not None else "none"

    @property
    def notice(self) -> str | None:
        """A sentence for the settings dialog when keys cannot be kept past this session."""
        return None if self._backend is not None else NO_KEYRING_NOTICE

    # -- reading ---------------------------------------------------------------------------------
    def get(self, profile: Profile) -> Secret | None:
        """The key for ``profile`` (stored first, then the environment), or None."""
        stored = self._stored(profile.name)
        if stored is not None:
            return stored
        env_name = self.env_var(profile)
        value = (self._environ.get(env_name) or "").strip() if env_name else ""
        return Secret(value, source="environment") if value else None

    def source(self, profile: Profile) -> KeySource:
        found = self.get(profile)
        return found.source if found is not None else "none"  # type: ignore[return-value]

    def env_var(self, profile: Profile) -> str | None:
        """The environment variable consulted for ``profile`` when nothing is stored."""
        return env_var_for(profile.kind, profile.base_url)

    def _stored(self, name: str) -> Secret | None:
        if self._backend is None:
            with self._lock:
                value = self._memory.get(name)
            return Secret(value, source="memory") if value else None
        value = self._call("read", self._backend.get_password, self.service, name)
        return Secret(value, source="keyring") if value else None

    # -- changing --------------------------------------------------------------------------------
    def set(self, profile: Profile | str, key: str | Secret) -> KeySource:
        """Store ``key`` for the profile; returns "keyring" or "memory" (no backend)."""
        name = profile.name if isinstance(profile, Profile) else profile
        value = (key.reveal() if isinstance(key, Secret) else key).strip()
        if not value:
            raise ValueError("The key is empty.")
        if any(c.isspace() for c in value):
            raise ValueError("The key contains spaces or line breaks; paste only the key.")
        remember(value)  # log scrubbing knows it from now on
        if self._backend is None:
            with self._lock:
                self._memory[name] = value
            return "memory"
        self._call("save", self._backend.set_password, self.service, name, value, secret=value)
        return "keyring"

    def delete(self, profile: Profile | str) -> bool:
        """Forget the stored key; False if there was none (environment variables are left alone)."""
        name = profile.name if isinstance(profile, Profile) else profile
        if self._backend is None:
            with self._lock:
                return self._memory.pop(name, None) is not None
        if self._call("read", self._backend.get_password, self.service, name) is None:
            return False
        try:
            self._backend.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            return False
        except Exception as exc:
            raise self._error("delete", exc) from None
        return True

    def rename(self, old: str, new: str) -> bool:
        """Move a stored key when a profile is renamed; False if there was none."""
        found = self._stored(old)
        if found is None:
            return False
        self.set(new, found)
        self.delete(old)
        return True

    # -- errors ------------------------------------------------------------------------------------
    def _call(self, action: str, fn, *args, secret: str | None = None):
        try:
            return fn(*args)
        except Exception as exc:  # keyring backends raise many types (D-Bus, locked, init errors)
            raise self._error(action, exc, secret) from None

    def _error(self, action: str, exc: Exception, secret: str | None = None) -> SecretStoreError:
        what = {"read": "read the key from", "save": "save the key in", "delete": "delete the key from"}[action]
        if isinstance(exc, keyring.errors.KeyringLocked):
            why = "the keyring is locked and was not unlocked"
        else:
            why = scrub(str(exc) or type(exc).__name__, secret)
        return SecretStoreError(f"Could not {what} {self.backend_name}: {why}. "
                                "Unlock the keyring (log in to the desktop session) and try again.")
