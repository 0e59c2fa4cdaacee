"""`workbench pii scan|redact`: personal data in a JSONL file or a workspace (.ftw).

    workbench pii scan train.jsonl --region GB --pattern "order number=ORD-\\d{6}"
    workbench pii redact train.jsonl -o clean.jsonl --numbered
    workbench pii redact project.ftw            # in place: one undo step, recorded in the audit log

A workspace uses its own PII settings (the app's, with the names its import recorded); the options
given here override them for this run only. Values are never printed: findings show masked.

Exit codes: scan 0 no personal data found, 1 found (or lines that cannot be read); redact 0 done,
1 lines that cannot be read (nothing written); 2 the input cannot be read or the command line is wrong.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

EXIT_OK, EXIT_FOUND, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
WORKSPACE_SUFFIXES = {".ftw"}
DEFAULT_SHOWN = 20


class _Usage(Exception):
    """A message for the user; the command exits 2."""


def add_pii_parser(subparsers) -> None:
    p = subparsers.add_parser("pii", help="find and redact personal data (emails, phones, cards, names ...)",
                              description="Find personal data in training examples and replace it with "
                              "placeholders such as [EMAIL] or [PHONE_1].")
    actions = p.add_subparsers(dest="pii_action", metavar="ACTION", required=True)
    for name, help_ in (("scan", "count personal data and show where it is (values masked)"),
                        ("redact", "replace personal data with placeholders")):
        a = actions.add_parser(name, help=help_)
        a.add_argument("input", type=Path, metavar="FILE", help="a JSONL file or a workspace (.ftw)")
        if name == "redact":
            a.add_argument("-o", "--output", type=Path, help="JSONL to write (a workspace is redacted in place)")
            a.add_argument("--numbered", action="store_true", help="[EMAIL_1], [EMAIL_2] ... consistent per conversation")
        a.add_argument("--region", help="how numbers without +country are read, e.g. US, GB, DE "
                       "(default: the workspace's setting, else your computer's locale, else US)")
        a.add_argument("--kinds", help="comma-separated: email,phone,card,iban,ip,url,name (default: all)")
        a.add_argument("--pattern", action="append", default=[], metavar="NAME=REGEX",
                       help="your own kind of personal data, e.g. 'order number=ORD-\\d{6}' (repeatable)")
        a.add_argument("--names", type=Path, metavar="FILE", help="known customer names, one per line")
        if name == "scan":
            a.add_argument("--show", type=int, default=DEFAULT_SHOWN, metavar="N",
                           help=f"findings to list (default {DEFAULT_SHOWN})")
            a.add_argument("--json", action="store_true", help="machine-readable output")


def run_pii_command(args) -> int:
    from workbench.core.jsonl import FileReadError
    from workbench.core.store import WorkspaceError

    try:
        if args.input.suffix.lower() in WORKSPACE_SUFFIXES:
            return _on_workspace(args)
        return _on_file(args)
    except _Usage as exc:
        return _fail(str(exc))
    except (FileReadError, WorkspaceError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("cancelled; nothing was changed.", EXIT_INTERRUPTED)


def _fail(message: str, code: int = EXIT_UNREADABLE) -> int:
    print(f"workbench: {message}", file=sys.stderr)
    return code


# --- settings from the command line -------------------------------------------------------------


def _settings(args, base=None):
    from workbench.core.pii import BUILTIN_KINDS, PatternError, PiiSettings
    from workbench.core.pii.settings import check_region

    settings = base or PiiSettings()
    if args.region:
        try:
            settings = replace(settings, region=check_region(args.region))
        except ValueError as exc:
            raise _Usage(f"--region: {exc}") from exc
    if args.kinds:
        kinds = {k.strip().lower() for k in args.kinds.split(",") if k.strip()}
        unknown = sorted(kinds - set(BUILTIN_KINDS))
        if unknown:
            raise _Usage(f"--kinds: '{unknown[0]}' is not a kind this version knows; choose from {', '.join(BUILTIN_KINDS)}.")
        settings = replace(settings, kinds=frozenset(kinds))
    for spec in args.pattern:
        name, sep, regex = spec.partition("=")
        if not sep:
            raise _Usage(f"--pattern '{spec}' is not NAME=REGEX. Example: --pattern 'order number=ORD-\\d{{6}}'")
        try:
            settings = settings.with_pattern(name, regex)
        except PatternError as exc:
            raise _Usage(f"--pattern: {exc}") from exc
    if args.names:
        try:
            text = args.names.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise _Usage(f"--names: cannot read {args.names} ({getattr(exc, 'strerror', None) or exc}).") from exc
        listed = [line.strip() for line in text.splitlines() if line.strip()]
        settings = replace(settings, names=(*settings.names, *listed))
    if getattr(args, "numbered", False):
        settings = replace(settings, numbered=True)
    return settings


def _progress(verb: str):
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int) -> None:
        pct = int(done * 100 / total) if total else 0
        if pct != last[0]:
            last[0] = pct
            print(f"\r{verb}... {pct}%", end="", file=sys.stderr)
    return show


def _end_progress() -> None:
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)


# --- scan and redact ----------------------------------------------------------------------------


def _on_file(args) -> int:
    from workbench.core.pii import UnreadableLines, redact_jsonl, scan_jsonl

    if not args.input.exists():
        return _fail(f"{args.input} does not exist.")
    settings = _settings(args)
    if args.pii_action == "scan":
        result = scan_jsonl(args.input, settings, progress=_progress("Scanning"))
        _end_progress()
        return _report_scan(args, result, "line")
    if args.output is None:
        raise _Usage("redacting a JSONL file needs -o OUT.jsonl (the input is left as it is).")
    try:
        done = redact_jsonl(args.input, args.output, settings, progress=_progress("Redacting"))
    except UnreadableLines as exc:
        _end_progress()
        return _fail(str(exc), EXIT_FOUND)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}.")
    _end_progress()
    print(f"Wrote {done.examples:,} examples to {args.output}; {done.changed:,} had personal data replaced"
          + (f": {_counts_text(done.counts)}." if done.counts else "."))
    return EXIT_OK


def _on_workspace(args) -> int:
    from workbench.core.pii import apply_redactions, load_settings, scan_workspace
    from workbench.core.store import Workspace

    if args.pii_action == "redact" and args.output is not None:
        raise _Usage("a workspace is redacted in place (one undo step); leave out -o.")
    with Workspace.open(args.input, create=False) as ws:
        settings = _settings(args, load_settings(ws))
        result = scan_workspace(ws, settings, progress=_progress("Scanning"))
        _end_progress()
        if args.pii_action == "scan":
            return _report_scan(args, result, "example")
        if not result.findings:
            print(f"{args.input}: no personal data found in {result.examples:,} examples; nothing changed.")
            return EXIT_OK
        done = apply_redactions(ws, result.findings, numbered=settings.numbered)
    print(f"{args.input}: replaced {done.total:,} values in {done.examples:,} examples: {_counts_text(done.counts)}.")
    print(f"This is one step in the workspace's history ('{done.label}'): Edit > Undo in the app reverts it.")
    return EXIT_OK


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {label}" for label, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _report_scan(args, result, unit: str) -> int:
    from workbench.core.pii import placeholder, title

    shown = result.findings[:max(0, args.show)]
    found = EXIT_FOUND if result.total or result.unreadable else EXIT_OK
    if args.json:
        print(json.dumps({
            "input": str(args.input),
            "examples": result.examples,
            "examples_with_pii": result.examples_with_pii,
            "counts": dict(result.counts),
            "unreadable_lines": result.unreadable_lines,
            "unreadable": result.unreadable,
            "findings": [{unit: f.example_id, "message": f.message_index, "part": f.part_index, "role": f.role,
                          "start": f.start, "end": f.end, "kind": f.kind, "placeholder": placeholder(f.kind),
                          "masked": f.masked} for f in shown],
        }, ensure_ascii=False, indent=2))
        return found
    print(f"{args.input}: {result.examples:,} examples, {result.examples_with_pii:,} with personal data.")
    for kind, n in sorted(result.counts.items(), key=lambda kv: -kv[1]):
        print(f"  {title(kind):<24}{n:>9,}")
    if shown:
        print(f"\nFirst {len(shown)} of {result.total:,} (values masked):")
        for f in shown:
            where = f"{unit} {f.example_id}, message {f.message_index + 1}" + (f" ({f.role})" if f.role else "")
            print(f"  {where}: {placeholder(f.kind):<10} {f.masked}")
    if result.unreadable:
        lines = ", ".join(map(str, result.unreadable_lines))
        print(f"\n{result.unreadable:,} lines could not be read and were not scanned (lines {lines}); "
              "run 'workbench validate' to see why.")
    if result.total:
        print("\nTo replace them with placeholders: workbench pii redact "
              + (f"{args.input}" if unit == "example" else f"{args.input} -o REDACTED.jsonl"))
    elif not result.unreadable:
        print("No personal data found.")
    return found
