"""Per-example checks: the cookbook's checks for today's formats, plus tools, weights, images, DPO, legacy."""

from __future__ import annotations

import copy
import re

import pytest

from tests.core.builders import chat, dpo, function_chat, image_chat, legacy, tool_chat
from workbench.core.validation.example_checks import MAX_IMAGES, check_example
from workbench.core.validation.issues import CODES, Issue, Severity, make_issue

U = {"role": "user", "content": "Hello"}
A = {"role": "assistant", "content": "Hi, how can I help?"}


def msgs(*messages, **top):
    return {"messages": list(messages), **top}


def _call(cid="call_1", name="lookup", arguments='{"q": 1}'):
    return {"id": cid, "type": "function", "function": {"name": name, "arguments": arguments}}


def _dpo_with(**changes):
    obj = dpo(1)
    for key, value in changes.items():
        if value is ...:
            del obj[key]
        else:
            obj[key] = value
    return obj


# (test id, example, code, message index (1-based) or None, field or None)
CASES = [
    ("list instead of object", [U, A], "data_type", None, None),
    ("string instead of object", "hello", "data_type", None, None),
    ("no known keys", {"text": "hi", "label": 1}, "unknown_format", None, None),
    ("empty messages", msgs(), "missing_messages_list", None, "messages"),
    ("messages not a list", {"messages": "Hello"}, "missing_messages_list", None, "messages"),
    ("message not object", msgs("Hello", A), "message_not_object", 1, None),
    ("message without role", msgs({"content": "x"}, A), "message_missing_key", 1, "role"),
    ("message without content", msgs({"role": "user"}, A), "message_missing_key", 1, "content"),
    ("extra message key", msgs({**U, "mood": "angry"}, A), "message_unrecognized_key", 1, "mood"),
    ("unknown role", msgs({"role": "customer", "content": "x"}, A), "unrecognized_role", 1, "role"),
    ("null role", msgs({"role": None, "content": "x"}, A), "unrecognized_role", 1, "role"),
    ("empty content", msgs({"role": "user", "content": ""}, A), "missing_content", 1, "content"),
    ("whitespace content", msgs(U, {"role": "assistant", "content": "  \n "}), "missing_content", 2, "content"),
    ("null content without tool calls", msgs(U, {"role": "assistant", "content": None}), "missing_content", 2, "content"),
    ("empty parts list", msgs({"role": "user", "content": []}, A), "missing_content", 1, "content"),
    ("number content", msgs({"role": "user", "content": 42}, A), "invalid_content", 1, "content"),
    ("object content", msgs({"role": "user", "content": {"text": "x"}}, A), "invalid_content", 1, "content"),
    ("unknown part type", msgs({"role": "user", "content": [{"type": "audio", "data": "x"}]}, A),
     "invalid_content_part", 1, "content"),
    ("text part without text", msgs({"role": "user", "content": [{"type": "text"}]}, A), "invalid_content_part", 1, "content"),
    ("image part without url", msgs({"role": "user", "content": [{"type": "image_url", "image_url": {}}]}, A),
     "invalid_content_part", 1, "content"),
    ("part not object", msgs({"role": "user", "content": ["Hello"]}, A), "invalid_content_part", 1, "content"),
    ("name with space", msgs({**U, "name": "Alice Smith"}, A), "invalid_name", 1, "name"),
    ("name not text", msgs({**U, "name": 7}, A), "invalid_name", 1, "name"),
    ("no assistant", msgs({"role": "system", "content": "S"}, U), "example_missing_assistant_message", None, None),
    ("only tool-less system", msgs({"role": "system", "content": "S"}), "example_missing_assistant_message", None, None),
    ("all weights 0", msgs(U, {**A, "weight": 0}), "no_trainable_message", None, None),
    ("ends with user", msgs(U, A, U), "last_message_not_assistant", 3, None),
    ("weight 2", msgs(U, {**A, "weight": 2}), "invalid_weight", 2, "weight"),
    ("weight 0.5", msgs(U, {**A, "weight": 0.5}), "invalid_weight", 2, "weight"),
    ("weight true", msgs(U, {**A, "weight": True}), "invalid_weight", 2, "weight"),
    ("weight as text", msgs(U, {**A, "weight": "1"}), "invalid_weight", 2, "weight"),
    ("weight on user", msgs({**U, "weight": 1}, A), "invalid_weight", 1, "weight"),
    ("tool_calls not list", msgs(U, {"role": "assistant", "content": None, "tool_calls": {"id": "c"}}),
     "invalid_tool_calls", 2, "tool_calls"),
    ("tool call without id", msgs(U, {"role": "assistant", "content": None, "tool_calls": [{**_call(), "id": ""}]}),
     "invalid_tool_calls", 2, "tool_calls"),
    ("tool call without name", msgs(U, {"role": "assistant", "content": None, "tool_calls": [_call(name="")]}),
     "invalid_tool_calls", 2, "tool_calls"),
    ("arguments as object", msgs(U, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": {"q": 1}}}]}),
     "invalid_tool_calls", 2, "tool_calls"),
    ("arguments not JSON", msgs(U, {"role": "assistant", "content": None, "tool_calls": [_call(arguments="{q: 1")]}),
     "invalid_tool_calls", 2, "tool_calls"),
    ("tool reply to unknown call", msgs(U, {"role": "assistant", "content": None, "tool_calls": [_call("call_1")]},
                                        {"role": "tool", "tool_call_id": "call_9", "content": "x"}, A),
     "tool_call_id_unmatched", 3, "tool_call_id"),
    ("tool reply before its call", msgs(U, {"role": "tool", "tool_call_id": "call_1", "content": "x"},
                                        {"role": "assistant", "content": None, "tool_calls": [_call("call_1")]}, A),
     "tool_call_id_unmatched", 2, "tool_call_id"),
    ("tool reply without id", msgs(U, {"role": "assistant", "content": None, "tool_calls": [_call()]},
                                   {"role": "tool", "content": "x"}, A),
     "tool_message_missing_id", 3, "tool_call_id"),
    ("tools not list", msgs(U, A, tools={"type": "function"}), "invalid_tools", None, "tools"),
    ("tool not a function", msgs(U, A, tools=[{"type": "retrieval"}]), "invalid_tools", None, "tools"),
    ("tool without name", msgs(U, A, tools=[{"type": "function", "function": {"description": "x"}}]),
     "invalid_tools", None, "tools"),
    ("tool parameters not object", msgs(U, A, tools=[{"type": "function", "function": {"name": "f", "parameters": "x"}}]),
     "invalid_tools", None, "tools"),
    ("11 images", image_chat(MAX_IMAGES + 1), "too_many_images", None, None),
    ("image in assistant", msgs(U, {"role": "assistant", "content": [
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}), "image_in_assistant", 2, "content"),
    ("unknown top-level key", {**chat(), "label": "good"}, "unknown_key", None, "label"),
    ("dpo without input messages", _dpo_with(input={"messages": []}), "dpo_missing_input", None, "input"),
    ("dpo input not object", _dpo_with(input="Hi"), "dpo_missing_input", None, "input"),
    ("dpo missing preferred", _dpo_with(preferred_output=...), "dpo_invalid_output", None, "preferred_output"),
    ("dpo output not list", _dpo_with(preferred_output={"role": "assistant", "content": "x"}),
     "dpo_invalid_output", None, "preferred_output"),
    ("dpo two outputs", _dpo_with(non_preferred_output=[A, A]), "dpo_invalid_output", None, "non_preferred_output"),
    ("dpo output from user", _dpo_with(non_preferred_output=[U]), "dpo_invalid_output", None, "non_preferred_output"),
    ("dpo empty output", _dpo_with(preferred_output=[{"role": "assistant", "content": " "}]),
     "dpo_invalid_output", None, "preferred_output"),
    ("dpo identical", _dpo_with(non_preferred_output=dpo(1)["preferred_output"]), "dpo_identical_outputs", None, None),
    ("dpo input ends with reply", _dpo_with(input={"messages": [U, A]}), "dpo_input_ends_with_assistant", 2, None),
    ("dpo unknown input key", _dpo_with(input={"messages": [U], "context": "x"}), "unknown_key", None, "input"),
    ("dpo bad message in input", _dpo_with(input={"messages": [{"role": "boss", "content": "x"}]}),
     "unrecognized_role", 1, "role"),
    ("legacy prompt not text", {"prompt": 5, "completion": "x"}, "legacy_invalid_field", None, "prompt"),
    ("legacy no completion", {"prompt": "x"}, "legacy_invalid_field", None, "completion"),
    ("legacy empty completion", {"prompt": "x", "completion": "  "}, "legacy_empty_completion", None, "completion"),
]


@pytest.mark.parametrize(("obj", "code", "index", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_has_its_code_location_message_and_fix(obj, code, index, field):
    issues = check_example(obj, line=7)
    matching = [i for i in issues if i.code == code]
    assert matching, f"expected {code}, got {[i.code for i in issues]}"
    issue = matching[0]
    assert issue.severity is CODES[code].severity
    assert issue.line == 7
    assert issue.message_index == index
    assert issue.field == field
    assert issue.message.startswith("Line 7")
    if "{index}" in CODES[code].message:
        assert f"message {index}" in issue.message
    assert issue.fix.strip()
    # Nothing is left unformatted for the user to read.
    for text in (issue.message, issue.fix):
        assert not re.search(r"\{[a-z_]+(:[^}]*)?\}", text)


VALID = [
    ("plain chat", chat(1)),
    ("chat without system", chat(1, system=None)),
    ("developer role", msgs({"role": "developer", "content": "Be brief."}, U, A)),
    ("tools, null content with tool_calls, tool reply, name, weight", tool_chat()),
    ("tool_calls without a content key", msgs(U, {"role": "assistant", "tool_calls": [_call("c1")]},
                                              {"role": "tool", "tool_call_id": "c1", "content": "{}"}, A)),
    ("parallel tool calls answered in order", msgs(U, {"role": "assistant", "content": None,
                                                       "tool_calls": [_call("a"), _call("b")]},
                                                   {"role": "tool", "tool_call_id": "b", "content": "2"},
                                                   {"role": "tool", "tool_call_id": "a", "content": "1"}, A)),
    ("legacy functions", function_chat()),
    ("weight 0 on an earlier reply", msgs(U, {**A, "weight": 0}, U, {**A, "weight": 1})),
    ("text and image parts", image_chat(MAX_IMAGES)),
    ("refusal field", msgs(U, {"role": "assistant", "content": "No.", "refusal": "I can't help with that."})),
    ("metadata", {**chat(), "metadata": {"ticket": 1}}),
    ("dpo", dpo(3)),
    ("dpo with tool-call answer", _dpo_with(preferred_output=[{"role": "assistant", "content": None,
                                                               "tool_calls": [_call()]}])),
    ("legacy", legacy(2)),
    ("legacy with empty prompt", {"prompt": "", "completion": " yes"}),
]


@pytest.mark.parametrize("obj", [v[1] for v in VALID], ids=[v[0] for v in VALID])
def test_valid_examples_have_no_findings(obj):
    assert check_example(obj) == []


def test_checks_do_not_change_the_example():
    obj = tool_chat()
    before = copy.deepcopy(obj)
    check_example(obj)
    assert obj == before


def test_image_limit_is_per_example_not_per_message():
    six = [{"type": "image_url", "image_url": {"url": f"https://e.com/{n}.png"}} for n in range(6)]
    obj = msgs({"role": "user", "content": six}, A, {"role": "user", "content": six}, A)
    (issue,) = [i for i in check_example(obj) if i.code == "too_many_images"]
    assert "12 images" in issue.message and "at most 10" in issue.message


def test_messages_are_numbered_from_one_and_without_line_say_this_example():
    issues = check_example(msgs(U, {"role": "robot", "content": "x"}, A))
    (issue,) = issues
    assert issue.line is None
    assert issue.message == "This example, message 2 has the role 'robot'."


def test_every_finding_of_a_bad_example_is_reported_not_just_the_first():
    obj = msgs({"role": "customer", "content": ""}, {"role": "assistant", "content": "x", "weight": 3, "tone": "warm"})
    codes = sorted(i.code for i in check_example(obj))
    assert codes == sorted(["unrecognized_role", "missing_content", "invalid_weight", "message_unrecognized_key"])


@pytest.mark.parametrize("role", [["user"], {"name": "user"}])
def test_a_role_that_is_not_text_is_an_unknown_role_not_a_crash(role):
    issues = check_example(msgs({"role": role, "content": "x"}, A), line=4)
    assert "unrecognized_role" in [i.code for i in issues]


def test_codes_are_declared_with_severity_title_message_and_fix():
    assert len(CODES) >= 40
    for code, spec in CODES.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]+", code)
        assert isinstance(spec.severity, Severity)
        assert spec.title and spec.message and spec.fix
    # The cookbook's codes keep their names.
    for cookbook in ("data_type", "missing_messages_list", "message_missing_key", "message_unrecognized_key",
                     "unrecognized_role", "missing_content", "example_missing_assistant_message"):
        assert CODES[cookbook].severity is Severity.ERROR


def test_issue_json_has_location_and_drops_empty_fields_but_line():
    issue = make_issue("invalid_weight", line=3, index=2, field="weight", found="2")
    assert issue.to_json() == {
        "code": "invalid_weight", "severity": "error", "line": 3, "message_index": 2, "field": "weight",
        "message": "Line 3, message 2: 'weight' is 2; it must be 0 or 1, and only on assistant messages.",
        "fix": CODES["invalid_weight"].fix,
    }
    # --json promises a "line" on every finding: null for dataset-level ones.
    assert make_issue("empty_dataset").to_json() == {
        "code": "empty_dataset", "severity": "error", "line": None, "message": "The file has no examples.",
        "fix": "Choose a file with one example per line.",
    }
    assert isinstance(issue, Issue)
