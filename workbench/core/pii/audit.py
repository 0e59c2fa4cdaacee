"""The redaction audit log (table ``redaction_log``, schema v3): what was redacted, never the values.

One row per applied redaction: the undo step's label and edit group, how many examples changed
and how many replacements of each kind (``{"EMAIL": 12, "PHONE": 3}``). Undo and redo revert the
text, not the log; ``undone`` says whether the step is currently undone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # UTC, ISO 8601
    label: str
    edit_group: int | None
    examples: int
    counts: dict[str, int]
    undone: bool


def write_entry(ws, label: str, edit_group: int | None, examples: int, counts: dict[str, int]) -> int:
    """One log row (joins an open ``ws.batch``). ``counts`` keys are placeholder labels, values ints."""
    clean = {str(k): int(v) for k, v in sorted(counts.items())}
    with ws.transaction():
        cur = ws.connection.execute(
            "INSERT INTO redaction_log (label, edit_group, examples, counts) VALUES (?, ?, ?, ?)",
            (label, edit_group, int(examples), json.dumps(clean)),
        )
    return cur.lastrowid


def read_log(ws) -> list[AuditEntry]:
    """Every redaction applied in this workspace, newest first."""
    rows = ws.connection.execute(
        "SELECT r.id, r.at, r.label, r.edit_group, r.examples, r.counts,"
        " (SELECT max(undone) FROM edits WHERE grp = r.edit_group) FROM redaction_log r ORDER BY r.id DESC"
    ).fetchall()
    return [AuditEntry(i, at, label, grp, n, json.loads(counts), bool(undone))
            for i, at, label, grp, n, counts, undone in rows]
