"""Bulk edits of thousands of rows run off the GUI thread and still land as one undo step."""

import pytest

from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.ui import background_edit
from workbench.ui.main_window import MainWindow

ROWS = 60


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    # A low threshold keeps the test quick while exercising the background path.
    monkeypatch.setattr("workbench.ui.main_window.BACKGROUND_FROM", 10)
    ws = Workspace.open(tmp_path / "bulk.ftw")
    ws.add_examples([NewExample({"messages": [{"role": "user", "content": f"q{i}"},
                                              {"role": "assistant", "content": f"a{i}"}]}) for i in range(ROWS)])
    win = MainWindow(ws)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.check_task is not None and not win.check_task.running)
    yield win
    win.close()
    win.ws.close()


def _select_all(win):
    win.examples_tab.table.selectAll()
    assert len(win.examples_tab.selected_ids()) == ROWS


def test_select_all_delete_runs_in_background_and_undoes_in_one_step(qtbot, window):
    win = window
    _select_all(win)
    win.delete_selected()
    task = win.edit_task
    assert task is not None and task.running  # not done on the GUI thread
    assert not win.progress.isHidden()  # a busy bar; no Cancel: the edit is one transaction
    assert win.cancel_button.isHidden()
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert win.ws.count() == 0
    qtbot.waitUntil(lambda: win.examples_tab.model.rowCount() == 0)
    assert win.undo_stack.count() == 1 and win.undo_stack.undoText() == f"Delete {ROWS} examples"
    win.undo_stack.undo()
    assert win.ws.count() == ROWS
    qtbot.waitUntil(lambda: win.examples_tab.model.rowCount() == ROWS)
    win.undo_stack.redo()
    assert win.ws.count() == 0


def test_other_edits_wait_while_a_background_edit_runs(qtbot, window):
    win = window
    _select_all(win)
    win.set_split_selected("validation")
    task = win.edit_task
    win.delete_selected()  # refused, with a message, instead of interleaving with the running edit
    assert "Wait until" in win.statusBar().currentMessage()
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert win.ws.count() == ROWS and win.ws.count("validation") == ROWS
    assert win.undo_stack.count() == 1


def test_a_failed_background_edit_changes_nothing_and_says_why(qtbot, window):
    win = window
    before = win.ws.count()

    def explode(ws):
        ws.delete_examples(ws.ids()[:5], "half done")  # would be written, but the transaction rolls back
        raise ValueError("the disk is full")

    def work(ws):
        with ws.batch("Broken edit"):
            explode(ws)

    task = win.run_edit("Broken edit", 100, work, title="Breaking")
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert win.ws.count() == before
    assert win.undo_stack.count() == 0
    assert "the disk is full" in win.statusBar().currentMessage()


def test_an_edit_that_changes_nothing_adds_no_undo_step(qtbot, window):
    win = window
    task = win.run_edit("Nothing", 100, lambda ws: None)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert win.undo_stack.count() == 0


def test_background_threshold_is_in_the_thousands():
    assert background_edit.BACKGROUND_FROM >= 1000


def test_a_small_edit_that_changes_nothing_leaves_the_previous_undo_step_alone(qtbot, window):
    win = window
    first = win.ws.ids()[:3]
    win.run_edit("Tag three", 3, lambda ws: ws.add_tag(first, "vip", "Tag three"))
    assert win.undo_stack.count() == 1
    win.run_edit("Tag again", 3, lambda ws: ws.add_tag(first, "vip", "Tag again"))  # already tagged: no change
    assert win.undo_stack.count() == 1 and win.undo_stack.undoText() == "Tag three"
    win.undo_stack.undo()
    assert all("vip" not in tags for tags in win.ws.tags_of(first).values())


def test_undo_and_redo_of_a_big_step_run_in_the_background(qtbot, window):
    win = window
    _select_all(win)
    win.delete_selected()
    with qtbot.waitSignal(win.edit_task.finished, timeout=10000):
        pass
    task = win.undo_redo(undo=True)
    assert task is not None and task.running  # not on the GUI thread
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert win.ws.count() == ROWS and win.undo_stack.index() == 0 and win.undo_stack.canRedo()
    qtbot.waitUntil(lambda: win.examples_tab.model.rowCount() == ROWS)
    task = win.undo_redo(undo=False)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert win.ws.count() == 0 and win.undo_stack.index() == 1
    # A small step is still undone at once.
    win.run_edit("Nothing big", 1, lambda ws: ws.add_examples(
        [NewExample({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]})]))
    assert win.undo_redo(undo=True) is None and win.ws.count() == 0
