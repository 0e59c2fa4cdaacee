"""The jobs ledger: schema v2 migration, jobs, events, metrics, checkpoints, persistence."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from tests.jobs.helpers import chat
from workbench.core.metrics import MetricPoint
from workbench.core.store import Workspace
from workbench.core.store.ledger import NOT_CREATED, Ledger
from workbench.core.store.schema import LATEST, MIGRATIONS, _v1
from workbench.core.store.workspace import NewExample


def _v1_workspace(path):
    """A workspace file exactly as version 1 wrote it, with examples, tags, an edit and a setting."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    _v1(db)
    db.execute("PRAGMA user_version = 1")
    db.execute("COMMIT")
    db.close()
    # Fill it through the v1 tables only (the Workspace class would migrate it first).
    with contextlib.closing(sqlite3.connect(path)) as db:
        for i in range(3):
            db.execute("INSERT INTO examples (position, data, kind, split, content_hash) VALUES (?, ?, 'chat', ?, ?)",
                       (i + 1, f'{{"messages": [{{"role": "user", "content": "q{i}"}}]}}',
                        "validation" if i == 2 else "train", f"h{i}"))
        db.execute("INSERT INTO tags (example_id, tag) VALUES (1, 'billing')")
        db.execute("INSERT INTO edits (grp, label, op, example_id) VALUES (1, 'Import', 'insert', 1)")
        db.execute("INSERT INTO meta (key, value) VALUES ('system_prompt', 'Be kind.')")
        db.commit()


def test_v1_migration_is_the_first_and_unchanged():
    assert len(MIGRATIONS) == LATEST and MIGRATIONS[0] is _v1


def test_a_v1_workspace_upgrades_to_the_latest_with_its_data_intact(tmp_path):
    path = tmp_path / "old.ftw"
    _v1_workspace(path)
    with contextlib.closing(sqlite3.connect(path)) as db:
        before = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("examples", "tags", "edits", "meta")}
    with Workspace.open(path) as ws:
        assert ws.schema_version == LATEST
        assert ws.count() == 3 and ws.count("validation") == 1
        assert ws.get(1).tags == ["billing"] and ws.get_meta("system_prompt") == "Be kind."
        assert ws.undo_label() == "Import"
        ledger = Ledger(ws)
        assert ledger.jobs() == [] and ledger.running_jobs() == []
        ledger.new_job(base_model="gpt-4o-mini", submission_tag="wb-1")
    with contextlib.closing(sqlite3.connect(path)) as db:
        after = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("examples", "tags", "edits", "meta")}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert after == before
    assert {"jobs", "job_events", "job_metrics", "job_checkpoints"} <= tables
    with Workspace.open(path) as ws:  # opening again migrates nothing twice
        assert ws.schema_version == LATEST and len(Ledger(ws).jobs()) == 1


def test_a_failed_migration_leaves_the_v1_file_as_it_was(tmp_path, monkeypatch):
    from workbench.core.store import schema

    path = tmp_path / "old.ftw"
    _v1_workspace(path)

    def broken(db):
        db.execute("CREATE TABLE jobs (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "MIGRATIONS", [_v1, broken])
    monkeypatch.setattr("workbench.core.store.workspace.MIGRATIONS", [_v1, broken])
    with pytest.raises(RuntimeError):
        Workspace.open(path)
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'jobs'").fetchone() is None
        assert db.execute("SELECT count(*) FROM examples").fetchone()[0] == 3


def test_jobs_are_recorded_updated_and_found(ledger):
    job = ledger.new_job(base_model="gpt-4o-mini", submission_tag="wb-a", hyperparameters={"n_epochs": 3},
                         suffix="acme", seed=7, training_file="file-1", snapshot="sha256:x", profile="OpenAI",
                         estimated_cost=1.25, created_at=1000)
    assert job.status == "submitting" and job.provider_job_id is None and job.name == f"local job {job.id}"
    assert job.hyperparameters == {"n_epochs": 3} and not job.paused and job.result_files == []
    job = ledger.update_job(job.id, provider_job_id="ftjob-1", status="running", result_files=["file-r"], paused=True)
    assert job.name == "ftjob-1" and job.paused and job.result_files == ["file-r"]
    assert ledger.find(provider_job_id="ftjob-1").id == job.id
    assert ledger.find(submission_tag="wb-a").id == job.id
    assert ledger.find(provider_job_id="ftjob-none") is None
    with pytest.raises(ValueError):
        ledger.update_job(job.id, submission_tag="other")
    with pytest.raises(ValueError):
        ledger.new_job(base_model="m", submission_tag="wb-b", method="reinforcement")
    with pytest.raises(KeyError):
        ledger.update_job(999, status="running")
    with pytest.raises(sqlite3.IntegrityError):
        ledger.new_job(base_model="m", submission_tag="wb-a")


def test_running_jobs_are_the_unfinished_ones(ledger):
    ids = {}
    for n, status in enumerate(("submitting", "queued", "running", "succeeded", "failed", "cancelled", NOT_CREATED)):
        ids[status] = ledger.new_job(base_model="m", submission_tag=f"wb-{n}", status=status, created_at=n).id
    assert [j.id for j in ledger.running_jobs()] == [ids["submitting"], ids["queued"], ids["running"]]
    assert [j.created_at for j in ledger.jobs()] == [6, 5, 4, 3, 2, 1, 0]
    assert len(ledger.jobs(limit=2)) == 2


def _event(n, **kw):
    return {"id": f"ev-{n}", "created_at": 100 + n, "level": "info", "message": f"event {n}", "type": "message",
            "data": {}, **kw}


def test_events_are_stored_once_in_order(ledger):
    job = ledger.new_job(base_model="m", submission_tag="wb")
    other = ledger.new_job(base_model="m", submission_tag="wb2")
    added = ledger.add_events(job.id, [_event(1), _event(2, level="warn", type="metrics", data={"step": 1})])
    assert [e.provider_event_id for e in added] == ["ev-1", "ev-2"]
    again = ledger.add_events(job.id, [_event(2), _event(3)])
    assert [e.provider_event_id for e in again] == ["ev-3"]
    assert [e.message for e in ledger.events(job.id)] == ["event 1", "event 2", "event 3"]
    assert ledger.events(job.id)[1].data == {"step": 1} and ledger.events(job.id)[1].level == "warn"
    assert ledger.known_event_ids(job.id) == {"ev-1", "ev-2", "ev-3"}
    assert [e.provider_event_id for e in ledger.add_events(other.id, [_event(1)])] == ["ev-1"]  # per job


def test_metrics_upsert_without_erasing_and_prefer_the_result_file(ledger):
    job = ledger.new_job(base_model="m", submission_tag="wb")
    ledger.put_metrics(job.id, [MetricPoint(1, train_loss=2.0, at=10), MetricPoint(2, train_loss=1.5, valid_loss=1.8)],
                       "event")
    ledger.put_metrics(job.id, [MetricPoint(2, train_accuracy=0.5)], "event")
    assert ledger.metrics(job.id) == [MetricPoint(1, train_loss=2.0, at=10),
                                      MetricPoint(2, train_loss=1.5, train_accuracy=0.5, valid_loss=1.8)]
    ledger.put_metrics(job.id, [MetricPoint(1, train_loss=1.9)], "result_file")
    assert ledger.metrics(job.id) == [MetricPoint(1, train_loss=1.9)]
    assert len(ledger.metrics(job.id, "event")) == 2
    with pytest.raises(ValueError):
        ledger.put_metrics(job.id, [], "guess")


def test_checkpoints_are_stored_once(ledger):
    job = ledger.new_job(base_model="m", submission_tag="wb")
    cps = [{"id": f"ck-{s}", "step_number": s, "fine_tuned_model_checkpoint": f"ft:m:o::x:ckpt-step-{s}",
            "created_at": 5, "metrics": {"train_loss": 0.5, "valid_loss": None}} for s in (3, 2)]
    assert [c.step for c in ledger.put_checkpoints(job.id, cps)] == [2, 3]
    assert ledger.put_checkpoints(job.id, cps[:1]) == []
    assert [c.model for c in ledger.checkpoints(job.id)] == ["ft:m:o::x:ckpt-step-2", "ft:m:o::x:ckpt-step-3"]
    assert ledger.checkpoints(job.id)[0].metrics == {"train_loss": 0.5}


def test_history_survives_reopening_and_is_not_part_of_undo(workspace_path):
    with Workspace.open(workspace_path) as ws:
        ledger = Ledger(ws)
        ws.add_examples([NewExample(chat(1))])
        job = ledger.new_job(base_model="m", submission_tag="wb", provider_job_id="ftjob-1", status="running")
        ledger.add_events(job.id, [_event(1)])
        ledger.put_metrics(job.id, [MetricPoint(1, train_loss=1.0)], "event")
        assert ws.undo() == "Add examples"  # undoing examples leaves jobs alone
        assert ws.undo() is None
    with Workspace.open(workspace_path) as ws:
        ledger = Ledger(ws)
        assert [j.provider_job_id for j in ledger.running_jobs()] == ["ftjob-1"]
        assert [e.message for e in ledger.events(job.id)] == ["event 1"]
        assert ledger.metrics(job.id) == [MetricPoint(1, train_loss=1.0)]


def test_ledger_writes_join_an_open_batch(ledger):
    ws = ledger.workspace
    with pytest.raises(RuntimeError), ws.batch("Import"):
        ws.add_examples([NewExample(chat(1))])
        ledger.new_job(base_model="m", submission_tag="wb")
        raise RuntimeError
    assert ledger.jobs() == [] and ws.count() == 0
