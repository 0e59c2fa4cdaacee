"""A whole fine-tuning lifecycle through the real openai SDK; every response checked against the spec."""
# ruff: noqa: F811  (pytest fixtures imported by name are "redefined" by the test parameters)

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json

import openai
import pytest

from tests.openai_standin import Plan, Scenario, schema_check
from tests.openai_standin.fixtures import openai_standin  # noqa: F401
from tests.openai_standin.handlers import ROUTES

TRAINING = b"".join(
    json.dumps({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
    .encode() + b"\n"
    for i in range(12)
)


def _upload_training(client: openai.OpenAI) -> str:
    return client.files.create(file=("train.jsonl", TRAINING), purpose="fine-tune").id


def test_full_lifecycle_covers_every_endpoint_and_validates(openai_standin):
    server = openai_standin
    client = server.client(max_retries=0)

    # files: create, retrieve, list; uploads: create, parts, complete (+ a cancelled upload)
    training_id = _upload_training(client)
    assert client.files.retrieve(training_id).bytes == len(TRAINING)
    upload = client.uploads.create(filename="valid.jsonl", purpose="fine-tune", bytes=len(TRAINING),
                                   mime_type="application/jsonl")
    assert upload.status == "pending" and upload.file is None
    half = len(TRAINING) // 2
    first = client.uploads.parts.create(upload.id, data=TRAINING[:half])
    second = client.uploads.parts.create(upload.id, data=TRAINING[half:])
    assert first.object == "upload.part" and first.upload_id == upload.id
    done = client.uploads.complete(upload.id, part_ids=[first.id, second.id],
                                   md5=hashlib.md5(TRAINING).hexdigest())
    assert done.status == "completed" and done.file is not None and done.file.bytes == len(TRAINING)
    validation_id = done.file.id
    spare = client.uploads.create(filename="x.jsonl", purpose="fine-tune", bytes=1, mime_type="text/plain")
    assert client.uploads.cancel(spare.id).status == "cancelled"
    listed = client.files.list(purpose="fine-tune")
    assert {f.id for f in listed.data} == {training_id, validation_id}

    # jobs: create and walk validating_files -> queued -> running -> steps -> succeeded
    server.plan = Plan(steps=3, valid_every=2, checkpoints=2)
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id,
                                         validation_file=validation_id, suffix="support",
                                         metadata={"workbench_run": "run-1"})
    assert job.status == "validating_files" and job.fine_tuned_model is None
    seen = [job.status]
    while seen[-1] not in ("succeeded", "failed", "cancelled"):
        server.advance(job.id)
        seen.append(client.fine_tuning.jobs.retrieve(job.id).status)
    assert seen == ["validating_files", "queued", "running", "running", "running", "running", "succeeded"]

    final = client.fine_tuning.jobs.retrieve(job.id)
    assert final.fine_tuned_model.startswith("ft:gpt-4o-mini-2024-07-18:standin-org:support:")
    assert final.trained_tokens and final.trained_tokens > 0
    assert final.finished_at is not None and final.finished_at >= final.created_at
    assert final.hyperparameters.n_epochs == 3  # "auto" resolved once running

    events = list(client.fine_tuning.jobs.list_events(job.id, limit=3))  # auto-paginates
    metrics = [e for e in events if e.type == "metrics"]
    assert [e.data["step"] for e in metrics] == [3, 2, 1]  # newest first
    assert {"step", "train_loss", "train_mean_token_accuracy"} <= set(metrics[-1].data)
    assert "valid_loss" in metrics[1].data and "valid_loss" not in metrics[2].data
    assert len({e.id for e in events}) == len(events)

    checkpoints = client.fine_tuning.jobs.checkpoints.list(job.id).data
    assert [c.step_number for c in checkpoints] == [3, 2]
    assert checkpoints[0].fine_tuned_model_checkpoint == f"{final.fine_tuned_model}:ckpt-step-3"

    # the result file: purpose fine-tune-results, content base64 of a CSV with blank cells allowed
    result = client.files.retrieve(final.result_files[0])
    assert result.purpose == "fine-tune-results"
    text = base64.b64decode(client.files.content(result.id).read()).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy"]
    assert [r["step"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["valid_loss"] == "" and rows[1]["valid_loss"] != ""

    # models and chat with the new model
    assert final.fine_tuned_model in {m.id for m in client.models.list().data}
    assert client.models.retrieve(final.fine_tuned_model).owned_by == "standin-org"
    reply = client.chat.completions.create(model=final.fine_tuned_model,
                                           messages=[{"role": "user", "content": "ping"}])
    assert reply.choices[0].message.content == "Echo: ping"
    chunks = list(client.chat.completions.create(model=checkpoints[0].fine_tuned_model_checkpoint,
                                                 messages=[{"role": "user", "content": "ping"}],
                                                 stream=True, stream_options={"include_usage": True}))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: ping"

    # a second job to cancel, pause and resume; list with metadata filter
    other = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id)
    server.advance(other.id, steps=2)
    assert client.fine_tuning.jobs.pause(other.id).status == "running"
    assert server.advance(other.id) == "running" and server.job(other.id).step == 0  # paused: no progress
    assert client.fine_tuning.jobs.resume(other.id).status == "running"
    assert client.fine_tuning.jobs.cancel(other.id).status == "cancelled"
    tagged = client.fine_tuning.jobs.list(metadata={"workbench_run": "run-1"}).data
    assert [j.id for j in tagged] == [job.id]
    assert client.files.delete(validation_id).deleted is True

    # every route was exercised and everything the server sent matches the spec
    exercised = {(r.method, schema_check.find_template(r.method, r.path)) for r in server.requests}
    assert {(r.method, r.template) for r in ROUTES} <= exercised
    assert all(r.status == 200 for r in server.requests)
    assert server.audit() == []
    assert server.violations == []


def test_lists_paginate_with_after_and_limit(openai_standin):
    client = openai_standin.client()
    training_id = _upload_training(client)
    ids = [client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id).id for _ in range(5)]
    first = client.fine_tuning.jobs.list(limit=2)
    assert [j.id for j in first.data] == ids[::-1][:2] and first.has_more
    second = client.fine_tuning.jobs.list(limit=2, after=first.data[-1].id)
    assert [j.id for j in second.data] == ids[::-1][2:4]
    assert [j.id for j in client.fine_tuning.jobs.list(limit=2)] == ids[::-1]  # auto-pagination
    assert client.fine_tuning.jobs.list(after="ftjob-unknown").data == []
    assert openai_standin.audit() == []


def test_metadata_filter_matches_all_pairs_and_null(openai_standin):
    client = openai_standin.client()
    training_id = _upload_training(client)
    a = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id,
                                       metadata={"app": "workbench", "run": "1"})
    b = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id,
                                       metadata={"app": "workbench", "run": "2"})
    c = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id)
    assert {j.id for j in client.fine_tuning.jobs.list(metadata={"app": "workbench"})} == {a.id, b.id}
    assert [j.id for j in client.fine_tuning.jobs.list(metadata={"app": "workbench", "run": "2"})] == [b.id]
    assert list(client.fine_tuning.jobs.list(metadata={"app": "other"})) == []
    nulls = client.fine_tuning.jobs.list(extra_query={"metadata": "null"})
    assert [j.id for j in nulls.data] == [c.id]
    logged = openai_standin.requests_to("/fine_tuning/jobs", method="GET")[0]
    assert logged.query == {"metadata[app]": ["workbench"]}


def test_tick_on_retrieve_moves_one_step_per_get(openai_standin):
    openai_standin.tick_on_retrieve = True
    openai_standin.plan = Plan(steps=1, checkpoints=1)
    client = openai_standin.client()
    job = client.fine_tuning.jobs.create(model="gpt-4.1-mini-2025-04-14", training_file=_upload_training(client))
    statuses = [client.fine_tuning.jobs.retrieve(job.id).status for _ in range(5)]
    assert statuses == ["queued", "running", "running", "succeeded", "succeeded"]


def test_advance_without_id_moves_the_newest_job(openai_standin):
    with pytest.raises(LookupError):
        openai_standin.advance()
    client = openai_standin.client()
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=_upload_training(client))
    assert openai_standin.advance() == "queued"
    assert openai_standin.run_to_end() == "succeeded"
    assert openai_standin.advance(job.id) == "succeeded"  # finished jobs stay put


def test_clock_moves_with_the_script_not_with_wall_time(openai_standin):
    client = openai_standin.client()
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=_upload_training(client))
    openai_standin.run_to_end(job.id)
    done = client.fine_tuning.jobs.retrieve(job.id)
    assert done.finished_at - done.created_at == (2 + openai_standin.plan.steps + 1) * 60


def test_scenario_is_fixed_per_job_at_creation(openai_standin):
    client = openai_standin.client()
    training_id = _upload_training(client)
    ok = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id)
    openai_standin.set_scenario(Scenario.FILE_ERROR)
    bad = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_id)
    assert openai_standin.run_to_end(ok.id) == "succeeded"
    assert openai_standin.run_to_end(bad.id) == "failed"
