"""`workbench snapshot create|list|diff`: named versions of a workspace's examples.

A version is named by its name or its number (``3`` or ``#3``, as `snapshot list` shows it);
``current`` is the workspace as it is now.

Exit codes: 0 done (a diff that finds differences is done too), 2 the workspace cannot be opened or
the command line names something that does not exist.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2
DEFAULT_SHOWN = 10
_IDS_SHOWN = 20


class _Stop(Exception):
    pass


def add_snapshot_parser(subparsers) -> None:
    p = subparsers.add_parser("snapshot", help="named versions of a workspace's examples, and what changed",
                              description="Dataset versions: named snapshots of a workspace's examples. "
                              "Name a version by its name or its number (3 or #3); 'current' is the workspace now.")
    actions = p.add_subparsers(dest="snapshot_action", metavar="ACTION", required=True)

    c = actions.add_parser("create", help="save the examples as they are now as a named version")
    c.add_argument("workspace", type=Path, metavar="WS.ftw")
    c.add_argument("--name", default="", help="default: 'Version N — date time'")
    c.add_argument("--note", default="", metavar="TEXT", help="what this version is for")

    ls = actions.add_parser("list", help="versions, newest first, with the jobs trained on each")
    ls.add_argument("workspace", type=Path, metavar="WS.ftw")
    ls.add_argument("--json", action="store_true")

    d = actions.add_parser("diff", help="examples added, removed and changed between two versions")
    d.add_argument("workspace", type=Path, metavar="WS.ftw")
    d.add_argument("before", metavar="A", help="a version (name or number)")
    d.add_argument("after", metavar="B", nargs="?", default="current", help="a version, or 'current' (default)")
    d.add_argument("--json", action="store_true")
    d.add_argument("--show", type=int, default=DEFAULT_SHOWN, metavar="N",
                   help=f"changed examples to describe (default {DEFAULT_SHOWN})")


def run_snapshot_command(args) -> int:
    from workbench.core.store import Workspace, WorkspaceError
    from workbench.core.versions import VersionError

    handler = {"create": _create, "list": _list, "diff": _diff}[args.snapshot_action]
    try:
        with Workspace.open(args.workspace, create=False) as ws:
            return handler(args, ws)
    except (WorkspaceError, VersionError, _Stop) as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _when(utc_iso: str) -> str:
    """A stored UTC time as local "YYYY-MM-DD HH:MM"."""
    moment = datetime.strptime(utc_iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _create(args, ws) -> int:
    from workbench.core.versions import create_version, matching_version

    same = matching_version(ws)
    version = create_version(ws, args.name, args.note)
    print(f"Created version '{version.name}' (#{version.id}) of {ws.path}: {version.examples:,} examples.")
    if same is not None:
        print(f"It holds the same examples as '{same.name}' (#{same.id}).")
    return EXIT_OK


def _list(args, ws) -> int:
    from workbench.core.versions import list_versions

    versions = list_versions(ws)
    if args.json:
        print(json.dumps([{"id": v.id, "name": v.name, "note": v.note, "created_at": v.created_at,
                           "examples": v.examples, "digest": v.digest, "jobs": list(v.jobs)} for v in versions],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    if not versions:
        print(f"{ws.path} has no versions yet. Make one with: workbench snapshot create {ws.path}")
        return EXIT_OK
    table = [("#", "NAME", "CREATED", "EXAMPLES", "JOBS")]
    for v in versions:
        table.append((str(v.id), v.name, _when(v.created_at), f"{v.examples:,}", ", ".join(v.jobs) or "-"))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    return EXIT_OK


def _diff(args, ws) -> int:
    from workbench.core.versions import change_data, describe_content_change, diff_versions

    if args.show < 0:
        raise _Stop("--show must be 0 or more.")
    diff = diff_versions(ws, args.before, args.after)

    def detail(change) -> str:
        summary = change.summary()
        if "content" in change.fields:
            summary = summary.replace("text changed", "text: " + describe_content_change(*change_data(ws, change)))
        return summary

    if args.json:
        def state(s):
            return None if s is None else {"split": s.split, "tags": list(s.tags), "content_hash": s.content_hash}

        changes = [{"id": c.example_id, "fields": list(c.fields),
                    "summary": detail(c) if n < args.show else c.summary(),  # texts read for the first N only
                    "before": state(c.before), "after": state(c.after)} for n, c in enumerate(diff.changed)]
        print(json.dumps({
            "before": diff.before, "after": diff.after, **diff.counts(),
            "added_ids": [c.example_id for c in diff.added], "removed_ids": [c.example_id for c in diff.removed],
            "changes": changes,
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    counts = diff.counts()
    print(f"'{diff.before}' → '{diff.after}': {counts['added']:,} added, {counts['removed']:,} removed, "
          f"{counts['changed']:,} changed, {counts['unchanged']:,} unchanged.")
    if diff.identical:
        print("Same examples, splits and tags.")
        return EXIT_OK
    if diff.changed and args.show:
        shown = diff.changed[:args.show]
        print(f"Changed{f' (first {len(shown)})' if len(shown) < len(diff.changed) else ''}:")
        width = max(len(str(c.example_id)) for c in shown)
        for change in shown:
            print(f"  #{change.example_id:<{width}}  {detail(change)}")
    for label, changes in (("Added", diff.added), ("Removed", diff.removed)):
        if changes:
            ids = ", ".join(f"#{c.example_id}" for c in changes[:_IDS_SHOWN])
            more = f" and {len(changes) - _IDS_SHOWN:,} more" if len(changes) > _IDS_SHOWN else ""
            print(f"{label}: {ids}{more}")
    return EXIT_OK
