"""Creating jobs: the request, method and suffix rules, and never a second job on a retried create."""

from __future__ import annotations

import httpx2
import pytest

from tests.jobs.helpers import LoseReply, chat_file, dpo_file
from tests.openai_standin import Scenario
from workbench.core.store.ledger import NOT_CREATED
from workbench.providers.jobs import (
    JobRequest,
    JobRequestError,
    JobSubmitError,
    check_suffix,
    find_by_tag,
    submit_job,
)
from workbench.providers.retry import RetryPolicy


def _upload(standin, path):
    return standin.client().files.create(file=(path.name, path.read_bytes()), purpose="fine-tune").id


@pytest.fixture
def train_id(openai_standin, tmp_path):
    return _upload(openai_standin, chat_file(tmp_path / "train.jsonl"))


def _lossy_client(standin, **lose):
    transport = LoseReply("POST", "/v1/fine_tuning/jobs", **lose)
    return standin.client(http_client=httpx2.Client(transport=transport)), transport


# --- the request ----------------------------------------------------------------------------------


def test_supervised_request_uses_the_method_shape_and_carries_snapshot_and_tag():
    request = JobRequest(model="gpt-4o-mini", training_file="file-t", validation_file="file-v", n_epochs=3,
                         suffix=" acme ", seed=42, snapshot="sha256:abc", data_kind="chat", submission_tag="wb-1")
    assert request.create_params() == {
        "model": "gpt-4o-mini",
        "training_file": "file-t",
        "validation_file": "file-v",
        "method": {"type": "supervised", "supervised": {"hyperparameters": {
            "n_epochs": 3, "batch_size": "auto", "learning_rate_multiplier": "auto"}}},
        "metadata": {"submission": "wb-1", "dataset_snapshot": "sha256:abc"},
        "suffix": "acme",
        "seed": 42,
    }


def test_dpo_request_has_beta():
    request = JobRequest(model="gpt-4.1-mini-2025-04-14", training_file="f", method="dpo", beta=0.1, data_kind="dpo")
    assert request.create_params()["method"] == {"type": "dpo", "dpo": {"hyperparameters": {
        "n_epochs": "auto", "batch_size": "auto", "learning_rate_multiplier": "auto", "beta": 0.1}}}
    assert request.submission_tag.startswith("wb-") and request.submission_tag != JobRequest("m", "f").submission_tag


@pytest.mark.parametrize(("changes", "message"), [
    ({"method": "dpo", "data_kind": "chat"}, "DPO training needs preference data.*This data is chat"),
    ({"method": "dpo", "data_kind": None}, "DPO training needs preference data"),
    ({"method": "supervised", "data_kind": "dpo"}, "choose the DPO method"),
    ({"method": "dpo", "data_kind": "dpo", "model": "gpt-3.5-turbo-0125"}, "cannot be trained with DPO"),
    ({"beta": 0.5}, "DPO training only"),
    ({"method": "rl"}, "must be 'supervised' or 'dpo'"),
    ({"n_epochs": 0}, "Epochs must be at least 1"),
    ({"n_epochs": 2.5}, "Epochs must be 'auto' or a whole number"),
    ({"batch_size": 257}, "at most 256"),
    ({"learning_rate_multiplier": 0}, "above 0"),
    ({"method": "dpo", "data_kind": "dpo", "beta": 2.5}, "Beta must be above 0 and at most 2"),
    ({"seed": -1}, "seed must be a whole number"),
    ({"suffix": "x" * 65}, "at most 64 characters"),
    ({"suffix": "a:b"}, "cannot contain ':'"),
])
def test_requests_the_service_would_refuse_are_stopped_here(changes, message):
    request = JobRequest(**{"model": "gpt-4o-mini", "training_file": "f", "data_kind": "chat", **changes})
    with pytest.raises(JobRequestError, match=message):
        request.create_params()


def test_suffix_rules_follow_the_spec():
    assert check_suffix(None) is None and check_suffix("  ") is None
    assert check_suffix("x" * 64) == "x" * 64
    assert check_suffix("support-bot v2") == "support-bot v2"


# --- submitting -------------------------------------------------------------------------------------


def test_submit_records_the_job_in_the_ledger(openai_standin, ledger, train_id, retry):
    request = JobRequest(model="gpt-4o-mini", training_file=train_id, suffix="acme", snapshot="sha256:s", data_kind="chat")
    submitted = submit_job(openai_standin.client(), request, ledger=ledger, profile="OpenAI", estimated_cost=0.5,
                           retry=retry, clock=lambda: 1234)
    job = openai_standin.job(submitted.job.id)
    assert job.metadata == {"submission": request.submission_tag, "dataset_snapshot": "sha256:s"}
    assert job.suffix == "acme" and not submitted.adopted and submitted.attempts == 1
    record = submitted.record
    assert record.provider_job_id == job.id and record.status == "validating_files"
    assert record.submission_tag == request.submission_tag and record.snapshot == "sha256:s"
    assert record.estimated_cost == 0.5 and record.profile == "OpenAI" and record.training_file == train_id
    assert record.base_url == openai_standin.base_url + "/"
    assert record.created_at == job.created_at
    assert ledger.running_jobs() == [record]


@pytest.mark.parametrize("mode", ["drop", "timeout", "500"])
def test_a_lost_create_reply_adopts_the_job_instead_of_making_another(openai_standin, ledger, train_id, retry,
                                                                      sleeps, mode):
    client, transport = _lossy_client(openai_standin, mode=mode)
    request = JobRequest(model="gpt-4o-mini", training_file=train_id, data_kind="chat")
    submitted = submit_job(client, request, ledger=ledger, retry=retry)
    assert transport.lost == 1
    assert len(openai_standin.jobs) == 1  # the one the lost request created
    assert submitted.adopted and submitted.job.id == openai_standin.jobs[0].id
    assert len(openai_standin.requests_to("/fine_tuning/jobs", method="POST")) == 1
    (lookup,) = openai_standin.requests_to("/fine_tuning/jobs", method="GET")
    assert lookup.query == {"metadata[submission]": [request.submission_tag], "limit": ["10"]}
    assert submitted.record.provider_job_id == submitted.job.id and submitted.record.last_error is None
    assert sleeps.calls == [1]


def test_a_500_before_creation_is_retried_after_looking(openai_standin, ledger, train_id, retry, sleeps):
    openai_standin.faults.fail("/fine_tuning/jobs", method="POST", times=2)
    submitted = submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", train_id, data_kind="chat"),
                           ledger=ledger, retry=retry)
    assert not submitted.adopted and submitted.attempts == 3 and len(openai_standin.jobs) == 1
    calls = [(r.method, r.status) for r in openai_standin.requests_to("/fine_tuning/jobs")]
    assert calls == [("POST", 500), ("GET", 200), ("POST", 500), ("GET", 200), ("POST", 200)]
    assert sleeps.calls == [1, 2]


def test_a_dropped_connection_before_the_server_acts_is_retried(openai_standin, ledger, train_id, retry):
    openai_standin.faults.drop("/fine_tuning/jobs", method="POST")
    submitted = submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", train_id, data_kind="chat"),
                           ledger=ledger, retry=retry)
    assert not submitted.adopted and len(openai_standin.jobs) == 1


def test_rate_limited_create_waits_as_asked(openai_standin, ledger, train_id, retry, sleeps):
    openai_standin.faults.rate_limit("/fine_tuning/jobs", method="POST", retry_after="5")
    submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", train_id, data_kind="chat"), ledger=ledger, retry=retry)
    assert sleeps.calls == [5] and len(openai_standin.jobs) == 1
    # a 429 means the request was not processed: no need to look for a job before sending it again
    assert [(r.method, r.status) for r in openai_standin.requests_to("/fine_tuning/jobs")] == [("POST", 429), ("POST", 200)]


def test_refused_create_is_recorded_as_not_created_with_a_plain_reason(openai_standin, ledger, train_id, retry):
    openai_standin.set_scenario(Scenario.ORG_BLOCKED)
    with pytest.raises(JobSubmitError) as caught:
        submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", train_id, data_kind="chat"), ledger=ledger,
                   retry=retry)
    message = str(caught.value)
    assert message.startswith("Could not create the fine-tuning job.") and "fine-tuning" in message
    assert caught.value.record.status == NOT_CREATED and caught.value.record.last_error == message
    assert ledger.running_jobs() == [] and len(openai_standin.requests_to("/fine_tuning/jobs")) == 1


def test_an_unknown_file_is_refused_without_retrying(openai_standin, ledger, retry, sleeps):
    with pytest.raises(JobSubmitError, match="file-nope"):
        submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", "file-nope", data_kind="chat"), ledger=ledger,
                   retry=retry)
    assert sleeps.calls == []


def test_when_every_attempt_fails_it_says_nothing_was_created(openai_standin, ledger, train_id, sleeps):
    openai_standin.faults.fail("/fine_tuning/jobs", method="POST", times=10)
    with pytest.raises(JobSubmitError, match="Tried 3 times.*nothing was created") as caught:
        submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", train_id, data_kind="chat"), ledger=ledger,
                   retry=RetryPolicy(attempts=3, sleep=sleeps))
    assert caught.value.record.status == NOT_CREATED and not caught.value.unresolved
    assert len(openai_standin.requests_to("/fine_tuning/jobs", method="POST")) == 3
    assert openai_standin.jobs == []


def test_if_it_cannot_look_it_does_not_create_again(openai_standin, ledger, train_id, sleeps):
    client, _ = _lossy_client(openai_standin)
    openai_standin.faults.fail("/fine_tuning/jobs", method="GET", times=10)
    request = JobRequest("gpt-4o-mini", train_id, data_kind="chat")
    with pytest.raises(JobSubmitError, match="no second job") as caught:
        submit_job(client, request, ledger=ledger, retry=RetryPolicy(attempts=2, sleep=sleeps))
    assert caught.value.unresolved and caught.value.record.status == "submitting"
    assert len(openai_standin.requests_to("/fine_tuning/jobs", method="POST")) == 1
    assert len(openai_standin.jobs) == 1
    # later (e.g. on the next start) the job is found by its tag
    openai_standin.faults.clear()
    found = find_by_tag(openai_standin.client(), request.submission_tag)
    assert found.id == openai_standin.jobs[0].id
    assert find_by_tag(openai_standin.client(), "wb-other") is None


def test_submit_without_a_ledger(openai_standin, train_id):
    submitted = submit_job(openai_standin.client(), JobRequest("gpt-4o-mini", train_id, data_kind="chat"))
    assert submitted.record is None and submitted.job.status == "validating_files"


def test_dpo_job_on_preference_data(openai_standin, ledger, tmp_path, retry):
    file_id = _upload(openai_standin, dpo_file(tmp_path / "prefs.jsonl"))
    request = JobRequest("gpt-4.1-mini-2025-04-14", file_id, method="dpo", beta=0.2, data_kind="dpo")
    submitted = submit_job(openai_standin.client(), request, ledger=ledger, retry=retry)
    assert openai_standin.job(submitted.job.id).method["type"] == "dpo"
    assert submitted.record.method == "dpo" and submitted.record.hyperparameters["beta"] == 0.2
