"""The examples that differ between two dataset states: added, removed, then changed."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.core.versions import ExampleChange, VersionDiff

COLUMNS = ("Change", "Example", "What changed")
ChangeRole = Qt.ItemDataRole.UserRole + 1


class VersionChangesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._changes: list[ExampleChange] = []

    def set_diff(self, diff: VersionDiff | None) -> None:
        self.beginResetModel()
        self._changes = [*diff.added, *diff.removed, *diff.changed] if diff else []
        self.endResetModel()

    def change(self, row: int) -> ExampleChange:
        return self._changes[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._changes):
            return None
        c = self._changes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (c.kind, f"#{c.example_id}", c.summary())[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return c.summary()
        if role == ChangeRole:
            return c
        return None
