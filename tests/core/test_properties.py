"""Properties: validation never raises on any bytes or JSON value; generated examples round-trip exactly."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.builders import key_orders
from workbench.core import formats
from workbench.core.jsonl import iter_lines, parse_line
from workbench.core.pricing import resolve_model
from workbench.core.store.workspace import NewExample, Workspace
from workbench.core.tokens import TokenCounter
from workbench.core.validation.dataset import DatasetValidator
from workbench.core.validation.example_checks import check_example
from workbench.core.validation.file_report import scan_file
from workbench.core.validation.issues import CODES, Severity

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies ----------------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=15,
)
# Values that look like the real thing often enough to get past the first checks.
words = st.sampled_from(["user", "assistant", "system", "developer", "tool", "function", "call_1", "", " ",
                         "text", "image_url", "function", "Hello", "{}", '{"a": 1}', "{oops"])
value = (words | json_values | st.sampled_from([0, 1, 2, None, True, [], {}])
         | st.lists(words, max_size=2) | st.dictionaries(words, words, max_size=2))
part = st.fixed_dictionaries({}, optional={"type": words, "text": value, "image_url": value | st.fixed_dictionaries(
    {"url": value})}) | value
content = value | st.lists(part, max_size=4)
tool_call = st.fixed_dictionaries({}, optional={
    "id": words | value, "type": words,
    "function": st.fixed_dictionaries({}, optional={"name": words | value, "arguments": words | value}) | value,
}) | value
message = st.fixed_dictionaries({}, optional={
    "role": words | value, "content": content, "name": value, "weight": value,
    "tool_calls": st.lists(tool_call, max_size=3) | value, "tool_call_id": words | value,
    "function_call": value, "refusal": value, "extra": value,
}) | value
messages = st.lists(message, max_size=6) | value
tool = st.fixed_dictionaries({}, optional={"type": words, "function": st.fixed_dictionaries({}, optional={
    "name": words | value, "description": value, "parameters": st.fixed_dictionaries({}, optional={
        "type": value, "properties": st.dictionaries(st.text(max_size=5), st.fixed_dictionaries({}, optional={
            "type": value, "description": value, "enum": st.lists(value, max_size=3) | value}) | value, max_size=3)}) | value,
}) | value}) | value
chat_like = st.fixed_dictionaries({"messages": messages}, optional={
    "tools": st.lists(tool, max_size=3) | value, "parallel_tool_calls": value, "functions": value, "extra": value})
dpo_like = st.fixed_dictionaries({}, optional={
    "input": st.fixed_dictionaries({}, optional={"messages": messages, "tools": st.lists(tool, max_size=2) | value,
                                                 "other": value}) | value,
    "preferred_output": st.lists(message, max_size=2) | value,
    "non_preferred_output": st.lists(message, max_size=2) | value,
    "metadata": value,
})
legacy_like = st.fixed_dictionaries({}, optional={"prompt": value, "completion": value, "x": value})
anything = json_values | chat_like | dpo_like | legacy_like


def _issues_are_declared(issues):
    for issue in issues:
        assert issue.code in CODES
        assert issue.severity is CODES[issue.code].severity
        assert isinstance(issue.message, str) and issue.message
        assert isinstance(issue.fix, str) and issue.fix
        json.dumps(issue.to_json())


# --- validation never raises ---------------------------------------------------------------------


@SETTINGS
@given(obj=anything)
def test_check_example_never_raises_on_any_json_value(obj):
    _issues_are_declared(check_example(obj, line=1))


COUNTER = TokenCounter("o200k_base")
SPEC = resolve_model("gpt-4o-mini")


@SETTINGS
@given(obj=anything)
def test_dataset_validator_never_raises_on_any_json_value(obj):
    v = DatasetValidator(spec=SPEC, counter=COUNTER)
    facts = v.put("k", obj, line=1)
    _issues_are_declared(facts.issues)
    assert facts.tokens is None or facts.tokens >= 0
    _issues_are_declared(v.dataset_issues())
    v.remove("k")
    assert (v.errors, v.warnings, len(v)) == (0, 0, 0)


@SETTINGS
@given(raw=st.binary(max_size=300), number=st.integers(min_value=1, max_value=10**6))
def test_parse_line_never_raises_on_any_bytes(raw, number):
    line = parse_line(number, raw)
    _issues_are_declared(line.issues)
    if not line.ok:
        assert line.obj is None
        assert line.issues
    assert all(i.line == number for i in line.issues)


@SETTINGS
@given(obj=anything)
def test_parse_line_reads_back_any_json_value(obj):
    line = parse_line(1, json.dumps(obj).encode() + b"\n")
    assert line.ok and line.issues == []
    assert line.obj == obj


lines = st.lists(
    st.binary(max_size=60)
    | anything.map(lambda o: json.dumps(o).encode())
    | st.sampled_from([b"", b"\r", b"\xef\xbb\xbf{}", b"[", b'{"prompt": "a", "completion": "b"}', b"\x00"]),
    max_size=8,
)


@SETTINGS
@given(chunks=lines, ending=st.sampled_from([b"\n", b"\r\n"]), final=st.booleans())
def test_scan_file_never_raises_on_any_bytes(tmp_path_factory, chunks, ending, final):
    path = tmp_path_factory.getbasetemp() / "any.jsonl"
    path.write_bytes(ending.join(chunks) + (ending if final else b""))
    report = scan_file(path, counter=COUNTER, spec=SPEC)
    _issues_are_declared(report.issues)
    json.dumps(report.to_json())
    if report.examples == 0:
        assert "empty_dataset" in {i.code for i in report.errors}


# --- round trips ---------------------------------------------------------------------------------

text = st.text(max_size=40)
key_text = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=10)


@st.composite
def valid_chat(draw):
    msgs = []
    if draw(st.booleans()):
        msgs.append({"role": draw(st.sampled_from(["system", "developer"])), "content": draw(text) + "S"})
    for _ in range(draw(st.integers(1, 3))):
        user = {"role": "user", "content": draw(text) + "?"}
        if draw(st.booleans()):
            user["name"] = draw(st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True))
        reply = {"role": "assistant", "content": draw(text) + "."}
        if draw(st.booleans()):
            reply["weight"] = draw(st.sampled_from([0, 1]))
        msgs += [user, reply]
    msgs[-1]["weight"] = 1
    # keys in any order, as other tools write them
    msgs = [dict(draw(st.permutations(list(m.items())))) for m in msgs]
    obj = {"messages": msgs}
    extra = draw(st.dictionaries(key_text.filter(lambda k: k not in formats.CHAT_TOP_KEYS), json_values, max_size=2))
    obj.update(extra)
    if draw(st.booleans()):
        obj["metadata"] = draw(json_values)
    return dict(draw(st.permutations(list(obj.items()))))


@SETTINGS
@given(obj=valid_chat())
def test_generated_chat_examples_round_trip_and_only_unknown_keys_are_reported(tmp_path_factory, obj):
    path = tmp_path_factory.getbasetemp() / "roundtrip.jsonl"
    path.write_text(json.dumps(obj) + "\n", encoding="utf-8")  # \u-escaped, spaced: not our own style
    (line,) = list(iter_lines(path))
    exported = formats.dumps(line.obj)
    back = json.loads(exported)
    assert back == obj and key_orders(back) == key_orders(obj)
    issues = check_example(back)
    assert all(i.severity is Severity.WARNING for i in issues), issues
    assert sorted(i.field for i in issues if i.code == "unknown_key") == sorted(formats.unknown_keys(obj))


@pytest.fixture(scope="module")
def shared_workspace(tmp_path_factory):
    w = Workspace.open(tmp_path_factory.mktemp("ws") / "props.ftw")
    yield w
    w.close()


@settings(max_examples=100, deadline=None)
@given(obj=valid_chat())
def test_generated_examples_round_trip_through_the_workspace(shared_workspace, obj):
    (i,) = shared_workspace.add_examples([NewExample(obj)])
    data = shared_workspace.get(i).data
    assert formats.dumps(data) == formats.dumps(obj)
    assert key_orders(data) == key_orders(obj)
