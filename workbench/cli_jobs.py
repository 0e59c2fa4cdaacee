"""`workbench jobs submit|list|watch|cancel|pause|resume`: fine-tuning jobs from the command line.

Which service: ``--profile NAME`` (a provider profile; its key from the keyring or the
environment), or ``--base-url URL`` with the key in OPENAI_API_KEY; without either, the profile a
job was submitted with, else the default "OpenAI" profile. Jobs are recorded in a workspace's jobs
ledger: ``--workspace FILE.ftw``, else $WORKBENCH_WORKSPACE, else the app's default workspace.

Exit codes: 0 done (watch: the job succeeded), 1 the data has errors or the job failed, was
cancelled or could not be created, 2 the command line, the file or the settings are wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
WORKSPACE_ENV = "WORKBENCH_WORKSPACE"
MAX_SHOWN_ERRORS = 20
_sleep = time.sleep  # the watch loop's sleep (tests replace it)


class _Stop(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def add_jobs_parser(subparsers) -> None:
    p = subparsers.add_parser("jobs", help="submit, list, watch and cancel fine-tuning jobs",
                              description="Fine-tuning jobs, recorded in a workspace's jobs ledger.")
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_mutually_exclusive_group()
    where.add_argument("--profile", metavar="P", help="provider profile to use (default: the job's, else OpenAI)")
    where.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible API; the key comes from OPENAI_API_KEY")
    common.add_argument("--workspace", type=Path, metavar="W.ftw",
                        help=f"workspace holding the jobs ledger (default: ${WORKSPACE_ENV}, else the app's default)")
    common.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="per request (default 60)")
    actions = p.add_subparsers(dest="jobs_action", metavar="ACTION", required=True)

    s = actions.add_parser("submit", parents=[common], help="validate, estimate, upload and start a job")
    s.add_argument("file", type=Path, help="training data (JSONL)")
    s.add_argument("--model", required=True, help="base model, e.g. gpt-4.1-mini")
    s.add_argument("--validation-file", type=Path, metavar="F")
    s.add_argument("--method", choices=["supervised", "dpo"], help="default: dpo for preference data, else supervised")
    s.add_argument("--epochs", default="auto", metavar="N", help="'auto' or 1-50")
    s.add_argument("--batch-size", default="auto", metavar="N", help="'auto' or 1-256")
    s.add_argument("--learning-rate-multiplier", default="auto", metavar="X")
    s.add_argument("--beta", default="auto", metavar="X", help="DPO only: 'auto' or above 0 up to 2")
    s.add_argument("--suffix", metavar="S", help="up to 64 characters added to the model's name")
    s.add_argument("--seed", type=int)
    s.add_argument("--watch", action="store_true", help="then follow the job until it ends")

    ls = actions.add_parser("list", parents=[common], help="jobs in the ledger, newest first")
    ls.add_argument("--json", action="store_true")
    for name, text in (("watch", "print a job's events until it ends (exit 0 if it succeeded)"),
                       ("cancel", "cancel a job"), ("pause", "pause a running job"), ("resume", "resume a paused job")):
        a = actions.add_parser(name, parents=[common], help=text)
        a.add_argument("job_id", metavar="JOB_ID", help="the provider's job id (ftjob-...)")


def run_jobs_command(args: argparse.Namespace) -> int:
    handler = {"submit": _submit, "list": _list, "watch": _watch, "cancel": _control, "pause": _control,
               "resume": _control}[args.jobs_action]
    ledger = None
    try:
        ledger = _open_ledger(args)
        return handler(args, ledger)
    except _Stop as stop:
        _error(str(stop))
        return stop.code
    finally:
        if ledger is not None:
            ledger.workspace.close()


def _error(message: str) -> None:
    print(f"workbench: {message}", file=sys.stderr)


# --- workspace and client ---------------------------------------------------------------------------


def _open_ledger(args):
    from workbench.core.store import Workspace, WorkspaceError
    from workbench.core.store.ledger import Ledger

    path = args.workspace or (Path(os.environ[WORKSPACE_ENV]) if os.environ.get(WORKSPACE_ENV) else None)
    try:
        if path is None:
            from workbench.core.default_workspace import open_default_workspace

            return Ledger(open_default_workspace())
        return Ledger(Workspace.open(path))
    except WorkspaceError as exc:
        raise _Stop(str(exc)) from exc


def _client(args, record=None):
    """(client, Profile or None, base URL) from the options, else from the job's record."""
    from workbench.providers.connect import ConnectError, connect

    base_url = args.base_url
    profile_name = args.profile
    if base_url is None and profile_name is None and record is not None:
        profile_name, base_url = record.profile, None if record.profile else record.base_url
    try:
        made = connect(profile_name, base_url, timeout=args.timeout, max_retries=0)
    except ConnectError as exc:
        raise _Stop(str(exc)) from exc
    return made.client, made.profile, made.base_url


# --- submit ------------------------------------------------------------------------------------------


def _number(option: str, text: str, kind: type):
    if str(text).strip().lower() == "auto":
        return "auto"
    try:
        return kind(text)
    except ValueError:
        raise _Stop(f"{option} must be 'auto' or a number, not '{text}'.") from None


def _submit(args, ledger) -> int:
    from workbench.core.estimate_file import estimate_file
    from workbench.core.jsonl import FileReadError
    from workbench.core.pricing import default_price_list, resolve_model
    from workbench.core.snapshot import snapshot_hash
    from workbench.core.validation.file_report import validate_file
    from workbench.providers.jobs import JobRequest, JobRequestError, JobSubmitError, submit_job
    from workbench.providers.uploads import UploadCancelled, UploadFailed, upload_file
    from workbench.providers.watch import JobWatcher

    spec = resolve_model(args.model)
    if spec is None:
        names = ", ".join(default_price_list().models)
        raise _Stop(f"'{args.model}' is not a fine-tunable model this version knows. Known models: {names}.")
    hyper = {"n_epochs": _number("--epochs", args.epochs, int), "batch_size": _number("--batch-size", args.batch_size, int),
             "learning_rate_multiplier": _number("--learning-rate-multiplier", args.learning_rate_multiplier, float),
             "beta": _number("--beta", args.beta, float)}
    try:
        report = validate_file(args.file, model=args.model, validation_file=args.validation_file)
    except FileReadError as exc:
        raise _Stop(str(exc)) from exc
    if report.errors:
        _print_errors(report)
        return EXIT_FAILED
    kinds = report.stats().get("kinds", {})
    data_kind = max(kinds, key=kinds.get) if kinds else None
    method = args.method or ("dpo" if data_kind == "dpo" else "supervised")
    epochs = hyper["n_epochs"] if hyper["n_epochs"] != "auto" else None
    estimate = estimate_file(args.file, [spec], epochs).estimates[0]
    print(f"{args.file}: {report.examples:,} examples, no errors"
          + (f", {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}" if report.warnings else "")
          + ".")
    print(f"Estimate for {spec.name}: {estimate.billed_tokens:,} billed tokens over {estimate.epochs} epochs"
          f"{' (auto)' if estimate.epochs_auto else ''}, about ${estimate.cost:,.2f}.")
    request = JobRequest(model=args.model, training_file="", method=method, suffix=args.suffix, seed=args.seed,
                         data_kind=data_kind, snapshot=snapshot_hash(args.file, args.validation_file), **hyper)
    try:
        request.check()
    except JobRequestError as exc:
        raise _Stop(str(exc)) from exc

    client, profile, base_url = _client(args)
    try:
        request.training_file = upload_file(client, args.file, progress=_progress(args.file.name),
                                            profile=profile).file_id
        if args.validation_file:
            request.validation_file = upload_file(client, args.validation_file, profile=profile,
                                                  progress=_progress(args.validation_file.name)).file_id
    except (UploadFailed, UploadCancelled) as exc:
        raise _Stop(str(exc), EXIT_FAILED) from exc
    try:
        submitted = submit_job(client, request, ledger=ledger, profile=profile, base_url=base_url,
                               estimated_cost=estimate.cost)
    except JobSubmitError as exc:
        raise _Stop(str(exc), EXIT_FAILED) from exc
    job = submitted.job
    note = " (found again after a lost reply)" if submitted.adopted else ""
    print(f"Submitted {job.id}{note}: {method} fine-tuning of {job.model}, status {job.status}.")
    if args.watch:
        return _follow(ledger, JobWatcher(client, ledger, submitted.record.id, profile=profile))
    print(f"Follow it with: workbench jobs watch {job.id}")
    return EXIT_OK


def _print_errors(report) -> None:
    print(f"{report.path}: {len(report.errors)} errors; nothing was uploaded.", file=sys.stderr)
    for issue in report.errors[:MAX_SHOWN_ERRORS]:
        print(f"  [{issue.code}] {issue.message}", file=sys.stderr)
    if len(report.errors) > MAX_SHOWN_ERRORS:
        print(f"  ... and {len(report.errors) - MAX_SHOWN_ERRORS:,} more; see 'workbench validate'.", file=sys.stderr)


def _progress(name: str):
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty() and total:
            end = "\n" if done >= total else ""
            print(f"\rUploading {name}: {done * 100 // total}%", end=end, file=sys.stderr)
    return show


# --- list --------------------------------------------------------------------------------------------


def _list(args, ledger) -> int:
    from workbench.core.job_cost import actual_cost

    jobs = ledger.jobs()
    if args.json:
        rows = [{"job": j.provider_job_id, "local_id": j.id, "status": j.status, "base_model": j.base_model,
                 "method": j.method, "fine_tuned_model": j.fine_tuned_model, "created_at": j.created_at,
                 "finished_at": j.finished_at, "trained_tokens": j.trained_tokens,
                 "estimated_cost_usd": j.estimated_cost, "cost_usd": actual_cost(j.base_model, j.trained_tokens),
                 "snapshot": j.snapshot, "version": j.version_name, "version_id": j.version_id,
                 "profile": j.profile, "error": j.last_error} for j in jobs]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not jobs:
        print("No jobs yet. Start one with: workbench jobs submit FILE --model MODEL")
        return EXIT_OK
    table = [("JOB", "STATUS", "BASE MODEL", "FINE-TUNED MODEL", "DATA VERSION", "CREATED", "EST. COST", "COST")]
    for j in jobs:
        cost = actual_cost(j.base_model, j.trained_tokens)
        status = j.status + (" (paused)" if j.paused and not j.terminal else "")
        table.append((j.name, status, j.base_model, j.fine_tuned_model or "-", j.version_name or "-", _when(j.created_at),
                      _money(j.estimated_cost), _money(cost)))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    return EXIT_OK


def _when(ts: int | float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "-"


def _money(value: float | None) -> str:
    return f"${value:,.2f}" if value is not None else "-"


# --- watch, cancel, pause, resume ----------------------------------------------------------------------


def _watcher(args, ledger):
    from workbench.providers.watch import JobWatcher, JobWatchError

    record = ledger.find(provider_job_id=args.job_id)
    client, profile, _ = _client(args, record)
    try:
        if record is not None:
            return JobWatcher(client, ledger, record.id, profile=profile)
        return JobWatcher.for_provider_job(client, ledger, args.job_id, profile=profile)
    except JobWatchError as exc:
        raise _Stop(str(exc), EXIT_FAILED) from exc


def _watch(args, ledger) -> int:
    return _follow(ledger, _watcher(args, ledger))


def _follow(ledger, watcher) -> int:
    from workbench.providers.watch import JobWatchError, watch_until_done

    for event in ledger.events(watcher.job_id):  # what is already known, then what comes
        _print_event(event)
    last_eta = [None]

    def show(result) -> None:
        for event in result.new_events:
            _print_event(event)
        if result.problem:
            print(f"  ({result.problem})", file=sys.stderr)
        eta = result.estimated_finish
        if eta and result.progress and not result.job.terminal and int(eta) // 60 != last_eta[0]:
            last_eta[0] = int(eta) // 60
            step, total = result.progress
            print(f"  step {step}/{total}, estimated finish {_when(eta)}")

    try:
        record = watch_until_done(watcher, sleep=_sleep, on_poll=show)
    except JobWatchError as exc:
        raise _Stop(str(exc), EXIT_FAILED) from exc
    except KeyboardInterrupt:
        _error(f"stopped watching; the job goes on. Follow it again with: workbench jobs watch {watcher.job.name}")
        return EXIT_INTERRUPTED
    return _summary(ledger, record)


def _print_event(event) -> None:
    level = "" if event.level == "info" else f"{event.level.upper()}: "
    print(f"{_when(event.created_at)}  {level}{event.message}")


def _summary(ledger, record) -> int:
    from workbench.core.job_cost import actual_cost

    if record.status == "succeeded":
        cost = actual_cost(record.base_model, record.trained_tokens)
        print(f"Succeeded: {record.fine_tuned_model}")
        tokens = f"{record.trained_tokens:,}" if record.trained_tokens is not None else "unknown"
        print(f"Trained tokens: {tokens}; cost {_money(cost)} (estimated {_money(record.estimated_cost)}).")
        checkpoints = ledger.checkpoints(record.id)
        if checkpoints:
            print("Checkpoints: " + ", ".join(c.model for c in checkpoints))
        return EXIT_OK
    if record.status == "failed":
        print(f"Failed: {record.last_error or 'the service gave no reason.'}")
        if record.error_line:
            print(f"The problem is at line {record.error_line} of the training file; fix it and submit again.")
    elif record.status == "cancelled":
        print(f"Cancelled: {record.name} was cancelled.")
    else:
        print(f"{record.name} was not created: {record.last_error or 'no reason given.'}")
    return EXIT_FAILED


def _control(args, ledger) -> int:
    from workbench.providers.watch import JobWatchError

    watcher = _watcher(args, ledger)
    action = args.jobs_action
    try:
        record = getattr(watcher, action)()
    except JobWatchError as exc:
        raise _Stop(str(exc), EXIT_FAILED) from exc
    done = {"cancel": "Cancelled", "pause": "Paused", "resume": "Resumed"}[action]
    print(f"{done} {record.name} (status {record.status}).")
    return EXIT_OK
