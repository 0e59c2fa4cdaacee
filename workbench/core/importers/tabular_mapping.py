"""Which spreadsheet column plays which part: the customer's message, the agent's reply, ..."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

from workbench.core.importers.base import ImportFailed


@dataclass
class ColumnMapping:
    """Column names as ``preview()`` shows them. Only ``customer`` and ``agent`` are required."""

    customer: str
    agent: str
    system: str | None = None  # a per-row system prompt; wins over the template when not empty
    conversation_id: str | None = None  # rows sharing an id become one multi-turn conversation
    order: str | None = None  # sorts the rows of a conversation (numbers numerically, else as text)
    tags: str | None = None  # split on , ; |
    category: str | None = None  # becomes a tag and the template's {category}

    def roles(self) -> dict[str, str]:
        """role -> column, for the roles that are mapped."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


# Header names seen in real exports, most specific first; compared after normalising case,
# underscores, hyphens and dots to spaces.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "conversation_id": (
        "conversation id", "ticket id", "thread id", "case id", "chat id", "session id", "conversation",
        "ticket", "ticket number", "case number", "thread",
    ),
    "order": (
        "order", "turn", "turn number", "message number", "position", "sequence", "seq", "index",
        "timestamp", "created at", "created", "sent at", "date", "time",
    ),
    "agent": (
        "agent reply", "agent response", "agent message", "agent answer", "support reply", "answer", "reply",
        "response", "completion", "output", "agent", "assistant", "ideal answer", "expected answer",
    ),
    "customer": (
        "customer message", "customer question", "user message", "question", "message", "prompt", "input",
        "customer", "user", "query", "request", "inquiry", "enquiry", "body", "text",
    ),
    "system": ("system prompt", "system message", "system", "instructions"),
    "tags": ("tags", "tag", "labels", "label"),
    "category": ("category", "topic", "intent", "product"),
}
# Words that make a column the agent's side even if it also says "message" or "text".
_AGENT_WORDS = {"agent", "assistant", "reply", "response", "answer", "support", "completion", "output"}
# Words that make a column about a person or a time, not a message ("Agent name", "Reply date").
_NOT_TEXT_WORDS = {"name", "email", "id", "date", "time", "at", "count", "number", "status", "type"}


def normalise(name: str) -> str:
    return " ".join(re.sub(r"[_\-.:/#()]+", " ", name.lower()).split())


def guess_mapping(columns: list[str]) -> ColumnMapping | None:
    """A mapping from common header names, or None when customer or agent cannot be told."""
    norm = {c: normalise(c) for c in columns}
    used: set[str] = set()
    found: dict[str, str] = {}
    for loose in (False, True):  # exact names first, so "Answer" beats "Agent name"
        for role, candidates in _CANDIDATES.items():
            if role in found:
                continue
            column = _find(candidates, norm, used, loose, role)
            if column is not None:
                found[role] = column
                used.add(column)
    if "customer" not in found or "agent" not in found:
        return None
    return ColumnMapping(**found)


def _find(candidates: tuple[str, ...], norm: dict[str, str], used: set[str], loose: bool, role: str) -> str | None:
    for candidate in candidates:
        for column, name in norm.items():
            if column in used:
                continue
            if not loose:
                if name == candidate:
                    return column
                continue
            words = set(name.split())
            if role not in ("customer", "agent") or not set(candidate.split()) <= words or words & _NOT_TEXT_WORDS:
                continue  # only the two message columns are matched on words within longer names
            if role == "customer" and words & _AGENT_WORDS:
                continue
            return column
    return None


def resolve(mapping: ColumnMapping, columns: list[str], path: Path) -> dict[str, int]:
    """role -> column index for this file; names match exactly, else ignoring case and spacing."""
    by_norm: dict[str, int] = {}
    for index, column in enumerate(columns):
        by_norm.setdefault(normalise(column), index)
    out: dict[str, int] = {}
    missing: list[str] = []
    for role, column in mapping.roles().items():
        if column in columns:
            out[role] = columns.index(column)
        elif normalise(column) in by_norm:
            out[role] = by_norm[normalise(column)]
        else:
            missing.append(f"'{column}' (chosen for the {_ROLE_WORDS[role]})")
    if missing:  # all at once, so fixing the mapping takes one round
        raise ImportFailed(
            ("there is no column " if len(missing) == 1 else "there are no columns ") + " and ".join(missing) + ".",
            file=path,
            hint=f"The columns in this file are: {list_columns(columns)}. Choose among them.",
        )
    return out


_ROLE_WORDS = {
    "customer": "customer's message",
    "agent": "agent's reply",
    "system": "system prompt",
    "conversation_id": "conversation id",
    "order": "order within a conversation",
    "tags": "tags",
    "category": "category",
}


def list_columns(columns: list[str], limit: int = 30) -> str:
    shown = ", ".join(f"'{c}'" for c in columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")
