"""IP addresses. IPv4 comes from the digit clusters the number pass finds; IPv6 from a colon
followed by hex and another colon (a literal the engine skips to), checked by ``ipaddress``.

Not flagged: addresses that identify nobody (0.0.0.0, loopback, broadcast, ::) and dotted
numbers introduced as a version or build.
"""

from __future__ import annotations

import ipaddress
import re

_V4 = re.compile(rb"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")
_VERSIONISH = re.compile(rb"(?:\bv|versions?|builds?|releases?|firmware|ver\.?)\s*$", re.IGNORECASE)
V6_HINT = re.compile(rb":(?=[0-9A-Fa-f]{0,4}:)")
_V6_CHARS = frozenset(b"0123456789abcdefABCDEF:.")
_NOBODY4 = (b"0.0.0.0", b"255.255.255.255")


def ipv4_at(candidate: bytes, before: bytes) -> int | None:
    """Length of the IPv4 address at the start of ``candidate`` (a digit cluster), or None."""
    m = _V4.match(candidate)
    if m is None:
        return None
    end = m.end()
    if end < len(candidate) and candidate[end] in b"0123456789.":
        return None  # 1.2.3.4.5 or 1.2.3.456: not an address
    value = m.group(0)
    if value in _NOBODY4 or value.startswith(b"127.") or _VERSIONISH.search(before[-12:]):
        return None
    return end


def find_ipv6(data: bytes) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    last_end = -1
    for m in V6_HINT.finditer(data):
        if m.start() < last_end:
            continue
        start = m.start()
        while start > 0 and data[start - 1] in _V6_CHARS:
            start -= 1
        end = m.start()
        while end < len(data) and data[end] in _V6_CHARS:
            end += 1
        while end > start and data[end - 1] in b".:" and data[end - 2:end] != b"::":
            end -= 1  # a sentence's full stop or a label's colon
        last_end = end
        if start > 0 and (chr(data[start - 1]).isalnum() or data[start - 1] >= 0x80):
            continue
        if end < len(data) and (chr(data[end]).isalnum() or data[end] >= 0x80):
            continue
        try:
            address = ipaddress.IPv6Address(data[start:end].decode("ascii"))
        except ValueError:
            continue
        if address.is_loopback or address.is_unspecified:
            continue
        out.append((start, end))
    return out
