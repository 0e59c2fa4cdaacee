"""Injected faults as the real openai SDK experiences them (retries, timeouts, broken connections)."""
# ruff: noqa: F811  (pytest fixtures imported by name are "redefined" by the test parameters)

from __future__ import annotations

import openai
import pytest

from tests.openai_standin import FaultKind
from tests.openai_standin.fixtures import openai_standin  # noqa: F401

GOOD = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n'
HELLO = [{"role": "user", "content": "one two three four five"}]


def test_500_is_retried_and_the_retry_does_not_make_a_second_job(openai_standin):
    client = openai_standin.client(max_retries=2)
    file_id = client.files.create(file=("t.jsonl", GOOD), purpose="fine-tune").id
    fault = openai_standin.faults.fail("/fine_tuning/jobs", method="POST", times=1, retry_after_ms=1)
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
    assert fault.hits == 1 and fault.remaining == 0
    posts = openai_standin.requests_to("/fine_tuning/jobs", method="POST")
    assert [(r.status, r.fault) for r in posts] == [(500, "error"), (200, None)]
    assert [r.headers["x-stainless-retry-count"] for r in posts] == ["0", "1"]
    assert "idempotency-key" not in posts[0].headers  # the SDK sends none: the app must dedupe itself
    assert posts[0].json == posts[1].json
    assert [j.id for j in openai_standin.jobs] == [job.id]  # the 500 reached no endpoint


def test_500_until_retries_run_out_raises_internal_server_error(openai_standin):
    client = openai_standin.client(max_retries=1)
    openai_standin.faults.fail("/models", times=5, retry_after_ms=1)
    with pytest.raises(openai.InternalServerError) as caught:
        client.models.list()
    assert caught.value.status_code == 500 and caught.value.body["type"] == "server_error"
    assert len(openai_standin.requests_to("/models")) == 2
    assert openai_standin.faults.pending()[0].remaining == 3


def test_x_should_retry_false_stops_the_sdk_retrying(openai_standin):
    client = openai_standin.client(max_retries=3)
    openai_standin.faults.fail("/models", status=503, should_retry=False)
    with pytest.raises(openai.InternalServerError):
        client.models.list()
    assert len(openai_standin.requests_to("/models")) == 1


def test_429_with_retry_after_is_retried(openai_standin):
    client = openai_standin.client(max_retries=2)
    fault = openai_standin.faults.rate_limit("/chat/completions", times=2, retry_after="0.01")
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert reply.choices[0].finish_reason == "stop"
    assert fault.hits == 2
    answered = openai_standin.requests_to("/chat/completions")
    assert [r.status for r in answered] == [429, 429, 200]


def test_429_is_surfaced_when_retries_are_off(openai_standin):
    client = openai_standin.client(max_retries=0)
    openai_standin.faults.rate_limit("/chat/completions", retry_after="7")
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.code == "rate_limit_exceeded"


def test_dropped_upload_part_is_retried_and_the_upload_completes(openai_standin):
    client = openai_standin.client(max_retries=1)
    data = GOOD * 50
    upload = client.uploads.create(filename="t.jsonl", purpose="fine-tune", bytes=len(data), mime_type="text/plain")
    fault = openai_standin.faults.drop("/uploads/*/parts", after_body_bytes=100)
    part = client.uploads.parts.create(upload.id, data=data)
    done = client.uploads.complete(upload.id, part_ids=[part.id])
    assert fault.hits == 1
    assert openai_standin.state.files[done.file.id].content == data
    parts = openai_standin.requests_to("/uploads/*/parts")
    assert [(r.status, r.fault) for r in parts] == [(None, "drop"), (200, None)]


def test_dropped_connection_is_an_api_connection_error_when_retries_run_out(openai_standin):
    client = openai_standin.client(max_retries=0)
    upload = client.uploads.create(filename="t.jsonl", purpose="fine-tune", bytes=3, mime_type="text/plain")
    openai_standin.faults.drop("/uploads/*/parts")
    with pytest.raises(openai.APIConnectionError):
        client.uploads.parts.create(upload.id, data=b"abc")
    assert openai_standin.state.uploads[upload.id].parts == {}
    assert client.uploads.parts.create(upload.id, data=b"abc").upload_id == upload.id  # fault used up


def test_slow_reply_beyond_the_client_timeout_is_a_timeout_error(openai_standin):
    client = openai_standin.client(max_retries=0, timeout=0.2)
    openai_standin.faults.slow("/models", 5.0)
    with pytest.raises(openai.APITimeoutError):
        client.models.list()


def test_slow_reply_within_the_timeout_succeeds(openai_standin):
    client = openai_standin.client(max_retries=0, timeout=5.0)
    fault = openai_standin.faults.slow("/models/*", 0.05, method="GET")
    assert client.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"
    assert fault.hits == 1 and openai_standin.requests[-1].fault == "slow"


def test_stream_that_breaks_midway(openai_standin):
    client = openai_standin.client(max_retries=2)
    openai_standin.faults.break_stream(after_chunks=3)
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True)
    received = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in stream:
            received.append(chunk)
    assert len(received) == 3
    assert "".join(c.choices[0].delta.content or "" for c in received) == "Echo: one"
    stream.close()
    # mid-stream failures are not retried by the SDK; the next request streams fine
    again = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in again) == "Echo: one two three four five"


def test_break_stream_does_not_fire_for_non_streamed_requests(openai_standin):
    client = openai_standin.client()
    fault = openai_standin.faults.break_stream()
    assert client.chat.completions.create(model="gpt-4o-mini", messages=HELLO).choices
    assert fault.hits == 0 and openai_standin.faults.pending() == [fault]


def test_faults_match_path_and_method_only(openai_standin):
    client = openai_standin.client()
    openai_standin.faults.fail("/files/*", method="DELETE", status=500)
    file_id = client.files.create(file=("t.jsonl", GOOD), purpose="fine-tune").id
    assert client.files.retrieve(file_id).id == file_id  # GET is untouched
    with pytest.raises(openai.InternalServerError):
        client.files.delete(file_id)
    assert client.files.delete(file_id).deleted
    assert [f.kind for f in openai_standin.faults.all()] == [FaultKind.ERROR]
    openai_standin.faults.clear()
    assert openai_standin.faults.all() == []


def test_fault_arguments_are_bounded(openai_standin):
    with pytest.raises(ValueError):
        openai_standin.faults.slow("/models", 3600)
    with pytest.raises(ValueError):
        openai_standin.faults.fail("/models", times=0)
