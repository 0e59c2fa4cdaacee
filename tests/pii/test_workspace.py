"""Scanning a workspace, applying accepted findings as one undo step, and the audit log."""

import json

import pytest

from tests.pii.helpers import chat
from workbench.core.pii import (
    PiiSettings,
    apply_redactions,
    read_log,
    save_settings,
    scan_workspace,
    unredacted_pii_summary,
)
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample

RAW = ["carla@example.com", "(415) 555-0132", "4111 1111 1111 1111", "Carla", "dan@example.com", "Moreno"]


@pytest.fixture
def ws(tmp_path):
    with Workspace.open(tmp_path / "project.ftw") as ws:
        ws.add_examples([
            NewExample(chat("I'm Carla Moreno: carla@example.com, (415) 555-0132.", "Thanks Carla, noted."),
                       source={"ticket_id": 1, "customer_names": ["Carla Moreno"]}),
            NewExample(chat("Card 4111 1111 1111 1111 was charged twice.", "Refunded.")),
            NewExample(chat("How do I export to CSV?", "Settings > Data > Export.")),
            NewExample(chat("Mail dan@example.com please", "Done, I mailed dan@example.com.")),
        ], label="Import")
        save_settings(ws, PiiSettings(region="US"))
        yield ws


def _texts(ws) -> str:
    return json.dumps([r.data for r in ws.iter_records()])


def test_scan_finds_each_kind_with_context_and_names_from_provenance(ws):
    result = scan_workspace(ws)
    assert result.examples == 4 and result.examples_with_pii == 3
    assert dict(result.counts) == {"name": 2, "email": 3, "phone": 1, "card": 1}
    first = result.findings[0]
    assert (first.kind, first.value, first.role, first.message_index) == ("name", "Carla Moreno", "user", 1)
    assert first.before == "I'm " and first.after.startswith(": carla@")
    assert "carla@example.com" not in repr(result.findings[1]) and "c***@e***.com" in repr(result.findings[1])


def test_apply_is_one_undo_step_and_undo_redo_restore_the_text(ws):
    original = _texts(ws)
    findings = scan_workspace(ws).findings
    result = apply_redactions(ws, findings, numbered=True)
    assert result.examples == 3 and result.counts == {"CARD": 1, "EMAIL": 3, "NAME": 2, "PHONE": 1}
    redacted = _texts(ws)
    assert not any(v in redacted for v in RAW)
    assert "[NAME_1]: [EMAIL_1], [PHONE_1]" in redacted and "Thanks [NAME_1], noted." in redacted
    assert ws.undo_label() == "Redact personal data"
    assert ws.undo() == "Redact personal data"
    assert _texts(ws) == original
    assert ws.undo() == "Import"  # the redaction was exactly one step
    ws.redo()
    ws.redo()
    assert _texts(ws) == redacted


def test_audit_log_has_counts_and_never_a_value(ws):
    apply_redactions(ws, scan_workspace(ws).findings, label="Redact personal data (review)")
    entries = read_log(ws)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.label == "Redact personal data (review)" and entry.examples == 3
    assert entry.counts == {"CARD": 1, "EMAIL": 3, "NAME": 2, "PHONE": 1} and not entry.undone
    rows = ws.connection.execute("SELECT * FROM redaction_log").fetchall()
    dumped = json.dumps(rows)
    assert not any(v in dumped for v in RAW)
    for digits in ("4111", "555", "0132"):
        assert digits not in dumped
    ws.undo()
    assert read_log(ws)[0].undone  # undo reverts the text; the log keeps the record and says so


def test_only_accepted_findings_are_applied(ws):
    findings = scan_workspace(ws).findings
    accepted = [f for f in findings if f.kind != "name"]
    apply_redactions(ws, accepted)
    text = _texts(ws)
    assert "Carla Moreno" in text and "carla@example.com" not in text
    assert read_log(ws)[0].counts == {"CARD": 1, "EMAIL": 3, "PHONE": 1}


def test_findings_from_an_old_scan_skip_edited_and_deleted_examples(ws):
    findings = scan_workspace(ws).findings
    ids = ws.ids()
    ws.update_example(ids[3], chat("Mail dan@example.org please", "Done."))
    ws.delete_examples([ids[1]])
    result = apply_redactions(ws, findings)
    assert result.examples == 1 and result.skipped == 3  # two on the edited example, the card on the deleted one
    assert "dan@example.org" in _texts(ws)


def test_nothing_to_apply_makes_no_undo_step_and_no_log(ws):
    result = apply_redactions(ws, [])
    assert result.examples == 0 and result.edit_group is None
    assert ws.undo_label() == "Import" and read_log(ws) == []


def test_unredacted_summary_for_the_upload_warning(ws):
    assert unredacted_pii_summary(ws) == {"name": 2, "email": 3, "phone": 1, "card": 1}
    apply_redactions(ws, scan_workspace(ws).findings)
    assert unredacted_pii_summary(ws) == {}


def test_upload_warning_ignores_splits_that_are_never_uploaded(ws):
    before = unredacted_pii_summary(ws)
    with_pii = sorted({f.example_id for f in scan_workspace(ws).findings})
    ws.set_split(with_pii[:1], "test")
    after = unredacted_pii_summary(ws)
    assert sum(after.values()) < sum(before.values())
    assert unredacted_pii_summary(ws, splits=None) == before  # everything, when asked


def test_cancel_stops_the_scan_and_progress_is_reported(ws, monkeypatch):
    import workbench.core.pii.scanner as scanner

    monkeypatch.setattr(scanner, "REPORT_EVERY", 2)
    seen = []
    scan_workspace(ws, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4) and seen[0] == (2, 4)
    with pytest.raises(InterruptedError):
        scan_workspace(ws, cancel=lambda: True)


def test_large_redaction_is_still_one_step(tmp_path):
    with Workspace.open(tmp_path / "big.ftw") as ws:
        ws.add_examples([NewExample(chat(f"I am user{i}@example.com", "ok")) for i in range(2500)], label="Import")
        result = apply_redactions(ws, scan_workspace(ws, PiiSettings(region="US")).findings)
        assert result.examples == 2500 and result.counts == {"EMAIL": 2500}
        assert ws.undo() == "Redact personal data" and ws.undo_label() == "Import"
        assert "user0@example.com" in _texts(ws)
