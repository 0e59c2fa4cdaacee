"""The one way the GUI runs slow work: a worker on the thread pool that reports back by signals.

``run_task(fn, ...)`` calls ``fn(progress, is_cancelled, *args)`` off the GUI thread, starting on
the next turn of the event loop (so connect to the handle right away). The returned
``TaskHandle`` lives on the GUI thread and emits, there: progress(done, total),
succeeded(result), failed(message), cancelled(), then finished() in every case.
Cancelling sets a flag the work checks between steps; core code raises its own Cancelled
exception (e.g. ImportCancelled), which is reported as cancelled, never as a failure.

The worker never sends Python objects through a cross-thread signal: it stores the outcome on
the handle and emits an argument-less signal; the GUI thread then reads it and emits the public
signals. (Queued signals carrying Python objects have corrupted reference counts in PySide6.)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)
WORKERS = 6


class TaskHandle(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()
    _progressed = Signal()  # worker -> GUI thread, no payload
    _ended = Signal()  # worker -> GUI thread, no payload
    _start = Signal()  # queued to itself: starts the work once the caller has connected

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None
        self._outcome: tuple[str, Any] = ("failed", "")
        self._work: tuple | None = None
        self._executor: ThreadPoolExecutor | None = None
        self.running = True
        self._progressed.connect(self._deliver_progress)
        self._ended.connect(self._deliver_outcome)
        self._start.connect(self._launch, Qt.ConnectionType.QueuedConnection)

    def _launch(self) -> None:
        fn, args, expected = self._work
        self._work = None
        future = (self._executor or _executor()).submit(_execute, self, fn, args, expected)
        _running.add(future)
        future.add_done_callback(_running.discard)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # --- called on the worker thread ---------------------------------------------------------------

    def report_progress(self, done: int, total: int) -> None:
        with self._lock:
            pending = self._latest is not None
            self._latest = (int(done), int(total))
        if not pending:  # at most one queued notification: the GUI reads the latest values
            self._progressed.emit()

    def _finish(self, kind: str, value: Any) -> None:
        self._outcome = (kind, value)
        self._ended.emit()

    # --- on the GUI thread ---------------------------------------------------------------------------

    def _deliver_progress(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None and self.running:
            self.progress.emit(*latest)

    def _deliver_outcome(self) -> None:
        self._deliver_progress()
        kind, value = self._outcome
        self.running = False
        if kind == "succeeded":
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit()
        else:
            self.failed.emit(value)
        self.finished.emit()


def _execute(h: TaskHandle, fn: Callable[..., Any], args: tuple, expected: tuple[type[BaseException], ...]) -> None:
    try:
        result = fn(h.report_progress, h.is_cancelled, *args)
    except BaseException as exc:  # noqa: BLE001 - every outcome must reach the GUI
        if h.is_cancelled() or type(exc).__name__.endswith("Cancelled"):
            outcome = ("cancelled", None)
        elif isinstance(exc, expected):
            outcome = ("failed", str(exc))
        else:
            log.exception("background task %r failed", h.title)
            outcome = ("failed", f"{h.title} failed unexpectedly ({type(exc).__name__}). Details are in the log file.")
    else:
        outcome = ("cancelled", None) if h.is_cancelled() else ("succeeded", result)
    try:
        h._finish(*outcome)
    except RuntimeError:  # the handle's owner (a tab, a closed window) is gone: nobody is left to tell
        log.info("background task %r ended after its window closed", h.title)


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_running: set[Future] = set()


def _executor() -> ThreadPoolExecutor:
    # Python threads, not QThreadPool: PySide6 6.12 drops a reference to None on every Python
    # QRunnable.run() called from a pool thread, which crashes the interpreter after a while.
    # Most work here waits on disk, network or tiktoken (which releases the GIL): a few more threads
    # than cores keep a quick preview from queueing behind a long count on a 2-core machine.
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="workbench-task")
        return _pool


def wait_for_idle(timeout: float = 30.0) -> bool:
    """True once no task is running (tests, and the app before it quits)."""
    done, pending = futures_wait(list(_running), timeout=timeout)
    return not pending


def run_task(
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    expected: tuple[type[BaseException], ...] = (Exception,),
    parent: QObject | None = None,
    executor: ThreadPoolExecutor | None = None,
) -> TaskHandle:
    """``expected`` exceptions carry a message meant for the user; others are logged.

    ``executor``: a caller's own (e.g. one thread that owns a workspace connection) instead of the pool.
    """
    handle = TaskHandle(title, parent)
    handle._work = (fn, args, expected)
    handle._executor = executor
    # Start on the next turn of the event loop, after the caller has connected its slots.
    handle._start.emit()
    return handle
