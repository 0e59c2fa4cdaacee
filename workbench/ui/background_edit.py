"""Large workspace edits made off the GUI thread, then put on the undo stack like any other edit.

A select-all delete or a redaction of 50,000 examples takes a second or more in SQLite; on the GUI
thread that is a frozen window. ``run_background_edit`` runs the edit on a worker with its own
connection to the same workspace file (one transaction, one edit group, exactly as on the GUI
thread), collects the change notifications it caused, and on success pushes a ``WorkspaceEdit``
whose later undo/redo replay that group, then re-announces the changes on the GUI's workspace so
the table, validation and the Problems panel follow.

Small edits stay synchronous (``BACKGROUND_FROM`` rows): they finish within a frame, and an edit
that is visible at once is easier to follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from workbench.core.store import ChangeEvent, Workspace
from workbench.ui.tasks import TaskHandle, run_task
from workbench.ui.undo_commands import WorkspaceEdit, replayed

BACKGROUND_FROM = 2_000  # rows; below this an edit runs on the GUI thread

# work(ws, progress, cancelled) makes the edit on the worker's own connection. It returns a value
# for the caller (e.g. counts for a status message), or raises to change nothing.
EditWork = Callable[[Workspace, Callable[[int, int], None], Callable[[], bool]], Any]


@dataclass
class EditOutcome:
    label: str
    result: Any = None
    events: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.events)


def run_background_edit(
    ws: Workspace,
    undo_stack: QUndoStack,
    title: str,
    label: str,
    work: EditWork,
    *,
    expected: tuple[type[BaseException], ...] = (Exception,),
    parent: QObject | None = None,
) -> TaskHandle:
    """Run ``work`` on a worker; on success the edit is one undo step labelled ``label``.

    The handle's ``succeeded`` carries an ``EditOutcome`` (after the undo step is pushed).
    A failure or Cancel leaves the workspace as it was: the worker's transaction never commits.
    """
    path = ws.path

    def run(progress, cancelled) -> EditOutcome:
        outcome = EditOutcome(label)
        with Workspace.open(path, create=False) as worker_ws:
            worker_ws.subscribe(lambda e: outcome.events.append((e.kind, e.ids)))
            outcome.result = work(worker_ws, progress, cancelled)
        return outcome

    task = run_task(title, run, expected=expected, parent=parent)
    task.succeeded.connect(lambda outcome: _land(ws, undo_stack, outcome))
    return task


def run_background_replay(ws: Workspace, undo_stack: QUndoStack, *, undo: bool,
                          parent: QObject | None = None) -> TaskHandle:
    """Undo (or redo) a big step on a worker, then move the undo stack over it without replaying
    it again, and re-announce the changes on the GUI's workspace."""
    path = ws.path
    title = ("Undoing " if undo else "Redoing ") + (undo_stack.undoText() if undo else undo_stack.redoText())

    def run(_progress, _cancelled) -> EditOutcome:
        outcome = EditOutcome(title)
        with Workspace.open(path, create=False) as worker_ws:
            worker_ws.subscribe(lambda e: outcome.events.append((e.kind, e.ids)))
            outcome.result = worker_ws.undo() if undo else worker_ws.redo()
        return outcome

    task = run_task(title, run, parent=parent)
    task.succeeded.connect(lambda outcome: _moved(ws, undo_stack, outcome, undo))
    return task


def _moved(ws: Workspace, undo_stack: QUndoStack, outcome: EditOutcome, undo: bool) -> None:
    with replayed():
        undo_stack.undo() if undo else undo_stack.redo()
    for kind, ids in _merged(outcome.events):
        ws.notify(kind, ids)


def _land(ws: Workspace, undo_stack: QUndoStack, outcome: EditOutcome) -> None:
    if not outcome.changed:
        return  # nothing was written: nothing to undo
    undo_stack.push(WorkspaceEdit(ws, outcome.label, None))  # already committed by the worker
    for kind, ids in _merged(outcome.events):
        ws.notify(kind, ids)


def _merged(events: list[tuple[str, tuple[int, ...]]]) -> list[tuple[str, list[int]]]:
    """One notification per kind, in first-seen order (a bulk edit may emit many small batches)."""
    merged: dict[str, list[int]] = {}
    for kind, ids in events:
        merged.setdefault(kind, []).extend(ids)
    return list(merged.items())


__all__ = ["BACKGROUND_FROM", "ChangeEvent", "EditOutcome", "run_background_edit", "run_background_replay"]
