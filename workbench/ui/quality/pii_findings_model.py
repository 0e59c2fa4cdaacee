"""The review table of a PII scan: one row per finding, a checkbox to redact it or leave it.

Holds the findings and the keys of the rejected ones; a kind filter shows one kind at a time, so
"reject all phone numbers" is: show phone numbers, Reject All Shown. Raw values are shown only in
the context column (the reviewer must see them to judge); the "Found" column is masked.
"""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from workbench.core.pii import Finding, title

COLUMNS = ("Redact", "Found", "In context", "Example")
CONTEXT_COLUMN = 2
EXAMPLE_COLUMN = 3
ContextRole = Qt.ItemDataRole.UserRole + 1  # (before, value, after) for the highlight delegate
LocationRole = Qt.ItemDataRole.UserRole + 2  # (example id, 1-based message number)


def _one_line(text: str) -> str:
    """Newlines and runs of spaces as one space; the spaces next to the hit stay."""
    return re.sub(r"\s+", " ", text)


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[Finding] = []
        self._shown: list[int] = []  # indexes into _all
        self._kind: str | None = None
        self._rejected: set[tuple] = set()

    # --- content ---------------------------------------------------------------------------------

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self._all = list(findings)
        self._rejected = set()
        self._kind = None
        self._shown = list(range(len(self._all)))
        self.endResetModel()

    def set_kind_filter(self, kind: str | None) -> None:
        """Show only ``kind`` (None: every kind)."""
        self.beginResetModel()
        self._kind = kind
        self._shown = [i for i, f in enumerate(self._all) if kind is None or f.kind == kind]
        self.endResetModel()

    def kind_counts(self) -> Counter[str]:
        return Counter(f.kind for f in self._all)

    def finding(self, row: int) -> Finding:
        return self._all[self._shown[row]]

    def set_shown_accepted(self, accepted: bool) -> None:
        """Accept (or reject) every finding the filter shows."""
        keys = {self._all[i].key for i in self._shown}
        if accepted:
            self._rejected -= keys
        else:
            self._rejected |= keys
        if self._shown:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._shown) - 1, 1),
                                  [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.FontRole])

    def accepted(self) -> list[Finding]:
        return [f for f in self._all if f.key not in self._rejected]

    def rejected(self) -> list[Finding]:
        return [f for f in self._all if f.key in self._rejected]

    def total(self) -> int:
        return len(self._all)

    # --- Qt model interface ------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        f = self.finding(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return title(f.kind)
            if column == 1:
                return f.masked
            if column == CONTEXT_COLUMN:
                return _one_line(f"…{f.before}{f.value}{f.after}…")
            return f"#{f.example_id} · message {f.message_index + 1} ({f.role or 'no role'})"
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Unchecked if f.key in self._rejected else Qt.CheckState.Checked
        if role == Qt.ItemDataRole.FontRole and column == 1 and f.key in self._rejected:
            font = QFont()
            font.setStrikeOut(True)  # left as it is: visible even where a checkbox is hard to see
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return "Ticked: replaced by a placeholder. Unticked: left as it is (not personal data)."
            if column == EXAMPLE_COLUMN:
                return "Double-click to open this example in the Examples tab."
            return None
        if role == ContextRole and column == CONTEXT_COLUMN:
            return (_one_line(f.before), f.value, _one_line(f.after))
        if role == LocationRole:
            return (f.example_id, f.message_index + 1)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        key = self.finding(index.row()).key
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._rejected.discard(key)
        else:
            self._rejected.add(key)
        self.dataChanged.emit(index, index.siblingAtColumn(1), [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.FontRole])
        return True
