"""Following a fine-tuning job: status, new events, metrics, checkpoints and the result file.

``JobWatcher.poll_once()`` asks the service once (a handful of requests) and stores what is new in
the ledger, so the GUI can call it from a worker and the CLI from a loop (``watch_until_done``).
Events are fetched incrementally: pages newest-first (``after=`` cursor) until one already stored.
A passing failure (no connection, 5xx, 429) is retried; if it persists the poll reports it as a
``problem`` and the caller simply polls again later. Anything else raises JobWatchError.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai

from workbench.core.job_cost import actual_cost
from workbench.core.metrics import (
    MetricPoint,
    MetricsFormatError,
    estimate_finish,
    parse_result_csv,
    point_from_event,
    total_steps_from_events,
)
from workbench.core.polling import PollSchedule
from workbench.core.profiles import Profile
from workbench.core.store.ledger import (
    NOT_CREATED,
    SUBMITTING,
    CheckpointRecord,
    JobEventRecord,
    JobRecord,
    Ledger,
)
from workbench.providers.job_errors import explain
from workbench.providers.jobs import (
    cancel_job,
    find_by_tag,
    job_fields,
    pause_job,
    record_from_job,
    resume_job,
)
from workbench.providers.retry import RetryPolicy, is_transient, without_sdk_retries

EVENT_PAGE = 100
CHECKPOINT_PAGE = 100


class JobWatchError(Exception):
    """The job cannot be followed (bad key, unknown job ...); ``str()`` says why."""


@dataclass
class PollResult:
    job: JobRecord
    previous_status: str
    new_events: list[JobEventRecord] = field(default_factory=list)
    new_metrics: list[MetricPoint] = field(default_factory=list)
    new_checkpoints: list[CheckpointRecord] = field(default_factory=list)
    results_imported: bool = False  # this poll read the result file's metrics
    estimated_finish: float | None = None  # unix seconds
    progress: tuple[int, int] | None = None  # (step, total steps)
    actual_cost: float | None = None  # USD, once trained tokens are known
    problem: str | None = None  # a passing failure this round; polling goes on

    @property
    def status_changed(self) -> bool:
        return self.job.status != self.previous_status

    @property
    def changed(self) -> bool:
        return bool(self.status_changed or self.new_events or self.new_metrics or self.new_checkpoints
                    or self.results_imported)

    @property
    def finished(self) -> bool:
        """Nothing more will come: the job ended and its results are in (or cannot be had)."""
        return self.job.terminal and not _results_pending(self.job)


def _results_pending(job: JobRecord) -> bool:
    return job.status == "succeeded" and bool(job.result_files) and not job.results_imported


def _as_dict(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


class JobWatcher:
    """Follows one ledger job. Belongs to the thread that opened the ledger's workspace."""

    def __init__(self, client: openai.OpenAI, ledger: Ledger, job_id: int, *,
                 retry: RetryPolicy | None = None, profile: Profile | None = None) -> None:
        self.client = without_sdk_retries(client)
        self.profile = profile  # words the errors for this service (Azure, local servers)
        self.ledger = ledger
        self.job_id = job_id
        self.retry = retry or RetryPolicy()
        events = [e for e in ledger.events(job_id) if e.type == "metrics"]
        self._total_steps = total_steps_from_events({"data": e.data} for e in events)

    @classmethod
    def for_provider_job(cls, client: openai.OpenAI, ledger: Ledger, provider_job_id: str, *,
                         profile: Profile | str | None = None, retry: RetryPolicy | None = None) -> JobWatcher:
        """A watcher for a job by its provider id, adding it to the ledger if it is not there."""
        record = ledger.find(provider_job_id=provider_job_id)
        if record is None:
            plain = without_sdk_retries(client)
            try:
                job = (retry or RetryPolicy()).call(plain.fine_tuning.jobs.retrieve, provider_job_id)
            except openai.OpenAIError as exc:
                raise JobWatchError(explain(exc, f"find job {provider_job_id}", profile=profile)) from exc
            record = record_from_job(ledger, job, profile=profile, base_url=str(client.base_url))
        return cls(client, ledger, record.id, retry=retry, profile=profile if isinstance(profile, Profile) else None)

    @property
    def job(self) -> JobRecord:
        return self.ledger.job(self.job_id)

    # --- polling ----------------------------------------------------------------------------------

    def poll_once(self) -> PollResult:
        record = self.job
        result = PollResult(job=record, previous_status=record.status)
        if record.provider_job_id is None:
            return self._resolve_submission(record, result)
        try:
            if not record.terminal or _results_pending(record):
                self._poll(record, result)
        except openai.OpenAIError as exc:
            if not is_transient(exc):
                raise JobWatchError(explain(exc, f"follow job {record.name}", profile=self.profile)) from exc
            result.problem = explain(exc, f"get news of job {record.name}", profile=self.profile) + " Still watching."
        result.job = self.job
        result.progress = self.progress()
        result.estimated_finish = self._estimate(result.job)
        result.actual_cost = actual_cost(result.job.base_model, result.job.trained_tokens)
        return result

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.retry.call(fn, *args, **kwargs)

    def _poll(self, record: JobRecord, result: PollResult) -> None:
        jobs = self.client.fine_tuning.jobs
        job = self._call(jobs.retrieve, record.provider_job_id)
        record = self.ledger.update_job(record.id, **job_fields(job))
        result.new_events = self._fetch_events(record)
        for event in result.new_events:
            point = point_from_event({"type": event.type, "data": event.data, "created_at": event.created_at})
            if point is not None:
                result.new_metrics.append(point)
        if result.new_metrics:
            self.ledger.put_metrics(record.id, result.new_metrics, "event")
            self._total_steps = total_steps_from_events({"data": e.data} for e in result.new_events) \
                or self._total_steps
        if result.new_events or record.status != result.previous_status:
            page = self._call(jobs.checkpoints.list, record.provider_job_id, limit=CHECKPOINT_PAGE)
            result.new_checkpoints = self.ledger.put_checkpoints(record.id, [_as_dict(c) for c in page.data])
        if _results_pending(record):
            self._import_results(record, result)

    def _fetch_events(self, record: JobRecord) -> list[JobEventRecord]:
        known = self.ledger.known_event_ids(record.id)
        fresh: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            kwargs: dict[str, Any] = {"limit": EVENT_PAGE}
            if after:
                kwargs["after"] = after
            page = self._call(self.client.fine_tuning.jobs.list_events, record.provider_job_id, **kwargs)
            reached_known = False
            for event in page.data:  # newest first
                if event.id in known:
                    reached_known = True
                    break
                fresh.append(_as_dict(event))
            if reached_known or not page.has_more or not page.data:
                break
            after = page.data[-1].id
        fresh.reverse()
        return self.ledger.add_events(record.id, fresh)

    def _import_results(self, record: JobRecord, result: PollResult) -> None:
        file_id = record.result_files[0]
        try:
            content = self._call(self.client.files.content, file_id).content
            points = parse_result_csv(content)
        except MetricsFormatError as exc:
            self.ledger.update_job(record.id, results_imported=True)
            result.problem = f"Could not read the metrics of result file {file_id}: {exc} Metrics from the events are kept."
            return
        except openai.OpenAIError as exc:
            if is_transient(exc):
                raise
            self.ledger.update_job(record.id, results_imported=True)
            result.problem = explain(exc, f"download the result file {file_id}", profile=self.profile) + " Metrics from the events are kept."
            return
        self.ledger.put_metrics(record.id, points, "result_file")
        self.ledger.update_job(record.id, results_imported=True)
        result.results_imported = True

    def _resolve_submission(self, record: JobRecord, result: PollResult) -> PollResult:
        """A job whose create reply was never seen: adopt it by its tag, or record that it does not exist."""
        if record.status != SUBMITTING:
            return result
        try:
            job = find_by_tag(self.client, record.submission_tag, self.retry)
        except openai.OpenAIError as exc:
            if not is_transient(exc):
                raise JobWatchError(explain(exc, f"look for {record.name}", profile=self.profile)) from exc
            result.problem = explain(exc, f"look for {record.name}", profile=self.profile) + " Will look again."
            return result
        if job is None:
            message = (record.last_error or "The create request never reached the service.") + \
                " The service has no such job, so it was not created."
            result.job = self.ledger.update_job(record.id, status=NOT_CREATED, last_error=message)
        else:
            result.job = self.ledger.update_job(record.id, **job_fields(job), last_error=None)
        return result

    # --- progress -------------------------------------------------------------------------------------

    def progress(self) -> tuple[int, int] | None:
        """(latest step, total steps) once training reports steps."""
        points = self.ledger.metrics(self.job_id, "event")
        if not points or not self._total_steps:
            return None
        return points[-1].step, self._total_steps

    def _estimate(self, record: JobRecord) -> float | None:
        if record.terminal:
            return None
        timed = [(p.step, float(p.at)) for p in self.ledger.metrics(self.job_id, "event") if p.at is not None]
        ours = estimate_finish(timed, self._total_steps, started_at=self._training_start(record, timed))
        if ours is not None:
            if int(ours) != record.estimated_finish:
                self.ledger.update_job(record.id, estimated_finish=int(ours))
            return ours
        return float(record.estimated_finish) if record.estimated_finish else None

    def _training_start(self, record: JobRecord, timed: list[tuple[int, float]]) -> float:
        """When training began: the last event before the first metrics (e.g. "job started")."""
        if len(timed) != 1:
            return float(record.created_at)
        first = min(t for _, t in timed)
        before = [e.created_at for e in self.ledger.events(self.job_id) if e.type != "metrics" and e.created_at < first]
        return float(max(before)) if before else float(record.created_at)

    # --- control -------------------------------------------------------------------------------------

    def _control(self, action: Callable[..., Any], doing: str, **extra: Any) -> JobRecord:
        record = self.job
        if record.provider_job_id is None:
            raise JobWatchError(f"Could not {doing}: the service has not confirmed it yet.")
        try:
            job = action(self.client, record.provider_job_id, self.retry)
        except openai.OpenAIError as exc:
            raise JobWatchError(explain(exc, f"{doing} {record.name}", profile=self.profile)) from exc
        return self.ledger.update_job(record.id, **{**job_fields(job), **extra})

    def cancel(self) -> JobRecord:
        return self._control(cancel_job, "cancel")

    def pause(self) -> JobRecord:
        return self._control(pause_job, "pause", paused=True)

    def resume(self) -> JobRecord:
        return self._control(resume_job, "resume", paused=False)


def watch_until_done(watcher: JobWatcher, *, sleep: Callable[[float], None] = time.sleep,
                     schedule: PollSchedule | None = None,
                     on_poll: Callable[[PollResult], None] | None = None,
                     should_stop: Callable[[], bool] = lambda: False) -> JobRecord:
    """Polls until the job is finished (or ``should_stop``), backing off while nothing changes."""
    schedule = schedule or PollSchedule()
    while True:
        result = watcher.poll_once()
        if on_poll is not None:
            on_poll(result)
        if result.finished or should_stop():
            return result.job
        sleep(schedule.next_delay(result.changed))


def reattach(ledger: Ledger, client_for: Callable[[JobRecord], openai.OpenAI], *,
             retry: RetryPolicy | None = None) -> list[JobWatcher]:
    """Watchers for every job still running (or submitting) in the ledger; [] when none run."""
    return [JobWatcher(client_for(record), ledger, record.id, retry=retry) for record in ledger.running_jobs()]
