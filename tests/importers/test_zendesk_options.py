"""ZendeskOptions: each filter and switch, with the reason the report shows."""

from datetime import date
from pathlib import Path

import pytest

from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportReport
from workbench.core.importers.zendesk import DEFAULT_EXCLUDED_TAGS, ZendeskOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk"
EXPORT = FIXTURES / "admin_export.ndjson"
USERS = FIXTURES / "users_export.ndjson"


def run_import(*paths, **options):
    report = ImportReport()
    items = list(zendesk.run(list(paths or [EXPORT]), ZendeskOptions(**options), report))
    return items, report


def ids(items) -> set:
    return {item.source["ticket_id"] for item in items}


def all_text(items) -> str:
    return "\n".join(m["content"] for item in items for m in item.example["messages"])


def test_defaults():
    o = ZendeskOptions()
    assert o.statuses == {"solved", "closed"}
    assert o.csat == "any"
    assert o.min_exchanges == 1
    assert {"spam", "closed_by_merge"} <= o.excluded_tags == set(DEFAULT_EXCLUDED_TAGS)
    assert o.date_from is None and o.date_to is None and o.channels is None
    assert o.system_prompt is None
    assert o.include_csv_description is False
    assert o.remove_signatures is True and o.remove_quoted is True


def test_statuses_filter_and_empty_means_any():
    items, report = run_import(statuses={"Open"})  # labels compare case-insensitively
    assert ids(items) == {105}
    assert report.dropped["status solved (not selected)"].count >= 1
    items, _ = run_import(statuses=set())
    assert 105 in ids(items)
    assert 104 not in ids(items)  # deleted stays out whatever the statuses


def test_deleted_dropped_even_when_asked_for():
    _, report = run_import(statuses={"deleted", "solved"})
    assert report.dropped["deleted ticket"].first_ids == ["104"]


def test_csat_good_keeps_only_good_ratings():
    items, report = run_import(csat="good")
    assert ids(items) == {101}
    assert "110" in report.dropped["satisfaction not rated good"].first_ids


def test_csat_rejects_unknown_value():
    with pytest.raises(ValueError, match="csat"):
        run_import(csat="great")


def test_min_exchanges():
    items, report = run_import(USERS, EXPORT, min_exchanges=2)
    assert ids(items) == {102, 115}
    assert "101" in report.dropped["fewer than 2 exchanges"].first_ids


def test_excluded_tags_are_configurable():
    items, report = run_import(excluded_tags={"Billing"})
    assert 106 in ids(items) and 107 in ids(items)  # spam/merged no longer excluded
    assert 109 not in ids(items)
    assert set(report.dropped["tag billing (excluded)"].first_ids) == {"102", "109"}


def test_date_range_on_created_at():
    items, report = run_import(date_from=date(2020, 1, 1))
    assert 112 not in ids(items)
    assert report.dropped["created before 2020-01-01"].first_ids == ["112"]
    items, report = run_import(date_to=date(2020, 1, 1))
    assert ids(items) == {112}
    assert report.dropped["created after 2020-01-01"].count == 10
    items, _ = run_import(date_from="2019-06-01", date_to="2019-06-01")  # ISO strings are accepted too
    assert ids(items) == {112}


def test_channels():
    items, report = run_import(channels={"web"})
    assert ids(items) == {103, 111}
    assert report.dropped["channel email (not selected)"].count == 9


def test_system_prompt_template():
    items, _ = run_import(system_prompt="You answer for {brand}. Ticket {ticket_id}: {subject} [{tags}] {unknown}")
    first = next(i for i in items if i.source["ticket_id"] == 101).example["messages"][0]
    assert first == {
        "role": "system",
        "content": "You answer for Acme. Ticket 101: Can't log in after password reset [login, password] {unknown}",
    }


def test_system_prompt_with_stray_brace_used_as_written():
    items, _ = run_import(system_prompt="Reply in JSON like {\"answer\": ...}")
    assert items[0].example["messages"][0]["content"] == "Reply in JSON like {\"answer\": ...}"


def test_plain_system_prompt():
    items, _ = run_import(system_prompt="You are Acme's support assistant.")
    assert all(i.example["messages"][0]["role"] == "system" for i in items)
    assert all(i.example["messages"][1]["role"] == "user" for i in items)


def test_cleaning_can_be_switched_off():
    items, _ = run_import(USERS, EXPORT, remove_quoted=False, remove_signatures=False)
    text = all_text(items)
    assert "QUOTED-HISTORY" in text
    assert "Support Lead | Acme Inc." in text or "Support Lead |" in text
    # internal notes and automated messages are never training data, whatever the switches
    assert "INTERNAL-SECRET" not in text and "TRIGGER-TEXT" not in text
