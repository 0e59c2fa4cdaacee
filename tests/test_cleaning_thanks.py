"""Thanks-only detection is conservative."""

import pytest

from workbench.core.cleaning import is_thanks_only


@pytest.mark.parametrize(
    "text",
    [
        "thanks!",
        "Thank you so much :)",
        "ok thanks, that worked!",
        "Thx",
        "Many thanks for the quick reply. Best regards",
        "Perfect, thank you!!",
        "Great, that did the trick. Cheers",
        "Thank you — it’s working now 🙏",
        "ty",
        "Awesome, thanks again guys!",
    ],
)
def test_thank_yous(text):
    assert is_thanks_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "Thanks, but it still fails",
        "Thanks! Does it also work on Mac?",
        "Thanks, can you also change my address to 12 Harbour Road?",
        "Thank you. I also need an invoice for March.",
        "Thanks, Carla",  # a name: not in the vocabulary, so not claimed
        "That worked",  # no thanks at all
        "thanks " * 30,  # too long
        "Thanks for nothing, this is still broken and I want a refund.",
    ],
)
def test_real_content(text):
    assert not is_thanks_only(text)
