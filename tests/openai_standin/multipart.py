"""A small, strict multipart/form-data parser (the stdlib ``cgi`` module is gone in 3.13)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message


class MultipartError(ValueError):
    pass


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    msg = Message()
    msg["content-type"] = value
    params = {k.lower(): v for k, v in msg.get_params(header="content-type")[1:]}
    return msg.get_content_type(), params


def parse(content_type: str, body: bytes) -> dict[str, Part]:
    """Parts of a multipart body keyed by field name (the last one wins on duplicates)."""
    kind, params = _header_params(content_type)
    boundary = params.get("boundary")
    if kind != "multipart/form-data" or not boundary:
        raise MultipartError(f"expected multipart/form-data with a boundary, got {content_type!r}")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise MultipartError("multipart body is not terminated by the closing boundary")
    parts: dict[str, Part] = {}
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise MultipartError("malformed multipart part framing")
        head, sep, data = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            raise MultipartError("multipart part without a header block")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, colon, value = line.partition(":")
            if colon:
                headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        msg = Message()
        msg["content-disposition"] = disposition
        name = msg.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not disposition.lower().startswith("form-data"):
            raise MultipartError(f"part without a form-data name: {disposition!r}")
        filename = msg.get_param("filename", header="content-disposition")
        parts[name] = Part(
            name=name,
            data=data,
            filename=filename if isinstance(filename, str) else None,
            content_type=headers.get("content-type"),
        )
    return parts
