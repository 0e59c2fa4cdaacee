"""`workbench import SRC... -o OUT`: helpdesk exports and spreadsheets -> JSONL or a workspace."""

from __future__ import annotations

import json
import sys
from pathlib import Path

WORKSPACE_SUFFIXES = {".ftw"}


def add_import_parser(sub) -> None:
    p = sub.add_parser("import", help="turn a CSV/Excel sheet, a Zendesk export or JSONL into training data")
    p.add_argument("sources", nargs="+", type=Path, metavar="SRC", help="files or folders (a folder = Zendesk API dump)")
    p.add_argument("-o", "--output", type=Path, required=True, help="a .jsonl file, or a workspace (.ftw) to import into")
    p.add_argument("--from", dest="source", default="auto", choices=["auto", "csv", "excel", "zendesk", "jsonl"])
    p.add_argument("--map", default="", help="columns for CSV/Excel: customer=COL,agent=COL[,system=COL,conversation_id=COL,order=COL,tags=COL,category=COL]")
    p.add_argument("--status", default="solved,closed", help="Zendesk ticket statuses to keep (default: solved,closed)")
    p.add_argument("--csat", default="any", choices=["any", "good"], help="Zendesk: keep only tickets rated good")
    p.add_argument("--system-prompt", help="system message put first in every conversation")
    p.add_argument("--convert-legacy", action="store_true", help="JSONL: convert prompt/completion examples to chat")
    p.add_argument("--report", type=Path, help="also write the import report as JSON")


def _parse_map(text: str) -> dict[str, str]:
    mapping = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"'{part}' is not KEY=COLUMN")
        mapping[key.strip()] = value.strip()
    return mapping


def run_import_command(args) -> int:
    from workbench.core.importers.base import ImportFailed
    from workbench.core.importers.runner import ImportSettings, run_import, write_jsonl, write_workspace
    from workbench.core.store import Workspace, WorkspaceError

    def fail(message: str, code: int = 2) -> int:
        print(f"workbench: {message}", file=sys.stderr)
        return code

    try:
        mapping = _parse_map(args.map)
    except ValueError as exc:
        return fail(f"--map: {exc}. Example: --map customer=Question,agent=Answer")
    settings = ImportSettings(
        source=args.source,
        system_prompt=args.system_prompt,
        mapping=mapping,
        statuses={s.strip().lower() for s in args.status.split(",") if s.strip()},
        csat=args.csat,
        convert_legacy=args.convert_legacy,
    )
    last_shown = [-1]

    def progress(done: int, total: int) -> None:
        if total and sys.stderr.isatty():
            pct = int(done * 100 / total)
            if pct != last_shown[0]:
                last_shown[0] = pct
                print(f"\rImporting... {pct}%", end="", file=sys.stderr)

    try:
        result = run_import(args.sources, settings, progress=progress)
    except ImportFailed as exc:
        return fail(f"{exc} Nothing was imported.")
    except KeyboardInterrupt:
        return fail("cancelled; nothing was imported.", 130)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    if not result.examples:
        for line in result.report.summary_lines():
            print(line)
        if args.report:
            args.report.write_text(json.dumps(result.report.to_json(), indent=2, ensure_ascii=False), "utf-8")
        return fail(f"no conversations passed the filters; {args.output} was not written.", 1)
    try:
        if args.output.suffix.lower() in WORKSPACE_SUFFIXES:
            with Workspace.open(args.output) as ws:
                write_workspace(result, ws)
        else:
            write_jsonl(result, args.output)
        if args.report:
            args.report.write_text(json.dumps(result.report.to_json(), indent=2, ensure_ascii=False), "utf-8")
    except WorkspaceError as exc:
        return fail(f"{exc} Nothing was imported.")
    except OSError as exc:
        return fail(f"cannot write {exc.filename or args.output}: {exc.strerror or exc}. Nothing was imported.")
    for line in result.report.summary_lines():
        print(line)
    print(f"Wrote {len(result.examples):,} examples to {args.output}.")
    return 0
