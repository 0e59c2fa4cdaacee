"""The Playground's Evaluate page against the OpenAI stand-in: run test-split questions through two
models with progress and Cancel, resume, review blind, read the report and export it."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLabel

from tests.playground.conftest import PRICED, WORDS, isolated, profiles, standin  # noqa: F401
from workbench.core.playground.answer import ChatTarget
from workbench.core.playground.eval_store import EvalStore
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.ui.playground import PlaygroundTab
from workbench.ui.playground.rows_model import RowsModel

BASE, TUNED = "gpt-4o-mini-2024-07-18", "ft:gpt-4o-mini-2024-07-18:acme:support-v2:AbC123"
N_TEST = 5


def _chat(i: int) -> dict:
    return {"messages": [{"role": "system", "content": "You are Acme support."},
                         {"role": "user", "content": f"Question {i}: where is parcel {i}?"},
                         {"role": "assistant", "content": f"Reference answer {i}."}]}


def _reply(request: dict) -> str:
    question = request["messages"][-1]["content"]
    who = "Tuned" if request["model"] == TUNED else "Base"
    return f"{who} answers {question} " + WORDS[:40]


@pytest.fixture
def tab(qtbot, tmp_path, profiles, standin):  # noqa: F811 - the fixtures imported above
    standin.state.add_model(TUNED)
    standin.responder = _reply
    ws = Workspace.open(tmp_path / "eval.ftw")
    ws.add_examples([NewExample(_chat(i), split="test") for i in range(N_TEST)]
                    + [NewExample(_chat(100 + i)) for i in range(3)], "Import")
    widget = PlaygroundTab(QUndoStack())
    qtbot.addWidget(widget)
    widget.set_workspace(ws)
    widget.resize(1300, 850)
    widget.pages.setCurrentWidget(widget.evaluation)
    setup = widget.evaluation.setup
    for picker, model in zip(setup.pickers, (BASE, TUNED), strict=True):
        picker.set_target(ChatTarget(model, profile=PRICED))
    yield widget
    widget.shutdown()
    ws.close()


def _run(qtbot, page, timeout=30000):
    with qtbot.waitSignal(page.run_ended, timeout=timeout):
        assert page.start() is not None


def _tuned_slot(review) -> int:
    return 0 if review.texts[0].toPlainText().startswith("Tuned") else 1


def test_evaluate_review_blind_and_report(tab, qtbot, standin, tmp_path):  # noqa: F811
    page = tab.evaluation
    page.setup.limit.setValue(0)  # all of the test split
    page.setup.concurrency.setValue(3)
    assert f"{N_TEST} examples" in page.setup.count.text()
    _run(qtbot, page)
    assert f"All {2 * N_TEST} answers are in" in page.state.text()
    asked = standin.requests_to("/chat/completions")
    assert len(asked) == 2 * N_TEST
    assert {r.json["messages"][1]["content"] for r in asked} == {f"Question {i}: where is parcel {i}?"
                                                                 for i in range(N_TEST)}
    assert all(r.json["messages"][-1]["role"] == "user" for r in asked)  # the reference is never sent

    review = page.review
    assert page.stack.currentWidget() is review
    assert review.progress.text() == f"0 of {N_TEST} rated"
    shown = " ".join(w.text() for w in review.findChildren(QLabel))
    assert BASE not in shown and TUNED not in shown  # blind
    for _ in range(N_TEST):
        pairing = review.current()
        assert f"Question {pairing.item}:" in review.question.toPlainText()
        tuned = _tuned_slot(review)
        assert tuned == (0 if pairing.first == 1 else 1), "A and B follow the run's seeded order"
        review.verdicts.buttons["AB"[tuned]].click()  # the tuned model wins every time
    assert review.progress.text() == f"{N_TEST} of {N_TEST} rated"
    assert not review.unrated_button.isEnabled()

    review.report_button.click()
    report = page.report
    assert page.stack.currentWidget() is report
    rows = {report.model.cell(r, 0): report.model.cell(r, 1) for r in range(report.model.rowCount())}
    assert rows == {BASE: "0%", TUNED: "100%"}
    tuned = [report.model.cell(1, c) for c in range(report.model.columnCount())]
    assert "–" in tuned[2] and tuned[3:7] == [str(N_TEST), "0", "0", "0"]
    assert [name for name, _rate, _ci in report.bars.rows] == [BASE, TUNED] and report.bars.rows[1][1] == 1.0
    answers = [report.answers_model.cell(1, c) for c in range(report.answers_model.columnCount())]
    assert answers[1] == PRICED and answers[2] == str(N_TEST)
    assert answers[4].startswith("$") and answers[5].endswith(" s")
    assert "every comparison rated" in report.meta.text()

    written = report.export(tmp_path / "report.csv")
    table = list(csv.DictReader(io.StringIO(written.read_text("utf-8"))))
    assert [r["model"] for r in table] == [BASE, TUNED]
    assert table[1]["win_rate"] == "1.0000" and table[1]["wins"] == str(N_TEST) and table[1]["service"] == PRICED
    html = report.export(tmp_path / "report.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "100%" in html and "workspace id" in html
    assert "<script" not in html and "src=" not in html and "<link" not in html  # self-contained

    # The run is listed and reopens where it was.
    assert page.runs_model.rowCount() == 1
    assert page.runs_model.cell(0, 1) == f"{2 * N_TEST} of {2 * N_TEST}"
    assert page.runs_model.cell(0, 2) == f"{N_TEST} of {N_TEST}"
    page.show_setup()
    page.runs_view.selectRow(0)
    page.review_button.click()
    assert page.stack.currentWidget() is review and review.rated_count == N_TEST
    review.go(0)
    assert any(b.isChecked() for b in review.verdicts.buttons.values())  # the verdict given is shown


def test_progress_cancel_and_resume_asks_only_what_is_missing(tab, qtbot, standin):  # noqa: F811
    standin.chunk_delay = 0.04
    page = tab.evaluation
    page.setup.concurrency.setValue(2)
    with qtbot.waitSignal(page.run_ended, timeout=30000):
        page.start()
        qtbot.waitUntil(lambda: page.progress.maximum() == 2 * N_TEST and page.progress.value() >= 3, timeout=20000)
        assert page.progress.isVisibleTo(page) and page.cancel_button.isVisibleTo(page)
        assert "answers" in page.state.text()
        page.cancel_button.click()
    assert "cancelled" in page.state.text() and "Resume asks the rest" in page.state.text()
    assert not page.progress.isVisibleTo(page)
    store = EvalStore(tab.ws)
    run = store.runs()[0]
    assert run.status == "cancelled" and 3 <= run.answers < run.needed
    kept = store.answered_units(run.id)
    asked_before = len(standin.requests_to("/chat/completions"))
    assert page.runs_model.cell(0, 3) == "stopped"

    standin.chunk_delay = 0.0
    page.runs_view.selectRow(0)
    assert page.resume_button.isEnabled()
    with qtbot.waitSignal(page.run_ended, timeout=30000):
        page.resume_button.click()
    assert store.runs()[0].status == "finished" and store.runs()[0].answers == 2 * N_TEST
    again = standin.requests_to("/chat/completions")[asked_before:]
    assert len(again) == 2 * N_TEST - len(kept)  # what was answered is not asked again
    assert page.stack.currentWidget() is page.review
    assert not page.resume_button.isEnabled()


def test_review_keys_and_navigation(tab, qtbot, standin):  # noqa: F811
    page = tab.evaluation
    page.setup.limit.setValue(3)
    _run(qtbot, page)
    review = page.review
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    review.question.setFocus()
    qtbot.keyClick(review.question, Qt.Key.Key_X)
    assert review.position == 1 and review.rated_count == 1  # rated "both bad", moved on
    qtbot.keyClick(review.question, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert review.position == 0 and review.verdicts.buttons["both_bad"].isChecked()
    qtbot.keyClick(review.question, Qt.Key.Key_T)
    qtbot.keyClick(review.question, Qt.Key.Key_1)
    qtbot.keyClick(review.question, Qt.Key.Key_2)
    ratings = {r.item: r.verdict for r in EvalStore(tab.ws).ratings(review.plan.id)}
    assert ratings == {0: "tie", 1: "A", 2: "B"}
    report = tab.evaluation.report
    review.report_button.click()
    assert sum(int(report.model.cell(r, 5)) for r in range(2)) == 2  # one tie counts for both models


def test_presentation_mode_hides_ids_and_services_in_review_report_and_exports(tab, qtbot, standin, tmp_path):  # noqa: F811
    page = tab.evaluation
    page.setup.limit.setValue(2)
    _run(qtbot, page)
    assert "workspace example" in page.review.where.text()
    tab.set_presentation(True)
    assert "workspace example" not in page.review.where.text()
    page.review.report_button.click()
    assert "Service" not in page.report.answers_model.headers()
    assert page.report.model.cell(1, 0) == "gpt-4o-mini-2024-07-18 tuned (support-v2)"
    assert page.report.bars.rows[1][0] == "gpt-4o-mini-2024-07-18 tuned (support-v2)"
    html = page.report.export(tmp_path / "demo.html").read_text("utf-8")
    assert "workspace id" not in html and PRICED not in html
    text = page.report.export(tmp_path / "demo.csv").read_text("utf-8")
    assert list(csv.DictReader(io.StringIO(text)))[0]["service"] == ""
    tip = page.runs_model.data(page.runs_model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "tuned (support-v2)" in tip and "AbC123" not in tip


def test_selected_examples_and_an_empty_split(tab, qtbot, standin):  # noqa: F811
    page = tab.evaluation
    ids = tab.ws.ids()
    tab.selected_ids = lambda: [ids[-1], ids[0]]
    page.setup.source.setCurrentText("Selected in the Examples tab")
    assert "2 examples are selected" in page.setup.count.text()
    _run(qtbot, page)
    plan = EvalStore(tab.ws).load_run(EvalStore(tab.ws).runs()[0].id)
    assert [i.example_id for i in plan.items] == [ids[-1], ids[0]]

    page.setup.source.setCurrentText("Validation split")
    with qtbot.waitSignal(page.run_ended, timeout=10000):
        page.start()
    assert "nothing to ask in the validation split" in page.state.text()
    assert len(EvalStore(tab.ws).runs()) == 1


def test_three_models_are_reviewed_pair_by_pair_with_a_head_to_head(tab, qtbot, standin):  # noqa: F811
    page = tab.evaluation
    third = page.setup.add_picker(ChatTarget("gpt-4.1-nano-2025-04-14", profile=PRICED))
    assert third is not None and len(page.setup.pickers) == 3
    page.setup.limit.setValue(2)
    _run(qtbot, page)
    review = page.review
    assert review.progress.text() == "0 of 6 rated"  # 2 examples x 3 pairs
    for _ in range(6):
        review.verdicts.buttons["tie"].click()
    review.report_button.click()
    report = page.report
    assert report.pairs.isVisibleTo(report) and report.pairs_model.rowCount() == 3
    assert [report.model.cell(r, 1) for r in range(3)] == ["50%"] * 3


@pytest.mark.parametrize("rows", [[], [["a", "1"], ["b", "2"]]])
def test_rows_model_is_a_valid_qt_model(qtmodeltester, rows):
    model = RowsModel(("Name", "Count"))
    model.set_rows(rows, tooltips=["first"])
    qtmodeltester.check(model)
    with pytest.raises(ValueError):
        model.set_rows([["too", "many", "cells"]])
