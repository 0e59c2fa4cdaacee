"""The main window: workspace menus, Import / Examples / Tokens & cost tabs, Problems panel,
undo/redo, live validation and export. Widgets call core; slow work goes through ui.tasks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeView,
)

from workbench import __version__
from workbench.core import conversation_edit as ce
from workbench.core.export import ExportBlocked, export_splits
from workbench.core.pricing import resolve_model
from workbench.core.store import SPLITS, ChangeEvent, Workspace, WorkspaceError
from workbench.core.workspace_checks import DEFAULT_MODEL, WorkspaceChecker
from workbench.ui.background_edit import BACKGROUND_FROM, run_background_edit, run_background_replay
from workbench.ui.cost_tab import CostTab
from workbench.ui.examples_tab import ExamplesTab
from workbench.ui.find_replace_dialog import FindReplaceDialog
from workbench.ui.icons import icon
from workbench.ui.import_tab import ImportTab
from workbench.ui.problems_model import LocationRole, ProblemsModel
from workbench.ui.quality import MENU_ACTIONS, QualityTab
from workbench.ui.tasks import TaskHandle, run_task
from workbench.ui.undo_commands import WorkspaceEdit

MAX_RECENT = 8
GUI_THREAD_RECHECK_LIMIT = 50  # a handful of examples re-check well within one frame


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setWindowIcon(icon("app"))
        self.undo_stack = QUndoStack(self)
        self.ws: Workspace | None = None
        self.checker: WorkspaceChecker | None = None
        self.check_task: TaskHandle | None = None
        self.problems_task: TaskHandle | None = None
        self.busy_task: TaskHandle | None = None
        self.edit_task: TaskHandle | None = None  # a background edit; other edits wait for it
        self._pending_ids: set[int] = set()
        self._total: int | None = None  # live examples; re-counted only when rows come or go
        self._unsubscribe = None
        self._recheck = QTimer(self, singleShot=True, interval=150)  # debounce edits
        self._recheck.timeout.connect(self._recheck_pending)
        self._problems_timer = QTimer(self, singleShot=True, interval=300)
        self._problems_timer.timeout.connect(self._refresh_problems)

        self.tabs = QTabWidget()
        self.import_tab = ImportTab()
        self.examples_tab = ExamplesTab(self.undo_stack)
        self.cost_tab = CostTab()
        self.tabs.addTab(self.import_tab, "Import")
        self.tabs.addTab(self.examples_tab, "Examples")
        self.quality_tab = QualityTab(self.run_edit)
        self.tabs.addTab(self.quality_tab, "Data quality")
        self.tabs.addTab(self.cost_tab, "Tokens && cost")
        from workbench.ui.jobs_tab import JobsTab  # the openai SDK loads with the Jobs tab only

        self.jobs_tab = JobsTab()
        self.tabs.addTab(self.jobs_tab, "Jobs")
        from workbench.ui.playground import PlaygroundTab  # the openai SDK too

        self.playground_tab = PlaygroundTab(self.undo_stack, push=self._push)
        self.playground_tab.selected_ids = self.examples_tab.selected_ids
        self.tabs.addTab(self.playground_tab, "Playground")
        self.jobs_tab.job_finished.connect(lambda text: self.statusBar().showMessage(text, 30000))
        self.setCentralWidget(self.tabs)
        self.import_tab.imported.connect(self._imported)
        self.cost_tab.jump_to_example.connect(self.go_to_example)
        self.quality_tab.jump_to_example.connect(self.go_to_example)
        self.quality_tab.jump_to_message.connect(self.go_to_example)
        self.jobs_tab.review_personal_data.connect(lambda: self.show_quality_page("pii").scan())
        self.jobs_tab.submission_finished.connect(self.quality_tab.refresh_versions)  # it made a version
        self.cost_tab.model_box.currentTextChanged.connect(self.set_target_model)

        self.problems = ProblemsModel(self)
        self.problems_view = QTreeView()
        self.problems_view.setModel(self.problems)
        self.problems_view.setHeaderHidden(True)
        self.problems_view.setAccessibleName("Problems")
        self.problems_view.activated.connect(self._problem_activated)
        self.problems_view.clicked.connect(self._problem_activated)
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problems")
        self.problems_dock.setWidget(self.problems_view)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)

        self.status = QLabel()
        self.progress = QProgressBar(maximumWidth=220, visible=False)
        self.progress.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", visible=False)
        self.cancel_button.clicked.connect(self._cancel_busy)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().addPermanentWidget(self.status)
        self._build_menus()
        self.set_workspace(workspace)
        self.tabs.setCurrentWidget(self.examples_tab)
        settings = QSettings()
        if geometry := settings.value("window/geometry"):
            self.restoreGeometry(geometry)
            self.restoreState(settings.value("window/state"))
        else:
            self.resize(1280, 820)
            # Docks get their size once the window is laid out: keep Problems a strip, not half the window.
            QTimer.singleShot(0, lambda: self.resizeDocks([self.problems_dock], [140], Qt.Orientation.Vertical))

    # --- menus ------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        self._action(m, "&New Workspace…", self.new_workspace, QKeySequence.StandardKey.New)
        self._action(m, "&Open Workspace…", self.open_workspace_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu("Open &Recent")
        m.addSeparator()
        self._action(m, "&Import Files…", self.import_tab.choose_files, QKeySequence("Ctrl+I"))
        self._action(m, "&Export Training Files…", self.export, QKeySequence("Ctrl+E"))
        m.addSeparator()
        self._action(m, "&Settings…", self.settings, QKeySequence.StandardKey.Preferences)
        m.addSeparator()
        self._action(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        m = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        # Guarded: an undo while a background edit holds the workspace would wait on its lock.
        undo.triggered.disconnect()
        undo.triggered.connect(lambda: self.undo_redo(undo=True))
        redo.triggered.disconnect()
        redo.triggered.connect(lambda: self.undo_redo(undo=False))
        m.addActions([undo, redo])
        m.addSeparator()
        self._action(m, "&Find…", self._focus_filter, QKeySequence.StandardKey.Find)
        self._action(m, "Find and &Replace…", self.find_replace, QKeySequence("Ctrl+H"))
        m.addSeparator()
        bulk = [
            self._action(m, "&Delete Selected Examples", self.delete_selected, QKeySequence.StandardKey.Delete),
        ]
        split_menu = m.addMenu("Set &Split")
        for split in SPLITS:
            bulk.append(self._action(split_menu, split.capitalize(), lambda _=False, s=split: self.set_split_selected(s)))
        bulk.append(self._action(m, "Add &Tag…", self.tag_selected, QKeySequence("Ctrl+T")))
        bulk.append(self._action(m, "Remove Tag…", self.untag_selected))
        bulk.append(self._action(m, "Set S&ystem Prompt…", self.system_prompt_selected))
        self.examples_tab.table.addActions(bulk)

        m = self.menuBar().addMenu("&Data")
        for text, page, shortcut in MENU_ACTIONS:
            self._action(m, text, lambda _=False, p=page: self.show_quality_page(p), shortcut and QKeySequence(shortcut))

        m = self.menuBar().addMenu("&View")
        m.addAction(self.problems_dock.toggleViewAction())
        self.presentation_action = self._action(m, "&Presentation Mode", self.set_presentation)
        self.presentation_action.setCheckable(True)
        self.presentation_action.setShortcuts([QKeySequence("F11"), QKeySequence("Ctrl+Shift+P")])
        m = self.menuBar().addMenu("&Help")
        self._action(m, "&About Fine-Tune Workbench", self.about)
        self._refresh_recent()

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.examples_tab)
        self.examples_tab.filter_text.setFocus()
        self.examples_tab.filter_text.selectAll()

    # --- workspaces -------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        for task in (self.check_task, self.problems_task, self.busy_task):
            if task is not None and task.running:
                task.cancel()
        if self._unsubscribe:
            self._unsubscribe()
        if self.ws is not None:
            self.examples_tab.editor.set_workspace(None)
            self.ws.close()
        self.undo_stack.clear()
        self.ws = ws
        self._unsubscribe = ws.subscribe(self._on_workspace_change)
        self.examples_tab.set_workspace(ws)
        self.import_tab.workspace_path = ws.path
        self.cost_tab.set_workspace(ws)
        self.quality_tab.set_workspace(ws)
        self.jobs_tab.set_workspace(ws.path)
        self.playground_tab.set_workspace(ws)
        self.setWindowTitle(f"{ws.name} — Fine-Tune Workbench")
        self._remember_recent(ws.path)
        model = ws.get_meta("target_model") or DEFAULT_MODEL
        self.cost_tab.model_box.blockSignals(True)
        self.cost_tab.model_box.setCurrentText(resolve_model(model).name if resolve_model(model) else model)
        self.cost_tab.model_box.blockSignals(False)
        self.checker = WorkspaceChecker(model)
        self._check_in_background(None)
        self._update_status(recount=True)

    def set_target_model(self, model: str) -> None:
        """Token limits and format checks follow the model chosen in Tokens & cost (kept per workspace)."""
        if self.ws is None or not model or (self.checker and resolve_model(self.checker.model) == resolve_model(model)):
            return
        self.ws.set_meta("target_model", model)
        if self.check_task is not None and self.check_task.running:
            self.check_task.cancel()
        self.checker = WorkspaceChecker(model)
        self._check_in_background(None)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New workspace", str(Path.home() / "Untitled.ftw"), "Workspaces (*.ftw)")
        if path:
            self.open_path(Path(path).with_suffix(".ftw"))

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open workspace", str(Path.home()), "Workspaces (*.ftw)")
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
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
            self._action(self.recent_menu, p, lambda _=False, p=p: self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        workspaces = [p for p in paths if p.suffix.lower() == ".ftw"]
        if workspaces:
            self.open_path(workspaces[0])
        elif paths:
            self.open_files(paths)

    def open_files(self, paths: list[Path]) -> None:
        """Files to import (drag and drop, `workbench FILE`): shown in the Import tab's preview."""
        self.tabs.setCurrentWidget(self.import_tab)
        self.import_tab.set_files(paths)

    # --- edits (each one command on the undo stack) -------------------------------------------------

    def _push(self, label: str, perform) -> None:
        if self._edit_in_progress():
            return
        self.undo_stack.push(WorkspaceEdit(self.ws, label, perform))

    def undo_redo(self, *, undo: bool) -> TaskHandle | None:
        """Undo/redo: here for small steps, on a worker for big ones (undoing a 50,000-example
        redaction rewrites every one of them)."""
        if self._edit_in_progress() or not (self.undo_stack.canUndo() if undo else self.undo_stack.canRedo()):
            return None
        if self.ws.replay_size(undo=undo) < BACKGROUND_FROM:
            self.undo_stack.undo() if undo else self.undo_stack.redo()
            return None
        task = run_background_replay(self.ws, self.undo_stack, undo=undo, parent=self)
        self.edit_task = task
        self._show_busy(task, task.title, cancellable=False)
        task.failed.connect(lambda msg: self.statusBar().showMessage(f"{task.title} failed: {msg}", 10000))
        return task

    def _edit_in_progress(self) -> bool:
        """Edits wait for a background edit: the undo stack must keep the workspace's order."""
        if self.edit_task is not None and self.edit_task.running:
            self.statusBar().showMessage(f"Wait until “{self.edit_task.title}” finishes.", 4000)
            return True
        return False

    def run_edit(self, label: str, rows: int, edit, title: str = "Applying changes") -> TaskHandle | None:
        """``edit(ws)`` as one undo step: here for a few rows, on a worker (with progress and
        Cancel in the status bar) for many, so a select-all never freezes the window."""
        if rows < BACKGROUND_FROM:
            self._push(label, lambda: edit(self.ws))
            return None
        if self._edit_in_progress():
            return None
        task = run_background_edit(self.ws, self.undo_stack, title, label, lambda ws, _p, _c: edit(ws), parent=self)
        self.edit_task = task
        # One transaction with no step to stop at: a Cancel could only lie about what happened.
        self._show_busy(task, title, cancellable=False)
        task.failed.connect(lambda msg: self.statusBar().showMessage(f"{title} failed: {msg}", 10000))
        task.succeeded.connect(lambda outcome: self.statusBar().showMessage(outcome.label, 6000))
        return task

    def _selection_or_warn(self) -> list[int]:
        ids = self.examples_tab.selected_ids()
        if not ids:
            self.statusBar().showMessage("Select one or more examples first.", 4000)
        return ids

    def delete_selected(self) -> None:
        if ids := self._selection_or_warn():
            label = f"Delete {len(ids):,} example{'s' if len(ids) > 1 else ''}"
            self.run_edit(label, len(ids), lambda ws: ws.delete_examples(ids, label))

    def set_split_selected(self, split: str) -> None:
        if ids := self._selection_or_warn():
            label = f"Set split of {len(ids):,} to {split}"
            self.run_edit(label, len(ids), lambda ws: ws.set_split(ids, split, label))

    def tag_selected(self) -> None:
        if not (ids := self._selection_or_warn()):
            return
        tag, ok = QInputDialog.getText(self, "Add tag", f"Tag for {len(ids):,} examples:")
        if ok and tag.strip():
            label = f"Tag {len(ids):,} examples '{tag.strip()}'"
            task = self.run_edit(label, len(ids), lambda ws: ws.add_tag(ids, tag.strip(), label))
            if task is None:
                self.examples_tab.refresh_tags(self.ws)
            else:
                task.succeeded.connect(lambda _: self.examples_tab.refresh_tags(self.ws))

    def untag_selected(self) -> None:
        if not (ids := self._selection_or_warn()):
            return
        tags = sorted({t for ts in self.ws.tags_of(ids).values() for t in ts})
        if not tags:
            self.statusBar().showMessage("The selected examples have no tags.", 4000)
            return
        tag, ok = QInputDialog.getItem(self, "Remove tag", "Tag to remove:", tags, 0, False)
        if ok:
            label = f"Remove tag '{tag}'"
            self.run_edit(label, len(ids), lambda ws: ws.remove_tag(ids, tag, label))

    def system_prompt_selected(self) -> None:
        if not (ids := self._selection_or_warn()):
            return
        current = ce.system_prompt(self.ws.get(ids[0]).data) or ""
        text, ok = QInputDialog.getMultiLineText(
            self, "Set system prompt", f"System prompt for {len(ids):,} examples (empty removes it):", current)
        if ok:
            self.apply_system_prompt(ids, text.strip() or None)

    def apply_system_prompt(self, ids: list[int], text: str | None) -> None:
        label = f"Set system prompt of {len(ids):,} examples"

        def perform(ws: Workspace) -> None:
            changes = {}
            for i in ids:
                data = ws.get(i).data
                new = ce.set_system_prompt(data, text)
                if new != data:
                    changes[i] = {"data": new}
            ws.update_fields(changes, label)

        self.run_edit(label, len(ids), perform)

    def replace_examples(self, changed: dict[int, dict], label: str) -> None:
        self.run_edit(label, len(changed), lambda ws: ws.update_fields({i: {"data": d} for i, d in changed.items()}, label))

    def find_replace(self) -> None:
        dialog = FindReplaceDialog(self.ws, self)
        dialog.replace_requested.connect(self.replace_examples)
        dialog.jump_to.connect(lambda i, m: self.go_to_example(i, m + 1))
        dialog.show()
        self._find_dialog = dialog

    def _imported(self, ids: list[int], label: str) -> None:
        self.undo_stack.push(WorkspaceEdit(self.ws, label, None))  # already committed by the import task
        self.ws.notify("inserted", ids)
        self.examples_tab.refresh_tags(self.ws)
        self.tabs.setCurrentWidget(self.examples_tab)

    # --- validation ----------------------------------------------------------------------------------

    def _on_workspace_change(self, event: ChangeEvent) -> None:
        if not event.about_examples:
            return
        if event.kind in ("updated", "inserted"):
            self._pending_ids.update(event.ids)
        elif event.kind == "removed":
            for example_id in event.ids:
                self.checker.forget(example_id)
                self._pending_ids.discard(example_id)
        # Small edits re-check on the next turn of the event loop (typing is already debounced by the
        # editor); big ones wait a moment so a burst of changes becomes one background run.
        self._recheck.setInterval(0 if len(self._pending_ids) <= GUI_THREAD_RECHECK_LIMIT else 150)
        self._recheck.start()
        self.cost_tab.workspace_changed()
        self._update_status(recount=event.kind != "updated")

    def _recheck_pending(self) -> None:
        if self.check_task is not None and self.check_task.running:
            self._recheck.start()
            return
        ids, self._pending_ids = sorted(self._pending_ids), set()
        if len(ids) <= GUI_THREAD_RECHECK_LIMIT:
            if ids:
                self.checker.check_ids(self.ws, ids)
            self.examples_tab.model.refresh_rows(ids)
            self.examples_tab.editor.refresh_problems()
            self._after_check()
        else:
            self._check_in_background(ids)

    def _check_in_background(self, ids) -> None:
        path, checker = self.ws.path, self.checker

        def work(progress, cancelled):
            with Workspace.open(path) as ws:  # the worker's own connection
                return checker.check_ids(ws, ids, progress, cancelled)

        self.check_task = run_task("Checking examples", work, parent=self)
        self.check_task.progress.connect(lambda d, t: self.statusBar().showMessage(f"Checking examples… {d:,} of {t:,}"))
        self.check_task.succeeded.connect(lambda _n: self._checked_in_background())
        self.check_task.failed.connect(lambda msg: self.statusBar().showMessage(msg, 10000))

    def _checked_in_background(self) -> None:
        self.statusBar().clearMessage()
        model = self.examples_tab.model
        if model.depends_on_checks():
            self.examples_tab.apply_filters()
        else:
            model.refresh_all()
        self.examples_tab.editor.refresh_problems()
        self._after_check()

    def _after_check(self) -> None:
        self._update_status()
        self._update_banner()
        self._problems_timer.start()

    def _update_banner(self) -> None:
        lines = []
        for split, issues in self.checker.dataset_issues().items():
            for issue in issues:
                mark = "✖" if issue.severity.value == "error" else "⚠"
                lines.append(f"{mark} <b>{split}</b>: {issue.message}")
        self.examples_tab.banner.setText("<br>".join(lines) if lines else "✔ Dataset checks passed.")

    def _refresh_problems(self) -> None:
        if self.problems_task is not None and self.problems_task.running:
            self._problems_timer.start()
            return
        path = self.ws.path
        dataset = [dict(i.to_json(), message=f"{split}: {i.message}")
                   for split, issues in self.checker.dataset_issues().items() for i in issues]

        def work(_progress, _cancelled):
            with Workspace.open(path) as ws:
                return ws.issues_by_example()

        self.problems_task = run_task("Collecting problems", work, parent=self)
        self.problems_task.succeeded.connect(lambda rows: self.problems.set_problems(dataset, rows))

    def _problem_activated(self, index) -> None:
        location = self.problems.data(index, LocationRole)
        if location and location[0] is not None:
            self.go_to_example(*location)

    def show_quality_page(self, page: str):
        """The Data quality tab at one page (the Data menu; the Jobs tab's Review Personal Data)."""
        self.tabs.setCurrentWidget(self.quality_tab)
        return self.quality_tab.show_page(page)

    def go_to_example(self, example_id: int, message_index: int | None = None) -> None:
        self.tabs.setCurrentWidget(self.examples_tab)
        self.examples_tab.go_to(example_id, message_index)

    def _update_status(self, recount: bool = False) -> None:
        if self.ws is None:
            return
        if recount or self._total is None:
            self._total = self.ws.count()
        total = self._total
        shown = self.examples_tab.model.rowCount() if self.examples_tab.model else total
        errors = sum(v.errors for v in self.checker.splits.values()) if self.checker else 0
        warnings = sum(v.warnings for v in self.checker.splits.values()) if self.checker else 0
        text = f"{total:,} examples" if shown == total else f"{shown:,} of {total:,} examples shown"
        self.status.setText(f"{text} · {errors:,} errors · {warnings:,} warnings · saved")

    # --- export --------------------------------------------------------------------------------------

    def export(self) -> None:
        suggested = str(Path.home() / f"{self.ws.name}.jsonl")
        path, _ = QFileDialog.getSaveFileName(self, "Export training files (train and validation)", suggested, "JSONL (*.jsonl)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path, *, force: bool = False) -> TaskHandle:
        folder, base = path.parent, path.name.removesuffix(".jsonl")
        ws_path, model = self.ws.path, self.cost_tab.model_box.currentText()

        def work(_progress, cancelled):
            with Workspace.open(ws_path) as ws:
                return export_splits(ws, folder, base, model, force=force, cancelled=cancelled)

        task = self._run_busy("Exporting", work, expected=(ExportBlocked, OSError))
        task.succeeded.connect(lambda written: self.statusBar().showMessage(
            "Exported " + ", ".join(f"{k}: {v}" for k, v in written.items()), 10000))
        task.failed.connect(lambda msg: self._export_failed(msg, path))
        return task

    def _export_failed(self, message: str, path: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Export stopped", message, parent=self)
        anyway = box.addButton("Export Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is anyway:
            self.export_to(path, force=True)

    def _run_busy(self, title: str, fn, expected=(Exception,)) -> TaskHandle:
        task = run_task(title, fn, expected=expected, parent=self)
        self._show_busy(task, title)
        return task

    def _show_busy(self, task: TaskHandle, title: str, *, cancellable: bool = True) -> None:
        """Progress bar, Cancel and status messages for a task the user waits for."""
        self.busy_task = task
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(cancellable)
        self.statusBar().showMessage(f"{title}…")
        task.progress.connect(lambda d, t: (self.progress.setRange(0, max(t, 1)), self.progress.setValue(d)))
        task.cancelled.connect(lambda: self.statusBar().showMessage(f"{title} cancelled; nothing was changed.", 6000))
        task.finished.connect(lambda: (self.progress.setVisible(False), self.cancel_button.setVisible(False)))

    def _cancel_busy(self) -> None:
        if self.busy_task is not None:
            self.busy_task.cancel()

    # --- misc ----------------------------------------------------------------------------------------

    def settings(self) -> None:
        from workbench.ui.settings_dialog import SettingsDialog  # keyring and openai load on first use

        SettingsDialog(parent=self).exec()
        self.jobs_tab.refresh_profiles()
        self.playground_tab.refresh_choices()

    def set_presentation(self, on: bool) -> None:
        """Presentation mode for demos: the Playground with larger text and no ids or server addresses."""
        self.presentation_action.setChecked(on)
        self.playground_tab.set_presentation(on)
        if on:
            self._problems_shown = self.problems_dock.isVisible()  # out of the way while presenting
            self.problems_dock.hide()
            self.tabs.setCurrentWidget(self.playground_tab)
        elif getattr(self, "_problems_shown", False):
            self.problems_dock.show()

    def about(self) -> None:
        QMessageBox.about(self, "About Fine-Tune Workbench",
                          f"<b>Fine-Tune Workbench</b> {__version__}<br><br>Turn support history into fine-tuning "
                          "data, train models and show the result.<br>Workspace: " + str(self.ws.path))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.examples_tab.editor._flush()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        for task in (self.check_task, self.problems_task, self.busy_task):
            if task is not None and task.running:
                task.cancel()
        self.jobs_tab.shutdown()
        self.quality_tab.shutdown()
        self.playground_tab.shutdown()
        super().closeEvent(event)
