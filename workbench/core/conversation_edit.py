"""Edits of one conversation, as pure functions: example dict in, new example dict out.

The editor widget never mutates an example; it computes the new one here and hands it to the
workspace as one undoable edit. Works on chat examples and on a DPO example's input messages.
"""

from __future__ import annotations

import copy
from typing import Any

from workbench.core.formats import Kind, detect_kind

Example = dict[str, Any]
EDITABLE_ROLES = ("system", "user", "assistant", "tool")


def messages_of(example: Example) -> list[dict]:
    """The editable message list (chat: messages; DPO: input.messages)."""
    if detect_kind(example) is Kind.DPO:
        inp = example.get("input")
        return inp.get("messages", []) if isinstance(inp, dict) else []
    msgs = example.get("messages")
    return msgs if isinstance(msgs, list) else []


def _with_messages(example: Example, messages: list[dict]) -> Example:
    out = copy.deepcopy(example)
    if detect_kind(example) is Kind.DPO:
        out.setdefault("input", {})["messages"] = messages
    else:
        out["messages"] = messages
    return out


def _copy_messages(example: Example) -> list[dict]:
    return copy.deepcopy(messages_of(example))


def set_text(example: Example, index: int, text: str) -> Example:
    msgs = _copy_messages(example)
    msg = msgs[index]
    content = msg.get("content")
    if isinstance(content, list):  # keep image parts; replace the text parts with one
        others = [p for p in content if not (isinstance(p, dict) and p.get("type") == "text")]
        msg["content"] = [{"type": "text", "text": text}, *others] if others else text
    else:
        msg["content"] = text
    return _with_messages(example, msgs)


def set_role(example: Example, index: int, role: str) -> Example:
    if role not in EDITABLE_ROLES:
        raise ValueError(f"role must be one of {EDITABLE_ROLES}")
    msgs = _copy_messages(example)
    msgs[index]["role"] = role
    if role != "assistant":
        msgs[index].pop("weight", None)  # weight only exists on assistant messages
    return _with_messages(example, msgs)


def set_weight(example: Example, index: int, weight: int | None) -> Example:
    """weight 0 = do not learn this reply; 1 or None (absent) = learn it."""
    msgs = _copy_messages(example)
    if weight is None:
        msgs[index].pop("weight", None)
    else:
        msgs[index]["weight"] = int(weight)
    return _with_messages(example, msgs)


def insert_message(example: Example, index: int, role: str = "user", text: str = "") -> Example:
    msgs = _copy_messages(example)
    msgs.insert(index, {"role": role, "content": text})
    return _with_messages(example, msgs)


def delete_message(example: Example, index: int) -> Example:
    msgs = _copy_messages(example)
    del msgs[index]
    return _with_messages(example, msgs)


def move_message(example: Example, index: int, new_index: int) -> Example:
    msgs = _copy_messages(example)
    msg = msgs.pop(index)
    msgs.insert(max(0, min(new_index, len(msgs))), msg)
    return _with_messages(example, msgs)


def system_prompt(example: Example) -> str | None:
    msgs = messages_of(example)
    if msgs and isinstance(msgs[0], dict) and msgs[0].get("role") in ("system", "developer"):
        content = msgs[0].get("content")
        return content if isinstance(content, str) else None
    return None


def set_system_prompt(example: Example, text: str | None) -> Example:
    """Sets, replaces or (text None/empty) removes the leading system message."""
    msgs = _copy_messages(example)
    has = bool(msgs) and isinstance(msgs[0], dict) and msgs[0].get("role") in ("system", "developer")
    if text:
        if has:
            msgs[0]["content"] = text
        else:
            msgs.insert(0, {"role": "system", "content": text})
    elif has:
        del msgs[0]
    return _with_messages(example, msgs)
