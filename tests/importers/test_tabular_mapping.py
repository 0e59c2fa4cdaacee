"""Guessing which column is which from header names, and checking a mapping against a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.importers.base import ImportFailed
from workbench.core.importers.tabular_mapping import ColumnMapping, guess_mapping, resolve


@pytest.mark.parametrize(
    ("columns", "customer", "agent"),
    [
        (["Question", "Answer"], "Question", "Answer"),
        (["prompt", "completion"], "prompt", "completion"),
        (["INPUT", "OUTPUT"], "INPUT", "OUTPUT"),
        (["Customer Message", "Agent Reply"], "Customer Message", "Agent Reply"),
        (["customer_message", "agent_reply"], "customer_message", "agent_reply"),
        (["Message", "Response"], "Message", "Response"),
        (["Customer message", "Agent message"], "Customer message", "Agent message"),
        (["Original customer question", "Final agent reply"], "Original customer question", "Final agent reply"),
        (["Agent name", "Message", "Reply"], "Message", "Reply"),
    ],
)
def test_common_header_names_are_recognised(columns, customer, agent):
    guessed = guess_mapping(columns)
    assert guessed is not None
    assert (guessed.customer, guessed.agent) == (customer, agent)


def test_optional_columns_are_recognised_too():
    guessed = guess_mapping(["Ticket ID", "Turn", "Question", "Answer", "Tags", "Category", "System prompt"])
    assert guessed == ColumnMapping(
        customer="Question",
        agent="Answer",
        system="System prompt",
        conversation_id="Ticket ID",
        order="Turn",
        tags="Tags",
        category="Category",
    )


@pytest.mark.parametrize("columns", [[], ["Question"], ["Answer"], ["id", "created", "status"], ["Agent name", "Agent email"]])
def test_no_guess_without_both_message_columns(columns):
    assert guess_mapping(columns) is None


def test_a_column_is_never_used_twice():
    guessed = guess_mapping(["message", "reply"])
    assert guessed is not None and guessed.customer != guessed.agent


def test_resolve_matches_names_ignoring_case_and_spacing(tmp_path):
    index = resolve(ColumnMapping(customer="question", agent="Agent  Reply"), ["Question", "Agent reply"], tmp_path)
    assert index == {"customer": 0, "agent": 1}


def test_resolve_names_the_missing_column_and_lists_those_found():
    with pytest.raises(ImportFailed) as err:
        resolve(ColumnMapping(customer="Question", agent="Answer"), ["Frage", "Antwort"], Path("tickets.csv"))
    text = str(err.value)
    assert "tickets.csv" in text and "'Answer'" in text and "agent's reply" in text
    assert "'Frage', 'Antwort'" in text
