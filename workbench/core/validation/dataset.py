"""Dataset-level validation kept current from per-example facts.

``DatasetValidator.put(key, obj)`` checks one example and updates running aggregates (counts per
format, examples per content hash, duplicate groups). Changing one example therefore costs one
example's checks, never a re-scan; ``dataset_issues()`` reads only the aggregates.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from workbench.core.formats import Kind, content_hash, detect_kind
from workbench.core.pricing import ModelSpec
from workbench.core.tokens import TokenCounter
from workbench.core.validation.example_checks import check_example
from workbench.core.validation.issues import Issue, Severity, make_issue

MIN_EXAMPLES = 10
RECOMMENDED_EXAMPLES = 50


@dataclass(frozen=True)
class ExampleFacts:
    kind: Kind
    digest: str
    tokens: int | None
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity is Severity.WARNING)

    @property
    def status(self) -> str:
        return "error" if self.errors else "warning" if self.warnings else "ok"


def model_format_issue(kind: Kind, spec: ModelSpec, line: int | None, where: str | None) -> Issue | None:
    if spec.is_legacy and kind in (Kind.CHAT, Kind.DPO):
        return make_issue("format_model_mismatch", line=line, where=where, kind=kind.label, model=spec.name,
                          fix_hint=f"Choose a chat model, or give {spec.name} prompt/completion data.")
    if not spec.is_legacy and kind is Kind.LEGACY:
        return make_issue("format_model_mismatch", line=line, where=where, kind=kind.label, model=spec.name,
                          fix_hint="Convert the file to chat format (workbench convert), or choose babbage-002 / davinci-002.")
    if kind is Kind.DPO and "dpo" not in spec.methods:
        return make_issue("format_model_mismatch", line=line, where=where, kind=kind.label, model=spec.name,
                          fix_hint="Choose a model that supports preference tuning (gpt-4.1 or gpt-4o families).")
    return None


class DatasetValidator:
    """Per-example facts plus dataset aggregates, for one file or one workspace split."""

    def __init__(self, spec: ModelSpec | None = None, counter: TokenCounter | None = None) -> None:
        self.spec = spec
        self.counter = counter
        self._facts: dict[Hashable, ExampleFacts] = {}
        self._kinds: Counter[Kind] = Counter()
        self._by_hash: dict[str, list[Hashable]] = {}
        self._duplicate_hashes: set[str] = set()
        self.errors = 0
        self.warnings = 0
        self.version = 0  # bumps on every change, so callers can cache what they derive

    # --- per example -----------------------------------------------------------------------------

    def check(self, obj, line: int | None = None, where: str | None = None, digest: str | None = None,
              tokens: int | None = None) -> ExampleFacts:
        """Facts for one example without recording them. ``digest`` defaults to its content hash;
        ``tokens`` may come already counted (file scans count a batch at a time)."""
        issues = check_example(obj, line, where)
        kind = detect_kind(obj)
        digest = digest or content_hash(obj)
        if tokens is None and self.counter is not None and kind is not Kind.UNKNOWN:
            tokens = self.counter.count(obj, digest)
        if self.spec is not None and kind is not Kind.UNKNOWN:
            mismatch = model_format_issue(kind, self.spec, line, where)
            if mismatch:
                issues.append(mismatch)
            if tokens is not None and tokens > self.spec.training_limit:
                issues.append(make_issue("too_many_tokens", line=line, where=where, tokens=tokens,
                                         over=tokens - self.spec.training_limit,
                                         limit=self.spec.training_limit, model=self.spec.name))
        return ExampleFacts(kind, digest, tokens, tuple(issues))

    def put(self, key: Hashable, obj, line: int | None = None, where: str | None = None,
            digest: str | None = None, tokens: int | None = None) -> ExampleFacts:
        facts = self.check(obj, line, where, digest, tokens)
        self.put_facts(key, facts)
        return facts

    def put_facts(self, key: Hashable, facts: ExampleFacts) -> None:
        if key in self._facts:
            self.remove(key)
        self.version += 1
        self._facts[key] = facts
        self._kinds[facts.kind] += 1
        group = self._by_hash.setdefault(facts.digest, [])
        group.append(key)
        if len(group) > 1:
            self._duplicate_hashes.add(facts.digest)
        self.errors += facts.errors
        self.warnings += facts.warnings

    def remove(self, key: Hashable) -> None:
        facts = self._facts.pop(key, None)
        if facts is None:
            return
        self.version += 1
        self._kinds[facts.kind] -= 1
        if not self._kinds[facts.kind]:
            del self._kinds[facts.kind]
        group = self._by_hash[facts.digest]
        group.remove(key)
        if len(group) < 2:
            self._duplicate_hashes.discard(facts.digest)
        if not group:
            del self._by_hash[facts.digest]
        self.errors -= facts.errors
        self.warnings -= facts.warnings

    def facts(self, key: Hashable) -> ExampleFacts | None:
        return self._facts.get(key)

    def __len__(self) -> int:
        return len(self._facts)

    def keys(self) -> Iterable[Hashable]:
        return self._facts.keys()

    def hashes(self) -> set[str]:
        return set(self._by_hash)

    def token_counts(self) -> list[int]:
        return [f.tokens for f in self._facts.values() if f.tokens is not None]

    def kind_counts(self) -> dict[str, int]:
        return {k.value: n for k, n in self._kinds.items()}

    def duplicate_groups(self) -> list[list[Hashable]]:
        return [list(self._by_hash[h]) for h in self._duplicate_hashes]

    # --- dataset level ---------------------------------------------------------------------------

    def dataset_issues(self, locate: Callable[[Hashable], object] = lambda k: k, *,
                       size_checks: bool = True, noun: str = "lines") -> list[Issue]:
        """Issues about the dataset as a whole. ``locate`` turns a key into what users see (a line).

        ``size_checks=False`` for validation files, which may well be small."""
        out: list[Issue] = []
        n = len(self._facts)
        if n == 0:
            out.append(make_issue("empty_dataset"))
        elif size_checks and n < MIN_EXAMPLES:
            out.append(make_issue("too_few_examples", count=n))
        elif size_checks and n < RECOMMENDED_EXAMPLES:
            out.append(make_issue("few_examples", count=n))
        known = {k: c for k, c in self._kinds.items() if k is not Kind.UNKNOWN}
        if len(known) > 1:
            counts = ", ".join(f"{c} {k.label}" for k, c in sorted(known.items(), key=lambda kv: -kv[1]))
            out.append(make_issue("mixed_formats", counts=counts))
        if self._duplicate_hashes:
            # Count by arithmetic and name only the first few: tens of thousands of copies (a file
            # imported twice) must not cost a full sort on every check.
            groups = [self._by_hash[h] for h in self._duplicate_hashes]
            count = sum(len(g) - 1 for g in groups)
            first = heapq.nsmallest(LISTED, (k for g in groups for k in itertools.islice(g, 1, None)))
            out.append(make_issue("duplicate_examples", count=count, noun=noun,
                                  lines=_list([locate(k) for k in first], total=count)))
        return out

    def overlap_with(self, training: DatasetValidator,
                     locate: Callable[[Hashable], object] = lambda k: k, noun: str = "lines") -> list[Issue]:
        shared = self.hashes() & training.hashes()
        if not shared:
            return []
        keys = [locate(k) for k in sorted(k for h in shared for k in self._by_hash[h])]
        return [make_issue("train_validation_overlap", count=len(keys), lines=_list(keys), noun=noun)]


LISTED = 10


def _list(items: list, limit: int = LISTED, total: int | None = None) -> str:
    total = len(items) if total is None else total
    text = ", ".join(str(i) for i in items[:limit])
    return text + (f" and {total - limit:,} more" if total > limit else "")
