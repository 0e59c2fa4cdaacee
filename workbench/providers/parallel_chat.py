"""Several chat streams at once, one thread per column, each reported on its own.

``ParallelChat(requests, connector=...)``: ``start()``, then follow it either way round —

* ``on_event(ColumnEvent)`` is called on the column's worker thread for every piece of text
  (``delta``) and once at the end (``finished``, with the Answer). A Qt adapter should not send
  these through signals one by one: set a flag and emit one payload-less signal, then read
  ``snapshot()`` on the GUI thread (that is how many deltas per second become one repaint).
* ``snapshot()`` (any thread) gives every column's text so far, state and times; ``generation``
  goes up with every change, so a poller can skip unchanged frames.

``cancel()`` stops every column (``cancel(i)`` one): a streaming column stops at once and keeps
what arrived; a column still waiting for the server is reported stopped straight away. A column
that fails (even midway) keeps its text and a plain error; the others carry on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.playground.answer import FAILED, STOPPED, Answer, ChatSettings, ChatTarget
from workbench.core.playground.session import ChatSession
from workbench.providers.chat_stream import ChatStream
from workbench.providers.connect import ConnectError, Connector

WAITING, STREAMING = "waiting", "streaming"  # besides the Answer statuses done / stopped / failed
DELTA, FINISHED = "delta", "finished"


@dataclass(frozen=True)
class ChatRequest:
    target: ChatTarget
    messages: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class ColumnEvent:
    column: int
    kind: str  # DELTA or FINISHED
    text: str = ""  # the new piece (DELTA)
    answer: Answer | None = None  # FINISHED


@dataclass(frozen=True)
class ColumnProgress:
    column: int
    state: str  # waiting, streaming, done, stopped, failed
    text: str
    ttft: float | None
    elapsed: float  # seconds since start (frozen once finished)
    answer: Answer | None  # once finished


class _Column:
    def __init__(self, request: ChatRequest) -> None:
        self.request = request
        self.pieces: list[str] = []
        self.state = WAITING
        self.ttft: float | None = None
        self.answer: Answer | None = None
        self.stream: ChatStream | None = None
        self.cancelled = False
        self.finished = threading.Event()


class ParallelChat:
    def __init__(self, requests: Sequence[ChatRequest], *, connector: Connector, settings: ChatSettings | None = None,
                 on_event: Callable[[ColumnEvent], None] | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        if not requests:
            raise ValueError("nothing to ask")
        self._columns = [_Column(r) for r in requests]
        self._connector = connector
        self._settings = settings or ChatSettings()
        self._on_event = on_event
        self._clock = clock
        self._lock = threading.Lock()
        self._generation = 0
        self._started_at: float | None = None
        self._threads: list[threading.Thread] = []

    @classmethod
    def for_session(cls, session: ChatSession, user_text: str, *, connector: Connector,
                    on_event: Callable[[ColumnEvent], None] | None = None) -> ParallelChat:
        """Every column of ``session`` asked ``user_text`` with its own history and system prompt."""
        requests = [ChatRequest(column.target, tuple(messages))
                    for column, messages in zip(session.columns, session.requests(user_text), strict=True)]
        return cls(requests, connector=connector, settings=session.settings, on_event=on_event)

    # -- running ---------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._threads:
            raise RuntimeError("already started")
        self._started_at = self._clock()
        for index in range(len(self._columns)):
            thread = threading.Thread(target=self._run, args=(index,), name=f"chat-column-{index}", daemon=True)
            self._threads.append(thread)
        for thread in self._threads:
            thread.start()

    def _run(self, index: int) -> None:
        column = self._columns[index]
        target = column.request.target
        try:
            connection = self._connector.connection(target)
        except ConnectError as exc:
            self._finish(index, Answer(status=FAILED, error=str(exc), error_kind="setup", total_time=0.0))
            return
        stream = ChatStream(connection, target.model, column.request.messages, settings=self._settings,
                            on_delta=lambda piece: self._delta(index, piece), clock=self._clock)
        with self._lock:
            column.stream = stream
            cancelled = column.cancelled
        if cancelled:
            stream.cancel()
        try:
            answer = stream.run()
        except Exception as exc:  # a bug, not a provider failure: still end the column
            answer = Answer(text="".join(column.pieces), status=FAILED, error=f"Unexpected error: {exc}")
        self._finish(index, answer)

    def _delta(self, index: int, piece: str) -> None:
        column = self._columns[index]
        with self._lock:
            if column.answer is not None:
                return  # already reported stopped
            if column.ttft is None:
                column.ttft = self._clock() - (self._started_at or 0.0)
            column.pieces.append(piece)
            column.state = STREAMING
            self._generation += 1
        if self._on_event is not None:
            self._on_event(ColumnEvent(index, DELTA, text=piece))

    def _finish(self, index: int, answer: Answer) -> None:
        column = self._columns[index]
        with self._lock:
            if column.answer is not None:
                return
            column.answer = answer
            column.state = answer.status
            self._generation += 1
        column.finished.set()
        if self._on_event is not None:
            self._on_event(ColumnEvent(index, FINISHED, answer=answer))

    def cancel(self, column: int | None = None) -> None:
        """Stop every column, or just ``column``. Finished columns are left as they are."""
        for index in range(len(self._columns)) if column is None else (column,):
            col = self._columns[index]
            with self._lock:
                col.cancelled = True
                stream = col.stream
                waiting = col.answer is None and (stream is None or not stream.responded)
            if stream is not None:
                stream.cancel()
            if waiting:  # nothing to wake yet: report it now, the late reply is dropped
                elapsed = self._clock() - (self._started_at or self._clock())
                self._finish(index, Answer(status=STOPPED, total_time=elapsed))

    def wait(self, timeout: float | None = None) -> bool:
        """Blocks until every column has finished (True) or ``timeout`` seconds passed (False)."""
        deadline = None if timeout is None else self._clock() + timeout
        for column in self._columns:
            left = None if deadline is None else max(deadline - self._clock(), 0.0)
            if not column.finished.wait(left):
                return False
        return True

    def wait_column(self, column: int, timeout: float | None = None) -> bool:
        return self._columns[column].finished.wait(timeout)

    # -- reading ---------------------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return all(c.finished.is_set() for c in self._columns)

    @property
    def generation(self) -> int:
        """Goes up with every delta and every finished column."""
        with self._lock:
            return self._generation

    def __len__(self) -> int:
        return len(self._columns)

    def snapshot(self) -> list[ColumnProgress]:
        now = self._clock()
        with self._lock:
            out = []
            for i, c in enumerate(self._columns):
                if c.answer is not None:
                    text, elapsed = c.answer.text or "".join(c.pieces), c.answer.total_time or 0.0
                else:
                    text, elapsed = "".join(c.pieces), now - (self._started_at or now)
                out.append(ColumnProgress(i, c.state, text, c.answer.ttft if c.answer else c.ttft, elapsed,
                                          c.answer))
            return out

    def answer(self, column: int) -> Answer | None:
        with self._lock:
            return self._columns[column].answer

    def results(self) -> list[Answer]:
        """Every column's Answer, in column order; only once ``done``."""
        if not self.done:
            raise RuntimeError("the columns have not all finished")
        return [c.answer for c in self._columns]  # type: ignore[misc]
