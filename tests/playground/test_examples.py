"""Add to dataset and Save as preference pair: valid examples, provenance, one undo step."""

from __future__ import annotations

import pytest

from workbench.core.formats import Kind, detect_kind
from workbench.core.playground.answer import Answer, ChatTarget
from workbench.core.playground.examples import (
    ExampleError,
    add_to_workspace,
    example_from_turn,
    pair_from_turn,
    playground_source,
    to_preference_pair,
    to_training_example,
)
from workbench.core.playground.session import ChatColumn, ChatSession
from workbench.core.validation.dataset import DatasetValidator
from workbench.core.validation.example_checks import check_example

CONVERSATION = [
    {"role": "user", "content": "Where is my order?"},
    {"role": "assistant", "content": "Which order number?"},
    {"role": "user", "content": "Order 42."},
    {"role": "assistant", "content": "It is late, sorry.", "weight": 1},  # the answer being replaced
]


def _no_issues(example):
    assert check_example(example) == []
    validator = DatasetValidator()
    validator.put(0, example)
    assert validator.facts(0).errors == 0


def test_a_training_example_ends_with_the_edited_answer():
    example = to_training_example(CONVERSATION, "Order 42 ships today; here is the tracking link.", "Be kind.")
    assert example == {"messages": [
        {"role": "system", "content": "Be kind."},
        *CONVERSATION[:3],
        {"role": "assistant", "content": "Order 42 ships today; here is the tracking link."}]}
    _no_issues(example)
    assert to_training_example(CONVERSATION[:3], "Fine.")["messages"][-1] == {"role": "assistant", "content": "Fine."}


def test_a_preference_pair_is_openai_dpo_format():
    pair = to_preference_pair(CONVERSATION, "It ships today.", "No idea.", "Be kind.")
    assert detect_kind(pair) is Kind.DPO
    assert pair == {
        "input": {"messages": [{"role": "system", "content": "Be kind."}, *CONVERSATION[:3]]},
        "preferred_output": [{"role": "assistant", "content": "It ships today."}],
        "non_preferred_output": [{"role": "assistant", "content": "No idea."}],
    }
    _no_issues(pair)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: to_training_example(CONVERSATION, "   "), "empty"),
    (lambda: to_training_example([{"role": "assistant", "content": "hi"}], "x"), "end with a customer"),
    (lambda: to_preference_pair(CONVERSATION, "Same.", "Same. "), "the same"),
    (lambda: to_preference_pair(CONVERSATION, "Good.", ""), "empty"),
])
def test_what_cannot_become_an_example_is_refused_with_a_reason(make, message):
    with pytest.raises(ExampleError, match=message):
        make()


def test_adding_is_one_undo_step_with_playground_provenance(ws):
    session = ChatSession(columns=[ChatColumn(ChatTarget("gpt-4o-mini", profile="OpenAI")),
                                   ChatColumn(ChatTarget("ft:gpt-4o-mini-2024-07-18:acme::x1", profile="OpenAI"))],
                          system_prompt="Be kind.", id=7)
    session.record("Where is order 42?", [Answer("No idea."), Answer("It ships today.")])
    context = session.conversation(1)
    examples = [to_training_example(context, "It ships today, tracking link follows.", session.system_for(1)),
                to_preference_pair(context, "It ships today.", "No idea.", session.system_for(1))]
    source = playground_source(session=session.id, turn=0, chosen=session.columns[1].target.model,
                               rejected=session.columns[0].target.model, profile=None)
    ids = add_to_workspace(ws, examples, source)
    records = [ws.get(i) for i in ids]
    assert [r.kind for r in records] == ["chat", "dpo"]
    assert records[0].source == {"format": "playground", "session": 7, "turn": 0,
                                 "chosen": "ft:gpt-4o-mini-2024-07-18:acme::x1", "rejected": "gpt-4o-mini"}
    assert ws.undo_label() == "Add 2 examples from Playground"
    ws.undo()
    assert ws.count() == 0
    ws.redo()
    assert ws.count() == 2 and ws.get(ids[1]).data == examples[1]
    assert add_to_workspace(ws, [], source) == []


def test_examples_from_a_session_turn_use_that_columns_own_conversation():
    session = ChatSession(columns=[ChatColumn(ChatTarget("base", profile="OpenAI")),
                                   ChatColumn(ChatTarget("tuned", base_url="http://localhost:8000/v1"),
                                              system_prompt="Tuned prompt.")],
                          system_prompt="Shared.", id=3)
    session.record("Hi", [Answer("Base hi."), Answer("Tuned hi.")])
    session.record("Order 42?", [Answer("Base: no idea."), Answer("Tuned: ships today.")])
    example, source = example_from_turn(session, 1, 1, "Ships today, here is the link.")
    assert example["messages"] == [
        {"role": "system", "content": "Tuned prompt."}, {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Tuned hi."}, {"role": "user", "content": "Order 42?"},
        {"role": "assistant", "content": "Ships today, here is the link."}]
    assert source == {"format": "playground", "session": 3, "turn": 1, "model": "tuned",
                      "base_url": "http://localhost:8000/v1", "edited": True}
    unedited, source = example_from_turn(session, 0, 0)
    assert unedited["messages"][-1]["content"] == "Base hi." and "edited" not in source
    pair, source = pair_from_turn(session, 1, chosen=1, rejected=0)
    assert pair["input"]["messages"][2] == {"role": "assistant", "content": "Tuned hi."}
    assert pair["preferred_output"][0]["content"] == "Tuned: ships today."
    assert pair["non_preferred_output"][0]["content"] == "Base: no idea."
    assert source["chosen"] == "tuned" and source["rejected"] == "base" and source["rejected_profile"] == "OpenAI"
    _no_issues(pair)
    with pytest.raises(ExampleError):
        pair_from_turn(session, 1, chosen=0, rejected=0)
