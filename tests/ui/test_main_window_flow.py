"""What a support lead does in the window: import, fix, undo, bulk edit, replace, export."""

import json

import pytest

from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.ui.main_window import MainWindow


def _chat(q: str, a: str) -> dict:
    return {"messages": [{"role": "system", "content": "You are Acme support."},
                         {"role": "user", "content": q}, {"role": "assistant", "content": a}]}


@pytest.fixture
def window(qtbot, tmp_path):
    ws = Workspace.open(tmp_path / "project.ftw")
    win = MainWindow(ws)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.check_task is not None and not win.check_task.running)
    yield win
    win.close()
    win.ws.close()


@pytest.fixture
def jsonl_with_one_error(tmp_path):
    path = tmp_path / "tickets.jsonl"
    rows = [_chat(f"How do I reset password number {i}?", f"Go to Settings > Account, step {i}.") for i in range(11)]
    rows.append(_chat("My invoice is missing the VAT number", ""))  # empty reply: an error
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _import(qtbot, win, path):
    win.import_tab.set_files([path])
    qtbot.waitUntil(lambda: win.import_tab.import_button.isEnabled(), timeout=15000)
    assert "How do I reset password number 0?" in win.import_tab.preview.toPlainText()
    with qtbot.waitSignal(win.import_tab.imported, timeout=10000):
        win.import_tab.start_import()


def _status(win, example_id):
    return win.ws.get(example_id).status


def test_import_fix_undo_export(qtbot, window, jsonl_with_one_error, tmp_path):
    win = window
    _import(qtbot, win, jsonl_with_one_error)
    assert win.ws.count() == 12
    assert "Read 12" in win.import_tab.report.toPlainText()
    bad = win.ws.ids()[-1]
    qtbot.waitUntil(lambda: _status(win, bad) == "error")
    assert "1 errors" in win.status.text()

    # The Problems panel lists it; activating it opens the example in the editor.
    qtbot.waitUntil(lambda: win.problems.rowCount() > 0)
    group = win.problems.index(0, 0)
    assert "Empty message" in win.problems.data(group)
    win._problem_activated(win.problems.index(0, 0, group))
    assert win.examples_tab.editor.example_id == bad

    # Write the missing reply in the editor: the error goes away.
    reply = win.examples_tab.editor.bubbles[-1]
    reply.editor.setPlainText("You can add the VAT number under Settings > Billing > Invoices.")
    reply.commit()
    qtbot.waitUntil(lambda: _status(win, bad) == "ok")
    assert "0 errors" in win.status.text()

    # Undo brings the error back; redo fixes it again.
    win.undo_stack.undo()
    qtbot.waitUntil(lambda: _status(win, bad) == "error")
    assert win.examples_tab.editor.bubbles[-1].editor.toPlainText() == ""
    win.undo_stack.redo()
    qtbot.waitUntil(lambda: _status(win, bad) == "ok")

    # Export: train file with every example, written through the validation gate.
    with qtbot.waitSignal(win.export_to(tmp_path / "out.jsonl").succeeded, timeout=10000) as done:
        pass
    assert set(done.args[0]) == {"train"}
    lines = (tmp_path / "out.train.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 12
    assert json.loads(lines[-1])["messages"][-1]["content"].startswith("You can add the VAT number")


def test_export_is_blocked_by_errors_and_nothing_is_written(qtbot, window, jsonl_with_one_error, tmp_path, monkeypatch):
    win = window
    _import(qtbot, win, jsonl_with_one_error)
    shown = []
    monkeypatch.setattr(win, "_export_failed", lambda msg, path: shown.append(msg))
    with qtbot.waitSignal(win.export_to(tmp_path / "out.jsonl").finished, timeout=10000):
        pass
    assert shown and "1 examples have errors" in shown[0]
    assert not (tmp_path / "out.train.jsonl").exists()


def test_bulk_split_and_system_prompt_are_one_undo_step_each(qtbot, window, jsonl_with_one_error):
    win = window
    _import(qtbot, win, jsonl_with_one_error)
    win.tabs.setCurrentWidget(win.examples_tab)
    win.examples_tab.table.selectAll()
    win.set_split_selected("validation")
    assert win.ws.count("validation") == 12
    win.apply_system_prompt(win.examples_tab.selected_ids() or win.ws.ids(), "You are Lumen Notes' assistant.")
    assert all(r.data["messages"][0]["content"] == "You are Lumen Notes' assistant." for r in win.ws.iter_records())
    win.undo_stack.undo()
    assert all(r.data["messages"][0]["content"] == "You are Acme support." for r in win.ws.iter_records())
    win.undo_stack.undo()
    assert win.ws.count("validation") == 0 and win.ws.count("train") == 12


def test_find_and_replace_previews_then_replaces_in_one_undo_step(qtbot, window, jsonl_with_one_error):
    win = window
    _import(qtbot, win, jsonl_with_one_error)
    win.find_replace()
    dialog = win._find_dialog
    dialog.find_edit.setText("Settings > Account")
    dialog.replace_edit.setText("Preferences > Profile")
    with qtbot.waitSignal(dialog.preview().succeeded, timeout=10000):
        pass
    assert dialog.matches.count() == 11
    assert "11 matches" in dialog.message.text()
    with qtbot.waitSignal(dialog.replace_requested, timeout=10000):
        dialog.replace()
    texts = [r.data["messages"][-1]["content"] for r in win.ws.iter_records()]
    assert sum("Preferences > Profile" in t for t in texts) == 11
    assert not any("Settings > Account" in t for t in texts)
    win.undo_stack.undo()
    texts = [r.data["messages"][-1]["content"] for r in win.ws.iter_records()]
    assert sum("Settings > Account" in t for t in texts) == 11
    dialog.close()


def test_bad_regex_is_explained_not_raised(qtbot, window):
    window.find_replace()
    dialog = window._find_dialog
    dialog.find_edit.setText("(unclosed")
    dialog.regex.setChecked(True)
    assert dialog.preview() is None
    assert "not a valid regular expression" in dialog.message.text()
    dialog.close()


def test_import_failure_is_shown_and_changes_nothing(qtbot, window, tmp_path):
    users = tmp_path / "users.json"
    users.write_text(json.dumps({"users": [{"id": 1, "email": "a@example.com", "role": "end-user"}]}), "utf-8")
    window.import_tab.set_files([users])
    assert "users export" in window.import_tab.preview.toPlainText()
    assert not window.import_tab.import_button.isEnabled()
    assert window.ws.count() == 0



def test_target_model_drives_token_limit_checks_and_is_remembered(qtbot, window, tmp_path):
    win = window
    long_one = _chat("Please read my whole log", "word " * 6000)  # ~6,000 tokens
    ids = win.ws.add_examples([NewExample(long_one)])
    qtbot.waitUntil(lambda: _status(win, ids[0]) == "ok")  # fits gpt-4.1-mini's 65,536
    win.cost_tab.model_box.setCurrentText("gpt-3.5-turbo-0613")  # 4,096 tokens per example
    qtbot.waitUntil(lambda: _status(win, ids[0]) == "warning", timeout=15000)
    assert any(i["code"] == "too_many_tokens" for i in win.ws.get(ids[0]).issues)
    assert win.ws.get_meta("target_model") == "gpt-3.5-turbo-0613"
