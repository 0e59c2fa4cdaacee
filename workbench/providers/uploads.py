"""Uploading a training file: one request for small files, the resumable Uploads API for large ones.

Large files go in parts (at most 64 MB each): progress is reported after every part, a cancel
request is honoured between parts (the upload is then cancelled on the service too), and a part
whose connection drops is sent again a bounded number of times before giving up with a plain
message. The service checks the whole file against our MD5 when the upload completes.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import openai

from workbench.core.profiles import Profile
from workbench.providers.job_errors import explain
from workbench.providers.retry import RetryPolicy, without_sdk_retries

MB = 1024 * 1024
DEFAULT_THRESHOLD = 64 * MB  # larger files use the Uploads API
MAX_PART_SIZE = 64 * MB  # the service's limit per part
JSONL_MIME = "text/jsonl"

Progress = Callable[[int, int], None]


class UploadCancelled(Exception):
    """The user cancelled; nothing usable was left on the service."""


class UploadFailed(Exception):
    """The file could not be uploaded; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class UploadedFile:
    file_id: str
    filename: str
    bytes: int
    parts: int  # 0: sent in one request (Files API)


def upload_file(client: openai.OpenAI, path: str | Path, *, purpose: str = "fine-tune",
                threshold: int = DEFAULT_THRESHOLD, part_size: int = MAX_PART_SIZE,
                progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                retry: RetryPolicy | None = None, profile: Profile | str | None = None) -> UploadedFile:
    """Uploads ``path`` for ``purpose``; raises UploadCancelled or UploadFailed (``profile`` words it)."""
    path = Path(path)
    if not 0 < part_size <= MAX_PART_SIZE:
        raise ValueError(f"part_size must be 1..{MAX_PART_SIZE} bytes")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UploadFailed(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    client = without_sdk_retries(client)
    retry = retry or RetryPolicy()
    cancelled = cancelled or (lambda: False)
    if cancelled():
        raise UploadCancelled(f"Upload of {path.name} cancelled.")
    if size <= threshold:
        return _upload_whole(client, path, size, purpose, progress, retry, partial(explain, profile=profile))
    return _upload_in_parts(client, path, size, purpose, part_size, progress, cancelled, retry,
                            partial(explain, profile=profile))


def _upload_whole(client: openai.OpenAI, path: Path, size: int, purpose: str, progress: Progress | None,
                  retry: RetryPolicy, explain: Callable[..., str]) -> UploadedFile:
    data = path.read_bytes()
    if progress:
        progress(0, size)
    try:
        created = retry.call(client.files.create, file=(path.name, data), purpose=purpose)
    except openai.OpenAIError as exc:
        raise UploadFailed(explain(exc, f"upload {path.name}")) from exc
    if progress:
        progress(size, size)
    return UploadedFile(created.id, path.name, size, 0)


def _upload_in_parts(client: openai.OpenAI, path: Path, size: int, purpose: str, part_size: int,
                     progress: Progress | None, cancelled: Callable[[], bool], retry: RetryPolicy,
                     explain: Callable[..., str]) -> UploadedFile:
    total_parts = -(-size // part_size)
    try:
        upload = retry.call(client.uploads.create, bytes=size, filename=path.name, mime_type=JSONL_MIME,
                            purpose=purpose)
    except openai.OpenAIError as exc:
        raise UploadFailed(explain(exc, f"start uploading {path.name}")) from exc
    md5 = hashlib.md5(usedforsecurity=False)
    part_ids: list[str] = []
    done = 0
    if progress:
        progress(0, size)
    try:
        with path.open("rb") as fh:
            for number in range(1, total_parts + 1):
                if cancelled():
                    raise UploadCancelled(f"Upload of {path.name} cancelled after {number - 1} of {total_parts} parts.")
                chunk = fh.read(part_size)
                md5.update(chunk)
                try:
                    part = retry.call(client.uploads.parts.create, upload.id, data=chunk)
                except openai.OpenAIError as exc:
                    raise UploadFailed(
                        f"Part {number} of {total_parts} of {path.name} could not be sent after {retry.attempts} "
                        f"tries. {explain(exc, 'send it')} The partial upload was discarded."
                    ) from exc
                part_ids.append(part.id)
                done += len(chunk)
                if progress:
                    progress(done, size)
        if cancelled():
            raise UploadCancelled(f"Upload of {path.name} cancelled before it was completed.")
        try:
            completed = retry.call(client.uploads.complete, upload.id, part_ids=part_ids, md5=md5.hexdigest())
        except openai.OpenAIError as exc:
            raise UploadFailed(explain(exc, f"finish uploading {path.name}")) from exc
    except (UploadCancelled, UploadFailed):
        _abandon(client, upload.id)
        raise
    except OSError as exc:
        _abandon(client, upload.id)
        raise UploadFailed(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if completed.file is None:
        raise UploadFailed(f"The service finished the upload of {path.name} but returned no file. Try again.")
    return UploadedFile(completed.file.id, path.name, size, total_parts)


def _abandon(client: openai.OpenAI, upload_id: str) -> None:
    """Cancels an upload on the service; best effort (an abandoned one expires after an hour anyway)."""
    with contextlib.suppress(openai.OpenAIError):
        client.uploads.cancel(upload_id)
