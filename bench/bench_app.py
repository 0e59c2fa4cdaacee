"""Benchmark the desktop app on a 50,000-example workspace (Qt offscreen, one process).

Reports: time to open (workspace + window + first rows shown), peak RSS, edit-to-updated-status
latency (p50/p99 over many edits), and the longest event-loop stall — measured by a 5 ms heartbeat
QTimer — while the whole workspace is validated in the background and while a 50,000-conversation
file is imported. Targets (issue 4): open <= 1 s, edit-to-status p99 <= 16 ms, no stall > 50 ms.

    QT_QPA_PLATFORM=offscreen python bench/bench_app.py [--examples 50000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import generate  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


class Heartbeat:
    """Records the largest gap between 5 ms timer ticks: how long the GUI thread was unavailable."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=5)
        self.clock = QElapsedTimer()
        self.worst = 0.0
        self.last = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.worst = 0.0
        self.clock.start()
        self.last = self.clock.elapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last - 5)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def wait_until(app, predicate, timeout=600.0) -> None:
    end = time.perf_counter() + timeout
    while not predicate():
        app.processEvents()
        if time.perf_counter() > end:
            raise TimeoutError("benchmark step did not finish")
        time.sleep(0.001)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=50_000)
    ap.add_argument("--edits", type=int, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ftw-bench-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    app = QApplication([sys.argv[0]])
    app.setOrganizationName("FineTuneWorkbenchBench")

    from workbench.core.formats import content_text
    from workbench.core.importers.base import ImportReport
    from workbench.core.importers.jsonl_source import JsonlOptions
    from workbench.core.importers.jsonl_source import run as run_jsonl
    from workbench.core.store import Workspace
    from workbench.core.store.workspace import NewExample
    from workbench.ui.examples_model import StatusRole
    from workbench.ui.main_window import MainWindow
    from workbench.ui.undo_commands import WorkspaceEdit

    data = tmp / "train.jsonl"
    generate(data, args.examples)
    ws_path = tmp / "big.ftw"
    t = time.perf_counter()
    with Workspace.open(ws_path) as ws:
        items = run_jsonl([data], JsonlOptions(), ImportReport())
        ws.add_examples((NewExample(i.example, i.source) for i in items), "Import")
    build = time.perf_counter() - t

    heartbeat = Heartbeat()
    t = time.perf_counter()
    window = MainWindow(Workspace.open(ws_path))
    window.show()
    window.examples_tab.table.viewport().repaint()
    app.processEvents()
    open_s = time.perf_counter() - t

    heartbeat.start()  # the window starts validating all examples in the background right away
    wait_until(app, lambda: not window.check_task.running)
    first_validate_s = time.perf_counter() - t
    stall_first = heartbeat.stop()  # includes loading the tokenizers (once per session)
    wait_until(app, lambda: not window.cost_tab.task.running)
    heartbeat.start()
    t = time.perf_counter()
    window._check_in_background(None)  # the same full validation, tokenizers already loaded
    wait_until(app, lambda: not window.check_task.running)
    validate_s = time.perf_counter() - t
    stall_validate = heartbeat.stop()

    # Edit-to-status: alternate one example between valid and invalid, as the editor does.
    model = window.examples_tab.model
    row = 10
    example_id = model.example_id(row)
    original = window.ws.get(example_id).data
    broken = {"messages": [m if m["role"] != "assistant" else {**m, "content": ""} for m in original["messages"]]}
    latencies = []
    for n in range(args.edits):
        target, expected = (broken, "error") if n % 2 == 0 else (original, "ok")
        start = time.perf_counter()
        window.undo_stack.push(WorkspaceEdit(window.ws, "Edit", lambda d=target: window.ws.update_example(example_id, d)))
        wait_until(app, lambda e=expected: model.data(model.index(row, 0), StatusRole) == e, timeout=10)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()

    # Import 50,000 conversations through the Import tab while the heartbeat runs.
    window.import_tab.set_files([data])
    wait_until(app, lambda: window.import_tab.import_button.isEnabled())
    heartbeat.start()
    t = time.perf_counter()
    task = window.import_tab.start_import()
    wait_until(app, lambda: not task.running)
    wait_until(app, lambda: window.ws.count() == 2 * args.examples)
    app.processEvents()
    import_s = time.perf_counter() - t
    wait_until(app, lambda: not window.check_task.running)
    stall_import = heartbeat.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{args.examples:,} examples ({sum(len(content_text(m.get('content'))) for m in original['messages'])} chars in the edited one)")
    print(f"build workspace (not timed by the targets)  {build:8.2f} s")
    print(f"open workspace + window + first rows        {open_s * 1000:8.0f} ms   (target <= 1000)")
    print(f"first validation after open (+ one-time tokenizer build) {first_validate_s:6.2f} s   longest stall {stall_first:5.0f} ms")
    print(f"background validation of all examples       {validate_s:8.2f} s   longest stall {stall_validate:5.0f} ms (target <= 50)")
    print(f"edit -> updated status   p50 {statistics.median(latencies):6.1f} ms   p99 {latencies[int(len(latencies) * 0.99) - 1]:6.1f} ms   (target p99 <= 16)")
    print(f"import {args.examples:,} more via the Import tab   {import_s:8.2f} s   longest stall (incl. re-check) {stall_import:5.0f} ms (target <= 50)")
    print(f"peak RSS                                     {peak_mb:8.0f} MB")
    window.close()


if __name__ == "__main__":
    main()
