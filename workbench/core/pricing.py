"""Fine-tunable models: encodings, per-example token limits and prices, from resources/pricing.json.

Model names arrive in many shapes: aliases (``gpt-4o-mini``), dated snapshots
(``gpt-4o-mini-2024-07-18``), tuned models (``ft:gpt-4.1-mini-2025-04-14:acme::9xYz``) and
checkpoints (``ft:...:ckpt-step-40``). ``resolve_model`` maps all of them to one entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workbench.core.resources import resource_path

_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")


@dataclass(frozen=True)
class ModelSpec:
    name: str
    encoding: str
    training_limit: int
    methods: tuple[str, ...]
    training: float  # USD per 1M trained tokens
    input: float | None  # USD per 1M tokens of using a model fine-tuned from this one (not the base model)
    cached_input: float | None
    output: float | None

    @property
    def is_legacy(self) -> bool:
        return "legacy" in self.methods


@dataclass(frozen=True)
class InferencePrice:
    """USD per 1M tokens of chatting with an untuned base model."""

    input: float
    cached_input: float | None
    output: float


@dataclass(frozen=True)
class PriceList:
    checked: str
    currency: str
    source: str
    how_to_update: str
    models: dict[str, ModelSpec]
    aliases: dict[str, str]
    # Base-model chat prices (the file's "inference" block), by the same names as ``models``; dated apart.
    inference: dict[str, InferencePrice] = field(default_factory=dict)
    inference_published: str = ""

    def resolve(self, model: str) -> ModelSpec | None:
        return resolve_model(model, self)


def load_price_list(path: Path | None = None) -> PriceList:
    data = json.loads((path or resource_path("pricing.json")).read_text("utf-8"))
    models: dict[str, ModelSpec] = {}
    aliases: dict[str, str] = {}
    for name, m in data["models"].items():
        models[name] = ModelSpec(
            name=name,
            encoding=m["encoding"],
            training_limit=int(m["training_limit"]),
            methods=tuple(m.get("methods", ["supervised"])),
            training=float(m["training"]),
            input=m.get("input"),
            cached_input=m.get("cached_input"),
            output=m.get("output"),
        )
        for alias in m.get("aliases", []):
            aliases[alias] = name
    block = data.get("inference") or {}
    inference = {name: InferencePrice(float(m["input"]), m.get("cached_input"), float(m["output"]))
                 for name, m in (block.get("models") or {}).items()}
    return PriceList(
        checked=data["checked"],
        currency=data.get("currency", "USD"),
        source=data.get("source", ""),
        how_to_update=data.get("how_to_update", ""),
        models=models,
        aliases=aliases,
        inference=inference,
        inference_published=block.get("published", ""),
    )


@lru_cache(maxsize=1)
def default_price_list() -> PriceList:
    return load_price_list()


def base_model_name(model: str) -> str:
    """``ft:gpt-4.1-mini-2025-04-14:org:suffix:id[:ckpt-step-N]`` -> ``gpt-4.1-mini-2025-04-14``."""
    model = model.strip()
    if model.startswith("ft:"):
        return model.split(":")[1]
    return model


def resolve_model(model: str, prices: PriceList | None = None) -> ModelSpec | None:
    prices = prices or default_price_list()
    name = base_model_name(model)
    if name in prices.models:
        return prices.models[name]
    if name in prices.aliases:
        return prices.models[prices.aliases[name]]
    # An unlisted dated snapshot of a known family: use the family's newest listed snapshot.
    family = _DATE_SUFFIX.sub("", name)
    if family in prices.aliases:
        return prices.models[prices.aliases[family]]
    return None


def encoding_name_for(model: str, prices: PriceList | None = None) -> str:
    """Encoding for any model name. Unknown families fall back by prefix, then to o200k_base."""
    spec = resolve_model(model, prices)
    if spec:
        return spec.encoding
    name = base_model_name(model)
    if name.startswith(("gpt-3.5", "gpt-4-", "text-embedding", "babbage", "davinci")) or name == "gpt-4":
        return "cl100k_base"
    return "o200k_base"
