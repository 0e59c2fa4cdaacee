"""Server-sent events as OpenAI sends them, plus HTTP/1.1 chunked framing for the body."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

DONE = b"data: [DONE]\n\n"


def encode(data: Any) -> bytes:
    """One SSE event: ``data: {json}`` and a blank line (OpenAI sends no ``event:`` field for chat)."""
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return b"data: " + payload.encode("utf-8") + b"\n\n"


class ChunkedWriter:
    """Writes a ``Transfer-Encoding: chunked`` body; ``finish`` sends the terminating chunk."""

    def __init__(self, wfile: BinaryIO) -> None:
        self._wfile = wfile

    def write(self, data: bytes) -> None:
        if data:
            self._wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self._wfile.flush()

    def finish(self) -> None:
        self._wfile.write(b"0\r\n\r\n")
        self._wfile.flush()
