"""The contract every importer follows.

An importer is a generator: ``run(paths, options, report, progress, cancel)`` yields
``ImportedExample`` objects one by one and fills ``report`` as it goes. It never writes anywhere;
the caller collects what it yields and commits at the end, so an import either completes with its
report or changes nothing. Problems with the input raise ``ImportFailed`` naming file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ProgressFn = Callable[[int, int], None]  # (done, total) in bytes (or rows when bytes are unknown)
CancelFn = Callable[[], bool]  # returns True once the user pressed Cancel

FIRST_IDS_KEPT = 5


class ImportCancelled(Exception):
    """The user cancelled; nothing was imported."""


class ImportFailed(Exception):
    """The input cannot be imported. ``str()`` is a complete sentence for the user."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None, hint: str = "") -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint
        where = ""
        if self.file:
            where = f"{self.file}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(f"{where}{message}" + (f" {hint}" if hint else ""))


@dataclass(slots=True)
class ImportedExample:
    example: dict[str, Any]  # a training example in one of the formats of workbench.core.formats
    source: dict[str, Any]  # provenance: {"file": ..., "ticket_id": ..., "comment_ids": [...], "row": ...}
    tags: list[str] = field(default_factory=list)


@dataclass
class DropReason:
    count: int = 0
    first_ids: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source_format: str = ""
    files: list[str] = field(default_factory=list)
    items_read: int = 0  # tickets, rows or lines read
    item_name: str = "tickets"
    produced: int = 0  # examples yielded
    dropped: dict[str, DropReason] = field(default_factory=dict)  # ticket/row level
    comments_dropped: dict[str, DropReason] = field(default_factory=dict)  # message level
    notes: list[str] = field(default_factory=list)  # plain-language remarks for the user

    def drop(self, reason: str, item_id: object) -> None:
        _count(self.dropped, reason, item_id)

    def drop_comment(self, reason: str, comment_id: object) -> None:
        _count(self.comments_dropped, reason, comment_id)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def to_json(self) -> dict[str, Any]:
        return {
            "source_format": self.source_format,
            "files": self.files,
            "read": self.items_read,
            "item_name": self.item_name,
            "produced": self.produced,
            "dropped": {k: {"count": v.count, "first_ids": v.first_ids} for k, v in self.dropped.items()},
            "comments_dropped": {k: {"count": v.count, "first_ids": v.first_ids} for k, v in self.comments_dropped.items()},
            "notes": self.notes,
        }

    def summary_lines(self) -> list[str]:
        lines = [f"Read {self.items_read:,} {self.item_name}; produced {self.produced:,} conversations."]
        for title, table in (("Dropped", self.dropped), ("Removed messages", self.comments_dropped)):
            for reason, d in sorted(table.items(), key=lambda kv: -kv[1].count):
                ids = ", ".join(d.first_ids)
                lines.append(f"{title} - {reason}: {d.count:,}" + (f" (e.g. {ids})" if ids else ""))
        lines.extend(self.notes)
        return lines


def _count(table: dict[str, DropReason], reason: str, item_id: object) -> None:
    d = table.get(reason)
    if d is None:
        d = table[reason] = DropReason()
    d.count += 1
    if len(d.first_ids) < FIRST_IDS_KEPT and item_id is not None:
        d.first_ids.append(str(item_id))


def check_cancel(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled()
