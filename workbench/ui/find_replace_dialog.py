"""Dataset-wide find & replace: preview of matches, then one undoable replace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from workbench.core.find_replace import PatternError, compile_pattern, find, replace_all
from workbench.core.store import Workspace
from workbench.ui.tasks import TaskHandle, run_task

PREVIEW_LIMIT = 500


class FindReplaceDialog(QDialog):
    jump_to = Signal(int, int)  # example id, message index
    replace_requested = Signal(object, str)  # {id: new example}, undo label

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: TaskHandle | None = None
        self.setWindowTitle("Find and Replace in All Examples")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.find_edit = QLineEdit(placeholderText="Text to find")
        self.find_edit.setAccessibleName("Find")
        self.replace_edit = QLineEdit(placeholderText="Replace with (may be empty)")
        self.replace_edit.setAccessibleName("Replace with")
        self.regex = QCheckBox("Regular expression (\\1 in the replacement refers to groups)")
        self.case = QCheckBox("Match case")
        form.addRow("Find:", self.find_edit)
        form.addRow("Replace:", self.replace_edit)
        form.addRow(self.regex)
        form.addRow(self.case)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.matches = QListWidget()
        self.matches.setAccessibleName("Matches")
        self.matches.itemActivated.connect(self._activate)
        layout.addWidget(self.matches, 1)
        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton("Preview matches", QDialogButtonBox.ButtonRole.ActionRole)
        self.replace_button = buttons.addButton("Replace all", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        self.replace_button.clicked.connect(self.replace)
        layout.addWidget(buttons)
        self.find_edit.returnPressed.connect(self.preview)

    def _pattern(self):
        try:
            return compile_pattern(self.find_edit.text(), regex=self.regex.isChecked(), case_sensitive=self.case.isChecked())
        except PatternError as exc:
            self.message.setText(str(exc))
            return None

    def _run(self, title: str, fn, on_done) -> TaskHandle | None:
        """Scans run on the worker's own connection, so a 50,000-example search never freezes the window."""
        pattern = self._pattern()
        if pattern is None or (self.task is not None and self.task.running):
            return None
        path, replacement, literal = self.ws.path, self.replace_edit.text(), not self.regex.isChecked()

        def work(_progress, cancelled):
            with Workspace.open(path) as ws:
                return fn(((r.id, r.data) for r in ws.iter_records() if not cancelled()), pattern, replacement, literal)

        self.message.setText(f"{title}…")
        for b in (self.preview_button, self.replace_button):
            b.setEnabled(False)
        self.task = run_task(title, work, expected=(PatternError,), parent=self)
        self.task.succeeded.connect(on_done)
        self.task.failed.connect(self.message.setText)
        self.task.finished.connect(lambda: [b.setEnabled(True) for b in (self.preview_button, self.replace_button)])
        return self.task

    def preview(self) -> TaskHandle | None:
        self.matches.clear()
        return self._run("Searching", lambda recs, p, r, lit: list(find(recs, p, r, literal=lit, limit=PREVIEW_LIMIT)),
                         self._show_matches)

    def _show_matches(self, found: list) -> None:
        for m in found:
            item = QListWidgetItem(f"Example {m.example_id}, {m.role}: …{m.before}[{m.found} → {m.replacement}]{m.after}…")
            item.setData(Qt.ItemDataRole.UserRole, (m.example_id, m.message_index))
            self.matches.addItem(item)
        more = f" (showing the first {PREVIEW_LIMIT})" if len(found) >= PREVIEW_LIMIT else ""
        self.message.setText(f"{len(found):,} matches{more}." if found else "No matches.")

    def replace(self) -> TaskHandle | None:
        return self._run("Replacing", lambda recs, p, r, lit: replace_all(recs, p, r, literal=lit), self._replaced)

    def _replaced(self, result: tuple) -> None:
        changed, total = result
        if not changed:
            self.message.setText("No matches; nothing changed.")
            return
        label = f"Replace '{self.find_edit.text()}' ({total:,} in {len(changed):,} examples)"
        self.replace_requested.emit(changed, label)
        self.message.setText(f"Replaced {total:,} matches in {len(changed):,} examples. Edit > Undo reverts it in one step.")
        self.matches.clear()

    def _activate(self, item: QListWidgetItem) -> None:
        example_id, message_index = item.data(Qt.ItemDataRole.UserRole)
        self.jump_to.emit(example_id, message_index)
