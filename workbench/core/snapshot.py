"""The dataset snapshot: one hash of exactly the training (and validation) data a job was given.

It goes into the job's metadata and the jobs ledger, so a model can always be traced back to the
data it learnt from, and two jobs on the same data can be recognised as such. The hash covers the
exported JSONL bytes, not the workspace: the file is what the provider trained on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PREFIX = "sha256:"
_CHUNK = 1 << 20


def _feed(digest: Any, role: str, path: Path) -> None:
    size = path.stat().st_size
    digest.update(f"{role}\n{size}\n".encode())  # roles and lengths framed: no two inputs collide
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)


def snapshot_hash(train: str | Path, validation: str | Path | None = None) -> str:
    """``sha256:<hex>`` of the training file's bytes and, if given, the validation file's."""
    digest = hashlib.sha256()
    _feed(digest, "train", Path(train))
    if validation is not None:
        _feed(digest, "validation", Path(validation))
    return PREFIX + digest.hexdigest()


def snapshot_of_export(written: Mapping[str, Path]) -> str:
    """The snapshot of what ``export.export_splits`` wrote (``{"train": path, "validation"?: path}``)."""
    if "train" not in written:
        raise ValueError("an export without a training split has no snapshot")
    return snapshot_hash(written["train"], written.get("validation"))
