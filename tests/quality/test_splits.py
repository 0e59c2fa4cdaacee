"""Splits: ratios, stratification, reproducibility whatever the order, one undo step, test held out."""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.quality.helpers import add, convo, text
from workbench.core.export import export_splits
from workbench.core.quality import (
    QualityRecord,
    SplitRatios,
    WorkspaceRecords,
    apply_splits,
    plan_splits,
    stratum_of,
)


@pytest.mark.parametrize(("given_text", "expected"), [
    ("80/10/10", (0.8, 0.1, 0.1)), ("0.8/0.1/0.1", (0.8, 0.1, 0.1)), ("90/10", (0.9, 0.1, 0.0)),
    ("70:20:10", (0.7, 0.2, 0.1)), ("100", (1.0, 0.0, 0.0)),
])
def test_ratios_parse(given_text, expected):
    ratios = SplitRatios.parse(given_text)
    assert (ratios.train, ratios.validation, ratios.test) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["80/10", "a/b/c", "50/30/10/10", "", "0/50/50", "80/-10/30"])
def test_bad_ratios_say_what_to_write(bad):
    with pytest.raises(ValueError, match=r"80/10/10|100|train|zero"):
        SplitRatios.parse(bad)


def _records(n, tags=None):
    return [QualityRecord(id=i, data=convo(text(i, 8), text(10_000 + i, 12)), tags=tuple(tags(i)) if tags else ())
            for i in range(1, n + 1)]


def test_ratios_are_met_and_the_same_seed_gives_the_same_split():
    plan = plan_splits(_records(1000), SplitRatios.parse("80/10/10"), seed=7)
    counts = plan.counts()
    assert abs(counts["train"] - 800) <= 1 and abs(counts["validation"] - 100) <= 1 and sum(counts.values()) == 1000
    assert plan_splits(_records(1000), SplitRatios.parse("80/10/10"), seed=7).assignment == plan.assignment
    other = plan_splits(_records(1000), SplitRatios.parse("80/10/10"), seed=8).assignment
    assert other != plan.assignment


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(min_value=0, max_value=2**31))
def test_the_assignment_does_not_depend_on_row_order(rng, seed):
    base = _records(60, tags=lambda i: [f"tier:{('gold', 'silver', 'bronze')[i % 3]}"])
    shuffled = list(base)
    rng.shuffle(shuffled)
    ratios = SplitRatios.parse("70/20/10")
    assert (plan_splits(shuffled, ratios, seed=seed, stratify_by="tier").assignment
            == plan_splits(base, ratios, seed=seed, stratify_by="tier").assignment)


def test_stratified_splits_keep_the_ratio_within_each_tier():
    tiers = lambda i: ["tier:gold"] if i % 10 == 0 else ["tier:bronze", "topic:billing"]  # noqa: E731
    plan = plan_splits(_records(1000, tiers), SplitRatios.parse("80/10/10"), seed=1, stratify_by="tier")
    assert set(plan.strata) == {"gold", "bronze"}
    assert plan.strata["gold"] == {"train": 80, "validation": 10, "test": 10}
    assert plan.strata["bronze"] == {"train": 720, "validation": 90, "test": 90}
    assert plan.table()[-1] == ("total", 1000, 800, 100, 100)
    assert json.loads(json.dumps(plan.to_json()))["stratify_by"] == "tier"


def test_many_small_strata_still_add_up_to_the_ratios():
    plan = plan_splits(_records(3000, lambda i: [f"customer:{i // 3}"]), SplitRatios.parse("80/10/10"),
                       stratify_by="customer")
    counts = plan.counts()
    assert len(plan.strata) == 1001 and abs(counts["test"] - 300) < 60 and abs(counts["validation"] - 300) < 60


def test_stratum_of_a_prefix_a_tag_list_and_no_tag():
    assert stratum_of(["tier:gold", "x"], "tier") == "gold"
    assert stratum_of(["tier:gold"], "tier:") == "gold"
    assert stratum_of(["billing", "shipping"], ["shipping", "billing"]) == "shipping"
    assert stratum_of(["x"], "tier") == "(none)"
    assert stratum_of(["x"], None) == "(all)"


def test_identical_examples_go_to_the_same_split():
    twins = [QualityRecord(id=i, data=convo("Same question", "Same answer")) for i in range(1, 6)]
    plan = plan_splits(_records(200) + twins, SplitRatios.parse("50/25/25"), seed=3)
    assert len({plan.assignment[i] for i in range(1, 6)} - {plan.assignment[1]}) == 0
    by_id = plan_splits(_records(200) + [QualityRecord(id=1000 + i, data=convo("Same", "Same")) for i in range(40)],
                        SplitRatios.parse("50/25/25"), seed=3, by="id")
    assert len({by_id.assignment[1000 + i] for i in range(40)}) > 1


def test_a_zero_test_ratio_puts_nothing_in_test():
    plan = plan_splits(_records(301), SplitRatios.parse("90/10"), seed=5)
    assert plan.counts()["test"] == 0 and plan.counts()["validation"] in (30, 31)


def test_applying_splits_is_one_undo_step_and_leaves_excluded_examples_alone(ws):
    ids = add(ws, [convo(text(i, 8), text(500 + i, 12)) for i in range(50)])
    ws.set_split([ids[0]], "excluded")
    plan = plan_splits(WorkspaceRecords(ws), SplitRatios.parse("60/20/20"), seed=11)
    assert ids[0] not in plan.assignment and len(plan.assignment) == 49
    moved = apply_splits(ws, plan)
    assert moved == len(plan.ids("validation")) + len(plan.ids("test"))
    assert ws.undo_label() == "Split 49 examples 60/20/20 (seed 11)"
    assert ws.count("test") == len(plan.ids("test")) and ws.count("excluded") == 1
    ws.undo()
    assert ws.count("train") == 49 and ws.count("excluded") == 1
    ws.redo()
    assert sorted(ws.ids(split="test")) == sorted(plan.ids("test"))
    assert apply_splits(ws, plan) == 0  # already applied: no new undo step
    assert ws.undo_label() == "Split 49 examples 60/20/20 (seed 11)"


def test_the_test_split_is_never_exported_for_training(ws, tmp_path):
    rng = random.Random(4)
    datas = [convo(f"Question {i}: " + text(i, 8), f"Answer {i}: " + text(900 + i, 14)) for i in range(60)]
    rng.shuffle(datas)
    add(ws, datas, tags=[[f"tier:{'gold' if i % 4 == 0 else 'silver'}"] for i in range(60)])
    plan = plan_splits(WorkspaceRecords(ws), SplitRatios.parse("70/15/15"), seed=42, stratify_by="tier")
    apply_splits(ws, plan)
    test_ids = plan.ids("test")
    assert len(test_ids) >= 8
    written = export_splits(ws, tmp_path, "support", "gpt-4o-mini")
    assert set(written) == {"train", "validation"}
    assert not list(tmp_path.glob("*test*"))
    exported = [json.loads(line) for path in written.values() for line in path.read_text("utf-8").splitlines()]
    assert len(exported) == 60 - len(test_ids)
    test_data = [ws.get(i).data for i in test_ids]
    assert not any(d in exported for d in test_data)


def test_progress_and_cancel():
    from workbench.core.quality import QualityCancelled

    seen = []
    plan_splits(_records(10), SplitRatios.parse("80/10/10"), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10, 10)
    with pytest.raises(QualityCancelled):
        plan_splits(_records(10), SplitRatios.parse("80/10/10"), cancel=lambda: True)
