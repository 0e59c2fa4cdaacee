"""The main window: workspace menus, the examples table, undo/redo, status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.core.store import SPLITS, ChangeEvent, Workspace, WorkspaceError
from workbench.core.workspace_checks import WorkspaceChecker
from workbench.ui.examples_model import ExamplesTableModel
from workbench.ui.tasks import TaskHandle, run_task
from workbench.ui.undo_commands import WorkspaceEdit

MAX_RECENT = 8


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.ws: Workspace | None = None
        self.model: ExamplesTableModel | None = None
        self.checker: WorkspaceChecker | None = None
        self.check_task: TaskHandle | None = None
        self._pending_ids: set[int] = set()
        self._recheck = QTimer(self, singleShot=True, interval=120)  # debounce edits
        self._recheck.timeout.connect(self._recheck_pending)
        self._build_examples_tab()
        self._build_menus()
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.set_workspace(workspace)
        settings = QSettings()
        if geometry := settings.value("window/geometry"):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)

    # --- layout ------------------------------------------------------------------------------

    def _build_examples_tab(self) -> None:
        self.tabs = QTabWidget()
        page = QWidget()
        layout = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.filter_text = QLineEdit(placeholderText="Filter by text…", clearButtonEnabled=True)
        self.filter_text.setAccessibleName("Filter examples by text")
        self.filter_status = QComboBox()
        self.filter_status.addItems(["Any status", "ok", "warning", "error"])
        self.filter_status.setAccessibleName("Filter by status")
        self.filter_split = QComboBox()
        self.filter_split.addItems(["Any split", *SPLITS])
        self.filter_split.setAccessibleName("Filter by split")
        for w in (self.filter_text, self.filter_status, self.filter_split):
            bar.addWidget(w, 3 if w is self.filter_text else 1)
        layout.addLayout(bar)
        self.table = QTableView()
        self.table.setAccessibleName("Examples")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        layout.addWidget(self.table)
        self.tabs.addTab(page, "Examples")
        self.setCentralWidget(self.tabs)
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self._apply_filters)
        self.filter_text.textChanged.connect(self._filter_timer.start)
        self.filter_status.currentIndexChanged.connect(self._apply_filters)
        self.filter_split.currentIndexChanged.connect(self._apply_filters)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New Workspace…", self.new_workspace, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open Workspace…", self.open_workspace_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find…", lambda: self.filter_text.setFocus(), QKeySequence.StandardKey.Find)
        self.delete_action = self._action(edit_menu, "&Delete Selected Examples", self.delete_selected, QKeySequence.StandardKey.Delete)
        split_menu = edit_menu.addMenu("Set &Split")
        for split in SPLITS:
            self._action(split_menu, split.capitalize(), lambda s=split: self.set_split_selected(s))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Fine-Tune Workbench", self.about)
        self._refresh_recent()

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- workspaces ------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        if self.check_task is not None and self.check_task.running:
            self.check_task.cancel()
        if self.model is not None:
            self.model.close()
        if self.ws is not None:
            self.ws.close()
        self.undo_stack.clear()
        self.ws = ws
        self.model = ExamplesTableModel(ws, self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((90, 380, 380, 60, 70, 120, 90)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        ws.subscribe(self._on_workspace_change)
        self.setWindowTitle(f"{ws.name} — Fine-Tune Workbench")
        self._remember_recent(ws.path)
        self.checker = WorkspaceChecker()
        self._check_everything()
        self._update_status()

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New workspace", str(Path.home() / "Untitled.ftw"), "Workspaces (*.ftw)")
        if path:
            self._open_path(Path(path).with_suffix(".ftw"))

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open workspace", str(Path.home()), "Workspaces (*.ftw)")
        if path:
            self._open_path(Path(path))

    def _open_path(self, path: Path) -> None:
        try:
            ws = Workspace.open(path)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot open workspace", str(exc))
            return
        self.set_workspace(ws)

    def _remember_recent(self, path: Path) -> None:
        settings = QSettings()
        recent = [p for p in (settings.value("recent") or []) if p != str(path)]
        settings.setValue("recent", [str(path), *recent][:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for p in QSettings().value("recent") or []:
            self._action(self.recent_menu, p, lambda _=False, p=p: self._open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.suffix.lower() == ".ftw":
                self._open_path(path)
                return
        self.statusBar().showMessage("Drop a workspace (.ftw) to open it.", 5000)

    # --- edits -----------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.example_id(r) for r in rows]

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            label = f"Delete {len(ids)} example{'s' if len(ids) > 1 else ''}"
            self.undo_stack.push(WorkspaceEdit(self.ws, label, lambda: self.ws.delete_examples(ids, label)))

    def set_split_selected(self, split: str) -> None:
        ids = self.selected_ids()
        if ids:
            label = f"Set split of {len(ids)} to {split}"
            self.undo_stack.push(WorkspaceEdit(self.ws, label, lambda: self.ws.set_split(ids, split, label)))

    # --- validation --------------------------------------------------------------------------------

    def _on_workspace_change(self, event: ChangeEvent) -> None:
        if event.kind in ("updated", "inserted"):
            self._pending_ids.update(event.ids)
        elif event.kind == "removed":
            for example_id in event.ids:
                self.checker.forget(example_id)
        self._recheck.start()
        self._update_status()

    def _recheck_pending(self) -> None:
        ids, self._pending_ids = sorted(self._pending_ids), set()
        if not ids:
            self._update_status()
            return
        if self.check_task is not None and self.check_task.running:
            self._pending_ids.update(ids)
            self._recheck.start()
            return
        if len(ids) <= 50:  # a few examples: quick enough for the GUI thread (well under a frame)
            self.checker.check_ids(self.ws, ids)
            self.model.set_filters(**self._filter_values())
            self._update_status()
        else:
            self._check_in_background(ids)

    def _check_everything(self) -> None:
        self._check_in_background(None)

    def _check_in_background(self, ids) -> None:
        path, checker = self.ws.path, self.checker

        def work(progress, cancelled):
            with Workspace.open(path) as ws:  # the worker's own connection
                return checker.check_ids(ws, ids, progress, cancelled)

        self.check_task = run_task("Checking examples", work, parent=self)
        self.check_task.progress.connect(lambda d, t: self.statusBar().showMessage(f"Checking examples… {d:,} of {t:,}"))
        self.check_task.succeeded.connect(self._checked)
        self.check_task.failed.connect(lambda msg: self.statusBar().showMessage(msg, 10000))

    def _checked(self, _count: int) -> None:
        self.statusBar().clearMessage()
        self.model.set_filters(**self._filter_values())
        self._update_status()

    def _filter_values(self) -> dict:
        return {
            "text": self.filter_text.text().strip(),
            "status": self.filter_status.currentText() if self.filter_status.currentIndex() > 0 else "",
            "split": self.filter_split.currentText() if self.filter_split.currentIndex() > 0 else "",
        }

    def _apply_filters(self) -> None:
        self.model.set_filters(**self._filter_values())
        self._update_status()

    def _update_status(self) -> None:
        if self.ws is None:
            return
        total = self.ws.count()
        shown = self.model.rowCount() if self.model else total
        errors = sum(v.errors for v in self.checker.splits.values()) if self.checker else 0
        warnings = sum(v.warnings for v in self.checker.splits.values()) if self.checker else 0
        text = f"{total:,} examples"
        if shown != total:
            text = f"{shown:,} of {text} shown"
        self.status.setText(f"{text} · {errors:,} errors · {warnings:,} warnings")

    # --- misc --------------------------------------------------------------------------------------

    def about(self) -> None:
        QMessageBox.about(self, "About Fine-Tune Workbench",
                          f"<b>Fine-Tune Workbench</b> {__version__}<br>Turn support history into fine-tuning data, "
                          "train models and show the result.")

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        if self.check_task is not None and self.check_task.running:
            self.check_task.cancel()
        if self.model is not None:
            self.model.close()
        super().closeEvent(event)
