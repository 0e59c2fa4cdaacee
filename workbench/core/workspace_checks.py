"""Validate a workspace's examples and store each one's status, issues and tokens in it.

Runs in the background for whole workspaces (progress + cancel) and per example after an edit.
Dataset-level findings come from one DatasetValidator per split, kept current incrementally.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.core.gc_pause import collector_paused
from workbench.core.pricing import encoding_name_for, resolve_model
from workbench.core.store import Workspace
from workbench.core.tokens import TokenCounter
from workbench.core.validation.dataset import DatasetValidator, ExampleFacts
from workbench.core.validation.issues import Issue

DEFAULT_MODEL = "gpt-4.1-mini"


class WorkspaceChecker:
    """Per-split validators over a workspace; ``check_ids`` re-checks only what changed."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self.spec = resolve_model(model)
        self.counter = TokenCounter(encoding_name_for(model))
        self.splits: dict[str, DatasetValidator] = {}
        self.split_of: dict[int, str] = {}
        self._cached_issues: tuple | None = None

    def _validator(self, split: str) -> DatasetValidator:
        if split not in self.splits:
            self.splits[split] = DatasetValidator(spec=self.spec, counter=self.counter)
        return self.splits[split]

    def check_ids(self, ws: Workspace, ids: Sequence[int] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> int:
        """(Re)check ``ids`` (all live examples when None); returns how many were checked."""
        if ids is None:
            records = ws.iter_records()
            total = ws.count()
        else:
            records = (ws.get(i) for i in ids)
            total = len(ids)
        with collector_paused():
            return self._check(ws, records, total, progress, cancelled)

    def _check(self, ws, records, total, progress, cancelled) -> int:
        facts_rows: list = []
        done = 0
        for record in records:
            if cancelled():
                break
            self.forget(record.id)
            facts = self._validator(record.split).put(record.id, record.data, where=f"Example {record.id}")
            self.split_of[record.id] = record.split
            facts_rows.append(_row(record.id, facts, self.counter))
            done += 1
            if len(facts_rows) >= 500:
                ws.store_facts(facts_rows)
                facts_rows = []
                if progress:
                    progress(done, total)
        if facts_rows:
            ws.store_facts(facts_rows)
        if progress:
            progress(done, total)
        return done

    def forget(self, example_id: int) -> None:
        split = self.split_of.pop(example_id, None)
        if split is not None:
            self.splits[split].remove(example_id)

    def dataset_issues(self) -> dict[str, list[Issue]]:
        """Per-split dataset findings; cached until an example is checked or forgotten again."""
        key = tuple((split, v.version) for split, v in sorted(self.splits.items()))
        if self._cached_issues is not None and self._cached_issues[0] == key:
            return self._cached_issues[1]
        out = {split: v.dataset_issues(size_checks=split == "train", noun="examples")
               for split, v in self.splits.items() if split in ("train", "validation") and len(v)}
        if "train" in self.splits and "validation" in self.splits:
            out.setdefault("validation", []).extend(
                self.splits["validation"].overlap_with(self.splits["train"], noun="examples"))
        self._cached_issues = (key, out)
        return out


def _row(example_id: int, facts: ExampleFacts, counter: TokenCounter):
    return (example_id, facts.status, [i.to_json() for i in facts.issues], facts.tokens, counter.encoding_name)
