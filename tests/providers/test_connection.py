"""test_connection against the OpenAI stand-in: models, fine-tunable ones, failures, cancelling."""

from __future__ import annotations

import threading
import time

import pytest

from tests.openai_standin import TEST_KEY, Scenario
from tests.providers.conftest import AZURE_KEY
from workbench.core.profiles import AZURE_DEPLOY_NOTE, Profile
from workbench.core.redact import Secret
from workbench.providers import connection, errors
from workbench.providers.connection import ConnectionReport, is_fine_tunable


def _profile(server, kind="openai"):
    if kind == "compatible":
        return Profile.compatible("Stand-in", server.base_url)
    return Profile.openai("Stand-in", base_url=server.base_url)


def _no_key_in(report: ConnectionReport, key: str) -> None:
    texts = [report.summary, repr(report)]
    if report.error is not None:
        texts += [report.error.message, report.error.next_step, report.error.detail, str(report.error),
                  repr(report.error)]
    assert all(key not in t for t in texts)


@pytest.mark.parametrize(("model", "tunable"), [
    ("gpt-4.1", True), ("gpt-4.1-2025-04-14", True), ("gpt-4.1-mini", True), ("gpt-4.1-nano-2025-04-14", True),
    ("gpt-4o-2024-08-06", True), ("gpt-4o-mini-2024-07-18", True), ("gpt-3.5-turbo", True),
    ("gpt-3.5-turbo-0125", True), ("gpt-35-turbo-1106", True), ("davinci-002", True), ("babbage-002", True),
    ("ft:gpt-4.1-mini-2025-04-14:acme::9xYz", True), ("ft:gpt-4o-mini-2024-07-18:acme::a1:ckpt-step-40", True),
    ("gpt-4o", False), ("gpt-4o-mini", False), ("gpt-3.5-turbo-instruct", False), ("gpt-5", False),
    ("text-embedding-3-small", False), ("o3-mini", False),
])
def test_fine_tunable_families(model, tunable):
    assert is_fine_tunable(model) is tunable


def test_lists_models_and_the_fine_tunable_ones(openai_standin):
    report = connection.test_connection(_profile(openai_standin), Secret(TEST_KEY, source="keyring"))
    assert report.ok and report.error is None and not report.cancelled
    ids = [m.id for m in report.models]
    assert ids == sorted(ids) and "gpt-4o-mini" in ids
    assert "gpt-4.1-mini-2025-04-14" in report.fine_tunable and "gpt-4o-mini" not in report.fine_tunable
    assert report.key_source == "keyring" and report.notes == ()
    assert report.summary == f"Connected to {openai_standin.base_url}: {len(ids)} models, {len(report.fine_tunable)} fine-tunable."
    assert openai_standin.requests_to("/models", method="GET")


def test_tuned_models_show_up_as_fine_tunable(openai_standin):
    openai_standin.state.add_model("ft:gpt-4o-mini-2024-07-18:acme::abc123")
    report = connection.test_connection(_profile(openai_standin), TEST_KEY)
    assert "ft:gpt-4o-mini-2024-07-18:acme::abc123" in report.fine_tunable


def test_a_compatible_server_cannot_say_what_is_fine_tunable(openai_standin):
    report = connection.test_connection(_profile(openai_standin, "compatible"), None)
    assert not report.ok and report.error.kind == errors.AUTH  # the stand-in wants its key...
    report = connection.test_connection(_profile(openai_standin, "compatible"), TEST_KEY)
    assert report.ok and report.fine_tunable == () and all(m.fine_tunable is None for m in report.models)
    assert "fine-tunable" not in report.summary and connection.COMPATIBLE_NOTE in report.notes


def test_azure_uses_the_listed_capabilities(recorder):
    recorder.reply = (200, {"object": "list", "data": [
        {"id": "gpt-4o-mini-2024-07-18", "object": "model", "created": 1, "owned_by": "system",
         "capabilities": {"fine_tune": True}},
        {"id": "gpt-4o-2024-08-06", "object": "model", "created": 1, "owned_by": "system",
         "capabilities": {"fine_tune": False}},
        {"id": "gpt-35-turbo-0125", "object": "model", "created": 1, "owned_by": "system"}]})
    report = connection.test_connection(Profile.azure("Contoso", recorder.url), Secret(AZURE_KEY))
    assert report.ok and report.fine_tunable == ("gpt-35-turbo-0125", "gpt-4o-mini-2024-07-18")
    assert report.notes == (AZURE_DEPLOY_NOTE,)


def test_invalid_key(openai_standin):
    openai_standin.set_scenario(Scenario.INVALID_KEY)
    report = connection.test_connection(_profile(openai_standin), Secret(TEST_KEY))
    assert not report.ok and report.error.kind == errors.AUTH and report.error.status == 401
    assert report.error.code == "invalid_api_key" and not report.error.retryable
    assert "rejected the API key" in report.error.message and "workbench keys set Stand-in" in report.error.next_step
    _no_key_in(report, TEST_KEY)


def test_a_wrong_key_is_not_echoed(openai_standin):
    wrong = "sk-proj-WrongWrongWrongWrongWrong0000"
    report = connection.test_connection(_profile(openai_standin), wrong)
    assert report.error.kind == errors.AUTH
    _no_key_in(report, wrong)


def test_missing_key_is_reported_not_raised(openai_standin):
    report = connection.test_connection(_profile(openai_standin), None)
    assert not report.ok and report.error.kind == errors.NO_KEY and not openai_standin.requests


def test_server_errors_are_retryable(openai_standin):
    openai_standin.faults.fail("/models", times=2)
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, max_retries=0)
    assert report.error.kind == errors.SERVER and report.error.retryable and report.error.status == 500
    # with retries the SDK gets through the second 500 on its own
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, max_retries=2)
    assert report.ok


def test_rate_limit_mentions_retry_after(openai_standin):
    openai_standin.faults.rate_limit("/models", retry_after="7")
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, max_retries=0)
    assert report.error.kind == errors.RATE_LIMIT and report.error.retryable
    assert report.error.retry_after == 7.0 and "wait 7 seconds" in report.error.next_step


def test_quota_is_not_a_rate_limit(openai_standin):
    openai_standin.faults.fail("/models", status=429, error={
        "message": "You exceeded your current quota, please check your plan and billing details.",
        "type": "insufficient_quota", "param": None, "code": "insufficient_quota"})
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, max_retries=0)
    assert report.error.kind == errors.QUOTA and not report.error.retryable
    assert "run out of credit" in report.error.message and "billing" in report.error.next_step


def test_a_dropped_connection(openai_standin):
    openai_standin.faults.drop("/models")
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, max_retries=0)
    assert report.error.kind == errors.CONNECTION and report.error.retryable
    assert "broke off" in report.error.message


def test_nothing_listening():
    profile = Profile.compatible("Local", "http://127.0.0.1:9/v1")
    report = connection.test_connection(profile, None, max_retries=0)
    assert report.error.kind == errors.CONNECTION
    assert "Could not reach" in report.error.message and "server is running" in report.error.next_step


def test_a_slow_server_times_out(openai_standin):
    openai_standin.faults.slow("/models", delay=3)
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, timeout=0.3, max_retries=0)
    assert report.error.kind == errors.TIMEOUT and report.error.retryable


def test_cancel_returns_promptly_while_the_server_is_slow(openai_standin):
    fault = openai_standin.faults.slow("/models", delay=5)
    stop = threading.Event()
    threading.Thread(target=lambda: fault.fired.wait(5) and stop.set(), daemon=True).start()
    started = time.monotonic()
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, cancelled=stop.is_set)
    assert report.cancelled and not report.ok and report.error.kind == errors.CANCELLED
    assert time.monotonic() - started < 2.5
    assert report.summary == "Connection test cancelled."


def test_cancelled_before_starting_sends_nothing(openai_standin):
    report = connection.test_connection(_profile(openai_standin), TEST_KEY, cancelled=lambda: True)
    assert report.cancelled and not openai_standin.requests


def test_pytest_does_not_collect_the_function():
    assert connection.test_connection.__test__ is False
