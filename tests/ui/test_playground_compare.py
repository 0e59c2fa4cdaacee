"""The Playground's Compare page against the OpenAI stand-in: answers streaming side by side with their
metrics, a stream breaking midway, Stop, multi-turn, blind mode, answers into examples, saved sessions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from tests.playground.conftest import LOCAL, PRICED, WORDS, by_model, isolated, profiles, standin  # noqa: F401
from workbench.core.playground.answer import DONE, FAILED, STOPPED, ChatTarget
from workbench.core.playground.session import ChatColumn, ChatSession
from workbench.core.playground.store import PlaygroundStore
from workbench.core.store import Workspace
from workbench.ui.playground import PlaygroundTab

BASE, TUNED = "gpt-4o-mini-2024-07-18", "ft:gpt-4o-mini-2024-07-18:acme:support-v2:AbC123"
REPLIES = {BASE: "Base says " + WORDS, TUNED: "Tuned says " + WORDS}


@pytest.fixture
def ws_path(tmp_path):
    return tmp_path / "play.ftw"


@pytest.fixture
def tab(qtbot, ws_path, profiles, standin):  # noqa: F811 - the fixtures imported above
    standin.state.add_model(TUNED)
    ws = Workspace.open(ws_path)
    stack = QUndoStack()
    widget = PlaygroundTab(stack)
    widget.undo_stack_ref = stack  # kept alive with the tab
    qtbot.addWidget(widget)
    widget.set_workspace(ws)
    widget.resize(1200, 800)
    yield widget
    widget.shutdown()
    widget.ws.close()


def _columns(tab, *targets):
    page = tab.compare
    for column, target in zip(page.columns, targets, strict=True):
        column.picker.set_target(target)
    return page


def _send(qtbot, page, text="Where is my parcel?", timeout=20000):
    page.input.setPlainText(text)
    with qtbot.waitSignal(page.turn_finished, timeout=timeout):
        assert page.send()


def _bubble(page, col, turn=-1):
    return page.columns[col].bubbles[turn]


def test_two_columns_stream_side_by_side_and_show_their_metrics(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.02
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=LOCAL))
    page.input.setPlainText("Where is my parcel?")
    with qtbot.waitSignal(page.turn_finished, timeout=20000):
        qtbot.keyClick(page.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter sends
        assert page.running and not page.send_button.isEnabled() and page.stop_button.isEnabled()
        # Both answers grow while they stream, before either is complete.
        qtbot.waitUntil(lambda: all(0 < len(_bubble(page, c).text.toPlainText()) < 40 for c in (0, 1)), timeout=10000)
        qtbot.waitUntil(lambda: "Answering… first token" in _bubble(page, 0).metrics.text(), timeout=5000)
    assert _bubble(page, 0).text.toPlainText() == REPLIES[BASE]
    assert _bubble(page, 1).text.toPlainText() == REPLIES[TUNED]
    priced, local = _bubble(page, 0).metrics.text(), _bubble(page, 1).metrics.text()
    for text in (priced, local):
        assert "first token" in text and "total" in text and " in / " in text and "out tokens" in text
        assert "≈" not in text  # the stand-in reports usage
    assert "$" in priced and "unknown" not in priced
    assert "cost unknown" in local  # an OpenAI-compatible service has no known prices
    assert not _bubble(page, 0).error.isVisible()
    assert page.send_button.isEnabled() and not page.stop_button.isEnabled()
    assert page.input.toPlainText() == ""
    # The pickers gave way to the models' names: the conversation has begun.
    assert not page.columns[0].picker.isVisibleTo(page) and BASE in page.columns[0].name.text()
    assert not page.add_button.isEnabled()
    saved = PlaygroundStore(tab.ws).sessions()
    assert len(saved) == 1 and saved[0].turns == 1 and saved[0].models == (BASE, TUNED)


def test_a_stream_broken_midway_shows_the_error_and_what_arrived_and_the_other_column_finishes(tab, qtbot,
                                                                                              standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.01
    standin.faults.break_stream(model=TUNED, after_chunks=4)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    _send(qtbot, page)
    ok, broken = _bubble(page, 0), _bubble(page, 1)
    assert ok.answer.status == DONE and ok.text.toPlainText() == REPLIES[BASE] and not ok.error.isVisible()
    assert broken.answer.status == FAILED
    assert broken.text.toPlainText() == "Tuned says w0" and broken.text.isVisibleTo(broken)
    assert broken.error.isVisibleTo(broken) and "broke off in the middle" in broken.error.text()
    assert broken.copy_button.isEnabled()  # what arrived can still be copied
    # The next message carries on in both columns; the failed turn is left out of that model's history.
    standin.responder = by_model({BASE: "fine", TUNED: "also fine"})
    _send(qtbot, page, "And now?")
    assert [b.answer.status for b in (_bubble(page, 0), _bubble(page, 1))] == [DONE, DONE]
    sent = {r.json["model"]: r.json["messages"] for r in standin.requests_to("/chat/completions")[-2:]}
    assert [m["role"] for m in sent[TUNED]] == ["user"]
    assert [m["role"] for m in sent[BASE]] == ["user", "assistant", "user"]


def test_stop_stops_every_answer_and_keeps_what_arrived(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.3
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    page.input.setPlainText("Where is my parcel?")
    with qtbot.waitSignal(page.turn_finished, timeout=5000):
        page.send()
        qtbot.waitUntil(lambda: all(_bubble(page, c).text.toPlainText() for c in (0, 1)), timeout=10000)
        page.stop_button.click()
    for col, model in ((0, BASE), (1, TUNED)):
        bubble = _bubble(page, col)
        assert bubble.answer.status == STOPPED
        assert REPLIES[model].startswith(bubble.text.toPlainText()) and bubble.text.toPlainText() != REPLIES[model]
        assert "Stopped" in bubble.error.text()
    assert page.send_button.isEnabled()


def test_each_column_continues_its_own_conversation(tab, qtbot, standin):  # noqa: F811
    standin.responder = lambda r: f"{r['model']} heard {len(r['messages'])} messages"
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    page.system.setPlainText("You are Acme support.")
    page.columns[1].set_system_prompt("You are terse.")
    _send(qtbot, page, "Hi")
    _send(qtbot, page, "Where is my parcel?")
    assert page.session.turn_count == 2
    assert [len(c.bubbles) for c in page.columns] == [2, 2]
    last = {r.json["model"]: r.json["messages"] for r in standin.requests_to("/chat/completions")[-2:]}
    assert last[BASE][0] == {"role": "system", "content": "You are Acme support."}
    assert last[TUNED][0] == {"role": "system", "content": "You are terse."}
    assert last[BASE][2] == {"role": "assistant", "content": f"{BASE} heard 2 messages"}
    assert last[TUNED][2] == {"role": "assistant", "content": f"{TUNED} heard 2 messages"}
    assert _bubble(page, 0).text.toPlainText() == f"{BASE} heard 4 messages"


def test_columns_can_be_added_and_removed_before_the_conversation_begins(tab, qtbot, standin):  # noqa: F811
    standin.responder = lambda r: r["model"]
    page = tab.compare
    assert len(page.columns) == 2 and not page.columns[0].remove_button.isVisibleTo(page)
    page.add_column()
    page.add_column()
    assert len(page.columns) == 4 and not page.add_button.isEnabled()
    assert page.add_column() is None
    page.remove_column(page.columns[2])
    assert len(page.columns) == 3
    models = [BASE, TUNED, "gpt-4.1-nano-2025-04-14"]
    _columns(tab, *(ChatTarget(m, profile=PRICED) for m in models))
    _send(qtbot, page)
    assert [_bubble(page, c).text.toPlainText() for c in range(3)] == models


def test_blind_mode_hides_names_shuffles_records_verdicts_and_reveals_the_tally(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    probe = ChatSession([ChatColumn(ChatTarget(BASE)), ChatColumn(ChatTarget(TUNED))])
    page.seed = next(seed for seed in range(100)  # a seed whose four orders are not all the same
                     if len({tuple(ChatSession(probe.columns, seed=seed).blind_order(t)) for t in range(4)}) == 2)
    page.blind.setChecked(True)
    orders = []
    for n in range(4):
        _send(qtbot, page, f"Question {n}")
        headers = [page.splitter.widget(i).name.text() for i in range(2)]
        assert "Answer A" in headers[0] and "Answer B" in headers[1]
        assert not any(m in h for h in headers for m in (BASE, TUNED, "support-v2"))
        assert not any("$" in b.metrics.text() for c in page.columns for b in c.bubbles)  # cost would tell
        order = page.session.blind_order(n)
        orders.append(order)
        assert [page.splitter.widget(i) for i in range(2)] == [page.columns[c] for c in order]
        assert page.blind_bar.verdicts.isEnabled()
        winner = "A" if order[0] == 1 else "B"  # the tuned model wins every time
        page.blind_bar.verdicts.buttons[winner].click()
        assert page.session.ratings[n].verdict == winner
    assert len({tuple(o) for o in orders}) == 2, "the order changes from message to message"
    assert not page.tally.isVisibleTo(page)
    page.blind_bar.reveal.click()
    assert page.tally.isVisibleTo(page)
    model = page.tally.model
    rows = {model.cell(r, 0): [model.cell(r, c) for c in range(model.columnCount())] for r in range(2)}
    assert rows[TUNED][1:5] == ["100%", rows[TUNED][2], "4", "0"] and rows[BASE][1] == "0%"
    assert "–" in rows[TUNED][2] and rows[TUNED][2] != "–"  # an interval
    assert any(TUNED in page.columns[c].name.text() for c in (0, 1))
    assert PlaygroundStore(tab.ws).load_session(page.session.id).ratings[3].verdict == page.session.ratings[3].verdict
    _send(qtbot, page, "One more")  # a new message hides the names again
    assert not page.revealed and not any(TUNED in c.name.text() for c in page.columns)


def test_blind_verdict_keys(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    page.blind.setChecked(True)
    _send(qtbot, page)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    page.columns[0].scroll.setFocus()
    qtbot.keyClick(page.columns[0].scroll, Qt.Key.Key_T)
    assert page.session.ratings[0].verdict == "tie"
    qtbot.keyClick(page.columns[0].scroll, Qt.Key.Key_2)
    assert page.session.ratings[0].verdict == "B"
    page.input.setFocus()
    qtbot.keyClick(page.input, Qt.Key.Key_X)  # typing a message is not a verdict
    assert page.session.ratings[0].verdict == "B" and page.input.toPlainText() == "x"


def test_add_to_dataset_is_one_undo_step(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    page.system.setPlainText("You are Acme support.")
    _send(qtbot, page, "Where is my parcel?")
    assert _bubble(page, 1).add_button.isEnabled()
    _bubble(page, 1).add_button.click()
    dialog = page.data.dialog
    assert dialog is not None and dialog.answer.toPlainText() == REPLIES[TUNED]
    dialog.answer.setPlainText("It ships tomorrow; here is the tracking link.")
    dialog.split.setCurrentText("validation")
    dialog.tags.setText("playground, parcels")
    dialog.accept()
    ws = tab.ws
    assert ws.count() == 1
    record = ws.get(ws.ids()[0])
    assert record.data["messages"] == [
        {"role": "system", "content": "You are Acme support."},
        {"role": "user", "content": "Where is my parcel?"},
        {"role": "assistant", "content": "It ships tomorrow; here is the tracking link."}]
    assert record.split == "validation" and set(ws.tags_of([record.id])[record.id]) == {"playground", "parcels"}
    stack = tab.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Add example from Playground"
    stack.undo()
    assert ws.count() == 0
    stack.redo()
    assert ws.count() == 1


def test_an_empty_edited_answer_is_refused_in_the_dialog(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    _send(qtbot, page)
    dialog = page.data.open_add_dialog(0, 0)
    dialog.answer.setPlainText("   ")
    dialog.accept()
    assert dialog.problem.isVisibleTo(dialog) and "empty" in dialog.problem.text()
    assert tab.ws.count() == 0 and tab.undo_stack.count() == 0


def test_save_as_preference_pair_writes_a_dpo_example(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, profile=PRICED))
    _send(qtbot, page, "Where is my parcel?")
    _bubble(page, 1).pair_button.click()
    dialog = page.data.dialog
    assert dialog.first_text.toPlainText() == REPLIES[TUNED] and dialog.second_text.toPlainText() == REPLIES[BASE]
    dialog.second_text.setPlainText("No idea.")
    dialog.accept()
    example = tab.ws.get(tab.ws.ids()[0]).data
    assert example == {"input": {"messages": [{"role": "user", "content": "Where is my parcel?"}]},
                       "preferred_output": [{"role": "assistant", "content": REPLIES[TUNED]}],
                       "non_preferred_output": [{"role": "assistant", "content": "No idea."}]}
    assert tab.undo_stack.undoText() == "Add preference pair from Playground"
    tab.undo_stack.undo()
    assert tab.ws.count() == 0


def test_sessions_are_saved_and_reopen_with_the_workspace(tab, qtbot, standin, ws_path):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, base_url=standin.base_url))
    page.blind.setChecked(True)
    _send(qtbot, page, "First question")
    page.blind_bar.verdicts.buttons["tie"].click()
    _send(qtbot, page, "Second question")
    first_id = page.session.id
    page.new_session()
    assert page.session is None and all(not c.bubbles for c in page.columns)
    assert page.columns[1].picker.target() == ChatTarget(TUNED, base_url=standin.base_url)  # models kept
    page.blind.setChecked(False)
    _send(qtbot, page, "Another topic")

    old = tab.ws
    tab.set_workspace(Workspace.open(ws_path))  # as the window does when the workspace is opened again
    old.close()
    page = tab.compare
    assert page.session.title == "Another topic"  # the most recent session comes back
    page.sessions_menu.aboutToShow.emit()
    titles = [a.text() for a in page.sessions_menu.actions()]
    assert any(t.startswith("First question") and "(2 messages)" in t for t in titles)
    page.open_session(first_id)
    assert page.session.turn_count == 2 and page.blind.isChecked()
    assert page.session.ratings[0].verdict == "tie"
    assert [b.text.toPlainText() for b in page.columns[1].bubbles] == [REPLIES[TUNED]] * 2
    assert page.session.columns[1].target.base_url == standin.base_url


def test_a_missing_model_is_a_plain_message_not_a_request(tab, qtbot, standin):  # noqa: F811
    page = tab.compare
    page.columns[0].picker.model.setCurrentText("")
    page.input.setPlainText("Hello")
    assert not page.send()
    assert page.notice.isVisibleTo(page) and "model" in page.notice.text()
    assert standin.requests_to("/chat/completions") == []


def test_presentation_mode_enlarges_text_and_hides_ids_and_addresses(tab, qtbot, standin):  # noqa: F811
    standin.responder = by_model(REPLIES)
    page = tab.compare
    secret_url = standin.base_url.replace("http://", "http://user:hunter2@") + "?token=abc"
    page.columns[1].picker.add_base_url(secret_url)
    shown = page.columns[1].picker.where.currentText()
    assert "hunter2" not in shown and "token" not in shown and "127.0.0.1" in shown
    _columns(tab, ChatTarget(BASE, profile=PRICED), ChatTarget(TUNED, base_url=standin.base_url))
    size = page.input.font().pointSizeF()
    tab.set_presentation(True)
    assert page.input.font().pointSizeF() > size * 1.2
    assert _bubble_font_follows(page)
    assert page.columns[1].picker.where.currentText() == "Custom server"
    _send(qtbot, page, "Hi")
    header = page.columns[1].name.text()
    assert "gpt-4o-mini-2024-07-18 tuned (support-v2)" in header and "AbC123" not in header
    assert "custom server" in header and "127.0.0.1" not in header
    page.sessions_menu.aboutToShow.emit()
    assert not any("AbC123" in a.text() for a in page.sessions_menu.actions())
    tab.set_presentation(False)
    assert page.input.font().pointSizeF() == size
    assert "AbC123" in page.columns[1].name.text() and "127.0.0.1" in page.columns[1].name.text()
    assert page.session.columns[1].target.model == TUNED  # stored as typed; only the display changes


def _bubble_font_follows(page) -> bool:
    page.input.setPlainText("x")
    return page.columns[0].picker.model.font().pointSizeF() == page.input.font().pointSizeF()
