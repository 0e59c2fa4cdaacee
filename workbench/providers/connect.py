"""An SDK client from a provider profile (by name) or a bare base URL: the one place the CLI
commands and the Playground turn "which service" into a client.

A profile's key comes from the keyring, else the environment (see providers.secrets). A bare base
URL takes its key from OPENAI_API_KEY when it is OpenAI's or on this machine, else from
WORKBENCH_API_KEY (never the OpenAI key for a third party); a local server needs none (``key_required``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import openai

from workbench.core.playground.answer import ChatTarget
from workbench.core.playground.cost import priced_by_openai
from workbench.core.profiles import DEFAULT_PROFILE_NAME, Profile, ProfileError, ProfileStore
from workbench.core.redact import Secret
from workbench.providers.client import NO_KEY_PLACEHOLDER, make_client
from workbench.providers.errors import ProviderError
from workbench.providers.secrets import SecretStore, SecretStoreError, env_var_for


class ConnectError(Exception):
    """No client can be made (unknown or incomplete profile, no key, keyring failure); for people."""


@dataclass(frozen=True)
class Connection:
    client: openai.OpenAI
    profile: Profile | None  # None: a bare base URL
    base_url: str
    secret: Secret | None  # to mask it exactly in error messages

    @property
    def kind(self) -> str | None:
        return self.profile.kind if self.profile is not None else None

    @property
    def priced(self) -> bool:
        """Whether OpenAI's list prices apply to what this connection costs."""
        return priced_by_openai(self.kind, None if self.profile is not None else self.base_url)


def connect(profile_name: str | None = None, base_url: str | None = None, *, timeout: float = 60.0,
            max_retries: int = 0, key_required: bool = True, profiles: ProfileStore | None = None,
            secrets: SecretStore | None = None, environ: Mapping[str, str] | None = None) -> Connection:
    """A client for ``base_url`` (key from the environment) or else the profile ``profile_name``
    (default: the built-in "OpenAI" one). Raises ConnectError with a message for people."""
    if base_url:
        env = environ if environ is not None else os.environ
        variable = env_var_for("compatible", base_url)
        key = (env.get(variable) or "").strip()
        secret = Secret(key, source="environment") if key else None
        if not key:
            if key_required:
                raise ConnectError(f"A base URL without a profile takes its API key from the {variable} "
                                   "environment variable, which is not set.")
            key = NO_KEY_PLACEHOLDER  # local servers accept any key; the SDK insists on one
        client = openai.OpenAI(api_key=key, base_url=base_url, timeout=timeout, max_retries=max_retries)
        client.organization = client.project = None  # not OPENAI_ORG_ID / OPENAI_PROJECT_ID from the shell
        return Connection(client, None, base_url, secret)
    try:
        profile = (profiles or ProfileStore()).get(profile_name or DEFAULT_PROFILE_NAME)
        secret = (secrets or SecretStore()).get(profile)
        client = make_client(profile, secret, timeout=timeout, max_retries=max_retries)
    except ProviderError as exc:
        raise ConnectError(exc.text) from exc
    except ProfileError as exc:
        raise ConnectError(exc.message) from exc
    except SecretStoreError as exc:
        raise ConnectError(str(exc)) from exc
    return Connection(client, profile, str(client.base_url), secret)


class Connector:
    """Connections for chat targets, made on first use and shared by every stream to the same
    service (one connection pool each). Thread-safe; ``close`` ends them all."""

    def __init__(self, *, timeout: float = 60.0, max_retries: int = 1, profiles: ProfileStore | None = None,
                 secrets: SecretStore | None = None, environ: Mapping[str, str] | None = None) -> None:
        self._options = {"timeout": timeout, "max_retries": max_retries, "key_required": False,
                         "profiles": profiles, "secrets": secrets, "environ": environ}
        self._lock = threading.Lock()
        self._made: dict[tuple[str | None, str | None], Connection] = {}

    def connection(self, target: ChatTarget) -> Connection:
        """The connection for ``target``'s profile or base URL; ConnectError if none can be made."""
        key = (target.profile, target.base_url)
        with self._lock:
            found = self._made.get(key)
            if found is None:
                found = self._made[key] = connect(target.profile, target.base_url, **self._options)
            return found

    def close(self) -> None:
        with self._lock:
            made, self._made = list(self._made.values()), {}
        for connection in made:
            connection.client.close()
