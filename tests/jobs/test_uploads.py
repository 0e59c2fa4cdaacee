"""Uploading training files: one request when small, in parts (progress, cancel, retries) when large."""

from __future__ import annotations

import hashlib

import pytest

from tests.jobs.helpers import chat_file
from workbench.providers.retry import RetryPolicy
from workbench.providers.uploads import UploadCancelled, UploadFailed, upload_file


def test_small_file_goes_in_one_request(openai_standin, tmp_path, retry):
    path = chat_file(tmp_path / "train.jsonl", 12)
    seen = []
    uploaded = upload_file(openai_standin.client(), path, progress=lambda d, t: seen.append((d, t)), retry=retry)
    stored = openai_standin.state.files[uploaded.file_id]
    assert stored.content == path.read_bytes() and stored.purpose == "fine-tune" and stored.filename == "train.jsonl"
    assert uploaded.parts == 0 and uploaded.bytes == path.stat().st_size
    assert seen == [(0, uploaded.bytes), (uploaded.bytes, uploaded.bytes)]
    assert openai_standin.requests_to("/uploads*") == []


def test_large_file_goes_in_parts_with_progress(openai_standin, tmp_path, retry):
    path = chat_file(tmp_path / "train.jsonl", 40)
    size = path.stat().st_size
    seen = []
    uploaded = upload_file(openai_standin.client(), path, threshold=1000, part_size=1000,
                           progress=lambda d, t: seen.append(d), retry=retry)
    parts = -(-size // 1000)
    assert uploaded.parts == parts and parts > 3
    assert openai_standin.state.files[uploaded.file_id].content == path.read_bytes()
    assert seen == [0, *[min(n * 1000, size) for n in range(1, parts + 1)]]
    (complete,) = openai_standin.requests_to("/uploads/*/complete")
    assert complete.json["md5"] == hashlib.md5(path.read_bytes()).hexdigest()
    (create,) = openai_standin.requests_to("/uploads", method="POST")
    assert create.json == {"bytes": size, "filename": "train.jsonl", "mime_type": "text/jsonl", "purpose": "fine-tune"}


def test_cancel_between_parts_cancels_the_upload(openai_standin, tmp_path, retry):
    path = chat_file(tmp_path / "train.jsonl", 40)
    seen = []
    with pytest.raises(UploadCancelled, match="after 2 of"):
        upload_file(openai_standin.client(), path, threshold=1000, part_size=1000,
                    progress=lambda d, t: seen.append(d), cancelled=lambda: len(seen) > 2, retry=retry)
    (upload,) = openai_standin.state.uploads.values()
    assert upload.status == "cancelled" and len(upload.parts) == 2
    assert openai_standin.state.files == {}


def test_cancel_before_anything_is_sent(openai_standin, tmp_path):
    path = chat_file(tmp_path / "train.jsonl")
    with pytest.raises(UploadCancelled):
        upload_file(openai_standin.client(), path, cancelled=lambda: True)
    assert openai_standin.requests == []


def test_part_dropped_mid_upload_is_sent_again(openai_standin, tmp_path, retry, sleeps):
    path = chat_file(tmp_path / "train.jsonl", 40)
    fault = openai_standin.faults.drop("/uploads/*/parts", times=2, after_body_bytes=300)
    uploaded = upload_file(openai_standin.client(), path, threshold=1000, part_size=1000, retry=retry)
    assert fault.hits == 2
    assert openai_standin.state.files[uploaded.file_id].content == path.read_bytes()
    parts = openai_standin.requests_to("/uploads/*/parts")
    assert [r.fault for r in parts[:3]] == ["drop", "drop", None]
    assert sleeps.calls == [1, 2]  # backoff, without waiting for real


def test_a_part_that_keeps_failing_gives_up_plainly_and_discards_the_upload(openai_standin, tmp_path, sleeps):
    path = chat_file(tmp_path / "train.jsonl", 40)
    openai_standin.faults.drop("/uploads/*/parts", times=10)
    with pytest.raises(UploadFailed) as caught:
        upload_file(openai_standin.client(), path, threshold=1000, part_size=1000,
                    retry=RetryPolicy(attempts=3, sleep=sleeps))
    message = str(caught.value)
    assert message.startswith("Part 1 of ") and "after 3 tries" in message and "connection" in message.lower()
    assert "discarded" in message
    assert len(openai_standin.requests_to("/uploads/*/parts")) == 3
    (upload,) = openai_standin.state.uploads.values()
    assert upload.status == "cancelled"


def test_server_errors_on_the_small_path_are_retried(openai_standin, tmp_path, retry, sleeps):
    path = chat_file(tmp_path / "train.jsonl")
    openai_standin.faults.rate_limit("/files", retry_after="3", method="POST")
    uploaded = upload_file(openai_standin.client(), path, retry=retry)
    assert uploaded.file_id in openai_standin.state.files and sleeps.calls == [3]


def test_a_refused_upload_says_why(openai_standin, tmp_path, retry):
    path = chat_file(tmp_path / "train.jsonl")
    openai_standin.faults.fail("/files", status=400, method="POST",
                               error={"message": "File too large.", "type": "invalid_request_error",
                                      "param": "file", "code": None})
    with pytest.raises(UploadFailed, match="Could not upload train.jsonl.*File too large"):
        upload_file(openai_standin.client(), path, retry=retry)


def test_unreadable_file(tmp_path, openai_standin):
    with pytest.raises(UploadFailed, match="Cannot read"):
        upload_file(openai_standin.client(), tmp_path / "missing.jsonl")
