"""Chat bubbles for the comparison columns: the user's message and a model's (streaming) answer.

An answer grows by appending only the new text to its document (never re-setting it), and the
bubble is as tall as its text, so a column scrolls as one page while four answers stream."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication, QPaintEvent, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.answer import DONE, FAILED, Answer
from workbench.ui.message_bubble import tint
from workbench.ui.playground.metrics_text import answer_metrics, live_metrics

ERROR_COLOR = "#d0353f"


class Bubble(QFrame):
    """A frame tinted for its role. ``retint`` follows a change of the application palette (dark mode).

    Bubbles override few of Qt's event handlers (no changeEvent): every call into Python from a
    layout or paint pass needs the GIL, and while four streams are busy on other threads each of
    those waits can take milliseconds."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.setObjectName("bubble")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._tint(QApplication.palette())

    def _tint(self, base: QPalette) -> None:
        pal = QPalette(base)
        pal.setColor(QPalette.ColorRole.Window, tint(base, self.role))
        pal.setColor(QPalette.ColorRole.Base, tint(base, self.role))
        self.setPalette(pal)

    def retint(self) -> None:
        self._tint(QApplication.palette())


class StreamText(QPlainTextEdit):
    """Read-only text as tall as its content; ``append_text`` adds a piece at the end cheaply.

    * While ``growing`` the height goes up ``GROW_STEP`` lines at a time: every change of height
      re-lays and scrolls the whole column, which at one new line per frame in four columns was
      most of the GUI thread's time. ``growing = False`` fits it exactly again.
    * Qt lays out a whole paragraph again whenever text is added to it, so appending to a long one
      costs more and more. Past ``SPLIT_CHARS`` the growing paragraph is cut where its last line
      starts (where it wraps anyway, so it looks the same) and only that new part is laid out
      afterwards. The cuts exist only in the display: ``text()`` is the text as received, and a
      change of width puts the paragraphs back together (the old cuts would no longer fall on
      line ends)."""

    GROW_STEP = 32
    GROW_SLACK = 4
    SPLIT_CHARS = 500

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundVisible(False)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.length = 0
        self._pieces: list[str] = []
        self._cuts = 0
        self._cut_width = -1
        self._height = -1
        self._growing = False
        self._reserved = 0  # lines of height while growing
        self.may_grow = True
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        if text:
            self.append_text(text)
        self._fit()

    def append_text(self, piece: str) -> None:
        if not piece:
            return
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(piece)
        self.length += len(piece)
        self._pieces.append(piece)
        block = self.document().lastBlock()
        if block.length() > self.SPLIT_CHARS:
            self._cut(block)

    def _cut(self, block) -> None:
        layout = block.layout()
        if layout is None or layout.lineCount() < 2:
            return
        start = layout.lineAt(layout.lineCount() - 1).textStart()
        if start > 0:
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + start)
            cursor.insertBlock()
            self._cuts += 1
            self._cut_width = self.viewport().width()

    def text(self) -> str:
        """The text as received (without the display's cuts)."""
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.length = len(text)
        self._pieces = [text] if text else []
        self._cuts = 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() == event.oldSize().width():
            return  # taller or shorter only (it grew): nothing wraps differently
        if self._cuts and self.viewport().width() != self._cut_width:
            self.set_text(self.text())
        self._fit()  # the text wraps differently: it needs another height

    @property
    def growing(self) -> bool:
        return self._growing

    @growing.setter
    def growing(self, on: bool) -> None:
        self._growing = on
        self._reserved = 0
        self._fit()

    def text_height(self) -> int:
        """Pixels from the top to the end of the text (less than the height while growing)."""
        return self._line_height() * max(1, int(self.document().size().height())) + int(self.document().documentMargin())

    def _line_height(self) -> int:
        return QFontMetrics(self.font()).lineSpacing()

    def _fit(self, *_args) -> None:
        lines = max(1, int(self.document().size().height()))
        if self._growing:
            # Grow a few lines before the text needs it, and only when allowed (``may_grow``: the page
            # lets one column grow per frame); a text that no longer fits grows at once regardless.
            if lines + self.GROW_SLACK <= self._reserved or (lines <= self._reserved and not self.may_grow):
                return
            lines = self._reserved = -(-(lines + self.GROW_SLACK) // self.GROW_STEP) * self.GROW_STEP
        height = lines * self._line_height() + 2 * int(self.document().documentMargin()) + 4
        if height != self._height:
            self._height = height
            self.setFixedHeight(height)

    def refit(self) -> None:
        """After a change of font (presentation mode): the height of a line changed."""
        self._height = -1
        self._fit()

    def wheelEvent(self, event) -> None:
        event.ignore()  # the column scrolls, not the bubble

    def paintEvent(self, event) -> None:
        # QPlainTextEdit draws every line inside the event's rectangle, and a resize asks for all of it:
        # for an answer thousands of pixels tall inside the column's scroll area, that is every line,
        # though only a screenful can be seen. Draw what is visible.
        visible = self.viewport().visibleRegion().boundingRect()
        rect = event.rect().intersected(visible)
        if rect.isEmpty():
            return
        super().paintEvent(QPaintEvent(rect) if rect != event.rect() else event)


def _tool(text: str, tip: str) -> QToolButton:
    button = QToolButton(text=text, toolTip=tip)
    button.setAutoRaise(True)
    button.setAccessibleName(tip)
    return button


class UserBubble(Bubble):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__("user", parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        self.text = StreamText(text)
        self.text.setAccessibleName("Your message")
        layout.addWidget(self.text)


class AnswerBubble(Bubble):
    """One model's answer to one turn: streams in, then shows its metrics and actions."""

    add_requested = Signal(int)  # turn
    pair_requested = Signal(int)

    def __init__(self, turn: int, parent: QWidget | None = None) -> None:
        super().__init__("assistant", parent)
        self.answer: Answer | None = None
        self.show_cost = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        self.text = StreamText()
        layout.addWidget(self.text)
        self.set_turn(turn)
        self.error = QLabel(wordWrap=True, visible=False)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error)
        self.metrics = QLabel(wordWrap=True)
        self.metrics.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.metrics.setAccessibleName("Answer details")
        self.metrics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.metrics)
        bottom = QHBoxLayout()
        bottom.setSpacing(2)
        bottom.addStretch(1)
        self.copy_button = _tool("Copy", "Copy the answer")
        self.add_button = _tool("Add to dataset…", "Add this conversation, with this answer, as a training example")
        self.pair_button = _tool("Preference pair…", "Save this answer and another column's as a preference (DPO) example")
        self.copy_button.clicked.connect(self.copy)
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.turn))
        self.pair_button.clicked.connect(lambda: self.pair_requested.emit(self.turn))
        for b in (self.copy_button, self.add_button, self.pair_button):
            b.setEnabled(False)
            b.setVisible(False)  # shown once the answer has ended
            bottom.addWidget(b)
        layout.addLayout(bottom)

    def set_turn(self, turn: int) -> None:
        self.turn = turn
        self.text.setAccessibleName(f"Answer to message {turn + 1}")

    # --- while streaming ----------------------------------------------------------------------------
    def show_text(self, text: str, may_grow: bool = True) -> bool:
        """The answer so far (only the new end is added); True if the bubble grew taller."""
        if not self.text.growing and self.answer is None:
            self.text.growing = True
        height = self.text.height()
        self.text.may_grow = may_grow
        if len(text) > self.text.length:
            self.text.append_text(text[self.text.length:])
        self.text.may_grow = True
        return self.text.height() != height

    def show_clock(self, state: str, ttft: float | None, elapsed: float) -> None:
        """While it streams, a few times a second: its state and the time so far."""
        self.metrics.setText(live_metrics(state, ttft, elapsed))

    def show_progress(self, state: str, text: str, ttft: float | None, elapsed: float) -> None:
        self.show_text(text)
        self.show_clock(state, ttft, elapsed)

    # --- once ended -----------------------------------------------------------------------------------
    def show_answer(self, answer: Answer, *, pair_possible: bool = False) -> None:
        self.answer = answer
        self.text.growing = False
        if answer.text.startswith(self.text.text()):
            self.text.append_text(answer.text[self.text.length:])
        else:
            self.text.set_text(answer.text)
        if answer.status != DONE:
            default = "Stopped." if answer.status != FAILED else "The answer failed."
            kept = " The part that arrived is kept above." if answer.text and answer.status == FAILED and (
                "kept" not in (answer.error or "")) else ""
            self.error.setText(f"{'⚠' if answer.status == FAILED else '■'} {answer.error or default}{kept}")
            self.error.setVisible(True)
        else:
            self.error.setVisible(False)
        self.text.setVisible(bool(answer.text) or answer.status == DONE)
        self._show_metrics()
        usable = bool(answer.text.strip())
        for b in (self.copy_button, self.add_button, self.pair_button):
            b.setVisible(True)
        self.copy_button.setEnabled(usable)
        self.add_button.setEnabled(usable)
        self.pair_button.setEnabled(usable and pair_possible)

    def set_show_cost(self, on: bool) -> None:
        self.show_cost = on
        if self.answer is not None:
            self._show_metrics()

    def _show_metrics(self) -> None:
        if self.answer is not None:
            self.metrics.setText(answer_metrics(self.answer, show_cost=self.show_cost))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.answer.text if self.answer else self.text.text())
