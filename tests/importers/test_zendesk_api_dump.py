"""Saved API responses: folder dumps, loose pages, and the real recorded audits."""

import json
import shutil
from pathlib import Path

import pytest

from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportFailed, ImportReport
from workbench.core.importers.zendesk import ZendeskOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"
DUMP = FIXTURES / "api_dump"
REAL_AUDITS = FIXTURES / "ticket-1-audits-include-users.json"
REAL_RATINGS = FIXTURES / "satisfaction-ratings.json"


def run_import(paths, **options):
    report = ImportReport()
    items = list(zendesk.run(paths, ZendeskOptions(**options), report))
    return items, report


def by_ticket(items):
    return {item.source["ticket_id"]: item for item in items}


def all_text(items) -> str:
    return "\n".join(m["content"] for item in items for m in item.example["messages"])


@pytest.fixture(scope="module")
def dump_import():
    return run_import([DUMP])


def test_folder_dump_converts_tickets_with_comments_from_other_files(dump_import):
    items, report = dump_import
    assert set(by_ticket(items)) == {201, 202, 203}
    assert report.source_format == "zendesk/api_json"
    assert report.items_read == 4  # 201 (saved twice, counted once), 202, 203, 204
    assert report.dropped["deleted ticket"].first_ids == ["204"]


def test_ticket_saved_twice_keeps_latest_state(dump_import):
    items, _ = dump_import
    item = by_ticket(items)[201]
    assert item.tags == ["billing", "refund"]
    assert item.source["file"] == str(DUMP / "tickets-2.json")


def test_comments_matched_by_file_name_and_page_links(dump_import):
    items, _ = dump_import
    t201 = by_ticket(items)[201].example["messages"]
    assert t201[0]["content"] == "I was charged twice for my March subscription."
    t202 = by_ticket(items)[202]
    assert [m["role"] for m in t202.example["messages"]] == ["user", "assistant"]
    assert t202.source["comment_ids"] == [20201, 20202]


def test_signatures_from_users_page_removed(dump_import):
    items, _ = dump_import
    assert by_ticket(items)[201].example["messages"][1]["content"].endswith("within 5 working days.")
    assert by_ticket(items)[202].example["messages"][1]["content"] == "The Pro plan allows 700 requests per minute."


def test_ticket_rebuilt_from_audits_without_a_ticket_record(dump_import):
    items, _ = dump_import
    item = by_ticket(items)[203]
    assert item.tags == ["admins"]
    assert item.source["file"] == str(DUMP / "audits-203.json")
    assert [m["content"] for m in item.example["messages"]] == [
        "How do I add a second admin to our account?",
        "Go to Admin > Team and choose Invite admin.",
    ]


def test_private_and_trigger_audit_comments_excluded(dump_import):
    items, report = dump_import
    text = all_text(items)
    assert "API-INTERNAL" not in text and "AUDIT-INTERNAL" not in text and "AUDIT-TRIGGER" not in text
    assert set(report.comments_dropped["internal note"].first_ids) == {"20102", "30321"}


def test_unrelated_pages_skipped_with_a_note(dump_import):
    _, report = dump_import
    assert any("groups.json" in note for note in report.notes)
    assert str(DUMP / "groups.json") not in report.files


def test_loose_page_files_work_like_a_folder():
    items, _ = run_import([DUMP / "tickets.json", DUMP / "ticket-201-comments.json", DUMP / "users.json"])
    assert set(by_ticket(items)) == {201}


def test_tickets_without_comments_dropped_with_a_note():
    items, report = run_import([DUMP / "tickets.json"])
    assert items == []
    assert set(report.dropped["no comments in the export"].first_ids) == {"201", "202"}
    assert any("without comments" in note for note in report.notes)


def test_comments_page_without_ticket_id_fails_with_advice(tmp_path):
    page = json.loads((DUMP / "comments-page-1.json").read_text(encoding="utf-8"))
    page["next_page"] = None
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    shutil.copy(DUMP / "tickets.json", tmp_path / "tickets.json")
    with pytest.raises(ImportFailed, match="ticket-123-comments.json"):
        run_import([tmp_path])


def test_plain_list_of_tickets_with_embedded_comments(tmp_path):
    lines = (FIXTURES / "admin_export.ndjson").read_text(encoding="utf-8").splitlines()
    tickets = [json.loads(line) for line in lines[:3]]
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(tickets, indent=2), encoding="utf-8")
    assert zendesk.sniff(path) == "api_json"
    items, report = run_import([path])
    assert set(by_ticket(items)) == {101, 102, 103}
    assert "INTERNAL-SECRET" not in all_text(items)
    assert items[0].source["format"] == "zendesk/api_json"


def test_single_ticket_response_and_search_results(tmp_path):
    ticket = json.loads((FIXTURES / "admin_export.ndjson").read_text(encoding="utf-8").splitlines()[0])
    (tmp_path / "one.json").write_text(json.dumps({"ticket": ticket}), encoding="utf-8")
    items, _ = run_import([tmp_path / "one.json"])
    assert [i.source["ticket_id"] for i in items] == [101]
    (tmp_path / "search.json").write_text(
        json.dumps({"results": [{**ticket, "result_type": "ticket"}], "count": 1, "next_page": None}), encoding="utf-8"
    )
    items, _ = run_import([tmp_path / "search.json"])
    assert [i.source["ticket_id"] for i in items] == [101]


def test_incremental_ticket_events_with_comment_events(tmp_path):
    doc = {
        "ticket_events": [
            {"id": 1, "ticket_id": 77, "created_at": "2024-03-01T09:00:00Z", "updater_id": 5001, "via": "Web form",
             "event_type": "Audit", "child_events": [
                 {"id": 11, "event_type": "Comment", "author_id": 5001, "body": "Is there a dark mode?", "public": True},
                 {"id": 12, "event_type": "Create", "field_name": "requester_id", "value": "5001"},
                 {"id": 13, "event_type": "Create", "field_name": "status", "value": "solved"}]},
            {"id": 2, "ticket_id": 77, "created_at": "2024-03-01T10:00:00Z", "updater_id": 9001, "via": "Rule",
             "event_type": "Audit", "child_events": [
                 {"id": 21, "event_type": "Comment", "author_id": 9001, "body": "We got your request.", "public": True}]},
            {"id": 3, "ticket_id": 77, "created_at": "2024-03-01T11:00:00Z", "updater_id": 9001, "via": "Web form",
             "event_type": "Audit", "child_events": [
                 {"id": 31, "event_type": "Comment", "author_id": 9001, "body": "Yes: Settings > Theme.", "public": True}]},
        ],
        "end_time": 1709290000, "end_of_stream": True, "count": 3,
    }
    (tmp_path / "events.json").write_text(json.dumps(doc), encoding="utf-8")
    items, report = run_import([tmp_path / "events.json"])
    assert [m["content"] for m in items[0].example["messages"]] == ["Is there a dark mode?", "Yes: Settings > Theme."]
    assert report.comments_dropped["automated message (trigger, automation or auto-reply)"].first_ids == ["21"]


def test_ratings_pages_feed_the_csat_filter(tmp_path):
    # The real ratings page rates ticket 35 "good" and ticket 93 only "offered".
    lines = (FIXTURES / "admin_export.ndjson").read_text(encoding="utf-8").splitlines()
    base = json.loads(lines[10])  # ticket 111: a plain question and answer
    tickets = []
    for tid in (35, 93):
        t = {**base, "id": tid, "satisfaction_rating": None}
        t["comments"] = [{**c, "id": tid * 1000 + i} for i, c in enumerate(base["comments"])]
        tickets.append(t)
    (tmp_path / "tickets.json").write_text(json.dumps({"tickets": tickets}), encoding="utf-8")
    shutil.copy(REAL_RATINGS, tmp_path / "satisfaction-ratings.json")
    items, report = run_import([tmp_path], csat="good")
    assert [i.source["ticket_id"] for i in items] == [35]
    assert report.dropped["satisfaction not rated good"].first_ids == ["93"]


# --- real recorded data ----------------------------------------------------------------------------


def test_real_audits_convert_with_private_comments_excluded():
    items, report = run_import([REAL_AUDITS], statuses=set())
    assert len(items) == 1
    item = items[0]
    text = all_text(items)
    assert "private comment" not in text
    assert "Hi!" not in text  # the other private comment
    assert set(report.comments_dropped["internal note"].first_ids) == {"21078972", "21267731"}
    messages = item.example["messages"]
    # The requester (an admin filing a sample ticket) is the customer; the other agent answers.
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"].startswith("This is the first comment.")
    assert "This is the latest comment for this ticket." in messages[0]["content"]
    assert set(messages[1]["content"].split("\n\n")) == {"test"}
    assert item.source["ticket_id"] == 1
    assert 21078922 in item.source["comment_ids"] and 21078972 not in item.source["comment_ids"]
    assert item.tags == ["tag2", "tag3"]  # the tags as the last audit on this page left them


def test_real_audits_status_is_pending_so_default_options_drop_it():
    items, report = run_import([REAL_AUDITS])
    assert items == []
    assert report.dropped["status pending (not selected)"].first_ids == ["1"]
