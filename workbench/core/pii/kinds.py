"""The kinds of personal data the scanner knows, their placeholders and which wins an overlap."""

from __future__ import annotations

import re

EMAIL, PHONE, CARD, IBAN, IP, URL, NAME = "email", "phone", "card", "iban", "ip", "url", "name"
BUILTIN_KINDS: tuple[str, ...] = (EMAIL, PHONE, CARD, IBAN, IP, URL, NAME)

TITLES = {
    EMAIL: "Email addresses",
    PHONE: "Phone numbers",
    CARD: "Payment card numbers",
    IBAN: "Bank accounts (IBAN)",
    IP: "IP addresses",
    URL: "Links with tokens",
    NAME: "Customer names",
}

# When two findings overlap, the longer wins; on a tie, the earlier kind here (a user's own
# pattern says exactly what the user means, so it comes first).
_PRIORITY = {"custom": 0, URL: 1, EMAIL: 2, CARD: 3, IBAN: 4, PHONE: 5, IP: 6, NAME: 7}


def priority(kind: str) -> int:
    return _PRIORITY.get(kind, 0)


def label(kind: str) -> str:
    """``"email"`` -> ``"EMAIL"``; a custom pattern ``"order number"`` -> ``"ORDER_NUMBER"``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", kind).strip("_").upper() or "PII"


def placeholder(kind: str, number: int | None = None) -> str:
    """``[EMAIL]``, or ``[EMAIL_2]`` when numbered."""
    return f"[{label(kind)}]" if number is None else f"[{label(kind)}_{number}]"


def title(kind: str) -> str:
    return TITLES.get(kind, kind)
