"""The conversation editor beside the examples table.

It shows one example as bubbles and turns every change into a workspace edit pushed on the
window's QUndoStack (core computes the new example; see core/conversation_edit.py). While the
user types, the edit is committed after a short pause or when the field loses focus.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core import conversation_edit as ce
from workbench.core.store import ChangeEvent, Workspace
from workbench.ui.message_bubble import GrowingTextEdit, MessageBubble
from workbench.ui.undo_commands import WorkspaceEdit


class ConversationEditor(QWidget):
    def __init__(self, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.ws: Workspace | None = None
        self.example_id: int | None = None
        self.example: dict | None = None
        self._own_edit = False
        self._unsubscribe = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Select an example to edit it.")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        self.provenance = QLabel()
        self.provenance.setWordWrap(True)
        self.provenance.setStyleSheet("color: palette(mid);")
        outer.addWidget(self.provenance)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        outer.addWidget(self.problems)
        outer.addWidget(QLabel("System prompt"))
        self.system = GrowingTextEdit("")
        self.system.setPlaceholderText("No system prompt. Type one to add it.")
        self.system.setAccessibleName("System prompt")
        outer.addWidget(self.system)
        self._system_timer = QTimer(self, singleShot=True, interval=700)
        self._system_timer.timeout.connect(self._commit_system)
        self.system.textChanged.connect(self._system_timer.start)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAccessibleName("Messages")
        outer.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        self.add_user = QPushButton("Add customer message")
        self.add_assistant = QPushButton("Add reply")
        self.add_user.clicked.connect(lambda: self._insert_at_end("user"))
        self.add_assistant.clicked.connect(lambda: self._insert_at_end("assistant"))
        buttons.addWidget(self.add_user)
        buttons.addWidget(self.add_assistant)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.bubbles: list[MessageBubble] = []
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.system, self.add_user, self.add_assistant, self.scroll):
            w.setEnabled(on)

    # --- showing ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace | None) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        self.ws = ws
        if ws is not None:
            self._unsubscribe = ws.subscribe(self._on_change)
        self.show_example(None)

    def show_example(self, example_id: int | None, focus_message: int | None = None) -> None:
        self._flush()
        self.example_id = example_id
        if example_id is None or self.ws is None:
            self.example = None
            self.title.setText("Select an example to edit it.")
            self.provenance.clear()
            self.problems.clear()
            self._fill_messages([], {})
            self._set_enabled(False)
            return
        try:
            record = self.ws.get(example_id)
        except KeyError:
            self.show_example(None)
            return
        self.example = record.data
        self._set_enabled(True)
        self.title.setText(f"<b>Example {example_id}</b> · {record.kind} · split: {record.split}"
                           + (f" · tags: {', '.join(record.tags)}" if record.tags else ""))
        self.provenance.setText(_provenance_text(record.source))
        by_message: dict[int, list[str]] = {}
        general = []
        for issue in record.issues:
            if issue.get("message_index"):
                by_message.setdefault(issue["message_index"] - 1, []).append(issue["message"])
            else:
                general.append(("✖ " if issue["severity"] == "error" else "⚠ ") + issue["message"])
        self.problems.setText("<br>".join(general))
        self.problems.setVisible(bool(general))
        msgs = ce.messages_of(record.data)
        has_system = ce.system_prompt(record.data) is not None
        self.system.blockSignals(True)
        self.system.setPlainText(ce.system_prompt(record.data) or "")
        self.system.blockSignals(False)
        offset = 1 if has_system else 0
        self._fill_messages(msgs[offset:], {k - offset: v for k, v in by_message.items()}, offset)
        if focus_message is not None:
            target = focus_message - offset
            if 0 <= target < len(self.bubbles):
                self.scroll.ensureWidgetVisible(self.bubbles[target])
                self.bubbles[target].editor.setFocus()

    def _fill_messages(self, msgs: list, problems: dict[int, list[str]], offset: int = 0) -> None:
        container = QWidget()
        layout = QVBoxLayout(container)
        self.bubbles = []
        for i, msg in enumerate(msgs):
            if not isinstance(msg, dict):
                layout.addWidget(QLabel(f"Message {i + 1 + offset} is not an object: {json.dumps(msg)[:80]}"))
                continue
            bubble = MessageBubble(i + offset, msg, len(msgs) + offset, problems.get(i, []))
            bubble.text_committed.connect(lambda idx, text: self._edit("Edit message", ce.set_text, idx, text))
            bubble.role_changed.connect(lambda idx, role: self._edit("Change role", ce.set_role, idx, role))
            bubble.weight_changed.connect(lambda idx, w: self._edit("Change weight", ce.set_weight, idx, w))
            bubble.move_requested.connect(self._move)
            bubble.delete_requested.connect(lambda idx: self._edit("Delete message", ce.delete_message, idx))
            bubble.insert_after_requested.connect(self._insert_after)
            layout.addWidget(bubble)
            self.bubbles.append(bubble)
        layout.addStretch(1)
        self.scroll.setWidget(container)

    def _on_change(self, event: ChangeEvent) -> None:
        if not event.about_examples or self.example_id is None or self.example_id not in event.ids:
            return
        if event.kind == "removed":
            self.show_example(None)
        elif not self._own_edit:
            self.show_example(self.example_id)  # undo/redo, find & replace, bulk edits

    def refresh_problems(self) -> None:
        """Re-read issues after validation without disturbing what the user is typing."""
        if self.example_id is not None and not any(b.editor.hasFocus() for b in self.bubbles) and not self.system.hasFocus():
            self.show_example(self.example_id)

    # --- editing ---------------------------------------------------------------------------------

    def _flush(self) -> None:
        """Commit text still waiting in a typing timer before the shown example changes."""
        for bubble in self.bubbles:
            bubble.commit()
        if self._system_timer.isActive():
            self._commit_system()

    def _edit(self, label: str, fn, *args) -> None:
        if self.example is None or self.ws is None:
            return
        new = fn(self.example, *args)
        if new == self.example:
            return
        self.example = new
        example_id, ws = self.example_id, self.ws
        structural = fn is not ce.set_text
        self._own_edit = not structural  # typing: keep the widgets (and the cursor) as they are
        try:
            self.undo_stack.push(WorkspaceEdit(ws, label, lambda: ws.update_example(example_id, new, label)))
        finally:
            self._own_edit = False
        if structural:
            self.show_example(example_id)

    def _commit_system(self) -> None:
        self._system_timer.stop()
        if self.example is not None and (ce.system_prompt(self.example) or "") != self.system.toPlainText():
            text = self.system.toPlainText()
            self._own_edit = True
            try:
                self._edit("Edit system prompt", ce.set_system_prompt, text or None)
            finally:
                self._own_edit = False

    def _move(self, index: int, new_index: int) -> None:
        self._edit("Move message", ce.move_message, index, new_index)

    def _insert_after(self, index: int) -> None:
        role = "assistant" if self._role_at(index) == "user" else "user"
        self._edit("Add message", ce.insert_message, index + 1, role, "")

    def _insert_at_end(self, role: str) -> None:
        self._edit("Add message", ce.insert_message, len(ce.messages_of(self.example or {})), role, "")

    def _role_at(self, index: int) -> str:
        msgs = ce.messages_of(self.example or {})
        return str(msgs[index].get("role", "")) if 0 <= index < len(msgs) and isinstance(msgs[index], dict) else ""


def _provenance_text(source: dict | None) -> str:
    if not source:
        return "Source: added by hand"
    parts = [f"Source: {source.get('file', 'unknown file')}"]
    for key, label in (("ticket_id", "ticket"), ("row", "row"), ("line", "line"), ("conversation_id", "conversation")):
        if source.get(key) is not None:
            parts.append(f"{label} {source[key]}")
    if source.get("comment_ids"):
        parts.append(f"comments {', '.join(map(str, source['comment_ids'][:8]))}")
    return " · ".join(parts)
