"""Injectable, counted transport faults.

A fault matches requests by path pattern (``fnmatch`` style, relative to ``/v1`` unless it starts
with ``/v1``: ``"/uploads/*/parts"``) and optionally by method, and fires for the next ``times``
matching requests.  ``hits`` counts how often it fired and ``fired`` (a threading.Event) lets a test wait for the
first firing without sleeping.  Kinds:

* ``ERROR``   answer with ``status`` (500 by default; 429 via ``rate_limit``) and an OpenAI error body;
* ``DROP``    close the socket without answering, after reading ``after_body_bytes`` of the body
              (``None``: the whole body, so the client sees "server disconnected");
* ``SLOW``    wait ``delay`` seconds (at most ``MAX_DELAY``) and then answer normally;
* ``BREAK_STREAM`` for streaming replies: send ``after_chunks`` SSE events, then cut the connection
              mid-body (no terminating chunk, no ``[DONE]``); ``model`` limits it to requests for that
              model (so one of several parallel streams breaks).
"""

from __future__ import annotations

import enum
import fnmatch
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_DELAY = 10.0


class FaultKind(enum.Enum):
    ERROR = "error"
    DROP = "drop"
    SLOW = "slow"
    BREAK_STREAM = "break_stream"


@dataclass
class Fault:
    kind: FaultKind
    path: str
    method: str | None = None
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    delay: float = 0.0
    after_body_bytes: int | None = None
    after_chunks: int = 2
    model: str | None = None  # BREAK_STREAM only: the request body's model must be this
    hits: int = 0
    fired: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)  # set on first hit

    @property
    def remaining(self) -> int:
        return max(self.times - self.hits, 0)

    def matches(self, method: str, path: str, model: str | None = None) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.model is not None and self.model != model:
            return False
        return fnmatch.fnmatchcase(path, self.path)


def _norm_path(pattern: str) -> str:
    if not pattern.startswith("/"):
        pattern = "/" + pattern
    return pattern if pattern.startswith("/v1/") or pattern == "/v1" else "/v1" + pattern


def _retry_headers(retry_after: float | str | None, retry_after_ms: float | str | None,
                   should_retry: bool | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    if retry_after_ms is not None:
        headers["retry-after-ms"] = str(retry_after_ms)
    if should_retry is not None:
        headers["x-should-retry"] = "true" if should_retry else "false"
    return headers


SERVER_ERROR = {
    "message": "The server had an error while processing your request. Sorry about that!",
    "type": "server_error",
    "param": None,
    "code": None,
}
RATE_LIMITED = {
    "message": "Rate limit reached for requests. Please try again in 1s.",
    "type": "requests",
    "param": None,
    "code": "rate_limit_exceeded",
}


class FaultPlan:
    """Thread-safe list of faults; the server asks it before handling each request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        if fault.times < 1:
            raise ValueError("a fault must fire at least once")
        if not 0 <= fault.delay <= MAX_DELAY:
            raise ValueError(f"delay must be within 0..{MAX_DELAY} s")
        fault.path = _norm_path(fault.path)
        with self._lock:
            self._faults.append(fault)
        return fault

    def fail(self, path: str, *, times: int = 1, status: int = 500, method: str | None = None,
             retry_after: float | str | None = None, retry_after_ms: float | str | None = None,
             should_retry: bool | None = None, error: dict[str, Any] | None = None) -> Fault:
        """The next ``times`` matching requests answer ``status`` with an OpenAI error body."""
        return self.add(Fault(FaultKind.ERROR, path, method, times, status=status,
                              headers=_retry_headers(retry_after, retry_after_ms, should_retry),
                              error=error or dict(SERVER_ERROR)))

    def rate_limit(self, path: str, *, times: int = 1, retry_after: float | str | None = "0",
                   retry_after_ms: float | str | None = None, method: str | None = None) -> Fault:
        """429 with ``Retry-After`` (and/or ``retry-after-ms``)."""
        return self.fail(path, times=times, status=429, method=method, retry_after=retry_after,
                         retry_after_ms=retry_after_ms, error=dict(RATE_LIMITED))

    def drop(self, path: str, *, times: int = 1, method: str | None = None,
             after_body_bytes: int | None = None) -> Fault:
        """Close the connection without answering (optionally after reading only part of the body)."""
        return self.add(Fault(FaultKind.DROP, path, method, times, after_body_bytes=after_body_bytes))

    def slow(self, path: str, delay: float, *, times: int = 1, method: str | None = None) -> Fault:
        """Wait ``delay`` seconds (bounded by ``MAX_DELAY``; cut short on shutdown), then answer."""
        return self.add(Fault(FaultKind.SLOW, path, method, times, delay=delay))

    def break_stream(self, path: str = "/chat/completions", *, after_chunks: int = 2, times: int = 1,
                     method: str | None = "POST", model: str | None = None) -> Fault:
        """A streamed reply stops after ``after_chunks`` events and the connection is cut
        (only replies for ``model`` when given)."""
        return self.add(Fault(FaultKind.BREAK_STREAM, path, method, times, after_chunks=after_chunks, model=model))

    def take(self, method: str, path: str, kinds: Iterable[FaultKind], model: str | None = None) -> Fault | None:
        """The first armed fault of one of ``kinds`` matching the request; counts it as fired."""
        wanted = set(kinds)
        with self._lock:
            for fault in self._faults:
                if fault.kind in wanted and fault.remaining and fault.matches(method, path, model):
                    fault.hits += 1
                    fault.fired.set()
                    return fault
        return None

    def pending(self) -> list[Fault]:
        """Faults that still have firings left."""
        with self._lock:
            return [f for f in self._faults if f.remaining]

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
