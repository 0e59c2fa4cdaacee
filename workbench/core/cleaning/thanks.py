"""Is a message nothing but a thank-you ("thanks!", "Thank you so much :)", "ok thanks, that worked!")?

Conservative on purpose: the message must be short, must contain a thanking word, and *every*
word must come from a small closed vocabulary of thanks, acknowledgements and sign-offs. One
word outside it ("Thanks, but it still fails") and the message counts as real content.
"""

from __future__ import annotations

import re

MAX_CHARS = 120
MAX_WORDS = 16

_THANKS = frozenset(
    {"thanks", "thank", "thx", "thnx", "thanx", "ty", "tyvm", "cheers", "appreciated", "appreciate",
     "danke", "merci", "gracias", "grazie", "obrigado", "obrigada", "bedankt", "tack", "takk"}
)
_ALLOWED = _THANKS | frozenset(
    {
        # intensifiers and objects of the thanks
        "you", "u", "so", "very", "much", "many", "a", "lot", "lots", "again", "for", "your", "the", "all",
        "help", "helping", "quick", "fast", "prompt", "reply", "response", "answer", "support", "assistance",
        "it", "that", "this", "guys", "team", "everyone", "folks", "really", "heaps", "tons", "million",
        "vielen", "beaucoup", "muchas", "mille", "tusen", "veel", "muito", "muita",
        # acknowledgements
        "ok", "okay", "k", "kk", "great", "perfect", "awesome", "cool", "brilliant", "excellent", "amazing",
        "wonderful", "fantastic", "nice", "super", "lovely", "good", "got", "worked", "works", "working",
        "work", "now", "fixed", "solved", "sorted", "resolved", "done", "yes", "yep", "yeah",
        "is", "was", "that's", "thats", "it's", "its", "set", "fine", "wow", "oh", "ah", "hooray",
        "just", "what", "needed", "i", "we", "trick", "did",
        # greetings and sign-offs
        "hi", "hello", "hey", "and", "best", "kind", "regards", "wishes", "have", "day",
        "weekend", "bye", "take", "care",
    }
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def is_thanks_only(text: str) -> bool:
    """True when ``text`` is only a short thank-you (with at most acknowledgements around it)."""
    stripped = text.strip()
    # A question is never "only thanks" ("Thanks, does that work on Mac too?").
    if not stripped or len(stripped) > MAX_CHARS or "?" in stripped:
        return False
    words = _WORD.findall(stripped.lower().replace("\u2019", "'"))
    if not words or len(words) > MAX_WORDS:
        return False
    return any(w in _THANKS for w in words) and all(w in _ALLOWED for w in words)
