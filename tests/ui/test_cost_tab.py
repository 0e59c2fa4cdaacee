"""Tokens & cost: totals, epochs, the table across models and the over-limit list."""

import pytest

from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.ui.cost_tab import CostTab


def _chat(n_words: int) -> dict:
    return {"messages": [{"role": "user", "content": "question " * 5},
                         {"role": "assistant", "content": "word " * n_words}]}


@pytest.fixture
def tab(qtbot, tmp_path):
    with Workspace.open(tmp_path / "w.ftw") as ws:
        ws.add_examples([NewExample(_chat(20)) for _ in range(40)] + [NewExample(_chat(20_000))], "Import")
    widget = CostTab()
    qtbot.addWidget(widget)
    with Workspace.open(tmp_path / "w.ftw") as ws:
        widget.set_workspace(ws)
    with qtbot.waitSignal(widget.task.finished, timeout=20000):
        pass
    return widget


def test_summary_table_and_epochs(tab):
    tab.model_box.setCurrentText("gpt-4.1-mini-2025-04-14")
    assert "<b>41</b> examples" in tab.summary.text()
    assert "3 epochs (auto)" in tab.summary.text()  # 3 x 41 >= 100: OpenAI's default of 3
    assert tab.table.rowCount() == len(tab.prices.models)
    before = tab.summary.text()
    tab.epochs_box.setCurrentIndex(1)
    tab.epochs_spin.setValue(6)
    after = tab.summary.text()
    assert "6 epochs" in after and before != after
    billed = lambda text: int(text.split("<b>")[3].split("</b>")[0].replace(",", ""))  # noqa: E731
    assert billed(after) == 2 * billed(before)


def test_over_limit_example_is_listed_for_a_small_limit_model(tab):
    tab.model_box.setCurrentText("gpt-3.5-turbo-0613")  # 4,096-token examples
    assert tab.over_list.count() == 1
    assert "over" in tab.over_list.item(0).text()
    tab.model_box.setCurrentText("gpt-4.1-2025-04-14")  # 65,536 tokens: everything fits
    assert tab.over_list.item(0).text() == "None: every example fits."
