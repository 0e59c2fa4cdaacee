"""Creating, finding and controlling fine-tuning jobs, without ever creating one twice.

Pre-flight (the export gate and the cost estimate) is the caller's. ``submit_job`` records the job
in the ledger first, then sends the create request once, with the SDK's retries off. If the reply
is lost (dropped connection, timeout, 5xx) the job may exist anyway, so before any new attempt it
looks for a job carrying this submission's tag in its metadata and adopts it if found.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import openai

from workbench.core.formats import Kind
from workbench.core.pricing import resolve_model
from workbench.core.profiles import Profile
from workbench.core.store.ledger import NOT_CREATED, PROVIDER_TERMINAL, JobRecord, Ledger
from workbench.providers.errors import line_from_validation_error
from workbench.providers.job_errors import explain as explain_error
from workbench.providers.job_errors import profile_name
from workbench.providers.retry import RetryPolicy, is_ambiguous, is_transient, without_sdk_retries

SUBMISSION_KEY = "submission"
SNAPSHOT_KEY = "dataset_snapshot"
SUFFIX_MAX = 64  # CreateFineTuningJobRequest.suffix: 1..64 characters
SEED_MAX = 2_147_483_647
METADATA_VALUE_MAX = 512
AUTO = "auto"
CREATE = "create_fine_tuning_job"  # the operation name errors.map_error knows


class JobRequestError(ValueError):
    """The job cannot be asked for as it stands; ``str()`` says what to change."""


class JobSubmitError(Exception):
    """The job was not created (or it cannot be told whether it was); ``str()`` says what happened."""

    def __init__(self, message: str, record: JobRecord | None = None, *, unresolved: bool = False) -> None:
        super().__init__(message)
        self.record = record
        self.unresolved = unresolved  # True: it may exist; re-attaching will look for it again


def new_submission_tag() -> str:
    return "wb-" + uuid.uuid4().hex


def check_suffix(suffix: str | None) -> str | None:
    """The suffix to send (None for none); JobRequestError when the service would refuse it."""
    if suffix is None or not suffix.strip():
        return None
    suffix = suffix.strip()
    if len(suffix) > SUFFIX_MAX:
        raise JobRequestError(f"The model name suffix may be at most {SUFFIX_MAX} characters; "
                              f"'{suffix[:20]}...' has {len(suffix)}.")
    if ":" in suffix or any(not ch.isprintable() for ch in suffix):
        raise JobRequestError("The model name suffix cannot contain ':' or control characters "
                              "(the fine-tuned model's name is made of parts separated by ':').")
    return suffix


def _choice(name: str, value: Any, kind: type, low: float, high: float, *, low_open: bool = False) -> Any:
    if value is None or value == AUTO:
        return AUTO
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and value != int(value)):
        raise JobRequestError(f"{name} must be 'auto' or a {'whole ' if kind is int else ''}number, not {value!r}.")
    below = value <= low if low_open else value < low
    if below or value > high:
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise JobRequestError(f"{name} must be {bound} and at most {high:g}, not {value:g}.")
    return kind(value)


@dataclass
class JobRequest:
    """What to train. ``data_kind`` is the kind of the training examples (from validation)."""

    model: str
    training_file: str
    validation_file: str | None = None
    method: str = "supervised"
    n_epochs: int | str = AUTO
    batch_size: int | str = AUTO
    learning_rate_multiplier: float | str = AUTO
    beta: float | str = AUTO  # DPO only
    suffix: str | None = None
    seed: int | None = None
    snapshot: str | None = None
    data_kind: Kind | str | None = None
    submission_tag: str = field(default_factory=new_submission_tag)

    def hyperparameters(self) -> dict[str, Any]:
        hyper = {
            "n_epochs": _choice("Epochs", self.n_epochs, int, 1, 50),
            "batch_size": _choice("Batch size", self.batch_size, int, 1, 256),
            "learning_rate_multiplier": _choice("Learning rate multiplier", self.learning_rate_multiplier,
                                                float, 0, float("inf"), low_open=True),
        }
        if self.method == "dpo":
            hyper["beta"] = _choice("Beta", self.beta, float, 0, 2, low_open=True)
        elif self.beta not in (None, AUTO):
            raise JobRequestError("Beta applies to DPO training only; leave it on 'auto' for supervised training.")
        return hyper

    def check(self) -> None:
        """Raises JobRequestError with a plain reason when the request cannot work."""
        if self.method not in ("supervised", "dpo"):
            raise JobRequestError(f"The training method must be 'supervised' or 'dpo', not '{self.method}'.")
        kind = Kind(self.data_kind) if self.data_kind else None
        if self.method == "dpo":
            if kind is not Kind.DPO:
                raise JobRequestError(
                    "DPO training needs preference data: examples with an input, a preferred and a non-preferred "
                    f"answer. This data is {kind.label if kind else 'of an unknown kind'}; use supervised training.")
            spec = resolve_model(self.model)
            if spec is not None and "dpo" not in spec.methods:
                raise JobRequestError(f"{spec.name} cannot be trained with DPO; choose a model that supports it.")
        elif kind is Kind.DPO:
            raise JobRequestError("This data holds preference (DPO) examples; choose the DPO method to train on it.")
        if self.seed is not None and (isinstance(self.seed, bool) or not 0 <= int(self.seed) <= SEED_MAX):
            raise JobRequestError(f"The seed must be a whole number from 0 to {SEED_MAX}.")
        check_suffix(self.suffix)
        if self.snapshot is not None and len(self.snapshot) > METADATA_VALUE_MAX:
            raise JobRequestError("The dataset snapshot id is too long to attach to the job.")
        self.hyperparameters()

    def metadata(self) -> dict[str, str]:
        out = {SUBMISSION_KEY: self.submission_tag}
        if self.snapshot:
            out[SNAPSHOT_KEY] = self.snapshot
        return out

    def create_params(self) -> dict[str, Any]:
        """Keyword arguments for ``client.fine_tuning.jobs.create`` (hyperparameters under ``method``)."""
        self.check()
        params: dict[str, Any] = {
            "model": self.model,
            "training_file": self.training_file,
            "method": {"type": self.method, self.method: {"hyperparameters": self.hyperparameters()}},
            "metadata": self.metadata(),
        }
        if self.validation_file:
            params["validation_file"] = self.validation_file
        suffix = check_suffix(self.suffix)
        if suffix:
            params["suffix"] = suffix
        if self.seed is not None:
            params["seed"] = int(self.seed)
        return params


# --- provider job objects -> ledger fields ---------------------------------------------------------


def _resolved_hyperparameters(job: Any) -> dict[str, Any]:
    method = getattr(job, "method", None)
    kind = getattr(method, "type", None) or "supervised"
    section = getattr(method, kind, None) if method is not None else None
    hyper = getattr(section, "hyperparameters", None) or getattr(job, "hyperparameters", None)
    if hyper is None:
        return {}
    data = hyper.to_dict() if hasattr(hyper, "to_dict") else dict(hyper)
    return {k: v for k, v in data.items() if v is not None}


def job_fields(job: Any) -> dict[str, Any]:
    """Ledger columns from a provider FineTuningJob."""
    error = getattr(job, "error", None)
    message = getattr(error, "message", None) if error is not None else None
    fields: dict[str, Any] = {
        "provider_job_id": job.id,
        "status": job.status,
        "fine_tuned_model": job.fine_tuned_model,
        "trained_tokens": job.trained_tokens,
        "finished_at": job.finished_at,
        "created_at": job.created_at,
        "result_files": list(job.result_files or []),
        "training_file": job.training_file,
        "validation_file": job.validation_file,
        "seed": job.seed,
    }
    if job.status == "paused":
        fields["paused"] = True
    elif job.status in PROVIDER_TERMINAL:
        fields["paused"] = False
    hyper = _resolved_hyperparameters(job)
    if hyper:
        fields["hyperparameters"] = hyper
    if message:
        fields["last_error"] = str(message)
        fields["error_code"] = getattr(error, "code", None)
        fields["error_line"] = line_from_validation_error(str(message))
    if getattr(job, "estimated_finish", None):
        fields["estimated_finish"] = job.estimated_finish
    return fields


def record_from_job(ledger: Ledger, job: Any, *, profile: Profile | str | None = None,
                    base_url: str | None = None) -> JobRecord:
    """The ledger's record of a provider job, adding it when it is not there yet (a job made elsewhere)."""
    record = ledger.find(provider_job_id=job.id)
    if record is None:
        metadata = dict(getattr(job, "metadata", None) or {})
        tag = metadata.get(SUBMISSION_KEY)
        record = ledger.find(submission_tag=tag) if tag else None
        if record is None:
            method = getattr(getattr(job, "method", None), "type", None)
            record = ledger.new_job(
                base_model=job.model, submission_tag=tag or f"adopted-{job.id}",
                method=method if method in ("supervised", "dpo") else "supervised",
                suffix=None, snapshot=metadata.get(SNAPSHOT_KEY), profile=profile_name(profile), base_url=base_url,
                provider_job_id=job.id, status=job.status, created_at=job.created_at)
    return ledger.update_job(record.id, **job_fields(job))


# --- finding and creating ----------------------------------------------------------------------------


def find_by_tag(client: openai.OpenAI, tag: str, retry: RetryPolicy | None = None) -> Any | None:
    """The job whose metadata carries submission tag ``tag``, or None. Raises the SDK's error if the
    service cannot be asked."""
    client = without_sdk_retries(client)
    page = (retry or RetryPolicy()).call(client.fine_tuning.jobs.list, metadata={SUBMISSION_KEY: tag}, limit=10)
    for job in page.data:
        if (job.metadata or {}).get(SUBMISSION_KEY) == tag:
            return job
    return None


@dataclass
class Submitted:
    job: Any  # the provider's FineTuningJob
    record: JobRecord | None
    adopted: bool  # True: found by its tag after a create reply was lost
    attempts: int


def submit_job(client: openai.OpenAI, request: JobRequest, *, ledger: Ledger | None = None,
               profile: Profile | str | None = None, base_url: str | None = None, estimated_cost: float | None = None,
               retry: RetryPolicy | None = None, clock: Callable[[], float] = time.time) -> Submitted:
    """Creates the job at most once; raises JobRequestError (nothing sent) or JobSubmitError.

    ``profile`` (a Profile, or just its name) is recorded in the ledger and words the errors."""
    params = request.create_params()
    explain = partial(explain_error, profile=profile)
    retry = retry or RetryPolicy()
    client = without_sdk_retries(client)
    record = None
    if ledger is not None:
        record = ledger.new_job(
            base_model=request.model, submission_tag=request.submission_tag, method=request.method,
            hyperparameters=params["method"][request.method]["hyperparameters"], suffix=params.get("suffix"),
            seed=params.get("seed"), training_file=request.training_file, validation_file=request.validation_file,
            snapshot=request.snapshot, profile=profile_name(profile), base_url=base_url or str(client.base_url),
            estimated_cost=estimated_cost, created_at=int(clock()))

    def settle(job: Any, adopted: bool, attempts: int) -> Submitted:
        updated = ledger.update_job(record.id, **job_fields(job), last_error=None) if ledger and record else None
        return Submitted(job, updated, adopted, attempts)

    def refuse(message: str, *, unresolved: bool = False) -> JobSubmitError:
        updated = record
        if ledger is not None and record is not None:
            updated = ledger.update_job(record.id, last_error=message,
                                        **({} if unresolved else {"status": NOT_CREATED}))
        return JobSubmitError(message, updated, unresolved=unresolved)

    def look() -> Any | None:
        try:
            return find_by_tag(client, request.submission_tag, retry)
        except openai.OpenAIError as exc:
            raise refuse(
                "The reply to the create request was lost, and the service could not be asked whether the job "
                f"exists. {explain(exc, 'look for the job')} Not sending the request again, so that no second job "
                "is made; the job will be looked for again when the app re-attaches to its jobs.",
                unresolved=True) from exc

    last: BaseException | None = None
    maybe_created = False  # a lost reply or a 5xx: the service may have made the job anyway
    for attempt in range(1, retry.attempts + 1):
        if last is not None:
            retry.sleep(retry.delay(attempt - 2, last))
            found = look() if maybe_created else None
            if found is not None:
                return settle(found, True, attempt - 1)
        try:
            job = client.fine_tuning.jobs.create(**params)
        except openai.OpenAIError as exc:
            if not is_transient(exc):
                raise refuse(explain(exc, "create the fine-tuning job", operation=CREATE)) from exc
            last = exc
            maybe_created = maybe_created or is_ambiguous(exc)
            continue
        return settle(job, False, attempt)
    assert last is not None
    if maybe_created:
        retry.sleep(retry.delay(retry.attempts - 1, last))
        found = look()
        if found is not None:
            return settle(found, True, retry.attempts)
    raise refuse(f"{explain(last, 'create the fine-tuning job', operation=CREATE)} Tried {retry.attempts} times; "
                 "the service has no job from these attempts, so nothing was created.") from last


# --- controlling -------------------------------------------------------------------------------------


def _control(client: openai.OpenAI, action: str, job_id: str, retry: RetryPolicy | None) -> Any:
    client = without_sdk_retries(client)
    retry = retry or RetryPolicy()
    call: Callable[..., Any] = getattr(client.fine_tuning.jobs, action)
    try:
        return retry.call(call, job_id)
    except openai.BadRequestError:
        if action != "cancel":
            raise
        # A retried cancel whose first reply was lost is refused as "already cancelled": that is success.
        job = retry.call(client.fine_tuning.jobs.retrieve, job_id)
        if job.status == "cancelled":
            return job
        raise


def cancel_job(client: openai.OpenAI, job_id: str, retry: RetryPolicy | None = None) -> Any:
    return _control(client, "cancel", job_id, retry)


def pause_job(client: openai.OpenAI, job_id: str, retry: RetryPolicy | None = None) -> Any:
    return _control(client, "pause", job_id, retry)


def resume_job(client: openai.OpenAI, job_id: str, retry: RetryPolicy | None = None) -> Any:
    return _control(client, "resume", job_id, retry)
