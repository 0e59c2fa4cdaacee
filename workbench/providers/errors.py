"""openai SDK exceptions -> ProviderError: what happened, what to do next, whether a retry can help.

Every text that leaves here goes through ``scrub``, so a key never reaches a message even when a
server echoes it back. ``map_error`` takes the profile for wording (Azure and local servers fail
in their own ways) and the secret so it can be masked exactly.
"""

from __future__ import annotations

import email.utils
import re
import time
from typing import Any

import openai

from workbench.core.profiles import AZURE_DEPLOY_NOTE, Profile
from workbench.core.redact import Secret, scrub

# ProviderError.kind values
AUTH, PERMISSION, QUOTA, RATE_LIMIT = "auth", "permission", "quota", "rate_limit"
NOT_FOUND, BAD_REQUEST, CONNECTION, TIMEOUT = "not_found", "bad_request", "connection", "timeout"
SERVER, FINE_TUNING_UNAVAILABLE, NO_KEY, PROFILE, CANCELLED, UNKNOWN = (
    "server", "fine_tuning_unavailable", "no_key", "profile", "cancelled", "unknown")

FINE_TUNING_ENDS = "2027-01-06"
_DETAIL_LIMIT = 300

# "Fine-tuning ... not available / no longer allowed / cannot be created / disabled ..." (either order).
_FT = r"fine[\s_-]?tun(?:e|ed|ing)"
_DENIED = (r"(?:not|no longer|isn'?t|aren'?t)\s+(?:\w+\s+){0,2}?(?:available|allowed|enabled|permitted|supported|eligible)"
           r"|cannot|can'?t|unable|disabled|deprecated|discontinued|unavailable|restricted|blocked|suspended"
           r"|does not have access|do not have access|no access|ended|retired")
_FT_DENIED = re.compile(rf"(?is){_FT}.{{0,80}}?\b(?:{_DENIED})|\b(?:{_DENIED})\b.{{0,80}}?{_FT}")
# ...unless it is about one model ("gpt-4o is not available for fine-tuning" is the model's fault).
_MODEL_NOT_TUNABLE = re.compile(r"(?i)\bmodel\b.{0,60}\b(?:not|isn'?t)\s+(?:available|supported)\s+for\s+" + _FT
                                + r"|\bdoes not support " + _FT + r"|\binvalid model\b")
_FT_CODE = re.compile(r"(?i)fine.?tun")

# "Line 3: ...", "line #3", "Example 3 ...", "example no. 3", "row 3", "index 2" (0-based).
_LINE = re.compile(r"(?i)\b(line|example|row|record)\s*(?:#|no\.?|number)?\s*(\d+)\b")
_INDEX = re.compile(r"(?i)\b(?:index|idx)\s*[:=]?\s*(\d+)\b")


class ProviderError(Exception):
    """A provider failure in plain language. ``str()`` is ``message``; ``text`` adds ``next_step``."""

    def __init__(self, message: str, next_step: str = "", retryable: bool = False, *, kind: str = UNKNOWN,
                 status: int | None = None, code: str | None = None, retry_after: float | None = None,
                 request_id: str | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step
        self.retryable = retryable
        self.kind = kind
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.request_id = request_id
        self.detail = detail  # the provider's own words (scrubbed, shortened)

    @property
    def text(self) -> str:
        return f"{self.message} {self.next_step}".strip()

    def __repr__(self) -> str:
        return f"ProviderError({self.message!r}, kind={self.kind!r}, status={self.status!r}, retryable={self.retryable!r})"


def map_error(exc: BaseException, *, profile: Profile | None = None, secrets: tuple[str | Secret | None, ...] = (),
              operation: str | None = None) -> ProviderError:
    """A ProviderError for ``exc``. ``operation`` ("create_fine_tuning_job", "list_models", ...) is a hint;
    job creation is also recognised from the failed request itself."""
    if isinstance(exc, ProviderError):
        return exc
    kind_of = profile.kind if profile is not None else "openai"
    where = _where(profile)

    def clean(text: str) -> str:
        return scrub(text, *secrets)

    if isinstance(exc, openai.APITimeoutError):
        return ProviderError(f"{where} did not answer in time.",
                             "Try again; if it keeps happening, check your connection or raise the timeout.",
                             True, kind=TIMEOUT)
    if isinstance(exc, openai.APIConnectionError):
        host, local = _host(exc)
        step = ("Check that the server is running and the base URL in the profile is right." if local else
                "Check your internet connection, proxy or firewall, and the address in the profile.")
        at = f" at {host}" if host else ""
        cause = exc.__cause__
        causes = {t.__name__ for t in type(cause).__mro__} if cause is not None else set()
        if cause is not None and re.search(r"(?i)certificate|ssl", str(cause)):
            return ProviderError(f"The secure connection to {_mid(where)}{at} failed: its certificate was not accepted.",
                                 "Check the address; behind a company proxy, its certificate must be trusted "
                                 "(SSL_CERT_FILE).", False, kind=CONNECTION)
        if causes & {"RemoteProtocolError", "ReadError", "WriteError"}:
            return ProviderError(f"The connection to {_mid(where)}{at} broke off before an answer came.",
                                 "Try again; if it keeps happening, check your proxy or firewall.", True,
                                 kind=CONNECTION)
        return ProviderError(f"Could not reach {_mid(where)}{at}.", step, True, kind=CONNECTION)
    if isinstance(exc, openai.APIStatusError):
        return _from_status(exc, profile, kind_of, where, clean, operation)
    if isinstance(exc, openai.OpenAIError):
        return ProviderError(f"The OpenAI library reported a problem: {clean(str(exc))[:_DETAIL_LIMIT]}",
                             "Check the profile settings.", False, kind=UNKNOWN)
    return ProviderError(f"Unexpected error talking to {_mid(where)}: {type(exc).__name__}: {clean(str(exc))[:_DETAIL_LIMIT]}",
                         "Try again; if it keeps happening, report it with the log file.", False, kind=UNKNOWN)


def _from_status(exc: openai.APIStatusError, profile: Profile | None, kind_of: str, where: str, clean,
                 operation: str | None) -> ProviderError:
    status = exc.status_code
    body: dict[str, Any] = exc.body if isinstance(exc.body, dict) else {}
    code = exc.code
    detail = clean(_detail(exc, body))
    common = {"status": status, "code": code, "request_id": getattr(exc, "request_id", None), "detail": detail}
    said = f" ({_mid(where)} said: {detail})" if detail else ""
    other_profile = ("Create jobs through an Azure OpenAI profile or another provider that offers fine-tuning "
                     "(add one in Settings → Providers). Your datasets and exports are unaffected.")

    # OpenAI only: on Azure the same words mean a region or quota limit, which the generic cases describe.
    if kind_of == "openai" and status in (400, 403) and _fine_tuning_unavailable(exc, body, detail, operation):
        return ProviderError(
            "This organization can no longer create fine-tuning jobs on OpenAI. OpenAI is ending self-serve "
            f"fine-tuning job creation on {FINE_TUNING_ENDS}, and earlier for organizations that have not "
            f"used a fine-tuned model recently.{said}", other_profile, False, kind=FINE_TUNING_UNAVAILABLE, **common)

    if isinstance(exc, openai.AuthenticationError):
        step = ("Copy a key from Keys and Endpoint of this Azure OpenAI resource and save it for the profile."
                if kind_of == "azure" else
                "Check the key (it may be mistyped, revoked, or for another organization or project) and "
                "save it again: Settings → Providers, or 'workbench keys set "
                f"{profile.name if profile else 'PROFILE'}'.")
        return ProviderError(f"{where} rejected the API key.{said}", step, False, kind=AUTH, **common)

    if isinstance(exc, openai.PermissionDeniedError):
        return ProviderError(f"{where} refused: this key is not allowed to do that.{said}",
                             "Check the key's permissions, the project or organization it belongs to, and "
                             "whether the model is available to you.", False, kind=PERMISSION, **common)

    if isinstance(exc, openai.RateLimitError):
        if _is_quota(code, body, detail):
            return ProviderError(f"The account behind this key has run out of credit or reached its spending "
                                 f"limit.{said}",
                                 "Add credit or raise the limit on the provider's billing page, then try again.",
                                 False, kind=QUOTA, **common)
        wait = retry_after_seconds(exc.response.headers)
        step = (f"The provider asks to wait {_seconds(wait)} before trying again." if wait else
                "Wait a moment and try again; sending fewer requests at once helps.")
        return ProviderError(f"{where} is rate-limiting requests (too many in a short time).{said}", step,
                             True, kind=RATE_LIMIT, retry_after=wait, **common)

    if isinstance(exc, openai.NotFoundError):
        if kind_of == "azure":
            step = ("Check the endpoint, the API version and the deployment name. " + AZURE_DEPLOY_NOTE)
        elif kind_of == "compatible" and "fine_tuning" in str(exc.request.url):
            step = "This server may not offer fine-tuning; use it for chat, or train with another profile."
        else:
            step = "Check the model name or ID; it may have been deleted or belong to another organization."
        return ProviderError(f"{where} could not find what was asked for.{said}", step, False,
                             kind=NOT_FOUND, **common)

    if isinstance(exc, openai.InternalServerError):
        return ProviderError(f"{where} had a problem on its side (HTTP {status}).{said}",
                             "This is usually temporary: try again in a few minutes.", True, kind=SERVER, **common)

    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError | openai.ConflictError):
        line = line_from_validation_error(detail)
        step = (f"Fix example {line} in the training file and upload it again." if line else
                "Correct what the message above describes and try again.")
        return ProviderError(f"{where} refused the request.{said}", step, False, kind=BAD_REQUEST, **common)

    return ProviderError(f"{where} answered with HTTP {status}.{said}", "Try again later.", status >= 500,
                         kind=UNKNOWN, **common)


def _fine_tuning_unavailable(exc: openai.APIStatusError, body: dict[str, Any], detail: str,
                             operation: str | None) -> bool:
    creating = operation == "create_fine_tuning_job" or (
        exc.request.method == "POST" and exc.request.url.path.rstrip("/").endswith("/fine_tuning/jobs"))
    if not creating:
        return False
    if _MODEL_NOT_TUNABLE.search(detail) or body.get("param"):
        return False  # about one model, file or setting, not the organization
    return bool(_FT_DENIED.search(detail) or (exc.code and _FT_CODE.search(exc.code)))


def _is_quota(code: str | None, body: dict[str, Any], detail: str) -> bool:
    markers = {code, body.get("type") if isinstance(body.get("type"), str) else None}
    return "insufficient_quota" in markers or bool(re.search(r"(?i)exceeded your current quota|insufficient.quota", detail))


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date); None if absent."""
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            return max(float(ms) / 1000, 0.0)
    except (TypeError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def line_from_validation_error(message: str | None) -> int | None:
    """The 1-based example (= JSONL line) a file-validation message points at, or None.

    Understands "Line 3: ...", "Example 3 ...", "row 3", "line #3", and "index 2" (0-based).
    """
    if not message:
        return None
    m = _LINE.search(message)
    if m and int(m.group(2)) >= 1:
        return int(m.group(2))
    m = _INDEX.search(message)
    if m:
        return int(m.group(1)) + 1
    return None


def no_key_error(profile: Profile, env_var: str | None) -> ProviderError:
    env = f" or set {env_var}" if env_var else ""
    return ProviderError(f"There is no API key for the profile '{profile.name}'.",
                         f"Add one in Settings → Providers (or 'workbench keys set {profile.name}'){env}.",
                         False, kind=NO_KEY)


def _detail(exc: openai.APIStatusError, body: dict[str, Any]) -> str:
    message = body.get("message")
    if not isinstance(message, str) or not message:
        message = exc.message.split(" - ", 1)[1] if " - " in exc.message else ""
    message = " ".join(message.split())
    return message if len(message) <= _DETAIL_LIMIT else message[: _DETAIL_LIMIT - 1] + "…"


def _mid(where: str) -> str:
    """``where`` inside a sentence: "The provider" -> "the provider"."""
    return "t" + where[1:] if where.startswith("The ") else where


def _where(profile: Profile | None) -> str:
    if profile is None:
        return "The provider"
    return {"openai": "OpenAI", "azure": "Azure OpenAI"}.get(profile.kind, f"The server of '{profile.name}'")


def _host(exc: openai.APIConnectionError) -> tuple[str, bool]:
    """("host:port", whether it is this machine) of the failed request."""
    try:
        url = exc.request.url
    except Exception:  # no request attached
        return "", False
    host = str(url.host)
    local = host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")
    return (f"{host}:{url.port}" if url.port else host), local


def _seconds(value: float) -> str:
    if value < 1:
        return "a moment"
    n = round(value)
    return f"{n} second{'s' if n != 1 else ''}" if n < 120 else f"{round(n / 60)} minutes"
