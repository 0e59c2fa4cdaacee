"""All running jobs of a workspace on one timer (the GUI's view of them).

``poll_due()`` polls the jobs whose turn has come, each on its own backoff schedule (2 s after a
change, doubling to 60 s while quiet); ``next_delay()`` says when to call again, or None when no
job runs, so the caller stops its timer instead of polling for nothing. Like a Ledger, a monitor
belongs to the thread that opened the workspace (run it in a worker with its own Workspace).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import openai

from workbench.core.polling import PollSchedule
from workbench.core.store.ledger import JobRecord, Ledger
from workbench.providers.retry import RetryPolicy
from workbench.providers.watch import JobWatcher, JobWatchError, PollResult


@dataclass
class _Entry:
    watcher: JobWatcher
    schedule: PollSchedule
    due: float


class JobMonitor:
    def __init__(self, ledger: Ledger, client_for: Callable[[JobRecord], openai.OpenAI], *,
                 clock: Callable[[], float] = time.monotonic, retry: RetryPolicy | None = None,
                 schedule: Callable[[], PollSchedule] = PollSchedule) -> None:
        self.ledger = ledger
        self._client_for = client_for
        self._clock = clock
        self._retry = retry
        self._schedule = schedule
        self._entries: dict[int, _Entry] = {}
        self.errors: dict[int, str] = {}  # jobs dropped because they cannot be followed, with the reason

    @property
    def job_ids(self) -> list[int]:
        return list(self._entries)

    def attach(self, job_id: int) -> None:
        """Starts following a ledger job (a new submission); it is polled on the next ``poll_due``."""
        if job_id not in self._entries:
            watcher = JobWatcher(self._client_for(self.ledger.job(job_id)), self.ledger, job_id, retry=self._retry)
            self._entries[job_id] = _Entry(watcher, self._schedule(), self._clock())

    def reattach(self) -> list[int]:
        """Follows every job the ledger says is still running (call on start); returns their ids."""
        for record in self.ledger.running_jobs():
            self.attach(record.id)
        return self.job_ids

    def detach(self, job_id: int) -> None:
        self._entries.pop(job_id, None)

    def watcher(self, job_id: int) -> JobWatcher:
        return self._entries[job_id].watcher

    def poll_due(self) -> list[PollResult]:
        """Polls the jobs that are due; finished jobs (and ones that cannot be followed) are dropped."""
        results = []
        for job_id, entry in list(self._entries.items()):
            if entry.due > self._clock():
                continue
            try:
                result = entry.watcher.poll_once()
            except JobWatchError as exc:
                self.errors[job_id] = str(exc)
                self.detach(job_id)
                continue
            results.append(result)
            if result.finished:
                self.detach(job_id)
            else:
                entry.due = self._clock() + entry.schedule.next_delay(result.changed)
        return results

    def next_delay(self) -> float | None:
        """Seconds until a job is due (0: now); None when nothing runs."""
        if not self._entries:
            return None
        return max(0.0, min(e.due for e in self._entries.values()) - self._clock())
