"""Bad input fails with a sentence naming the file, the line and what to do."""

import json
from pathlib import Path

import pytest

from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportFailed, ImportReport

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"
EXPORT = FIXTURES / "admin_export.ndjson"
LINES = EXPORT.read_bytes().splitlines(keepends=True)


def run_import(paths, options=None):
    report = ImportReport()
    return list(zendesk.run(paths, options, report)), report


def write(tmp_path, name, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_truncated_last_line_names_file_and_line(tmp_path):
    path = write(tmp_path, "export.json", b"".join(LINES[:3]) + LINES[3][:150])
    with pytest.raises(ImportFailed) as info:
        run_import([path])
    assert info.value.file == str(path) and info.value.line == 4
    assert "not complete JSON" in str(info.value) and "download" in str(info.value)


def test_bad_line_in_the_middle_fails_the_whole_import(tmp_path):
    path = write(tmp_path, "export.json", LINES[0] + b"{oops\n" + LINES[1])
    with pytest.raises(ImportFailed, match="line 2"):
        run_import([path])


def test_blank_lines_are_fine(tmp_path):
    path = write(tmp_path, "export.json", LINES[0] + b"\n\r\n" + LINES[1])
    items, report = run_import([path])
    assert report.items_read == 2


def test_utf8_bom_accepted(tmp_path):
    path = write(tmp_path, "export.json", b"\xef\xbb\xbf" + b"".join(LINES))
    items, _ = run_import([path])
    assert items[0].source["ticket_id"] == 101


def test_latin1_bytes_fail_with_line_and_advice(tmp_path):
    bad = LINES[1].replace(b"Leeds", "Léeds".encode("latin-1"))
    path = write(tmp_path, "export.json", LINES[0] + bad)
    with pytest.raises(ImportFailed) as info:
        run_import([path])
    assert info.value.line == 2
    assert "not UTF-8" in str(info.value) and "UTF-8" in info.value.hint


def test_latin1_api_page_fails_with_line(tmp_path):
    text = (FIXTURES / "api_dump" / "tickets.json").read_text(encoding="utf-8").replace("Refund", "Réfund")
    path = write(tmp_path, "tickets.json", text.encode("latin-1"))
    with pytest.raises(ImportFailed) as info:
        run_import([path])
    assert info.value.line is not None and info.value.line > 1


def test_utf16_file_fails_clearly(tmp_path):
    path = write(tmp_path, "export.json", b"".join(LINES[:2]).decode("utf-8").encode("utf-16"))
    with pytest.raises(ImportFailed, match="UTF-16"):
        run_import([path])


def test_broken_api_page_names_line(tmp_path):
    text = (FIXTURES / "api_dump" / "tickets.json").read_text(encoding="utf-8")
    path = write(tmp_path, "tickets.json", text[: len(text) // 2].encode("utf-8"))
    with pytest.raises(ImportFailed) as info:
        run_import([path])
    assert info.value.line is not None and "not valid JSON" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path, "export.json", content)
    with pytest.raises(ImportFailed, match="the file is empty|The file is empty"):
        run_import([path])


def test_users_export_alone_is_refused_with_advice():
    with pytest.raises(ImportFailed) as info:
        run_import([FIXTURES / "users_export.ndjson"])
    assert "users export, not tickets" in str(info.value)
    assert "tickets export" in info.value.hint


def test_users_api_page_alone_is_refused():
    with pytest.raises(ImportFailed, match="users export"):
        run_import([FIXTURES / "api_dump" / "users.json"])


def test_users_line_inside_a_tickets_export(tmp_path):
    user_line = (FIXTURES / "users_export.ndjson").read_bytes().splitlines(keepends=True)[0]
    path = write(tmp_path, "export.json", LINES[0] + user_line)
    with pytest.raises(ImportFailed, match="users export") as info:
        run_import([path])
    assert info.value.line == 2


def test_not_zendesk_file_is_refused(tmp_path):
    path = write(tmp_path, "train.jsonl", json.dumps({"messages": []}).encode() + b"\n")
    with pytest.raises(ImportFailed, match="not a Zendesk"):
        run_import([path])


def test_missing_file_and_no_files(tmp_path):
    with pytest.raises(ImportFailed, match="does not exist"):
        run_import([tmp_path / "gone.json"])
    with pytest.raises(ImportFailed, match="No files"):
        run_import([])


def test_folder_without_tickets(tmp_path):
    (tmp_path / "notes.json").write_text('{"groups": []}', encoding="utf-8")
    with pytest.raises(ImportFailed, match="No Zendesk tickets"):
        run_import([tmp_path])


def test_odd_values_do_not_crash(tmp_path):
    ticket = json.loads(LINES[0])
    ticket["comments"] = [None, 7, {"id": 1}, *ticket["comments"]]
    ticket["tags"] = "not-a-list"
    ticket["via"] = None
    ticket["satisfaction_rating"] = "good"
    ticket["requester"] = "carla"
    path = write(tmp_path, "export.json", json.dumps(ticket).encode() + b"\n")
    items, report = run_import([path])
    assert report.items_read == 1
