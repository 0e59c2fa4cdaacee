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


@dataclass(frozen=True)
class ModelTokenSummary:
    """Everything the Tokens & cost view shows for one model, computed off the GUI thread."""

    model: str
    examples: int
    tokens: int
    billable_per_epoch: int  # after truncation to the model's limit
    over_limit: list[tuple[int, int]]  # (tokens, example id), longest first, at most MAX_OVER_LISTED
    over_limit_count: int
    longest: int
    histogram: Histogram
    limit_on_chart: bool  # False when the limit is far right of the data (it would squash the bars)


MAX_OVER_LISTED = 500
HISTOGRAM_BINS = 40


def summarise(pairs: Sequence[tuple[int, int]], model: str, limit: int) -> ModelTokenSummary:
    """``pairs``: (example id, tokens) for one split under the model's encoding."""
    tokens = [t for _, t in pairs]
    longest = max(tokens, default=0)
    over = sorted(((t, i) for i, t in pairs if t > limit), reverse=True)
    on_chart = limit <= 2 * max(longest, 1)
    return ModelTokenSummary(
        model=model,
        examples=len(tokens),
        tokens=sum(tokens),
        billable_per_epoch=sum(min(t, limit) for t in tokens),
        over_limit=over[:MAX_OVER_LISTED],
        over_limit_count=len(over),
        longest=longest,
        histogram=histogram(tokens, HISTOGRAM_BINS, limit if on_chart else None),
        limit_on_chart=on_chart,
    )
