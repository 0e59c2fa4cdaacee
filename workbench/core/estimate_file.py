"""Token and cost estimates for a JSONL file, for one model or a table across models."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.cost import Estimate, estimate
from workbench.core.formats import Kind, detect_kind
from workbench.core.jsonl import iter_lines
from workbench.core.pricing import ModelSpec, PriceList, default_price_list
from workbench.core.tokens import TokenCounter
from workbench.core.validation.file_report import BATCH


@dataclass
class FileEstimate:
    path: str
    estimates: list[Estimate] = field(default_factory=list)
    unreadable_lines: list[int] = field(default_factory=list)
    skipped_examples: int = 0  # lines that parsed but are not a training example

    def to_json(self) -> dict:
        return {
            "file": self.path,
            "estimates": [e.to_json() for e in self.estimates],
            "unreadable_lines": self.unreadable_lines[:100],
            "skipped_examples": self.skipped_examples,
        }


def estimate_file(path: str | Path, specs: list[ModelSpec], epochs: int | None = None) -> FileEstimate:
    """One pass over the file; each distinct encoding counts every example once, a batch at a time
    (TokenCounter.count_many, as validate does)."""
    result = FileEstimate(path=str(path))
    counters = {spec.encoding: TokenCounter(spec.encoding) for spec in specs}
    counts: dict[str, list[int]] = {name: [] for name in counters}
    batch: list = []

    def flush() -> None:
        for name, counter in counters.items():
            counts[name].extend(counter.count_many([x.obj for x in batch], [x.digest for x in batch]))
        batch.clear()

    for line in iter_lines(path):
        if not line.ok:
            if any(i.severity.value == "error" for i in line.issues):
                result.unreadable_lines.append(line.number)
            continue
        if detect_kind(line.obj) is Kind.UNKNOWN:
            result.skipped_examples += 1
            continue
        batch.append(line)
        if len(batch) >= BATCH:
            flush()
    flush()
    for spec in specs:
        result.estimates.append(estimate(counts[spec.encoding], spec, epochs))
    return result


def all_models(prices: PriceList | None = None) -> list[ModelSpec]:
    prices = prices or default_price_list()
    return list(prices.models.values())
