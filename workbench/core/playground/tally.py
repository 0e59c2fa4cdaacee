"""Counting pairwise results into wins, losses, ties and win rates with a 95% interval."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.core.playground.blind import A_WINS, B_WINS, BOTH_BAD, TIE, PairOutcome
from workbench.core.playground.stats import wilson_interval

WIN_RATE_RULE = (
    "Win rate = (wins + half the ties) ÷ (wins + losses + ties). 'Both bad' verdicts are counted "
    "but left out of the rate: they say nothing about which answer is better. The 95% interval is "
    "the Wilson score interval over those comparisons."
)


@dataclass(frozen=True)
class Tally:
    """One model's (column's) record over every comparison it took part in."""

    index: int
    name: str
    wins: int = 0
    losses: int = 0
    ties: int = 0
    both_bad: int = 0

    @property
    def decided(self) -> int:
        """Comparisons that count towards the rate (all but 'both bad')."""
        return self.wins + self.losses + self.ties

    @property
    def win_rate(self) -> float | None:
        return (self.wins + self.ties / 2) / self.decided if self.decided else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.wins + self.ties / 2, self.decided)


@dataclass(frozen=True)
class PairTally:
    """Head to head between models ``a`` and ``b``: ``a_wins``, ``b_wins``, ties and both bad."""

    a: int
    b: int
    a_wins: int = 0
    b_wins: int = 0
    ties: int = 0
    both_bad: int = 0

    @property
    def a_rate(self) -> float | None:
        n = self.a_wins + self.b_wins + self.ties
        return (self.a_wins + self.ties / 2) / n if n else None


def tally(results: Iterable[PairOutcome], names: Sequence[str]) -> list[Tally]:
    """Per model, in the order of ``names``."""
    counts = [[0, 0, 0, 0] for _ in names]  # wins, losses, ties, both bad
    for r in results:
        if r.result == A_WINS:
            counts[r.a][0] += 1
            counts[r.b][1] += 1
        elif r.result == B_WINS:
            counts[r.b][0] += 1
            counts[r.a][1] += 1
        else:
            column = 2 if r.result == TIE else 3
            counts[r.a][column] += 1
            counts[r.b][column] += 1
    return [Tally(i, name, *c) for i, (name, c) in enumerate(zip(names, counts, strict=True))]


def head_to_head(results: Iterable[PairOutcome]) -> list[PairTally]:
    """One PairTally per pair of models that met, ordered by (a, b)."""
    pairs: dict[tuple[int, int], list[int]] = {}
    slot = {A_WINS: 0, B_WINS: 1, TIE: 2, BOTH_BAD: 3}
    for r in results:
        pairs.setdefault((r.a, r.b), [0, 0, 0, 0])[slot[r.result]] += 1
    return [PairTally(a, b, *c) for (a, b), c in sorted(pairs.items())]
