"""What the server saw and sent: one LoggedRequest per request, plus spec violations."""

from __future__ import annotations

import fnmatch
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import schema_check


@dataclass
class LoggedRequest:
    """One request as the server saw it (the Authorization header is left out)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    request_id: str
    json: Any = None
    form: dict[str, dict[str, Any]] | None = None  # multipart fields: filename, content_type, size
    status: int | None = None  # None: no answer (connection dropped)
    fault: str | None = None  # the FaultKind value that fired, if any
    response: Any = None  # JSON body sent (bytes for file content; list of chunks for SSE)
    authorized: bool = False
    started: float = field(default_factory=time.monotonic)  # when the request arrived
    finished: float | None = None  # just before the reply's last bytes went out (or the connection was cut)
    _logged: bool = field(default=False, repr=False, compare=False)


@dataclass
class Violation:
    method: str
    path: str
    schema: str
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.schema}: " + "; ".join(self.errors)


def _v1(pattern: str) -> str:
    if pattern == "*" or pattern.startswith("/v1"):
        return pattern
    return "/v1" + (pattern if pattern.startswith("/") else "/" + pattern)


class RequestLog:
    """Thread-safe, append-only. Entries are added before the client can see the reply."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[LoggedRequest] = []

    def add(self, entry: LoggedRequest) -> None:
        """Add ``entry`` once (later calls for the same entry do nothing)."""
        with self._lock:
            if not entry._logged:
                entry._logged = True
                self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def matching(self, path: str = "*", method: str | None = None) -> list[LoggedRequest]:
        """Entries whose path matches ``path`` (fnmatch, relative to ``/v1``) and method."""
        pattern = _v1(path)
        return [e for e in self.entries()
                if fnmatch.fnmatchcase(e.path, pattern) and (method is None or e.method == method.upper())]

    def audit(self, *, strict: bool = True) -> list[str]:
        """Re-check every logged JSON/SSE response against the operation the spec defines for it."""
        found = []
        for entry in self.entries():
            if entry.status is None or entry.response is None or isinstance(entry.response, bytes):
                continue
            stream = isinstance(entry.response, list)
            for problem in schema_check.validate_exchange(entry.method, entry.path, entry.status, entry.response,
                                                          stream=stream, strict=strict):
                found.append(f"{entry.method} {entry.path} -> {entry.status}: {problem}")
        return found
