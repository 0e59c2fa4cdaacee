"""The example model: format detection, lossless import -> export, legacy -> chat conversion."""

from __future__ import annotations

import json

import pytest

from tests.core.builders import (
    chat,
    dpo,
    function_chat,
    image_chat,
    key_orders,
    legacy,
    tool_chat,
    write_jsonl,
)
from workbench.core import formats
from workbench.core.formats import Kind, detect_kind
from workbench.core.jsonl import iter_lines
from workbench.core.validation.example_checks import check_example

ALL_KINDS = [chat(1), tool_chat(), image_chat(3), function_chat(), dpo(2), legacy(3)]


@pytest.mark.parametrize(
    ("obj", "kind"),
    [
        (chat(), Kind.CHAT),
        (tool_chat(), Kind.CHAT),
        (function_chat(), Kind.CHAT),
        (dpo(), Kind.DPO),
        ({"preferred_output": []}, Kind.DPO),
        ({"input": {"messages": []}}, Kind.DPO),
        (legacy(), Kind.LEGACY),
        ({"completion": "x"}, Kind.LEGACY),
        ({"text": "hello"}, Kind.UNKNOWN),
        ([chat()], Kind.UNKNOWN),
        ("messages", Kind.UNKNOWN),
        (None, Kind.UNKNOWN),
    ],
)
def test_detect_kind(obj, kind):
    assert detect_kind(obj) is kind


def _import_export(tmp_path, objs, *, dumps=json.dumps):
    src = write_jsonl(tmp_path / "in.jsonl", objs, dumps=dumps)
    lines = list(iter_lines(src))
    assert all(line.ok for line in lines)
    return [formats.dumps(line.obj) for line in lines]


def test_import_then_export_gives_the_same_json_and_key_order(tmp_path):
    # Written with other spacing, non-ASCII escaped, and keys in an unusual order.
    shuffled = {"parallel_tool_calls": True, "messages": [{"content": "Grüße 👋 — 你好", "role": "user"},
                                                          {"weight": 0, "content": "Hallo!", "role": "assistant"},
                                                          {"content": "Hallo 2", "role": "assistant"}]}
    objs = [*ALL_KINDS, shuffled]
    exported = _import_export(tmp_path, objs, dumps=lambda o: json.dumps(o, indent=None, separators=(", ", ": ")))
    for original, line in zip(objs, exported, strict=True):
        back = json.loads(line)
        assert back == original
        assert key_orders(back) == key_orders(original)


def test_export_is_compact_utf8_without_escapes():
    line = formats.dumps({"messages": [{"role": "user", "content": "Grüße 👋\nzweite Zeile"}]})
    assert "Grüße 👋" in line
    assert "\n" not in line  # one example, one line
    assert line == '{"messages":[{"role":"user","content":"Grüße 👋\\nzweite Zeile"}]}'


def test_unknown_keys_are_kept_on_export_and_reported(tmp_path):
    obj = chat(1)
    obj["customer_tier"] = "gold"
    obj["messages"][1]["sentiment"] = "angry"
    exported = _import_export(tmp_path, [obj])
    back = json.loads(exported[0])
    assert back["customer_tier"] == "gold"
    assert back["messages"][1]["sentiment"] == "angry"

    found = {(i.code, i.field) for i in check_example(back, line=1)}
    assert ("unknown_key", "customer_tier") in found
    assert ("message_unrecognized_key", "sentiment") in found


@pytest.mark.parametrize(
    ("obj", "unknown"),
    [
        ({**chat(), "metadata": {"a": 1}, "extra": 1}, ["extra"]),
        ({**dpo(), "note": "x"}, ["note"]),
        ({**legacy(), "id": 7}, ["id"]),
        ({"foo": 1}, []),  # unknown format: reported as unknown_format instead
    ],
)
def test_unknown_keys_per_format(obj, unknown):
    assert formats.unknown_keys(obj) == unknown


def test_exotic_but_valid_values_survive(tmp_path):
    obj = {**chat(), "metadata": {"big": 12345678901234567890, "float": 0.1, "neg": -0.0, "nested": [[], {}, None]}}
    back = json.loads(_import_export(tmp_path, [obj])[0])
    assert back == obj
    assert back["metadata"]["big"] == 12345678901234567890


def test_legacy_to_chat_strips_the_old_separator_and_stop_conventions():
    out = formats.legacy_to_chat({"prompt": "Where is my parcel?\n\n###\n\n", "completion": " It ships tomorrow. END"})
    assert out == {"messages": [{"role": "user", "content": "Where is my parcel?"},
                                {"role": "assistant", "content": "It ships tomorrow."}]}
    out = formats.legacy_to_chat({"prompt": "Refund order 7 ->", "completion": " Done.\n"})
    assert out["messages"][0]["content"] == "Refund order 7"
    assert out["messages"][1]["content"] == "Done."


def test_legacy_to_chat_adds_system_prompt_and_keeps_extra_keys():
    out = formats.legacy_to_chat({"prompt": "Hi", "completion": " Hello", "metadata": {"ticket": 9}},
                                 system_prompt="Be brief.")
    assert out["messages"][0] == {"role": "system", "content": "Be brief."}
    assert [m["role"] for m in out["messages"]] == ["system", "user", "assistant"]
    assert out["metadata"] == {"ticket": 9}
    assert check_example(out) == []


def test_legacy_to_chat_does_not_cut_words_that_end_like_a_stop_sequence():
    # "END" is an old stop marker, but it is also the end of words like BACKEND or WEEKEND.
    out = formats.legacy_to_chat({"prompt": "Which part failed?", "completion": " The BACKEND"})
    assert out["messages"][1]["content"] == "The BACKEND"


def test_converted_legacy_example_is_a_valid_chat_example():
    out = formats.legacy_to_chat(legacy(4))
    assert detect_kind(out) is Kind.CHAT
    assert check_example(out) == []


def test_texts_and_summaries():
    obj = tool_chat()
    assert formats.first_text(obj, "user") == "Where is order 42?"
    assert formats.first_text(obj, "assistant", last=True) == "Order 42 has shipped."
    assert formats.turn_count(obj) == 3  # user + two assistant messages
    assert "Where is order 42?" in list(formats.iter_texts(obj))
    # DPO: both answers are searchable text; the conversation is input + preferred answer.
    texts = list(formats.iter_texts(dpo(1)))
    assert "No." in texts and "Yes, item 1 can be returned within 30 days." in texts
    assert [m["role"] for m in formats.conversation_messages(dpo(1))] == ["user", "assistant"]
    assert formats.content_text([{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {"url": "u"}},
                                 {"type": "text", "text": "b"}]) == "a\nb"
    assert formats.content_text(None) == ""


def test_content_hash_ignores_key_order_but_not_content():
    a = {"messages": [{"role": "user", "content": "x"}], "tools": []}
    b = {"tools": [], "messages": [{"content": "x", "role": "user"}]}
    c = {"messages": [{"role": "user", "content": "y"}], "tools": []}
    assert formats.content_hash(a) == formats.content_hash(b)
    assert formats.content_hash(a) != formats.content_hash(c)


def test_chat_example_constructor():
    obj = formats.chat_example([{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
                               system_prompt="S", tools=[{"type": "function", "function": {"name": "f"}}])
    assert obj["messages"][0] == {"role": "system", "content": "S"}
    assert obj["tools"][0]["function"]["name"] == "f"
    assert check_example(obj) == []
    # An existing system message is not doubled.
    again = formats.chat_example(obj["messages"], system_prompt="S")
    assert [m["role"] for m in again["messages"]] == ["system", "user", "assistant"]
