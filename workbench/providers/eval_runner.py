"""Running an evaluation: every item's prompt through every model, a few streams at a time.

``EvalRunner(plan, connector=..., save=...).run()`` blocks (call it on a worker thread) and:

* keeps at most ``concurrency`` requests open at once (one thread per open request);
* hands every answer to ``save(item, model, answer, attempts)`` on the thread that called
  ``run`` as soon as it arrives — so a store opened on that thread can write it at once, and a
  cancelled or crashed run keeps everything answered so far;
* skips the (item, model) units in ``done`` (a resumed run asks only what is missing);
* retries an answer that failed for a passing reason (connection, timeout, rate limit, server
  error) up to ``max_attempts`` times in all, waiting ``retry_delay`` seconds, doubling; other
  failures (a wrong key, an unknown model) are saved as they are, and so is the last attempt;
* reports ``on_progress(done, total)`` after every unit, counting units already done before;
* ``cancel()`` (any thread) — or ``should_stop()`` turning true, polled ten times a second —
  stops launching, stops the open streams and makes ``run`` return once they have ended;
  stopped answers are not saved, so resuming asks them again.

``run_stored_evaluation`` does all of that for a run stored in a workspace file.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.playground.answer import DONE, FAILED, STOPPED, Answer
from workbench.core.playground.evaluation import EvalPlan, missing_units
from workbench.providers.chat_stream import ChatStream
from workbench.providers.connect import ConnectError, Connector
from workbench.providers.errors import CONNECTION, RATE_LIMIT, SERVER, TIMEOUT

RETRYABLE_KINDS = frozenset({CONNECTION, TIMEOUT, RATE_LIMIT, SERVER})
_POLL = 0.1  # seconds between looks at should_stop
SaveCallback = Callable[[int, int, Answer, int], None]


@dataclass(frozen=True)
class EvalOutcome:
    total: int  # units the run needs
    done: int  # complete answers (including those from before)
    failed: int  # units that failed for good this time
    cancelled: bool

    @property
    def finished(self) -> bool:
        return not self.cancelled and self.done + self.failed == self.total


@dataclass
class _Unit:
    item: int
    model: int
    attempts: int = 0
    not_before: float = 0.0


class EvalRunner:
    def __init__(self, plan: EvalPlan, *, connector: Connector, save: SaveCallback,
                 done: Iterable[tuple[int, int]] = (), concurrency: int | None = None, max_attempts: int = 3,
                 retry_delay: float = 2.0, max_retry_delay: float = 30.0,
                 on_progress: Callable[[int, int], None] | None = None,
                 on_answer: Callable[[int, int, Answer], None] | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.plan = plan
        self._connector = connector
        self._save = save
        self._done = set(done)
        self.concurrency = max(1, concurrency or plan.concurrency)
        self.max_attempts = max(1, max_attempts)
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self._on_progress = on_progress
        self._on_answer = on_answer
        self._should_stop = should_stop
        self._clock = clock
        self._cancel = threading.Event()
        self._results: queue.Queue[tuple[_Unit, Answer] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._open: dict[tuple[int, int], ChatStream] = {}
        self.peak_open = 0  # the most requests open at once (the limit, honoured)

    def cancel(self) -> None:
        self._cancel.set()
        with self._lock:
            streams = list(self._open.values())
        for stream in streams:
            stream.cancel()
        self._results.put(None)  # wake run()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> EvalOutcome:
        total = len(self.plan.units())
        pending = [_Unit(i, m) for i, m in missing_units(self.plan, self._done)]
        done = total - len(pending)
        failed = 0
        running = 0
        self._progress(done + failed, total)
        while pending or running:
            if not self.cancelled and self._should_stop is not None and self._should_stop():
                self.cancel()
            if self.cancelled:
                pending.clear()
            now = self._clock()
            while pending and running < self.concurrency and not self.cancelled:
                ready = next((u for u in pending if u.not_before <= now), None)
                if ready is None:
                    break
                pending.remove(ready)
                self._launch(ready)
                running += 1
            if not running and not pending:
                break
            wait = None if self._should_stop is None else _POLL
            if pending and running < self.concurrency:  # someone is waiting out a retry delay
                wait = min(max(min(u.not_before for u in pending) - now, 0.0), wait or float("inf"))
            try:
                got = self._results.get(timeout=wait)
            except queue.Empty:
                continue
            if got is None:
                continue
            unit, answer = got
            running -= 1
            if answer.status == STOPPED and self.cancelled:
                continue  # not saved: a resumed run asks it again
            if answer.status != DONE and self._retry(unit, answer):
                pending.append(unit)
                continue
            self._save(unit.item, unit.model, answer, unit.attempts)
            if self._on_answer is not None:
                self._on_answer(unit.item, unit.model, answer)
            if answer.status == DONE:
                done += 1
            else:
                failed += 1
            self._progress(done + failed, total)
        return EvalOutcome(total, done, failed, self.cancelled)

    def _progress(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)

    def _retry(self, unit: _Unit, answer: Answer) -> bool:
        if self.cancelled or unit.attempts >= self.max_attempts:
            return False
        if answer.status != FAILED or answer.error_kind not in RETRYABLE_KINDS:
            return False
        delay = min(self.retry_delay * 2 ** (unit.attempts - 1), self.max_retry_delay)
        unit.not_before = self._clock() + delay
        return True

    def _launch(self, unit: _Unit) -> None:
        unit.attempts += 1
        thread = threading.Thread(target=self._ask, args=(unit,), name=f"eval-{unit.item}-{unit.model}", daemon=True)
        thread.start()

    def _ask(self, unit: _Unit) -> None:
        key = (unit.item, unit.model)
        try:
            target = self.plan.targets[unit.model]
            connection = self._connector.connection(target)
            stream = ChatStream(connection, target.model, self.plan.items[unit.item].prompt,
                                settings=self.plan.settings)
            with self._lock:
                self._open[key] = stream
                self.peak_open = max(self.peak_open, len(self._open))
            if self.cancelled:
                stream.cancel()
            answer = stream.run()
        except ConnectError as exc:
            answer = Answer(status=FAILED, error=str(exc), error_kind="setup", total_time=0.0)
        except Exception as exc:  # a bug: end this unit, keep the run going
            answer = Answer(status=FAILED, error=f"Unexpected error: {exc}", total_time=0.0)
        finally:
            with self._lock:
                self._open.pop(key, None)
        self._results.put((unit, answer))


def run_stored_evaluation(workspace_path: str | Path, run_id: int, *, connector: Connector,
                          on_progress: Callable[[int, int], None] | None = None,
                          should_stop: Callable[[], bool] | None = None,
                          on_runner: Callable[[EvalRunner], None] | None = None, **options: Any) -> EvalOutcome:
    """Runs (or resumes) stored run ``run_id`` on this thread, with its own connection to the
    workspace file; answers are committed as they arrive and the run's status kept current
    (running, then finished or cancelled). ``on_runner`` receives the runner (e.g. to cancel it)."""
    from workbench.core.playground.eval_store import EvalStore
    from workbench.core.store import Workspace

    with Workspace.open(workspace_path, create=False) as ws:
        store = EvalStore(ws)
        plan = store.load_run(run_id)
        runner = EvalRunner(plan, connector=connector, done=store.answered_units(run_id),
                            save=lambda item, model, answer, attempts: store.save_answer(
                                run_id, item, model, answer, attempts),
                            on_progress=on_progress, should_stop=should_stop, **options)
        if on_runner is not None:
            on_runner(runner)
        store.set_status(run_id, "running")
        outcome = None
        try:
            outcome = runner.run()
        finally:
            store.set_status(run_id, "finished" if outcome is not None and outcome.finished else "cancelled")
        return outcome
