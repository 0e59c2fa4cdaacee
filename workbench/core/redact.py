"""Keep API keys out of text: masking, scrubbing, a Secret wrapper and a log filter.

Pure Python (no keyring, no SDK) so anything that produces text — errors, logs, exports — can use it.
Every ``Secret`` ever created is remembered for the life of the process, so ``scrub`` and the log
filter also catch keys that do not look like ``sk-...`` (Azure keys are 32 hex characters).
"""

from __future__ import annotations

import hmac
import logging
import re
import threading
from collections.abc import Iterable

# Shapes that are keys whatever they belong to: OpenAI-style keys, bearer tokens, api-key values.
_KEY_LIKE = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{16,}")
_BEARER = re.compile(r"(?i)(\bbearer\s+)([A-Za-z0-9._~+/\-]{8,}=*)")
_ASSIGNED = re.compile(r"""(?i)(\b(?:api[-_]?key|x-api-key|authorization)["']?\s*[:=]\s*["']?)(?![^\s"',;}]*\.\.\.)([^\s"',;}]{8,})""")
# Known secrets shorter than this are placeholders ("EMPTY", "ollama"); masking them would mangle text.
_MIN_KNOWN = 8

_known: set[str] = set()
_known_lock = threading.Lock()


def remember(value: str) -> None:
    """Make ``value`` known to ``scrub`` and ``RedactingFilter`` for the rest of the process."""
    if len(value) >= _MIN_KNOWN:
        with _known_lock:
            _known.add(value)


def known_secrets() -> list[str]:
    with _known_lock:
        return sorted(_known, key=len, reverse=True)  # longest first: a key never half-masked by a shorter one


def looks_like_key(text: str) -> bool:
    """True for text that is (or contains) something shaped like an API key."""
    return bool(_KEY_LIKE.search(text))


def mask(key: str | Secret | None) -> str:
    """``"sk-proj-abc...wxyz"`` -> ``"sk-...wxyz"``: the first dash group and the last 4 characters.

    Short values show nothing (4 of 8 characters would be half the key).
    """
    if isinstance(key, Secret):
        key = key.reveal()
    if not key:
        return ""
    key = key.strip()
    if len(key) < 12:
        return "****"
    m = re.match(r"[A-Za-z0-9]{1,5}[-_]", key)
    return f"{m.group(0) if m else ''}...{key[-4:]}"


def scrub(text: str, *secrets: str | Secret | None) -> str:
    """``text`` with ``secrets``, every remembered secret and anything key-shaped masked."""
    if not text:
        return text
    values = {s.reveal() if isinstance(s, Secret) else s for s in secrets if s}
    for value in sorted(values | set(known_secrets()), key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, mask(value))
    text = _BEARER.sub(lambda m: m.group(1) + mask(m.group(2)), text)
    text = _ASSIGNED.sub(lambda m: m.group(1) + mask(m.group(2)), text)
    return _KEY_LIKE.sub(lambda m: mask(m.group(0)), text)


class Secret:
    """An API key that prints masked: ``repr``, ``str`` and f-strings never show the value.

    ``reveal()`` is the one way to the value, for the HTTP client. ``source`` says where it came
    from: "keyring", "environment", "memory" or "input". Not picklable, so it cannot end up in a
    saved file by accident.
    """

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str = "input") -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("a Secret holds a str")
        self._value = value
        self.source = source
        remember(value)

    def reveal(self) -> str:
        return self._value

    @property
    def masked(self) -> str:
        return mask(self._value)

    def __repr__(self) -> str:
        return f"Secret({self.masked!r}, source={self.source!r})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            other = other._value
        if not isinstance(other, str):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self):
        raise TypeError("a Secret cannot be pickled")


class RedactingFilter(logging.Filter):
    """Masks keys in log records (message, arguments, exception and stack text).

    Put it on handlers (``install_log_redaction`` does): a filter on a logger does not see records
    that propagate up from child loggers.
    """

    def __init__(self, secrets: Iterable[str | Secret] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def add(self, secret: str | Secret) -> None:
        self._secrets.append(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler's own error reporting
            return True
        record.msg, record.args = scrub(message, *self._secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, *self._secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, *self._secrets)
        return True


def install_log_redaction(logger: logging.Logger | None = None,
                          filter_: RedactingFilter | None = None) -> RedactingFilter:
    """Add one RedactingFilter to ``logger`` (default: root) and every handler it has now.

    Call it after the handlers are configured; handlers added later need ``addFilter`` too.
    """
    logger = logger or logging.getLogger()
    filter_ = filter_ or RedactingFilter()
    for target in (logger, *logger.handlers):
        if filter_ not in target.filters:
            target.addFilter(filter_)
    return filter_
