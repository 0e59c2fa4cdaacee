"""Balance report: how many examples each tag or segment has and how long its answers are.

A skew a model would learn shows up here: one customer tier with answers twice as long as the
rest, or a product with a handful of examples. Lengths are per assistant reply (characters, and
tokens when a counter is given). A segment is flagged when its average reply is more than
``length_factor`` times longer or shorter than the overall average, or when it holds less than
``min_share`` of the examples.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.quality.base import CancelFn, ProgressFn, QualityRecord, check_cancel
from workbench.core.quality.text import iter_messages

UNTAGGED = "(untagged)"
OVERALL = "(all examples)"
_TICK = 1000


@dataclass(frozen=True)
class SegmentStats:
    segment: str  # the tag value ("gold"), the tag itself, or UNTAGGED / OVERALL
    tag: str | None  # the full tag to filter by ("tier:gold"); None for UNTAGGED / OVERALL
    examples: int
    share: float  # of all examples scanned (0..1)
    replies: int  # assistant replies
    avg_chars: float  # per assistant reply
    median_chars: float
    avg_tokens: float | None  # per assistant reply, when a counter was given
    median_tokens: float | None
    avg_turns: float  # user + assistant messages per example
    length_ratio: float  # avg_chars / the overall avg_chars
    flags: tuple[str, ...] = ()  # plain-language reasons this segment stands out

    def to_json(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass
class BalanceReport:
    by: str | None  # the tag prefix the segments are values of; None = every tag
    overall: SegmentStats
    segments: list[SegmentStats] = field(default_factory=list)  # most examples first

    @property
    def flagged(self) -> list[SegmentStats]:
        return [s for s in self.segments if s.flags]

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "overall": self.overall.to_json(), "segments": [s.to_json() for s in self.segments]}


@dataclass
class _Acc:
    tag: str | None
    examples: int = 0
    turns: int = 0
    chars: list[int] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)


def segments_of(tags: Iterable[str], by: str | None) -> list[tuple[str, str | None]]:
    """(segment, tag) pairs an example belongs to: each tag, or each value of the prefix ``by``."""
    tags = list(tags)
    if by is None:
        return [(t, t) for t in tags] or [(UNTAGGED, None)]
    prefix = by.rstrip(":")
    hits = [(t[len(prefix) + 1:] or t, t) for t in tags if t == prefix or t.startswith(prefix + ":")]
    return hits or [(UNTAGGED, None)]


def balance_report(records: Iterable[QualityRecord], *, by: str | None = None,
                   counter: Callable[[str], int] | None = None, length_factor: float = 1.5,
                   min_share: float = 0.02, progress: ProgressFn | None = None,
                   cancel: CancelFn | None = None) -> BalanceReport:
    """``by``: a tag prefix ("tier" -> segments gold, silver, ...); None: one segment per tag (an
    example with two tags counts in both). ``counter``: text -> tokens (e.g. TokenCounter.count)."""
    if length_factor <= 1:
        raise ValueError("length_factor must be above 1 (e.g. 1.5)")
    total = len(records) if hasattr(records, "__len__") else 0
    overall = _Acc(None)
    accs: dict[str, _Acc] = {}
    for n, record in enumerate(records):
        if n % _TICK == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(n, total)
        replies = [t for role, t in iter_messages(record.data) if role == "assistant"]
        chars = [len(t) for t in replies]
        tokens = [counter(t) for t in replies] if counter is not None else []
        turns = sum(1 for role, _t in iter_messages(record.data) if role in ("user", "assistant"))
        for acc in [overall, *(accs.setdefault(seg, _Acc(tag)) for seg, tag in segments_of(record.tags, by))]:
            acc.examples += 1
            acc.turns += turns
            acc.chars += chars
            acc.tokens += tokens
    base = _stats(OVERALL, overall, overall.examples, None, counter is not None, length_factor, min_share)
    segments = [_stats(seg, acc, overall.examples, base.avg_chars, counter is not None, length_factor, min_share)
                for seg, acc in accs.items()]
    segments.sort(key=lambda s: (-s.examples, s.segment == UNTAGGED, s.segment))
    if progress is not None:
        progress(overall.examples, max(total, overall.examples))
    return BalanceReport(by=by, overall=base, segments=segments)


def _stats(name: str, acc: _Acc, all_examples: int, overall_avg: float | None, with_tokens: bool,
           length_factor: float, min_share: float) -> SegmentStats:
    avg_chars = statistics.fmean(acc.chars) if acc.chars else 0.0
    share = acc.examples / all_examples if all_examples else 0.0
    ratio = avg_chars / overall_avg if overall_avg else 1.0
    flags = []
    if overall_avg is not None and acc.chars:
        if ratio > length_factor:
            flags.append(f"answers {ratio:.1f}x longer than average ({avg_chars:,.0f} vs {overall_avg:,.0f} characters)")
        elif ratio < 1 / length_factor:
            flags.append(f"answers {1 / ratio:.1f}x shorter than average ({avg_chars:,.0f} vs {overall_avg:,.0f} characters)")
    if overall_avg is not None and share < min_share:
        flags.append(f"few examples: {acc.examples:,} ({share:.1%} of {all_examples:,})")
    return SegmentStats(
        segment=name, tag=acc.tag, examples=acc.examples, share=share, replies=len(acc.chars),
        avg_chars=avg_chars, median_chars=float(statistics.median(acc.chars)) if acc.chars else 0.0,
        avg_tokens=(statistics.fmean(acc.tokens) if acc.tokens else 0.0) if with_tokens else None,
        median_tokens=(float(statistics.median(acc.tokens)) if acc.tokens else 0.0) if with_tokens else None,
        avg_turns=acc.turns / acc.examples if acc.examples else 0.0, length_ratio=ratio, flags=tuple(flags),
    )
