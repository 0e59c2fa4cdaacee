"""The example model: one training example per JSONL line, for every current format.

An example *is* its JSON object (a ``dict`` in the order it was read). Keeping the object itself,
rather than copying it into dataclasses, is what makes import -> export lossless: unknown keys,
key order and exotic-but-valid values survive untouched. The helpers here only *read* examples
(kind, messages, texts, hash) or build new ones (conversion, constructors).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any

Example = dict[str, Any]


class Kind(str, Enum):
    CHAT = "chat"  # supervised chat: {"messages": [...], "tools"?: [...], "parallel_tool_calls"?: bool}
    DPO = "dpo"  # preference: {"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}
    LEGACY = "legacy"  # prompt/completion for babbage-002 / davinci-002
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            Kind.CHAT: "chat",
            Kind.DPO: "preference (DPO)",
            Kind.LEGACY: "prompt/completion (legacy)",
            Kind.UNKNOWN: "unrecognised",
        }[self]


CHAT_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
MESSAGE_KEYS = frozenset(
    {"role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call", "refusal"}
)
CHAT_TOP_KEYS = frozenset({"messages", "tools", "parallel_tool_calls", "functions", "metadata"})
DPO_TOP_KEYS = frozenset({"input", "preferred_output", "non_preferred_output", "metadata"})
DPO_INPUT_KEYS = frozenset({"messages", "tools", "parallel_tool_calls"})
LEGACY_TOP_KEYS = frozenset({"prompt", "completion"})


def detect_kind(obj: Any) -> Kind:
    if not isinstance(obj, dict):
        return Kind.UNKNOWN
    if "preferred_output" in obj or "non_preferred_output" in obj or (
        "input" in obj and "messages" not in obj
    ):
        return Kind.DPO
    if "messages" in obj:
        return Kind.CHAT
    if "prompt" in obj or "completion" in obj:
        return Kind.LEGACY
    return Kind.UNKNOWN


def unknown_keys(obj: Example) -> list[str]:
    """Top-level keys that the detected format does not define (kept on export, but reported)."""
    allowed = {
        Kind.CHAT: CHAT_TOP_KEYS,
        Kind.DPO: DPO_TOP_KEYS,
        Kind.LEGACY: LEGACY_TOP_KEYS,
    }.get(detect_kind(obj))
    if allowed is None:
        return []
    return [k for k in obj if k not in allowed]


def conversation_messages(obj: Example) -> list[Any]:
    """The messages that make up the conversation, whatever the format (DPO: input + preferred)."""
    kind = detect_kind(obj)
    if kind is Kind.CHAT:
        msgs = obj.get("messages")
        return msgs if isinstance(msgs, list) else []
    if kind is Kind.DPO:
        inp = obj.get("input")
        msgs = inp.get("messages") if isinstance(inp, dict) else None
        out = list(msgs) if isinstance(msgs, list) else []
        pref = obj.get("preferred_output")
        if isinstance(pref, list):
            out.extend(pref)
        return out
    if kind is Kind.LEGACY:
        return legacy_to_chat(obj)["messages"]
    return []


def content_text(content: Any) -> str:
    """Plain text of a message content: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
        return "\n".join(parts)
    return ""


def iter_texts(obj: Example) -> Iterator[str]:
    """Every human-written string of an example (for search, PII scans, token floors)."""
    kind = detect_kind(obj)
    if kind is Kind.LEGACY:
        for key in ("prompt", "completion"):
            if isinstance(obj.get(key), str):
                yield obj[key]
        return
    messages: list[Any] = list(conversation_messages(obj))
    if kind is Kind.DPO and isinstance(obj.get("non_preferred_output"), list):
        messages.extend(obj["non_preferred_output"])
    for msg in messages:
        if isinstance(msg, dict):
            text = content_text(msg.get("content"))
            if text:
                yield text


def first_text(obj: Example, role: str, *, last: bool = False) -> str:
    msgs = [m for m in conversation_messages(obj) if isinstance(m, dict) and m.get("role") == role]
    if not msgs:
        return ""
    return content_text((msgs[-1] if last else msgs[0]).get("content"))


def turn_count(obj: Example) -> int:
    """Number of user/assistant messages (the conversational turns a person sees)."""
    return sum(
        1
        for m in conversation_messages(obj)
        if isinstance(m, dict) and m.get("role") in ("user", "assistant")
    )


# --- serialisation -------------------------------------------------------------------------------


def dumps(obj: Any) -> str:
    """One JSONL line: compact, UTF-8 (not \\u-escaped), keys in their original order."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def canonical(obj: Any) -> str:
    """Key-order-independent form, so two examples that mean the same thing compare equal."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def content_hash(obj: Any) -> str:
    return hashlib.blake2b(canonical(obj).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# --- construction and conversion ----------------------------------------------------------------


def chat_example(
    messages: Iterable[dict[str, Any]], *, system_prompt: str | None = None, tools: list | None = None
) -> Example:
    msgs = list(messages)
    if system_prompt and not (msgs and msgs[0].get("role") == "system"):
        msgs.insert(0, {"role": "system", "content": system_prompt})
    obj: Example = {"messages": msgs}
    if tools:
        obj["tools"] = tools
    return obj


def legacy_to_chat(obj: Example, system_prompt: str | None = None) -> Example:
    """prompt/completion -> chat. The legacy separator/stop conventions are stripped."""
    prompt = obj.get("prompt") if isinstance(obj.get("prompt"), str) else ""
    completion = obj.get("completion") if isinstance(obj.get("completion"), str) else ""
    prompt = prompt.rstrip()
    for sep in ("\n\n###\n\n", "###", "->"):  # common fine-tuning prompt separators of the GPT-3 era
        if prompt.endswith(sep.strip()):
            prompt = prompt[: -len(sep.strip())].rstrip()
            break
    # Drop a trailing stop sequence (" END" or "###"), never the end of a word like "WEEKEND".
    completion = re.sub(r"(?:(?:^|\s)END|###)$", "", completion.strip()).rstrip()
    messages = []
    if system_prompt:
        messages.append({"role": "system", "content": system_prompt})
    messages.append({"role": "user", "content": prompt})
    messages.append({"role": "assistant", "content": completion})
    out: Example = {"messages": messages}
    extra = {k: v for k, v in obj.items() if k not in LEGACY_TOP_KEYS}
    if extra:  # keep what we do not understand rather than dropping it silently
        out.update(extra)
    return out
