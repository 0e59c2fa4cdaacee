"""Token statistics for the Tokens & cost view: totals, histogram bins, examples over the limit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Histogram:
    edges: list[int]  # len(counts) + 1 bin edges, in tokens
    counts: list[int]


def histogram(values: Sequence[int], bins: int = 30, limit: int | None = None) -> Histogram:
    """Equal-width bins from 0 to the larger of the longest example and the model's limit."""
    if not values:
        return Histogram([0, 1], [0])
    top = max(max(values), limit or 0, 1)
    width = max(1, math.ceil(top / bins))
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, v // width)] += 1
    return Histogram([i * width for i in range(bins + 1)], counts)
