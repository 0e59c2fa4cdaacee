"""Reading examples for the checks: normalising, JSONL files (tags, bad lines) and workspaces."""

import pytest

from tests.quality.helpers import add, convo
from workbench.core.quality import JsonlRecords, UnreadableInput, WorkspaceRecords
from workbench.core.quality.text import conversation_key, normalise, template_words


def test_normalising_folds_case_punctuation_and_spacing_but_keeps_numbers():
    assert normalise("Hello,  WORLD!\n\tIt's  done.") == "hello world it s done"
    assert normalise("Ünïcödé — “quotes”, snake_case") == "ünïcödé quotes snake case"
    assert normalise("order 12") != normalise("order 13")
    assert template_words("Order #1234 ships on 5/6") == ["order", "0", "ships", "on", "0", "0"]


def test_conversation_key_ignores_the_system_prompt_only_when_asked():
    a, b = convo("Where is it?", "On its way."), convo("where is it", "on its way", system="Other prompt.")
    assert conversation_key(a) != conversation_key(b)
    assert conversation_key(a, ignore_system=True) == conversation_key(b, ignore_system=True)


def test_jsonl_records_number_lines_skip_blanks_and_read_tags_from_metadata(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"messages": [], "metadata": {"tier": "gold", "tags": ["vip", 3]}}\n\n{"messages": []}\n', "utf-8")
    records = list(JsonlRecords(path))
    assert [r.id for r in records] == [1, 3]
    assert records[0].tags == ("tier:gold", "vip")
    assert records[1].tags == ()
    assert len(JsonlRecords(path)) == 2


def test_a_truncated_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"messages": []}\n{"messages": [{"role": "user", "content": "hel\n', "utf-8")
    with pytest.raises(UnreadableInput) as info:
        list(JsonlRecords(path))
    message = str(info.value)
    assert str(path) in message and "line 2" in message and "cut off" in message
    assert "workbench validate" in message


def test_a_line_that_is_not_an_object_and_a_missing_file(tmp_path):
    path = tmp_path / "list.jsonl"
    path.write_text("[1, 2]\n", "utf-8")
    with pytest.raises(UnreadableInput, match="line 1: the line is not one example object"):
        list(JsonlRecords(path))
    with pytest.raises(UnreadableInput, match="does not exist"):
        list(JsonlRecords(tmp_path / "nope.jsonl"))


def test_workspace_records_leave_out_excluded_and_deleted_examples(ws):
    ids = add(ws, [convo(f"q{i}", f"a{i}") for i in range(4)], tags=[["tier:gold"], [], [], []])
    ws.set_split([ids[1]], "excluded")
    ws.delete_examples([ids[2]])
    source = WorkspaceRecords(ws)
    records = list(source)
    assert [r.id for r in records] == [ids[0], ids[3]]
    assert records[0].tags == ("tier:gold",) and len(source) == 2
    assert [r.id for r in WorkspaceRecords(ws, include_excluded=True)] == [ids[0], ids[1], ids[3]]


def test_copy_lines_keeps_lines_byte_for_byte_and_drops_a_bom_and_blank_lines(tmp_path):
    from workbench.core.quality.jsonl_out import copy_lines

    source = tmp_path / "in.jsonl"
    source.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n{"b":  2}\r\n{"c": 3}')
    outputs = {"odd": tmp_path / "odd.jsonl", "even": tmp_path / "even.jsonl"}
    written = copy_lines(source, outputs, lambda n: None if n == 4 else "odd" if n % 2 else "even")
    assert written == {"odd": 2, "even": 0}  # line 2 is blank, line 4 dropped
    assert outputs["odd"].read_bytes() == b'{"a": 1}\n{"b":  2}\r\n'
    assert outputs["even"].read_bytes() == b""
    assert copy_lines(source, {"all": tmp_path / "all.jsonl"}, lambda n: "all") == {"all": 3}
    assert (tmp_path / "all.jsonl").read_bytes() == b'{"a": 1}\n{"b":  2}\r\n{"c": 3}\n'
