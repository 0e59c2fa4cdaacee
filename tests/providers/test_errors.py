"""SDK exceptions -> plain ProviderErrors, including the "no more fine-tuning jobs" organisation case."""

from __future__ import annotations

import email.utils
import time

import openai
import pytest

from tests.openai_standin import TEST_KEY, Scenario
from tests.providers.conftest import AZURE_KEY, OPENAI_KEY
from workbench.core.profiles import Profile
from workbench.core.redact import Secret
from workbench.providers import errors
from workbench.providers.client import make_client
from workbench.providers.errors import (
    ProviderError,
    line_from_validation_error,
    map_error,
    retry_after_seconds,
)

GOOD_LINE = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'


def _all_text(error: ProviderError) -> str:
    return " | ".join([error.message, error.next_step, error.detail, error.text, str(error), repr(error)])


def _create_job(server, training: bytes = GOOD_LINE * 10):
    profile = Profile.openai("Stand-in", base_url=server.base_url)
    client = make_client(profile, Secret(TEST_KEY), max_retries=0)
    try:
        uploaded = client.files.create(file=("train.jsonl", training), purpose="fine-tune")
        return profile, client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=uploaded.id)
    finally:
        client.close()


@pytest.mark.parametrize(("scenario", "status"), [(Scenario.ORG_BLOCKED, 400), (Scenario.ORG_FORBIDDEN, 403)])
def test_organisation_can_no_longer_create_jobs(openai_standin, scenario, status):
    openai_standin.set_scenario(scenario)
    with pytest.raises(openai.APIStatusError) as raised:
        _create_job(openai_standin)
    error = map_error(raised.value, profile=Profile.openai(), secrets=(TEST_KEY,))
    assert error.kind == errors.FINE_TUNING_UNAVAILABLE and error.status == status and not error.retryable
    assert "can no longer create fine-tuning jobs" in error.message and "2027-01-06" in error.message
    assert "Azure OpenAI" in error.next_step
    assert TEST_KEY not in _all_text(error)


def _status_error(recorder, status, body, *, path="/fine_tuning/jobs", post=True, headers=None):
    """A real SDK exception: the recorder answers ``status`` with ``{"error": body}``."""
    recorder.reply = (status, {"error": body})
    client = openai.OpenAI(api_key=OPENAI_KEY, base_url=recorder.url + "/v1", max_retries=0)
    try:
        if post:
            client.post(path, body={"model": "m", "training_file": "file-1"}, cast_to=object)
        else:
            client.get(path, cast_to=object)
    except openai.APIStatusError as exc:
        return exc
    finally:
        client.close()
    raise AssertionError("expected an error")


@pytest.mark.parametrize("message", [
    "Fine-tuning is not available for your organization.",
    "Your organization is not allowed to create fine-tuning jobs.",
    "Fine-tuning jobs cannot be created on an Explore plan.",
    "Self-serve fine-tuning has ended for this organization.",
    "Access to fine tuning is disabled for this organization.",
    "This organization does not have access to fine-tuning.",
])
def test_liberal_detection_of_the_organisation_case(recorder, message):
    exc = _status_error(recorder, 400, {"message": message, "type": "invalid_request_error", "param": None,
                                        "code": None})
    assert map_error(exc).kind == errors.FINE_TUNING_UNAVAILABLE


def test_detection_by_error_code(recorder):
    exc = _status_error(recorder, 403, {"message": "Forbidden.", "type": "invalid_request_error", "param": None,
                                        "code": "fine_tuning_not_available"})
    assert map_error(exc).kind == errors.FINE_TUNING_UNAVAILABLE


@pytest.mark.parametrize(("body", "kwargs"), [
    # one model's fault, not the organisation's
    ({"message": "Model gpt-4o is not available for fine-tuning.", "param": "model"}, {}),
    ({"message": "The model 'gpt-5' does not support fine-tuning or does not exist.", "param": None}, {}),
    ({"message": "Fine-tuning cannot use n_epochs above 50.", "param": "hyperparameters.n_epochs"}, {}),
    # not a job creation
    ({"message": "Fine-tuning is not available for your organization.", "param": None},
     {"path": "/chat/completions"}),
])
def test_other_400s_are_not_the_organisation_case(recorder, body, kwargs):
    exc = _status_error(recorder, 400, {**body, "type": "invalid_request_error", "code": None}, **kwargs)
    error = map_error(exc)
    assert error.kind == errors.BAD_REQUEST and "refused the request" in error.message


def test_operation_hint_also_marks_job_creation(recorder):
    exc = _status_error(recorder, 403, {"message": "Fine-tuning is not enabled for this project.", "param": None},
                        path="/something/else")
    assert map_error(exc).kind == errors.PERMISSION
    assert map_error(exc, operation="create_fine_tuning_job").kind == errors.FINE_TUNING_UNAVAILABLE


def test_a_key_echoed_by_the_server_is_scrubbed(recorder):
    exc = _status_error(recorder, 401, {"message": f"Incorrect API key provided: {AZURE_KEY} ({OPENAI_KEY})",
                                        "type": "invalid_request_error", "code": "invalid_api_key"})
    error = map_error(exc, profile=Profile.azure("A", "https://r.openai.azure.com"), secrets=(Secret(AZURE_KEY),))
    assert error.kind == errors.AUTH and "Keys and Endpoint" in error.next_step
    assert AZURE_KEY not in _all_text(error) and OPENAI_KEY not in _all_text(error)
    assert "...4a8c" in error.detail


def test_permission_denied(recorder):
    exc = _status_error(recorder, 403, {"message": "You are not allowed to sample from this model",
                                        "type": "invalid_request_error", "code": None},
                        path="/chat/completions")
    error = map_error(exc, profile=Profile.openai())
    assert error.kind == errors.PERMISSION and "not allowed" in error.message and not error.retryable


@pytest.mark.parametrize(("profile", "path", "words"), [
    (Profile.azure("A", "https://r.openai.azure.com"), "/chat/completions", "must be deployed"),
    (Profile.compatible("Ollama", "http://localhost:11434/v1"), "/fine_tuning/jobs", "may not offer fine-tuning"),
    (Profile.openai(), "/models/gpt-9", "Check the model name"),
])
def test_not_found_advice_depends_on_the_provider(recorder, profile, path, words):
    exc = _status_error(recorder, 404, {"message": "Not found", "type": "invalid_request_error"}, path=path,
                        post=path != "/models/gpt-9")
    error = map_error(exc, profile=profile)
    assert error.kind == errors.NOT_FOUND and words in error.next_step


def test_bad_request_naming_a_line_points_at_the_example(recorder):
    exc = _status_error(recorder, 400, {"message": "Invalid file format. Example 12: missing 'assistant' message.",
                                        "param": "training_file", "type": "invalid_request_error"}, path="/files")
    error = map_error(exc)
    assert error.kind == errors.BAD_REQUEST and "Fix example 12" in error.next_step


def test_a_failed_job_names_the_bad_line(openai_standin):
    openai_standin.set_scenario(Scenario.FILE_ERROR)
    _, job = _create_job(openai_standin, GOOD_LINE + b'{"messages": "oops"}\n' + GOOD_LINE * 9)
    openai_standin.run_to_end(job.id)
    client = openai_standin.client()
    failed = client.fine_tuning.jobs.retrieve(job.id)
    assert failed.status == "failed" and failed.error.message.startswith("The job failed")
    assert line_from_validation_error(failed.error.message) == 2


@pytest.mark.parametrize(("message", "line"), [
    ("Line 3: Unable to parse", 3),
    ("Invalid file format. Line 17, key \"messages\": expected a list", 17),
    ("Example 3 has no assistant message", 3),
    ("example #8: too many tokens", 8),
    ("Error on line no. 5", 5),
    ("Row 4 is empty", 4),
    ("messages at index 2 is missing 'role'", 3),  # 0-based index
    ("the pipeline 3 failed online", None),
    ("Line 0: nonsense", None),
    ("Training file has 9 examples, needs 10", None),
    ("", None),
    (None, None),
])
def test_line_from_validation_error(message, line):
    assert line_from_validation_error(message) == line


def test_retry_after_forms():
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after-ms": "soon", "retry-after": "2"}) == 2.0
    assert retry_after_seconds({}) is None and retry_after_seconds({"retry-after": "whenever"}) is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds({"retry-after": later}) <= 31


def test_other_exceptions_and_pass_through():
    original = ProviderError("x", kind=errors.NO_KEY)
    assert map_error(original) is original
    error = map_error(ValueError(f"weird {OPENAI_KEY}"))
    assert error.kind == errors.UNKNOWN and OPENAI_KEY not in error.message and "ValueError" in error.message
    error = map_error(openai.OpenAIError(f"Missing credentials {OPENAI_KEY}"))
    assert error.kind == errors.UNKNOWN and OPENAI_KEY not in error.text


def test_on_azure_the_same_words_are_an_ordinary_refusal(recorder):
    exc = _status_error(recorder, 400, {"message": "Fine-tuning is not available in this region.", "param": None,
                                        "type": "invalid_request_error"})
    error = map_error(exc, profile=Profile.azure("A", "https://r.openai.azure.com"))
    assert error.kind == errors.BAD_REQUEST and "not available in this region" in error.message
