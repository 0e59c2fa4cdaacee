"""Read-only tables as tall as their rows (a report's few models should not float in empty space)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView

from workbench.ui.playground.rows_model import RowsModel


class CompactTable(QTableView):
    """A table over a RowsModel that fits its height to its rows; the first column stretches."""

    def __init__(self, model: RowsModel, name: str, max_rows: int = 8) -> None:
        super().__init__()
        self.max_rows = max_rows
        self.setModel(model)
        self.setAccessibleName(name)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        model.modelReset.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        if self.model().columnCount():
            self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rows = min(self.model().rowCount(), self.max_rows)
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) or self.verticalHeader().defaultSectionSize() for r in range(rows))
        if self.model().rowCount() > self.max_rows:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(max(height, self.horizontalHeader().sizeHint().height() + 8))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
            self._fit()
