"""Training cost: OpenAI's automatic epochs and billed tokens.

Billed tokens = sum over training examples of min(model limit, tokens) x epochs. Validation files
are not billed. Auto epochs follow OpenAI's rule (cookbook): 3, but at least enough passes for
100 example-visits (at most 25 epochs) and at most 25,000 example-visits (at least 1 epoch).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.core.pricing import ModelSpec

TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def auto_epochs(n_examples: int) -> int:
    if n_examples <= 0:
        return TARGET_EPOCHS
    if n_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_examples)
    if n_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_examples)
    return TARGET_EPOCHS


@dataclass(frozen=True)
class Estimate:
    model: str
    examples: int
    tokens: int  # as counted, before truncation
    billable_per_epoch: int  # after truncation to the model's limit
    epochs: int
    epochs_auto: bool
    billed_tokens: int
    cost: float  # USD
    over_limit: int  # examples longer than the limit (truncated by OpenAI)

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "examples": self.examples,
            "tokens": self.tokens,
            "billed_tokens": self.billed_tokens,
            "epochs": self.epochs,
            "epochs_auto": self.epochs_auto,
            "cost_usd": round(self.cost, 4),
            "over_limit_examples": self.over_limit,
        }


def estimate(token_counts: Iterable[int], spec: ModelSpec, epochs: int | None = None) -> Estimate:
    """``epochs=None`` means OpenAI's automatic choice."""
    n = total = billable = over = 0
    limit = spec.training_limit
    for t in token_counts:
        n += 1
        total += t
        if t > limit:
            over += 1
            billable += limit
        else:
            billable += t
    chosen = auto_epochs(n) if epochs is None else int(epochs)
    billed = billable * chosen
    return Estimate(
        model=spec.name,
        examples=n,
        tokens=total,
        billable_per_epoch=billable,
        epochs=chosen,
        epochs_auto=epochs is None,
        billed_tokens=billed,
        cost=billed / 1_000_000 * spec.training,
        over_limit=over,
    )
