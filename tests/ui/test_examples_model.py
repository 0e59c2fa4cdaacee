"""The examples table model: lazy rows over a workspace, filters, sorting, live updates."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from workbench.core.store import Workspace  # noqa: E402
from workbench.core.store.workspace import NewExample  # noqa: E402
from workbench.ui.examples_model import COLUMNS, ExamplesTableModel  # noqa: E402


def _chat(question: str, answer: str) -> dict:
    return {"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "w.ftw")
    workspace.add_examples(
        [NewExample(_chat(f"Question {i} about refunds" if i % 2 else f"Question {i} about sync", f"Answer {i}"),
                    tags=["billing"] if i % 2 else ["sync"]) for i in range(30)],
        "Import",
    )
    yield workspace
    workspace.close()


def test_model_passes_qt_model_tester(qtmodeltester, ws):
    model = ExamplesTableModel(ws)
    qtmodeltester.check(model)
    model.close()


def test_rows_show_first_customer_message_and_reply(ws):
    model = ExamplesTableModel(ws)
    assert model.rowCount() == 30
    col = [k for k, _ in COLUMNS].index("first_user")
    assert model.data(model.index(0, col)) == "Question 0 about sync"
    assert model.data(model.index(1, col + 1)) == "Answer 1"
    model.close()


def test_filters_by_text_tag_and_split(ws):
    model = ExamplesTableModel(ws)
    model.set_filters(text="REFUNDS")
    assert model.rowCount() == 15
    model.set_filters(tag="sync")
    assert model.rowCount() == 15
    ws.set_split([model.example_id(0)], "validation")
    model.set_filters(split="validation")
    assert model.rowCount() == 1
    model.close()


def test_edit_in_store_updates_row_and_undo_restores(qtmodeltester, ws):
    model = ExamplesTableModel(ws)
    qtmodeltester.check(model)
    first = model.example_id(0)
    col = [k for k, _ in COLUMNS].index("first_user")
    ws.update_example(first, _chat("Where is my invoice?", "In Settings > Billing."))
    assert model.data(model.index(0, col)) == "Where is my invoice?"
    ws.delete_examples([first])
    assert model.rowCount() == 29
    ws.undo()
    assert model.rowCount() == 30
    ws.undo()
    assert model.data(model.index(0, col)) == "Question 0 about sync"
    model.close()


def test_sorting_by_turns_and_text(ws):
    model = ExamplesTableModel(ws)
    col = [k for k, _ in COLUMNS].index("first_user")
    model.sort(col, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, col)) == "Question 9 about refunds"
    model.close()


def test_an_import_appends_rows_and_its_undo_removes_them(qtmodeltester, qtbot, ws):
    model = ExamplesTableModel(ws)
    qtmodeltester.check(model)
    col = [k for k, _ in COLUMNS].index("first_user")
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        ws.add_examples([NewExample(_chat(f"New {i}", "A")) for i in range(3)], "Import 3")
    assert inserted.args[1:] == [30, 32]
    assert model.data(model.index(32, col)) == "New 2"
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        ws.undo()
    assert removed.args[1:] == [30, 32]
    assert model.rowCount() == 30
    ws.redo()
    assert model.rowCount() == 33
    model.close()
