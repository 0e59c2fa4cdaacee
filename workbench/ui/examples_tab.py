"""The Examples tab: dataset banner, filters, the lazy table and the conversation editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store import SPLITS, Workspace
from workbench.ui.conversation_editor import ConversationEditor
from workbench.ui.examples_model import ExamplesTableModel
from workbench.ui.icons import status_icons

COLUMN_WIDTHS = (90, 340, 340, 56, 64, 110, 80)


class ExamplesTab(QWidget):
    selection_changed = Signal()

    def __init__(self, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.model: ExamplesTableModel | None = None
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setAccessibleName("Dataset checks")
        layout.addWidget(self.banner)
        bar = QHBoxLayout()
        self.filter_text = QLineEdit(placeholderText="Filter by text…", clearButtonEnabled=True)
        self.filter_text.setAccessibleName("Filter examples by text")
        self.filter_status = QComboBox()
        self.filter_status.addItems(["Any status", "error", "warning", "ok"])
        self.filter_status.setAccessibleName("Filter by status")
        self.filter_tag = QComboBox()
        self.filter_tag.setAccessibleName("Filter by tag")
        self.filter_split = QComboBox()
        self.filter_split.addItems(["Any split", *SPLITS])
        self.filter_split.setAccessibleName("Filter by split")
        bar.addWidget(self.filter_text, 3)
        for w in (self.filter_status, self.filter_tag, self.filter_split):
            bar.addWidget(w, 1)
        layout.addLayout(bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setAccessibleName("Examples")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.splitter.addWidget(self.table)
        self.editor = ConversationEditor(undo_stack)
        self.splitter.addWidget(self.editor)
        self.splitter.setSizes([640, 520])
        layout.addWidget(self.splitter, 1)
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self.apply_filters)
        self.filter_text.textChanged.connect(self._filter_timer.start)
        for box in (self.filter_status, self.filter_tag, self.filter_split):
            box.currentIndexChanged.connect(self.apply_filters)

    def set_workspace(self, ws: Workspace) -> None:
        if self.model is not None:
            self.model.close()
        self.model = ExamplesTableModel(ws, self)
        self.model.status_icons = status_icons()
        self.table.setModel(self.model)
        self.model.modelReset.connect(lambda: self._reselect(self.editor.example_id))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # workspace order
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.editor.set_workspace(ws)
        self.refresh_tags(ws)

    def refresh_tags(self, ws: Workspace) -> None:
        current = self.filter_tag.currentText()
        self.filter_tag.blockSignals(True)
        self.filter_tag.clear()
        self.filter_tag.addItems(["Any tag", *ws.all_tags()])
        self.filter_tag.setCurrentText(current)
        self.filter_tag.blockSignals(False)

    def filters(self) -> dict:
        pick = lambda box: box.currentText() if box.currentIndex() > 0 else ""  # noqa: E731
        return {"text": self.filter_text.text().strip(), "status": pick(self.filter_status),
                "tag": pick(self.filter_tag), "split": pick(self.filter_split)}

    def apply_filters(self) -> None:
        keep = self.editor.example_id
        self.model.set_filters(**self.filters())
        self._reselect(keep)

    def clear_filters(self) -> None:
        for w in (self.filter_status, self.filter_tag, self.filter_split):
            w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(False)
        self.filter_text.blockSignals(True)
        self.filter_text.clear()
        self.filter_text.blockSignals(False)
        self.apply_filters()

    def _reselect(self, example_id: int | None) -> None:
        row = self.model.row_of(example_id) if example_id is not None else None
        if row is not None:
            self.table.selectRow(row)

    def _current_changed(self, current, _previous) -> None:
        # An invalid index comes with every model reset (filters, re-checks): keep the editor as it is;
        # the editor clears itself when its example is deleted.
        if current.isValid():
            example_id = self.model.example_id(current.row())
            if example_id != self.editor.example_id:
                self.editor.show_example(example_id)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.example_id(r) for r in rows]

    def go_to(self, example_id: int, message_index: int | None = None) -> None:
        """Select an example (clearing filters that hide it) and focus a message in the editor."""
        if self.model.row_of(example_id) is None:
            self.clear_filters()
        row = self.model.row_of(example_id)
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self.editor.show_example(example_id, message_index - 1 if message_index else None)
