"""In-memory objects of the stand-in (files, uploads, jobs, models) and their API shapes."""

from __future__ import annotations

import random
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

ORG_ID = "org-standinTestOrg0001"
ORG_SLUG = "standin-org"

BASE_MODELS = (
    "gpt-4o-mini-2024-07-18",
    "gpt-4o-mini",
    "gpt-4o-2024-08-06",
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano-2025-04-14",
    "gpt-3.5-turbo-0125",
    "gpt-3.5-turbo",
)
FINE_TUNABLE = frozenset(BASE_MODELS)
ALIASES = {"gpt-4o-mini": "gpt-4o-mini-2024-07-18", "gpt-3.5-turbo": "gpt-3.5-turbo-0125"}


class Clock:
    """The server's clock: starts at the real time and moves only when told to."""

    def __init__(self, start: int | None = None) -> None:
        self._now = int(time.time()) if start is None else start
        self._lock = threading.Lock()

    def now(self) -> int:
        with self._lock:
            return self._now

    def advance(self, seconds: int) -> int:
        with self._lock:
            self._now += seconds
            return self._now


class Ids:
    """Deterministic, OpenAI-looking ids (``file-…``, ``ftjob-…``) per server instance."""

    _ALPHABET = string.ascii_letters + string.digits

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def token(self, n: int) -> str:
        with self._lock:
            return "".join(self._rng.choice(self._ALPHABET) for _ in range(n))

    def new(self, prefix: str, n: int = 24) -> str:
        return f"{prefix}{self.token(n)}"


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int
    status: str = "processed"
    expires_at: int | None = None

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "object": "file",
            "id": self.id,
            "purpose": self.purpose,
            "filename": self.filename,
            "bytes": len(self.content),
            "created_at": self.created_at,
            "status": self.status,
        }
        if self.expires_at is not None:
            out["expires_at"] = self.expires_at
        return out


@dataclass
class UploadRecord:
    id: str
    filename: str
    purpose: str
    bytes: int
    mime_type: str
    created_at: int
    expires_at: int
    status: str = "pending"
    parts: dict[str, bytes] = field(default_factory=dict)
    file: StoredFile | None = None

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "upload",
            "bytes": self.bytes,
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": self.status,
            "expires_at": self.expires_at,
            "file": self.file.to_api() if self.file else None,
        }


@dataclass
class Job:
    id: str
    model: str
    training_file: str
    validation_file: str | None
    suffix: str | None
    seed: int
    method: dict[str, Any]
    metadata: dict[str, str] | None
    integrations: list[dict[str, Any]] | None
    created_at: int
    scenario: Any  # scenarios.Scenario
    plan: Any  # scenarios.Plan
    status: str = "validating_files"
    error: dict[str, Any] | None = None
    fine_tuned_model: str | None = None
    finished_at: int | None = None
    trained_tokens: int | None = None
    estimated_finish: int | None = None
    result_files: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    checkpoints: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    metrics: list[dict[str, Any]] = field(default_factory=list)  # one per training step
    step: int = 0
    paused: bool = False
    model_name: str | None = None  # the ft:... name, fixed on first use

    @property
    def terminal(self) -> bool:
        return self.status in ("succeeded", "failed", "cancelled")

    @property
    def hyperparameters(self) -> dict[str, Any]:
        kind = self.method.get("type", "supervised")
        return dict(self.method.get(kind, {}).get("hyperparameters", {}))

    def to_api(self) -> dict[str, Any]:
        hyper = self.hyperparameters
        return {
            "object": "fine_tuning.job",
            "id": self.id,
            "model": self.model,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "fine_tuned_model": self.fine_tuned_model,
            "organization_id": ORG_ID,
            "result_files": list(self.result_files),
            "status": self.status,
            "validation_file": self.validation_file,
            "training_file": self.training_file,
            "hyperparameters": {
                "n_epochs": hyper.get("n_epochs", "auto"),
                "batch_size": hyper.get("batch_size", "auto"),
                "learning_rate_multiplier": hyper.get("learning_rate_multiplier", "auto"),
            },
            "trained_tokens": self.trained_tokens,
            "error": self.error,
            "integrations": self.integrations,
            "seed": self.seed,
            "estimated_finish": self.estimated_finish,
            "method": self.method,
            "metadata": self.metadata,
        }


class State:
    """Everything the stand-in knows; one lock guards it all (requests are short)."""

    def __init__(self, clock: Clock, ids: Ids) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.ids = ids
        self.files: dict[str, StoredFile] = {}
        self.uploads: dict[str, UploadRecord] = {}
        self.jobs: dict[str, Job] = {}
        self.models: dict[str, dict[str, Any]] = {}
        created = clock.now() - 86_400 * 365
        for name in BASE_MODELS:
            self.models[name] = {"id": name, "object": "model", "created": created, "owned_by": "system"}
        self.sampling_only: set[str] = set()  # checkpoint models: usable in chat, not listed

    def add_file(self, filename: str, purpose: str, content: bytes) -> StoredFile:
        with self.lock:
            stored = StoredFile(self.ids.new("file-", 22), filename, purpose, content, self.clock.now())
            self.files[stored.id] = stored
            return stored

    def add_model(self, model_id: str, *, listed: bool = True) -> None:
        with self.lock:
            if listed:
                self.models[model_id] = {"id": model_id, "object": "model", "created": self.clock.now(),
                                         "owned_by": ORG_SLUG}
            else:
                self.sampling_only.add(model_id)

    def knows_model(self, model_id: str) -> bool:
        with self.lock:
            return model_id in self.models or model_id in self.sampling_only


def page(items: list[Any], after: str | None, limit: int, key: str = "id") -> tuple[list[Any], bool]:
    """Cursor pagination over ``items`` (already in API order); an unknown cursor gives an empty page."""
    start = 0
    if after:
        ids = [item[key] if isinstance(item, dict) else getattr(item, key) for item in items]
        if after not in ids:
            return [], False
        start = ids.index(after) + 1
    chunk = items[start:start + limit]
    return chunk, start + limit < len(items)
