"""Pause Python's cyclic garbage collector during bulk imports.

An import keeps tens of thousands of freshly built conversations; each full collection re-scans
all of them, which made a 50,000-ticket import spend a fifth of its time in the collector. The
data importers build is acyclic (freed by reference counting as usual), so pausing the cycle
collector for the duration loses nothing. Nested and concurrent pauses are counted; the collector
is re-enabled when the last one ends (also when a generator is closed or abandoned).
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
                gc.enable()
