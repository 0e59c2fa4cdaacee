"""Problems grouped by code: a two-level Qt model (code -> findings) for the Problems panel."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.core.validation.issues import CODES

MAX_PER_GROUP = 500
LocationRole = Qt.ItemDataRole.UserRole + 1  # (example id, message index or None)


@dataclass
class _Group:
    code: str
    severity: str
    items: list[tuple[int | None, int | None, str]]  # (example id, message index, message)
    total: int


class ProblemsModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []

    def set_problems(self, dataset_issues: list[dict], per_example: list[tuple[int, list[dict]]]) -> None:
        groups: dict[str, _Group] = {}
        for issue in dataset_issues:
            g = groups.setdefault(issue["code"], _Group(issue["code"], issue["severity"], [], 0))
            g.items.append((None, None, issue["message"]))
            g.total += 1
        for example_id, issues in per_example:
            for issue in issues:
                g = groups.setdefault(issue["code"], _Group(issue["code"], issue["severity"], [], 0))
                g.total += 1
                if len(g.items) < MAX_PER_GROUP:
                    g.items.append((example_id, issue.get("message_index"), issue["message"]))
        self.beginResetModel()
        self._groups = sorted(groups.values(), key=lambda g: (g.severity != "error", -g.total))
        self.endResetModel()

    def totals(self) -> tuple[int, int]:
        errors = sum(g.total for g in self._groups if g.severity == "error")
        return errors, sum(g.total for g in self._groups) - errors

    # --- Qt interface -------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if self._is_group(parent):
            group = parent.row()
            if row < self._child_count(group):
                return self.createIndex(row, 0, group + 1)  # internal id: 0 = group, n = child of group n-1
        return QModelIndex()

    def _is_group(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return index.internalId() == 0

    def _child_count(self, group: int) -> int:
        g = self._groups[group]
        return len(g.items) + (1 if g.total > len(g.items) else 0)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or self._is_group(index):
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if self._is_group(parent) and parent.column() == 0:
            return self._child_count(parent.row())
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if self._is_group(index):
            g = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                title = CODES[g.code].title if g.code in CODES else g.code
                return f"{'Error' if g.severity == 'error' else 'Warning'}: {title} ({g.total:,})"
            if role == Qt.ItemDataRole.ToolTipRole and g.code in CODES:
                return CODES[g.code].fix
            return None
        g = self._groups[index.internalId() - 1]
        if index.row() >= len(g.items):
            if role == Qt.ItemDataRole.DisplayRole:
                return f"… and {g.total - len(g.items):,} more (filter the table by status to see them all)"
            return None
        example_id, message_index, message = g.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return message
        if role == LocationRole:
            return (example_id, message_index)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if section == 0 and orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "Problem"
        return None
