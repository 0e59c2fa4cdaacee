"""Duplicate groups as the user sees them: one example to keep, the others marked for removal."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

KEEP_POLICIES = ("first", "longest")  # first: earliest in display order; longest: most assistant text


@dataclass(frozen=True)
class DuplicateGroup:
    """Examples that are the same conversation. ``similarity``: each member's to the suggested keeper
    (1.0 for exact duplicates; Jaccard of word shingles for near duplicates)."""

    kind: str  # "exact" | "near"
    keep: int  # example id suggested to keep
    remove: tuple[int, ...]  # example ids suggested for removal, in display order
    similarity: dict[int, float] = field(default_factory=dict, compare=False)
    preview: str = ""  # the keeper's first question, shortened

    @property
    def members(self) -> tuple[int, ...]:
        return (self.keep, *self.remove)

    def with_keeper(self, example_id: int) -> DuplicateGroup:
        """The same group keeping ``example_id`` instead (the user's choice); the rest are removed."""
        if example_id not in self.members:
            raise ValueError(f"example {example_id} is not in this group")
        if example_id == self.keep:
            return self
        # ``similarity`` stays relative to the suggested keeper: it says how alike the texts are.
        return replace(self, keep=example_id, remove=tuple(i for i in self.members if i != example_id))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "keep": self.keep, "remove": list(self.remove), "preview": self.preview,
                "similarity": {str(k): round(v, 3) for k, v in self.similarity.items()}}


@dataclass
class DuplicateReport:
    examples: int  # examples scanned
    exact: list[DuplicateGroup] = field(default_factory=list)
    near: list[DuplicateGroup] = field(default_factory=list)
    threshold: float | None = None  # None: near duplicates were not looked for

    @property
    def groups(self) -> list[DuplicateGroup]:
        return [*self.exact, *self.near]

    def removal_ids(self) -> list[int]:
        """Every example the suggestions would remove, ascending."""
        return sorted({i for g in self.groups for i in g.remove})

    def to_json(self) -> dict[str, Any]:
        return {"examples": self.examples, "threshold": self.threshold,
                "exact": [g.to_json() for g in self.exact], "near": [g.to_json() for g in self.near],
                "to_remove": len(self.removal_ids())}


def choose_keeper(members: list[int], chars: list[int], policy: str) -> int:
    """The member (an index into the scan) to keep. ``members`` are in display order."""
    if policy == "first":
        return members[0]
    if policy == "longest":
        return max(members, key=lambda i: (chars[i], -i))
    raise ValueError(f"keep must be one of {KEEP_POLICIES}, not {policy!r}")
