"""Validate or estimate a JSONL file in one streaming pass (the CLI's and the app's entry point)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.formats import Kind, detect_kind
from workbench.core.jsonl import iter_lines
from workbench.core.pricing import ModelSpec, resolve_model
from workbench.core.tokens import TokenCounter
from workbench.core.validation.dataset import DatasetValidator
from workbench.core.validation.issues import Issue, Severity

Progress = Callable[[int, int], None]
BATCH = 1024


@dataclass
class FileReport:
    path: str
    model: str | None
    examples: int = 0
    issues: list[Issue] = field(default_factory=list)
    validator: DatasetValidator | None = None
    total_bytes: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    def stats(self) -> dict:
        v = self.validator
        counts = v.token_counts() if v else []
        out: dict = {"kinds": v.kind_counts() if v else {}, "errors": len(self.errors), "warnings": len(self.warnings)}
        if counts:
            ordered = sorted(counts)
            out["tokens"] = {
                "total": sum(counts),
                "min": ordered[0],
                "max": ordered[-1],
                "mean": round(sum(counts) / len(counts), 1),
                "median": ordered[len(ordered) // 2],
                "encoding": v.counter.encoding.name if v and v.counter else None,
            }
        return out

    def to_json(self) -> dict:
        return {
            "file": self.path,
            "model": self.model,
            "examples": self.examples,
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
            "stats": self.stats(),
        }


def scan_file(
    path: str | Path,
    *,
    spec: ModelSpec | None = None,
    counter: TokenCounter | None = None,
    progress: Progress | None = None,
    size_checks: bool = True,
) -> FileReport:
    """Every line checked once; dataset-level checks from the aggregates at the end.

    Raises ``jsonl.FileReadError`` only when the file cannot be read at all.
    """
    path = Path(path)
    report = FileReport(path=str(path), model=spec.name if spec else None)
    validator = DatasetValidator(spec=spec, counter=counter)
    report.validator = validator
    total = path.stat().st_size if path.is_file() else 0
    report.total_bytes = total
    done = 0
    batch: list = []

    def flush() -> None:
        # Token counts for a batch at once: their texts are encoded on two threads.
        known = [line for line in batch if detect_kind(line.obj) is not Kind.UNKNOWN]
        counts = dict(zip((id(x) for x in known),
                          counter.count_many([x.obj for x in known], [x.digest for x in known]) if counter else [],
                          strict=False))
        for line in batch:
            facts = validator.put(line.number, line.obj, line=line.number, digest=line.digest,
                                  tokens=counts.get(id(line)))
            report.issues.extend(facts.issues)
        batch.clear()

    for n, line in enumerate(iter_lines(path)):
        report.issues.extend(line.issues)
        done += line.size
        if line.ok:
            batch.append(line)
            if len(batch) >= BATCH:
                flush()
        if progress is not None and n % 1000 == 0:
            progress(done, total)
    flush()
    report.examples = len(validator)
    report.issues.extend(validator.dataset_issues(size_checks=size_checks))
    if progress is not None:
        progress(total, total)
    return report


def validate_file(
    path: str | Path,
    model: str | None = None,
    validation_file: str | Path | None = None,
    progress: Progress | None = None,
) -> FileReport:
    spec = resolve_model(model) if model else None
    counter = TokenCounter.for_model(model or "gpt-4o-mini")
    report = scan_file(path, spec=spec, counter=counter, progress=progress)
    if validation_file is not None:
        val = scan_file(validation_file, spec=spec, counter=counter, size_checks=False)
        for issue in val.issues:  # name the validation file in its findings
            report.issues.append(issue.__class__(**{**issue.__dict__, "message": f"[{Path(validation_file).name}] {issue.message}"}))
        report.issues.extend(val.validator.overlap_with(report.validator))
    return report
