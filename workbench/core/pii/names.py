"""Customer names known from the import (per example) or listed by the user (for every example).

Names are matched case-sensitively as capitalised words ("Carla", never "carla"), whole words only.
A first or last name that is also an everyday word ("Will", "Rose", "Green") or too short ("Al")
is only matched as part of the full name ("Will Green"): on its own it is mostly not a name.

Per-example names are few, so each is found with ``bytes.find``. A long user list becomes one
regex trie run over the translated text (A-Z -> "A", see engine), so the engine skips straight to
capital letters; a hit is then checked against the real spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.core.pii.common_words import COMMON_WORDS

MIN_TOKEN = 3
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | frozenset(range(0x80, 0x100))
_TOKEN = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)
# Lists longer than this are searched with one regex instead of one find per name.
FIND_LIMIT = 6


def _capitalised(token: str) -> str:
    return token[:1].upper() + token[1:] if token.islower() else token


@lru_cache(maxsize=65536)
def name_terms(name: str) -> tuple[bytes, ...]:
    """What to search for one known name, as UTF-8: the full name and each usable part."""
    if "@" in name or any(ch.isdigit() for ch in name):
        return ()
    tokens = [_capitalised(t) for t in _TOKEN.findall(name)]
    if not tokens:
        return ()
    terms: list[str] = []
    if len(tokens) > 1:
        terms.append(" ".join(tokens))
    for token in tokens:
        if len(token) >= MIN_TOKEN and token[0].isupper() and token.lower() not in COMMON_WORDS:
            terms.append(token)
    return tuple(dict.fromkeys(t.encode("utf-8") for t in terms))


def _whole_word(data: bytes, start: int, end: int) -> bool:
    return (start == 0 or data[start - 1] not in _WORD_BYTES) and (end >= len(data) or data[end] not in _WORD_BYTES)


def find_terms(data: bytes, terms: tuple[bytes, ...] | list[bytes], out: list, kind: str) -> None:
    """Append ``(start, end, kind)`` for every whole-word occurrence of ``terms`` to ``out``."""
    for term in terms:
        n = len(term)
        pos = data.find(term)
        while pos >= 0:
            if _whole_word(data, pos, pos + n):
                out.append((pos, pos + n, kind))
            pos = data.find(term, pos + 1)


class NameList:
    """The user's list of known names, compiled once per scan."""

    def __init__(self, names: tuple[str, ...] | list[str], table: bytes) -> None:
        terms = list(dict.fromkeys(t for name in names for t in name_terms(name)))
        self.terms = terms
        self._real = frozenset(terms)
        self.regex: re.Pattern[bytes] | None = None
        self.rest: list[bytes] = terms
        if len(terms) > FIND_LIMIT:
            shaped = [t.translate(table) for t in terms]
            trie_terms = sorted({s for s in shaped if s[:1] == b"A"})
            self.rest = [t for t, s in zip(terms, shaped, strict=True) if s[:1] != b"A"]  # non-ASCII initials
            if trie_terms:
                body = _trie([s[1:] for s in trie_terms])
                self.regex = re.compile(rb"A(?<![A-Za-z0-9_\x80-\xff]A)" + body + rb"(?![A-Za-z0-9_\x80-\xff])")

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, data: bytes, shaped: bytes | None, out: list, kind: str) -> None:
        """Append ``(start, end, kind)`` for every known name in ``data`` to ``out``."""
        if self.rest:
            find_terms(data, self.rest, out, kind)
        if self.regex is not None and shaped is not None:
            real = self._real
            for m in self.regex.finditer(shaped):
                start, end = m.span()
                if data[start:end] in real:
                    out.append((start, end, kind))


def _trie(words: list[bytes]) -> bytes:
    """A regex matching exactly ``words`` that the engine walks letter by letter, not word by word."""
    root: dict = {}
    for word in words:
        node = root
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = True
    return _node_regex(root)


def _node_regex(node: dict) -> bytes:
    ends = None in node
    branches = [re.escape(bytes([b])) + _node_regex(child) for b, child in sorted((k, v) for k, v in node.items() if k is not None)]
    if not branches:
        return b""
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    if ends:
        return b"(?:" + body + b")?"
    return body
