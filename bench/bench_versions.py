"""Benchmark: dataset versions of a 50,000-example workspace (chat examples of ~400 tokens).

Each phase runs in its own process, one after the other on the same workspace file, and reports its
wall time (process start included), the time of the operation itself, and the process's peak RSS.
The floor is opening the workspace and counting its examples. Phases: the first version (copies
every text), a second one of the same examples (copies none), a version after editing 1% of the
texts and moving 1% to another split, diffs between versions and against the live examples, and
the version check a job submission makes when nothing changed.

    python bench/bench_versions.py [--examples 50000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import REPO, run_measured  # noqa: E402
from bench_engine import generate  # noqa: E402

BUILD = """
import json, sys
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
with open(sys.argv[2], encoding="utf-8") as fh:
    items = [NewExample(json.loads(line), tags=["billing"] if n % 5 == 0 else ()) for n, line in enumerate(fh)]
with Workspace.open(sys.argv[1]) as ws:
    ws.add_examples(items, "Import")
"""

EDIT = """
import sys
from workbench.core.store import Workspace
with Workspace.open(sys.argv[1]) as ws:
    ids = ws.ids()
    step = 100
    ws.update_fields({i: {"data": {**ws.get(i).data, "messages": ws.get(i).data["messages"][:-1]
                                    + [{"role": "assistant", "content": "Edited reply."}]}} for i in ids[::step]}, "Edit")
    ws.set_split(ids[1::step], "validation")
    ws.delete_examples(ids[2::step * 2])
"""

PHASE = """
import json, sys, time
from workbench.core.store import Workspace
from workbench.core import versions as V
path, out, phase = sys.argv[1], sys.argv[2], sys.argv[3]
with Workspace.open(path) as ws:
    start = time.perf_counter()
    if phase == "floor":
        ws.count()
        result = ws.count()
    elif phase.startswith("create "):
        result = V.create_version(ws, phase.removeprefix("create ")).examples
    elif phase == "version for export":
        result = V.version_for_export(ws).name
    else:
        _, a, b = phase.split(" ", 2)
        result = V.diff_versions(ws, a, b).counts()
    seconds = time.perf_counter() - start
with open(out, "w") as fh:
    json.dump({"seconds": seconds, "result": result}, fh)
"""

PHASES = [
    ("open + count (floor)", "floor"),
    ("first version", "create v1"),
    ("same examples again", "create v2"),
    ("version after 1% edits", "create v3"),
    ("diff v1 -> v2 (equal)", "diff v1 v2"),
    ("diff v1 -> v3", "diff v1 v3"),
    ("diff v1 -> current", "diff v1 current"),
    ("version for export (reuse)", "version for export"),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=50_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, ws, out = Path(tmp) / "train.jsonl", Path(tmp) / "bench.ftw", Path(tmp) / "out.json"
        generate(data, args.examples)
        print(f"Building a workspace of {args.examples:,} examples...", file=sys.stderr)
        run_measured(["-c", BUILD, str(ws), str(data)])
        rows = []
        for label, phase in PHASES:
            if phase == "create v3":
                run_measured(["-c", EDIT, str(ws)])
            wall, peak = run_measured(["-c", PHASE, str(ws), str(out), phase])
            done = json.loads(out.read_text())
            rows.append((label, wall, done["seconds"], peak, done["result"]))
        size = ws.stat().st_size / 1e6
    print(f"{args.examples:,} examples; workspace file {size:,.0f} MB at the end")
    print(f"{'phase':<30}{'wall s':>8}{'op s':>8}{'peak MB':>9}  result")
    for label, wall, op, peak, result in rows:
        print(f"{label:<30}{wall:>8.2f}{op:>8.2f}{peak:>9.0f}  {result}")
    print(f"(python {sys.version.split()[0]}, repo {REPO})")


if __name__ == "__main__":
    main()
