"""Small builders for training examples and JSONL files, shared by the core tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def chat(i: int = 0, *, system: str | None = "You are the support assistant of Acme.") -> dict[str, Any]:
    """A valid, distinct chat example (distinct per ``i``)."""
    messages: list[dict[str, Any]] = []
    if system:
        messages.append({"role": "system", "content": system})
    messages.append({"role": "user", "content": f"My order {i} has not arrived."})
    messages.append({"role": "assistant", "content": f"Sorry about order {i}; I have sent a replacement."})
    return {"messages": messages}


def tool_chat() -> dict[str, Any]:
    """Every chat feature at once: tools, a null-content tool call, a tool reply, name and weight."""
    return {
        "messages": [
            {"role": "system", "content": "You help with orders."},
            {"role": "user", "name": "alice", "content": "Where is order 42?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_order", "arguments": "{\"id\": 42}"}}
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "{\"status\": \"shipped\"}"},
            {"role": "assistant", "content": "Order 42 has shipped.", "weight": 1},
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_order",
                    "description": "Look up an order.",
                    "parameters": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
                },
            }
        ],
        "parallel_tool_calls": False,
    }


def image_chat(images: int = 1) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"type": "text", "text": "What is broken here?"}]
    parts += [{"type": "image_url", "image_url": {"url": f"https://example.com/{n}.png"}} for n in range(images)]
    return {
        "messages": [
            {"role": "user", "content": parts},
            {"role": "assistant", "content": "The hinge is cracked."},
        ]
    }


def function_chat() -> dict[str, Any]:
    """The legacy ``functions`` / ``function_call`` / role ``function`` form."""
    return {
        "messages": [
            {"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": None, "function_call": {"name": "weather", "arguments": "{\"city\": \"Oslo\"}"}},
            {"role": "function", "name": "weather", "content": "{\"temp\": 3}"},
            {"role": "assistant", "content": "It is 3 degrees in Oslo."},
        ],
        "functions": [{"name": "weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}],
    }


def dpo(i: int = 0) -> dict[str, Any]:
    return {
        "input": {
            "messages": [{"role": "user", "content": f"Can I return item {i}?"}],
            "tools": [{"type": "function", "function": {"name": "start_return", "parameters": {"type": "object"}}}],
        },
        "preferred_output": [{"role": "assistant", "content": f"Yes, item {i} can be returned within 30 days."}],
        "non_preferred_output": [{"role": "assistant", "content": "No."}],
    }


def legacy(i: int = 0) -> dict[str, Any]:
    return {"prompt": f"Customer: where is order {i}?\nAgent: ->", "completion": f" It ships tomorrow ({i}).\n"}


def write_jsonl(path: Path, objs, *, dumps=json.dumps) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for obj in objs:
            fh.write(dumps(obj) + "\n")
    return path


def key_orders(value: Any) -> Any:
    """The structure of every object's key order, so two values compare equal only if order matches."""
    if isinstance(value, dict):
        return [(k, key_orders(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [key_orders(v) for v in value]
    return None
