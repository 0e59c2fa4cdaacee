"""The evaluation report: per model its blind record (win rate with a 95% interval), tokens, cost
and latency; head-to-head results; and every item with its answers and verdicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from workbench.core.playground.answer import DONE, FAILED, Answer
from workbench.core.playground.evaluation import EvalItem, EvalPlan, EvalRating, Pairing, names_of
from workbench.core.playground.stats import percentile
from workbench.core.playground.tally import WIN_RATE_RULE, PairTally, Tally, head_to_head, tally


@dataclass(frozen=True)
class ModelReport:
    index: int
    name: str
    model: str
    where: str  # profile name or base URL
    record: Tally
    answers: int  # complete answers
    failed: int
    missing: int  # never asked (a cancelled run)
    tokens_in: int
    tokens_out: int
    tokens_estimated: bool  # some counts were made locally (the server sent no usage)
    cost: float | None  # USD over the answers whose cost is known; None if none is
    cost_complete: bool  # every answer's cost was known
    latency_p50: float | None  # seconds, total time of complete answers
    latency_p95: float | None
    ttft_p50: float | None

    @property
    def win_rate(self) -> float | None:
        return self.record.win_rate

    @property
    def interval(self) -> tuple[float, float] | None:
        return self.record.interval


@dataclass(frozen=True)
class ItemRow:
    item: EvalItem
    answers: tuple[Answer | None, ...]  # per model
    verdicts: tuple[tuple[Pairing, str | None], ...]  # each pairing of the item and its verdict, if rated


@dataclass(frozen=True)
class EvalReport:
    title: str
    created_at: str
    selection: str
    seed: int
    temperature: float | None
    max_tokens: int | None
    models: tuple[ModelReport, ...]
    pairs: tuple[PairTally, ...]
    items: int
    pairings: int
    rated: int
    rows: tuple[ItemRow, ...]
    rule: str = WIN_RATE_RULE

    @property
    def complete(self) -> bool:
        return self.rated == self.pairings


def build_report(plan: EvalPlan, answers: Mapping[tuple[int, int], Answer], ratings: Sequence[EvalRating]
                 ) -> EvalReport:
    """The report of ``plan`` from its stored answers ((item, model) -> Answer) and verdicts."""
    names = names_of(plan.targets)
    by_key = {r.key: r for r in ratings}
    results = [r.outcome() for r in by_key.values()]
    records = tally(results, names)
    models = tuple(_model_report(plan, i, names[i], records[i], answers) for i in range(len(plan.targets)))
    all_pairings = plan.pairings()
    rows = []
    for item in plan.items:
        found = tuple(answers.get((item.index, m)) for m in range(len(plan.targets)))
        verdicts = []
        for pairing in (p for p in all_pairings if p.item == item.index):
            rating = by_key.get(pairing.key)
            verdict = None
            if rating is not None:  # told in the pairing's own A/B order
                swapped = rating.first != pairing.first and rating.verdict in ("A", "B")
                verdict = ("B" if rating.verdict == "A" else "A") if swapped else rating.verdict
            verdicts.append((pairing, verdict))
        rows.append(ItemRow(item, found, tuple(verdicts)))
    return EvalReport(
        title=plan.name or "Evaluation", created_at=plan.created_at, selection=plan.selection.describe(),
        seed=plan.seed, temperature=plan.settings.temperature, max_tokens=plan.settings.max_tokens,
        models=models, pairs=tuple(head_to_head(results)), items=len(plan.items), pairings=len(all_pairings),
        rated=sum(1 for p in all_pairings if p.key in by_key), rows=tuple(rows))


def _model_report(plan: EvalPlan, index: int, name: str, record: Tally,
                  answers: Mapping[tuple[int, int], Answer]) -> ModelReport:
    mine = [answers[(item.index, index)] for item in plan.items if (item.index, index) in answers]
    complete = [a for a in mine if a.status == DONE]
    costs = [a.cost for a in mine if a.cost is not None]
    counted = [a for a in mine if a.tokens_in is not None]
    latencies = [a.total_time for a in complete if a.total_time is not None]
    ttfts = [a.ttft for a in complete if a.ttft is not None]
    target = plan.targets[index]
    return ModelReport(
        index=index, name=name, model=target.model, where=_shareable(target.where), record=record,
        answers=len(complete), failed=sum(1 for a in mine if a.status == FAILED),
        missing=len(plan.items) - len(mine),
        tokens_in=sum(a.tokens_in or 0 for a in counted), tokens_out=sum(a.tokens_out or 0 for a in counted),
        tokens_estimated=any(a.estimated for a in counted),
        cost=sum(costs) if costs else None, cost_complete=bool(mine) and len(costs) == len(mine),
        latency_p50=percentile(latencies, 50), latency_p95=percentile(latencies, 95),
        ttft_p50=percentile(ttfts, 50))


def _shareable(where: str) -> str:
    """A profile name as is; a base URL without user name, password or query (tokens hide there):
    reports are exported and mailed."""
    if "://" not in where:
        return where
    try:
        parts = urlsplit(where)
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return "(a base URL)"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
