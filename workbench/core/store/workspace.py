"""A workspace: one SQLite file (WAL, foreign keys, schema version + migrations) per project.

Every edit runs in one transaction and is written to the ``edits`` log, grouped so that one user
action (even a bulk one over thousands of examples) is one undo step. Deletes are soft (a flag),
so undoing a delete or an import is a flag flip, not a copy of the data. Opening is lazy: nothing
is loaded until asked for, and the table view reads summary columns one page at a time.

A Workspace object belongs to the thread that opened it; background work opens its own (WAL lets
readers and one writer work side by side).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.formats import content_hash, detect_kind, dumps, first_text, iter_texts, turn_count
from workbench.core.store.schema import LATEST, MIGRATIONS

SPLITS = ("train", "validation", "test", "excluded")
SUMMARY_CHARS = 300
_UPDATABLE = ("data", "split", "source", "position", "tags")


class WorkspaceError(Exception):
    """The workspace file cannot be used; ``str()`` says why and what to do."""


@dataclass
class ExampleRecord:
    id: int
    position: float
    data: dict[str, Any]
    kind: str
    split: str
    source: dict[str, Any] | None
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    issues: list[dict] = field(default_factory=list)
    tokens: int | None = None


@dataclass(frozen=True)
class ChangeEvent:
    kind: str  # "inserted" | "removed" | "updated" | "reset"; other kinds (e.g. "versions") are not about examples
    ids: tuple[int, ...] = ()

    @property
    def about_examples(self) -> bool:
        return self.kind in EXAMPLE_EVENTS


EXAMPLE_EVENTS = frozenset({"inserted", "removed", "updated", "reset"})


@dataclass
class NewExample:
    data: dict[str, Any]
    source: dict[str, Any] | None = None
    tags: Sequence[str] = ()
    split: str = "train"


def _summary(data: dict) -> tuple[str, str, int, str]:
    return (
        first_text(data, "user")[:SUMMARY_CHARS],
        first_text(data, "assistant", last=True)[:SUMMARY_CHARS],
        turn_count(data),
        "\n".join(iter_texts(data)).lower(),
    )


class Workspace:
    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db
        self._listeners: list[Callable[[ChangeEvent], None]] = []
        self._batch_depth = 0
        self._batch_grp: int | None = None
        self._batch_label = ""
        self._pending: list[ChangeEvent] = []

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Workspace:
        path = Path(path)
        if not path.exists() and not create:
            raise WorkspaceError(f"{path} does not exist.")
        if path.exists() and path.is_dir():
            raise WorkspaceError(f"{path} is a folder; choose a workspace file (.ftw).")
        db = None
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=10)
            # Look before changing anything: refusing someone else's file must leave it untouched.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            has_examples = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'examples'").fetchone() is not None
            has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            raise WorkspaceError(
                f"{path} is not a Fine-Tune Workbench workspace (or it is damaged): {exc}."
            ) from exc
        if version > LATEST:
            db.close()
            raise WorkspaceError(
                f"{path} was made by a newer version of Fine-Tune Workbench (schema {version}, "
                f"this version knows {LATEST}). Update the app to open it."
            )
        if (version and not has_examples) or (version == 0 and has_tables):
            db.close()
            raise WorkspaceError(f"{path} is an SQLite file but not a Fine-Tune Workbench workspace.")
        try:
            db.execute("PRAGMA foreign_keys = ON")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            # FULL: a commit is on disk before we report the edit as saved.
            db.execute("PRAGMA synchronous = FULL")
            # 64 MB of page cache (default 2 MB): a bulk edit of 50,000 examples otherwise spills
            # pages to the WAL over and over inside its one transaction.
            db.execute("PRAGMA cache_size = -65536")
        except sqlite3.DatabaseError as exc:
            db.close()
            raise WorkspaceError(f"{path} cannot be opened for writing: {exc}.") from exc
        if mode.lower() != "wal":
            db.close()
            raise WorkspaceError(f"{path} cannot be opened in WAL mode (is it on a read-only or network drive?).")
        for number in range(version, LATEST):
            db.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                db.close()
                raise
        return cls(path, db)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA optimize")
        self._db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    # --- settings kept in the workspace -------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._tx():
            self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- other stores in the same file (the jobs ledger) -------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The file's connection, for stores that keep their own tables here (``store.ledger``)."""
        return self._db

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One write transaction on ``connection`` (joins an open ``batch``)."""
        return self._tx()

    # --- change notifications ---------------------------------------------------------------------

    def subscribe(self, listener: Callable[[ChangeEvent], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def notify(self, kind: str, ids: Sequence[int]) -> None:
        """Tell listeners about a change another connection made (e.g. an import in a worker)."""
        self._emit(ChangeEvent(kind, tuple(ids)))

    def _emit(self, event: ChangeEvent) -> None:
        if self._batch_depth:
            self._pending.append(event)
            return
        for listener in list(self._listeners):
            listener(event)

    # --- reading ----------------------------------------------------------------------------------

    def count(self, split: str | None = None) -> int:
        if split is None:
            return self._db.execute("SELECT count(*) FROM examples WHERE deleted = 0").fetchone()[0]
        return self._db.execute("SELECT count(*) FROM examples WHERE deleted = 0 AND split = ?", (split,)).fetchone()[0]

    def ids(self, *, split: str | None = None, tag: str | None = None, status: str | None = None,
            text: str | None = None, order_by: str = "position", descending: bool = False) -> list[int]:
        """Live example ids in display order, filtered. Ints only: cheap even for 50,000 examples."""
        columns = {"position": "position", "first_user": "first_user", "last_assistant": "last_assistant",
                   "turns": "turns", "tokens": "tokens", "split": "split", "status": "status", "id": "id"}
        where, args = ["deleted = 0"], []
        if split:
            where.append("split = ?")
            args.append(split)
        if status:
            where.append("coalesce(status, 'unchecked') = ?")
            args.append(status)
        if tag:
            where.append("id IN (SELECT example_id FROM tags WHERE tag = ?)")
            args.append(tag)
        if text:
            where.append("instr(search_text, ?) > 0")
            args.append(text.lower())
        order = columns.get(order_by, "position")
        sql = f"SELECT id FROM examples WHERE {' AND '.join(where)} ORDER BY {order} {'DESC' if descending else 'ASC'}, position"
        return [r[0] for r in self._db.execute(sql, args)]

    def summaries(self, ids: Sequence[int]) -> dict[int, tuple]:
        """(first_user, last_assistant, turns, tokens, split, status, kind) for a page of rows."""
        out: dict[int, tuple] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT id, first_user, last_assistant, turns, tokens, split, status, kind FROM examples WHERE id IN ({marks})",
                chunk,
            ):
                out[row[0]] = row[1:]
        return out

    def tags_of(self, ids: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for example_id, tag in self._db.execute(
                f"SELECT example_id, tag FROM tags WHERE example_id IN ({marks}) ORDER BY tag", chunk
            ):
                out[example_id].append(tag)
        return out

    def all_tags(self) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT tag FROM tags JOIN examples ON examples.id = tags.example_id WHERE deleted = 0 ORDER BY tag")]

    def get(self, example_id: int) -> ExampleRecord:
        row = self._db.execute(
            "SELECT id, position, data, kind, split, source, status, issues, tokens FROM examples WHERE id = ?",
            (example_id,),
        ).fetchone()
        if row is None:
            raise KeyError(example_id)
        return self._record(row, self.tags_of([example_id])[example_id])

    def iter_records(self, split: str | None = None, batch: int = 1000) -> Iterator[ExampleRecord]:
        """Streams live examples in display order (exports, validation runs)."""
        sql = "SELECT id, position, data, kind, split, source, status, issues, tokens FROM examples WHERE deleted = 0"
        args: list = []
        if split:
            sql += " AND split = ?"
            args.append(split)
        cursor = self._db.execute(sql + " ORDER BY position", args)
        while rows := cursor.fetchmany(batch):
            tags = self.tags_of([r[0] for r in rows])
            for row in rows:
                yield self._record(row, tags[row[0]])

    @staticmethod
    def _record(row, tags: list[str]) -> ExampleRecord:
        return ExampleRecord(
            id=row[0], position=row[1], data=json.loads(row[2]), kind=row[3], split=row[4],
            source=json.loads(row[5]) if row[5] else None, tags=tags, status=row[6],
            issues=json.loads(row[7]) if row[7] else [], tokens=row[8],
        )

    # --- transactions and edit groups -------------------------------------------------------------

    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        if self._batch_depth:
            yield
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextlib.contextmanager
    def batch(self, label: str) -> Iterator[None]:
        """Several edits as one transaction and one undo step (bulk actions, imports)."""
        if self._batch_depth:
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._batch_depth, self._batch_grp, self._batch_label = 1, None, label
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            self._batch_depth, self._pending = 0, []
            raise
        self._db.execute("COMMIT")
        self._batch_depth = 0
        pending, self._pending = self._pending, []
        merged: dict[str, dict[int, None]] = {}
        for event in pending:  # one notification per kind, ids in order, each once
            merged.setdefault(event.kind, {}).update(dict.fromkeys(event.ids))
        for kind, ids in merged.items():
            self._emit(ChangeEvent(kind, tuple(ids)))

    def _group(self, label: str) -> tuple[int, str]:
        if self._batch_depth and self._batch_grp is not None:
            return self._batch_grp, self._batch_label
        # A new action after undos makes the undone actions unreachable: drop them.
        if self._db.execute("SELECT 1 FROM edits WHERE undone = 1 LIMIT 1").fetchone():
            self._drop_redo_tail()
        grp = (self._db.execute("SELECT max(grp) FROM edits").fetchone()[0] or 0) + 1
        if self._batch_depth:
            self._batch_grp = grp
            return grp, self._batch_label
        return grp, label

    def _drop_redo_tail(self) -> None:
        inserted = [r[0] for r in self._db.execute("SELECT example_id FROM edits WHERE undone = 1 AND op = 'insert'")]
        self._db.execute("DELETE FROM edits WHERE undone = 1")
        for chunk in _chunks(inserted, 500):  # examples only an undone import/add ever knew
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM examples WHERE deleted = 1 AND id IN ({marks})", chunk)

    def _log(self, grp: int, label: str, op: str, example_id: int, before=None, after=None) -> None:
        self._db.execute(
            "INSERT INTO edits (grp, label, op, example_id, before, after) VALUES (?, ?, ?, ?, ?, ?)",
            (grp, label, op, example_id,
             json.dumps(before, ensure_ascii=False) if before is not None else None,
             json.dumps(after, ensure_ascii=False) if after is not None else None),
        )

    # --- edits ------------------------------------------------------------------------------------

    def add_examples(self, items: Iterable[NewExample], label: str = "Add examples") -> list[int]:
        ids: list[int] = []
        with self._tx():
            grp, label = self._group(label)
            position = self._db.execute("SELECT coalesce(max(position), 0) FROM examples").fetchone()[0]
            for item in items:
                if item.split not in SPLITS:
                    raise ValueError(f"split must be one of {SPLITS}, not {item.split!r}")
                position += 1
                first_user, last_assistant, turns, search_text = _summary(item.data)
                cur = self._db.execute(
                    "INSERT INTO examples (position, data, kind, split, source, content_hash, first_user, last_assistant,"
                    " turns, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (position, dumps(item.data), detect_kind(item.data).value, item.split,
                     json.dumps(item.source, ensure_ascii=False) if item.source else None,
                     content_hash(item.data), first_user, last_assistant, turns, search_text),
                )
                example_id = cur.lastrowid
                if item.tags:
                    self._db.executemany("INSERT OR IGNORE INTO tags (example_id, tag) VALUES (?, ?)",
                                         [(example_id, t) for t in item.tags])
                self._log(grp, label, "insert", example_id)
                ids.append(example_id)
        self._emit(ChangeEvent("inserted", tuple(ids)))
        return ids

    def delete_examples(self, ids: Sequence[int], label: str = "Delete examples") -> None:
        live = []
        for chunk in _chunks(ids, 500):  # an already deleted example is not part of this step
            marks = ",".join("?" * len(chunk))
            live += [r[0] for r in self._db.execute(
                f"SELECT id FROM examples WHERE deleted = 0 AND id IN ({marks})", chunk)]
        live_set = set(live)
        ids = [i for i in dict.fromkeys(ids) if i in live_set]
        if not ids:
            return  # nothing to delete: no undo step, and the redo history stays
        with self._tx():
            grp, label = self._group(label)
            self._db.executemany("UPDATE examples SET deleted = 1 WHERE id = ?", [(i,) for i in ids])
            self._db.executemany("INSERT INTO edits (grp, label, op, example_id) VALUES (?, ?, 'delete', ?)",
                                 [(grp, label, i) for i in ids])
        self._emit(ChangeEvent("removed", tuple(ids)))

    def update_example(self, example_id: int, data: dict, label: str = "Edit example") -> None:
        self.update_fields({example_id: {"data": data}}, label)

    def set_split(self, ids: Sequence[int], split: str, label: str | None = None) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
        self.update_fields({i: {"split": split} for i in ids}, label or f"Set split to {split}")

    def add_tag(self, ids: Sequence[int], tag: str, label: str | None = None) -> None:
        current = self.tags_of(ids)
        changes = {i: {"tags": sorted(set(current[i]) | {tag})} for i in ids if tag not in current[i]}
        self.update_fields(changes, label or f"Tag '{tag}'")

    def remove_tag(self, ids: Sequence[int], tag: str, label: str | None = None) -> None:
        current = self.tags_of(ids)
        changes = {i: {"tags": [t for t in current[i] if t != tag]} for i in ids if tag in current[i]}
        self.update_fields(changes, label or f"Remove tag '{tag}'")

    def update_fields(self, changes: dict[int, dict[str, Any]], label: str) -> None:
        """The one write path for changing existing examples: {id: {field: new value}}."""
        keys = {k for fields in changes.values() for k in fields}
        current = self._current_fields_many(list(changes), keys)
        actual: dict[int, tuple[dict, dict]] = {}
        for example_id, fields in changes.items():
            before = current[example_id]
            after = {k: v for k, v in fields.items() if before.get(k) != v}
            if after:
                actual[example_id] = ({k: before[k] for k in after}, after)
        if not actual:
            return  # nothing changes: no undo step, and the redo history stays
        with self._tx():
            grp, label = self._group(label)
            # Plain columns set in bulk (a select-all "set split" is one statement per 50,000 rows);
            # data and tags per example, since they carry derived columns and a side table.
            simple = ("split", "position")
            for key in simple:
                rows = [(after[key], i) for i, (_, after) in actual.items() if key in after]
                if rows:
                    self._db.executemany(f"UPDATE examples SET {key} = ? WHERE id = ?", rows)
            for example_id, (_before, after) in actual.items():
                rest = {k: v for k, v in after.items() if k not in simple}
                if rest:
                    self._apply(example_id, rest)
            self._db.executemany(
                "INSERT INTO edits (grp, label, op, example_id, before, after) VALUES (?, ?, 'update', ?, ?, ?)",
                [(grp, label, i, json.dumps(b, ensure_ascii=False), json.dumps(a, ensure_ascii=False))
                 for i, (b, a) in actual.items()])
        self._emit(ChangeEvent("updated", tuple(actual)))

    def _current_fields_many(self, ids: list[int], keys: set[str]) -> dict[int, dict[str, Any]]:
        unknown = keys - set(_UPDATABLE)
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)[0]!r}")
        out: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id, {'data' if 'data' in keys else 'NULL'}, split, source, position "
                f"FROM examples WHERE id IN ({marks})", chunk).fetchall()
            tags = self.tags_of(chunk) if "tags" in keys else {}
            for example_id, data, split, source, position in rows:
                values: dict[str, Any] = {"split": split, "position": position}
                if "data" in keys:
                    values["data"] = json.loads(data)
                if "source" in keys:
                    values["source"] = json.loads(source) if source else None
                if "tags" in keys:
                    values["tags"] = tags[example_id]
                out[example_id] = values
        missing = [i for i in ids if i not in out]
        if missing:
            raise KeyError(missing[0])
        return out

    def _apply(self, example_id: int, fields: dict[str, Any]) -> None:
        for key, value in fields.items():
            if key == "data":
                first_user, last_assistant, turns, search_text = _summary(value)
                self._db.execute(
                    "UPDATE examples SET data = ?, kind = ?, content_hash = ?, first_user = ?, last_assistant = ?,"
                    " turns = ?, search_text = ?, status = NULL, issues = NULL, tokens = NULL,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                    (dumps(value), detect_kind(value).value, content_hash(value), first_user, last_assistant, turns,
                     search_text, example_id),
                )
            elif key == "tags":
                self._db.execute("DELETE FROM tags WHERE example_id = ?", (example_id,))
                self._db.executemany("INSERT OR IGNORE INTO tags (example_id, tag) VALUES (?, ?)",
                                     [(example_id, t) for t in value])
            elif key == "source":
                self._db.execute("UPDATE examples SET source = ? WHERE id = ?",
                                 (json.dumps(value, ensure_ascii=False) if value else None, example_id))
            else:  # split, position
                self._db.execute(f"UPDATE examples SET {key} = ? WHERE id = ?", (value, example_id))

    # --- undo / redo --------------------------------------------------------------------------------

    def last_group(self) -> int | None:
        """The edit group Undo would revert (None: nothing to undo); tells whether an action wrote anything."""
        return self._db.execute("SELECT max(grp) FROM edits WHERE undone = 0").fetchone()[0]

    def replay_size(self, *, undo: bool) -> int:
        """How many example edits the next undo (or redo) would replay: big ones go to a worker."""
        row = self._db.execute(
            "SELECT count(*) FROM edits WHERE grp = (SELECT max(grp) FROM edits WHERE undone = 0)" if undo else
            "SELECT count(*) FROM edits WHERE grp = (SELECT min(grp) FROM edits WHERE undone = 1)").fetchone()
        return row[0]

    def undo_label(self) -> str | None:
        row = self._db.execute("SELECT label FROM edits WHERE undone = 0 ORDER BY grp DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def redo_label(self) -> str | None:
        row = self._db.execute("SELECT label FROM edits WHERE undone = 1 ORDER BY grp ASC LIMIT 1").fetchone()
        return row[0] if row else None

    def undo(self) -> str | None:
        """Reverts the latest action; returns its label, or None when there is nothing to undo."""
        row = self._db.execute("SELECT max(grp) FROM edits WHERE undone = 0").fetchone()
        return self._replay(row[0], undo=True) if row[0] is not None else None

    def redo(self) -> str | None:
        row = self._db.execute("SELECT min(grp) FROM edits WHERE undone = 1").fetchone()
        return self._replay(row[0], undo=False) if row[0] is not None else None

    def _replay(self, grp: int, *, undo: bool) -> str:
        label = self._db.execute("SELECT label FROM edits WHERE grp = ? LIMIT 1", (grp,)).fetchone()[0]
        events: dict[str, list[int]] = {"inserted": [], "removed": [], "updated": []}
        with self._tx():
            # Inserts and deletes are flag flips, done set-wise: undoing a 50,000-example import is
            # two statements, not 50,000.
            for op in ("insert", "delete"):
                hide = (op == "insert") == undo  # undo insert / redo delete -> hide
                ids = [r[0] for r in self._db.execute(
                    f"SELECT example_id FROM edits WHERE grp = ? AND op = ? ORDER BY id {'DESC' if undo else 'ASC'}",
                    (grp, op))]
                if ids:
                    self._db.execute(
                        "UPDATE examples SET deleted = ? WHERE id IN "
                        "(SELECT example_id FROM edits WHERE grp = ? AND op = ?)", (1 if hide else 0, grp, op))
                    events["removed" if hide else "inserted"].extend(ids)
            updates = self._db.execute(
                f"SELECT example_id, before, after FROM edits WHERE grp = ? AND op = 'update' "
                f"ORDER BY id {'DESC' if undo else 'ASC'}", (grp,)).fetchall()
            for example_id, before, after in updates:
                self._apply(example_id, json.loads(before if undo else after))
                events["updated"].append(example_id)
            self._db.execute("UPDATE edits SET undone = ? WHERE grp = ?", (1 if undo else 0, grp))
        for kind, ids in events.items():
            if ids:
                self._emit(ChangeEvent(kind, tuple(ids)))
        return label

    # --- validation cache (derived data, outside the edit history) ----------------------------------

    def store_facts(self, facts: Iterable[tuple[int, str, list[dict], int | None, str | None]]) -> None:
        """[(id, status, issues as JSON dicts, tokens, encoding)] in one transaction.

        These are derived values (recomputed if lost), so they are committed without waiting for the
        disk: in WAL mode that still survives an application crash, and keeps edits snappy."""
        rows = [(s, json.dumps(i, ensure_ascii=False), t, e, example_id) for example_id, s, i, t, e in facts]
        relaxed = not self._batch_depth
        if relaxed:
            self._db.execute("PRAGMA synchronous = NORMAL")
        try:
            with self._tx():
                self._db.executemany(
                    "UPDATE examples SET status = ?, issues = ?, tokens = ?, tokens_encoding = ? WHERE id = ?", rows)
        finally:
            if relaxed:
                self._db.execute("PRAGMA synchronous = FULL")

    def issues_by_example(self, limit: int = 20_000) -> list[tuple[int, list[dict]]]:
        """(id, issues) of examples with errors or warnings, in display order (the Problems panel)."""
        rows = self._db.execute(
            "SELECT id, issues FROM examples WHERE deleted = 0 AND status IN ('error', 'warning') "
            "ORDER BY position LIMIT ?", (limit,))
        return [(example_id, json.loads(issues)) for example_id, issues in rows]

    def unchecked_ids(self) -> list[int]:
        return [r[0] for r in self._db.execute("SELECT id FROM examples WHERE deleted = 0 AND status IS NULL ORDER BY position")]


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]

