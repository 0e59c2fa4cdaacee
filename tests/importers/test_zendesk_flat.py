"""Flat exports without conversations: the admin CSV export and the real legacy export."""

from pathlib import Path

from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportReport
from workbench.core.importers.zendesk import ZendeskOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"
CSV = FIXTURES / "admin_export.csv"
LEGACY = FIXTURES / "legacy-exports-tickets.json"


def run_import(paths, **options):
    report = ImportReport()
    items = list(zendesk.run(paths, ZendeskOptions(**options), report))
    return items, report


def test_admin_csv_produces_nothing_and_says_which_export_to_use():
    items, report = run_import([CSV])
    assert items == []
    assert report.source_format == "zendesk/admin_csv"
    assert report.items_read == 5
    assert report.dropped["no conversation in this export (ticket fields only)"].first_ids == ["301", "302"]
    # display labels ("Deleted", "Open") are compared case-insensitively
    assert report.dropped["deleted ticket"].first_ids == ["303"]
    assert report.dropped["status open (not selected)"].first_ids == ["304"]
    assert report.dropped["tag spam (excluded)"].first_ids == ["305"]
    assert any("admin CSV export" in n and "no conversations" in n and "JSON" in n for n in report.notes)


def test_admin_csv_with_descriptions_gives_customer_messages_to_answer_by_hand():
    items, report = run_import([CSV], include_csv_description=True)
    assert [i.source["ticket_id"] for i in items] == ["301", "302"]
    assert items[1].example == {"messages": [{"role": "user", "content": 'Invoice, VAT "missing"'}]}
    assert items[1].tags == ["billing", "invoice"]
    assert items[1].source == {"file": str(CSV), "ticket_id": "302", "row": 3, "format": "zendesk/admin_csv"}
    assert report.produced == 2
    assert any("Write the agent's reply" in n for n in report.notes)


def test_admin_csv_filters_use_satisfaction_score_and_via_labels():
    items, report = run_import([CSV], include_csv_description=True, csat="good")
    assert [i.source["ticket_id"] for i in items] == ["301"]
    items, _ = run_import([CSV], include_csv_description=True, channels={"web"})
    assert [i.source["ticket_id"] for i in items] == ["302"]  # "Web form" is via.channel "web"


def test_admin_csv_description_column_used_when_present(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Id,Requester,Subject,Description,Status,Tags,Via,Created at\n"
        '7,Carla,Login broken,"I cannot log in.\nSince Monday.",Solved,login,Email,2024-03-04 09:12:44 +0000\n',
        encoding="utf-8",
    )
    assert zendesk.sniff(path) == "admin_csv"
    items, _ = run_import([path], include_csv_description=True)
    assert items[0].example["messages"][0]["content"] == "Login broken\n\nI cannot log in.\nSince Monday."


def test_real_legacy_export_recognised_and_handled_like_the_csv():
    assert zendesk.sniff(LEGACY) == "api_json"
    items, report = run_import([LEGACY])
    assert items == []
    assert report.source_format == "zendesk/legacy_export"
    assert report.items_read == 1000
    assert report.dropped["deleted ticket"].count == 652
    assert report.dropped["status new (not selected)"].count == 283
    assert report.dropped["no conversation in this export (ticket fields only)"].count == 65
    assert any("legacy ticket export" in n and "no conversations" in n for n in report.notes)


def test_real_legacy_export_subjects_on_request():
    items, report = run_import([LEGACY], include_csv_description=True, csat="good")
    # one closed ticket in the recording is rated "Good"
    assert len(items) == 1
    assert items[0].example["messages"][0]["role"] == "user"
    assert any("subject only" in n for n in report.notes)
