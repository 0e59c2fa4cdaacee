"""The detector: every kind of personal data in the texts of one example, in a few fast passes.

Speed is the design. The texts of an example are joined (with a separator no pattern crosses)
and encoded to UTF-8 once; then
- emails start from ``@``, links from ``://`` and IPv6 from ``:`` + hex + ``:``: literals the
  regex engine skips to with a memchr-like scan, searched for only when a one-byte ``in`` check
  says the text has an "@" or ":" at all;
- everything made of digits (phones, cards, IPv4) comes from ONE regex over a "shaped" copy of
  the text (``bytes.translate``, a table lookup per byte) in which every digit is "0", every
  capital "A" and every character that may stand before a number as a separate token (space,
  newline, "(", "+", ":", quotes) a space. The regex starts with the literal " 0", so the engine
  skips straight to the first digit of a free-standing number: a ``[0-9]`` class would test every
  character, and a lone "0" would stop at every digit of every date and order number. Clusters
  of fewer than 7 digits (unless a dotted quad), ISO dates and bare runs of up to 9 digits (order
  numbers) are refused inside the regex; the few left reach Luhn and ``phonenumbers``;
- IBANs (in capitals, as banks print them) are "AA00..." in the shaped copy; a long list of
  known names is a trie regex there too (capital "A" is again a literal); short lists and
  per-example names use ``bytes.find``.
Findings are byte spans, mapped back to (text, character offsets) at the end; overlapping ones
are settled (longer wins, then by kind) and adjacent name parts joined.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from workbench.core.pii import cards, emails, ibans, ips, names, phones, urls
from workbench.core.pii.finding import normalise
from workbench.core.pii.kinds import CARD, EMAIL, IBAN, IP, NAME, PHONE, URL, priority
from workbench.core.pii.settings import PiiSettings

SEPARATOR = b"\n\x00\n"  # before and between texts: no detector matches across it
_SEPARATOR_STR = SEPARATOR.decode()
_BOUNDARY = b"\t\n\r\x00\x0b\x0c(+:;\"'[<>*|"  # may stand right before a number that is a token of its own
TABLE = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _BOUNDARY,
                        b"0" * 10 + b"A" * 26 + b" " * len(_BOUNDARY))
_MAX_CHUNKS = 8  # space-separated chunks tried when a cluster is several numbers
_NON_DIGITS = bytes(b for b in range(256) if not 48 <= b <= 57)

# On the shaped text: " " + first digit; 7+ digits ahead, at most two separator characters apart
# (or a dotted quad); not an ISO date; not a bare run of up to 9 digits. The cluster goes on
# while a digit follows, maybe after one separator or ")"; two spaces only before "(0)" or
# "(415)" ("(" is a space in the shaped text), so "4155550132 +44 ..." stays two numbers.
_NEXT = rb"(?:0|[ .\-/]0|\)[ .\-]?0|  (?=0{1,5}\))0)"
NUMBER = re.compile(
    rb" 0(?=(?:[ ).\-/]{0,2}0){6}|0{0,2}\.0{1,3}\.0{1,3}\.0)"
    rb"(?!000-00-00(?!0))(?!0{0,8}+(?!" + _NEXT + rb"))" + _NEXT + rb"*\)?"
)

Hit = tuple[int, int, int, str]  # (text index, start, end, kind): character offsets in that text


class Detector:
    """Compiled once from the settings; ``scan(texts, names)`` per example."""

    def __init__(self, settings: PiiSettings) -> None:
        kinds = settings.kinds
        self.region = settings.region
        self.email = EMAIL in kinds
        self.url = URL in kinds
        self.ip = IP in kinds
        self.phone = PHONE in kinds
        self.card = CARD in kinds
        self.iban = IBAN in kinds
        self.names = NAME in kinds
        self.numbers = self.phone or self.card or self.ip
        self.name_list = names.NameList(settings.names, TABLE) if self.names else None
        self.custom = [(p.name, p.compile()) for p in settings.patterns]
        self.allowed = _allowed_keys(settings.allowed, settings.all_kinds())

    def scan(self, texts: Sequence[str], known_names: Sequence[str] = ()) -> list[Hit]:
        """Findings as (text index, start, end, kind), sorted, never overlapping."""
        joined = _SEPARATOR_STR + _SEPARATOR_STR.join(texts)
        data = joined.encode("utf-8", "surrogatepass")
        # ASCII (the usual case): byte offsets are character offsets, no per-text bytes needed.
        encoded = None if len(data) == len(joined) else [t.encode("utf-8", "surrogatepass") for t in texts]
        spans: list[tuple[int, int, str]] = []
        # Single-byte "in" checks are memchr; a multi-byte one ("://") would cost more than the
        # regex's own search for its literal prefix.
        if self.email and b"@" in data:
            spans += [(s, e, EMAIL) for s, e in emails.find_emails(data)]
        if (self.url or self.ip) and b":" in data:
            if self.url:
                spans += [(s, e, URL) for s, e in urls.find_secret_urls(data)]
            if self.ip:
                spans += [(s, e, IP) for s, e in ips.find_ipv6(data)]
        shaped = None
        name_list = self.name_list
        if self.numbers or self.iban or (name_list is not None and name_list.regex is not None):
            shaped = data.translate(TABLE)
            if self.numbers and b" 0" in shaped:
                self._numbers(data, shaped, spans)
            if self.iban:
                for m in ibans.CANDIDATE.finditer(shaped):
                    end = ibans.match_at(data, m.start(), m.end())
                    if end is not None:
                        spans.append((m.start(), end, IBAN))
        if self.names:
            if known_names:
                names.find_terms(data, [t for name in known_names for t in names.name_terms(name)], spans, NAME)
            if name_list:
                name_list.find(data, shaped, spans, NAME)
        hits = _to_hits(spans, texts, encoded) if spans else []
        for kind, regex in self.custom:
            for i, text in enumerate(texts):
                hits += [(i, m.start(), m.end(), kind) for m in regex.finditer(text) if m.end() > m.start()]
        if not hits:
            return hits
        if self.allowed:
            hits = [h for h in hits if normalise(h[3], texts[h[0]][h[1]:h[2]]) not in self.allowed.get(h[3], ())]
        return settle(hits, texts)

    def _numbers(self, data: bytes, shaped: bytes, spans: list[tuple[int, int, str]]) -> None:
        for m in NUMBER.finditer(shaped):
            start, end = m.start() + 1, m.end()
            if start > 5 and shaped[start - 5:start] == b"AA00 ":
                continue  # the account part of "DE89 3704 ..." (the IBAN pass has it)
            if data[start - 1] in b"(+":  # "(415) ..." and "+44 ..."
                start -= 1
                if data[start - 1] == 0x2B and data[start] == 0x28:  # "+(44) ..."
                    start -= 1
            elif data[start - 1] == 0x20 and data[start - 2] == 0x2B:  # "+ 44 ..."
                start -= 2
            if data[end - 1] == 0x29 and data.find(b"(", start, end) < 0:
                end -= 1  # "(call 555-0132)"
            before = data[max(0, start - 32):start]
            kind = self._classify(data[start:end], before)
            if kind is not None:
                spans.append((start, start + kind[1], kind[0]))
            elif data.find(b" ", start, end) > 0:
                self._split(data, start, end, spans)

    def _classify(self, candidate: bytes, before: bytes) -> tuple[str, int] | None:
        """(kind, length) of the number at the start of ``candidate``, or None."""
        if self.ip and candidate[:1] != b"(" and candidate[:1] != b"+":
            length = ips.ipv4_at(candidate, before)
            if length is not None:
                return IP, length
        digits = candidate.translate(None, _NON_DIGITS)
        n = len(digits)
        if self.card and 13 <= n <= 19 and cards.is_card(candidate, digits):
            return CARD, len(candidate)
        if self.phone and 7 <= n <= 15 and phones.is_phone(candidate, n, phones.context_kind(before), self.region):
            return PHONE, len(candidate)
        return None

    def _split(self, data: bytes, start: int, end: int, spans: list[tuple[int, int, str]]) -> None:
        """Numbers written one after the other ("+91 98765 43210 415.555.0132", "4111 1111 1111 1111
        09/27"): the longest run of space-separated chunks from a number's start that is a number,
        then again after it. A number starts where the cluster or a found number starts, or at a
        chunk opening with "+" or "(": never in the middle of one long number (a tracking number's
        last twelve digits are not a phone)."""
        cuts = [i for i in range(start, end) if data[i] == 0x20][:_MAX_CHUNKS]
        firsts = [start, *(c + 1 for c in cuts)]
        lasts = [*cuts, end]
        i = 0
        while i < len(firsts):
            a = firsts[i]
            found = None
            for j in range(len(lasts) - (2 if i == 0 else 1), i - 1, -1):  # the whole cluster failed already
                if lasts[j] - a < 7:
                    break
                if j + 1 < len(firsts) and _same_shape(data[firsts[j]:lasts[j]], data[firsts[j + 1]:lasts[j + 1]]):
                    continue  # "1234 5678 9012 | 3456": the groups go on, so the number does
                kind = self._classify(data[a:lasts[j]], data[max(0, a - 32):a])
                if kind is not None:
                    spans.append((a, a + kind[1], kind[0]))
                    found = j
                    break
            if found is not None:
                i = found + 1
                continue
            i += 1
            while i < len(firsts) and data[firsts[i]] not in b"+(":
                i += 1


def _same_shape(a: bytes, b: bytes) -> bool:
    return len(a) == len(b) and a.isdigit() and b.isdigit()


def _allowed_keys(values: Sequence[str], kinds: Sequence[str]) -> dict[str, frozenset[str]]:
    if not values:
        return {}
    return {kind: frozenset(normalise(kind, v) for v in values) for kind in kinds}


def _to_hits(spans: list[tuple[int, int, str]], texts: Sequence[str], encoded: list[bytes] | None) -> list[Hit]:
    """Byte spans in the joined data -> (text index, character start, character end, kind)."""
    spans.sort()
    sizes = [len(t) for t in texts] if encoded is None else [len(b) for b in encoded]
    hits = []
    sep = len(SEPARATOR)
    i, base = 0, sep  # the data starts with a separator
    end_of = base + sizes[0]
    for s, e, kind in spans:
        while s >= end_of:  # the span starts in a later text
            base = end_of + sep
            i += 1
            end_of = base + sizes[i]
        if e > end_of:
            continue  # crosses into the next text: cannot happen for the built-in patterns
        if encoded is None or len(encoded[i]) == len(texts[i]):  # ASCII: bytes are characters
            hits.append((i, s - base, e - base, kind))
        else:
            raw = encoded[i]
            a = len(raw[:s - base].decode("utf-8", "surrogatepass"))
            hits.append((i, a, a + len(raw[s - base:e - base].decode("utf-8", "surrogatepass")), kind))
    return hits


def settle(hits: list[Hit], texts: Sequence[str]) -> list[Hit]:
    """No two findings overlap: the longer wins, then the kind's priority. Adjacent name parts
    ("Carla" + "Moreno") become one finding. Sorted by text, then position."""
    if len(hits) < 2:
        return hits
    hits.sort()
    prev = hits[0]
    for h in hits[1:]:
        if h[0] == prev[0] and h[1] < prev[2]:
            hits = _without_overlaps(hits)
            break
        prev = h
    merged: list[Hit] = [hits[0]]
    for h in hits[1:]:
        p = merged[-1]
        if h[3] == NAME and p[3] == NAME and p[0] == h[0] and h[1] == p[2] + 1 and texts[h[0]][p[2]] == " ":
            merged[-1] = (p[0], p[1], h[2], NAME)
        else:
            merged.append(h)
    return merged


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    ranked = sorted(set(hits), key=lambda h: (h[1] - h[2], priority(h[3]), h[0], h[1]))
    kept: dict[int, list[tuple[int, int]]] = {}  # text -> sorted kept spans
    out: list[Hit] = []
    for h in ranked:
        spans = kept.setdefault(h[0], [])
        at = bisect.bisect_left(spans, (h[1], h[2]))
        if (at and spans[at - 1][1] > h[1]) or (at < len(spans) and spans[at][0] < h[2]):
            continue
        spans.insert(at, (h[1], h[2]))
        out.append(h)
    out.sort()
    return out
