"""`workbench split IN --ratios 80/10/10`: train / validation / test, seeded and reproducible.

A JSONL file is written as OUTDIR/<name>.train.jsonl, .validation.jsonl and .test.jsonl (lines
copied as they are); a workspace gets its splits set as one undo step. The same seed and the same
examples always give the same split, whatever their order. Stratify by a tag prefix (``tier`` for
tags like ``tier:gold``) or a comma-separated list of tags; in a JSONL file tags come from each
example's ``metadata`` (``{"tier": "gold"}`` is ``tier:gold``; a ``tags`` list counts as it is).
Exit codes: 0 done, 2 unreadable input or bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.cli_import import WORKSPACE_SUFFIXES


def add_split_parser(sub) -> None:
    p = sub.add_parser("split", help="assign train / validation / test by ratio, stratified and reproducible",
                       description="Split a JSONL file or a workspace into train / validation / test. "
                       "The test split is held out: the app never exports it for training.")
    p.add_argument("input", type=Path, metavar="IN", help="a .jsonl file or a workspace (.ftw)")
    p.add_argument("--ratios", default="80/10/10", help="train/validation/test, e.g. 80/10/10 or 90/10 (default 80/10/10)")
    p.add_argument("--stratify-by", metavar="TAGPREFIX",
                   help="keep the ratios within each value of this tag prefix (e.g. tier), or of a list: billing,shipping "
                   "(JSONL: tags come from each example's metadata)")
    p.add_argument("--seed", type=int, default=42, help="the same seed gives the same split (default 42)")
    p.add_argument("--by", choices=["content", "id"], default="content",
                   help="hash each example's content (default; identical examples stay together) or its id")
    p.add_argument("-o", "--output", type=Path, metavar="OUTDIR", help="JSONL input: the folder for the split files")
    p.add_argument("--dry-run", action="store_true", help="workspace input: show the counts, change nothing")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _fail(message: str, code: int = 2) -> int:
    print(f"workbench: {message}", file=sys.stderr)
    return code


def _stratify(value: str | None):
    if not value or not value.strip():
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    return parts[0] if len(parts) == 1 and "," not in value else parts


def run_split_command(args) -> int:
    from workbench.core.quality import (
        JsonlRecords,
        SplitRatios,
        UnreadableInput,
        WorkspaceRecords,
        apply_splits,
        plan_splits,
    )
    from workbench.core.store import Workspace, WorkspaceError

    is_workspace = args.input.suffix.lower() in WORKSPACE_SUFFIXES
    try:
        ratios = SplitRatios.parse(args.ratios)
    except ValueError as exc:
        return _fail(f"--ratios: {exc}.")
    if is_workspace and args.output:
        return _fail("-o is for a JSONL file; a workspace keeps its splits (export train/validation with File > Export).")
    if not is_workspace and args.dry_run:
        return _fail("--dry-run is for a workspace; for a JSONL file leave out -o to see the counts only.")
    if args.output and args.output.exists() and not args.output.is_dir():
        return _fail(f"{args.output} is a file; -o takes a folder for the train/validation/test files.")
    stratify_by = _stratify(args.stratify_by)
    ws = None
    written: dict[str, str] = {}
    moved = None
    try:
        if is_workspace:
            ws = Workspace.open(args.input, create=False)
            records = WorkspaceRecords(ws)
        else:
            records = JsonlRecords(args.input)
        plan = plan_splits(records, ratios, seed=args.seed, stratify_by=stratify_by, by=args.by)
        if not plan.assignment:
            return _fail(f"{args.input} has no examples to split.", 1)
        if ws is not None and not args.dry_run:
            moved = apply_splits(ws, plan)
        if args.output:
            written = _write_files(args.input, args.output, plan)
    except UnreadableInput as exc:
        return _fail(f"{exc}")
    except WorkspaceError as exc:
        return _fail(f"{exc}")
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or args.output}: {exc.strerror or exc}.")
    finally:
        if ws is not None:
            ws.close()
    if args.json:
        out = {"input": str(args.input), **plan.to_json(), "written": written}
        if moved is not None:
            out["moved"] = moved
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _print_table(args, plan, stratify_by)
    if stratify_by and set(plan.strata) == {"(none)"}:
        print(f"Note: no example has a tag matching {args.stratify_by!r}, so the split is not stratified.")
    if written:
        for split, path in written.items():
            print(f"Wrote {plan.counts()[split]:,} {split} examples to {path}")
    elif moved is not None:
        print(f"Set the split of {moved:,} examples in {args.input} (one undo step). The test split is never "
              "exported for training.")
    elif is_workspace:
        print("Dry run: nothing was changed.")
    else:
        print("Nothing was written; add -o OUTDIR to write the split files.")
    return 0


def _write_files(source: Path, folder: Path, plan) -> dict[str, str]:
    from workbench.core.quality.jsonl_out import copy_lines

    folder.mkdir(parents=True, exist_ok=True)
    stem = source.name.removesuffix(".jsonl")
    names = [s for s in ("train", "validation", "test") if getattr(plan.ratios, s) > 0]
    outputs = {s: folder / f"{stem}.{s}.jsonl" for s in names}
    copy_lines(source, outputs, plan.assignment.get)
    return {s: str(p) for s, p in outputs.items()}


def _print_table(args, plan, stratify_by) -> None:
    by = stratify_by if isinstance(stratify_by, str) else ", ".join(stratify_by) if stratify_by else None
    print(f"{args.input}: {len(plan.assignment):,} examples split {plan.ratios} (seed {plan.seed}"
          f"{f', stratified by {by}' if by else ''})")
    head = ("stratum" if stratify_by else "", "examples", "train", "validation", "test")
    rows = [head] + [(name, *(f"{v:,}" for v in values)) for name, *values in plan.table()]
    if not stratify_by:
        rows = [head, rows[-1]]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    for n, row in enumerate(rows):
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
