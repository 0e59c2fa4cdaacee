"""What one answer cost, from resources/pricing.json.

A fine-tuned model or checkpoint (``ft:BASE:...``) is billed at its base's fine-tuned-model prices
(``models``), an untuned base model at the ``inference`` prices. Only OpenAI's own prices are
known: answers from Azure, local or other OpenAI-compatible servers have no cost here (None shows
as "unknown"), and so does any model the price list does not have. Nothing is guessed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from workbench.core.pricing import PriceList, base_model_name, default_price_list, resolve_model

OPENAI_API_HOST = "api.openai.com"


def priced_by_openai(profile_kind: str | None, base_url: str | None) -> bool:
    """Whether OpenAI's list prices apply: an OpenAI profile, or a bare base URL on api.openai.com."""
    if profile_kind is not None:
        return profile_kind == "openai"
    if not base_url:
        return False
    try:
        return (urlsplit(base_url).hostname or "").lower() == OPENAI_API_HOST
    except ValueError:
        return False


def inference_prices(model: str, prices: PriceList | None = None) -> tuple[float, float] | None:
    """(input, output) USD per 1M tokens for chatting with ``model``; None when not known."""
    prices = prices or default_price_list()
    spec = resolve_model(model, prices)
    if spec is None:
        return None
    if base_model_name(model) != model.strip():  # ft:... — a tuned model or one of its checkpoints
        if spec.input is None or spec.output is None:
            return None
        return float(spec.input), float(spec.output)
    base = prices.inference.get(spec.name)
    return (base.input, base.output) if base is not None else None


def answer_cost(model: str, tokens_in: int | None, tokens_out: int | None, *, priced: bool,
                prices: PriceList | None = None) -> float | None:
    """USD for one answer, or None when the service's prices or the token counts are unknown."""
    if not priced or tokens_in is None or tokens_out is None:
        return None
    per_million = inference_prices(model, prices)
    if per_million is None:
        return None
    return (tokens_in * per_million[0] + tokens_out * per_million[1]) / 1_000_000


def format_cost(cost: float | None) -> str:
    """``$0.00042`` for small sums, ``$1.23`` otherwise; "unknown" for None."""
    if cost is None:
        return "unknown"
    if cost == 0:
        return "$0"
    if cost < 0.01:
        return f"${cost:.6f}".rstrip("0")
    return f"${cost:,.4f}" if cost < 1 else f"${cost:,.2f}"
