"""Scripted progress of fine-tuning jobs: events, metrics, checkpoints and the result file."""

from __future__ import annotations

import base64
import json
from typing import Any

from .scenarios import Scenario
from .state import ORG_SLUG, Job, State

RESULTS_HEADER = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy"
AUTO_RESOLVED = {"n_epochs": 3, "batch_size": 1, "learning_rate_multiplier": 1.8}


def add_event(state: State, job: Job, message: str, *, level: str = "info",
              data: dict[str, Any] | None = None, kind: str = "message") -> dict[str, Any]:
    event = {
        "object": "fine_tuning.job.event",
        "id": state.ids.new("ftevent-"),
        "created_at": state.clock.now(),
        "level": level,
        "message": message,
        "type": kind,
        "data": data or {},
    }
    job.events.append(event)
    return event


def on_created(state: State, job: Job) -> None:
    add_event(state, job, f"Validating training file: {job.training_file}"
              + (f" and validation file: {job.validation_file}" if job.validation_file else ""))
    add_event(state, job, f"Created fine-tuning job: {job.id}")


def first_bad_line(content: bytes) -> tuple[int, str] | None:
    """(line number, reason) of the first line that is not a chat-format training example."""
    for number, raw in enumerate(content.decode("utf-8", "replace").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            example = json.loads(raw)
        except ValueError:
            return number, "Invalid JSON, could not parse the line."
        if not isinstance(example, dict) or not isinstance(example.get("messages"), list):
            return number, 'Missing "messages" key or it is not a list.'
    return None


def metrics_for(job: Job, step: int) -> dict[str, Any]:
    total = job.plan.steps
    loss = round(2.2 * 0.72 ** step + 0.05, 5)
    data: dict[str, Any] = {
        "step": step,
        "train_loss": loss,
        "train_mean_token_accuracy": round(min(0.99, 1 - loss / 2.6), 5),
        "total_steps": total,
    }
    if job.validation_file and (step % job.plan.valid_every == 0 or step == total):
        vloss = round(loss * 1.12, 5)
        data["valid_loss"] = vloss
        data["valid_mean_token_accuracy"] = round(min(0.99, 1 - vloss / 2.6), 5)
    if job.validation_file and step == total:
        data["full_valid_loss"] = data["valid_loss"]
        data["full_valid_mean_token_accuracy"] = data["valid_mean_token_accuracy"]
    return data


def results_csv(job: Job) -> bytes:
    """The ``step_metrics.csv`` of a finished job; blank cells where a metric was not computed."""
    lines = [RESULTS_HEADER]
    for m in job.metrics:
        cells = [m["step"], m["train_loss"], m["train_mean_token_accuracy"],
                 m.get("valid_loss", ""), m.get("valid_mean_token_accuracy", "")]
        lines.append(",".join(str(c) for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _model_name(state: State, job: Job) -> str:
    """``ft:{base}:{org}:{suffix}:{id}``; checkpoints append ``:ckpt-step-N`` to the same name."""
    if job.model_name is None:
        job.model_name = f"ft:{job.model}:{ORG_SLUG}:{job.suffix or ''}:{state.ids.token(8)}"
    return job.model_name


def _finish(state: State, job: Job, status: str) -> None:
    job.status = status
    job.finished_at = state.clock.now()
    job.estimated_finish = None
    job.paused = False


def _fail_file(state: State, job: Job) -> None:
    training = state.files.get(job.training_file)
    bad = first_bad_line(training.content) if training else None
    line, detail = bad if bad else (job.plan.error_line, job.plan.error_detail)
    message = f"The job failed due to an invalid training file. Invalid file format. Line {line}: {detail}"
    job.error = {"code": "invalid_training_file", "message": message, "param": "training_file"}
    add_event(state, job, message, level="error")
    _finish(state, job, "failed")


def _start_running(state: State, job: Job) -> None:
    kind = job.method.get("type", "supervised")
    hyper = job.method.setdefault(kind, {}).setdefault("hyperparameters", {})
    for name, value in AUTO_RESOLVED.items():
        if hyper.get(name, "auto") == "auto":
            hyper[name] = value
    job.status = "running"
    job.estimated_finish = state.clock.now() + job.plan.steps * job.plan.seconds_per_step
    add_event(state, job, "Fine-tuning job started")


def _train_step(state: State, job: Job) -> None:
    job.step += 1
    data = metrics_for(job, job.step)
    job.metrics.append(data)
    text = f"Step {job.step}/{job.plan.steps}: training loss={data['train_loss']:.2f}"
    if "valid_loss" in data:
        text += f", validation loss={data['valid_loss']:.2f}"
    add_event(state, job, text, data=data, kind="metrics")
    if job.step > job.plan.steps - job.plan.checkpoints:
        base = _model_name(state, job)
        checkpoint = {
            "object": "fine_tuning.job.checkpoint",
            "id": state.ids.new("ftckpt_"),
            "created_at": state.clock.now(),
            "fine_tuned_model_checkpoint": f"{base}:ckpt-step-{job.step}",
            "fine_tuning_job_id": job.id,
            "step_number": job.step,
            "metrics": {k: v for k, v in data.items() if k != "total_steps"},
        }
        job.checkpoints.append(checkpoint)
        state.add_model(checkpoint["fine_tuned_model_checkpoint"], listed=False)
        add_event(state, job, f"Checkpoint created at step {job.step}")


def _succeed(state: State, job: Job) -> None:
    results = state.add_file("step_metrics.csv", "fine-tune-results",
                             base64.b64encode(results_csv(job)))
    training = state.files.get(job.training_file)
    size = len(training.content) if training else 4000
    job.result_files = [results.id]
    job.trained_tokens = job.plan.trained_tokens or max(1, size // 4) * int(
        job.hyperparameters.get("n_epochs", 3))
    job.fine_tuned_model = _model_name(state, job)
    state.add_model(job.fine_tuned_model)
    add_event(state, job, f"New fine-tuned model created: {job.fine_tuned_model}")
    add_event(state, job, "The job has successfully completed")
    _finish(state, job, "succeeded")


def advance(state: State, job: Job) -> bool:
    """Move ``job`` one scripted step; False when it is finished or paused."""
    with state.lock:
        if job.terminal or job.paused:
            return False
        state.clock.advance(job.plan.seconds_per_step)
        if job.status == "validating_files":
            if job.scenario is Scenario.FILE_ERROR:
                _fail_file(state, job)
            else:
                job.status = "queued"
                add_event(state, job, "Files validated, moving job to queued state")
        elif job.status == "queued":
            _start_running(state, job)
        elif job.scenario is Scenario.CANCELLED and job.step >= 1:
            _finish(state, job, "cancelled")
            add_event(state, job, "Fine-tuning job cancelled", level="warn")
        elif job.step < job.plan.steps:
            _train_step(state, job)
        else:
            _succeed(state, job)
        return True


def cancel(state: State, job: Job) -> None:
    with state.lock:
        _finish(state, job, "cancelled")
        add_event(state, job, "Fine-tuning job cancelled by user")


def set_paused(state: State, job: Job, paused: bool) -> None:
    """Pause/resume; the spec's status enum has no ``paused``, so status stays as it was."""
    with state.lock:
        job.paused = paused
        add_event(state, job, "Fine-tuning job paused" if paused else "Fine-tuning job resumed")
