"""Plain values passed between the HTTP layer (server.py) and the endpoints (handlers.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .multipart import Part


@dataclass
class Request:
    method: str
    path: str  # without the query string, e.g. /v1/files/file-abc
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    json: Any = None
    form: dict[str, Part] | None = None
    params: dict[str, str] = field(default_factory=dict)  # path parameters

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def int_arg(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.arg(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiError(400, f"Invalid value for '{name}': expected an integer.", param=name) from None
        if not low <= value <= high:
            raise ApiError(400, f"Invalid value for '{name}': must be between {low} and {high}.", param=name)
        return value


@dataclass
class Reply:
    status: int
    body: Any  # dict -> JSON; bytes -> sent as is
    schema: str | None = None  # components/schemas name the body must match (strict mode)
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class StreamReply:
    chunks: list[dict[str, Any]]
    schema: str = "CreateChatCompletionStreamResponse"


class ApiError(Exception):
    """An OpenAI-style error reply: ``{"error": {"message", "type", "param", "code"}}``."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"message": message, "type": type, "param": param, "code": code}}
        self.headers = headers or {}

    @classmethod
    def from_body(cls, status: int, error: dict[str, Any], headers: dict[str, str] | None = None) -> ApiError:
        return cls(status, error.get("message", "error"), type=error.get("type", "invalid_request_error"),
                   param=error.get("param"), code=error.get("code"), headers=headers)

    def reply(self) -> Reply:
        return Reply(self.status, self.body, schema="ErrorResponse", headers=dict(self.headers))
