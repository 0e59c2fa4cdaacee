"""Email addresses, found from their ``@``.

A regex that starts at the local part tries every word in the text; this one starts at the ``@``
(a literal the regex engine skips to) and walks back over the local part in Python, which costs
nothing on the rare ``@`` that is an address. Non-ASCII letters (internationalised addresses) are
UTF-8 bytes >= 0x80, allowed on both sides.
"""

from __future__ import annotations

import re

# From the @: dot-separated domain labels and a top-level domain of letters (or xn--).
AT_DOMAIN = re.compile(
    rb"@(?<=[A-Za-z0-9._%+'\-\x80-\xff]@)"
    rb"(?:[A-Za-z0-9\x80-\xff](?:[A-Za-z0-9\x80-\xff\-]{0,61}[A-Za-z0-9\x80-\xff])?\.)+"
    rb"(?:[A-Za-z\x80-\xff]{2,24}|xn--[A-Za-z0-9\-]{2,59})(?![A-Za-z0-9\x80-\xff\-]|\.[A-Za-z0-9])"
)
_LOCAL = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+'-") | frozenset(range(0x80, 0x100))
MAX_LOCAL = 64


def find_emails(data: bytes) -> list[tuple[int, int]]:
    """Byte spans of the email addresses in ``data`` (UTF-8)."""
    out = []
    for m in AT_DOMAIN.finditer(data):
        at = m.start()
        start = at
        floor = max(0, at - MAX_LOCAL)
        while start > floor and data[start - 1] in _LOCAL:
            start -= 1
        while start < at and data[start] in b".'-":  # "(see.john@x.com" or quotes: not part of the name
            start += 1
        if start == at or data[at - 1] == 0x2E:  # nothing before @, or "john.@x": not an address
            continue
        out.append((start, m.end()))
    return out

