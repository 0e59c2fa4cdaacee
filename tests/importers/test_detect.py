"""Choosing the importer for what the user picked, and refusing what none can read."""

from __future__ import annotations

import json
import sys
import types

import pytest

from tests.core.builders import chat
from tests.importers.tabular_files import write_xlsx
from workbench.core.importers.base import ImportFailed
from workbench.core.importers.detect import detect_format

_ZENDESK = "workbench.core.importers.zendesk"


def _fake_zendesk(monkeypatch, answer=None):
    """Stand in for the Zendesk importer's sniff(), so these tests do not depend on it."""
    module = types.ModuleType(_ZENDESK)
    module.calls = []

    def sniff(path):
        module.calls.append(path)
        return answer(path) if callable(answer) else answer

    module.sniff = sniff
    monkeypatch.setitem(sys.modules, _ZENDESK, module)
    return module


@pytest.fixture(autouse=True)
def no_helpdesk_sniffer(monkeypatch):
    return _fake_zendesk(monkeypatch, None)


def _file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


@pytest.mark.parametrize("name", ["t.csv", "t.tsv", "t.txt", "T.CSV"])
def test_delimited_text_is_csv(tmp_path, name):
    assert detect_format([_file(tmp_path, name, "Question,Answer\nq,a\n")]) == "csv"


@pytest.mark.parametrize("name", ["w.xlsx", "w.xls"])
def test_workbooks_are_excel(tmp_path, name):
    xlsx = write_xlsx(tmp_path, "src.xlsx", {"S": [["Question", "Answer"]]})
    assert detect_format([_file(tmp_path, name, xlsx.read_bytes())]) == "excel"


def test_a_workbook_saved_with_a_csv_name_is_excel(tmp_path):
    xlsx = write_xlsx(tmp_path, "src.xlsx", {"S": [["Question", "Answer"]]})
    assert detect_format([_file(tmp_path, "export.csv", xlsx.read_bytes())]) == "excel"


@pytest.mark.parametrize(
    "first",
    [
        chat(0),
        {"prompt": "p", "completion": "c"},
        {"input": {"messages": []}, "preferred_output": [], "non_preferred_output": []},
    ],
)
@pytest.mark.parametrize("name", ["d.jsonl", "d.json", "d.ndjson"])
def test_training_files_are_jsonl(tmp_path, name, first):
    assert detect_format([_file(tmp_path, name, "\n" + json.dumps(first) + "\n")]) == "jsonl"


def test_a_jsonl_file_with_a_broken_first_line_goes_to_the_jsonl_importer(tmp_path):
    # which then names the line and the problem
    assert detect_format([_file(tmp_path, "d.jsonl", '{"messages": [\n')]) == "jsonl"


def test_the_helpdesk_sniffer_decides_for_csv_and_json(tmp_path, monkeypatch):
    fake = _fake_zendesk(monkeypatch, lambda p: "admin_csv" if p.suffix == ".csv" else "api_json")
    csv_path = _file(tmp_path, "tickets.csv", "Id,Subject,Description\n1,Hi,Body\n")
    json_path = _file(tmp_path, "tickets.json", '{"tickets": [{"id": 1, "subject": "Hi"}]}\n')
    assert detect_format([csv_path]) == "zendesk"
    assert detect_format([json_path]) == "zendesk"
    assert fake.calls == [csv_path, json_path]


def test_detection_works_without_the_helpdesk_importer(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, _ZENDESK, None)  # makes the import raise ImportError
    assert detect_format([_file(tmp_path, "t.csv", "Question,Answer\nq,a\n")]) == "csv"
    assert detect_format([_file(tmp_path, "d.jsonl", json.dumps(chat(0)))]) == "jsonl"


def test_a_sniffer_that_stumbles_means_a_plain_csv(tmp_path, monkeypatch):
    def broken(path):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")

    _fake_zendesk(monkeypatch, broken)
    assert detect_format([_file(tmp_path, "t.csv", "q,a\n")]) == "csv"


def test_a_folder_with_json_files_is_an_api_dump(tmp_path):
    folder = tmp_path / "dump"
    (folder / "tickets").mkdir(parents=True)
    (folder / "tickets" / "page1.json").write_text("{}")
    assert detect_format([folder]) == "zendesk"


def test_a_folder_without_json_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ImportFailed, match="no .json files"):
        detect_format([tmp_path])


@pytest.mark.parametrize(
    "line",
    [
        {"id": 1, "name": "Ann", "email": "ann@example.com", "role": "end-user"},
        {"users": [{"id": 1, "email": "ann@example.com", "role": "agent"}], "next_page": None},
    ],
)
def test_a_users_export_is_named_as_such(tmp_path, line):
    path = _file(tmp_path, "users.json", json.dumps(line) + "\n")
    with pytest.raises(ImportFailed, match="looks like a users export, not tickets") as err:
        detect_format([path])
    assert "tickets" in err.value.hint


def test_a_pretty_printed_users_page_is_named_as_such(tmp_path):
    path = _file(tmp_path, "users.json", json.dumps({"users": [{"email": "a@b.c", "role": "agent"}]}, indent=2))
    with pytest.raises(ImportFailed, match="users export"):
        detect_format([path])


def test_users_chosen_next_to_tickets_go_to_the_helpdesk_importer(tmp_path, monkeypatch):
    _fake_zendesk(monkeypatch, lambda p: "admin_json" if "tickets" in p.name else None)
    tickets = _file(tmp_path, "tickets.json", json.dumps({"id": 1, "subject": "Hi", "comments": []}) + "\n")
    users = _file(tmp_path, "users.json", json.dumps({"id": 2, "email": "a@b.c", "role": "agent"}) + "\n")
    assert detect_format([tickets, users]) == "zendesk"


def test_the_real_helpdesk_sniffer_is_used_when_present(tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, _ZENDESK)
    pytest.importorskip(_ZENDESK)
    admin_csv = _file(tmp_path, "export.csv", "Summation column,Id,Subject,Status\n,1,Hi,open\n")
    assert detect_format([admin_csv]) == "zendesk"
    assert detect_format([_file(tmp_path, "qa.csv", "Question,Answer\nq,a\n")]) == "csv"
    assert detect_format([_file(tmp_path, "train.jsonl", json.dumps(chat(0)) + "\n")]) == "jsonl"
    users = _file(tmp_path, "users.json", json.dumps({"id": 2, "name": "Ann", "email": "a@b.c", "role": "end-user"}) + "\n")
    with pytest.raises(ImportFailed, match="users export"):
        detect_format([users])


def test_other_json_is_refused_with_what_it_has(tmp_path):
    path = _file(tmp_path, "orgs.json", json.dumps({"id": 5, "name": "Acme", "domain_names": []}) + "\n")
    with pytest.raises(ImportFailed, match="neither a training file nor a Zendesk export") as err:
        detect_format([path])
    assert "'domain_names'" in str(err.value) and "'messages'" in err.value.hint


def test_a_json_list_is_refused_with_how_to_fix_it(tmp_path):
    path = _file(tmp_path, "examples.json", json.dumps([chat(0), chat(1)], indent=2))
    with pytest.raises(ImportFailed, match="one JSON list"):
        detect_format([path])


def test_missing_and_empty_files_are_refused(tmp_path):
    with pytest.raises(ImportFailed, match="does not exist"):
        detect_format([tmp_path / "nope.csv"])
    with pytest.raises(ImportFailed, match="the file is empty"):
        detect_format([_file(tmp_path, "e.jsonl", b"")])
    with pytest.raises(ImportFailed, match="no file"):
        detect_format([])


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not a file Fine-Tune Workbench can import"),
        ("notes.docx", b"PK\x03\x04\x14\x00", "zip archive"),
        ("export.zip", b"PK\x03\x04\x14\x00", "zip archive"),
        ("readme.md", b"# hello\n", "'.md' cannot be imported"),
        ("data.csv", b"\x00\x01\x02\x03binary", "not a text file"),
        ("data.json", b"\x00\x01\x02\x03binary", "not a text file"),
    ],
)
def test_unknown_and_binary_files_name_the_accepted_formats(tmp_path, name, data, match):
    with pytest.raises(ImportFailed, match=match) as err:
        detect_format([_file(tmp_path, name, data)])
    assert err.value.file == str(tmp_path / name)


def test_unknown_files_list_what_is_accepted(tmp_path):
    with pytest.raises(ImportFailed) as err:
        detect_format([_file(tmp_path, "readme.md", "# hi\n")])
    assert ".csv" in err.value.hint and ".xlsx" in err.value.hint and ".jsonl" in err.value.hint


def test_files_of_different_kinds_are_refused_together(tmp_path):
    a = _file(tmp_path, "a.csv", "Question,Answer\nq,a\n")
    b = _file(tmp_path, "b.jsonl", json.dumps(chat(0)))
    with pytest.raises(ImportFailed, match="a.csv is a CSV file; b.jsonl is a JSONL training file"):
        detect_format([a, b])
    assert detect_format([a, _file(tmp_path, "c.csv", "Question,Answer\nx,y\n")]) == "csv"
