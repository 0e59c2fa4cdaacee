"""Personal data page: scan, review (reject one), redact as one undo step, audit log with counts only."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.quality_support import Harness, add, chat
from workbench.core.pii import load_settings
from workbench.core.store import Workspace
from workbench.ui.quality.pii_findings_model import FindingsModel, LocationRole

EMAIL = "carla.moreno@example.com"
PHONE = "+44 20 7946 0958"
CARD = "4111 1111 1111 1111"


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "pii.ftw")
    add(workspace, [
        chat(f"Hi, I'm Carla Moreno, write to {EMAIL} or call {PHONE}.", f"Hello Carla, I wrote to {EMAIL} just now."),
        chat(f"My card {CARD} was charged twice for order ORD-123456.", "Sorry about that, the refund is on its way."),
        chat("How do I export my notes?", "Go to Settings > Export and choose a format."),
    ], sources=[{"customer_names": ["Carla Moreno"]}, None, None])
    yield workspace
    workspace.close()


def _scan(qtbot, page):
    with qtbot.waitSignal(page.scan().finished, timeout=20000):
        pass


def _row(model: FindingsModel, kind: str) -> int:
    return next(r for r in range(model.rowCount()) if model.finding(r).kind == kind)


def test_scan_reject_one_redact_as_one_step_then_undo(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.show_page("pii")
    page.settings.region.setCurrentIndex(page.settings.region.findData("GB"))
    _scan(qtbot, page)
    kinds = page.model.kind_counts()
    assert kinds["email"] == 2 and kinds["phone"] == 1 and kinds["card"] == 1 and kinds["name"] >= 1
    assert "Found" in page.summary.text()

    # The reviewer decides the phone number stays (unticks it).
    phone = page.model.index(_row(page.model, "phone"), 0)
    assert page.model.setData(phone, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.apply_button.isEnabled() and page.apply_button.text() == f"Redact {page.model.total() - 1} Accepted"
    before = [ws.get(i).data for i in ws.ids()]
    assert page.apply()

    first, second, third = (ws.get(i).data["messages"] for i in ws.ids())
    assert EMAIL not in first[1]["content"] and "[EMAIL]" in first[1]["content"]
    assert PHONE in first[1]["content"], "the rejected finding is left as it was"
    assert "Carla" not in first[2]["content"] and "[NAME]" in first[2]["content"]
    assert CARD not in second[1]["content"] and "[CARD]" in second[1]["content"]
    assert third[2]["content"] == "Go to Settings > Export and choose a format."
    assert h.undo_stack.count() == 1, "the whole redaction is one undo step"
    assert "Replaced" in page.bar.message.text()

    # The audit log holds counts and labels, never a raw value.
    assert page.audit.rowCount() == 1
    audit_text = " ".join(page.audit.item(0, c).text() for c in range(page.audit.columnCount()))
    assert "[EMAIL] 2" in audit_text and "applied" in audit_text
    for raw in (EMAIL, PHONE, CARD, "Carla"):
        assert raw not in audit_text

    # The rejected phone number is remembered as not personal data.
    assert load_settings(ws).allowed

    h.undo_stack.undo()
    assert [ws.get(i).data for i in ws.ids()] == before
    qtbot.waitUntil(lambda: page.audit.item(0, 4).text() == "undone")
    h.close()


def test_reject_all_of_one_kind_and_jump_to_the_example(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.show_page("pii")
    _scan(qtbot, page)
    page.show_kind("email")
    assert page.model.rowCount() == 2
    page.reject_shown.click()
    page.show_kind(None)
    assert {f.kind for f in page.model.rejected()} == {"email"}
    assert all(f.kind != "email" for f in page.model.accepted())

    index = page.model.index(_row(page.model, "card"), 3)
    page.table.doubleClicked.emit(index)
    card_example = ws.ids()[1]
    assert h.jumps[-1] == (card_example, 2), "the example and its (1-based) message"
    assert index.data(LocationRole) == (card_example, 2)
    h.close()


def test_settings_are_saved_and_a_bad_pattern_is_explained(qtbot, ws):
    h = Harness(qtbot, ws)
    panel = h.tab.pii.settings
    panel.pattern_name.setText("order number")
    panel.pattern_regex.setText("ORD-(\\d{6}")
    assert not panel.add_pattern()
    assert not panel.pattern_error.isHidden()
    assert "not a valid regular expression" in panel.pattern_error.text()
    assert load_settings(ws).patterns == ()

    panel.pattern_regex.setText("ORD-\\d{6}")
    assert panel.add_pattern()
    assert panel.pattern_error.isHidden() and panel.patterns.count() == 1
    panel.kind_boxes["ip"].setChecked(False)
    panel.numbered.setChecked(True)
    panel.names.setPlainText("David Okafor\n")
    panel.flush()
    saved = load_settings(ws)
    assert [p.name for p in saved.patterns] == ["order number"]
    assert "ip" not in saved.kinds and saved.numbered and saved.names == ("David Okafor",)

    page = h.tab.pii
    _scan(qtbot, page)
    assert page.model.kind_counts()["order number"] == 1
    panel.patterns.setCurrentRow(0)
    panel.remove_pattern()
    assert load_settings(ws).patterns == ()
    assert "scan again" in page.bar.message.text()
    h.close()


def test_numbered_redaction_on_a_worker_lands_as_one_step(qtbot, ws):
    h = Harness(qtbot, ws, background_from=1)  # every edit takes the background path
    page = h.tab.pii
    page.settings.numbered.setChecked(True)
    _scan(qtbot, page)
    assert page.apply()
    qtbot.waitUntil(lambda: h.undo_stack.count() == 1 and "Replaced" in page.bar.message.text(), timeout=10000)
    assert "[EMAIL_1]" in ws.get(ws.ids()[0]).data["messages"][2]["content"]
    h.close()


def test_a_clean_workspace_says_so(qtbot, tmp_path):
    with Workspace.open(tmp_path / "clean.ftw") as clean:
        add(clean, [chat("How do I export?", "Use Settings > Export.")])
        h = Harness(qtbot, clean)
        _scan(qtbot, h.tab.pii)
        assert "No personal data found" in h.tab.pii.summary.text()
        assert not h.tab.pii.apply_button.isEnabled()
        h.close()


def test_a_scan_can_be_cancelled(qtbot, ws, monkeypatch):
    import threading

    started = threading.Event()

    def endless(_ws, _settings, *, progress, cancel):  # stands in for a scan of a very large workspace
        started.set()
        while not cancel():
            progress(1, 100)
            threading.Event().wait(0.005)
        raise InterruptedError("PII scan cancelled")

    monkeypatch.setattr("workbench.ui.quality.pii_page.scan_workspace", endless)
    h = Harness(qtbot, ws)
    page = h.tab.pii
    task = page.scan()
    qtbot.waitUntil(started.is_set)
    qtbot.waitUntil(lambda: page.bar.progress.maximum() == 100)
    assert not page.bar.cancel.isHidden() and not page.bar.button.isEnabled()
    with qtbot.waitSignal(task.finished, timeout=10000):
        page.bar.cancel.click()
    assert page.bar.message.text() == "Cancelled; nothing was changed."
    assert page.bar.cancel.isHidden() and page.bar.button.isEnabled() and page.model.total() == 0
    h.close()
