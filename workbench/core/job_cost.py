"""What a finished job actually cost: the provider's trained tokens at the model's training price."""

from __future__ import annotations

from workbench.core.pricing import PriceList, resolve_model


def actual_cost(model: str, trained_tokens: int | None, prices: PriceList | None = None) -> float | None:
    """USD for ``trained_tokens`` on ``model`` (None when either is unknown)."""
    if trained_tokens is None:
        return None
    spec = resolve_model(model, prices)
    if spec is None:
        return None
    return trained_tokens / 1_000_000 * spec.training
