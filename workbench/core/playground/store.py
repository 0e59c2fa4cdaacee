"""Chat sessions (columns, turns, blind verdicts) in the workspace file.

Saving a session writes it whole in one transaction (a session is a few hundred rows at most), so
what is on disk is always one consistent state. Sessions are not part of the examples' undo
history. Like its Workspace, a store belongs to the thread that opened the workspace.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.playground.answer import Answer, ChatSettings, ChatTarget
from workbench.core.playground.session import BlindRating, ChatColumn, ChatSession, Turn
from workbench.core.store.workspace import Workspace

ANSWER_COLUMNS = ("answer", "status", "error", "error_kind", "finish_reason", "ttft", "total_time", "tokens_in",
                  "tokens_out", "tokens_estimated", "cost")


def answer_values(answer: Answer) -> tuple[Any, ...]:
    """``answer`` as the values of ANSWER_COLUMNS."""
    return (answer.text, answer.status, answer.error, answer.error_kind, answer.finish_reason, answer.ttft,
            answer.total_time, answer.tokens_in, answer.tokens_out, 1 if answer.estimated else 0, answer.cost)


def answer_from(values: Sequence[Any]) -> Answer:
    text, status, error, kind, finish, ttft, total, tokens_in, tokens_out, estimated, cost = values
    return Answer(text=text, status=status, error=error, error_kind=kind, finish_reason=finish, ttft=ttft,
                  total_time=total, tokens_in=tokens_in, tokens_out=tokens_out, estimated=bool(estimated),
                  cost=cost)


@dataclass(frozen=True)
class SessionSummary:
    id: int
    title: str
    models: tuple[str, ...]  # column names
    turns: int
    blind: bool
    updated_at: str


class PlaygroundStore:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._db = workspace.connection

    def save_session(self, session: ChatSession) -> int:
        """Stores ``session`` (new, or replacing its stored version); sets and returns ``session.id``."""
        head = (session.title, session.system_prompt, json.dumps(session.settings.to_dict()),
                1 if session.blind else 0, session.seed)
        with self.workspace.transaction():
            exists = session.id is not None and self._db.execute(
                "SELECT 1 FROM chat_sessions WHERE id = ?", (session.id,)).fetchone() is not None
            if exists:
                self._db.execute(
                    "UPDATE chat_sessions SET title = ?, system_prompt = ?, settings = ?, blind = ?, seed = ?, "
                    "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", (*head, session.id))
                self._db.execute("DELETE FROM chat_columns WHERE session_id = ?", (session.id,))
                self._db.execute("DELETE FROM chat_ratings WHERE session_id = ?", (session.id,))
                session_id = session.id
            else:
                session_id = self._db.execute(
                    "INSERT INTO chat_sessions (title, system_prompt, settings, blind, seed) VALUES (?, ?, ?, ?, ?)",
                    head).lastrowid
            for col, column in enumerate(session.columns):
                t = column.target
                self._db.execute(
                    "INSERT INTO chat_columns (session_id, col, model, profile, base_url, label, system_prompt) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (session_id, col, t.model, t.profile, t.base_url, t.label, column.system_prompt))
                self._db.executemany(
                    f"INSERT INTO chat_turns (session_id, col, turn, user_text, {', '.join(ANSWER_COLUMNS)}) "
                    f"VALUES (?, ?, ?, ?, {', '.join('?' * len(ANSWER_COLUMNS))})",
                    [(session_id, col, n, turn.user, *answer_values(turn.answer))
                     for n, turn in enumerate(column.turns)])
            self._db.executemany(
                "INSERT INTO chat_ratings (session_id, turn, shown_order, verdict) VALUES (?, ?, ?, ?)",
                [(session_id, r.turn, json.dumps(list(r.order)), r.verdict) for r in session.ratings.values()])
        session.id = session_id
        return session_id

    def load_session(self, session_id: int) -> ChatSession:
        row = self._db.execute("SELECT title, system_prompt, settings, blind, seed FROM chat_sessions WHERE id = ?",
                               (session_id,)).fetchone()
        if row is None:
            raise KeyError(session_id)
        title, system_prompt, settings, blind, seed = row
        columns = []
        for col, model, profile, base_url, label, own_prompt in self._db.execute(
                "SELECT col, model, profile, base_url, label, system_prompt FROM chat_columns "
                "WHERE session_id = ? ORDER BY col", (session_id,)).fetchall():
            turns = [Turn(user, answer_from(rest)) for user, *rest in self._db.execute(
                f"SELECT user_text, {', '.join(ANSWER_COLUMNS)} FROM chat_turns WHERE session_id = ? AND col = ? "
                "ORDER BY turn", (session_id, col))]
            columns.append(ChatColumn(ChatTarget(model, profile, base_url, label), own_prompt, turns))
        ratings = {turn: BlindRating(turn, tuple(json.loads(order)), verdict) for turn, order, verdict in
                   self._db.execute("SELECT turn, shown_order, verdict FROM chat_ratings WHERE session_id = ?",
                                    (session_id,))}
        return ChatSession(columns=columns, system_prompt=system_prompt, settings=ChatSettings.from_dict(
            json.loads(settings)), title=title, blind=bool(blind), seed=seed, ratings=ratings, id=session_id)

    def sessions(self) -> list[SessionSummary]:
        """Every stored session, the most recently changed first."""
        rows = self._db.execute(
            "SELECT s.id, s.title, s.blind, s.updated_at, "
            "(SELECT json_group_array(coalesce(nullif(c.label, ''), c.model)) FROM "
            " (SELECT label, model FROM chat_columns WHERE session_id = s.id ORDER BY col) AS c), "
            "(SELECT count(*) FROM chat_turns t WHERE t.session_id = s.id AND t.col = 0) "
            "FROM chat_sessions s ORDER BY s.updated_at DESC, s.id DESC").fetchall()
        return [SessionSummary(i, title, tuple(json.loads(models)), turns, bool(blind), updated)
                for i, title, blind, updated, models, turns in rows]

    def delete_session(self, session_id: int) -> None:
        with self.workspace.transaction():
            self._db.execute("DELETE FROM chat_sessions WHERE id = ?", (session_id,))
