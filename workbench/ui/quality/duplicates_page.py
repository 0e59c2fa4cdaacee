"""Duplicates: exact and near-duplicate groups with keep / remove per example, "Remove Marked" as one
undo step, and canned-answer clusters (the same reply to many different questions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.quality import (
    CannedAnswer,
    DuplicateReport,
    WorkspaceRecords,
    find_canned_answers,
    find_duplicates,
    remove_duplicates,
)
from workbench.core.store import Workspace
from workbench.ui.quality.common import RunBar, RunEdit, apply_edit, hint, plural, read_task
from workbench.ui.quality.duplicates_model import DuplicatesModel

CANNED_SHOWN = 200  # examples listed under one canned answer
START_HINT = ("Press <b>Find Duplicates</b> to group conversations that are the same (exact) or nearly the same "
              "(similar from the threshold). In each group the suggested keeper is ticked; untick to remove, "
              "tick to keep. Nothing changes until you press <b>Remove Marked</b>.")


@dataclass
class DuplicatesResult:
    report: DuplicateReport
    canned: list[CannedAnswer]
    previews: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (first question, last reply)


def find_all(ws: Workspace, threshold: float, keep: str, ignore_system: bool, progress, cancelled) -> DuplicatesResult:
    records = WorkspaceRecords(ws)
    n = len(records)
    total = 4 * max(n, 1)
    report = find_duplicates(records, threshold=threshold, keep=keep, ignore_system=ignore_system,
                             progress=lambda d, _t: progress(d, total), cancel=cancelled)
    canned = find_canned_answers(records, progress=lambda d, _t: progress(2 * n + d, total), cancel=cancelled)
    ids = {i for g in report.groups for i in g.members} | {i for c in canned for i in c.example_ids[:CANNED_SHOWN]}
    previews = {i: (row[0] or "", row[1] or "") for i, row in ws.summaries(sorted(ids)).items()}
    return DuplicatesResult(report, canned, previews)


class DuplicatesPage(QWidget):
    jump_to_example = Signal(int)

    def __init__(self, run_edit: RunEdit, parent=None) -> None:
        super().__init__(parent)
        self.run_edit = run_edit
        self.ws: Workspace | None = None
        self.result: DuplicatesResult | None = None
        layout = QVBoxLayout(self)

        options = QHBoxLayout()
        options.addWidget(QLabel("Near duplicates from:"))
        self.threshold = QDoubleSpinBox(minimum=50, maximum=100, value=85, decimals=0, singleStep=5, suffix="% alike")
        self.threshold.setAccessibleName("Similarity threshold")
        self.threshold.setToolTip("How much of the wording two conversations must share to be grouped "
                                  "(100% finds exact duplicates only).")
        options.addWidget(self.threshold)
        options.addSpacing(16)
        options.addWidget(QLabel("Suggest keeping:"))
        self.keep = QComboBox()
        self.keep.addItem("The first in the list", "first")
        self.keep.addItem("The longest answer", "longest")
        self.keep.setAccessibleName("Suggest keeping")
        options.addWidget(self.keep)
        options.addSpacing(16)
        self.ignore_system = QCheckBox("Ignore system prompts")
        self.ignore_system.setToolTip("Compare conversations without their system prompt (it often differs "
                                      "between exports while the conversation is the same).")
        options.addWidget(self.ignore_system)
        options.addStretch(1)
        layout.addLayout(options)

        self.bar = RunBar("Find Duplicates")
        self.bar.button.clicked.connect(self.find)
        layout.addWidget(self.bar)
        self.summary = hint(START_HINT)
        layout.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Vertical)
        groups = QWidget()
        groups_layout = QVBoxLayout(groups)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        self.model = DuplicatesModel(self)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Duplicate groups")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        for column, width in enumerate((260, 130, 90, 380)):
            self.tree.setColumnWidth(column, width)
        self.tree.doubleClicked.connect(self._open)
        groups_layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.expand = QPushButton("Expand All")
        self.expand.clicked.connect(self.tree.expandAll)
        self.collapse = QPushButton("Collapse All")
        self.collapse.clicked.connect(self.tree.collapseAll)
        buttons.addWidget(self.expand)
        buttons.addWidget(self.collapse)
        buttons.addStretch(1)
        self.remove_button = QPushButton("Remove Marked")
        self.remove_button.clicked.connect(self.remove_marked)
        buttons.addWidget(self.remove_button)
        groups_layout.addLayout(buttons)
        split.addWidget(groups)

        canned_box = QGroupBox("Canned answers: the same reply to many different questions")
        canned_layout = QVBoxLayout(canned_box)
        self.canned_hint = hint("A model trained on them learns to paste the macro whatever is asked. "
                                "Consider removing most of them or writing answers to the questions.")
        canned_layout.addWidget(self.canned_hint)
        self.canned = QTreeWidget()
        self.canned.setColumnCount(4)
        self.canned.setHeaderLabels(["Reply", "Questions", "Uses", "Wordings"])
        self.canned.setAccessibleName("Canned answers")
        self.canned.setColumnWidth(0, 620)
        self.canned.itemActivated.connect(self._canned_activated)
        canned_layout.addWidget(self.canned)
        split.addWidget(canned_box)
        split.setSizes([480, 220])
        layout.addWidget(split, 1)
        self._update_buttons()

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.bar.stop()
        self.ws = ws
        self._show(None)
        self.summary.setText(START_HINT)
        self.bar.message.clear()

    def shutdown(self) -> None:
        self.bar.stop()

    def examples_changed(self) -> None:
        if self.model.group_count():
            self.bar.message.setText("The examples changed since this search: find again to see the current groups.")

    # --- find --------------------------------------------------------------------------------------

    def find(self):
        if self.ws is None or self.bar.running:
            return None
        threshold, keep, ignore = self.threshold.value() / 100, self.keep.currentData(), self.ignore_system.isChecked()
        task = read_task("Finding duplicates", self.ws.path,
                         lambda ws, progress, cancelled: find_all(ws, threshold, keep, ignore, progress, cancelled), self)
        task.succeeded.connect(self._found)
        return self.bar.watch(task, "Comparing every conversation with the others…")

    def _found(self, result: DuplicatesResult) -> None:
        self._show(result)
        r = result.report
        if not r.groups:
            self.summary.setText(f"No duplicates among {plural(r.examples, 'example')}.")
        else:
            self.summary.setText(
                f"{plural(len(r.exact), 'group')} of exact and {plural(len(r.near), 'group')} of near duplicates "
                f"among {plural(r.examples, 'example')}. The suggestions remove {len(r.removal_ids()):,}. "
                "Double-click an example to open it.")
        self.bar.message.setText(f"{plural(len(result.canned), 'canned answer')} found." if result.canned else "")

    def _show(self, result: DuplicatesResult | None) -> None:
        self.result = result
        self.model.set_groups(result.report.groups if result else [], result.previews if result else {})
        self.canned.clear()
        for c in result.canned if result else []:
            item = QTreeWidgetItem([" ".join(c.reply.split()), f"{c.questions:,}", f"{c.uses:,}", f"{c.wordings:,}"])
            item.setToolTip(0, c.reply)
            item.setData(0, Qt.ItemDataRole.UserRole, c.example_ids[0])
            for column in (1, 2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for example_id in c.example_ids[:CANNED_SHOWN]:
                question = " ".join(result.previews.get(example_id, ("", ""))[0].split())
                child = QTreeWidgetItem([f"#{example_id} · {question[:160]}"])
                child.setData(0, Qt.ItemDataRole.UserRole, example_id)
                item.addChild(child)
            if len(c.example_ids) > CANNED_SHOWN:
                item.addChild(QTreeWidgetItem([f"… and {len(c.example_ids) - CANNED_SHOWN:,} more"]))
            self.canned.addTopLevelItem(item)
        if result and not result.canned:
            self.canned.addTopLevelItem(QTreeWidgetItem(["No reply is used for many different questions."]))

    def _update_buttons(self, *_args) -> None:
        n = len(self.model.removal_ids())
        self.remove_button.setText(f"Remove {n:,} Marked" if n else "Remove Marked")
        self.remove_button.setEnabled(n > 0)
        for button in (self.expand, self.collapse):
            button.setEnabled(self.model.group_count() > 0)

    def _open(self, index: QModelIndex) -> None:
        if index.parent().isValid():  # an example row; a group row expands / collapses
            self.jump_to_example.emit(self.model.example_id(index))

    def _canned_activated(self, item: QTreeWidgetItem) -> None:
        example_id = item.data(0, Qt.ItemDataRole.UserRole)
        if example_id is not None:
            self.jump_to_example.emit(example_id)

    # --- remove ------------------------------------------------------------------------------------

    def remove_marked(self) -> bool:
        ids = self.model.removal_ids()
        if self.ws is None or not ids:
            return False
        label = f"Remove {plural(len(ids), 'duplicate example')}"
        self.remove_button.setEnabled(False)
        started = apply_edit(self.run_edit, label, len(ids), lambda ws: remove_duplicates(ws, ids, label),
                             "Removing duplicates", self._removed, self._failed)
        if not started:
            self._failed("")
        return started

    def _failed(self, message: str) -> None:
        self.bar.message.setText(message)
        self._update_buttons()

    def _removed(self, removed: int) -> None:
        self._show(None)
        self.summary.setText("Find again to check what is left.")
        self.bar.message.setText(f"Removed {plural(removed, 'example')} as one step; Edit > Undo brings them back."
                                 if removed else "Nothing was removed: those examples were already gone.")
