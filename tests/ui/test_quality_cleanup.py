"""Duplicates (groups, keep / remove, one undo step, canned answers) and consistency (standardise
sign-offs with a preview, one undo step)."""

import pytest
from PySide6.QtCore import Qt

from tests.quality.helpers import text
from tests.ui.quality_support import Harness, add, chat
from workbench.core.store import Workspace

CANNED = "Please clear the app cache under Settings > Storage, restart the app and try again."


def _duplicates_data():
    q, a = text(1, 12), text(2, 60)
    edited = a.split()
    edited[7] = "different"
    rows = [
        chat(q, a),                              # 1: kept (first)
        chat(q, a),                              # 2: exact copy
        chat(q.upper(), a),                      # 3: exact after normalising case
        chat(text(3, 12), text(4, 60)),          # 4: unrelated
        chat(text(5, 12), text(6, 60)),          # 5: near duplicate of 6
        chat(text(5, 12), " ".join(text(6, 60).split()[:-1] + ["changed."])),  # 6
    ]
    rows += [chat(f"Question {text(10 + n, 8)}", CANNED) for n in range(5)]  # 7-11: one macro, five questions
    return rows


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "dupes.ftw")
    add(workspace, _duplicates_data())
    yield workspace
    workspace.close()


def _wait(qtbot, task):
    with qtbot.waitSignal(task.finished, timeout=20000):
        pass


def test_groups_keep_remove_and_one_undo_step(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.show_page("duplicates")
    ids = ws.ids()
    _wait(qtbot, page.find())
    model = page.model
    assert model.group_count() == 2
    exact = model.index(0, 0)
    assert exact.data() == "Exact duplicates · 3 examples"
    children = [model.index(r, 0, exact) for r in range(model.rowCount(exact))]
    assert [c.data(Qt.ItemDataRole.CheckStateRole) for c in children] == [
        Qt.CheckState.Checked, Qt.CheckState.Unchecked, Qt.CheckState.Unchecked], "the suggested keeper is ticked"
    assert "(suggested)" in children[0].data()
    assert sorted(model.removal_ids()) == [ids[1], ids[2], ids[5]]
    assert page.remove_button.text() == "Remove 3 Marked"

    # Keep the second copy instead of the first.
    model.setData(children[1], Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    model.setData(children[0], Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.index(0, 1).data() == "keep 1, remove 2"
    assert sorted(model.removal_ids()) == [ids[0], ids[2], ids[5]]

    # Canned answers: the macro that answers five different questions.
    assert page.canned.topLevelItemCount() == 1
    top = page.canned.topLevelItem(0)
    assert top.text(0) == CANNED and top.text(1) == "5" and top.childCount() == 5

    assert page.remove_marked()
    assert ws.count() == len(ids) - 3 and set(ws.ids()) == set(ids) - {ids[0], ids[2], ids[5]}
    assert h.undo_stack.count() == 1 and "Removed 3 examples" in page.bar.message.text()
    assert model.group_count() == 0
    h.undo_stack.undo()
    assert ws.ids() == ids
    h.close()


def test_opening_an_example_from_a_group_and_from_a_canned_answer(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.duplicates
    _wait(qtbot, page.find())
    group = page.model.index(0, 0)
    page.tree.doubleClicked.emit(page.model.index(1, 3, group))
    page.canned.itemActivated.emit(page.canned.topLevelItem(0).child(2), 0)
    assert h.jumps == [(ws.ids()[1],), (ws.ids()[8],)]
    h.close()


def test_a_higher_threshold_finds_only_exact_copies(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.duplicates
    page.threshold.setValue(100)
    _wait(qtbot, page.find())
    assert page.model.group_count() == 1
    h.close()


SIGNOFFS = ["Best regards,\nTom", "Best regards,\nAnna", "Kind regards,\nTom", "Cheers,\nAnna", "Thanks,\nTom"]


@pytest.fixture
def signoffs(tmp_path):
    workspace = Workspace.open(tmp_path / "signoffs.ftw")
    add(workspace, [chat(f"Question {n}?", f"Hello,\nHere is answer {n}.\n\n{s}") for n, s in enumerate(SIGNOFFS * 2)])
    yield workspace
    workspace.close()


def test_standardise_sign_offs_with_preview_and_undo(qtbot, signoffs):
    ws = signoffs
    h = Harness(qtbot, ws)
    page = h.tab.show_page("consistency")
    _wait(qtbot, page.find())
    page.kind.setCurrentIndex(page.kind.findData("sign-off"))
    labels = [page.tree.topLevelItem(r).text(0) for r in range(page.tree.topLevelItemCount())]
    assert labels[0] == "Best regards, ↵ {name}" and len(labels) >= 3
    assert page.replacement.toPlainText() == "Best regards,\n{name}", "the most used form is suggested"

    page.set_ticked({"kind regards", "cheers"})
    assert {v.key for v in page.ticked()} == {"kind regards", "cheers"}
    page.update_preview()
    assert page.preview.rowCount() == 2
    befores = {page.preview.item(r, 0).text().rsplit("\n", 2)[-2] for r in range(2)}
    assert befores == {"Kind regards,", "Cheers,"}
    assert all(page.preview.item(r, 1).text().endswith(("Best regards,\nTom", "Best regards,\nAnna")) for r in range(2))

    before = [ws.get(i).data for i in ws.ids()]
    assert page.apply()
    replies = [ws.get(i).data["messages"][2]["content"] for i in ws.ids()]
    assert not any("Kind regards" in r or "Cheers" in r for r in replies)
    assert sum(r.endswith("Best regards,\nTom") for r in replies) == 4  # the name is kept
    assert sum("Thanks,\nTom" in r for r in replies) == 2, "unticked variants stay"
    assert h.undo_stack.count() == 1 and "Changed 4 examples" in page.bar.message.text()
    h.undo_stack.undo()
    assert [ws.get(i).data for i in ws.ids()] == before
    h.close()
