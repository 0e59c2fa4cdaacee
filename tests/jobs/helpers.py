"""Test data and test doubles for the jobs tests (no real sleeps, no network beyond 127.0.0.1)."""

from __future__ import annotations

import fnmatch
import json
import threading
from pathlib import Path

import httpx2

SERVER_ERROR = {"error": {"message": "The server had an error while processing your request.",
                          "type": "server_error", "param": None, "code": None}}


def chat(i: int) -> dict:
    return {"messages": [
        {"role": "system", "content": "You are Acme's support assistant."},
        {"role": "user", "content": f"My order {i} has not arrived."},
        {"role": "assistant", "content": f"Sorry about order {i}; a replacement is on its way."},
    ]}


def dpo(i: int) -> dict:
    return {"input": {"messages": [{"role": "user", "content": f"Where is order {i}?"}]},
            "preferred_output": [{"role": "assistant", "content": f"Order {i} ships today."}],
            "non_preferred_output": [{"role": "assistant", "content": "No idea."}]}


def write_jsonl(path: Path, examples) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in examples), "utf-8")
    return path


def chat_file(path: Path, n: int = 12, start: int = 0) -> Path:
    return write_jsonl(path, [chat(i) for i in range(start, start + n)])


def dpo_file(path: Path, n: int = 12) -> Path:
    return write_jsonl(path, [dpo(i) for i in range(n)])


class FakeSleep:
    """Records the delays asked for instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class LoseReply(httpx2.BaseTransport):
    """Sends requests to the server for real, then loses the reply of the next ``times`` matching ones.

    This is the failure the stand-in's own faults cannot make: the server *did* the work (created
    the job) but the client never hears so. ``mode``: "drop" (connection lost while reading the
    reply), "timeout", or "500" (a gateway answers 500 after the backend acted).
    """

    def __init__(self, method: str, path: str, *, times: int = 1, mode: str = "drop") -> None:
        self._inner = httpx2.HTTPTransport()
        self.method, self.path, self.remaining, self.mode = method, path, times, mode
        self.lost = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self._inner.handle_request(request)
        with self._lock:
            hit = (self.remaining > 0 and request.method == self.method
                   and fnmatch.fnmatchcase(request.url.path, self.path))
            if hit:
                self.remaining -= 1
                self.lost += 1
        if not hit:
            return response
        response.read()
        response.close()
        if self.mode == "timeout":
            raise httpx2.ReadTimeout("timed out reading the reply", request=request)
        if self.mode == "500":
            return httpx2.Response(500, json=SERVER_ERROR, request=request)
        raise httpx2.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    def close(self) -> None:
        self._inner.close()
