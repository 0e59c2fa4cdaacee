"""Signatures are removed from the end of a message, and only there."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.cleaning import (
    strip_delimited_signature,
    strip_known_signature,
    strip_mobile_footer,
    strip_signature,
)

SIG = "Jane Doe\nSupport Lead | Acme Inc.\n+1 555 0100"


@pytest.mark.parametrize(
    "ending",
    [
        "\n\nJane Doe\nSupport Lead | Acme Inc.\n+1 555 0100",
        "\n\nJane  Doe\r\nSupport Lead |\u00a0Acme Inc.\n\n+1 555 0100   \n",
        "\nJane Doe Support Lead | Acme Inc. +1 555 0100",
        "\n\n\tJane Doe\n  Support Lead | Acme Inc.\n+1 555 0100\n\n",
    ],
)
def test_known_signature_removed_whitespace_tolerant(ending):
    assert strip_known_signature("Your refund is on its way." + ending, SIG) == "Your refund is on its way."


def test_known_signature_only_at_the_end():
    text = "Jane Doe\nSupport Lead | Acme Inc.\n+1 555 0100\n\nis what the footer says; please send it to us."
    assert strip_known_signature(text, SIG) == text


def test_known_signature_must_start_a_word():
    assert strip_known_signature("Signed by Mary-Jane", "Jane") == "Signed by Mary-Jane"
    assert strip_known_signature("Thanks,\nJane", "Jane") == "Thanks,"


def test_placeholder_in_signature_matches_what_it_rendered_to():
    sig = "Best,\n{{agent.name}}\n{{ current_user.organization.name }} Support"
    assert strip_known_signature("Done.\n\nBest,\nSam Admin\nAcme Support", sig) == "Done."


def test_no_or_blank_signature_changes_nothing():
    assert strip_known_signature("Hi\nJane", None) == "Hi\nJane"
    assert strip_known_signature("Hi\nJane", "  \n") == "Hi\nJane"


def test_partial_signature_is_not_removed():
    assert strip_known_signature("Done.\n\nJane Doe", SIG) == "Done.\n\nJane Doe"


def test_dash_dash_space_delimiter():
    text = "It works now.\n\n-- \nCarla Customer\nExample Ltd\n" + "\n".join(f"line {i}" for i in range(20))
    assert strip_delimited_signature(text) == "It works now."


def test_bare_dash_dash_only_with_a_short_tail():
    assert strip_delimited_signature("It works.\n--\nCarla\nExample Ltd") == "It works."
    long_tail = "Intro\n--\n" + "\n".join(f"step {i}" for i in range(12))
    assert strip_delimited_signature(long_tail) == long_tail


def test_dashes_inside_text_are_kept():
    text = "Run it with --verbose -- then check the log.\n---\nMore."
    assert strip_delimited_signature(text) == text


@pytest.mark.parametrize(
    "footer",
    ["Sent from my iPhone", "Sent from my Samsung Galaxy smartphone.", "Get Outlook for Android",
     "Sent from Mail for Windows", "Von meinem iPhone gesendet", "Envoyé de mon iPad"],
)
def test_mobile_footers(footer):
    assert strip_mobile_footer(f"Thanks, that helped.\n\n{footer}\n") == "Thanks, that helped."


def test_mobile_footer_words_inside_text_kept():
    text = "The email was sent from my iPhone but never arrived. Can you check?"
    assert strip_mobile_footer(text) == text


def test_strip_signature_combines_all():
    text = "Fixed.\n\nJane Doe\nSupport Lead | Acme Inc.\n+1 555 0100\n\nSent from my iPhone"
    assert strip_signature(text, SIG) == "Fixed."


@given(st.text(), st.text(max_size=40))
def test_never_raises_and_never_grows(text, sig):
    assert len(strip_signature(text, sig)) <= len(text)
