"""The Playground tab: Compare (2-4 models side by side, blind if wanted) and Evaluate (held-out
runs, blind review, report). ``set_presentation`` makes it fit for a demo: larger text, and no
internal ids or server addresses."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from workbench.core.store import Workspace
from workbench.ui.playground.compare_page import ComparePage, Push
from workbench.ui.playground.eval_page import EvaluationPage
from workbench.ui.playground.targets import model_choices, profile_names
from workbench.ui.undo_commands import WorkspaceEdit

PRESENTATION_SCALE = 1.35


class PlaygroundTab(QWidget):
    def __init__(self, undo_stack: QUndoStack | None = None, push: Push | None = None,
                 parent: QWidget | None = None) -> None:
        """``push(label, perform)`` adds an edit as one undo step (the main window's ``_push``, which
        also waits for background edits); without it edits go straight on ``undo_stack``."""
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.undo_stack = undo_stack
        self.presentation = False
        self._base_font = QFont(self.font())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.compare = ComparePage(push or (self._push if undo_stack is not None else None), undo_stack)
        self.evaluation = EvaluationPage()
        self.pages.addTab(self.compare, "Compare")
        self.pages.addTab(self.evaluation, "Evaluate")
        layout.addWidget(self.pages)

    def _push(self, label: str, perform: Callable[[], object]) -> None:
        self.undo_stack.push(WorkspaceEdit(self.ws, label, perform))

    @property
    def selected_ids(self) -> Callable[[], list[int]] | None:
        return self.evaluation.setup.selected_ids

    @selected_ids.setter
    def selected_ids(self, provider: Callable[[], list[int]] | None) -> None:
        """Where "Selected in the Examples tab" comes from (the main window's examples tab)."""
        self.evaluation.setup.selected_ids = provider

    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self.compare.set_workspace(ws)
        self.evaluation.set_workspace(ws)
        self._refresh_eval_choices()

    def _refresh_eval_choices(self) -> None:
        self.evaluation.setup.set_choices(model_choices(self.ws), profile_names()[0])

    def refresh_choices(self, reconnect: bool = True) -> None:
        """Models and profiles again, and fresh connections (after Settings: a key may have changed)."""
        if not self.compare.running:
            self.compare.refresh_choices(reconnect)
        self._refresh_eval_choices()

    def showEvent(self, event) -> None:
        # New fine-tuned models (a job finished meanwhile) show up when the tab is opened.
        super().showEvent(event)
        self.refresh_choices(reconnect=False)

    def set_presentation(self, on: bool) -> None:
        """Larger text; fine-tuned models by base and suffix; no ids, server addresses or services."""
        self.presentation = on
        font = QFont(self._base_font)
        if on:
            size = self._base_font.pointSizeF()
            if size > 0:
                font.setPointSizeF(size * PRESENTATION_SCALE)
            else:
                font.setPixelSize(round(self._base_font.pixelSize() * PRESENTATION_SCALE))
        self.setFont(font)
        self.compare.set_presentation(on)
        self.evaluation.set_presentation(on)

    def shutdown(self) -> None:
        """Stop answers in flight and an evaluation (closing the window); waits a moment at most."""
        self.compare.shutdown(wait=1.0)
        self.evaluation.shutdown()
