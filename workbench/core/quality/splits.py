"""Train / validation / test splits: by ratio, optionally stratified, seeded and reproducible.

Each example's place comes from a hash of (seed, its content) — never from the order rows happen
to be in — so the same seed and the same examples give the same split on every machine, after a
re-import or a re-sort. Examples with the same content (after normalising) form one unit and go
to the same split, so a copy in *test* never has its twin in *train*. Within each stratum (a tag
value such as ``tier:gold``) units are ranked by hash and cut at the ratios, with the rounding
dithered per stratum so that many small strata still add up to the ratios overall.

The test split is held out: ``workbench.core.export`` writes only train and validation.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord, check_cancel
from workbench.core.quality.text import conversation_key

SPLIT_NAMES = ("train", "validation", "test")
NO_STRATUM = "(none)"
ALL = "(all)"
_TICK = 1000


@dataclass(frozen=True)
class SplitRatios:
    train: float
    validation: float
    test: float

    def __post_init__(self) -> None:
        values = (self.train, self.validation, self.test)
        if any(v < 0 or math.isnan(v) for v in values) or not math.isclose(sum(values), 1.0, abs_tol=1e-6):
            raise ValueError("ratios must be zero or more and add up to 100% (e.g. 80/10/10)")
        if self.train <= 0:
            raise ValueError("the train ratio must be above zero")

    @classmethod
    def parse(cls, text: str) -> SplitRatios:
        """"80/10/10", "0.8/0.1/0.1", "80:20" or "90/10" (the missing ones are 0)."""
        parts = [p for p in re.split(r"[/:,\s]+", text.strip()) if p]
        try:
            values = [float(p.rstrip("%")) for p in parts]
        except ValueError:
            raise ValueError(f"'{text}' is not a set of ratios; write them like 80/10/10") from None
        if not 1 <= len(values) <= 3:
            raise ValueError(f"'{text}' should be two or three numbers, like 80/10/10 (train/validation/test)")
        total = sum(values)
        if total <= 0:
            raise ValueError(f"'{text}' adds up to nothing; write them like 80/10/10")
        if not (math.isclose(total, 100, abs_tol=0.01) or math.isclose(total, 1, abs_tol=1e-4)):
            raise ValueError(f"'{text}' adds up to {total:g}; the ratios must add up to 100 (or 1)")
        values = [v / total for v in values] + [0.0] * (3 - len(values))
        return cls(*values)

    def as_dict(self) -> dict[str, float]:
        return {"train": self.train, "validation": self.validation, "test": self.test}

    def __str__(self) -> str:
        return "/".join(f"{v * 100:g}" for v in (self.train, self.validation, self.test))


@dataclass
class SplitPlan:
    """Where each example goes, and the counts per stratum. ``assignment``: example id -> split."""

    seed: int
    ratios: SplitRatios
    stratify_by: str | tuple[str, ...] | None
    assignment: dict[int, str] = field(default_factory=dict)
    strata: dict[str, dict[str, int]] = field(default_factory=dict)  # stratum -> {split: count}
    current: dict[int, str] = field(default_factory=dict, repr=False)  # the splits when planned

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(SPLIT_NAMES, 0)
        for split in self.assignment.values():
            out[split] += 1
        return out

    def ids(self, split: str) -> list[int]:
        return [i for i, s in self.assignment.items() if s == split]

    def changed_ids(self) -> list[int]:
        return [i for i, s in self.assignment.items() if self.current.get(i) != s]

    def table(self) -> list[tuple[str, int, int, int, int]]:
        """(stratum, examples, train, validation, test) per stratum, then the total row."""
        rows = [(name, sum(c.values()), *(c.get(s, 0) for s in SPLIT_NAMES)) for name, c in self.strata.items()]
        totals = self.counts()
        rows.append(("total", len(self.assignment), *(totals[s] for s in SPLIT_NAMES)))
        return rows

    def to_json(self) -> dict[str, Any]:
        by = list(self.stratify_by) if isinstance(self.stratify_by, tuple) else self.stratify_by
        return {"seed": self.seed, "ratios": self.ratios.as_dict(), "stratify_by": by, "counts": self.counts(),
                "strata": self.strata}


def stratum_of(tags: Iterable[str], stratify_by: str | Sequence[str] | None) -> str:
    """The stratum of an example with these tags. A string is a tag prefix ("tier" matches
    "tier:gold" -> "gold", and the plain tag "tier"); a list names the tags (the first it has wins)."""
    if stratify_by is None:
        return ALL
    tags = list(tags)
    if isinstance(stratify_by, str):
        prefix = stratify_by.rstrip(":")
        values = sorted(t[len(prefix) + 1:] or t for t in tags if t == prefix or t.startswith(prefix + ":"))
        return values[0] if values else NO_STRATUM
    present = set(tags)
    return next((t for t in stratify_by if t in present), NO_STRATUM)


def _rank(seed: int, unit: bytes) -> bytes:
    return hashlib.blake2b(unit, digest_size=16, key=str(seed).encode()[:64]).digest()


def _dither(seed: int, stratum: str) -> float:
    digest = hashlib.blake2b(f"{seed}\x1f{stratum}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def plan_splits(records: Iterable[QualityRecord], ratios: SplitRatios, *, seed: int = 42,
                stratify_by: str | Sequence[str] | None = None, by: str = "content",
                progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> SplitPlan:
    """``by``: "content" (examples with the same normalised messages stay together; the default) or
    "id" (each example on its own; ids are stable in a workspace, line numbers in a file are not)."""
    if by not in ("content", "id"):
        raise ValueError("by must be 'content' or 'id'")
    strat = stratify_by if stratify_by is None or isinstance(stratify_by, str) else tuple(stratify_by)
    plan = SplitPlan(seed=seed, ratios=ratios, stratify_by=strat)
    total = len(records) if hasattr(records, "__len__") else 0
    # stratum -> unit key -> example ids
    units: dict[str, dict[bytes, list[int]]] = {}
    for n, record in enumerate(records):
        if n % _TICK == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(n, total)
        unit = conversation_key(record.data) if by == "content" else str(record.id).encode()
        units.setdefault(stratum_of(record.tags, strat), {}).setdefault(unit, []).append(record.id)
        plan.current[record.id] = record.split
    for stratum in sorted(units, key=lambda s: (s == NO_STRATUM, s)):
        members = units[stratum]
        size = sum(len(ids) for ids in members.values())
        u = _dither(seed, stratum)
        cut_train = math.floor(size * ratios.train + u)
        cut_validation = math.floor(size * (ratios.train + ratios.validation) + u)
        counts = dict.fromkeys(SPLIT_NAMES, 0)
        placed = 0
        for unit in sorted(members, key=lambda k: (_rank(seed, k), k)):
            split = "train" if placed < cut_train else "validation" if placed < cut_validation else "test"
            if ratios.test == 0 and split == "test":
                split = "validation" if ratios.validation else "train"
            for example_id in members[unit]:
                plan.assignment[example_id] = split
            counts[split] += len(members[unit])
            placed += len(members[unit])
        plan.strata[stratum] = counts
    if progress is not None:
        progress(total, total)
    return plan


def apply_splits(ws, plan: SplitPlan, label: str | None = None, cancel: CancelFn | None = None) -> int:
    """Sets every planned example's split as ONE undo step; returns how many examples moved.
    Examples deleted since planning are skipped."""
    check_cancel(cancel)
    live = set(ws.ids())
    ids = [i for i in plan.assignment if i in live]
    current = {i: row[4] for i, row in ws.summaries(ids).items()}
    moves = {split: [i for i in ids if plan.assignment[i] == split and current.get(i) != split] for split in SPLIT_NAMES}
    moved = sum(len(v) for v in moves.values())
    if not moved:
        return 0
    label = label or f"Split {len(ids):,} examples {plan.ratios} (seed {plan.seed})"
    with ws.batch(label):
        for split, split_ids in moves.items():
            if split_ids:
                ws.set_split(split_ids, split, label)
    return moved
