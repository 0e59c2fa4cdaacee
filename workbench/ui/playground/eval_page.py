"""Evaluate: run examples' questions through 2-4 models in the background (progress, Cancel, resume),
review the answers blind one by one, and read or export the report. Past runs stay listed."""

from __future__ import annotations

import random
from math import comb

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.eval_store import EvalRunSummary, EvalStore
from workbench.core.playground.evaluation import names_of
from workbench.core.playground.report import build_report
from workbench.core.store import Workspace
from workbench.ui.playground.eval_report import ReportView
from workbench.ui.playground.eval_review import ReviewView
from workbench.ui.playground.eval_setup import EvalSetup
from workbench.ui.playground.eval_work import EvalRequest, EvalSetupError, RunBox, create_and_run, resume_run
from workbench.ui.playground.rows_model import RowsModel
from workbench.ui.playground.targets import display_model
from workbench.ui.tasks import TaskHandle, run_task

RUN_HEADERS = ("Evaluation", "Answers", "Rated", "Status")
STATUS_TEXT = {"new": "not started", "running": "running", "cancelled": "stopped", "finished": "answered"}


def run_rows(runs: list[EvalRunSummary], active: int | None = None) -> list[list[str]]:
    """``active``: the run this window is asking now; another one marked running was cut short (the
    app closed or crashed) and can be resumed."""
    rows = []
    for r in runs:
        status = "interrupted" if r.status == "running" and r.id != active else STATUS_TEXT.get(r.status, r.status)
        pairs = r.items * comb(len(r.models), 2)
        rows.append([r.name or "Evaluation", f"{r.answers:,} of {r.needed:,}", f"{r.rated:,} of {pairs:,}", status])
    return rows


def run_tips(runs: list[EvalRunSummary], presentation: bool) -> list[str]:
    return [f"{' vs '.join(display_model(m, presentation) for m in r.models)}\n{r.items:,} examples · started "
            f"{r.created_at.replace('T', ' ').removesuffix('Z')}" for r in runs]


class EvaluationPage(QWidget):
    message = Signal(str)
    run_ended = Signal()  # a run's background work finished, however it ended

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.store: EvalStore | None = None
        self.task: TaskHandle | None = None
        self.box: RunBox | None = None
        self.runs: list[EvalRunSummary] = []
        self.open_run: int | None = None
        self.presentation = False

        outer = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)

        left = QWidget()
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QLabel("<b>Evaluations in this workspace</b>"))
        self.runs_model = RowsModel(RUN_HEADERS, parent=self)
        self.runs_view = QTableView()
        self.runs_view.setModel(self.runs_model)
        self.runs_view.setAccessibleName("Evaluation runs")
        self.runs_view.verticalHeader().setVisible(False)
        self.runs_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.runs_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs_view.setWordWrap(False)
        self.runs_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.runs_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.runs_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.runs_view.doubleClicked.connect(lambda _i: self.review_selected())
        side.addWidget(self.runs_view, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("New…")
        self.review_button = QPushButton("Review")
        self.report_button = QPushButton("Report")
        self.resume_button = QPushButton("Resume")
        self.delete_button = QPushButton("Delete")
        self.new_button.clicked.connect(self.show_setup)
        self.review_button.clicked.connect(self.review_selected)
        self.report_button.clicked.connect(self.report_selected)
        self.resume_button.clicked.connect(self.resume_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.new_button, self.review_button, self.report_button, self.resume_button, self.delete_button):
            row.addWidget(b)
        side.addLayout(row)
        split.addWidget(left)

        self.stack = QStackedWidget()
        self.setup = EvalSetup()
        self.setup.start_requested.connect(self.start)
        self.review = ReviewView()
        self.review.report_requested.connect(lambda: self.show_report(self.open_run))
        self.review.rated.connect(self.refresh_runs)
        self.report = ReportView()
        self.report.review_requested.connect(lambda: self.show_review(self.open_run))
        self.report.exported.connect(lambda path: self.message.emit(f"Report written to {path}"))
        for page in (self.setup, self.review, self.report):
            self.stack.addWidget(page)
        split.addWidget(self.stack)
        split.setSizes([380, 1000])

        bar = QHBoxLayout()
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Evaluation progress")
        bar.addWidget(self.state, 1)
        self.progress = QProgressBar(visible=False, maximumWidth=320)
        self.progress.setAccessibleName("Answers so far")
        self.progress.setFormat("%v of %m answers")
        bar.addWidget(self.progress)
        self.cancel_button = QPushButton("Cancel", visible=False)
        self.cancel_button.clicked.connect(self.cancel)
        bar.addWidget(self.cancel_button)
        outer.addLayout(bar)
        self._update_buttons()

    # --- workspace --------------------------------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        self.cancel()
        self.ws = ws
        self.store = EvalStore(ws) if ws is not None else None
        self.open_run = None
        self.setup.set_workspace(ws)
        self.show_setup()
        self.refresh_runs()

    def refresh_runs(self) -> None:
        selected = self.selected_run()
        self.runs = self.store.runs() if self.store is not None else []
        active = self.box.run_id if self.running and self.box is not None else None
        self.runs_model.set_rows(run_rows(self.runs, active), run_tips(self.runs, self.presentation))
        wanted = selected.id if selected is not None else self.open_run
        for row, run in enumerate(self.runs):
            if run.id == wanted:
                self.runs_view.selectRow(row)
        self._update_buttons()

    def _select(self, run_id: int) -> None:
        row = next((i for i, r in enumerate(self.runs) if r.id == run_id), None)
        if row is None:
            self.refresh_runs()
            row = next((i for i, r in enumerate(self.runs) if r.id == run_id), None)
        if row is not None:
            self.runs_view.selectRow(row)

    def selected_run(self) -> EvalRunSummary | None:
        rows = self.runs_view.selectionModel().selectedRows() if self.runs_view.selectionModel() else []
        return self.runs[rows[0].row()] if rows and rows[0].row() < len(self.runs) else None

    def _update_buttons(self) -> None:
        run = self.selected_run()
        busy = self.running
        self.review_button.setEnabled(run is not None)
        self.report_button.setEnabled(run is not None)
        self.resume_button.setEnabled(run is not None and not busy and run.answers < run.needed)
        self.delete_button.setEnabled(run is not None and not (busy and self.box and self.box.run_id == run.id))
        self.setup.start_button.setEnabled(not busy)

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    # --- pages ----------------------------------------------------------------------------------------------
    def show_setup(self) -> None:
        self.stack.setCurrentWidget(self.setup)

    def show_review(self, run_id: int | None) -> None:
        if run_id is None or self.store is None:
            return
        self.open_run = run_id
        self._select(run_id)
        self.review.show_run(self.store, self.store.load_run(run_id))
        self.stack.setCurrentWidget(self.review)
        self.review.setFocus()

    def show_report(self, run_id: int | None) -> None:
        if run_id is None or self.store is None:
            return
        self.open_run = run_id
        self._select(run_id)
        plan = self.store.load_run(run_id)
        self.report.show_report(build_report(plan, self.store.answers(run_id), self.store.ratings(run_id)))
        self.stack.setCurrentWidget(self.report)

    def review_selected(self) -> None:
        if (run := self.selected_run()) is not None:
            self.show_review(run.id)

    def report_selected(self) -> None:
        if (run := self.selected_run()) is not None:
            self.show_report(run.id)

    def delete_selected(self, confirm: bool = True) -> None:
        run = self.selected_run()
        if run is None or self.store is None:
            return
        if confirm and QMessageBox.question(self, "Delete evaluation", f"Delete “{run.name}” with its answers and "
                                            "verdicts? This cannot be undone.") != QMessageBox.StandardButton.Yes:
            return
        self.store.delete_run(run.id)
        if self.open_run == run.id:
            self.open_run = None
            self.show_setup()
        self.refresh_runs()

    # --- running -------------------------------------------------------------------------------------------
    def start(self) -> TaskHandle | None:
        if self.running or self.ws is None:
            return None
        try:
            targets = tuple(self.setup.targets())
            selection = self.setup.selection()
        except ValueError as exc:
            self.setup.show_problem(str(exc))
            return None
        self.setup.show_problem("")
        name = self.setup.name.text().strip() or f"{' vs '.join(names_of(targets))} on {selection.describe()}"
        request = EvalRequest(targets, selection, self.setup.settings(), self.setup.concurrency.value(), name,
                              random.randrange(2**31))
        self.box = RunBox()
        args = (self.ws.path, request, self.box)
        return self._launch("Evaluating", create_and_run, args)

    def resume_selected(self) -> TaskHandle | None:
        run = self.selected_run()
        if run is None or self.running or self.ws is None:
            return None
        self.box = RunBox(run_id=run.id)
        return self._launch("Resuming the evaluation", resume_run, (self.ws.path, run.id, self.box))

    def _launch(self, title: str, fn, args: tuple) -> TaskHandle:
        self.task = run_task(title, fn, *args, expected=(EvalSetupError, OSError), parent=self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._succeeded)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(self._cancelled)
        self.task.finished.connect(self._finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.state.setText(f"{title}: choosing the examples…" if fn is create_and_run else f"{title}…")
        self._update_buttons()
        return self.task

    def cancel(self) -> None:
        if self.running:
            self.task.cancel()
            if self.box is not None:
                self.box.cancel()
            self.cancel_button.setEnabled(False)
            self.state.setText("Stopping: the answers in progress are being closed…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.state.setText(f"Asking the models: {done:,} of {total:,} answers.")
        if self.box is not None and self.box.run_id is not None and not any(r.id == self.box.run_id for r in self.runs):
            self.refresh_runs()

    def _succeeded(self, outcome) -> None:
        skipped = f" {self.box.skipped} examples were left out ({self.box.skipped_reason})." if self.box.skipped else ""
        if outcome.finished:
            failed = f" {outcome.failed} answers failed (shown as such in the review)." if outcome.failed else ""
            self.state.setText(f"All {outcome.total:,} answers are in.{failed}{skipped} Now rate them blind.")
            self.show_review(self.box.run_id)
        else:
            self._cancelled()

    def _cancelled(self) -> None:
        run = next((r for r in (self.store.runs() if self.store else []) if self.box and r.id == self.box.run_id), None)
        kept = f" {run.answers:,} of {run.needed:,} answers are kept; Resume asks the rest." if run else ""
        self.state.setText(f"Evaluation cancelled.{kept}")

    def _failed(self, message: str) -> None:
        self.state.setText(f"⚠ {message}")
        self.message.emit(message)

    def _finished(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.refresh_runs()
        self.run_ended.emit()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.setup.set_presentation(on)
        self.review.set_presentation(on)
        self.report.set_presentation(on)
        self.refresh_runs()

    def shutdown(self) -> None:
        self.cancel()
