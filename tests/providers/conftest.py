"""Fixtures for the provider tests: the OpenAI stand-in, fake keyrings, a clean environment,
a recording HTTP server (for Azure, whose URLs the stand-in does not serve) and the real
Secret Service for tests marked ``keyring``."""

from __future__ import annotations

import gc
import json
import threading
import uuid
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import keyring
import keyring.errors
import platformdirs
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.openai_standin.fixtures import openai_standin  # noqa: F401

ENV_VARS = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_ENDPOINT",
            "OPENAI_API_VERSION", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_ADMIN_KEY")
# Shaped like real keys so the key-shaped scrubbing is exercised too; never valid anywhere.
OPENAI_KEY = "sk-proj-Tz8qLm3XwV9rN2bK7cJ4hF6dS1aGyUeP0oIiQwErTy5wxyz"
AZURE_KEY = "3f9a1c7e5b2d48a6901e7c3b5d2f4a8c"


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in a dict (and can pretend to be locked)."""

    priority = 1  # type: ignore[assignment]
    name = "test memory keyring"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.data.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No key or endpoint from the developer's shell, and no writes to the real config folder."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    real = platformdirs.user_config_dir  # macOS and Windows ignore XDG_CONFIG_HOME: redirect there too
    monkeypatch.setattr(platformdirs, "user_config_dir",
                        lambda appname=None, *a, **kw: str(config / appname) if appname else real(*a, **kw))


def _swap_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def fake_keyring() -> Iterator[MemoryKeyring]:
    """keyring's default backend is a MemoryKeyring for the test."""
    yield from _swap_keyring(MemoryKeyring())  # type: ignore[misc]


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    """keyring's default backend is the 'fail' keyring, as on a machine without any."""
    yield from _swap_keyring(fail.Keyring())


@pytest.fixture
def profiles_path(tmp_path):
    return tmp_path / "profiles.json"


# -- the real Secret Service ----------------------------------------------------------------------

def _probe_secret_service() -> str | None:
    """None when a set/get/delete round trip works on the Secret Service, else why not."""
    try:
        from keyring.backends import SecretService
    except Exception as exc:  # pragma: no cover - keyring always ships it
        return f"keyring's SecretService backend cannot be imported ({exc})"
    outcome: dict[str, Any] = {}

    def probe() -> None:
        service, value = f"FineTuneWorkbench-probe-{uuid.uuid4().hex}", uuid.uuid4().hex
        # keyring leaks its D-Bus connection when the collection is locked; that ResourceWarning
        # must not fail whichever test happens to run when the socket is collected.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                SecretService.Keyring.priority  # noqa: B018  raises when D-Bus or the daemon is missing
                backend = SecretService.Keyring()
                backend.set_password(service, "probe", value)
                try:
                    if backend.get_password(service, "probe") != value:
                        outcome["error"] = "the Secret Service did not give back what was stored"
                finally:
                    backend.delete_password(service, "probe")
            except Exception as exc:
                outcome["error"] = f"{type(exc).__name__}: {exc}"
            finally:
                gc.collect()

    worker = threading.Thread(target=probe, name="secret-service-probe", daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # a locked keyring waiting for a password prompt nobody will answer
        return "the Secret Service did not answer within 10 s (locked keyring waiting for a prompt?)"
    return outcome.get("error")


@pytest.fixture(scope="session")
def secret_service() -> KeyringBackend:
    """The real Secret Service backend, or a skip saying why it is not usable."""
    problem = _probe_secret_service()
    if problem is not None:
        pytest.skip("needs a reachable, unlocked Secret Service (run under dbus-run-session with "
                    f"gnome-keyring-daemon --unlock, see .ci/run): {problem}")
    from keyring.backends import SecretService

    return SecretService.Keyring()


# -- a recording HTTP server (Azure URLs, header checks) -----------------------------------------

class Recorder:
    """Answers every request with ``reply`` (status, JSON body) and records method, path and headers."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: tuple[int, Any] = (200, {"object": "list", "data": []})
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.requests.append({"method": self.command, "path": self.path,
                                          "headers": {k.lower(): v for k, v in self.headers.items()}})
                status, body = recorder.reply
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       name="recorder", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    rec.thread.start()
    try:
        yield rec
    finally:
        rec.server.shutdown()
        rec.server.server_close()
        rec.thread.join(5)
