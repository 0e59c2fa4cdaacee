"""The texts of an example a PII scan reads, and writing redacted texts back.

Only human-written message text is scanned: ``content`` strings (and the text parts of a content
list) of chat messages, DPO input messages and both DPO outputs, and legacy prompt/completion.
Roles, tool calls, names of tools and every other key are left alone, so redaction never changes
the JSON structure.

Messages are numbered in one sequence per example: chat ``messages[i]`` is ``i``; DPO input
messages come first, then ``preferred_output``, then ``non_preferred_output``; legacy prompt is 0
and completion 1. A content list's text part has its index in ``part`` (else ``part`` is None).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from workbench.core.formats import Kind, detect_kind

Where = tuple[int, int | None]  # (message index, content part index or None)


@dataclass(frozen=True, slots=True)
class Slot:
    message: int
    part: int | None
    role: str
    text: str

    @property
    def where(self) -> Where:
        return (self.message, self.part)


def _message_lists(example: dict[str, Any]) -> list[list[Any]]:
    kind = detect_kind(example)
    if kind is Kind.CHAT:
        msgs = example.get("messages")
        return [msgs if isinstance(msgs, list) else []]
    if kind is Kind.DPO:
        inp = example.get("input")
        msgs = inp.get("messages") if isinstance(inp, dict) else None
        out = [msgs if isinstance(msgs, list) else []]
        for key in ("preferred_output", "non_preferred_output"):
            value = example.get(key)
            out.append(value if isinstance(value, list) else [])
        return out
    return []


def iter_slots(example: dict[str, Any]) -> Iterator[Slot]:
    if detect_kind(example) is Kind.LEGACY:
        for index, key in enumerate(("prompt", "completion")):
            value = example.get(key)
            if isinstance(value, str) and value:
                yield Slot(index, None, "user" if index == 0 else "assistant", value)
        return
    index = 0
    for msgs in _message_lists(example):
        for msg in msgs:
            if isinstance(msg, dict):
                content = msg.get("content")
                role = msg.get("role") if isinstance(msg.get("role"), str) else ""
                if isinstance(content, str):
                    if content:
                        yield Slot(index, None, role, content)
                elif isinstance(content, list):
                    for p, part in enumerate(content):
                        if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
                            if part["text"]:
                                yield Slot(index, p, role, part["text"])
                        elif isinstance(part, str) and part:
                            yield Slot(index, p, role, part)
            index += 1


def plain_chat_texts(example: dict[str, Any]) -> list[str] | None:
    """The contents of a chat example whose every message has string content (text i is message i),
    or None when the example needs ``texts_and_places``. The scan's hot path: no Slot objects."""
    msgs = example.get("messages")
    if msgs.__class__ is not list or "preferred_output" in example or "non_preferred_output" in example:
        return None
    try:
        texts = [m["content"] for m in msgs]
    except (KeyError, TypeError):
        return None
    for text in texts:
        if text.__class__ is not str:
            return None
    return texts


def texts_and_places(example: dict[str, Any]) -> tuple[list[str], list[tuple[int, int | None, str]]]:
    """(texts, (message index, part, role) of each) in slot order."""
    texts = plain_chat_texts(example)
    if texts is not None:
        return texts, plain_chat_places(example)
    slots = list(iter_slots(example))
    return [s.text for s in slots], [(s.message, s.part, s.role) for s in slots]


def plain_chat_places(example: dict[str, Any]) -> list[tuple[int, int | None, str]]:
    """Places for ``plain_chat_texts``' texts."""
    out: list[tuple[int, int | None, str]] = []
    for index, msg in enumerate(example["messages"]):
        role = msg.get("role")
        out.append((index, None, role if role.__class__ is str else ""))
    return out


def with_texts(example: dict[str, Any], new_texts: dict[Where, str]) -> dict[str, Any]:
    """A copy of ``example`` with the texts at ``new_texts``' places replaced; nothing else changes.

    Copies only what holds a changed text (the example, its message lists, the changed messages and
    content lists); unchanged messages are shared with ``example`` (a deep copy of every example of
    a 50,000-example redaction would cost more than the redaction)."""
    out = dict(example)
    if detect_kind(example) is Kind.LEGACY:
        for (index, _part), text in new_texts.items():
            out[("prompt", "completion")[index]] = text
        return out
    changed = {message for message, _part in new_texts}
    index = 0
    for key, msgs in _message_list_keys(example):
        if not any(index <= m < index + len(msgs) for m in changed):
            index += len(msgs)
            continue
        new_msgs = list(msgs)
        for n, msg in enumerate(msgs):
            if index in changed and isinstance(msg, dict):
                new_msgs[n] = _with_message_texts(msg, index, new_texts)
            index += 1
        if key == "input":
            out["input"] = {**example["input"], "messages": new_msgs}
        else:
            out[key] = new_msgs
    return out


def _message_list_keys(example: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """(key of ``example`` holding the list, the list) in slot order; "input" means input.messages."""
    lists = _message_lists(example)
    keys = ["messages"] if detect_kind(example) is Kind.CHAT else ["input", "preferred_output", "non_preferred_output"]
    return list(zip(keys, lists, strict=False))


def _with_message_texts(msg: dict[str, Any], index: int, new_texts: dict[Where, str]) -> dict[str, Any]:
    msg = dict(msg)
    content = msg.get("content")
    if isinstance(content, str):
        if (index, None) in new_texts:
            msg["content"] = new_texts[(index, None)]
    elif isinstance(content, list):
        parts = list(content)
        for p, part in enumerate(parts):
            text = new_texts.get((index, p))
            if text is not None:
                parts[p] = {**part, "text": text} if isinstance(part, dict) else text
        msg["content"] = parts
    return msg
