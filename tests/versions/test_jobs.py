"""Jobs and the dataset version they trained on: the ledger link, the version made at submission,
the stand-in OpenAI server end to end, and workspaces from before versions existed."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime

import pytest

from tests.versions.conftest import chat
from workbench.core.store import Workspace
from workbench.core.store.ledger import Ledger
from workbench.core.store.schema import MIGRATIONS
from workbench.core.store.workspace import NewExample
from workbench.core.versions import (
    AUTO_NOTE,
    VersionError,
    consistent_read,
    create_version,
    current_digest,
    delete_version,
    get_version,
    list_versions,
    rename_version,
    version_for_export,
)

NOON = datetime(2026, 11, 22, 14, 5)


# --- the version a job trains on ----------------------------------------------------------------------


def test_unchanged_examples_reuse_the_newest_equal_version(ws):
    named = create_version(ws, "Release 1")
    assert version_for_export(ws, now=NOON) == named
    assert len(list_versions(ws)) == 1


def test_changed_examples_get_an_automatic_version(ws):
    create_version(ws, "Release 1")
    ws.set_split([2], "validation")
    made = version_for_export(ws, now=NOON)
    assert (made.name, made.note, made.examples) == ("Job 2026-11-22 14:05", AUTO_NOTE, 10)
    assert made.digest == current_digest(ws)
    ws.set_split([3], "validation")
    assert version_for_export(ws, now=NOON).name == "Job 2026-11-22 14:05 (2)"  # same minute, other data
    ws.set_split([4], "validation")
    assert version_for_export(ws, "For the March model").name == "For the March model"


def test_undone_edits_bring_back_an_older_equal_version(ws):
    first = create_version(ws, "first")
    ws.update_example(1, chat(1, "Edited."))
    create_version(ws, "second")
    ws.undo()
    assert version_for_export(ws) == first


def test_no_version_is_made_when_the_examples_changed_since_the_export(ws):
    exported = current_digest(ws)
    ws.delete_examples([4])  # someone edits after the files were written
    with pytest.raises(VersionError, match="changed while the job was being prepared"):
        version_for_export(ws, expect_digest=exported)
    assert list_versions(ws) == []


def test_a_consistent_read_does_not_see_another_connections_edits(ws):
    with consistent_read(ws):
        before = current_digest(ws)
        with Workspace.open(ws.path) as other:
            other.delete_examples([1])
        assert current_digest(ws) == before
    assert current_digest(ws) != before


# --- the ledger link ------------------------------------------------------------------------------------


def test_a_job_records_its_version_and_shows_its_name(ws):
    ledger = Ledger(ws)
    version = create_version(ws, "Release 1")
    plain = ledger.new_job(base_model="gpt-4.1-mini", submission_tag="wb-1")
    assert (plain.version_id, plain.version_name) == (None, None)
    linked = ledger.new_job(base_model="gpt-4.1-mini", submission_tag="wb-2", version_id=version.id)
    with ledger.jobs_trained_on(version.id):  # how submission links the job providers.jobs records itself
        inside = ledger.new_job(base_model="gpt-4.1-mini", submission_tag="wb-3")
    after = ledger.new_job(base_model="gpt-4.1-mini", submission_tag="wb-4")
    assert (linked.version_name, inside.version_id, after.version_id) == ("Release 1", version.id, None)
    rename_version(ws, version.id, "Release 1 (final)")
    assert {j.version_name for j in ledger.jobs() if j.version_id} == {"Release 1 (final)"}
    assert ledger.find(submission_tag="wb-3").version_name == "Release 1 (final)"
    assert get_version(ws, version.id).jobs == ("local job 2", "local job 3")  # oldest first
    ledger.update_job(inside.id, provider_job_id="ftjob-abc")
    assert "ftjob-abc" in get_version(ws, version.id).jobs


def test_a_version_a_job_trained_on_cannot_be_deleted(ws):
    version = create_version(ws, "Release 1")
    Ledger(ws).new_job(base_model="gpt-4.1-mini", submission_tag="wb-1", provider_job_id="ftjob-1",
                       version_id=version.id)
    with pytest.raises(VersionError, match="cannot be deleted: 1 job trained on it \\(ftjob-1\\)"):
        delete_version(ws, version.id)
    assert get_version(ws, version.id).examples == 10


def test_a_v2_workspace_keeps_its_jobs_without_a_version(tmp_path):
    path = tmp_path / "old.ftw"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for migrate in MIGRATIONS[:2]:
        migrate(db)
    db.execute("PRAGMA user_version = 2")
    db.execute("COMMIT")
    with contextlib.closing(db):
        db.execute("INSERT INTO examples (position, data, kind, content_hash) VALUES (1, '{\"messages\": []}', "
                   "'chat', 'h1')")
        db.execute("INSERT INTO jobs (base_model, submission_tag, provider_job_id, status, created_at) "
                   "VALUES ('gpt-4o-mini', 'wb-old', 'ftjob-old', 'succeeded', 1700000000)")
    with Workspace.open(path) as ws:
        (job,) = Ledger(ws).jobs()
        assert (job.provider_job_id, job.version_id, job.version_name) == ("ftjob-old", None, None)
        assert list_versions(ws) == []
        version = create_version(ws, "first")
        assert version.examples == 1 and get_version(ws, "first").jobs == ()


# --- submission through the stand-in ---------------------------------------------------------------------


@pytest.fixture
def stand_in_profile(openai_standin, tmp_path, monkeypatch):
    """A provider profile for the stand-in; its key from OPENAI_API_KEY (no keyring here)."""
    import keyring
    from keyring.backends import fail

    from workbench.core.profiles import Profile, ProfileStore

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("OPENAI_API_KEY", openai_standin.api_key)
    ProfileStore().add(Profile.compatible("Stand-in", openai_standin.base_url))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield "Stand-in"
    keyring.set_keyring(previous)


@pytest.fixture
def big_enough(ws):
    """The workspace with enough examples to train on: 12 train, 2 validation."""
    ws.add_examples([NewExample(chat(i)) for i in range(10, 14)], "More")
    return ws


def _submit(ws, profile):
    from workbench.providers.submission import prepare, submit

    prepared = prepare(ws, "gpt-4o-mini", None)
    record = submit(prepared, Ledger(ws), profile, method="supervised", hyperparameters={"n_epochs": 1},
                    suffix=None, seed=None)
    return prepared, record


def test_a_submitted_job_is_linked_to_the_version_its_files_came_from(big_enough, stand_in_profile, openai_standin):
    ws = big_enough
    prepared, record = _submit(ws, stand_in_profile)
    (version,) = list_versions(ws)
    assert version.name.startswith("Job ") and version.note == AUTO_NOTE
    assert (prepared.version_id, prepared.version_name) == (version.id, version.name)
    assert (record.version_id, record.version_name) == (version.id, version.name)
    assert get_version(ws, version.id).jobs == (openai_standin.jobs[0].id,)
    # What was uploaded is exactly the version's train split.
    uploaded = openai_standin.state.files[openai_standin.jobs[0].training_file].content.decode()
    assert uploaded.count("\n") == sum(1 for r in ws.iter_records("train"))
    train_rows = ws.connection.execute(
        "SELECT count(*) FROM version_examples WHERE version_id = ? AND split = 'train'", (version.id,)).fetchone()[0]
    assert train_rows == 12

    _, again = _submit(ws, stand_in_profile)  # the same data: the same version
    assert again.version_id == version.id and len(list_versions(ws)) == 1
    ws.add_examples([NewExample(chat(50))], "Add")
    _, third = _submit(ws, stand_in_profile)
    assert third.version_id != version.id and len(list_versions(ws)) == 2


def test_jobs_list_shows_the_data_version(big_enough, stand_in_profile, monkeypatch, capsys):
    ws = big_enough
    from workbench import cli_jobs
    from workbench.cli import main

    _, record = _submit(ws, stand_in_profile)
    monkeypatch.setenv(cli_jobs.WORKSPACE_ENV, str(ws.path))
    assert main(["jobs", "list"]) == 0
    out = capsys.readouterr().out
    assert "DATA VERSION" in out and record.version_name in out
    assert main(["jobs", "list", "--json"]) == 0
    assert f'"version": "{record.version_name}"' in capsys.readouterr().out


def test_an_export_the_examples_changed_under_is_refused(big_enough, stand_in_profile, monkeypatch):
    """Someone edits while the files are written: the files and the version would differ."""
    from workbench.providers import submission

    real_export = submission.export_splits

    def export_then_someone_edits(*args, **kwargs):
        written = real_export(*args, **kwargs)
        with Workspace.open(big_enough.path) as other:
            other.update_example(2, chat(2, "Edited meanwhile."))
        return written

    monkeypatch.setattr(submission, "export_splits", export_then_someone_edits)
    with pytest.raises(ValueError, match="submit it again"):
        submission.prepare(big_enough, "gpt-4o-mini", None)
    assert list_versions(big_enough) == []
