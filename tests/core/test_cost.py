"""Training cost: OpenAI's automatic epochs, billed tokens, the price list, file estimates."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.core.builders import chat, legacy, write_jsonl
from workbench.core.cost import auto_epochs, estimate
from workbench.core.estimate_file import all_models, estimate_file
from workbench.core.pricing import ModelSpec, default_price_list, load_price_list, resolve_model
from workbench.core.resources import resource_path
from workbench.core.tokens import ENCODING_FILES, count_example, get_encoding


@pytest.mark.parametrize(
    ("n", "epochs"),
    [
        (1, 25),  # 100 // 1 = 100, capped at 25
        (4, 25),
        (5, 20),
        (10, 10),
        (33, 3),  # 3 * 33 = 99 < 100 -> 100 // 33 = 3
        (34, 3),  # 3 * 34 = 102: the default
        (100, 3),
        (8333, 3),  # 3 * 8333 = 24,999: still the default
        (8334, 2),  # 3 * 8334 = 25,002 > 25,000 -> 25,000 // 8334 = 2
        (12_500, 2),
        (12_501, 1),
        (50_000, 1),  # 25,000 // 50,000 = 0 -> at least 1
        (1_000_000, 1),
    ],
)
def test_auto_epochs(n, epochs):
    assert auto_epochs(n) == epochs


SPEC = ModelSpec(name="m", encoding="o200k_base", training_limit=100, methods=("supervised",),
                 training=5.0, input=None, cached_input=None, output=None)


def test_billed_tokens_truncate_each_example_to_the_limit_then_multiply_by_epochs():
    counts = [10, 100, 250, 40]  # the 250-token example is billed as 100
    e = estimate(counts, SPEC, epochs=2)
    assert e.examples == 4 and e.tokens == 400
    assert e.billable_per_epoch == 10 + 100 + 100 + 40
    assert e.billed_tokens == 250 * 2
    assert e.over_limit == 1
    assert e.epochs == 2 and e.epochs_auto is False
    assert e.cost == pytest.approx(500 / 1_000_000 * 5.0)


def test_auto_epochs_are_used_when_none_are_given():
    e = estimate([10] * 10, SPEC)
    assert e.epochs == 10 and e.epochs_auto is True
    assert e.billed_tokens == 10 * 10 * 10
    js = e.to_json()
    assert js["epochs"] == 10 and js["epochs_auto"] is True and js["billed_tokens"] == 1000
    assert js["cost_usd"] == round(1000 / 1_000_000 * 5.0, 4)


def test_estimate_of_nothing_costs_nothing():
    e = estimate([], SPEC)
    assert (e.examples, e.billed_tokens, e.cost) == (0, 0, 0)


def test_price_list_is_dated_explains_updates_and_is_complete():
    prices = default_price_list()
    dt.date.fromisoformat(prices.checked)  # a real date
    assert prices.currency == "USD"
    assert "checked" in prices.how_to_update and "pricing.json" in prices.how_to_update
    assert prices.models
    for name, spec in prices.models.items():
        assert spec.name == name
        assert spec.training > 0, name
        assert spec.encoding in ENCODING_FILES, name
        assert spec.training_limit > 0, name
        assert spec.methods, name
    for alias, target in prices.aliases.items():
        assert resolve_model(alias) is prices.models[target]
    raw = json.loads(resource_path("pricing.json").read_text("utf-8"))
    for name, entry in raw["models"].items():
        assert {"encoding", "training", "training_limit"} <= set(entry), name


@pytest.mark.parametrize("model", ["gpt-4.1-mini", "gpt-4o-mini", "gpt-3.5-turbo", "babbage-002", "davinci-002"])
def test_common_models_are_priced(model):
    assert resolve_model(model) is not None


def test_unknown_models_do_not_resolve():
    assert resolve_model("gpt-2") is None
    assert resolve_model("ft:my-model:org::x") is None


def test_a_price_list_file_can_replace_the_bundled_one(tmp_path):
    p = tmp_path / "pricing.json"
    p.write_text(json.dumps({"checked": "2030-01-02", "how_to_update": "edit me", "models": {
        "gpt-9-2030-01-01": {"aliases": ["gpt-9"], "encoding": "o200k_base", "training_limit": 10, "training": 1.5}}}))
    prices = load_price_list(p)
    assert prices.checked == "2030-01-02"
    spec = prices.resolve("ft:gpt-9-2030-01-01:acme::x")
    assert spec is not None and spec.training == 1.5 and spec.methods == ("supervised",)
    assert prices.resolve("gpt-9") is spec


def test_estimate_file_counts_every_example_once_per_encoding(tmp_path):
    objs = [chat(i) for i in range(20)]
    p = tmp_path / "train.jsonl"
    write_jsonl(p, objs)
    with p.open("a", encoding="utf-8") as fh:
        fh.write("{broken\n")  # line 21: not counted, reported
        fh.write('{"text": "not an example"}\n')  # line 22: skipped
        fh.write("\n")  # line 23: blank, not an error
    specs = [resolve_model("gpt-4o-mini"), resolve_model("gpt-3.5-turbo")]
    result = estimate_file(p, specs, epochs=None)
    assert result.unreadable_lines == [21]
    assert result.skipped_examples == 1
    for spec, e in zip(specs, result.estimates, strict=True):
        enc = get_encoding(spec.encoding)
        tokens = sum(count_example(enc, o) for o in objs)
        assert e.model == spec.name
        assert e.examples == 20 and e.tokens == tokens
        assert e.epochs == 5  # 3 * 20 = 60 < 100 -> 100 // 20
        assert e.billed_tokens == tokens * 5
        assert e.cost == pytest.approx(tokens * 5 / 1_000_000 * spec.training)


def test_estimate_file_with_fixed_epochs_and_all_models(tmp_path):
    p = write_jsonl(tmp_path / "legacy.jsonl", [legacy(i) for i in range(50)])
    result = estimate_file(p, all_models(), epochs=4)
    assert [e.model for e in result.estimates] == list(default_price_list().models)
    assert all(e.epochs == 4 and not e.epochs_auto for e in result.estimates)
    assert all(e.examples == 50 for e in result.estimates)
    js = result.to_json()
    assert len(js["estimates"]) == len(all_models())
