"""The evaluation's background work, run through ``ui.tasks.run_task``: choose the examples and
store the run (on the worker's own workspace connection), then ask every model — or resume a run.

``RunBox`` is how the GUI and the worker share a run without sending objects through signals: the
worker writes the run id and the runner into it; the GUI reads them after the task's signals
(and may call ``cancel`` from its thread at any time — EvalRunner.cancel is thread-safe)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.playground.answer import ChatSettings, ChatTarget
from workbench.core.playground.eval_store import EvalStore
from workbench.core.playground.evaluation import EvalPlan, Selection, choose_items
from workbench.core.store import Workspace
from workbench.providers.connect import Connector
from workbench.providers.eval_runner import EvalOutcome, EvalRunner, run_stored_evaluation


class EvalSetupError(Exception):
    """The run cannot start (no examples to ask); the message is for people."""


@dataclass(frozen=True)
class EvalRequest:
    targets: tuple[ChatTarget, ...]
    selection: Selection
    settings: ChatSettings
    concurrency: int
    name: str
    seed: int


@dataclass
class RunBox:
    run_id: int | None = None
    skipped: int = 0  # examples left out (nothing to ask), with the first reason
    skipped_reason: str = ""
    _runner: EvalRunner | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cancelled: bool = False

    def set_runner(self, runner: EvalRunner) -> None:
        with self._lock:
            self._runner = runner
            cancelled = self._cancelled
        if cancelled:
            runner.cancel()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            runner = self._runner
        if runner is not None:
            runner.cancel()


ConnectorFactory = Callable[[], Connector]


def create_and_run(progress, cancelled, ws_path: Path, request: EvalRequest, box: RunBox,
                   connector_factory: ConnectorFactory = Connector) -> EvalOutcome:
    with Workspace.open(ws_path, create=False) as ws:
        items, skipped = choose_items(ws, request.selection)
        box.skipped = len(skipped)
        box.skipped_reason = skipped[0].reason if skipped else ""
        if not items:
            where = request.selection.describe()
            raise EvalSetupError(f"There is nothing to ask in {where}: "
                                 + (f"{len(skipped)} examples have no customer message before an answer."
                                    if skipped else "it has no examples. Choose another split or add examples."))
        plan = EvalPlan(targets=list(request.targets), items=items, settings=request.settings, seed=request.seed,
                        name=request.name, selection=request.selection, concurrency=request.concurrency)
        box.run_id = EvalStore(ws).create_run(plan)
    return resume_run(progress, cancelled, ws_path, box.run_id, box, connector_factory)


def resume_run(progress, cancelled, ws_path: Path, run_id: int, box: RunBox,
               connector_factory: ConnectorFactory = Connector) -> EvalOutcome:
    box.run_id = run_id
    connector = connector_factory()
    try:
        return run_stored_evaluation(ws_path, run_id, connector=connector, on_progress=progress,
                                     should_stop=cancelled, on_runner=box.set_runner)
    finally:
        connector.close()
