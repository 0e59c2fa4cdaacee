"""Applying accepted findings to a workspace: one undo step and one audit row.

The review hands over the findings the user accepted; each changed example is written through
``ws.update_fields`` inside one ``ws.batch`` (a single transaction and a single undo group, also
for 50,000 examples), and the ``redaction_log`` row goes into the same transaction with that
group's number, so the text change and its audit record are saved together or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.pii import audit
from workbench.core.pii.finding import Finding
from workbench.core.pii.placeholders import redact_example

DEFAULT_LABEL = "Redact personal data"
_GET_ONE_BY_ONE = 2000  # more examples than this: stream the workspace once instead of a lookup each


@dataclass
class RedactionResult:
    examples: int = 0  # examples changed
    counts: dict[str, int] = field(default_factory=dict)  # placeholder label -> replacements
    skipped: int = 0  # findings not applied because their text changed since the scan
    edit_group: int | None = None  # the undo group (None when nothing changed)
    label: str = DEFAULT_LABEL

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _current(ws, ids: set[int]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Current data of the live examples among ``ids`` (a deleted example is not redacted)."""
    if len(ids) <= _GET_ONE_BY_ONE:
        live = ids.intersection(ws.ids())
        for example_id in sorted(live):
            yield example_id, ws.get(example_id).data
        return
    for record in ws.iter_records():
        if record.id in ids:
            yield record.id, record.data


def apply_redactions(ws, findings: Sequence[Finding], *, numbered: bool = False, label: str = DEFAULT_LABEL,
                     progress: Callable[[int, int], None] | None = None,
                     cancel: Callable[[], bool] | None = None) -> RedactionResult:
    """Replace ``findings`` (the accepted ones) with placeholders as ONE undo step + audit row.

    Findings whose example was deleted or whose text changed since the scan are skipped and
    counted. Cancelling before the write raises ``InterruptedError`` and changes nothing.
    """
    by_example: dict[int, list[Finding]] = {}
    for f in findings:
        by_example.setdefault(f.example_id, []).append(f)
    result = RedactionResult(label=label)
    changes: dict[int, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    for done, (example_id, data) in enumerate(_current(ws, set(by_example)), 1):
        if done % 256 == 0:
            if cancel is not None and cancel():
                raise InterruptedError("redaction cancelled")
            if progress is not None:
                progress(done, len(by_example))
        new, replaced, skipped = redact_example(data, by_example.pop(example_id), numbered=numbered)
        result.skipped += skipped
        if replaced:
            changes[example_id] = {"data": new}
            counts.update(replaced)
    result.skipped += sum(len(v) for v in by_example.values())  # examples that no longer exist
    if not changes:
        return result
    with ws.batch(label):
        ws.update_fields(changes, label)
        group = ws.connection.execute("SELECT max(grp) FROM edits").fetchone()[0]
        audit.write_entry(ws, label, group, len(changes), dict(counts))
    if progress is not None:
        progress(len(changes), len(changes))
    result.examples = len(changes)
    result.counts = dict(sorted(counts.items()))
    result.edit_group = group
    return result
