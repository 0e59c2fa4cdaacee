"""Quoted email history is cut; the reply itself survives."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.cleaning import history_start, strip_quoted
from workbench.core.cleaning.whitespace import normalize_whitespace


def clean(text: str) -> str:
    return normalize_whitespace(strip_quoted(text))


@pytest.mark.parametrize(
    "history",
    [
        "##- Please type your reply above this line -##\n\nJane (Acme)\nOld text",
        "##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##\nAlt",
        "On Tue, Mar 3, 2020 at 10:00 AM Jane Doe <jane@example.com> wrote:\n> Old text",
        "On Tue, Mar 3, 2020 at 10:00 AM Jane Doe <\njane@example.com> wrote:\n> Old text",
        "On 3 Mar 2020, at 10:00, Jane Doe <jane@example.com>\nwrote:\n\nOld text",
        "On Tuesday, 3 March 2020,\nJane Doe\n<jane@example.com> wrote:\nOld text",
        "Le mar. 3 mars 2020 à 10:00, Jane <jane@example.com> a écrit :\n> Vieux",
        "Am 03.03.2020 um 10:00 schrieb Jane Doe <jane@example.com>:\n> Alt",
        "El mar, 3 mar 2020 a las 10:00, Jane (<jane@example.com>) escribió:\n> Viejo",
        "Op 3 mrt. 2020 om 10:00 schreef Jane <jane@example.com>:\n> Oud",
        "-----Original Message-----\nFrom: Jane\nSent: Tuesday\nTo: us\nSubject: RE: x\n\nOld text",
        "----- Original Message -----\nFrom: Jane\nOld text",
        "From: Jane Doe <jane@example.com>\nSent: Tuesday, March 3, 2020 10:00 AM\nTo: Support\nSubject: RE: x\n\nOld",
        "________________________________\nFrom: Jane Doe <jane@example.com>\nSent: Tuesday\nTo: Support\n\nOld text",
        "*From:* Jane Doe <jane@example.com>\n*Sent:* Tuesday\n*To:* Support\n\nOld text",
        "From: Jane Doe <jane@example.com>\nDate: Tue, 3 Mar 2020 10:00\nSubject: Re: x\nTo: Support\n\nOld",
        "> Old text\n> more old text",
    ],
)
def test_history_forms_are_removed(history):
    text = f"Thanks, the fix worked.\n\n{history}"
    assert clean(text) == "Thanks, the fix worked."


def test_inline_quoted_lines_removed_but_answers_kept():
    text = "> Can you reset it?\nYes, done.\n> And the invoice?\nSent again."
    assert clean(text) == "Yes, done.\nSent again."


def test_everything_after_the_first_marker_goes():
    text = "New reply\n\nOn Mon, 2 Mar 2020, Bob <b@x.com> wrote:\nolder\n\nOn Sun, 1 Mar 2020, Al <a@x.com> wrote:\noldest"
    assert clean(text) == "New reply"


def test_only_history_leaves_nothing():
    assert clean("On Mon, 2 Mar 2020 at 09:00, Bob <b@x.com> wrote:\n> hello") == ""


@pytest.mark.parametrize(
    "text",
    [
        "On Monday I tried again and it still fails.",
        "On the settings page the log wrote:\nerror 42",  # no date, no address: not a header
        "From: the dashboard, choose Export.\nThen save.",
        "Use the -- flag to pass options.",
        "Forward-looking: a > b and c -> d in the formula.",
        "The date: 3 March. The From field is empty.",
    ],
)
def test_ordinary_text_is_kept(text):
    assert clean(text) == text


def test_forwarded_message_is_kept():
    text = (
        "Please see the customer's original mail below.\n\n---------- Forwarded message ---------\n"
        "From: Carla <carla@example.com>\nDate: Tue, 3 Mar 2020 at 10:00\nSubject: Broken login\n\nI cannot log in."
    )
    assert "I cannot log in." in clean(text)


def test_history_start_index():
    text = "Hi\nOn Tue, 3 Mar 2020 at 10:00, Jane <j@x.com> wrote:\n> q"
    assert history_start(text) == 3
    assert history_start("no history here") == -1


@given(st.text())
def test_never_raises_and_never_grows(text):
    out = strip_quoted(text)
    assert len(out) <= len(text)
