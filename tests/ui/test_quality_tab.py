"""The Data quality tab in the main window: its place, the Data menu, opening examples, undo."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.quality_support import add, chat
from workbench.core.store import Workspace
from workbench.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    ws = Workspace.open(tmp_path / "project.ftw")
    add(ws, [chat("Hi, I'm Carla, write to carla@example.com", "Done."), chat("Hi", "Hello!"), chat("Hi", "Hello!")])
    win = MainWindow(ws)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.check_task is not None and not win.check_task.running)
    yield win
    win.close()
    win.ws.close()


def _menu(win, title):
    return next(a.menu() for a in win.menuBar().actions() if a.text() == title)


def test_the_tab_sits_after_examples_and_the_data_menu_opens_each_page(window):
    win = window
    names = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert names.index("Data quality") == names.index("Examples") + 1
    actions = {a.text(): a for a in _menu(win, "&Data").actions()}
    assert actions["Find &Personal Data…"].shortcut().toString() == "Ctrl+Shift+D"
    for text, page in (("Find &Duplicates…", "duplicates"), ("&Standardise Greetings and Sign-offs…", "consistency"),
                       ("Assign S&plits…", "splits"), ("&Balance Report", "balance"),
                       ("Dataset &Versions…", "versions"), ("Find &Personal Data…", "pii")):
        actions[text].trigger()
        assert win.tabs.currentWidget() is win.quality_tab and win.quality_tab.current_page() == page


def test_edits_go_through_the_window_undo_stack_and_findings_open_examples(qtbot, window):
    win = window
    win.show_quality_page("duplicates")
    with qtbot.waitSignal(win.quality_tab.duplicates.find().finished, timeout=20000):
        pass
    assert win.quality_tab.duplicates.remove_marked()
    assert win.ws.count() == 2 and win.undo_stack.undoText() == "Remove 1 duplicate example"
    win.undo_stack.undo()
    assert win.ws.count() == 3

    pii = win.show_quality_page("pii")
    with qtbot.waitSignal(pii.scan().finished, timeout=20000):
        pass
    row = next(r for r in range(pii.model.rowCount()) if pii.model.finding(r).kind == "email")
    pii.table.doubleClicked.emit(pii.model.index(row, 3))
    assert win.tabs.currentWidget() is win.examples_tab
    assert win.examples_tab.editor.example_id == win.ws.ids()[0]
    assert pii.model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_jobs_tab_review_and_submission_reach_the_quality_tab(qtbot, window, tmp_path):
    from workbench.core.versions import create_version

    win = window
    win.jobs_tab.review_personal_data.emit()  # the user chose "Review Personal Data…" before an upload
    pii = win.quality_tab.pii
    assert win.tabs.currentWidget() is win.quality_tab and win.quality_tab.current_page() == "pii"
    assert pii.bar.running, "the scan starts at once"
    with qtbot.waitSignal(pii.bar.task.finished, timeout=20000):
        pass
    assert pii.model.kind_counts()["email"] == 1

    with Workspace.open(win.ws.path) as jobs_connection:  # a submission saves its version on its own connection
        create_version(jobs_connection, "Job 2026-11-22 14:05")
    win.jobs_tab.submission_finished.emit()
    assert win.quality_tab.versions.table.item(0, 0).text() == "Job 2026-11-22 14:05"

    other = Workspace.open(tmp_path / "other.ftw")
    win.set_workspace(other)
    assert pii.model.total() == 0 and win.quality_tab.versions.table.rowCount() == 0
