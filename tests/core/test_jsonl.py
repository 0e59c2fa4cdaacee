"""Defensive JSONL reading: every kind of bad line becomes a finding with its line and column."""

from __future__ import annotations

import json

import pytest

from tests.core.builders import chat
from workbench.core import jsonl
from workbench.core.jsonl import FileReadError, iter_lines, parse_line
from workbench.core.validation.issues import Severity


def _lines(tmp_path, data: bytes):
    p = tmp_path / "f.jsonl"
    p.write_bytes(data)
    return list(iter_lines(p))


def _codes(line):
    return [i.code for i in line.issues]


def test_good_lines_are_parsed_in_order_with_numbers(tmp_path):
    data = b"".join(json.dumps(chat(i)).encode() + b"\n" for i in range(3))
    lines = _lines(tmp_path, data)
    assert [(line.number, line.ok, line.issues) for line in lines] == [(1, True, []), (2, True, []), (3, True, [])]
    assert [line.obj for line in lines] == [chat(0), chat(1), chat(2)]
    assert sum(line.size for line in lines) == len(data)


def test_crlf_line_endings_and_missing_final_newline(tmp_path):
    data = json.dumps(chat(0)).encode() + b"\r\n" + json.dumps(chat(1)).encode()
    lines = _lines(tmp_path, data)
    assert [line.obj for line in lines] == [chat(0), chat(1)]
    assert all(not line.issues for line in lines)


def test_empty_file_has_no_lines(tmp_path):
    assert _lines(tmp_path, b"") == []


def test_bom_is_a_warning_and_the_line_still_parses(tmp_path):
    (line,) = _lines(tmp_path, b"\xef\xbb\xbf" + json.dumps(chat()).encode() + b"\n")
    assert line.ok and line.obj == chat()
    assert _codes(line) == ["bom"]
    assert line.issues[0].severity is Severity.WARNING
    assert line.issues[0].line == 1


def test_non_utf8_bytes_name_the_byte_and_column(tmp_path):
    text = '{"messages":[{"role":"user","content":"café"}]}'.encode("latin-1")
    lines = _lines(tmp_path, b'{"prompt":"a","completion":"b"}\n' + text + b"\n")
    bad = lines[1]
    assert not bad.ok
    assert _codes(bad) == ["invalid_utf8"]
    issue = bad.issues[0]
    assert issue.severity is Severity.ERROR and issue.line == 2
    column = text.index(b"\xe9") + 1
    assert issue.message == f"Line 2 is not valid UTF-8 (bad byte 0xe9 at column {column})."
    assert "UTF-8" in issue.fix


def test_blank_and_whitespace_lines_are_warnings_and_do_not_shift_numbers(tmp_path):
    data = json.dumps(chat(0)).encode() + b"\n\n   \t\n" + json.dumps(chat(1)).encode() + b"\n"
    lines = _lines(tmp_path, data)
    assert [(line.number, _codes(line)) for line in lines] == [(1, []), (2, ["blank_line"]), (3, ["blank_line"]), (4, [])]
    assert lines[1].issues[0].severity is Severity.WARNING
    assert lines[3].obj == chat(1)


def test_invalid_json_reports_the_parsers_column(tmp_path):
    lines = _lines(tmp_path, b'{"prompt": "a", "completion": "b"}\n{"prompt": "a" "completion": "b"}\n')
    bad = lines[1]
    assert not bad.ok and bad.obj is None
    (issue,) = bad.issues
    assert issue.code == "invalid_json" and issue.line == 2 and issue.severity is Severity.ERROR
    with pytest.raises(json.JSONDecodeError) as parser:
        json.loads('{"prompt": "a" "completion": "b"}')
    assert parser.value.colno == 16
    assert issue.message == f"Line 2 is not valid JSON: {parser.value.msg} (column 16)."


def test_truncated_last_line_says_it_was_cut_off(tmp_path):
    full = json.dumps(chat(0))
    assert full.endswith('"}]}')
    lines = _lines(tmp_path, (full + "\n" + full[:-2]).encode())  # the copy stopped after a message
    assert lines[0].ok
    (issue,) = lines[1].issues
    assert issue.code == "invalid_json"
    assert "cut off" in issue.message


def test_binary_file_is_reported_once_not_line_by_line(tmp_path):
    data = b"SQLite format 3\x00" + bytes(range(256)) * 50
    lines = _lines(tmp_path, data)
    assert len(lines) == 1
    assert _codes(lines[0]) == ["not_text"]
    assert "byte 15" in lines[0].issues[0].message


def test_over_long_line_is_skipped_and_later_lines_still_read(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(jsonl, "_CHUNK", 64)
    long_line = json.dumps({"prompt": "x" * 5000, "completion": "y"}).encode()
    data = json.dumps(chat(0)).encode() + b"\n" + long_line + b"\n" + json.dumps(chat(1)).encode() + b"\n"
    lines = _lines(tmp_path, data)
    assert [line.number for line in lines] == [1, 2, 3]
    assert _codes(lines[1]) == ["line_too_long"]
    assert lines[1].size == len(long_line) + 1
    assert "5 KB" in lines[1].issues[0].message
    assert lines[2].ok and lines[2].obj == chat(1)


def test_a_line_exactly_at_the_limit_is_read(tmp_path, monkeypatch):
    line = json.dumps({"prompt": "p", "completion": "c" * 100}).encode()
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", len(line))
    lines = _lines(tmp_path, line + b"\n" + line + b"\n")
    assert [x.ok for x in lines] == [True, True]


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_unreadable_paths_raise_file_read_error_with_a_plain_message(tmp_path, kind):
    path = tmp_path / "nope.jsonl" if kind == "missing" else tmp_path
    with pytest.raises(FileReadError) as err:
        list(iter_lines(path))
    assert str(path) in str(err.value)
    assert ("does not exist" if kind == "missing" else "folder") in str(err.value)


def test_very_deep_nesting_is_invalid_json_not_a_crash():
    line = parse_line(1, b"[" * 100_000 + b"]" * 100_000)
    assert not line.ok
    assert [i.code for i in line.issues] == ["invalid_json"]


def test_a_huge_number_is_a_finding_not_a_crash():
    # Python refuses to convert integers of more than 4300 digits (ValueError, not JSONDecodeError).
    line = parse_line(3, b'{"prompt": "a", "completion": "b", "id": ' + b"7" * 5000 + b"}")
    if not line.ok:
        assert [(i.code, i.line, i.severity) for i in line.issues] == [("invalid_json", 3, Severity.ERROR)]
