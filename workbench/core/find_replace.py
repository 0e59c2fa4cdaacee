"""Dataset-wide find & replace over message texts (plain or regular expression).

``find`` streams matches with context for a preview; ``replace_all`` returns the changed examples
so the caller commits them as one edit (one undo step).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from workbench.core.conversation_edit import messages_of
from workbench.core.formats import Kind, detect_kind

CONTEXT = 40


class PatternError(ValueError):
    """The regular expression is not valid; ``str()`` says where."""


@dataclass(frozen=True)
class Match:
    example_id: int
    message_index: int  # 0-based, in the editable message list
    role: str
    before: str
    found: str
    after: str
    replacement: str


def compile_pattern(pattern: str, *, regex: bool, case_sensitive: bool) -> re.Pattern:
    if not pattern:
        raise PatternError("Type something to find.")
    flags = 0 if case_sensitive else re.IGNORECASE
    try:
        return re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error as exc:
        raise PatternError(f"The pattern is not a valid regular expression: {exc.msg} (at character {exc.pos}).") from exc


def _texts(example: dict) -> Iterator[tuple[int, str, str]]:
    for i, msg in enumerate(messages_of(example)):
        if isinstance(msg, dict) and isinstance(msg.get("content"), str):
            yield i, str(msg.get("role", "")), msg["content"]


def find(records: Iterable[tuple[int, dict[str, Any]]], pattern: re.Pattern, replacement: str = "",
         *, literal: bool = True, limit: int = 1000) -> Iterator[Match]:
    shown = 0
    for example_id, example in records:
        for index, role, text in _texts(example):
            for m in pattern.finditer(text):
                try:
                    new = replacement if literal else m.expand(replacement)
                except (re.error, IndexError) as exc:
                    raise PatternError(f"The replacement refers to a group the pattern does not have ({exc}).") from exc
                yield Match(example_id, index, role, text[max(0, m.start() - CONTEXT):m.start()], m.group(0),
                            text[m.end():m.end() + CONTEXT], new)
                shown += 1
                if shown >= limit:
                    return


def replace_in_example(example: dict, pattern: re.Pattern, replacement: str, *, literal: bool) -> tuple[dict, int]:
    """(new example, number of replacements). ``literal``: replacement is plain text, no \\1 groups."""
    count = 0
    out = copy.deepcopy(example)
    msgs = out["input"]["messages"] if detect_kind(out) is Kind.DPO else out.get("messages", [])
    for msg in msgs:
        if isinstance(msg, dict) and isinstance(msg.get("content"), str):
            repl = (lambda _m: replacement) if literal else replacement
            try:
                msg["content"], n = pattern.subn(repl, msg["content"])
            except (re.error, IndexError) as exc:
                raise PatternError(f"The replacement refers to a group the pattern does not have ({exc}).") from exc
            count += n
    return out, count


def replace_all(records: Iterable[tuple[int, dict[str, Any]]], pattern: re.Pattern, replacement: str,
                *, literal: bool) -> tuple[dict[int, dict], int]:
    """({example id: new example}, total replacements) for every example that changes."""
    changed: dict[int, dict] = {}
    total = 0
    for example_id, example in records:
        new, n = replace_in_example(example, pattern, replacement, literal=literal)
        if n and new != example:
            changed[example_id] = new
            total += n
    return changed, total
