"""One message of a conversation as a role-coloured bubble with its own small toolbar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
)

from workbench.core.conversation_edit import EDITABLE_ROLES
from workbench.core.formats import content_text

# Tints blended over the window colour, so the bubbles read well in light and dark palettes.
ROLE_TINTS = {"system": QColor(128, 128, 128), "user": QColor(52, 120, 246), "assistant": QColor(46, 160, 67),
              "tool": QColor(230, 150, 20)}
TYPING_COMMIT_MS = 700


def tint(palette: QPalette, role: str, strength: float = 0.16) -> QColor:
    base = palette.color(QPalette.ColorRole.Base)
    t = ROLE_TINTS.get(role, ROLE_TINTS["system"])
    mix = lambda a, b: round(a * (1 - strength) + b * strength)  # noqa: E731
    return QColor(mix(base.red(), t.red()), mix(base.green(), t.green()), mix(base.blue(), t.blue()))


class GrowingTextEdit(QPlainTextEdit):
    """A plain-text editor as tall as its text, so the conversation scrolls as one page."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        lines = max(1, int(self.document().size().height()))
        height = lines * QFontMetrics(self.font()).lineSpacing() + 12
        self.setFixedHeight(min(height, 600))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()


class MessageBubble(QFrame):
    text_committed = Signal(int, str)
    role_changed = Signal(int, str)
    weight_changed = Signal(int, object)  # 0 or None
    move_requested = Signal(int, int)
    delete_requested = Signal(int)
    insert_after_requested = Signal(int)

    def __init__(self, index: int, message: dict, count: int, problems: list[str]) -> None:
        super().__init__()
        self.index = index
        role = str(message.get("role", ""))
        self.setObjectName("bubble")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, tint(pal, role))
        pal.setColor(QPalette.ColorRole.Base, tint(pal, role, 0.08))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        if problems:
            self.setStyleSheet("QFrame#bubble { border: 2px solid #d0353f; border-radius: 6px; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        bar = QHBoxLayout()
        self.role = QComboBox()
        self.role.addItems(list(EDITABLE_ROLES) if role in EDITABLE_ROLES else [role, *EDITABLE_ROLES])
        self.role.setCurrentText(role)
        self.role.setAccessibleName(f"Role of message {index + 1}")
        self.role.currentTextChanged.connect(lambda r: self.role_changed.emit(self.index, r))
        bar.addWidget(self.role)
        if role == "assistant":
            self.learn = QCheckBox("Learn from this reply")
            self.learn.setToolTip("Unticked sets weight 0: the reply stays as context but is not trained on.")
            self.learn.setChecked(message.get("weight", 1) != 0)
            self.learn.toggled.connect(lambda on: self.weight_changed.emit(self.index, None if on else 0))
            bar.addWidget(self.learn)
        bar.addStretch(1)
        for text, tip, slot, enabled in (
            ("↑", "Move up", lambda: self.move_requested.emit(self.index, self.index - 1), index > 0),
            ("↓", "Move down", lambda: self.move_requested.emit(self.index, self.index + 1), index < count - 1),
            ("+", "Add a message after this one", lambda: self.insert_after_requested.emit(self.index), True),
            ("✕", "Delete this message", lambda: self.delete_requested.emit(self.index), True),
        ):
            button = QToolButton(text=text, toolTip=tip, enabled=enabled)
            button.setAccessibleName(f"{tip} (message {index + 1})")
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout.addLayout(bar)
        for problem in problems:
            label = QLabel("⚠ " + problem)
            label.setWordWrap(True)
            label.setStyleSheet("color: #d0353f;")
            layout.addWidget(label)
        if message.get("tool_calls"):
            calls = ", ".join(str(c.get("function", {}).get("name", "?")) for c in message["tool_calls"] if isinstance(c, dict))
            layout.addWidget(QLabel(f"Calls tool: {calls}"))
        self.editor = GrowingTextEdit(content_text(message.get("content")))
        self.editor.setAccessibleName(f"Text of message {index + 1} ({role})")
        self.editor.installEventFilter(self)
        layout.addWidget(self.editor)
        self._committed = self.editor.toPlainText()
        self._typing = QTimer(self, singleShot=True, interval=TYPING_COMMIT_MS)
        self._typing.timeout.connect(self.commit)
        self.editor.textChanged.connect(self._typing.start)

    def commit(self) -> None:
        self._typing.stop()
        text = self.editor.toPlainText()
        if text != self._committed:
            self._committed = text
            self.text_committed.emit(self.index, text)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return super().eventFilter(watched, event)
