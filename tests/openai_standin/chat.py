"""Chat completion replies: the non-streamed body and the streamed chunks."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Responder = Callable[[dict[str, Any]], str]
FINGERPRINT = "fp_standin0001"


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def echo_responder(request: dict[str, Any]) -> str:
    """Default reply: echoes the last user message."""
    users = [m for m in request.get("messages", []) if isinstance(m, dict) and m.get("role") == "user"]
    last = _text(users[-1].get("content")) if users else ""
    return f"Echo: {last}" if last else "Hello from the stand-in."


def pieces(text: str) -> list[str]:
    """Token-ish pieces: words with their leading space, as streamed deltas usually look."""
    return re.findall(r"\s*\S+", text) or [text]


def _usage(request: dict[str, Any], completion_tokens: int) -> dict[str, Any]:
    prompt = sum(3 + len(pieces(_text(m.get("content")))) for m in request.get("messages", [])
                 if isinstance(m, dict)) + 3
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
    }


def _limit(request: dict[str, Any]) -> int | None:
    for key in ("max_completion_tokens", "max_tokens"):
        value = request.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return None


def _reply_pieces(request: dict[str, Any], responder: Responder) -> tuple[list[str], str]:
    parts = pieces(responder(request))
    limit = _limit(request)
    if limit is not None and len(parts) > limit:
        return parts[:limit], "length"
    return parts, "stop"


def completion(request: dict[str, Any], responder: Responder, *, completion_id: str, created: int) -> dict[str, Any]:
    parts, finish = _reply_pieces(request, responder)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": request["model"],
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "".join(parts), "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": finish,
        }],
        "usage": _usage(request, len(parts)),
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }


def stream_chunks(request: dict[str, Any], responder: Responder, *, completion_id: str,
                  created: int) -> list[dict[str, Any]]:
    """The chunks of a streamed reply, honouring ``stream_options.include_usage``."""
    options = request.get("stream_options") or {}
    include_usage = bool(options.get("include_usage"))
    obfuscate = options.get("include_obfuscation", True) is not False
    parts, finish = _reply_pieces(request, responder)

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": completion_id, "object": "chat.completion.chunk", "created": created,
            "model": request["model"], "service_tier": "default", "system_fingerprint": FINGERPRINT,
            "choices": choices,
        }
        if include_usage:
            body["usage"] = None
        body.update(extra)
        if obfuscate:
            body["obfuscation"] = "x" * (1 + len(completion_id) % 7)
        return body

    def choice(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}

    chunks = [chunk([choice({"role": "assistant", "content": "", "refusal": None})])]
    chunks += [chunk([choice({"content": part})]) for part in parts]
    chunks.append(chunk([choice({}, finish)]))
    if include_usage:
        chunks.append(chunk([], usage=_usage(request, len(parts))))
    return chunks
