"""One comparison column: which model (picker, or its name once the conversation has begun, or a
letter in blind mode), its own system prompt if wanted, and the conversation as bubbles."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.answer import ChatTarget
from workbench.core.playground.session import ChatColumn
from workbench.ui.playground.bubbles import AnswerBubble, Bubble, StreamText, UserBubble
from workbench.ui.playground.targets import TargetPicker, display_model, display_where


class ColumnView(QFrame):
    remove_requested = Signal(object)  # self
    add_requested = Signal(int, int)  # column, turn
    pair_requested = Signal(int, int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.presentation = False
        self.letter: str | None = None
        self.revealed: str | None = None
        self.locked_target: ChatTarget | None = None
        self.bubbles: list[AnswerBubble] = []
        self._spare: tuple[UserBubble, AnswerBubble] | None = None
        self._prepare = QTimer(self, singleShot=True, interval=300)
        self._prepare.timeout.connect(self._prepare_spare)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        head = QHBoxLayout()
        self.picker = TargetPicker()
        head.addWidget(self.picker, 1)
        self.name = QLabel(visible=False)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setTextFormat(Qt.TextFormat.RichText)
        self.name.setAccessibleName("Column model")
        head.addWidget(self.name, 1)
        self.remove_button = QToolButton(text="✕", toolTip="Remove this column")
        self.remove_button.setAccessibleName("Remove this column")
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        head.addWidget(self.remove_button)
        layout.addLayout(head)

        self.own_prompt = QCheckBox("Own system prompt")
        self.own_prompt.setToolTip("Give this column a system prompt of its own instead of the shared one.")
        layout.addWidget(self.own_prompt)
        self.system = QPlainTextEdit(visible=False)
        self.system.setPlaceholderText("This column's system prompt")
        self.system.setAccessibleName("Column system prompt")
        self.system.setMaximumHeight(70)
        self.own_prompt.toggled.connect(self.system.setVisible)
        layout.addWidget(self.system)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName("Conversation")
        self.page = QWidget()
        self.list = QVBoxLayout(self.page)
        self.list.setContentsMargins(0, 0, 4, 0)
        self.list.addStretch(1)
        self.scroll.setWidget(self.page)
        layout.addWidget(self.scroll, 1)
        self.following = True  # keep the newest text in view unless the reader scrolls up
        self.scroll.verticalScrollBar().actionTriggered.connect(self._scrolled_by_reader)

    # --- what it asks ---------------------------------------------------------------------------------
    def system_prompt(self) -> str | None:
        """This column's own system prompt, or None for the shared one."""
        return self.system.toPlainText() if self.own_prompt.isChecked() else None

    def set_system_prompt(self, text: str | None) -> None:
        self.own_prompt.setChecked(text is not None)
        self.system.setPlainText(text or "")

    def target(self) -> ChatTarget:
        return self.locked_target or self.picker.target()

    # --- header states ------------------------------------------------------------------------------------
    def lock(self, target: ChatTarget | None) -> None:
        """Once a conversation has begun its model is fixed: the picker gives way to the model's name."""
        self.locked_target = target
        self._update_header()

    def set_letter(self, letter: str | None, revealed: str | None = None) -> None:
        """Blind mode: the column goes by a letter (None: by its model's name); ``revealed`` is the
        model's name once the reviewer has asked to see it."""
        self.letter = letter
        self.revealed = revealed
        self._update_header()
        for bubble in self.bubbles:
            bubble.set_show_cost(letter is None or revealed is not None)

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.picker.set_presentation(on)
        self._update_header()

    def refit(self) -> None:
        """The font changed: every text's height follows."""
        for text in self.page.findChildren(StreamText):
            text.refit()

    def retint(self) -> None:
        for bubble in self.page.findChildren(Bubble):
            bubble.retint()

    def set_removable(self, on: bool) -> None:
        self.remove_button.setVisible(on)

    def _update_header(self) -> None:
        named = self.locked_target is not None or self.letter is not None
        self.picker.setVisible(not named)
        self.name.setVisible(named)
        self.own_prompt.setVisible(self.letter is None)
        self.system.setVisible(self.letter is None and self.own_prompt.isChecked())
        if self.letter is not None:
            self.name.setText(f"<b>Answer {self.letter}</b>" + (f" = {escape(self.revealed)}" if self.revealed else ""))
            self.name.setToolTip("" if self.revealed else "Blind mode: the model is revealed at the end.")
        elif self.locked_target is not None:
            t = self.locked_target
            where = display_where(t, self.presentation)
            self.name.setText(f"<b>{escape(display_model(t.name, self.presentation))}</b>"
                              + (f" &nbsp;·&nbsp; {escape(where)}" if where else ""))
            self.name.setToolTip("" if self.presentation else t.model)

    # --- the conversation ------------------------------------------------------------------------------------
    def clear(self) -> None:
        while self.list.count() > 1:
            widget = self.list.takeAt(0).widget()
            if widget is not None:  # out of sight now, not when the event loop gets to deleting it
                widget.setParent(None)
                widget.deleteLater()
        self.bubbles = []
        self._spare = None
        self._prepare.start()

    def add_turn(self, user_text: str, turn: int) -> AnswerBubble:
        user, bubble = self._spare or self._make_pair()
        self._spare = None
        user.text.set_text(user_text)
        bubble.set_turn(turn)
        bubble.set_show_cost(self.letter is None or self.revealed is not None)
        user.show()
        bubble.show()
        self.bubbles.append(bubble)
        self.following = True
        QTimer.singleShot(0, self.scroll_to_end)
        self._prepare.start()
        return bubble

    def _make_pair(self) -> tuple[UserBubble, AnswerBubble]:
        """The bubbles of one more turn, hidden at the end of the conversation."""
        user, bubble = UserBubble(""), AnswerBubble(0)
        bubble.add_requested.connect(lambda t: self.add_requested.emit(self.index, t))
        bubble.pair_requested.connect(lambda t: self.pair_requested.emit(self.index, t))
        for widget in (user, bubble):
            widget.hide()
            self.list.insertWidget(self.list.count() - 1, widget)
        return user, bubble

    def _prepare_spare(self) -> None:
        # Made while nothing happens, so that sending a message only fills in and shows them: building
        # eight bubbles at the moment of sending was a visible stall.
        if self._spare is None:
            self._spare = self._make_pair()
            for widget in self._spare:
                widget.ensurePolished()

    def show_history(self, column: ChatColumn, pair_possible: bool) -> None:
        self.clear()
        for n, turn in enumerate(column.turns):
            self.add_turn(turn.user, n).show_answer(turn.answer, pair_possible=pair_possible)

    def scroll_to_end(self) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _scrolled_by_reader(self, _action: int) -> None:
        bar = self.scroll.verticalScrollBar()
        self.following = bar.sliderPosition() >= bar.maximum() - 4 or (
            bool(self.bubbles) and self._end_of(self.bubbles[-1]) <= bar.sliderPosition() + bar.pageStep())

    def _end_of(self, bubble: AnswerBubble) -> int:
        """Where the bubble's text ends, in the column's page coordinates."""
        return bubble.text.mapTo(self.page, QPoint(0, bubble.text.text_height())).y()

    def follow(self, bubble: AnswerBubble, may_scroll: bool = True) -> bool:
        """Keeps the end of a streaming answer in view; True if it scrolled. It scrolls two thirds of a
        page at a time, a few lines before the end reaches the bottom, and only when ``may_scroll``:
        every scroll repaints the whole column, so the page lets one column scroll per frame."""
        if not self.following or not may_scroll:
            return False
        bar = self.scroll.verticalScrollBar()
        end = self._end_of(bubble)
        view = self.scroll.viewport().height()
        if end <= bar.value() + view - 3 * bubble.text.fontMetrics().lineSpacing():
            return False
        bar.setValue(min(end - view // 3, bar.maximum()))
        return True
