"""ParallelChat -> the GUI thread, at most one repaint per frame.

The column threads call ``_on_event``, which only raises a flag and, if none is pending, emits one
payload-less signal (queued to the GUI thread: no Python object crosses threads through Qt). The
GUI thread then waits out the rest of the frame and reads ``ParallelChat.snapshot()`` once, so 800
deltas a second become at most ~60 ``updated`` signals, each with every column's latest state.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence

import openai.resources.chat  # noqa: F401 - the SDK loads it on first use, which stalls every thread
from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from workbench.core.playground.answer import Answer
from workbench.providers.connect import Connector
from workbench.providers.parallel_chat import ChatRequest, ColumnEvent, ColumnProgress, ParallelChat

FRAME_MS = 16


class ChatBridge(QObject):
    """One comparison turn in flight. ``updated`` (GUI thread, coalesced to a frame) carries nothing:
    read ``progress``; ``finished`` once every column has ended."""

    updated = Signal()
    finished = Signal()
    _poke = Signal()  # column thread -> GUI thread, no payload

    def __init__(self, requests: Sequence[ChatRequest], *, settings, connector: Connector | None = None,
                 frame_ms: int = FRAME_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connector = connector or Connector()
        self._own_connector = connector is None
        self.chat = ParallelChat(requests, connector=self._connector, settings=settings, on_event=self._on_event)
        self.progress: list[ColumnProgress] = []
        self.frames = 0  # repaints delivered (the benchmark reports it)
        self._lock = threading.Lock()
        self._pending = False
        self._ended = False
        self._frame = QTimer(self, singleShot=True, interval=frame_ms)
        self._frame.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame.timeout.connect(self._deliver)
        self._since = QElapsedTimer()
        self._frame_ms = frame_ms
        self._poke.connect(self._schedule, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._since.start()
        self.chat.start()

    def cancel(self, column: int | None = None) -> None:
        self.chat.cancel(column)

    @property
    def running(self) -> bool:
        return not self._ended

    def answers(self) -> list[Answer]:
        return self.chat.results()

    # --- column threads ----------------------------------------------------------------------------
    def _on_event(self, _event: ColumnEvent) -> None:
        with self._lock:
            if self._pending:
                return
            self._pending = True
        with contextlib.suppress(RuntimeError):  # the bridge was deleted (window closed mid-answer)
            self._poke.emit()

    # --- GUI thread ----------------------------------------------------------------------------------
    def _schedule(self) -> None:
        if self._frame.isActive() or self._ended:
            return
        # Right away if the last repaint was a frame ago (the first token shows at once), else at the frame.
        wait = max(0, self._frame_ms - self._since.elapsed()) if self.frames else 0
        self._frame.start(wait)

    def _deliver(self) -> None:
        with self._lock:
            self._pending = False  # deltas from here on poke again
        self.progress = self.chat.snapshot()
        self.frames += 1
        self._since.restart()
        self.updated.emit()
        if self.chat.done and not self._ended:
            self._ended = True
            if self._own_connector:
                self._connector.close()
            self.finished.emit()

    def shutdown(self, wait: float = 1.0) -> None:
        """Stop every column and wait briefly for their threads (closing the window)."""
        self.chat.cancel()
        self.chat.wait(wait)
        self._frame.stop()
        self._ended = True
        if self._own_connector:
            self._connector.close()
