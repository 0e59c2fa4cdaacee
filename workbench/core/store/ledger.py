"""The jobs ledger: fine-tuning jobs, their events, metrics and checkpoints, in the workspace file.

Jobs are recorded *before* the create request goes out (status ``submitting``, with the submission
tag that is also put in the job's metadata), so a reply lost to a crash or a dropped connection
can be found again. Provider objects are copied in as they are seen: the history survives app
restarts and outlives the provider's own retention. Jobs are not part of the examples' undo history.

Like its Workspace, a Ledger belongs to the thread that opened the workspace.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.metrics import COLUMNS, MetricPoint
from workbench.core.store.workspace import Workspace

PROVIDER_TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
NOT_CREATED = "not_created"  # the provider refused the job, or it never reached the provider
SUBMITTING = "submitting"
TERMINAL = PROVIDER_TERMINAL | {NOT_CREATED}
METHODS = ("supervised", "dpo")
SOURCES = ("event", "result_file")

_JOB_COLUMNS = (
    "id", "profile", "base_url", "provider_job_id", "base_model", "method", "hyperparameters", "suffix",
    "seed", "training_file", "validation_file", "snapshot", "submission_tag", "status", "paused",
    "fine_tuned_model", "trained_tokens", "estimated_cost", "estimated_finish", "result_files",
    "results_imported", "last_error", "error_code", "error_line", "created_at", "finished_at", "version_id",
)
# The columns, then the name of the dataset version the job trained on (versions.name; read-only here).
_SELECT_JOBS = (f"SELECT {', '.join(_JOB_COLUMNS)}, "
                "(SELECT name FROM versions WHERE versions.id = jobs.version_id) FROM jobs")
_UPDATABLE = frozenset(_JOB_COLUMNS) - {"id", "submission_tag"}
_JSON_COLUMNS = frozenset({"hyperparameters", "result_files"})
_BOOL_COLUMNS = frozenset({"paused", "results_imported"})
_METRIC_NAMES = tuple(COLUMNS)


@dataclass
class JobRecord:
    id: int
    profile: str | None
    base_url: str | None
    provider_job_id: str | None
    base_model: str
    method: str
    hyperparameters: dict[str, Any]
    suffix: str | None
    seed: int | None
    training_file: str | None
    validation_file: str | None
    snapshot: str | None
    submission_tag: str
    status: str
    paused: bool
    fine_tuned_model: str | None
    trained_tokens: int | None
    estimated_cost: float | None
    estimated_finish: int | None
    result_files: list[str] = field(default_factory=list)
    results_imported: bool = False
    last_error: str | None = None
    error_code: str | None = None
    error_line: int | None = None
    created_at: int = 0
    finished_at: int | None = None
    version_id: int | None = None  # the dataset version (core.versions) it trained on; None: not from a workspace
    version_name: str | None = None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def name(self) -> str:
        """What people call the job: the provider's id, or a local name until it has one."""
        return self.provider_job_id or f"local job {self.id}"


@dataclass(frozen=True)
class JobEventRecord:
    provider_event_id: str
    created_at: int
    level: str
    message: str
    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class CheckpointRecord:
    provider_checkpoint_id: str
    step: int
    model: str
    created_at: int
    metrics: dict[str, Any]


def _to_db(column: str, value: Any) -> Any:
    if column in _JSON_COLUMNS:
        return json.dumps(value if value is not None else ({} if column == "hyperparameters" else []),
                          ensure_ascii=False)
    if column in _BOOL_COLUMNS:
        return 1 if value else 0
    return value


def _job(row: Sequence[Any]) -> JobRecord:
    values = dict(zip((*_JOB_COLUMNS, "version_name"), row, strict=True))
    for column in _JSON_COLUMNS:
        values[column] = json.loads(values[column]) if values[column] else ({} if column == "hyperparameters" else [])
    for column in _BOOL_COLUMNS:
        values[column] = bool(values[column])
    return JobRecord(**values)


class Ledger:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._db = workspace.connection
        self._version_id: int | None = None

    @contextlib.contextmanager
    def jobs_trained_on(self, version_id: int | None) -> Iterator[None]:
        """Jobs recorded inside the block trained on this dataset version: ``providers.jobs.submit_job``
        records the job itself, before the create request, and the link must be there from that moment."""
        previous, self._version_id = self._version_id, version_id
        try:
            yield
        finally:
            self._version_id = previous

    # --- jobs -------------------------------------------------------------------------------------

    def new_job(self, *, base_model: str, submission_tag: str, method: str = "supervised",
                hyperparameters: Mapping[str, Any] | None = None, suffix: str | None = None,
                seed: int | None = None, training_file: str | None = None, validation_file: str | None = None,
                snapshot: str | None = None, profile: str | None = None, base_url: str | None = None,
                estimated_cost: float | None = None, provider_job_id: str | None = None,
                status: str = SUBMITTING, created_at: int | None = None, version_id: int | None = None) -> JobRecord:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {method!r}")
        with self.workspace.transaction():
            cur = self._db.execute(
                "INSERT INTO jobs (profile, base_url, provider_job_id, base_model, method, hyperparameters, suffix,"
                " seed, training_file, validation_file, snapshot, submission_tag, status, estimated_cost, created_at,"
                " version_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (profile, base_url, provider_job_id, base_model, method,
                 _to_db("hyperparameters", dict(hyperparameters or {})), suffix, seed, training_file,
                 validation_file, snapshot, submission_tag, status, estimated_cost,
                 int(created_at if created_at is not None else time.time()),
                 version_id if version_id is not None else self._version_id),
            )
        return self.job(cur.lastrowid)

    def update_job(self, job_id: int, **changes: Any) -> JobRecord:
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        if changes:
            columns = sorted(changes)
            assignments = ", ".join(f"{c} = ?" for c in columns)
            with self.workspace.transaction():
                cur = self._db.execute(
                    f"UPDATE jobs SET {assignments}, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                    [_to_db(c, changes[c]) for c in columns] + [job_id],
                )
            if cur.rowcount == 0:
                raise KeyError(job_id)
        return self.job(job_id)

    def job(self, job_id: int) -> JobRecord:
        row = self._db.execute(f"{_SELECT_JOBS} WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(job_id)
        return _job(row)

    def find(self, *, provider_job_id: str | None = None, submission_tag: str | None = None) -> JobRecord | None:
        if (provider_job_id is None) == (submission_tag is None):
            raise ValueError("give provider_job_id or submission_tag")
        column, value = ("provider_job_id", provider_job_id) if provider_job_id else ("submission_tag", submission_tag)
        row = self._db.execute(
            f"{_SELECT_JOBS} WHERE {column} = ? ORDER BY id DESC LIMIT 1", (value,)
        ).fetchone()
        return _job(row) if row else None

    def jobs(self, limit: int | None = None) -> list[JobRecord]:
        """Every job, newest first."""
        sql = f"{_SELECT_JOBS} ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_job(r) for r in self._db.execute(sql)]

    def running_jobs(self) -> list[JobRecord]:
        """Jobs to re-attach to on start (submitted or submitting, not finished), oldest first."""
        marks = ",".join("?" * len(TERMINAL))
        return [_job(r) for r in self._db.execute(
            f"{_SELECT_JOBS} WHERE status NOT IN ({marks}) ORDER BY created_at, id",
            sorted(TERMINAL))]

    # --- events -----------------------------------------------------------------------------------

    def add_events(self, job_id: int, events: Iterable[Mapping[str, Any]]) -> list[JobEventRecord]:
        """Stores provider events (dicts in the API's shape); returns the ones not seen before, oldest first."""
        added: list[JobEventRecord] = []
        ordered = sorted(events, key=lambda e: (int(e.get("created_at") or 0)))
        with self.workspace.transaction():
            for event in ordered:
                record = JobEventRecord(
                    provider_event_id=str(event["id"]), created_at=int(event.get("created_at") or 0),
                    level=str(event.get("level") or "info"), message=str(event.get("message") or ""),
                    type=str(event.get("type") or "message"),
                    data=dict(event["data"]) if isinstance(event.get("data"), Mapping) else {},
                )
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO job_events (job_id, provider_event_id, created_at, level, message, type, data)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (job_id, record.provider_event_id, record.created_at, record.level, record.message, record.type,
                     json.dumps(record.data, ensure_ascii=False)),
                )
                if cur.rowcount:
                    added.append(record)
        return added

    def events(self, job_id: int) -> list[JobEventRecord]:
        return [
            JobEventRecord(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]) if r[5] else {})
            for r in self._db.execute(
                "SELECT provider_event_id, created_at, level, message, type, data FROM job_events"
                " WHERE job_id = ? ORDER BY created_at, id", (job_id,))
        ]

    def known_event_ids(self, job_id: int) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT provider_event_id FROM job_events WHERE job_id = ?", (job_id,))}

    # --- metrics ----------------------------------------------------------------------------------

    def put_metrics(self, job_id: int, points: Iterable[MetricPoint], source: str) -> int:
        """Upserts points by (job, source, step); a blank value never erases a known one."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        names = ", ".join(_METRIC_NAMES)
        keep = ", ".join(f"{n} = coalesce(excluded.{n}, {n})" for n in _METRIC_NAMES)
        count = 0
        with self.workspace.transaction():
            for p in points:
                self._db.execute(
                    f"INSERT INTO job_metrics (job_id, source, step, {names}, at)"
                    f" VALUES (?, ?, ?, {', '.join('?' * len(_METRIC_NAMES))}, ?)"
                    f" ON CONFLICT (job_id, source, step) DO UPDATE SET {keep}, at = coalesce(excluded.at, at)",
                    (job_id, source, p.step, *(getattr(p, n) for n in _METRIC_NAMES), p.at),
                )
                count += 1
        return count

    def metrics(self, job_id: int, source: str | None = None) -> list[MetricPoint]:
        """Points by step. Without ``source``: the result file's once imported, else the events'."""
        if source is None:
            has_file = self._db.execute(
                "SELECT 1 FROM job_metrics WHERE job_id = ? AND source = 'result_file' LIMIT 1", (job_id,)).fetchone()
            source = "result_file" if has_file else "event"
        rows = self._db.execute(
            f"SELECT step, {', '.join(_METRIC_NAMES)}, at FROM job_metrics WHERE job_id = ? AND source = ? ORDER BY step",
            (job_id, source))
        return [MetricPoint(r[0], *r[1:-1], at=r[-1]) for r in rows]

    # --- checkpoints ------------------------------------------------------------------------------

    def put_checkpoints(self, job_id: int, checkpoints: Iterable[Mapping[str, Any]]) -> list[CheckpointRecord]:
        """Stores provider checkpoints (API-shaped dicts); returns the new ones by step."""
        added: list[CheckpointRecord] = []
        with self.workspace.transaction():
            for c in checkpoints:
                record = CheckpointRecord(
                    provider_checkpoint_id=str(c["id"]), step=int(c.get("step_number") or 0),
                    model=str(c.get("fine_tuned_model_checkpoint") or ""), created_at=int(c.get("created_at") or 0),
                    metrics={k: v for k, v in dict(c.get("metrics") or {}).items() if v is not None},
                )
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO job_checkpoints (job_id, provider_checkpoint_id, step, model, created_at, metrics)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (job_id, record.provider_checkpoint_id, record.step, record.model, record.created_at,
                     json.dumps(record.metrics, ensure_ascii=False)),
                )
                if cur.rowcount:
                    added.append(record)
        return sorted(added, key=lambda c: c.step)

    def checkpoints(self, job_id: int) -> list[CheckpointRecord]:
        return [
            CheckpointRecord(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else {})
            for r in self._db.execute(
                "SELECT provider_checkpoint_id, step, model, created_at, metrics FROM job_checkpoints"
                " WHERE job_id = ? ORDER BY step", (job_id,))
        ]
