"""A read-only table model over rows of display strings: the tallies, reports and run lists."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RowsModel(QAbstractTableModel):
    """``headers`` and rows of strings; the first ``left`` columns are left-aligned, the rest right
    (numbers). ``tooltips`` optionally gives one tooltip per row."""

    def __init__(self, headers: Sequence[str], left: int = 1, parent=None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._left = left
        self._rows: list[list[str]] = []
        self._tips: list[str] = []

    def set_rows(self, rows: Sequence[Sequence[str]], tooltips: Sequence[str] = ()) -> None:
        for row in rows:
            if len(row) != len(self._headers):
                raise ValueError(f"a row has {len(row)} cells, the table {len(self._headers)} columns")
        self.beginResetModel()
        self._rows = [[str(c) for c in row] for row in rows]
        self._tips = list(tooltips)
        self.endResetModel()

    def set_headers(self, headers: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> None:
        """Change the columns (e.g. a column hidden in presentation mode) together with the rows."""
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = []
        self.endResetModel()
        if rows:
            self.set_rows(rows)

    def cell(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def headers(self) -> list[str]:
        return list(self._headers)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(LEFT if index.column() < self._left else RIGHT)
        if role == Qt.ItemDataRole.ToolTipRole and index.row() < len(self._tips):
            return self._tips[index.row()] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None
