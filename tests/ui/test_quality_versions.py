"""Versions page: create, list with jobs, compare against the current examples side by side, rename,
and a plain refusal to delete a version a job trained on."""

import pytest

from tests.ui.quality_support import Harness, add, chat
from workbench.core.store import Workspace
from workbench.core.store.ledger import Ledger
from workbench.core.versions import create_version, list_versions


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "versions.ftw")
    add(workspace, [chat(f"Where is my order {n}?", f"Order {n} ships today.") for n in range(6)])
    yield workspace
    workspace.close()


def _wait(qtbot, task):
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass


def test_create_then_compare_with_the_current_examples(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.show_page("versions")
    assert not page.empty.isHidden(), "an empty list explains what versions are"
    _wait(qtbot, page.create("Before cleanup", "as imported"))
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Before cleanup"
    assert page.table.item(0, 2).text() == "6" and page.table.item(0, 4).text() == "as imported"
    assert page.empty.isHidden() and "Saved" in page.message.text()

    ids = ws.ids()
    edited = chat("Where is my order 2?", "Order 2 left our warehouse this morning.")
    ws.update_example(ids[2], edited)
    ws.delete_examples([ids[4]])
    new = add(ws, [chat("Can I change my address?", "Yes, under Account > Addresses.")])[0]

    page.table.selectRow(0)
    _wait(qtbot, page.compare_selected_with_current())
    text = page.diff_summary.text()
    assert "<b>1</b> added · <b>1</b> removed · <b>1</b> changed · 4 unchanged" in text
    kinds = {(page.changes.change(r).kind, page.changes.change(r).example_id) for r in range(page.changes.rowCount())}
    assert kinds == {("added", new), ("removed", ids[4]), ("changed", ids[2])}

    changed_row = next(r for r in range(page.changes.rowCount()) if page.changes.change(r).kind == "changed")
    page.changes_view.selectRow(changed_row)
    assert "Order 2 ships today." in page.left.toPlainText()
    assert "left our warehouse" in page.right.toPlainText() and "(differs)" in page.right.toPlainText()
    page.changes_view.doubleClicked.emit(page.changes.index(changed_row, 0))
    assert h.jumps == [(ids[2],)]
    h.close()


def test_rename_and_delete_with_plain_messages(qtbot, ws):
    used = create_version(ws, "Trained on")
    Ledger(ws).new_job(base_model="gpt-4.1-mini", submission_tag="wb-1", provider_job_id="ftjob-1", version_id=used.id)
    create_version(ws, "Scratch")
    h = Harness(qtbot, ws)
    page = h.tab.versions
    assert page.table.rowCount() == 2
    assert page.table.item(1, 3).text() == "ftjob-1", "the jobs trained on a version are listed"

    assert not page.rename(used.id, "Scratch")  # taken
    assert page.message.text() and "Scratch" in page.message.text()
    assert page.rename(used.id, "Release 1", "the first model")
    assert [v.name for v in list_versions(ws)] == ["Scratch", "Release 1"]

    page.select("Release 1")
    assert not page.delete_selected(ask=False)
    assert "cannot be deleted" in page.message.text() and "ftjob-1" in page.message.text()
    page.select("Scratch")
    assert page.delete_selected(ask=False)
    assert [v.name for v in list_versions(ws)] == ["Release 1"] and page.table.rowCount() == 1
    h.close()


def test_a_version_made_elsewhere_shows_after_refresh(qtbot, ws, tmp_path):
    h = Harness(qtbot, ws)
    with Workspace.open(ws.path) as other:  # like the Jobs tab's own connection at submission
        create_version(other, "Job 2026-11-22 14:05")
    assert h.tab.versions.table.rowCount() == 0
    h.tab.refresh_versions()
    assert h.tab.versions.table.item(0, 0).text() == "Job 2026-11-22 14:05"
    h.close()
