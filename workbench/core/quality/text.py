"""The texts the quality checks compare, and how they are normalised.

Normalising folds case, drops punctuation and collapses whitespace (Unicode-aware), so
"Hello,  World!" and "hello world" are the same text. Digits are kept: "order 12" and "order 13"
are different conversations. ``template_words`` also folds digits, for spotting one reply template
filled in with different numbers (canned answers).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from workbench.core.formats import content_text, conversation_messages

_NON_WORD = re.compile(r"[^\w\s]+|_+")
# The same folding for ASCII text by table, several times faster than the regular expression.
_ASCII_PUNCT = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c.isspace())})
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Case, punctuation and whitespace folded: the form two texts are compared in."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_PUNCT).split())
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def words(text: str) -> list[str]:
    return normalise(text).split()


def template_words(text: str) -> list[str]:
    """Normalised words with every number replaced by '0' (a template's blanks look alike)."""
    return _DIGITS.sub("0", normalise(text)).split()


def message_text(msg: dict[str, Any]) -> str:
    """A message's text, plus its tool or function call (two calls with other arguments differ)."""
    text = content_text(msg.get("content"))
    calls = msg.get("tool_calls") or msg.get("function_call")
    if calls:
        calls_text = json.dumps(calls, ensure_ascii=False, sort_keys=True, default=str)
        text = f"{text}\n{calls_text}" if text else calls_text
    return text


def iter_messages(data: dict[str, Any], *, ignore_system: bool = False) -> Iterator[tuple[str, str]]:
    """(role, text) of every message of an example, whatever its format."""
    for msg in conversation_messages(data):
        if not isinstance(msg, dict):
            continue
        role = msg.get("role")
        if not isinstance(role, str) or (ignore_system and role in ("system", "developer")):
            continue
        yield role, message_text(msg)


def assistant_replies(data: dict[str, Any]) -> list[str]:
    return [text for role, text in iter_messages(data) if role == "assistant"]


def replies_with_questions(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(the user message before it, assistant reply) for every assistant reply with text."""
    question = ""
    for role, text in iter_messages(data, ignore_system=True):
        if role == "user":
            question = text
        elif role == "assistant" and text.strip():
            yield question, text


def first_user_text(data: dict[str, Any]) -> str:
    return next((text for role, text in iter_messages(data) if role == "user"), "")


def preview(data: dict[str, Any], limit: int = 80) -> str:
    """One line that tells a person which conversation this is (its first question)."""
    text = " ".join((first_user_text(data) or next((t for _r, t in iter_messages(data)), "")).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def conversation_key(data: dict[str, Any], *, ignore_system: bool = False) -> bytes:
    """A hash equal for two examples exactly when their messages are equal after normalising."""
    parts = "\x1e".join(f"{role}\x1f{normalise(text)}" for role, text in iter_messages(data, ignore_system=ignore_system))
    return hashlib.blake2b(parts.encode("utf-8", "surrogatepass"), digest_size=16).digest()
