"""IBANs: country code, check digits and account, mod-97 valid, the country's exact length.

In capitals, as banks print them: an IBAN typed in small letters ("ie29 aibk ...") is not found
(looking for it would mean testing every letter of every text; see engine).
"""

from __future__ import annotations

import re

# Lengths per country (ISO 13616 registry; the common SEPA and partner countries).
LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21,
    "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30,
    "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}

# On the translated text (digits -> "0", A-Z -> "A"): country, check digits, then 10+ characters
# in optional groups. The look-behind comes after the literal so the engine can skip to "AA00".
CANDIDATE = re.compile(rb"AA00(?<!\wAA00)(?:[ ]?[A0]){10,30}")


def mod97_ok(compact: str) -> bool:
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def match_at(data: bytes, start: int, end: int) -> int | None:
    """End of the IBAN that starts at ``start`` (the candidate runs to ``end``), or None."""
    text = data[start:end].decode("ascii", "replace")
    length = LENGTHS.get(text[:2])
    if length is None:
        return None
    compact, used = [], 0
    for ch in text:
        if ch != " ":
            compact.append(ch)
        used += 1
        if len(compact) == length:
            break
    if len(compact) != length:
        return None
    value = "".join(compact)
    if not value.isalnum() or not mod97_ok(value):
        return None
    stop = start + used
    if stop < len(data) and (data[stop] >= 0x80 or chr(data[stop]).isalnum()):
        return None  # runs on into a longer word: not this IBAN
    return stop
