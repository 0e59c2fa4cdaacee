"""A finding: one piece of personal data at one place in one example.

The raw ``value`` and its context (``before``/``after``) are kept in memory for the review, and
never printed: ``repr`` and ``str`` show the masked value, and nothing written to disk (audit log,
reports, CLI output) uses more than ``masked`` and the counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.core.pii.kinds import CARD, EMAIL, IBAN, IP, NAME, PHONE, URL, label, title

CONTEXT_CHARS = 40


@dataclass(slots=True, repr=False)
class Finding:
    example_id: int  # workspace example id, or the line number in a JSONL file
    message_index: int  # see workbench.core.pii.texts
    part_index: int | None  # index in a content list, None for plain string content
    role: str  # the message's role ("user", "assistant", ...)
    start: int  # character offsets in that message text
    end: int
    kind: str  # "email", "phone", ... or a custom pattern's name
    value: str  # the raw text: in memory only
    before: str = ""  # up to CONTEXT_CHARS of text before and after, for the review
    after: str = ""
    # Not frozen: building 100,000+ findings (a name in every conversation) must be cheap. Treat as
    # read-only; ``key`` identifies a finding in sets and dicts.

    @property
    def key(self) -> tuple[int, int, int | None, int, int]:
        """Identifies the finding (accept/reject state in a review)."""
        return (self.example_id, self.message_index, self.part_index, self.start, self.end)

    @property
    def label(self) -> str:
        return label(self.kind)

    @property
    def title(self) -> str:
        return title(self.kind)

    @property
    def masked(self) -> str:
        return mask(self.kind, self.value)

    def __repr__(self) -> str:
        return (f"Finding({self.kind}, example {self.example_id}, message {self.message_index}, "
                f"{self.start}-{self.end}, {self.masked!r})")

    __str__ = __repr__


def mask(kind: str, value: str) -> str:
    """Enough to recognise what was found, not enough to recover it."""
    if kind == EMAIL and "@" in value:
        local, _, domain = value.rpartition("@")
        host, dot, tld = domain.rpartition(".")
        return f"{local[:1]}***@{(host or tld)[:1]}***{dot}{tld if host else ''}"
    if kind in (PHONE, CARD):
        keep = 4 if kind == CARD else 2
        digits = sum(c.isdigit() for c in value)
        seen = 0
        out = []
        for c in value:
            if c.isdigit():
                seen += 1
                out.append(c if seen > digits - keep else "*")
            else:
                out.append(c)
        return "".join(out)
    if kind == IBAN:
        compact = value.replace(" ", "")
        return f"{compact[:2]}** **** {compact[-2:]}" if len(compact) > 4 else "****"
    if kind == IP:
        sep = ":" if ":" in value else "."
        return value.split(sep, 1)[0] + sep + "***"
    if kind == URL:
        m = re.match(r"([A-Za-z][\w+.\-]*://)([^/?#@]*@)?([^/?#]*)", value)
        return f"{m.group(1)}{m.group(3)}/***" if m else "***"
    if kind == NAME:
        return " ".join(part[:1] + "***" for part in value.split())
    return value[:1] + "*" * min(max(len(value) - 1, 3), 8)


def normalise(kind: str, value: str) -> str:
    """The same person's data written differently compares equal (numbering, the allowed list)."""
    if kind == EMAIL:
        return value.strip().lower()
    if kind == PHONE:
        return "".join(c for c in value if c.isdigit())[-10:]  # "+44 20 ..." == "020 ..."
    if kind == CARD:
        return "".join(c for c in value if c.isdigit())
    if kind == IBAN:
        return value.replace(" ", "").upper()
    if kind == NAME:
        return " ".join(value.split()).casefold()
    return value.strip()
