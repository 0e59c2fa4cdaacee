"""The cleaning pipeline for one helpdesk message, in the order the steps depend on.

Quoted history goes first (a signature is only "at the end" once the thread below it is gone);
signatures next, while the "-- " delimiter still has its trailing space; whitespace last.

Everything quoted_email and the delimiter/footer part of signature can cut starts a line in a
recognisable way, so a single scan for such lines decides whether those steps run at all: most
comments have none, and an import cleans hundreds of thousands of them.
"""

from __future__ import annotations

import re

from workbench.core.cleaning import quoted_email
from workbench.core.cleaning import signature as sig_rules
from workbench.core.cleaning.whitespace import has_odd_spaces, normalize_whitespace_lf

_HINTS = f"(?:{quoted_email.LINE_START_HINT}|{sig_rules.LINE_START_HINT})"
# The lookahead lists every first character a hint can start with, so most lines are rejected
# after one character instead of after trying each alternative.
_HINT_FIRST = "(?=[-#>*OLAEIDWFVSsGgVvEe])"
# A literal "\n" first lets the regex engine jump from newline to newline ("\n" + text is searched).
_MARKED_LINE = re.compile(rf"\n[ \t]*{_HINT_FIRST}{_HINTS}")
# The same scan, also finding what whitespace normalisation would change (a space before a line
# end, three line ends in a row). No match: the text is plain and only needs trimming.
_NEEDS_WORK = re.compile(rf"\n(?:(?<=[ \t]\n)|\n\n|[ \t]*{_HINT_FIRST}{_HINTS})")


def clean_message(
    text: str,
    *,
    signature: str | None = None,
    remove_quoted: bool = True,
    remove_signatures: bool = True,
) -> str:
    """Plain message text without quoted history, signature or untidy whitespace."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    padded = "\n" + text
    if _NEEDS_WORK.search(padded) is None and (text.isascii() or not has_odd_spaces(text)):
        # Fast path, taken by most comments: nothing to cut except perhaps the known signature.
        if signature and remove_signatures:
            text = sig_rules.strip_known_signature(text, signature)
        return text.strip()
    marked = _MARKED_LINE.search(padded) is not None
    if marked and remove_quoted:
        text = quoted_email.strip_quoted_lf(text)
    if remove_signatures:
        if marked:
            text = sig_rules.strip_mobile_footer(text)
        if signature:
            text = sig_rules.strip_known_signature(text, signature)
        if marked:
            text = sig_rules.strip_delimited_signature(text)
    return normalize_whitespace_lf(text)
