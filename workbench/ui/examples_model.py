"""Table model over a workspace: holds only the ordered example ids and reads rows page by page.

The store does the filtering and sorting (SQL over summary columns), so a 50,000-example
workspace costs a list of ints plus the few pages on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.core.store import ChangeEvent, Workspace

PAGE = 200
COLUMNS = (
    ("status", "Status"),
    ("first_user", "Customer message"),
    ("last_assistant", "Last reply"),
    ("turns", "Turns"),
    ("tokens", "Tokens"),
    ("tags", "Tags"),
    ("split", "Split"),
)
STATUS_TEXT = {"ok": "OK", "warning": "Warning", "error": "Error", None: "Not checked"}
ExampleIdRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2


class ExamplesTableModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._filters: dict = {}
        self._order = ("position", False)
        self._ids: list[int] = []
        self._rows: dict[int, int] = {}
        self._cache: dict[int, tuple] = {}
        self.status_icons: dict = {}  # status -> QIcon, set by the view owner
        self._unsubscribe = workspace.subscribe(self._on_change)
        self._reload()

    def close(self) -> None:
        self._unsubscribe()

    # --- what is shown ------------------------------------------------------------------------

    def set_filters(self, *, text: str = "", status: str = "", tag: str = "", split: str = "") -> None:
        self._filters = {k: v for k, v in dict(text=text, status=status, tag=tag, split=split).items() if v}
        self._reset()

    def example_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, example_id: int) -> int | None:
        return self._rows.get(example_id)

    def refresh_rows(self, ids) -> None:
        """Re-read rows whose status or summary changed (after a re-check)."""
        rows = [self._rows[i] for i in ids if i in self._rows]
        for example_id in ids:
            self._cache.pop(example_id, None)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))

    def _reload(self) -> None:
        order_by, desc = self._order
        self._ids = self._ws.ids(order_by=order_by, descending=desc, **self._filters)
        self._rows = {example_id: row for row, example_id in enumerate(self._ids)}
        self._cache.clear()

    def _reset(self) -> None:
        self.beginResetModel()
        self._reload()
        self.endResetModel()

    def _on_change(self, event: ChangeEvent) -> None:
        if not event.about_examples:
            return
        if event.kind == "updated":
            for example_id in event.ids:
                self._cache.pop(example_id, None)
            rows = [self._rows[i] for i in event.ids if i in self._rows]
            if rows and not self._filters and self._order[0] == "position":
                self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))
                return
        plain = not self._filters and self._order == ("position", False)  # else rows may land anywhere
        appended = plain and event.kind == "inserted" and self._append(event.ids)
        removed = plain and event.kind == "removed" and self._remove_range(event.ids)
        if not (appended or removed):
            self._reset()

    def _append(self, ids: tuple[int, ...]) -> bool:
        """New examples (an import) land after every shown one: insert rows without re-querying."""
        new = [i for i in ids if i not in self._rows]
        if not new:
            return True
        if self._ids and min(new) <= max(self._ids[-1], max(self._rows)):
            return False  # e.g. an undone delete coming back in the middle
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._ids.extend(sorted(new))
        self._rows.update((example_id, first + n) for n, example_id in enumerate(sorted(new)))
        self.endInsertRows()
        return True

    def _remove_range(self, ids: tuple[int, ...]) -> bool:
        """Removed examples that form one block of rows (an undone import): remove just that block."""
        rows = sorted(self._rows[i] for i in ids if i in self._rows)
        if not rows:
            return True
        if rows[-1] - rows[0] + 1 != len(rows):
            return False
        self.beginRemoveRows(QModelIndex(), rows[0], rows[-1])
        del self._ids[rows[0]:rows[-1] + 1]
        self._rows = {example_id: row for row, example_id in enumerate(self._ids)}
        for example_id in ids:
            self._cache.pop(example_id, None)
        self.endRemoveRows()
        return True

    def _summary(self, row: int) -> tuple:
        example_id = self._ids[row]
        hit = self._cache.get(example_id)
        if hit is None:
            start = (row // PAGE) * PAGE
            page = self._ids[start:start + PAGE]
            summaries = self._ws.summaries(page)
            tags = self._ws.tags_of(page)
            if len(self._cache) > 20 * PAGE:
                self._cache.clear()
            for i in page:
                self._cache[i] = (*summaries[i], ", ".join(tags[i]))
            hit = self._cache[example_id]
        return hit

    # --- Qt model interface -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        first_user, last_assistant, turns, tokens, split, status, _kind, tags = self._summary(index.row())
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = {"status": STATUS_TEXT.get(status, status), "first_user": first_user, "last_assistant": last_assistant,
                     "turns": turns, "tokens": tokens if tokens is not None else "", "tags": tags, "split": split}[key]
            if isinstance(value, str):
                return value.replace("\n", " ")[:160]
            return value
        if role == Qt.ItemDataRole.DecorationRole and key == "status":
            return self.status_icons.get(status)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("first_user", "last_assistant"):
            return first_user if key == "first_user" else last_assistant
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("turns", "tokens"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ExampleIdRole:
            return self._ids[index.row()]
        if role == StatusRole:
            return status
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][0] if 0 <= column < len(COLUMNS) else "position"
        if key == "tags":
            key = "position"
        new_order = (key, order == Qt.SortOrder.DescendingOrder)
        if new_order != self._order:  # the view asks again on every setModel; skip the no-op re-query
            self._order = new_order
            self._reset()

    def depends_on_checks(self) -> bool:
        """Whether re-checking can move rows (filtering or sorting by status or tokens)."""
        return bool(self._filters.get("status")) or self._order[0] in ("status", "tokens")

    def refresh_all(self) -> None:
        """Statuses and tokens changed everywhere, rows did not: repaint without re-querying ids."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))
