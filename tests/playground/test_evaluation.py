"""Held-out evaluation plans: prompts from examples, choosing items, blind pairings, what is left."""

from __future__ import annotations

import pytest

from workbench.core.playground.answer import ChatTarget
from workbench.core.playground.evaluation import (
    EvalItem,
    EvalPlan,
    EvalRating,
    Selection,
    choose_items,
    missing_units,
    names_of,
    pairings,
    prompt_of,
)
from workbench.core.store.workspace import NewExample


def chat(i, system=True):
    messages = [{"role": "system", "content": "Be kind."}] if system else []
    return {"messages": [*messages, {"role": "user", "content": f"Question {i}?"},
                         {"role": "assistant", "content": f"Answer {i}.", "weight": 1}]}


def test_the_prompt_is_everything_before_the_last_answer_which_is_the_reference():
    multi = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                          {"role": "user", "content": "c"}, {"role": "assistant", "content": "d"}]}
    assert prompt_of(multi) == (multi["messages"][:3], "d")
    assert prompt_of(chat(1)) == (chat(1)["messages"][:2], "Answer 1.")
    dpo = {"input": {"messages": [{"role": "user", "content": "q"}]},
           "preferred_output": [{"role": "assistant", "content": "good"}],
           "non_preferred_output": [{"role": "assistant", "content": "bad"}]}
    assert prompt_of(dpo) == ([{"role": "user", "content": "q"}], "good")
    assert prompt_of({"prompt": "p ->", "completion": " c END"}) == ([{"role": "user", "content": "p"}], "c")
    assert prompt_of({"messages": [{"role": "user", "content": "open"}]}) == ([{"role": "user", "content": "open"}], None)
    with pytest.raises(ValueError, match="no customer"):
        prompt_of({"messages": [{"role": "assistant", "content": "only me"}]})


def test_items_come_from_the_test_split_or_an_id_list_and_unusable_ones_are_reported(ws):
    ids = ws.add_examples([NewExample(chat(i), split="test" if i % 2 else "train") for i in range(6)]
                          + [NewExample({"messages": [{"role": "assistant", "content": "x"}]}, split="test")])
    items, skipped = choose_items(ws, Selection())
    assert [it.example_id for it in items] == [ids[1], ids[3], ids[5]]
    assert [it.index for it in items] == [0, 1, 2]
    assert items[0].question == "Question 1?" and items[0].reference == "Answer 1." and items[0].system == "Be kind."
    assert [s.example_id for s in skipped] == [ids[6]] and "no customer" in skipped[0].reason
    items, _ = choose_items(ws, Selection(split=None, ids=(ids[4], ids[0], 9999, ids[4])))
    assert [it.example_id for it in items] == [ids[4], ids[0]]
    items, _ = choose_items(ws, Selection(split=None, limit=2))
    assert len(items) == 2
    assert Selection.from_dict(Selection(ids=(3, 4)).to_dict()) == Selection(ids=(3, 4))


def test_pairings_cover_every_pair_per_item_in_a_seeded_shuffled_order():
    found = pairings(20, 3, seed=5)
    assert len(found) == 20 * 3
    assert {p.key for p in found} == {(i, a, b) for i in range(20) for a, b in ((0, 1), (0, 2), (1, 2))}
    assert found == pairings(20, 3, seed=5)
    assert any(p.first > p.second for p in found) and any(p.first < p.second for p in found)
    assert found != pairings(20, 3, seed=6)


def _plan(**kw):
    items = [EvalItem(i, ({"role": "user", "content": f"q{i}"},), f"r{i}") for i in range(3)]
    return EvalPlan(targets=[ChatTarget("m1"), ChatTarget("m2")], items=items, **kw)


def test_a_plan_lists_its_units_and_what_is_still_missing():
    plan = _plan()
    assert plan.units() == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
    assert missing_units(plan, [(0, 0), (1, 1)]) == [(0, 1), (1, 0), (2, 0), (2, 1)]
    with pytest.raises(ValueError, match="2 to 4"):
        EvalPlan(targets=[ChatTarget("m")], items=plan.items)
    with pytest.raises(ValueError, match="no examples"):
        EvalPlan(targets=plan.targets, items=[])


def test_ratings_and_names():
    rating = EvalRating(3, 1, 0, "A")
    assert rating.key == (3, 0, 1) and rating.outcome().result == "b"  # A was model 1
    with pytest.raises(ValueError):
        EvalRating(0, 0, 1, "C")
    assert names_of([ChatTarget("x"), ChatTarget("x"), ChatTarget("y", label="Tuned")]) == ["x", "x (2)", "Tuned"]
