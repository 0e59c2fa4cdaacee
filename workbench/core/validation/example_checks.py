"""Checks on one example, independent of every other example (so they can be re-run alone).

Covers every check of OpenAI's cookbook data-preparation notebook, corrected for today's formats
(e.g. ``content: null`` is fine on an assistant message that carries ``tool_calls``), plus tools,
weights, images, preference (DPO) and legacy prompt/completion examples.
"""

from __future__ import annotations

import json
import re
from typing import Any

from workbench.core.formats import (
    CHAT_ROLES,
    MESSAGE_KEYS,
    Kind,
    detect_kind,
    unknown_keys,
)
from workbench.core.validation.issues import Issue, make_issue

MAX_IMAGES = 10
_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def check_example(obj: Any, line: int | None = None, where: str | None = None) -> list[Issue]:
    found: list[Issue] = []

    def add(code: str, **kw) -> None:
        found.append(make_issue(code, line=line, where=where, **kw))

    if not isinstance(obj, dict):
        add("data_type", found=_json_type(obj))
        return found
    kind = detect_kind(obj)
    if kind is Kind.UNKNOWN:
        add("unknown_format", keys=", ".join(list(obj)[:6]) or "none")
        return found
    for key in unknown_keys(obj):
        add("unknown_key", key=key, kind=kind.label, field=key)
    if kind is Kind.CHAT:
        _check_chat(obj, add)
    elif kind is Kind.DPO:
        _check_dpo(obj, add)
    else:
        _check_legacy(obj, add)
    return found


def _json_type(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "true/false"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


# --- chat -----------------------------------------------------------------------------------------


def _check_chat(obj: dict, add) -> None:
    messages = obj.get("messages")
    if not isinstance(messages, list) or not messages:
        add("missing_messages_list", field="messages")
        return
    if "tools" in obj:
        _check_tools(obj["tools"], add)
    _check_messages(messages, add, require_assistant=True)


def _check_tools(tools: Any, add) -> None:
    if not isinstance(tools, list):
        add("invalid_tools", reason="'tools' is not a list", field="tools")
        return
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or tool.get("type", "function") != "function":
            add("invalid_tools", reason=f"tool {i + 1} is not a function tool", field="tools")
            continue
        fn = tool.get("function")
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn["name"]:
            add("invalid_tools", reason=f"tool {i + 1} has no function name", field="tools")
        elif "parameters" in fn and not isinstance(fn["parameters"], dict):
            add("invalid_tools", reason=f"the parameters of tool '{fn['name']}' are not a JSON schema object", field="tools")


def _check_messages(messages: list, add, *, require_assistant: bool) -> None:
    call_ids: set[str] = set()
    images = 0
    assistants = trainable = 0
    for index, msg in enumerate(messages):
        where_kw = {"index": index + 1}
        if not isinstance(msg, dict):
            add("message_not_object", **where_kw)
            continue
        if not MESSAGE_KEYS.issuperset(msg):
            for key in msg:
                if key not in MESSAGE_KEYS:
                    add("message_unrecognized_key", key=key, field=key, **where_kw)
        role = msg.get("role")
        if "role" not in msg:
            add("message_missing_key", key="role", field="role", **where_kw)
        elif not isinstance(role, str) or role not in CHAT_ROLES:
            add("unrecognized_role", role=role, field="role", **where_kw)
        has_calls = bool(msg.get("tool_calls")) or bool(msg.get("function_call"))
        content = msg.get("content")
        if "content" not in msg and not has_calls:
            add("message_missing_key", key="content", field="content", **where_kw)
        elif content is None or content == "" or (isinstance(content, list) and not content):
            if not has_calls:
                add("missing_content", role=role or "no role", field="content", **where_kw)
        elif isinstance(content, list):
            images += _check_parts(content, role, add, where_kw)
        elif not isinstance(content, str):
            add("invalid_content", found=_json_type(content), field="content", **where_kw)
        elif not content.strip() and not has_calls:
            add("missing_content", role=role or "no role", field="content", **where_kw)
        if "name" in msg and (not isinstance(msg["name"], str) or not _NAME_RE.match(msg["name"])):
            add("invalid_name", found=json.dumps(msg["name"])[:40], field="name", **where_kw)
        if "weight" in msg:
            w = msg["weight"]
            if role != "assistant" or isinstance(w, bool) or w not in (0, 1):
                add("invalid_weight", found=json.dumps(w)[:20], field="weight", **where_kw)
        if role == "assistant":
            assistants += 1
            if msg.get("weight", 1) != 0:
                trainable += 1
            if "tool_calls" in msg:
                call_ids |= _check_tool_calls(msg["tool_calls"], add, where_kw)
        if role == "tool":
            tid = msg.get("tool_call_id")
            if not isinstance(tid, str) or not tid:
                add("tool_message_missing_id", field="tool_call_id", **where_kw)
            elif tid not in call_ids:
                add("tool_call_id_unmatched", id=tid, field="tool_call_id", **where_kw)
    if images > MAX_IMAGES:
        add("too_many_images", count=images, limit=MAX_IMAGES)
    if require_assistant:
        if assistants == 0:
            add("example_missing_assistant_message")
        elif trainable == 0:
            add("no_trainable_message")
        last = messages[-1]
        if assistants and isinstance(last, dict) and last.get("role") in ("user", "system", "developer"):
            add("last_message_not_assistant", role=last.get("role"), index=len(messages))


def _check_parts(parts: list, role: Any, add, where_kw: dict) -> int:
    images = 0
    for p, part in enumerate(parts, start=1):
        if not isinstance(part, dict):
            add("invalid_content_part", part=p, reason="a part must be an object", field="content", **where_kw)
            continue
        kind = part.get("type")
        if kind == "text":
            if not isinstance(part.get("text"), str):
                add("invalid_content_part", part=p, reason="a text part needs 'text'", field="content", **where_kw)
        elif kind == "image_url":
            images += 1
            url = part.get("image_url")
            url = url.get("url") if isinstance(url, dict) else None
            if not isinstance(url, str) or not url:
                add("invalid_content_part", part=p, reason="an image part needs image_url.url", field="content", **where_kw)
            if role == "assistant":
                add("image_in_assistant", field="content", **where_kw)
        else:
            add("invalid_content_part", part=p, reason=f"unknown part type {json.dumps(kind)[:30]}", field="content", **where_kw)
    return images


def _check_tool_calls(calls: Any, add, where_kw: dict) -> set[str]:
    ids: set[str] = set()
    if not isinstance(calls, list):
        add("invalid_tool_calls", reason="'tool_calls' is not a list", field="tool_calls", **where_kw)
        return ids
    for n, call in enumerate(calls, start=1):
        if not isinstance(call, dict):
            add("invalid_tool_calls", reason=f"tool call {n} is not an object", field="tool_calls", **where_kw)
            continue
        cid = call.get("id")
        if not isinstance(cid, str) or not cid:
            add("invalid_tool_calls", reason=f"tool call {n} has no 'id'", field="tool_calls", **where_kw)
        else:
            ids.add(cid)
        fn = call.get("function")
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn.get("name"):
            add("invalid_tool_calls", reason=f"tool call {n} has no function name", field="tool_calls", **where_kw)
            continue
        args = fn.get("arguments")
        if not isinstance(args, str):
            add("invalid_tool_calls", reason=f"the arguments of tool call {n} must be a JSON string", field="tool_calls", **where_kw)
        else:
            try:
                json.loads(args)
            except ValueError:
                add("invalid_tool_calls", reason=f"the arguments of tool call {n} are not valid JSON", field="tool_calls", **where_kw)
    return ids


# --- preference pairs -------------------------------------------------------------------------


def _check_dpo(obj: dict, add) -> None:
    inp = obj.get("input")
    msgs = inp.get("messages") if isinstance(inp, dict) else None
    if not isinstance(msgs, list) or not msgs:
        add("dpo_missing_input", field="input")
    else:
        for key in inp:
            if key not in ("messages", "tools", "parallel_tool_calls"):
                add("unknown_key", key=f"input.{key}", kind="preference (DPO)", field="input")
        if "tools" in inp:
            _check_tools(inp["tools"], add)
        _check_messages(msgs, add, require_assistant=False)
        last = msgs[-1]
        if isinstance(last, dict) and last.get("role") == "assistant":
            add("dpo_input_ends_with_assistant", index=len(msgs))
    outputs = []
    for key in ("preferred_output", "non_preferred_output"):
        out = obj.get(key)
        if key not in obj:
            add("dpo_invalid_output", key=key, reason="is missing", field=key)
        elif not isinstance(out, list) or len(out) != 1 or not isinstance(out[0], dict):
            add("dpo_invalid_output", key=key, reason="must be a list with exactly one message", field=key)
        elif out[0].get("role") != "assistant":
            add("dpo_invalid_output", key=key, reason="must be an assistant message", field=key)
        else:
            content = out[0].get("content")
            if not out[0].get("tool_calls") and (not isinstance(content, str) or not content.strip()):
                add("dpo_invalid_output", key=key, reason="has no text", field=key)
            outputs.append(out[0])
    if len(outputs) == 2 and outputs[0] == outputs[1]:
        add("dpo_identical_outputs")


# --- legacy ---------------------------------------------------------------------------------------


def _check_legacy(obj: dict, add) -> None:
    for key in ("prompt", "completion"):
        if key not in obj or not isinstance(obj[key], str):
            add("legacy_invalid_field", key=key, field=key)
    if isinstance(obj.get("completion"), str) and not obj["completion"].strip():
        add("legacy_empty_completion", field="completion")
