"""Phone numbers: a digit cluster the ``phonenumbers`` library accepts for the region.

``phonenumbers`` costs tens of microseconds a call, so it only sees clusters that survived the
cheap checks (7-15 digits, not a date, not labelled as an order/invoice/tracking number), and
answers are cached. A number the library calls valid is a phone; one it calls merely possible
counts when something else says "phone": a leading +, a phone-shaped layout such as
``(415) 555-0132``, or a word like "call" or "mobile" just before it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

# Words just before a number that say what it is. "no"/"nr" and "#" name references.
_NOT_PHONE = re.compile(
    rb"\b(?:order|invoice|inv|ticket|case|ref|reference|tracking|track|account|acct|customer|member|id|sku|serial|"
    rb"version|build|release|firmware|model|part|po|rma|confirmation|booking|policy|claim|iban|card|zip|postcode|"
    rb"transaction|receipt|sn|s/n|no|nr|num)\.?\s*(?:number|no|nr|num|id|code)?\.?\s*(?:is|was|=)?\s*[:#]?\s*$"
)
_PHONE_WORDS = re.compile(
    rb"\b(?:phone|call|tel|telephone|mobile|cell|cellphone|whatsapp|sms|text|fax|landline|hotline|reach|ring|dial|"
    rb"contact|number is|on|at)\b[^0-9\n]{0,12}$"
)
_LAYOUT = re.compile(rb"\(\d{2,5}\)[ .\-]?\d{2,4}[ .\-]\d{3,4}|\d{3}[.\-]\d{3}[.\-]\d{4}|\d{2,5}(?: \d{2,4}){2,4}")
_DATE = re.compile(rb"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2})")


def is_date(candidate: bytes) -> bool:
    return _DATE.fullmatch(candidate) is not None


def context_kind(before: bytes) -> int:
    """-1 when the words before name a reference number, 1 when they say phone, else 0."""
    lower = before.lower()
    if _NOT_PHONE.search(lower):
        return -1
    if _PHONE_WORDS.search(lower):
        return 1
    return 0


def is_phone(candidate: bytes, digits: int, context: int, region: str) -> bool:
    """``candidate``: the cluster as written (leading + or ( included); ``digits``: how many."""
    plus = candidate[:1] == b"+"
    if not 7 <= digits <= 15 or (plus and digits < 8):
        return False
    if context < 0 and not plus:
        return False
    if is_date(candidate):
        return False
    laid_out = plus or _LAYOUT.fullmatch(candidate) is not None
    if not laid_out and context <= 0 and digits < 10:
        return False  # a bare 7-9 digit number with nothing saying "phone" is a reference
    verdict = _verdict(candidate.decode("ascii", "replace"), region)
    if verdict == 2 or (verdict == 1 and (laid_out or context > 0)):
        return True
    # Another country's local format ("020 7946 0958" scanned as US): layout and words agree.
    return verdict == 0 and laid_out and context > 0 and digits >= 9


@lru_cache(maxsize=8192)
def _verdict(text: str, region: str) -> int:
    """2 valid, 1 possible, 0 neither (for the region, or the country a + names)."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return 0
    if phonenumbers.is_valid_number(number):
        return 2
    return 1 if phonenumbers.is_possible_number(number) else 0
