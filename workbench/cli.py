"""`workbench`: the app's capabilities headless. With no arguments it starts the desktop app.

Exit codes: 0 success, 1 the data has errors (or the job failed), 2 the input cannot be read or the
command line is wrong. Messages are for people: no tracebacks for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from workbench import __version__

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNREADABLE = 0, 1, 2
# Commands that live in their own module: name -> (module, parser adder, runner), imported lazily.
EXTENSIONS = {
    "import": ("workbench.cli_import", "add_import_parser", "run_import_command"),
    "keys": ("workbench.cli_keys", "add_keys_parser", "run_keys_command"),
    "jobs": ("workbench.cli_jobs", "add_jobs_parser", "run_jobs_command"),
    "pii": ("workbench.cli_pii", "add_pii_parser", "run_pii_command"),
    "dedupe": ("workbench.cli_dedupe", "add_dedupe_parser", "run_dedupe_command"),
    "split": ("workbench.cli_split", "add_split_parser", "run_split_command"),
    "snapshot": ("workbench.cli_snapshot", "add_snapshot_parser", "run_snapshot_command"),
    "chat": ("workbench.cli_chat", "add_chat_parser", "run_chat_command"),
}
COMMANDS = {"validate", "estimate", "convert", *EXTENSIONS}
MAX_SHOWN_PER_CODE = 20


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="workbench",
        description="Fine-Tune Workbench: turn support history into fine-tuning data. "
        "Run without arguments to start the desktop app.",
    )
    p.add_argument("--version", action="version", version=f"Fine-Tune Workbench {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="check a JSONL training file and report every problem")
    v.add_argument("file", type=Path)
    v.add_argument("--model", help="target model, for token limits and format checks (e.g. gpt-4.1-mini)")
    v.add_argument("--validation-file", type=Path, help="also check this validation file and its overlap with FILE")
    v.add_argument("--json", action="store_true", help="machine-readable output")

    e = sub.add_parser("estimate", help="tokens, billed tokens and training cost")
    e.add_argument("file", type=Path)
    e.add_argument("--model", required=True, help="a fine-tunable model, or 'all' for a table across models")
    e.add_argument("--epochs", default="auto", help="'auto' (OpenAI's rule) or a number")
    e.add_argument("--json", action="store_true")

    c = sub.add_parser("convert", help="legacy prompt/completion -> chat; writes normalised JSONL")
    c.add_argument("input", type=Path)
    c.add_argument("-o", "--output", type=Path, required=True)
    c.add_argument("--system-prompt", help="system message to put first in every converted example")

    for module_name, adder, _runner in EXTENSIONS.values():
        getattr(_extension(module_name), adder)(sub)
    return p


def _extension(module_name: str):
    import importlib

    return importlib.import_module(module_name)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--self-test"]:  # is this install complete? (see workbench/self_test.py)
        from workbench.self_test import main as self_test

        return self_test(argv[1:])
    if not argv:
        return _start_gui([])
    if argv[0] not in COMMANDS and not argv[0].startswith("-"):
        return _start_gui(argv)
    from workbench.core.redact import install_log_redaction

    install_log_redaction()  # no key ever reaches a log line
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_OK
    handler = {"validate": _validate, "estimate": _estimate, "convert": _convert}.get(args.command)
    if handler is not None:
        return handler(args)
    module_name, _adder, runner = EXTENSIONS[args.command]
    return getattr(_extension(module_name), runner)(args)


def _start_gui(argv: list[str]) -> int:
    try:
        from workbench.ui.app import run_app  # Qt loads only when the GUI starts
    except ImportError as exc:
        _error(f"the desktop app cannot start ({exc}). Install it with: pip install 'PySide6>=6.6'. "
               "Every command works without it: see 'workbench --help'.")
        return EXIT_UNREADABLE
    return run_app(argv)


def _error(message: str) -> None:
    print(f"workbench: {message}", file=sys.stderr)


# --- validate ---------------------------------------------------------------------------------------


def _validate(args) -> int:
    from workbench.core.jsonl import FileReadError
    from workbench.core.pricing import resolve_model
    from workbench.core.validation.file_report import validate_file

    if args.model and resolve_model(args.model) is None:
        return _unknown_model(args.model)
    try:
        report = validate_file(args.file, model=args.model, validation_file=args.validation_file)
    except FileReadError as exc:
        if args.json:
            print(json.dumps({"file": str(args.file), "error": str(exc)}))
        _error(str(exc))
        return EXIT_UNREADABLE
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return EXIT_DATA_ERRORS if report.errors else EXIT_OK


def _print_report(report) -> None:
    stats = report.stats()
    head = f"{report.path}: {report.examples:,} examples, {len(report.errors)} errors, {len(report.warnings)} warnings"
    if report.model:
        head += f" (checked for {report.model})"
    print(head)
    for title, issues in (("Errors", report.errors), ("Warnings", report.warnings)):
        if not issues:
            continue
        print(f"\n{title}:")
        by_code = defaultdict(list)
        for issue in issues:
            by_code[issue.code].append(issue)
        for code, group in by_code.items():
            for issue in group[:MAX_SHOWN_PER_CODE]:
                print(f"  [{code}] {issue.message}")
            if len(group) > MAX_SHOWN_PER_CODE:
                print(f"  [{code}] ... and {len(group) - MAX_SHOWN_PER_CODE:,} more like this")
            print(f"      What to do: {group[0].fix}")
    tokens = stats.get("tokens")
    if tokens:
        print(
            f"\nTokens ({tokens['encoding']}): {tokens['total']:,} in all; per example "
            f"min {tokens['min']:,}, median {tokens['median']:,}, mean {tokens['mean']:,}, max {tokens['max']:,}"
        )
    if not report.errors:
        print("\nNo errors: the file is ready to upload." if not report.warnings else "\nNo errors (see the warnings above).")


def _unknown_model(model: str) -> int:
    from workbench.core.pricing import default_price_list

    names = ", ".join(default_price_list().models)
    _error(f"'{model}' is not a fine-tunable model this version knows. Known models: {names}.")
    return EXIT_UNREADABLE


# --- estimate ---------------------------------------------------------------------------------------


def _estimate(args) -> int:
    from workbench.core.estimate_file import all_models, estimate_file
    from workbench.core.jsonl import FileReadError
    from workbench.core.pricing import default_price_list, resolve_model

    if args.epochs == "auto":
        epochs = None
    else:
        try:
            epochs = int(args.epochs)
            if not 1 <= epochs <= 50:
                raise ValueError
        except ValueError:
            _error(f"--epochs must be 'auto' or a whole number from 1 to 50, not '{args.epochs}'.")
            return EXIT_UNREADABLE
    if args.model == "all":
        specs = all_models()
    else:
        spec = resolve_model(args.model)
        if spec is None:
            return _unknown_model(args.model)
        specs = [spec]
    try:
        result = estimate_file(args.file, specs, epochs)
    except FileReadError as exc:
        _error(str(exc))
        return EXIT_UNREADABLE
    prices = default_price_list()
    if args.json:
        out = result.to_json()
        out["prices_checked"] = prices.checked
        print(json.dumps(out, indent=2))
        return EXIT_OK
    print(f"{result.path}: {result.estimates[0].examples:,} examples")
    if result.unreadable_lines:
        shown = ", ".join(map(str, result.unreadable_lines[:10]))
        print(f"Not counted: {len(result.unreadable_lines):,} lines that could not be read (lines {shown}); run 'workbench validate'.")
    rows = [("model", "examples", "tokens", "epochs", "billed tokens", f"cost ({prices.currency})", "over limit")]
    for e in result.estimates:
        rows.append((e.model, f"{e.examples:,}", f"{e.tokens:,}", f"{e.epochs}{' (auto)' if e.epochs_auto else ''}",
                     f"{e.billed_tokens:,}", f"${e.cost:,.2f}", f"{e.over_limit:,}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=False))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nPrices checked on {prices.checked}; validation files are not billed. To update prices see resources/pricing.json.")
    return EXIT_OK


# --- convert ----------------------------------------------------------------------------------------


class _Abort(Exception):
    pass


def _convert(args) -> int:
    from workbench.core.atomic import atomic_writer
    from workbench.core.formats import Kind, detect_kind, dumps, legacy_to_chat
    from workbench.core.jsonl import FileReadError, iter_lines

    problems = []
    written = converted = 0
    try:
        # Streamed into a temporary file that replaces OUT only if every line was readable.
        with atomic_writer(args.output) as fh:
            for line in iter_lines(args.input):
                errors = [i for i in line.issues if i.severity.value == "error"]
                if errors:
                    problems.extend(errors)
                    continue
                if not line.ok or problems:
                    continue  # blank lines are dropped; after a problem we only keep looking for more
                obj = line.obj
                if detect_kind(obj) is Kind.LEGACY:
                    obj = legacy_to_chat(obj, args.system_prompt)
                    converted += 1
                fh.write(dumps(obj) + "\n")
                written += 1
            if problems:
                raise _Abort
    except _Abort:
        for issue in problems[:MAX_SHOWN_PER_CODE]:
            print(f"  {issue.message}", file=sys.stderr)
        _error(f"{len(problems)} lines of {args.input} cannot be read; nothing was written. Fix them and run again.")
        return EXIT_DATA_ERRORS
    except FileReadError as exc:
        _error(str(exc))
        return EXIT_UNREADABLE
    except OSError as exc:
        _error(f"cannot write {args.output}: {exc.strerror or exc}.")
        return EXIT_UNREADABLE
    print(f"Wrote {written:,} examples to {args.output} ({converted:,} converted from prompt/completion).")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
