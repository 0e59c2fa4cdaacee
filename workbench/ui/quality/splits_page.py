"""Splits: train / validation / test by ratio, optionally stratified by a tag, seeded (the same seed
and examples give the same split every time); a preview per stratum, then Apply as one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.quality import SplitPlan, SplitRatios, WorkspaceRecords, apply_splits, plan_splits
from workbench.core.quality.splits import SPLIT_NAMES
from workbench.core.store import Workspace
from workbench.ui.quality.common import RunBar, RunEdit, apply_edit, hint, plural, read_task, tag_choices

HELD_OUT_NOTE = ("<b>The test split is held out.</b> Export and fine-tuning jobs never include it, so it stays "
                 "unseen for evaluating the trained model. Excluded examples keep their place.")
ERROR_STYLE = "color: #d0353f"


def plan_workspace(ws: Workspace, ratios: SplitRatios, seed: int, by: str | None, progress=None, cancel=None) -> SplitPlan:
    return plan_splits(WorkspaceRecords(ws), ratios, seed=seed, stratify_by=by, progress=progress, cancel=cancel)


class SplitsPage(QWidget):
    def __init__(self, run_edit: RunEdit, parent=None) -> None:
        super().__init__(parent)
        self.run_edit = run_edit
        self.ws: Workspace | None = None
        self.plan: SplitPlan | None = None
        self._dirty = True
        self._done = ""  # what the last Apply did, shown until the parameters change
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.preview)
        layout = QVBoxLayout(self)

        row = QHBoxLayout()
        self.spins: dict[str, QSpinBox] = {}
        for name, value in zip(SPLIT_NAMES, (80, 10, 10), strict=True):
            spin = QSpinBox(minimum=0, maximum=100, value=value, suffix="%")
            spin.setAccessibleName(f"{name.capitalize()} share")
            spin.valueChanged.connect(lambda _v, n=name: self._ratio_changed(n))
            self.spins[name] = spin
            row.addWidget(QLabel(f"{name.capitalize()}:"))
            row.addWidget(spin)
            row.addSpacing(8)
        row.addSpacing(16)
        row.addWidget(QLabel("Stratify by tag:"))
        self.stratify = QComboBox()
        self.stratify.setAccessibleName("Stratify by tag")
        self.stratify.setMinimumContentsLength(18)
        self.stratify.currentIndexChanged.connect(self._changed)
        row.addWidget(self.stratify)
        row.addSpacing(16)
        row.addWidget(QLabel("Seed:"))
        self.seed = QSpinBox(minimum=0, maximum=2_147_483_647, value=42)
        self.seed.setAccessibleName("Seed")
        self.seed.setToolTip("The same seed and the same examples always give the same split.")
        self.seed.valueChanged.connect(self._changed)
        row.addWidget(self.seed)
        row.addStretch(1)
        layout.addLayout(row)
        self.ratio_error = QLabel(visible=False)
        self.ratio_error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.ratio_error)

        self.held_out_note = QLabel(HELD_OUT_NOTE)
        self.held_out_note.setWordWrap(True)
        self.held_out_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.held_out_note.setMargin(8)
        layout.addWidget(self.held_out_note)

        self.bar = RunBar("Refresh Preview")
        self.bar.button.clicked.connect(self.preview)
        layout.addWidget(self.bar)
        self.summary = hint("The preview shows how many examples each split gets, per stratum.")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Stratum", "Examples", "Train", "Validation", "Test"])
        self.table.setAccessibleName("Split preview")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        apply_row = QHBoxLayout()
        self.moves = QLabel()
        apply_row.addWidget(self.moves, 1)
        self.apply_button = QPushButton("Assign Splits")
        self.apply_button.clicked.connect(self.apply)
        apply_row.addWidget(self.apply_button)
        layout.addLayout(apply_row)

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.bar.stop()
        self.ws = ws
        self.plan = None
        self.refresh_tags()
        self._show_plan()
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def refresh_tags(self) -> None:
        current = self.stratify.currentData()
        self.stratify.blockSignals(True)
        self.stratify.clear()
        self.stratify.addItem("No stratification", None)
        for label, prefix in tag_choices(self.ws.all_tags() if self.ws else []):
            self.stratify.addItem(label, prefix)
        self.stratify.setCurrentIndex(max(0, self.stratify.findData(current)))
        self.stratify.blockSignals(False)

    def shutdown(self) -> None:
        self.bar.stop()
        self._timer.stop()

    def examples_changed(self) -> None:
        self._dirty = True
        self._done = ""  # an undo or another edit: what the last Apply did is no longer the news
        if self.isVisible():
            self._timer.start(1000)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh_tags()
            self._timer.start(0)

    # --- parameters --------------------------------------------------------------------------------

    def _ratio_changed(self, name: str) -> None:
        train, validation, test = (self.spins[n] for n in SPLIT_NAMES)
        other = test if name != "test" else validation  # keep the sum at 100 by moving the other one
        rest = 100 - sum(s.value() for s in (train, validation, test) if s is not other)
        if 0 <= rest <= 100:
            other.blockSignals(True)
            other.setValue(rest)
            other.blockSignals(False)
        self._changed()

    def ratios(self) -> SplitRatios | None:
        values = [self.spins[n].value() for n in SPLIT_NAMES]
        try:
            ratios = SplitRatios(*(v / 100 for v in values))
        except ValueError as exc:
            total = sum(values)
            self.ratio_error.setText(f"The shares add up to {total}%; they must add up to 100%."
                                     if total != 100 else str(exc).capitalize() + ".")
            self.ratio_error.setVisible(True)
            return None
        self.ratio_error.setVisible(False)
        return ratios

    def _changed(self) -> None:
        self._dirty = True
        self._done = ""
        self.apply_button.setEnabled(False)
        self._timer.start()

    # --- preview -----------------------------------------------------------------------------------

    def preview(self):
        ratios = self.ratios()
        if self.ws is None or ratios is None:
            self.plan = None
            self._show_plan()
            return None
        if self.bar.running:
            self.bar.task.cancel()
            self._timer.start()  # again once the old preview has stopped
            return None
        self._dirty = False
        seed, by = self.seed.value(), self.stratify.currentData()
        task = read_task("Planning splits", self.ws.path,
                         lambda ws, progress, cancelled: plan_workspace(ws, ratios, seed, by, progress, cancelled), self)
        task.succeeded.connect(self._planned)
        return self.bar.watch(task, "Planning…")

    def _planned(self, plan: SplitPlan) -> None:
        self.plan = plan
        self._show_plan()
        self.bar.message.clear()

    def _show_plan(self) -> None:
        plan = self.plan
        rows = plan.table() if plan and plan.assignment else []
        self.table.setRowCount(len(rows))
        for r, (stratum, examples, *counts) in enumerate(rows):
            cells = [stratum, f"{examples:,}"] + [f"{c:,} ({c / examples:.0%})" if examples else "0" for c in counts]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if stratum == "total" and r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, column, item)
        if plan is None or not plan.assignment:
            self.moves.setText("No examples to split." if plan is not None else "")
            self.apply_button.setEnabled(False)
            return
        moved = len(plan.changed_ids())
        self.moves.setText(self._done + (f"Assigning moves {plural(moved, 'example')} to another split." if moved
                                         else "Every example is in the split this plan gives it."))
        self.apply_button.setEnabled(moved > 0)

    # --- apply -------------------------------------------------------------------------------------

    def apply(self) -> bool:
        ratios = self.ratios()
        if self.ws is None or ratios is None:
            return False
        seed, by = self.seed.value(), self.stratify.currentData()
        label = f"Assign splits {ratios} (seed {seed}{', by ' + by if by else ''})"
        rows = len(self.plan.changed_ids()) if self.plan else self.ws.count()

        def assign(ws: Workspace) -> int:  # planned again inside the edit: exactly the examples there now
            return apply_splits(ws, plan_workspace(ws, ratios, seed, by), label)

        self.apply_button.setEnabled(False)
        started = apply_edit(self.run_edit, label, rows, assign, "Assigning splits", self._applied, self._failed)
        if not started:
            self._failed("")
        return started

    def _failed(self, message: str) -> None:
        self.bar.message.setText(message)
        self._show_plan()

    def _applied(self, moved: int) -> None:
        self._done = (f"Moved {plural(moved, 'example')} as one step; Edit > Undo puts them back. " if moved
                      else "Nothing moved. ")
        self.preview()
