"""Scripted scenarios and error replies, observed through the real openai SDK."""
# ruff: noqa: F811  (pytest fixtures imported by name are "redefined" by the test parameters)

from __future__ import annotations

import openai
import pytest

from tests.openai_standin import TEST_KEY, Plan, Scenario
from tests.openai_standin.fixtures import openai_standin  # noqa: F401

GOOD = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n'
BAD_LINE_2 = GOOD + b'{"prompt": "old format"}\n' + GOOD


def _job(client: openai.OpenAI, content: bytes = GOOD * 4, **kwargs):
    file_id = client.files.create(file=("train.jsonl", content), purpose="fine-tune").id
    return client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id, **kwargs)


def test_file_error_names_the_first_bad_line_of_the_file(openai_standin):
    openai_standin.set_scenario(Scenario.FILE_ERROR)
    client = openai_standin.client()
    job = _job(client, BAD_LINE_2)
    assert openai_standin.advance(job.id) == "failed"
    failed = client.fine_tuning.jobs.retrieve(job.id)
    assert failed.error.code == "invalid_training_file"
    assert failed.error.param == "training_file"
    assert "Line 2:" in failed.error.message
    assert failed.finished_at is not None and failed.fine_tuned_model is None
    errors = [e for e in client.fine_tuning.jobs.list_events(job.id) if e.level == "error"]
    assert len(errors) == 1 and "Line 2:" in errors[0].message
    assert openai_standin.advance(job.id) == "failed"  # terminal


def test_file_error_on_a_clean_file_uses_the_plan_line(openai_standin):
    openai_standin.set_scenario(Scenario.FILE_ERROR, Plan(error_line=7))
    client = openai_standin.client()
    job = _job(client)
    openai_standin.run_to_end(job.id)
    assert "Line 7: " in client.fine_tuning.jobs.retrieve(job.id).error.message


def test_cancelled_scenario_stops_after_the_first_metrics_step(openai_standin):
    openai_standin.set_scenario(Scenario.CANCELLED)
    client = openai_standin.client()
    job = _job(client)
    assert openai_standin.run_to_end(job.id) == "cancelled"
    done = client.fine_tuning.jobs.retrieve(job.id)
    assert done.fine_tuned_model is None and done.result_files == [] and done.finished_at is not None
    assert [e.type for e in client.fine_tuning.jobs.list_events(job.id)].count("metrics") == 1


def test_user_cancel_and_cancel_of_a_finished_job(openai_standin):
    client = openai_standin.client()
    job = _job(client)
    openai_standin.advance(job.id, steps=3)
    assert client.fine_tuning.jobs.cancel(job.id).status == "cancelled"
    assert openai_standin.advance(job.id) == "cancelled"
    with pytest.raises(openai.BadRequestError) as caught:
        client.fine_tuning.jobs.cancel(job.id)
    assert caught.value.status_code == 400


def test_pause_only_while_running_and_resume_only_when_paused(openai_standin):
    client = openai_standin.client()
    job = _job(client)
    with pytest.raises(openai.BadRequestError):
        client.fine_tuning.jobs.pause(job.id)  # still validating
    with pytest.raises(openai.BadRequestError):
        client.fine_tuning.jobs.resume(job.id)
    openai_standin.advance(job.id, steps=2)
    client.fine_tuning.jobs.pause(job.id)
    assert openai_standin.run_to_end(job.id) == "running"  # stays put while paused
    client.fine_tuning.jobs.resume(job.id)
    assert openai_standin.run_to_end(job.id) == "succeeded"
    messages = [e.message for e in client.fine_tuning.jobs.list_events(job.id, limit=100)]
    assert "Fine-tuning job paused" in messages and "Fine-tuning job resumed" in messages


def test_org_blocked_refuses_job_creation_with_400(openai_standin):
    client = openai_standin.client(max_retries=2)
    file_id = client.files.create(file=("t.jsonl", GOOD), purpose="fine-tune").id
    openai_standin.set_scenario(Scenario.ORG_BLOCKED)
    with pytest.raises(openai.BadRequestError) as caught:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
    assert "cannot be created" in caught.value.message
    assert caught.value.body["type"] == "invalid_request_error"
    assert len(openai_standin.requests_to("/fine_tuning/jobs", method="POST")) == 1  # 4xx: no retry
    assert openai_standin.jobs == []
    assert client.files.retrieve(file_id).id == file_id  # other endpoints still work


def test_org_forbidden_refuses_job_creation_with_403(openai_standin):
    client = openai_standin.client()
    file_id = client.files.create(file=("t.jsonl", GOOD), purpose="fine-tune").id
    openai_standin.set_scenario(Scenario.ORG_FORBIDDEN)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
    assert caught.value.status_code == 403 and caught.value.code == "permission_denied"


def test_wrong_key_gets_401_invalid_api_key(openai_standin):
    client = openai_standin.client(api_key="sk-wrong-key-000000", max_retries=2)
    with pytest.raises(openai.AuthenticationError) as caught:
        client.models.list()
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"
    assert "sk-wrong-key-000000" not in caught.value.message  # masked, as OpenAI does
    logged = openai_standin.requests
    assert len(logged) == 1 and not logged[0].authorized and "authorization" not in logged[0].headers


def test_invalid_key_scenario_rejects_even_the_test_key(openai_standin):
    client = openai_standin.client()
    assert client.models.list().data
    openai_standin.set_scenario(Scenario.INVALID_KEY)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()
    openai_standin.set_scenario(Scenario.SUCCESS)
    assert client.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"
    assert openai_standin.api_key == TEST_KEY


def test_not_found_and_bad_requests(openai_standin):
    client = openai_standin.client()
    with pytest.raises(openai.NotFoundError):
        client.fine_tuning.jobs.retrieve("ftjob-nope")
    with pytest.raises(openai.NotFoundError):
        client.files.retrieve("file-nope")
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("gpt-nope")
    assert caught.value.code == "model_not_found"
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-nope", messages=[{"role": "user", "content": "x"}])
    with pytest.raises(openai.BadRequestError) as caught:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-nope")
    assert caught.value.param == "training_file"
    file_id = client.files.create(file=("t.jsonl", GOOD), purpose="fine-tune").id
    with pytest.raises(openai.BadRequestError) as caught:
        client.fine_tuning.jobs.create(model="davinci-999", training_file=file_id)
    assert caught.value.param == "model"
    with pytest.raises(openai.BadRequestError) as caught:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id, suffix="x" * 65)
    assert caught.value.param == "suffix"  # the spec's maxLength, checked on the request
    with pytest.raises(openai.BadRequestError, match="Not allowed to download"):
        client.files.content(file_id)  # like OpenAI: training files cannot be downloaded
    with pytest.raises(openai.BadRequestError):
        client.files.create(file=("t.jsonl", GOOD), purpose="nonsense")  # type: ignore[arg-type]
    with pytest.raises(openai.NotFoundError):
        client.get("/nowhere", cast_to=object)
    assert openai_standin.audit() == []


def test_upload_checks_bytes_md5_parts_and_state(openai_standin):
    client = openai_standin.client()
    upload = client.uploads.create(filename="t.jsonl", purpose="fine-tune", bytes=4, mime_type="text/plain")
    part = client.uploads.parts.create(upload.id, data=b"abc")
    with pytest.raises(openai.BadRequestError, match="does not match"):
        client.uploads.complete(upload.id, part_ids=[part.id])
    extra = client.uploads.parts.create(upload.id, data=b"d")
    with pytest.raises(openai.BadRequestError, match="md5"):
        client.uploads.complete(upload.id, part_ids=[part.id, extra.id], md5="0" * 32)
    with pytest.raises(openai.BadRequestError, match="part"):
        client.uploads.complete(upload.id, part_ids=["part_unknown"])
    done = client.uploads.complete(upload.id, part_ids=[part.id, extra.id])
    assert openai_standin.state.files[done.file.id].content == b"abcd"
    with pytest.raises(openai.BadRequestError, match="already completed"):
        client.uploads.parts.create(upload.id, data=b"e")
    with pytest.raises(openai.BadRequestError):
        client.uploads.create(filename="t", purpose="not-a-purpose", bytes=1, mime_type="text/plain")  # type: ignore[arg-type]
    with pytest.raises(openai.NotFoundError):
        client.uploads.cancel("upload_nope")
