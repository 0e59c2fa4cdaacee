"""Dataset versions: named snapshots of the examples, the jobs trained on each, and a comparison of
two versions (or one and the current examples) with a side-by-side view of each changed example."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store import Workspace
from workbench.core.versions import (
    CURRENT,
    VersionDiff,
    VersionError,
    VersionInfo,
    change_data,
    create_version,
    delete_version,
    describe_content_change,
    diff_versions,
    list_versions,
    rename_version,
    set_note,
)
from workbench.ui.quality.common import EXPECTED, RunBar, hint, is_dark, local_time, plural, read_task
from workbench.ui.quality.conversation_html import side_html
from workbench.ui.quality.version_changes_model import VersionChangesModel
from workbench.ui.quality.version_dialog import VersionDialog

EMPTY_HINT = ("No versions yet. <b>Create Version…</b> saves the examples as they are now, under a name; every "
              "fine-tuning job also records the version it trained on. Compare two versions to see what changed.")
ERROR_STYLE = "color: #d0353f"


class VersionsPage(QWidget):
    jump_to_example = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.versions: list[VersionInfo] = []
        self.diff: VersionDiff | None = None
        self.create_task = None
        layout = QVBoxLayout(self)

        buttons = QHBoxLayout()
        self.create_button = QPushButton("Create Version…")
        self.create_button.clicked.connect(self._create_dialog)
        self.rename_button = QPushButton("Rename…")
        self.rename_button.clicked.connect(self._rename_dialog)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(lambda: self.delete_selected(ask=True))
        for b in (self.create_button, self.rename_button, self.delete_button):
            buttons.addWidget(b)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons.addWidget(self.message, 1)
        layout.addLayout(buttons)
        self.empty = hint(EMPTY_HINT)
        layout.addWidget(self.empty)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Name", "Created", "Examples", "Jobs trained on it", "Note"])
        self.table.setAccessibleName("Dataset versions")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        for column, width in enumerate((260, 130, 90, 260)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.compare_selected_with_current())
        split.addWidget(self.table)

        compare_box = QGroupBox("Compare")
        compare_layout = QVBoxLayout(compare_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("From:"))
        self.before = QComboBox()
        self.before.setAccessibleName("Compare from")
        self.before.setMinimumContentsLength(28)
        row.addWidget(self.before)
        row.addSpacing(8)
        row.addWidget(QLabel("to:"))
        self.after = QComboBox()
        self.after.setAccessibleName("Compare to")
        self.after.setMinimumContentsLength(28)
        row.addWidget(self.after)
        row.addSpacing(8)
        self.bar = RunBar("Compare")
        self.bar.button.clicked.connect(self.compare)
        row.addWidget(self.bar, 1)
        compare_layout.addLayout(row)
        self.diff_summary = hint("Pick two versions (or a version and the current examples) and press "
                                 "<b>Compare</b>.")
        compare_layout.addWidget(self.diff_summary)
        self.change_detail = QLabel()
        self.change_detail.setWordWrap(True)
        compare_layout.addWidget(self.change_detail)
        sides = QSplitter(Qt.Orientation.Horizontal)
        self.changes = VersionChangesModel(self)
        self.changes_view = QTableView()
        self.changes_view.setModel(self.changes)
        self.changes_view.setAccessibleName("Changed examples")
        self.changes_view.verticalHeader().setVisible(False)
        self.changes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.changes_view.setWordWrap(False)
        self.changes_view.verticalHeader().setDefaultSectionSize(24)
        self.changes_view.setColumnWidth(0, 80)
        self.changes_view.setColumnWidth(1, 72)
        self.changes_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.changes_view.selectionModel().selectionChanged.connect(self._change_selected)
        self.changes_view.doubleClicked.connect(self._open_change)
        sides.addWidget(self.changes_view)
        self.left = QTextBrowser()
        self.left.setAccessibleName("Before")
        self.right = QTextBrowser()
        self.right.setAccessibleName("After")
        sides.addWidget(self.left)
        sides.addWidget(self.right)
        sides.setSizes([440, 380, 380])
        compare_layout.addWidget(sides, 1)
        split.addWidget(compare_box)
        split.setSizes([170, 520])
        layout.addWidget(split, 1)
        self._selection_changed()

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.bar.stop()
        self.ws = ws
        self.diff = None
        self.changes.set_diff(None)
        self.left.clear()
        self.right.clear()
        self.message.clear()
        self.refresh()

    def shutdown(self) -> None:
        self.bar.stop()

    def refresh(self) -> None:
        """Re-read the list (after a job submission made a version on its own connection, too)."""
        if self.ws is None:
            return
        selected = self.selected()
        self.versions = list_versions(self.ws)
        self.table.setRowCount(len(self.versions))
        for row, v in enumerate(self.versions):
            jobs = ", ".join(v.jobs[:3]) + (f" and {len(v.jobs) - 3} more" if len(v.jobs) > 3 else "")
            cells = (v.name, local_time(v.created_at), f"{v.examples:,}", jobs or "—", " ".join(v.note.split()))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 4 and v.note:
                    item.setToolTip(v.note)
                item.setData(Qt.ItemDataRole.UserRole, v.id)
                self.table.setItem(row, column, item)
            if selected is not None and v.id == selected.id:
                self.table.selectRow(row)
        self.empty.setVisible(not self.versions)
        self._fill_combos()
        self._selection_changed()

    def _fill_combos(self) -> None:
        before, after = self.before.currentData(), self.after.currentData()
        for box in (self.before, self.after):
            box.blockSignals(True)
            box.clear()
        self.after.addItem("Current examples", CURRENT)
        for v in self.versions:
            self.before.addItem(v.name, v.id)
            self.after.addItem(v.name, v.id)
        self.before.setCurrentIndex(max(0, self.before.findData(before)))
        self.after.setCurrentIndex(max(0, self.after.findData(after)))
        for box in (self.before, self.after):
            box.blockSignals(False)
        self.bar.button.setEnabled(bool(self.versions) and not self.bar.running)

    def selected(self) -> VersionInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows and rows[0].row() < len(self.versions) else None

    def select(self, name: str) -> None:
        for row, v in enumerate(self.versions):
            if v.name == name:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        v = self.selected()
        self.rename_button.setEnabled(v is not None)
        self.delete_button.setEnabled(v is not None)
        if v is not None:
            self.before.setCurrentIndex(max(0, self.before.findData(v.id)))

    # --- create, rename, delete --------------------------------------------------------------------

    def _create_dialog(self) -> None:
        dialog = VersionDialog("Create version", placeholder="Leave empty for \"Version N — date time\"", parent=self)
        if dialog.exec():
            self.create(*dialog.values())

    def create(self, name: str, note: str = ""):
        """Snapshots the examples on a worker (the first version copies every text)."""
        if self.ws is None or (self.create_task is not None and self.create_task.running):
            return None
        self.create_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText("Saving a version of the examples…")
        task = read_task("Creating a version", self.ws.path, lambda ws, _p, _c: create_version(ws, name, note), self,
                         expected=(*EXPECTED, VersionError))
        task.succeeded.connect(self._created)
        task.failed.connect(self._error)
        task.finished.connect(lambda: self.create_button.setEnabled(True))
        self.create_task = task
        return task

    def _created(self, version: VersionInfo) -> None:
        self.refresh()
        self.select(version.name)
        self.message.setText(f"Saved “{version.name}” ({plural(version.examples, 'example')}).")

    def _error(self, message: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message)

    def _rename_dialog(self) -> None:
        v = self.selected()
        if v is None:
            return
        dialog = VersionDialog("Rename version", v.name, v.note, parent=self)
        if dialog.exec():
            self.rename(v.id, *dialog.values())

    def rename(self, version_id: int, name: str, note: str | None = None) -> bool:
        self.message.setStyleSheet("")
        try:
            version = rename_version(self.ws, version_id, name)
            if note is not None and note.strip() != version.note:
                version = set_note(self.ws, version_id, note)
        except VersionError as exc:
            self._error(str(exc))
            return False
        self.refresh()
        self.message.setText(f"Renamed to “{version.name}”.")
        return True

    def delete_selected(self, *, ask: bool = True) -> bool:
        v = self.selected()
        if v is None or self.ws is None:
            return False
        if ask and not v.jobs and QMessageBox.question(
                self, "Delete version", f"Delete the version “{v.name}”? The examples are not affected.") \
                != QMessageBox.StandardButton.Yes:
            return False
        self.message.setStyleSheet("")
        try:
            delete_version(self.ws, v.id)
        except VersionError as exc:  # a job trained on it: the refusal says so plainly
            self._error(str(exc))
            return False
        self.refresh()
        self.message.setText(f"Deleted “{v.name}”.")
        return True

    # --- compare -----------------------------------------------------------------------------------

    def compare_selected_with_current(self):
        v = self.selected()
        if v is None:
            return None
        self.before.setCurrentIndex(max(0, self.before.findData(v.id)))
        self.after.setCurrentIndex(0)
        return self.compare()

    def compare(self):
        if self.ws is None or self.bar.running or self.before.currentData() is None:
            return None
        before, after = self.before.currentData(), self.after.currentData()
        task = read_task("Comparing versions", self.ws.path, lambda ws, _p, _c: diff_versions(ws, before, after), self,
                         expected=(*EXPECTED, VersionError))
        task.succeeded.connect(self._compared)
        return self.bar.watch(task, "Comparing…")

    def _compared(self, diff: VersionDiff) -> None:
        self.diff = diff
        self.changes.set_diff(diff)
        self.left.clear()
        self.right.clear()
        self.change_detail.clear()
        self.bar.message.clear()
        after = "the current examples" if diff.after == CURRENT else f"“{diff.after}”"
        if diff.identical:
            self.diff_summary.setText(f"“{diff.before}” and {after} hold the same examples, splits and tags.")
            return
        c = diff.counts()
        self.diff_summary.setText(
            f"From “{diff.before}” to {after}: <b>{c['added']:,}</b> added · <b>{c['removed']:,}</b> removed · "
            f"<b>{c['changed']:,}</b> changed · {c['unchanged']:,} unchanged. Select a row to see both sides.")
        self.changes_view.selectRow(0)

    def _change_selected(self, selected: QItemSelection, _deselected=None) -> None:
        rows = self.changes_view.selectionModel().selectedRows()
        if not rows or self.ws is None:
            return
        change = self.changes.change(rows[0].row())
        before, after = change_data(self.ws, change)
        tint = "#5a4500" if is_dark(self) else "#fff4cc"
        names = (self.diff.before if self.diff else "before", self.diff.after if self.diff else "after")
        titles = [("Current examples" if n == CURRENT else n) for n in names]
        detail = change.summary()
        if "content" in change.fields:
            detail = detail.replace("text changed", describe_content_change(before, after))
        self.change_detail.setText(f"Example #{change.example_id}: {detail}")
        self.left.setHtml(side_html(change.before, before, change.after, after, titles[0], tint))
        self.right.setHtml(side_html(change.after, after, change.before, before, titles[1], tint))

    def _open_change(self, index) -> None:
        change = self.changes.change(index.row())
        if change.after is not None and self.diff is not None and self.diff.after == CURRENT:
            self.jump_to_example.emit(change.example_id)
