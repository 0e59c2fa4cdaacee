"""JSONL import: examples arrive exactly as written; a line that is not JSON stops the import."""

from __future__ import annotations

import json

import pytest

from tests.core.builders import chat
from workbench.core.importers import jsonl_source
from workbench.core.importers.base import ImportCancelled, ImportFailed, ImportReport
from workbench.core.importers.jsonl_source import JsonlOptions

LEGACY = {"prompt": "Where is my order? ->", "completion": " It ships tomorrow. END", "id": 7}
DPO = {
    "input": {"messages": [{"role": "user", "content": "Hi"}]},
    "preferred_output": [{"role": "assistant", "content": "Hello! How can I help?"}],
    "non_preferred_output": [{"role": "assistant", "content": "What."}],
}


def _write(tmp_path, *lines: str, name: str = "data.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _run(paths, options=None, **kw):
    report = ImportReport()
    items = list(jsonl_source.run(paths if isinstance(paths, list) else [paths], options or JsonlOptions(), report, **kw))
    return items, report


def test_every_format_is_kept_exactly_as_written(tmp_path):
    odd = {"metadata": {"k": 1}, "messages": chat(1)["messages"], "zz_unknown": [1, 2]}
    path = _write(tmp_path, json.dumps(chat(0)), json.dumps(LEGACY), json.dumps(DPO), json.dumps(odd))
    items, report = _run(path)
    assert [i.example for i in items] == [chat(0), LEGACY, DPO, odd]
    assert list(items[3].example) == ["metadata", "messages", "zz_unknown"]  # key order survives
    assert [i.source for i in items] == [{"file": str(path), "line": n, "format": "jsonl"} for n in (1, 2, 3, 4)]
    assert (report.source_format, report.item_name, report.items_read, report.produced) == ("jsonl", "lines", 4, 4)


def test_legacy_examples_are_converted_to_chat_when_asked(tmp_path):
    path = _write(tmp_path, json.dumps(LEGACY), json.dumps(chat(0)))
    items, report = _run(path, JsonlOptions(convert_legacy=True, system_prompt="You are Acme support."))
    assert items[0].example == {
        "messages": [
            {"role": "system", "content": "You are Acme support."},
            {"role": "user", "content": "Where is my order?"},
            {"role": "assistant", "content": "It ships tomorrow."},
        ],
        "id": 7,
    }
    assert items[1].example == chat(0)  # the system prompt is for converted examples only
    assert "Converted 1 prompt/completion examples to chat." in report.notes


def test_a_truncated_line_stops_the_import_naming_file_and_line(tmp_path):
    truncated = '{"messages": [{"role": "user", "content": "Where is my order?"},'
    path = _write(tmp_path, json.dumps(chat(0)), truncated, json.dumps(chat(2)))
    with pytest.raises(ImportFailed) as err:
        _run(path)
    failed = err.value
    assert (failed.file, failed.line) == (str(path), 2)
    text = str(failed)
    assert text.startswith(f"{path}, line 2: the line is not valid JSON")
    assert "cut off" in text and f"workbench validate {path}" in failed.hint


def test_a_line_that_is_not_an_object_stops_the_import(tmp_path):
    path = _write(tmp_path, json.dumps(chat(0)), "[1, 2]")
    with pytest.raises(ImportFailed, match="line 2: the line is a JSON list"):
        _run(path)


def test_invalid_utf8_and_binary_files_fail_plainly(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(json.dumps(chat(0)).encode() + b"\n" + '{"prompt": "caf\u00e9"}'.encode("cp1252") + b"\n")
    with pytest.raises(ImportFailed, match="not valid UTF-8") as err:
        _run(bad)
    assert err.value.line == 2
    binary = tmp_path / "x.jsonl"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(ImportFailed, match="binary file"):
        _run(binary)


def test_blank_lines_and_a_bom_are_reported_not_fatal(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(chat(0)).encode() + b"\n\n" + json.dumps(chat(1)).encode() + b"\n")
    items, report = _run(path)
    assert [i.example for i in items] == [chat(0), chat(1)]
    assert report.dropped["blank line"].first_ids == ["line 2"]
    assert any("byte-order mark" in n for n in report.notes)


@pytest.mark.parametrize(("data", "match"), [(b"", "no examples"), (b"\n \n", "only blank lines")])
def test_a_file_without_examples_fails(tmp_path, data, match):
    path = tmp_path / "e.jsonl"
    path.write_bytes(data)
    with pytest.raises(ImportFailed, match=match):
        _run(path)


def test_a_missing_file_fails_with_its_name(tmp_path):
    with pytest.raises(ImportFailed, match="does not exist") as err:
        _run(tmp_path / "nope.jsonl")
    assert err.value.file == str(tmp_path / "nope.jsonl")


def test_progress_reaches_the_total_and_cancel_stops(tmp_path):
    path = _write(tmp_path, *(json.dumps(chat(i)) for i in range(600)))
    seen: list[tuple[int, int]] = []
    items, _ = _run(path, progress=lambda d, t: seen.append((d, t)))
    assert len(items) == 600
    size = path.stat().st_size
    assert seen[-1] == (size, size)
    with pytest.raises(ImportCancelled):
        _run(path, cancel=lambda: True)


def test_several_files_in_order(tmp_path):
    a = _write(tmp_path, json.dumps(chat(0)), name="a.jsonl")
    b = _write(tmp_path, json.dumps(chat(1)), name="b.jsonl")
    items, report = _run([a, b])
    assert [i.source["file"] for i in items] == [str(a), str(b)]
    assert report.files == [str(a), str(b)]
