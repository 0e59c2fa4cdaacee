"""The one way the GUI runs slow work: a worker on the thread pool that reports back by signals.

``run_task(fn, ...)`` calls ``fn(progress, is_cancelled, *args)`` off the GUI thread, starting on
the next turn of the event loop (so connect to the handle right away). The returned
``TaskHandle`` lives on the GUI thread, so its signals arrive there (queued): progress(done,
total), succeeded(result), failed(message), cancelled(), then finished() in every case.
Cancelling sets a flag the work checks between steps; core code raises its own Cancelled
exception (e.g. ImportCancelled), which is reported as cancelled, never as a failure.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)
MIN_THREADS = 6


class TaskHandle(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._cancel = threading.Event()
        self.running = True
        self._job = None
        self.finished.connect(self._mark_done)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _mark_done(self) -> None:
        # The job is kept as long as the handle: the pool thread may still be returning from run().
        self.running = False


def _execute(h: TaskHandle, fn: Callable[..., Any], args: tuple, expected: tuple[type[BaseException], ...]) -> None:
    try:
        result = fn(h.progress.emit, h.is_cancelled, *args)
    except BaseException as exc:  # noqa: BLE001 - every outcome must reach the GUI
        if h.is_cancelled() or type(exc).__name__.endswith("Cancelled"):
            h.cancelled.emit()
        elif isinstance(exc, expected):
            h.failed.emit(str(exc))
        else:
            log.exception("background task %r failed", h.title)
            h.failed.emit(f"{h.title} failed unexpectedly ({type(exc).__name__}). Details are in the log file.")
    else:
        if h.is_cancelled():
            h.cancelled.emit()
        else:
            h.succeeded.emit(result)
    finally:
        h.finished.emit()


class _Job(QRunnable):
    def __init__(self, call: Callable[[], None]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._call = call

    def run(self) -> None:
        self._call()


def run_task(
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    expected: tuple[type[BaseException], ...] = (Exception,),
    parent: QObject | None = None,
    pool: QThreadPool | None = None,
) -> TaskHandle:
    """``expected`` exceptions carry a message meant for the user; others are logged."""
    handle = TaskHandle(title, parent)
    pool = pool or QThreadPool.globalInstance()
    # Most work here waits on disk, network or tiktoken (which releases the GIL): a few more threads
    # than cores keep a quick preview from queueing behind a long count on a 2-core machine.
    pool.setMaxThreadCount(max(pool.maxThreadCount(), MIN_THREADS))
    job = _Job(functools.partial(_execute, handle, fn, args, expected))
    handle._job = job  # Python owns the runnable (autoDelete off) and keeps it alive until it has run
    # Start on the next turn of the event loop, after the caller has connected its slots: a quick
    # job could otherwise finish and emit before anyone listens.
    QTimer.singleShot(0, handle, lambda: pool.start(job))
    return handle
