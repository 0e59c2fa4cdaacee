"""Whitespace normalisation for message text.

Helpdesk text carries Windows line endings, non-breaking spaces from HTML editors, trailing
spaces and long runs of blank lines left behind once quotes and signatures are cut. None of that
is meaningful to a model, and identical replies should compare equal after cleaning.
"""

from __future__ import annotations

import re

# Characters that render as a plain space, and invisible ones that carry nothing.
_SPACE_LIKE = str.maketrans(
    {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": None, "\ufeff": None}
)
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def has_odd_spaces(text: str) -> bool:
    """NBSP-like or invisible characters present? (translate() is slow; looking first is not)."""
    return "\u00a0" in text or "\u202f" in text or "\u200b" in text or "\ufeff" in text or "\u2007" in text


def unify_newlines(text: str) -> str:
    """CRLF and lone CR -> LF, so line-anchored patterns see every line end."""
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def normalize_whitespace(text: str) -> str:
    """Strip trailing spaces, turn NBSP into a space, collapse 3+ newlines to one blank line, trim."""
    return normalize_whitespace_lf(unify_newlines(text))


def normalize_whitespace_lf(text: str) -> str:
    """``normalize_whitespace`` for text whose line ends are already LF (the pipeline's case)."""
    if not text.isascii() and has_odd_spaces(text):
        text = text.translate(_SPACE_LIKE)
    # Fast path: most messages have no trailing spaces; the substring checks are far cheaper
    # than running the regex over every line.
    if " \n" in text or ("\t" in text and "\t\n" in text):
        text = _TRAILING.sub("", text)
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()
