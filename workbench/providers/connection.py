"""Test a profile: connect, list the models, tell which ones can be fine-tuned.

The caller runs ``test_connection`` in a worker thread and passes ``cancelled``. The request itself
runs in a helper thread that is polled, so Cancel returns at once even while the server is slow;
the abandoned request finishes (or times out) on its own and closes its client.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.core.profiles import AZURE_DEPLOY_NOTE, Profile
from workbench.core.redact import Secret
from workbench.providers.client import make_client
from workbench.providers.errors import CANCELLED, ProviderError, map_error

# Base models OpenAI fine-tunes (and Azure's spelling "gpt-35-turbo"); each also with a dated snapshot.
FINE_TUNABLE_FAMILIES = ("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18",
                         "gpt-3.5-turbo", "gpt-35-turbo", "davinci-002", "babbage-002")
_SNAPSHOT = r"(?:-\d{4}-\d{2}-\d{2}|-\d{4})?"
_FAMILY = re.compile(r"^(?:" + "|".join(re.escape(f) for f in FINE_TUNABLE_FAMILIES) + r")" + _SNAPSHOT + r"$")
COMPATIBLE_NOTE = ("Fine-tuning works with this profile only if the server implements OpenAI's fine-tuning API; "
                   "chat works with any OpenAI-compatible server.")


def is_fine_tunable(model_id: str) -> bool:
    """True for a fine-tunable base model (``gpt-4.1-mini``, ``gpt-4.1-mini-2025-04-14``...) or a tuned ``ft:`` model."""
    model_id = model_id.strip()
    return model_id.startswith("ft:") or bool(_FAMILY.match(model_id.lower()))


@dataclass(frozen=True)
class ModelInfo:
    id: str
    owned_by: str | None = None
    fine_tunable: bool | None = None  # None: this provider does not say

    @property
    def tuned(self) -> bool:
        return self.id.startswith("ft:")


@dataclass(frozen=True)
class ConnectionReport:
    profile: str
    kind: str
    endpoint: str
    ok: bool
    models: tuple[ModelInfo, ...] = ()
    error: ProviderError | None = None
    cancelled: bool = False
    key_source: str = "none"
    elapsed: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def fine_tunable(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.models if m.fine_tunable)

    @property
    def summary(self) -> str:
        if self.cancelled:
            return "Connection test cancelled."
        if self.error is not None:
            return self.error.text
        tunable = f", {len(self.fine_tunable)} fine-tunable" if any(m.fine_tunable is not None for m in self.models) else ""
        return f"Connected to {self.endpoint}: {len(self.models)} models{tunable}."


def test_connection(profile: Profile, secret: Secret | str | None, *,
                    cancelled: Callable[[], bool] | None = None, timeout: float = 20.0, max_retries: int = 1,
                    poll_interval: float = 0.05) -> ConnectionReport:
    """List the profile's models. Never raises for provider problems: they come back in ``error``."""
    started = time.monotonic()
    is_cancelled = cancelled or (lambda: False)
    notes = (AZURE_DEPLOY_NOTE,) if profile.kind == "azure" else (COMPATIBLE_NOTE,) if profile.kind == "compatible" else ()
    source = secret.source if isinstance(secret, Secret) else ("input" if secret else "none")

    def report(**kw: Any) -> ConnectionReport:
        return ConnectionReport(profile=profile.name, kind=profile.kind, endpoint=profile.endpoint,
                                key_source=source, elapsed=time.monotonic() - started, notes=notes, **kw)

    def cancelled_report() -> ConnectionReport:
        return report(ok=False, cancelled=True,
                      error=ProviderError("Connection test cancelled.", "", True, kind=CANCELLED))

    if is_cancelled():
        return cancelled_report()
    try:
        client = make_client(profile, secret, timeout=timeout, max_retries=max_retries)
    except ProviderError as exc:
        return report(ok=False, error=exc)

    outcome: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            outcome["models"] = _list_models(client, profile, is_cancelled)
        except BaseException as exc:  # handed to the caller's thread as a ProviderError
            outcome["error"] = map_error(exc, profile=profile, secrets=(secret,), operation="list_models")
        finally:
            client.close()
            done.set()

    threading.Thread(target=work, name=f"connection-test:{profile.name}", daemon=True).start()
    while not done.wait(poll_interval):
        if is_cancelled():
            return cancelled_report()
    if "error" in outcome:
        return report(ok=False, error=outcome["error"])
    if outcome["models"] is None:
        return cancelled_report()
    return report(ok=True, models=outcome["models"])


test_connection.__test__ = False  # type: ignore[attr-defined]  # pytest must not collect it when imported


def _list_models(client: Any, profile: Profile, is_cancelled: Callable[[], bool]) -> tuple[ModelInfo, ...] | None:
    found: list[ModelInfo] = []
    for model in client.models.list():  # iterating follows every page
        if is_cancelled():
            return None
        found.append(ModelInfo(model.id, getattr(model, "owned_by", None), _fine_tunable(model, profile)))
    return tuple(sorted(found, key=lambda m: m.id))


def _fine_tunable(model: Any, profile: Profile) -> bool | None:
    if model.id.startswith("ft:"):
        return True
    if profile.kind == "azure":
        # Azure lists capabilities per model; trust them when present.
        capabilities = (getattr(model, "model_extra", None) or {}).get("capabilities")
        if isinstance(capabilities, dict) and "fine_tune" in capabilities:
            return bool(capabilities["fine_tune"])
        return is_fine_tunable(model.id)
    if profile.kind == "compatible":
        return None  # other servers name their models their own way
    return is_fine_tunable(model.id)
