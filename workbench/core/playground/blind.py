"""Blind comparison: answers shown under letters in a seeded random order, and what a verdict means.

For each prompt the columns (or, in an evaluation, the two models of a pairing) are shuffled with
a generator seeded by (session seed, prompt key), so the order is the same whenever the prompt is
shown again, and differs from prompt to prompt. The reviewer picks a letter (the best answer),
``tie`` or ``both_bad``; ``outcomes`` turns that into pairwise results between the real columns.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

LABELS = ("A", "B", "C", "D")
TIE, BOTH_BAD = "tie", "both_bad"
VERDICT_TEXT = {TIE: "Tie", BOTH_BAD: "Both bad"}
# What a pairwise result is, from the point of view of the pair (a, b) with a < b.
A_WINS, B_WINS = "a", "b"


def shuffled_order(n: int, seed: int, key: str | int) -> list[int]:
    """Column indices in the order shown as A, B, ...: a permutation of range(n), fixed by (seed, key)."""
    order = list(range(n))
    random.Random(f"{seed}:{key}").shuffle(order)  # str seeds hash with sha512: stable across runs
    return order


def verdicts(n: int) -> tuple[str, ...]:
    """What the reviewer may answer for ``n`` answers shown: a letter, a tie, or both (all) bad."""
    return (*LABELS[:n], TIE, BOTH_BAD)


def check_verdict(verdict: str, n: int) -> str:
    if verdict not in verdicts(n):
        raise ValueError(f"A verdict is one of {', '.join(verdicts(n))}, not {verdict!r}.")
    return verdict


def verdict_text(verdict: str) -> str:
    return VERDICT_TEXT.get(verdict, f"{verdict} is better")


@dataclass(frozen=True)
class PairOutcome:
    """The result between columns (models) ``a`` < ``b``: ``a``, ``b``, ``tie`` or ``both_bad``."""

    a: int
    b: int
    result: str

    def __post_init__(self) -> None:
        if self.a >= self.b:
            raise ValueError("a pair is stored lowest index first")
        if self.result not in (A_WINS, B_WINS, TIE, BOTH_BAD):
            raise ValueError(f"unknown result {self.result!r}")


def outcomes(order: Sequence[int], verdict: str) -> list[PairOutcome]:
    """Pairwise results between the real columns of a verdict given on answers shown in ``order``.

    A letter: that answer beat every other one shown (no order among the others). ``tie``: every
    pair tied. ``both_bad``: every pair was both bad.
    """
    check_verdict(verdict, len(order))
    found = []
    if verdict in (TIE, BOTH_BAD):
        for i, x in enumerate(order):
            for y in order[i + 1:]:
                found.append(PairOutcome(min(x, y), max(x, y), verdict))
        return found
    winner = order[LABELS.index(verdict)]
    for other in order:
        if other != winner:
            a, b = min(winner, other), max(winner, other)
            found.append(PairOutcome(a, b, A_WINS if winner == a else B_WINS))
    return found
