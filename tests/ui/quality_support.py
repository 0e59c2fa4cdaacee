"""Builders for the Data quality UI tests: conversations, and the tab on an undo stack with the same
``run_edit`` contract as the main window (a few rows on the GUI thread, many on a worker)."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.ui.background_edit import run_background_edit
from workbench.ui.quality import QualityTab
from workbench.ui.undo_commands import WorkspaceEdit


def chat(question: str, answer: str, *, system: str | None = "You are Acme's support assistant.") -> dict:
    msgs = [{"role": "system", "content": system}] if system else []
    return {"messages": [*msgs, {"role": "user", "content": question}, {"role": "assistant", "content": answer}]}


def add(ws: Workspace, datas, *, tags=None, sources=None, split: str = "train") -> list[int]:
    return ws.add_examples([NewExample(d, source=sources[n] if sources else None, tags=tags[n] if tags else (),
                                       split=split) for n, d in enumerate(datas)], "Import")


class Harness:
    """The Data quality tab as the main window hosts it, without the rest of the window."""

    def __init__(self, qtbot, ws: Workspace, background_from: int = 2000) -> None:
        self.ws = ws
        self.undo_stack = QUndoStack()
        self.background_from = background_from
        self.tasks: list = []
        self.tab = QualityTab(self.run_edit)
        qtbot.addWidget(self.tab)
        self.tab.resize(1300, 800)
        self.tab.set_workspace(ws)
        self.jumps: list[tuple[int, ...]] = []
        self.tab.jump_to_example.connect(lambda i: self.jumps.append((i,)))
        self.tab.jump_to_message.connect(lambda i, m: self.jumps.append((i, m)))

    def run_edit(self, label, rows, edit, title="Applying changes"):
        if rows < self.background_from:
            self.undo_stack.push(WorkspaceEdit(self.ws, label, lambda: edit(self.ws)))
            return None
        task = run_background_edit(self.ws, self.undo_stack, title, label, lambda ws, _p, _c: edit(ws), parent=self.tab)
        self.tasks.append(task)
        return task

    def close(self) -> None:
        self.tab.shutdown()
