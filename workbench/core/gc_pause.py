"""Pause Python's cyclic garbage collector during bulk work (imports, whole-workspace checks).

An import keeps tens of thousands of freshly built conversations; each full collection re-scans
all of them, which made a 50,000-ticket import spend a fifth of its time in the collector, and in
the app a full collection stops every thread (the GUI too) for 100-250 ms. The data built here is
acyclic (freed by reference counting as usual), so pausing the collector loses nothing. When the
last pause ends, everything alive is frozen (gc.freeze): those long-lived objects are never
re-scanned, so later collections stay short. (A reference cycle that became garbage during the
pause is kept until exit; the bulk code paths here do not make them.) Nested and
concurrent pauses are counted (also when a generator is closed or abandoned).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                # Not a collection first: with the collector off, the young generation holds everything
                # built during the pause, and scanning it would be the very stall this avoids.
                gc.freeze()
                gc.enable()
