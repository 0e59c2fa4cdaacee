"""QUndoCommands over the workspace's own edit log.

The first redo() performs the edit through core (one transaction, one edit group); later
undo()/redo() replay that group with Workspace.undo()/redo(). Every UI edit goes through the
QUndoStack, so the two histories stay in step.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from PySide6.QtGui import QUndoCommand

from workbench.core.store import Workspace


class WorkspaceEdit(QUndoCommand):
    def __init__(self, ws: Workspace, label: str, perform: Callable[[], None] | None) -> None:
        """``perform=None``: the edit was already made (by a worker's connection); only undo/redo remain."""
        super().__init__(label)
        self._ws = ws
        self._perform = perform
        self._first = True  # the first redo() performs the edit (or, when already made, nothing)

    # Set by ``replayed()`` while the stack moves over a step a worker has already replayed.
    _already_replayed = False

    def redo(self) -> None:
        if WorkspaceEdit._already_replayed:
            return
        if self._first:
            self._first = False
            perform, self._perform = self._perform, None
            if perform is None:
                return
            before = self._ws.last_group()
            perform()
            if self._ws.last_group() == before:
                # Nothing was written: an undo step here would revert the previous action instead.
                self.setObsolete(True)
        else:
            self._ws.redo()

    def undo(self) -> None:
        if not WorkspaceEdit._already_replayed:
            self._ws.undo()


@contextlib.contextmanager
def replayed() -> Iterator[None]:
    """Move the undo stack without touching the workspace: a worker already undid (or redid) the
    step on its own connection."""
    WorkspaceEdit._already_replayed = True
    try:
        yield
    finally:
        WorkspaceEdit._already_replayed = False
