"""Dataset snapshot hashes; the polling schedule; the retry policy (no real sleeps)."""

from __future__ import annotations

import httpx2
import openai
import pytest

from tests.jobs.helpers import chat, chat_file
from workbench.core.export import export_splits
from workbench.core.polling import PollSchedule
from workbench.core.snapshot import snapshot_hash, snapshot_of_export
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.providers.retry import RetryPolicy, is_ambiguous, is_transient, retry_after


def test_snapshot_is_stable_and_covers_both_files(tmp_path):
    train = chat_file(tmp_path / "t.jsonl", 12)
    valid = chat_file(tmp_path / "v.jsonl", 3, start=100)
    first = snapshot_hash(train, valid)
    assert first.startswith("sha256:") and len(first) == 7 + 64
    assert snapshot_hash(train, valid) == first
    assert snapshot_hash(train) != first
    assert snapshot_hash(valid, train) != first  # roles matter
    chat_file(tmp_path / "t.jsonl", 12, start=1)
    assert snapshot_hash(train, valid) != first


def test_snapshot_of_an_export(tmp_path):
    with Workspace.open(tmp_path / "w.ftw") as ws:
        ws.add_examples([NewExample(chat(i)) for i in range(12)] + [NewExample(chat(99), split="validation")])
        written = export_splits(ws, tmp_path, "acme", "gpt-4o-mini")
    assert snapshot_of_export(written) == snapshot_hash(written["train"], written["validation"])
    with pytest.raises(ValueError):
        snapshot_of_export({})


def test_poll_schedule_backs_off_and_resets_on_change():
    s = PollSchedule()
    delays = [s.next_delay(changed) for changed in (False, False, False, False, False, False, False, True, False)]
    assert delays == [2, 4, 8, 16, 32, 60, 60, 2, 4]
    s.reset()
    assert s.next_delay(False) == 2


def _status_error(status: int, headers: dict | None = None, code: str | None = None) -> openai.APIStatusError:
    request = httpx2.Request("GET", "http://127.0.0.1/v1/x")
    response = httpx2.Response(status, headers=headers or {}, request=request)
    body = {"message": "nope", "type": "x", "code": code}
    return openai.OpenAI(api_key="k", base_url="http://127.0.0.1/v1")._make_status_error("nope", body=body,
                                                                                          response=response)


def test_what_is_worth_retrying():
    request = httpx2.Request("GET", "http://127.0.0.1/v1/x")
    assert is_transient(openai.APIConnectionError(request=request))
    assert is_transient(openai.APITimeoutError(request=request))
    assert is_transient(_status_error(500)) and is_transient(_status_error(429)) and is_transient(_status_error(409))
    assert not is_transient(_status_error(400)) and not is_transient(_status_error(401))
    assert not is_transient(_status_error(429, code="insufficient_quota"))
    assert not is_transient(_status_error(503, {"x-should-retry": "false"}))
    assert is_ambiguous(_status_error(502)) and not is_ambiguous(_status_error(429))
    assert retry_after(_status_error(429, {"retry-after": "7"})) == 7
    assert retry_after(_status_error(429, {"retry-after-ms": "250"})) == 0.25
    assert retry_after(_status_error(429)) is None


def test_retry_policy_backs_off_honours_retry_after_and_gives_up():
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=4, initial_delay=1, max_delay=3, sleep=sleeps.append)
    failures = [_status_error(500), _status_error(429, {"retry-after": "7"}), _status_error(502)]

    def flaky():
        if failures:
            raise failures.pop(0)
        return "ok"

    assert policy.call(flaky) == "ok"
    assert sleeps == [1, 7, 3]
    with pytest.raises(openai.InternalServerError):
        policy.call(lambda: (_ for _ in ()).throw(_status_error(500)))
    assert len(sleeps) == 3 + 3
    with pytest.raises(openai.RateLimitError):  # asked to wait longer than we are willing to
        policy.call(lambda: (_ for _ in ()).throw(_status_error(429, {"retry-after": "3600"})))
    with pytest.raises(openai.BadRequestError):
        policy.call(lambda: (_ for _ in ()).throw(_status_error(400)))
    assert len(sleeps) == 6
