"""sniff(): which Zendesk export a file is, from its first 64 KB."""

import json
from pathlib import Path

import pytest

from workbench.core.importers.zendesk import sniff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("admin_export.ndjson", "admin_json"),
        ("users_export.ndjson", "admin_json"),  # recognised, so the importer can say what it is
        ("admin_export.csv", "admin_csv"),
        ("api_dump", "api_json"),
        ("api_dump/tickets.json", "api_json"),
        ("api_dump/comments-page-1.json", "api_json"),
        ("api_dump/audits-203.json", "api_json"),
        ("api_dump/users.json", "api_json"),
        ("ticket-1-audits-include-users.json", "api_json"),
        ("legacy-exports-tickets.json", "api_json"),
        ("satisfaction-ratings.json", "api_json"),
    ],
)
def test_fixtures(name, expected):
    assert sniff(FIXTURES / name) == expected


def test_single_line_api_page(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"tickets": [], "after_cursor": "x", "end_of_stream": True}), encoding="utf-8")
    assert sniff(path) == "api_json"


def test_ndjson_ticket_line_longer_than_the_head(tmp_path):
    ticket = json.loads((FIXTURES / "admin_export.ndjson").read_text(encoding="utf-8").splitlines()[0])
    ticket["comments"][0]["body"] = "x" * 100_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(ticket) + "\n", encoding="utf-8")
    assert sniff(path) == "admin_json"


@pytest.mark.parametrize(
    "content",
    [
        "",
        "   \n",
        '{"messages": [{"role": "user", "content": "hi"}]}\n',
        '{"prompt": "a", "completion": "b"}\n',
        "question,answer\nhow?,like this\n",
        "[1, 2, 3]",
        "not json at all",
    ],
)
def test_not_zendesk(tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    assert sniff(path) is None


def test_missing_file_and_empty_folder(tmp_path):
    assert sniff(tmp_path / "nope.json") is None
    assert sniff(tmp_path) is None


def test_bom_is_ignored(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "admin_export.ndjson").read_bytes())
    assert sniff(path) == "admin_json"
