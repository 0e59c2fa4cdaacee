"""Token counts of a workspace split for every encoding the price list uses (Tokens & cost view)."""

from __future__ import annotations

from collections.abc import Callable

from workbench.core.pricing import PriceList, default_price_list
from workbench.core.store import Workspace
from workbench.core.tokens import TokenCounter


class SplitTokenCounts:
    """Keeps one cached counter per encoding across runs: unchanged examples are not re-encoded."""

    def __init__(self, prices: PriceList | None = None) -> None:
        self.prices = prices or default_price_list()
        encodings = sorted({m.encoding for m in self.prices.models.values()})
        self.counters = {name: TokenCounter(name) for name in encodings}

    def count(self, ws: Workspace, split: str = "train", progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] = lambda: False) -> dict[str, list[tuple[int, int]]]:
        """{encoding: [(example id, tokens)]} for the live examples of ``split``."""
        total = ws.count(split)
        out: dict[str, list[tuple[int, int]]] = {name: [] for name in self.counters}
        for n, record in enumerate(ws.iter_records(split)):
            if cancelled():
                raise InterruptedError("cancelled")
            for name, counter in self.counters.items():
                out[name].append((record.id, counter.count(record.data)))
            if progress and n % 500 == 0:
                progress(n, total)
        return out
