"""`workbench dedupe IN`: exact and near-duplicate conversations and canned answers.

IN is a JSONL file (ids are line numbers) or a workspace (.ftw; ids are example ids). Reports the
groups, each with the example suggested to keep; ``-o OUT.jsonl`` writes the file without the
others, ``--apply`` removes them from a workspace as one undo step. Exit codes: 0 no duplicates
(or they were removed / a clean file was written), 1 duplicates found, 2 unreadable input or bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.cli_import import WORKSPACE_SUFFIXES

SHOWN = 20


def add_dedupe_parser(sub) -> None:
    p = sub.add_parser("dedupe", help="find exact and near-duplicate conversations and canned answers",
                       description="Find duplicate conversations and canned answers in a JSONL file or a workspace. "
                       "Exit code 1 when duplicates are found and nothing was removed.")
    p.add_argument("input", type=Path, metavar="IN", help="a .jsonl file or a workspace (.ftw)")
    p.add_argument("--threshold", type=float, default=0.85,
                   help="near-duplicate similarity, 0-1 (Jaccard of 2-word shingles; default 0.85)")
    p.add_argument("--exact-only", action="store_true", help="only exact duplicates (case, spacing and punctuation ignored)")
    p.add_argument("--ignore-system", action="store_true", help="exact duplicates: ignore the system prompt (near duplicates always do)")
    p.add_argument("--keep", choices=["first", "longest"], default="first",
                   help="which example of a group to keep: the first, or the one with the longest answers")
    p.add_argument("--min-uses", type=int, default=5, help="flag a reply given to at least this many questions (default 5)")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.jsonl", help="JSONL input: write the deduplicated file here")
    p.add_argument("--apply", action="store_true", help="workspace input: remove the duplicates (one undo step)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _fail(message: str, code: int = 2) -> int:
    print(f"workbench: {message}", file=sys.stderr)
    return code


def run_dedupe_command(args) -> int:
    from workbench.core.quality import (
        JsonlRecords,
        UnreadableInput,
        WorkspaceRecords,
        find_canned_answers,
        find_duplicates,
        remove_duplicates,
    )
    from workbench.core.store import Workspace, WorkspaceError

    is_workspace = args.input.suffix.lower() in WORKSPACE_SUFFIXES
    if not 0 < args.threshold <= 1:
        return _fail(f"--threshold must be above 0 and at most 1 (e.g. 0.85), not {args.threshold:g}.")
    if args.min_uses < 2:
        return _fail("--min-uses must be 2 or more.")
    if is_workspace and args.output:
        return _fail("-o writes a deduplicated JSONL file; for a workspace use --apply (undo it in the app).")
    if not is_workspace and args.apply:
        return _fail("--apply changes a workspace (.ftw); for a JSONL file write a clean copy with -o OUT.jsonl.")
    if args.output and args.output.resolve() == args.input.resolve():
        return _fail("-o must be a new file, not the input itself.")
    ws = None
    try:
        if is_workspace:
            ws = Workspace.open(args.input, create=False)
            records = WorkspaceRecords(ws)
        else:
            records = JsonlRecords(args.input)
        progress = _Progress("Looking for duplicates")
        report = find_duplicates(records, threshold=args.threshold, exact_only=args.exact_only,
                                 ignore_system=args.ignore_system, keep=args.keep, progress=progress)
        canned = find_canned_answers(records, min_uses=args.min_uses)
        progress.done()
        removed = written = None
        if args.output:
            written = _write_clean(args.input, args.output, set(report.removal_ids()))
        if args.apply and ws is not None:
            removed = remove_duplicates(ws, report.groups)
    except UnreadableInput as exc:
        return _fail(f"{exc}")
    except WorkspaceError as exc:
        return _fail(f"{exc}")
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or args.output}: {exc.strerror or exc}.")
    except KeyboardInterrupt:
        return _fail("cancelled; nothing was changed.", 130)
    finally:
        if ws is not None:
            ws.close()
    if args.json:
        out = {"input": str(args.input), **report.to_json(), "canned": [c.to_json() for c in canned],
               "ids": "example ids" if is_workspace else "line numbers"}
        if written is not None:
            out["written"] = {"file": str(args.output), "examples": written}
        if removed is not None:
            out["removed"] = removed
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print(args, report, canned, is_workspace, written, removed)
    acted = written is not None or removed is not None
    return 1 if report.groups and not acted else 0


def _write_clean(source: Path, output: Path, drop: set[int]) -> int:
    from workbench.core.quality.jsonl_out import copy_lines

    return copy_lines(source, {"out": output}, lambda n: None if n in drop else "out")["out"]


def _print(args, report, canned, is_workspace: bool, written: int | None, removed: int | None) -> None:
    unit = "example" if is_workspace else "line"
    to_remove = len(report.removal_ids())
    near = "" if report.threshold is None else (
        f", {len(report.near):,} near-duplicate groups ({sum(len(g.remove) for g in report.near):,} to remove) "
        f"at similarity {report.threshold:g}")
    print(f"{args.input}: {report.examples:,} examples; {len(report.exact):,} exact-duplicate groups "
          f"({sum(len(g.remove) for g in report.exact):,} to remove){near}; {len(canned):,} canned answers.")
    for title, groups in (("Exact duplicates", report.exact), ("Near duplicates", report.near)):
        if not groups:
            continue
        print(f"\n{title} (keep / remove{', similarity to the kept one' if title.startswith('Near') else ''}):")
        for g in groups[:SHOWN]:
            if g.kind == "near":
                rest = ", ".join(f"{i} ({g.similarity.get(i, 0):.2f})" for i in g.remove[:8])
            else:
                rest = ", ".join(map(str, g.remove[:8]))
            more = f" and {len(g.remove) - 8:,} more" if len(g.remove) > 8 else ""
            print(f"  keep {unit} {g.keep}, remove {rest}{more}: \"{g.preview}\"")
        if len(groups) > SHOWN:
            print(f"  ... and {len(groups) - SHOWN:,} more groups (--json lists them all)")
    if canned:
        print(f"\nCanned answers (the same reply to {args.min_uses} or more different questions):")
        for c in canned[:SHOWN]:
            reply = " ".join(c.reply.split())
            reply = reply if len(reply) <= 90 else reply[:89] + "…"
            ids = ", ".join(map(str, c.example_ids[:6])) + (", ..." if len(c.example_ids) > 6 else "")
            print(f"  {c.questions:,} questions, {c.uses:,} uses, {c.wordings} wording(s): \"{reply}\" ({unit}s {ids})")
        if len(canned) > SHOWN:
            print(f"  ... and {len(canned) - SHOWN:,} more")
        print("  Canned answers are not removed: review them (edit or keep a few of each).")
    if written is not None:
        print(f"\nWrote {written:,} examples to {args.output} ({to_remove:,} duplicates left out).")
    elif removed is not None:
        print(f"\nRemoved {removed:,} duplicates from {args.input} (one undo step: Edit > Undo in the app).")
    elif report.groups:
        how = "--apply" if is_workspace else "-o OUT.jsonl"
        print(f"\nTo remove the {to_remove:,} duplicates, run again with {how}.")
    else:
        print("\nNo duplicates.")


class _Progress:
    """A percentage on a terminal's stderr; silent when stderr is not a terminal (pipes, tests)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.shown = -1
        self.active = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.active and total:
            pct = min(100, int(done * 100 / total))
            if pct != self.shown:
                self.shown = pct
                print(f"\r{self.title}... {pct}%", end="", file=sys.stderr)

    def done(self) -> None:
        if self.active and self.shown >= 0:
            print("\r" + " " * (len(self.title) + 10) + "\r", end="", file=sys.stderr)
