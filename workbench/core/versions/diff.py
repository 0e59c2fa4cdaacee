"""What changed between two dataset states (versions, or the live examples): added, removed and
changed examples, matched by example id. One SQL query returns only the differing rows and reads
no texts, so comparing two 50,000-example versions costs one sort of their small rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.core.formats import content_text, conversation_messages
from workbench.core.store import Workspace
from workbench.core.versions.state import CURRENT, rows_sql
from workbench.core.versions.store import VersionInfo, consistent_read, get_version

FIELDS = ("content", "split", "tags")


@dataclass(frozen=True)
class ExampleState:
    """One example as a state holds it."""

    position: float
    split: str
    content_hash: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ExampleChange:
    example_id: int
    before: ExampleState | None  # None: added
    after: ExampleState | None  # None: removed

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    @property
    def fields(self) -> tuple[str, ...]:
        """Which of content / split / tags differ ("changed" only; empty otherwise)."""
        if self.before is None or self.after is None:
            return ()
        return tuple(f for f in FIELDS if _field(self.before, f) != _field(self.after, f))

    def summary(self) -> str:
        """One line for people, e.g. "split train → validation; tags +refund −old; text changed"."""
        if self.before is None or self.after is None:
            state = self.after or self.before
            assert state is not None
            return f"{self.kind} ({state.split})"
        parts = []
        if "split" in self.fields:
            parts.append(f"split {self.before.split} → {self.after.split}")
        if "tags" in self.fields:
            old, new = set(self.before.tags), set(self.after.tags)
            parts.append("tags " + " ".join([f"+{t}" for t in sorted(new - old)] + [f"−{t}" for t in sorted(old - new)]))
        if "content" in self.fields:
            parts.append("text changed")
        return "; ".join(parts)


def _field(state: ExampleState, name: str) -> Any:
    return state.content_hash if name == "content" else getattr(state, name)


@dataclass(frozen=True)
class VersionDiff:
    before: str  # the states' names: a version's name, or "current"
    after: str
    added: list[ExampleChange]
    removed: list[ExampleChange]
    changed: list[ExampleChange]
    unchanged: int

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed),
                "unchanged": self.unchanged}


StateRef = int | str | VersionInfo  # a version (id, name or info) or CURRENT


def _resolve(ws: Workspace, ref: StateRef) -> tuple[int | None, str, int]:
    """(version id or None for the live examples, name, number of examples)."""
    if isinstance(ref, str) and ref.strip().lower() == CURRENT:
        return None, CURRENT, ws.count()
    version = get_version(ws, ref)
    return version.id, version.name, version.examples


def diff_versions(ws: Workspace, before: StateRef, after: StateRef = CURRENT) -> VersionDiff:
    """Examples added, removed and changed (content, split or tags) from ``before`` to ``after``.

    Each list is in display order (the removed ones in ``before``'s order, the others in ``after``'s)."""
    with consistent_read(ws):  # the counts and the rows from the same moment
        return _diff(ws, _resolve(ws, before), _resolve(ws, after))


def _diff(ws: Workspace, before: tuple[int | None, str, int], after: tuple[int | None, str, int]) -> VersionDiff:
    (a_id, a_name, a_count), (b_id, b_name, _) = before, after
    a_sql, a_args = rows_sql(a_id)
    b_sql, b_args = rows_sql(b_id)
    db = ws.connection
    # One sorted pass over both states: group their rows by example id, keep the groups that differ.
    pick = ", ".join(f"max(CASE side WHEN {side} THEN {col} END)" for side in (0, 1)
                     for col in ("position", "split", "content_hash", "tags"))
    rows = db.execute(
        f"SELECT example_id, {pick} FROM (SELECT 0 AS side, * FROM ({a_sql}) UNION ALL SELECT 1, * FROM ({b_sql})) "
        "GROUP BY example_id HAVING count(*) = 1 OR min(split) != max(split) "
        "OR min(content_hash) != max(content_hash) OR min(tags) != max(tags)",
        (*a_args, *b_args)).fetchall()
    added, removed, changed = [], [], []
    for example_id, *values in rows:
        old = ExampleState(values[0], values[1], values[2], tuple(json.loads(values[3]))) if values[1] else None
        new = ExampleState(values[4], values[5], values[6], tuple(json.loads(values[7]))) if values[5] else None
        change = ExampleChange(example_id, old, new)
        {"added": added, "removed": removed, "changed": changed}[change.kind].append(change)
    for items in (added, changed):
        items.sort(key=lambda c: (c.after.position, c.example_id))
    removed.sort(key=lambda c: (c.before.position, c.example_id))
    return VersionDiff(a_name, b_name, added, removed, changed, a_count - len(removed) - len(changed))


# --- side by side --------------------------------------------------------------------------------------


def example_data(ws: Workspace, content_hash: str) -> dict[str, Any] | None:
    """The example with this content hash, from the versions' texts or the live examples."""
    db = ws.connection
    row = (db.execute("SELECT data FROM version_blobs WHERE content_hash = ?", (content_hash,)).fetchone()
           or db.execute("SELECT data FROM examples WHERE content_hash = ? LIMIT 1", (content_hash,)).fetchone())
    return json.loads(row[0]) if row else None


def change_data(ws: Workspace, change: ExampleChange) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(before, after) example JSON for a side-by-side view; None on the side that lacks it."""
    return (example_data(ws, change.before.content_hash) if change.before else None,
            example_data(ws, change.after.content_hash) if change.after else None)


def describe_content_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Which messages differ, e.g. "message 3 (assistant) edited; 1 message added"."""
    if before is None or after is None:
        return "text changed"
    old = [_message(m) for m in conversation_messages(before)]
    new = [_message(m) for m in conversation_messages(after)]
    parts = [f"message {n} ({new[n - 1][0] or 'no role'}) edited"
             for n in range(1, min(len(old), len(new)) + 1) if old[n - 1] != new[n - 1]]
    if len(parts) > 3:
        parts = [f"{len(parts)} messages edited"]
    if len(new) != len(old):
        extra = abs(len(new) - len(old))
        parts.append(f"{extra} message{'s' if extra != 1 else ''} {'added' if len(new) > len(old) else 'removed'}")
    return "; ".join(parts) or "other fields changed"


def _message(message: Any) -> tuple[str, str]:
    if not isinstance(message, dict):
        return "", json.dumps(message, sort_keys=True)
    return str(message.get("role") or ""), content_text(message.get("content")) + json.dumps(
        {k: v for k, v in message.items() if k not in ("role", "content")}, sort_keys=True)
