"""Splits (ratios, stratified, seeded and reproducible, one undo step) and the balance report (a
planted skew is flagged)."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.quality_support import Harness, add, chat
from workbench.core.store import Workspace
from workbench.ui.quality.balance_model import FlaggedRole


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "tiers.ftw")
    gold = [chat(f"Gold question {n}?", "A long, careful answer. " * 25) for n in range(10)]
    silver = [chat(f"Silver question {n}?", "A short answer. " * 12) for n in range(30)]
    bronze = [chat(f"Bronze question {n}?", "A short answer here. " * 10) for n in range(30)]
    add(workspace, gold + silver + bronze, tags=[["tier:gold"]] * 10 + [["tier:silver"]] * 30 + [["tier:bronze"]] * 30)
    yield workspace
    workspace.close()


def _preview(qtbot, page):
    qtbot.waitUntil(lambda: page.plan is not None and not page.bar.running and not page._timer.isActive(), timeout=10000)


def _splits(ws):
    return {i: ws.get(i).split for i in ws.ids()}


def test_stratified_seeded_splits_apply_as_one_step_and_repeat_exactly(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.show_page("splits")
    page.spins["train"].setValue(60)
    assert page.spins["test"].value() == 30, "the test share follows so the three add up to 100"
    page.spins["test"].setValue(20)
    assert page.spins["validation"].value() == 20
    page.stratify.setCurrentIndex(page.stratify.findData("tier"))
    page.seed.setValue(7)
    page.preview()
    _preview(qtbot, page)
    rows = {page.table.item(r, 0).text(): [page.table.item(r, c).text() for c in range(1, 5)]
            for r in range(page.table.rowCount())}
    assert rows["gold"] == ["10", "6 (60%)", "2 (20%)", "2 (20%)"]
    assert rows["total"][0] == "70"
    assert page.apply_button.isEnabled()

    assert page.apply()
    first = _splits(ws)
    gold = [i for i in ws.ids() if "tier:gold" in ws.get(i).tags]
    assert sorted(first[i] for i in gold).count("test") == 2
    assert list(first.values()).count("train") == 42
    assert h.undo_stack.count() == 1
    h.undo_stack.undo()
    assert set(_splits(ws).values()) == {"train"}

    _preview(qtbot, page)
    assert page.apply()
    assert _splits(ws) == first, "the same seed gives the same split"
    h.undo_stack.undo()

    page.seed.setValue(8)
    _preview(qtbot, page)
    assert page.apply()
    assert _splits(ws) != first
    h.close()


def test_shares_that_cannot_add_up_block_apply(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.splits
    page.spins["train"].setValue(90)
    page.spins["test"].setValue(40)  # validation would have to be -30
    assert page.ratios() is None
    assert not page.ratio_error.isHidden() and "add up to 100%" in page.ratio_error.text()
    assert not page.apply()
    assert "never include it" in page.held_out_note.text()
    h.close()


def test_balance_report_flags_the_tier_with_longer_answers(qtbot, ws):
    h = Harness(qtbot, ws)
    page = h.tab.show_page("balance")
    page.refresh_segments()
    assert page.segment_by.currentData() == "tier"
    with qtbot.waitSignal(page.refresh().finished, timeout=10000):
        pass
    gold = page.row_of("gold")
    assert gold.isValid() and gold.data(FlaggedRole)
    assert not page.row_of("silver").data(FlaggedRole) and not page.row_of("bronze").data(FlaggedRole)
    flag = page.model.index(gold.row(), 6).data()
    assert "longer than average" in flag
    assert gold.siblingAtColumn(1).data() == "10"
    assert page.model.index(gold.row(), 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "stands out" in page.summary.text() and "gold" in page.summary.text()
    assert page.chart.chart_.series(), "the bar chart is drawn"
    h.close()
