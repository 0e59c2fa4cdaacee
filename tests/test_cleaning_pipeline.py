"""clean_message: the steps in the right order, and the switches."""

from hypothesis import given
from hypothesis import strategies as st

from workbench.core.cleaning import clean_message, normalize_whitespace, strip_quoted, strip_signature

MAIL = (
    "Thanks, that fixed it!  \r\n\r\nJane Doe\r\nAcme Support\r\n\r\n\r\n\r\n"
    "On Tue, 3 Mar 2020 at 10:00, Carla <carla@example.com> wrote:\r\n> It is broken\r\n"
)


def test_quote_then_signature_then_whitespace():
    assert clean_message(MAIL, signature="Jane Doe\nAcme Support") == "Thanks, that fixed it!"


def test_signature_is_found_once_the_history_below_it_is_gone():
    # The signature is only "at the end" after the quoted history is cut.
    assert "Jane Doe" not in clean_message(MAIL, signature="Jane Doe Acme Support")


def test_switches():
    kept_quotes = clean_message(MAIL, signature="Jane Doe\nAcme Support", remove_quoted=False)
    assert "It is broken" in kept_quotes
    kept_sig = clean_message(MAIL, signature="Jane Doe\nAcme Support", remove_signatures=False)
    assert kept_sig == "Thanks, that fixed it!\n\nJane Doe\nAcme Support"


def test_dash_signature_needs_its_trailing_space_before_whitespace_cleanup():
    assert clean_message("Works.\n-- \nCarla\nExample Ltd") == "Works."


# The pipeline skips steps when no line looks like a marker; it must give exactly what running
# every step would give.
_FRAGMENTS = st.sampled_from([
    "Hello", "thanks", "On Tue, 3 Mar 2020 at 10:00, Jane <j@x.com> wrote:", "> quoted", " > indented quote",
    "##- Please type your reply above this line -##", "-----Original Message-----", "From: Jane <j@x.com>",
    "Sent: Tuesday", "Date: today", "-- ", "--", "Sent from my iPhone", "Get Outlook for iOS", "Jane Doe",
    "Support Lead", "\u00a0", "   ", "\t", "\r", "", "Le 3 mars 2020, Jane <j@x.com> a écrit :", "____________",
    "*From:* Jane", "Von meinem iPhone gesendet", "Forwarded message", "envoyé de mon iPad", "sent from my phone",
    "Enviado desde mi iPhone", "get Outlook for Android", "Am 03.03.2020 um 10:00 schrieb Jane <j@x.com>:",
    "Den 3 mars 2020 skrev Jane <j@x.com>:", "W dniu 3.03.2020 Jane <j@x.com> napisał:", "Op 3 mrt schreef J <j@x.com>:",
])
_SEPARATORS = st.sampled_from(["\n", "\n\n", " ", "\r\n", "\n\n\n\n"])


@st.composite
def messages(draw):
    parts = draw(st.lists(st.tuples(_FRAGMENTS, _SEPARATORS), max_size=12))
    return "".join(f + sep for f, sep in parts)


@given(messages(), st.sampled_from([None, "Jane Doe\nSupport Lead", "Support Lead"]))
def test_fast_paths_change_nothing(text, sig):
    full = normalize_whitespace(strip_signature(strip_quoted(text), sig))
    assert clean_message(text, signature=sig) == full
