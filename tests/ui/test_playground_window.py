"""The Playground in the main window: its place, the workspace's tuned models, Presentation Mode,
undo of an added example, switching workspaces and closing mid-answer."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence

from tests.playground.conftest import PRICED, WORDS, isolated, profiles, standin  # noqa: F401
from workbench.core.playground.answer import Answer, ChatTarget
from workbench.core.playground.session import ChatColumn, ChatSession, Turn
from workbench.core.store import Workspace
from workbench.core.store.ledger import Ledger
from workbench.ui.main_window import MainWindow

TUNED = "ft:gpt-4o-mini-2024-07-18:acme:support-v2:AbC123"
CHECKPOINT = "ft:gpt-4o-mini-2024-07-18:acme:support-v2:AbC123:ckpt-step-40"


@pytest.fixture
def window(qtbot, tmp_path):
    ws = Workspace.open(tmp_path / "project.ftw")
    ledger = Ledger(ws)
    job = ledger.new_job(base_model="gpt-4o-mini-2024-07-18", submission_tag="t1", suffix="support-v2")
    ledger.update_job(job.id, status="succeeded", fine_tuned_model=TUNED)
    ledger.put_checkpoints(job.id, [{"id": "ftckpt-1", "step_number": 40, "fine_tuned_model_checkpoint": CHECKPOINT,
                                     "created_at": 1, "metrics": {}}])
    win = MainWindow(ws)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.check_task is not None and not win.check_task.running)
    yield win
    win.close()
    win.ws.close()


def _session() -> ChatSession:
    answer = Answer(text="Open Trash and click Restore.", ttft=0.3, total_time=1.2, tokens_in=20, tokens_out=8)
    columns = [ChatColumn(ChatTarget(m, profile="OpenAI"), turns=[Turn("How do I restore a file?", answer)])
               for m in ("gpt-4o-mini-2024-07-18", TUNED)]
    return ChatSession(columns, title="Restore")


def test_the_playground_follows_jobs_and_offers_the_workspaces_tuned_models(window):
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs.index("Playground") == tabs.index("Jobs") + 1
    window.tabs.setCurrentWidget(window.playground_tab)
    picker = window.playground_tab.compare.columns[0].picker
    models = [picker.model.itemText(i) for i in range(picker.model.count())]
    assert TUNED in models and CHECKPOINT in models and "gpt-4.1-mini-2025-04-14" in models
    assert window.playground_tab.compare.columns[1].picker.model.currentText() == TUNED  # beside a base model
    eval_models = window.playground_tab.evaluation.setup.pickers[0].model
    assert CHECKPOINT in [eval_models.itemText(i) for i in range(eval_models.count())]


def test_presentation_mode_from_the_view_menu(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    action = next(a for a in view.actions() if "Presentation" in a.text())
    assert action.isCheckable()
    assert {QKeySequence("F11"), QKeySequence("Ctrl+Shift+P")} <= set(action.shortcuts())
    window.show()
    assert window.problems_dock.isVisible()
    action.trigger()
    assert window.playground_tab.presentation and window.tabs.currentWidget() is window.playground_tab
    assert not window.problems_dock.isVisible()
    action.trigger()
    assert not window.playground_tab.presentation and window.problems_dock.isVisible()


def test_an_added_example_is_undone_with_the_windows_undo(window):
    page = window.playground_tab.compare
    page.show_session(_session())
    dialog = page.data.open_add_dialog(1, 0)
    dialog.accept()
    assert window.ws.count() == 1
    assert window.undo_stack.undoText() == "Add example from Playground"
    window.undo_stack.undo()
    assert window.ws.count() == 0
    window.undo_stack.redo()
    assert window.ws.count() == 1


def test_opening_another_workspace_shows_its_own_sessions(window, tmp_path):
    page = window.playground_tab.compare
    page.show_session(_session())
    page.save()
    window.open_path(tmp_path / "other.ftw")
    assert page.ws is window.ws and page.session is None
    assert window.playground_tab.evaluation.store.workspace is window.ws
    window.open_path(tmp_path / "project.ftw")
    assert page.session is not None and page.session.title == "Restore"


def test_closing_the_window_stops_answers_in_flight(window, qtbot, profiles, standin):  # noqa: F811
    standin.responder = lambda r: WORDS * 5
    standin.chunk_delay = 0.3
    window.playground_tab.refresh_choices()
    page = window.playground_tab.compare
    for column in page.columns:
        column.picker.set_target(ChatTarget("gpt-4o-mini-2024-07-18", profile=PRICED))
    page.input.setPlainText("Hello")
    assert page.send()
    qtbot.waitUntil(lambda: page.live[0].text.length > 0, timeout=10000)
    chat = page.bridge.chat
    window.close()
    assert chat.done  # stopped, not left streaming into a closed window
    assert [a.status for a in chat.results()] == ["stopped", "stopped"]
