"""The balance report as a table: one row per segment, then the overall row; skewed rows tinted."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from workbench.core.quality import BalanceReport, SegmentStats

COLUMNS = ("Segment", "Examples", "Share", "Avg reply (chars)", "Median reply", "Avg turns", "Stands out")
FlaggedRole = Qt.ItemDataRole.UserRole + 1
TagRole = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class BalanceModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[SegmentStats] = []
        self._overall: SegmentStats | None = None
        self.flag_background = QColor("#fff4cc")  # set by the view's owner to match the palette

    def set_report(self, report: BalanceReport | None) -> None:
        self.beginResetModel()
        self._rows = [*report.segments, report.overall] if report else []
        self._overall = report.overall if report else None
        self.endResetModel()

    def segment(self, row: int) -> SegmentStats:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        column = index.column()
        overall = s is self._overall
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.segment, f"{s.examples:,}", f"{s.share:.1%}", f"{s.avg_chars:,.0f}", f"{s.median_chars:,.0f}",
                    f"{s.avg_turns:.1f}", "; ".join(s.flags))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 < column < len(COLUMNS) - 1:
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and s.flags:
            return self.flag_background
        if role == Qt.ItemDataRole.FontRole and overall:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and s.flags:
            return "\n".join(s.flags)
        if role == FlaggedRole:
            return bool(s.flags)
        if role == TagRole:
            return s.tag
        return None
