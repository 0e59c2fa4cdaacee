"""Where the checks read examples from: a workspace or a JSONL file, re-readable on demand.

Both sources can be iterated more than once (each pass re-reads), so a scan never has to hold
50,000 parsed examples in memory. A JSONL example's tags come from its ``metadata`` object:
``"tags": [...]`` as they are, and every other string value as ``key:value`` (so
``{"metadata": {"tier": "gold"}}`` is the tag ``tier:gold``, as a workspace would write it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.jsonl import FileReadError, iter_lines
from workbench.core.quality.base import QualityRecord


class UnreadableInput(Exception):
    """The input cannot be read as examples; ``str()`` names the file and line and what to do."""


class JsonlRecords:
    """The examples of a JSONL file; ``id`` is the line number. Blank lines are skipped."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._count: int | None = None

    def __iter__(self) -> Iterator[QualityRecord]:
        count = 0
        try:
            for line in iter_lines(self.path):
                if any(i.code == "blank_line" for i in line.issues):
                    continue
                problem = next((i for i in line.issues if i.code not in ("bom",)), None)
                if problem is not None or not line.ok:
                    reason = problem.message if problem else f"Line {line.number} cannot be read."
                    raise UnreadableInput(f"{self.path}, line {line.number}: {_lowercase_where(reason, line.number)} "
                                          f"Fix the line (run 'workbench validate {self.path}' to see every problem) "
                                          "and run again.")
                if not isinstance(line.obj, dict):
                    raise UnreadableInput(f"{self.path}, line {line.number}: the line is not one example object "
                                          "{...}. Put one example per line and run again.")
                count += 1
                yield QualityRecord(id=line.number, data=line.obj, tags=tags_from_metadata(line.obj))
        except FileReadError as exc:
            raise UnreadableInput(str(exc)) from None
        self._count = count

    def __len__(self) -> int:
        """Examples in the file (an estimate from its line count until it has been read once)."""
        if self._count is None:
            try:
                with self.path.open("rb") as fh:
                    self._count = sum(1 for raw in fh if raw.strip())
            except OSError:
                return 0
        return self._count


def _lowercase_where(message: str, number: int) -> str:
    prefix = f"Line {number} "
    return "the line " + message[len(prefix):] if message.startswith(prefix) else message


def tags_from_metadata(data: dict[str, Any]) -> tuple[str, ...]:
    meta = data.get("metadata")
    if not isinstance(meta, dict):
        return ()
    tags: list[str] = []
    for key, value in meta.items():
        if key == "tags" and isinstance(value, list):
            tags += [t for t in value if isinstance(t, str) and t]
        elif isinstance(value, str) and value:
            tags.append(f"{key}:{value}")
    return tuple(dict.fromkeys(tags))


class WorkspaceRecords:
    """A workspace's live examples in display order; excluded examples are left out unless asked."""

    def __init__(self, ws, *, include_excluded: bool = False, split: str | None = None) -> None:
        self.ws = ws
        self.include_excluded = include_excluded
        self.split = split

    def __iter__(self) -> Iterator[QualityRecord]:
        for r in self.ws.iter_records(self.split):
            if r.split == "excluded" and not self.include_excluded:
                continue
            yield QualityRecord(id=r.id, data=r.data, tags=tuple(r.tags), split=r.split)

    def __len__(self) -> int:
        if self.split:
            return self.ws.count(self.split)
        return self.ws.count() - (0 if self.include_excluded else self.ws.count("excluded"))
