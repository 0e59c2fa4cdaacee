"""`workbench jobs ...` end to end against the stand-in via --base-url (key from OPENAI_API_KEY)."""

from __future__ import annotations

import argparse
import json

import pytest

from tests.jobs.helpers import chat_file, dpo_file, write_jsonl
from tests.openai_standin import Scenario
from workbench import cli_jobs
from workbench.core.store import Workspace
from workbench.core.store.ledger import Ledger


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="workbench")
    sub = parser.add_subparsers(dest="command")
    cli_jobs.add_jobs_parser(sub)
    return cli_jobs.run_jobs_command(parser.parse_args(["jobs", *argv]))


@pytest.fixture
def env(openai_standin, monkeypatch, tmp_path, sleeps):
    monkeypatch.setenv("OPENAI_API_KEY", openai_standin.api_key)
    monkeypatch.setenv(cli_jobs.WORKSPACE_ENV, str(tmp_path / "cli.ftw"))
    monkeypatch.setattr(cli_jobs, "_sleep", sleeps)
    return openai_standin


def _ledger_jobs(tmp_path):
    with Workspace.open(tmp_path / "cli.ftw") as ws:
        return Ledger(ws).jobs()


def test_submit_list_watch_to_success(env, tmp_path, capsys, sleeps):
    train = chat_file(tmp_path / "train.jsonl", 12)
    valid = chat_file(tmp_path / "valid.jsonl", 3, start=100)
    code = run("submit", str(train), "--model", "gpt-4o-mini", "--validation-file", str(valid), "--epochs", "2",
               "--suffix", "acme", "--base-url", env.base_url)
    out = capsys.readouterr().out
    assert code == 0, out
    (job,) = env.jobs
    assert "12 examples, no errors" in out and "Estimate for gpt-4o-mini-2024-07-18" in out and "2 epochs" in out
    assert f"Submitted {job.id}" in out and f"workbench jobs watch {job.id}" in out
    assert job.suffix == "acme" and job.validation_file and job.hyperparameters["n_epochs"] == 2
    assert env.state.files[job.training_file].content == train.read_bytes()
    (record,) = _ledger_jobs(tmp_path)
    assert record.provider_job_id == job.id and record.estimated_cost > 0 and record.snapshot.startswith("sha256:")
    assert job.metadata["dataset_snapshot"] == record.snapshot

    assert run("list") == 0
    listing = capsys.readouterr().out
    assert job.id in listing and "validating_files" in listing

    env.tick_on_retrieve = True  # each status check moves the job on
    assert run("watch", job.id, "--base-url", env.base_url) == 0
    out = capsys.readouterr().out
    assert "Fine-tuning job started" in out and "Step 4/4" in out
    assert f"Succeeded: {job.fine_tuned_model}" in out
    assert f"Trained tokens: {job.trained_tokens:,}" in out and "(estimated $" in out
    assert "ckpt-step-4" in out
    assert all(s <= 60 for s in sleeps.calls) and sleeps.calls

    assert run("list", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["status"] == "succeeded" and row["fine_tuned_model"] == job.fine_tuned_model
    assert row["cost_usd"] > 0 and row["trained_tokens"] == job.trained_tokens


def test_watch_uses_the_jobs_own_base_url_and_reports_failure(env, tmp_path, capsys):
    env.set_scenario(Scenario.FILE_ERROR)
    train = chat_file(tmp_path / "train.jsonl", 12)
    assert run("submit", str(train), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 0
    env.run_to_end()
    capsys.readouterr()
    assert run("watch", env.jobs[0].id) == 1  # no --base-url: the ledger knows where the job lives
    out = capsys.readouterr().out
    assert "Failed: " in out and "ERROR: " in out and "line 3 of the training file" in out


def test_cancel(env, tmp_path, capsys):
    train = chat_file(tmp_path / "train.jsonl", 12)
    assert run("submit", str(train), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 0
    job_id = env.jobs[0].id
    assert run("cancel", job_id, "--base-url", env.base_url) == 0
    assert f"Cancelled {job_id} (status cancelled)" in capsys.readouterr().out
    assert env.jobs[0].status == "cancelled"
    assert run("watch", job_id) == 1
    assert "Cancelled:" in capsys.readouterr().out
    assert _ledger_jobs(tmp_path)[0].status == "cancelled"


def test_cancel_a_finished_job_fails_plainly(env, tmp_path, capsys):
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 0
    env.run_to_end()
    assert run("cancel", env.jobs[0].id) == 1
    assert "already succeeded" in capsys.readouterr().err


def test_pause_and_resume(env, tmp_path, capsys):
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 0
    env.advance(steps=3)
    assert run("pause", env.jobs[0].id) == 0 and env.jobs[0].paused
    assert "(paused)" in (run("list"), capsys.readouterr().out)[1]
    assert run("resume", env.jobs[0].id) == 0 and not env.jobs[0].paused


def test_watching_a_job_the_ledger_does_not_know(env, tmp_path, capsys):
    client = env.client()
    file_id = client.files.create(file=("t.jsonl", chat_file(tmp_path / "t.jsonl").read_bytes()), purpose="fine-tune").id
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
    env.run_to_end(job.id)
    assert run("watch", job.id, "--base-url", env.base_url) == 0
    assert _ledger_jobs(tmp_path)[0].provider_job_id == job.id


def test_data_errors_block_the_submit(env, tmp_path, capsys):
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"messages": [{"role": "user", "content": "hi"}]}] * 12)
    assert run("submit", str(bad), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 1
    assert "errors; nothing was uploaded" in capsys.readouterr().err
    assert env.requests == [] and _ledger_jobs(tmp_path) == []


@pytest.mark.parametrize(("extra", "message"), [
    (["--method", "dpo"], "DPO training needs preference data"),
    (["--epochs", "many"], "--epochs must be 'auto' or a number"),
    (["--suffix", "a:b"], "cannot contain ':'"),
    (["--model", "gpt-9"], "not a fine-tunable model"),
])
def test_bad_options_stop_before_anything_is_sent(env, tmp_path, capsys, extra, message):
    train = chat_file(tmp_path / "train.jsonl")
    args = ["submit", str(train), "--model", "gpt-4o-mini", "--base-url", env.base_url, *extra]
    assert run(*args) == 2
    assert message in capsys.readouterr().err and env.requests == []


def test_dpo_data_is_trained_with_dpo(env, tmp_path, capsys):
    prefs = dpo_file(tmp_path / "prefs.jsonl")
    assert run("submit", str(prefs), "--model", "gpt-4.1-mini-2025-04-14", "--beta", "0.2", "--base-url", env.base_url) == 0
    assert env.jobs[0].method["type"] == "dpo" and env.jobs[0].method["dpo"]["hyperparameters"]["beta"] == 0.2
    assert "dpo fine-tuning" in capsys.readouterr().out


def test_base_url_needs_a_key(env, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 2
    assert "OPENAI_API_KEY" in capsys.readouterr().err


def test_refused_job_exits_1_and_is_listed_as_not_created(env, tmp_path, capsys):
    env.set_scenario(Scenario.ORG_BLOCKED)
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 1
    assert "Could not create the fine-tuning job" in capsys.readouterr().err
    assert run("list") == 0
    assert "not_created" in capsys.readouterr().out


def test_submit_and_watch_in_one_go(env, tmp_path, capsys):
    env.tick_on_retrieve = True
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--watch",
               "--base-url", env.base_url) == 0
    assert "Succeeded:" in capsys.readouterr().out


def test_unknown_job_and_bad_workspace(env, tmp_path, capsys, monkeypatch):
    assert run("watch", "ftjob-nope", "--base-url", env.base_url) == 1
    assert "Could not find job ftjob-nope" in capsys.readouterr().err
    folder = tmp_path / "folder.ftw"
    folder.mkdir()
    assert run("list", "--workspace", str(folder)) == 2
    assert "is a folder" in capsys.readouterr().err


def test_empty_list(env, capsys):
    assert run("list") == 0
    assert "No jobs yet" in capsys.readouterr().out


def test_interrupted_watch_leaves_the_job_running(env, tmp_path, capsys, monkeypatch):
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--base-url", env.base_url) == 0

    def interrupt(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_jobs, "_sleep", interrupt)
    assert run("watch", env.jobs[0].id) == 130
    assert "the job goes on" in capsys.readouterr().err
    assert _ledger_jobs(tmp_path)[0].status == "validating_files"


@pytest.fixture
def local_profile(env, tmp_path, monkeypatch):
    """A provider profile "Local" for the stand-in, its key from OPENAI_API_KEY (no keyring here)."""
    import keyring
    from keyring.backends import fail

    from workbench.core.profiles import Profile, ProfileStore

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ProfileStore().add(Profile.compatible("Local", env.base_url))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield "Local"
    keyring.set_keyring(previous)


def test_submit_and_watch_through_a_profile(env, tmp_path, capsys, local_profile):
    env.tick_on_retrieve = True
    assert run("submit", str(chat_file(tmp_path / "t.jsonl")), "--model", "gpt-4o-mini", "--profile", local_profile) == 0
    (record,) = _ledger_jobs(tmp_path)
    assert record.profile == "Local"
    assert run("watch", env.jobs[0].id) == 0  # the job's own profile
    assert run("watch", env.jobs[0].id, "--profile", "Nope") == 2
    assert "There is no profile named 'Nope'" in capsys.readouterr().err
