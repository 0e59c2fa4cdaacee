"""Submitting a workspace for fine-tuning, in two steps the app shows to the user:

1. ``prepare``: export train/validation through the validation gate, hash the snapshot, find or
   make the dataset version the files equal (core.versions) and estimate the cost (nothing leaves
   the machine);
2. ``submit``: upload the files (in parts when large, with progress and cancel) and create the job
   without ever creating a second one (see providers.jobs), recording it in the workspace ledger
   together with its dataset version.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.cost import Estimate, estimate
from workbench.core.export import export_splits
from workbench.core.formats import detect_kind
from workbench.core.jsonl import iter_lines
from workbench.core.pricing import resolve_model
from workbench.core.profiles import ProfileStore
from workbench.core.snapshot import snapshot_of_export
from workbench.core.store import Workspace
from workbench.core.store.ledger import JobRecord, Ledger
from workbench.core.tokens import TokenCounter
from workbench.core.versions import VersionError, consistent_read, current_digest, version_for_export
from workbench.providers.client import make_client
from workbench.providers.jobs import JobRequest, submit_job
from workbench.providers.secrets import SecretStore
from workbench.providers.uploads import upload_file


@dataclass(frozen=True)
class Prepared:
    files: dict[str, Path]  # split -> exported JSONL
    model: str
    estimate: Estimate
    snapshot: str
    data_kind: str | None
    folder: Path
    version_id: int | None = None  # the dataset version the files were exported from
    version_name: str | None = None


def prepare(ws: Workspace, model: str, epochs: int | None, *, force: bool = False,
            cancelled: Callable[[], bool] = lambda: False) -> Prepared:
    spec = resolve_model(model)
    if spec is None:
        raise ValueError(f"'{model}' is not a fine-tunable model this version knows.")
    folder = Path(tempfile.mkdtemp(prefix="workbench-submit-"))
    with consistent_read(ws):  # the digest and the export see the same examples, whoever edits meanwhile
        exported = current_digest(ws)
        files = export_splits(ws, folder, ws.name.replace(" ", "-") or "dataset", model, force=force,
                              cancelled=cancelled)
    if "train" not in files:
        raise ValueError("The train split is empty: set some examples to 'train' first.")
    try:  # only now, so a blocked or cancelled export leaves no version behind
        version = version_for_export(ws, expect_digest=exported)
    except VersionError as exc:
        raise ValueError(str(exc)) from exc
    counter = TokenCounter.for_model(model)
    tokens, kinds = [], {}
    for line in iter_lines(files["train"]):
        if line.ok:
            tokens.append(counter.count(line.obj, line.digest))
            kind = detect_kind(line.obj).value
            kinds[kind] = kinds.get(kind, 0) + 1
    return Prepared(files, spec.name, estimate(tokens, spec, epochs), snapshot_of_export(files),
                    max(kinds, key=kinds.get) if kinds else None, folder, version.id, version.name)


def submit(prepared: Prepared, ledger: Ledger, profile_name: str, *, method: str, hyperparameters: dict,
           suffix: str | None, seed: int | None, progress: Callable[[int, int], None] | None = None,
           cancelled: Callable[[], bool] = lambda: False) -> JobRecord:
    profile = ProfileStore().get(profile_name)
    client = make_client(profile, SecretStore().get(profile), max_retries=0)
    request = JobRequest(model=prepared.model, training_file="", method=method, suffix=suffix or None, seed=seed,
                         data_kind=prepared.data_kind, snapshot=prepared.snapshot, **hyperparameters)
    request.check()
    total = sum(p.stat().st_size for p in prepared.files.values())
    done = 0

    def upload(path: Path) -> str:
        nonlocal done
        offset = done
        uploaded = upload_file(client, path, profile=profile, cancelled=cancelled,
                               progress=(lambda d, _t: progress(offset + d, total)) if progress else None)
        done += path.stat().st_size
        return uploaded.file_id

    request.training_file = upload(prepared.files["train"])
    if "validation" in prepared.files:
        request.validation_file = upload(prepared.files["validation"])
    with ledger.jobs_trained_on(prepared.version_id):
        return submit_job(client, request, ledger=ledger, profile=profile,
                          estimated_cost=prepared.estimate.cost).record


def client_for_record(record: JobRecord):
    """A client for following a ledger job (its profile, or its base URL with OPENAI_API_KEY)."""
    import os

    import openai

    if record.profile:
        profile = ProfileStore().get(record.profile)
        return make_client(profile, SecretStore().get(profile), max_retries=0)
    return openai.OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "not-needed"), base_url=record.base_url,
                         max_retries=0)
