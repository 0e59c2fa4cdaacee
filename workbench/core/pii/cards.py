"""Payment card numbers: 13-19 digits, grouped like a card, a card network's prefix, Luhn-valid.

A random 16-digit number passes the Luhn check one time in ten; the prefix and grouping rules
keep order and tracking numbers out.
"""

from __future__ import annotations

import re

# Contiguous, or groups of 3-6 digits joined by one kind of separator (4-4-4-4, Amex 4-6-5).
_GROUPED = re.compile(rb"\d{13,19}|\d{3,6}(?:( |-)\d{3,6})(?:\1\d{1,6}){1,4}")


def luhn_ok(digits: bytes) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = d - 48
        if i & 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def network_prefix_ok(digits: bytes) -> bool:
    """Visa 4, Mastercard 51-55/2221-2720, Amex 34/37, Discover 6011/644-649/65, JCB 35,
    Diners 30/36/38/39, UnionPay 62, Maestro 50/56-58/67."""
    first = digits[0]
    if first == 0x34:  # 4
        return len(digits) in (13, 16, 19)
    two = int(digits[:2])
    if first == 0x35:  # 5
        return two in (50, 51, 52, 53, 54, 55, 56, 57, 58)
    if first == 0x33:  # 3
        return two in (30, 34, 35, 36, 37, 38, 39)
    if first == 0x36:  # 6
        return two in (60, 62, 64, 65, 67)
    if first == 0x32:  # 2
        return 2221 <= int(digits[:4]) <= 2720
    return False


def is_card(candidate: bytes, digits: bytes) -> bool:
    """``candidate``: the number as written; ``digits``: its digits only."""
    return (
        13 <= len(digits) <= 19
        and _GROUPED.fullmatch(candidate) is not None
        and network_prefix_ok(digits)
        and luhn_ok(digits)
    )
