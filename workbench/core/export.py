"""Export a workspace's train / validation splits as JSONL, through a final validation gate.

The gate re-checks every example that would be written (never trusting a stale cache). Errors
block the export unless the caller passes ``force=True`` (the user chose "Export anyway").
The test split is never exported for training; excluded examples never are.
Files are written atomically: a reader sees the old file or the complete new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.atomic import atomic_writer
from workbench.core.formats import dumps
from workbench.core.pricing import resolve_model
from workbench.core.store import Workspace
from workbench.core.tokens import TokenCounter
from workbench.core.validation.dataset import DatasetValidator
from workbench.core.validation.issues import Issue, Severity

EXPORTED_SPLITS = ("train", "validation")


@dataclass
class ExportCheck:
    counts: dict[str, int] = field(default_factory=dict)
    example_errors: list[tuple[int, Issue]] = field(default_factory=list)  # (example id, issue)
    dataset_issues: list[Issue] = field(default_factory=list)

    @property
    def blocking(self) -> list[str]:
        """Plain-language reasons the export is blocked (empty = fine to export)."""
        reasons = []
        if self.example_errors:
            ids = sorted({i for i, _ in self.example_errors})
            reasons.append(f"{len(ids):,} examples have errors (first: {', '.join(map(str, ids[:5]))}).")
        reasons += [i.message for i in self.dataset_issues if i.severity is Severity.ERROR]
        return reasons


class ExportBlocked(Exception):
    def __init__(self, check: ExportCheck) -> None:
        self.check = check
        super().__init__("Export stopped: " + " ".join(check.blocking) + " Fix them, or export anyway.")


def check_for_export(ws: Workspace, model: str, cancelled: Callable[[], bool] = lambda: False) -> ExportCheck:
    spec = resolve_model(model)
    counter = TokenCounter.for_model(model)
    check = ExportCheck()
    validators = {}
    for split in EXPORTED_SPLITS:
        v = validators[split] = DatasetValidator(spec=spec, counter=counter)
        for record in ws.iter_records(split):
            if cancelled():
                raise InterruptedError("export cancelled")
            facts = v.put(record.id, record.data, where=f"Example {record.id}")
            check.example_errors += [(record.id, i) for i in facts.issues if i.severity is Severity.ERROR]
        check.counts[split] = len(v)
    check.dataset_issues = validators["train"].dataset_issues()
    if len(validators["validation"]):
        check.dataset_issues += validators["validation"].overlap_with(validators["train"])
    return check


def export_splits(ws: Workspace, folder: Path, basename: str, model: str, *, force: bool = False,
                  cancelled: Callable[[], bool] = lambda: False) -> dict[str, Path]:
    """Writes ``<basename>.train.jsonl`` and (if any) ``<basename>.validation.jsonl``."""
    check = check_for_export(ws, model, cancelled)
    if check.blocking and not force:
        raise ExportBlocked(check)
    written: dict[str, Path] = {}
    for split in EXPORTED_SPLITS:
        if not check.counts.get(split):
            continue
        path = Path(folder) / f"{basename}.{split}.jsonl"
        with atomic_writer(path) as fh:
            for record in ws.iter_records(split):
                fh.write(dumps(record.data) + "\n")
        written[split] = path
    return written
