"""What every Data quality page shares: a run bar (button, progress, Cancel, message), read-only work
on a worker with its own workspace connection, and edits made as one undo step via ``run_edit``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from workbench.core.store import Workspace, WorkspaceError
from workbench.ui.tasks import TaskHandle, run_task

log = logging.getLogger(__name__)

# The main window's ``run_edit(label, rows, edit, title)``: ``edit(ws)`` as one undo step, on the GUI
# thread for a few rows or on a worker for many; returns the worker's handle, or None.
RunEdit = Callable[[str, int, Callable[[Workspace], Any], str], TaskHandle | None]
ReadWork = Callable[[Workspace, Callable[[int, int], None], Callable[[], bool]], Any]
EXPECTED = (ValueError, WorkspaceError, OSError)  # core raises these with sentences meant for people


def read_task(title: str, path: Path, work: ReadWork, parent,
              expected: tuple[type[BaseException], ...] = EXPECTED) -> TaskHandle:
    """``work(ws, progress, cancelled)`` on a worker with its own connection (the GUI's belongs to
    the GUI thread). Results come back through the handle's ``succeeded``; ``expected`` errors carry
    a message for people (``failed``)."""

    def run(progress, cancelled):
        with Workspace.open(path, create=False) as ws:
            return work(ws, progress, cancelled)

    return run_task(title, run, expected=expected, parent=parent)


def apply_edit(run_edit: RunEdit, label: str, rows: int, apply: Callable[[Workspace], Any], title: str,
               done: Callable[[Any], None], error: Callable[[str], None]) -> bool:
    """Runs ``apply(ws)`` (a core function that makes its edit as one ``ws.batch``) as one undo step.

    ``done(result)`` or ``error(message)`` is called on the GUI thread once it has finished. An error
    never reaches the undo stack: the core batch rolls back, nothing is written, and no step is pushed
    (an undo step for an edit that did not happen would undo the previous one instead).
    Returns False when the window refused to start (another edit is still running)."""
    box: dict[str, Any] = {}

    def edit(ws: Workspace) -> Any:
        try:
            box["result"] = apply(ws)
        except EXPECTED as exc:
            box["error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not leave a half-made undo step behind
            log.exception("%s failed", title)
            box["error"] = f"{title} failed unexpectedly ({type(exc).__name__}). Details are in the log file."
        return box.get("result")

    def report() -> None:
        if "error" in box:
            error(box["error"])
        else:
            done(box.get("result"))

    task = run_edit(label, rows, edit, title)
    if task is None:
        if not box:
            return False  # refused: the window said why in its status bar
        report()
        return True
    task.succeeded.connect(lambda _outcome: report())
    task.failed.connect(error)
    return True


class RunBar(QWidget):
    """[Button] [progress] [Cancel] message — the row every page starts its work from."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(text)
        self.progress = QProgressBar(visible=False, maximumWidth=220)
        self.progress.setAccessibleName(f"{text.rstrip('…')} progress")
        self.cancel = QPushButton("Cancel", visible=False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.task: TaskHandle | None = None
        self.cancel.clicked.connect(self.stop)
        row.addWidget(self.button)
        row.addWidget(self.progress)
        row.addWidget(self.cancel)
        row.addWidget(self.message, 1)

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def watch(self, task: TaskHandle, busy_text: str) -> TaskHandle:
        """Shows progress and Cancel while ``task`` runs, then a plain message if it failed or stopped."""
        self.task = task
        self.button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.message.setText(busy_text)
        task.progress.connect(self._progress)
        task.failed.connect(self.message.setText)
        task.cancelled.connect(lambda: self.message.setText("Cancelled; nothing was changed."))
        task.finished.connect(self._finished)
        return task

    def stop(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _finished(self) -> None:
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self.button.setEnabled(True)


def hint(text: str) -> QLabel:
    """A sentence that says what a page is for, or what to do next."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def warning_background(widget: QWidget) -> QColor:
    """A row tint for something that needs a look, readable with the light and the dark palette."""
    return QColor("#5a4500") if is_dark(widget) else QColor("#fff4cc")


def local_time(utc_iso: str) -> str:
    """"2026-11-22T14:05:00Z" as local "2026-11-22 15:05"."""
    try:
        return datetime.fromisoformat(utc_iso.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return utc_iso


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def tag_choices(tags: list[str], *, plain_tags: bool = True) -> list[tuple[str, str]]:
    """(label, prefix) for segmenting by tag: "tier" for tier:gold / tier:silver, then plain tags."""
    values: dict[str, list[str]] = {}
    plain: list[str] = []
    for tag in tags:
        prefix, colon, value = tag.partition(":")
        if colon and prefix and value:
            values.setdefault(prefix, []).append(value)
        else:
            plain.append(tag)
    out = []
    for prefix, vals in sorted(values.items()):
        shown = ", ".join(sorted(vals)[:3]) + (", …" if len(vals) > 3 else "")
        out.append((f"{prefix} ({shown})", prefix))
    if plain_tags:
        out += [(f"{tag} (tagged or not)", tag) for tag in sorted(plain) if tag not in values]
    return out
