"""Duplicate groups as a two-level tree: group -> its examples, each with a Keep checkbox.

The suggested keeper starts ticked and the others unticked ("remove"); the user may tick several
or pick another keeper. ``removal_ids()`` is every unticked example.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from workbench.core.quality import DuplicateGroup

COLUMNS = ("Group / example", "Decision", "Similarity", "Customer message", "Last reply")
ExampleIdRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def _one_line(text: str | None, limit: int = 200) -> str:
    return " ".join((text or "").split())[:limit]


class DuplicatesModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[DuplicateGroup] = []
        self._keep: list[set[int]] = []
        self._previews: dict[int, tuple[str, str]] = {}

    def set_groups(self, groups: list[DuplicateGroup], previews: dict[int, tuple[str, str]]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self._keep = [{g.keep} for g in self._groups]
        self._previews = dict(previews)
        self.endResetModel()

    def removal_ids(self) -> list[int]:
        return [i for g, keep in zip(self._groups, self._keep, strict=True) for i in g.members if i not in keep]

    def group_count(self) -> int:
        return len(self._groups)

    def example_id(self, index: Index) -> int | None:
        return index.data(ExampleIdRole) if index.isValid() else None

    # --- structure: internal id 0 = a group row, n = a child of group n-1 --------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() == 0 and parent.column() == 0 and row < len(self._groups[parent.row()].members):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].members)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != 0 and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    # --- data --------------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(index.row(), index.column(), role)
        group = index.internalId() - 1
        g = self._groups[group]
        example_id = g.members[index.row()]
        kept = example_id in self._keep[group]
        column = index.column()
        first_user, last_reply = self._previews.get(example_id, ("", ""))
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"Example #{example_id}" + (" (suggested)" if example_id == g.keep else "")
            if column == 1:
                return "keep" if kept else "remove"
            if column == 2:
                value = g.similarity.get(example_id)
                return f"{value:.0%}" if value is not None else ""
            return _one_line(first_user if column == 3 else last_reply)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if kept else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return "Ticked: kept. Unticked: removed by Remove Marked. Double-click to open the example."
            if column in (3, 4):
                return first_user if column == 3 else last_reply
        if role == ExampleIdRole:
            return example_id
        return None

    def _group_data(self, row: int, column: int, role: int):
        g = self._groups[row]
        kept = len(self._keep[row])
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                what = "Exact duplicates" if g.kind == "exact" else "Near duplicates"
                return f"{what} · {len(g.members)} examples"
            if column == 1:
                removed = len(g.members) - kept
                return f"keep {kept}, remove {removed}" if kept else f"remove all {removed}"
            if column == 2:
                lowest = min(g.similarity.values(), default=1.0)
                return f"≥ {lowest:.0%}" if g.kind == "near" else "100%"
            if column == 3:
                return _one_line(g.preview)
            return ""
        if role == ExampleIdRole:
            return g.keep
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and not kept:
            return "No example of this group is kept: the whole conversation goes."
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.internalId() == 0 or index.column() != 0 \
                or role != Qt.ItemDataRole.CheckStateRole:
            return False
        group = index.internalId() - 1
        example_id = self._groups[group].members[index.row()]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._keep[group].add(example_id)
        else:
            self._keep[group].discard(example_id)
        self.dataChanged.emit(index, index.siblingAtColumn(1))
        group_index = self.index(group, 1)
        self.dataChanged.emit(group_index, group_index)
        return True
