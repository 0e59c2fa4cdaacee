"""Compare: one message to 2-4 models at once, answers streaming side by side, multi-turn.

The page keeps a ``ChatSession`` (core) as the truth: a message is sent through a ``ChatBridge``
(the column threads never touch widgets), recorded in the session when every column has ended, and
the session saved to the workspace after every turn and every blind verdict.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.answer import MAX_COLUMNS, ChatSettings, ChatTarget
from workbench.core.playground.blind import LABELS
from workbench.core.playground.session import ChatColumn, ChatSession
from workbench.core.playground.store import PlaygroundStore
from workbench.core.store import Workspace
from workbench.providers.connect import Connector
from workbench.providers.parallel_chat import ChatRequest
from workbench.ui.playground.blind_bar import BlindBar, TallyView
from workbench.ui.playground.bubbles import AnswerBubble
from workbench.ui.playground.column_view import ColumnView
from workbench.ui.playground.prompt_edit import PromptEdit
from workbench.ui.playground.session_data import SessionData
from workbench.ui.playground.stream_bridge import FRAME_MS, ChatBridge
from workbench.ui.playground.targets import (
    ModelChoice,
    display_model,
    model_choices,
    profile_names,
    suggest_model,
)

MIN_COLUMNS = 2
TITLE_LENGTH = 60
Push = Callable[[str, Callable[[], object]], None]


class ComparePage(QWidget):
    turn_finished = Signal()  # a turn was recorded (and saved)
    message = Signal(str)  # a sentence for the status bar

    def __init__(self, push: Push | None = None, undo_stack: QUndoStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        self.undo_stack = undo_stack
        self.ws: Workspace | None = None
        self.store: PlaygroundStore | None = None
        self.session: ChatSession | None = None  # None until the first message
        self.seed = random.randrange(2**31)
        self.bridge: ChatBridge | None = None
        self._connector: Connector | None = None  # one per page: its clients (and their pools) are reused
        # Thread.start waits until the new thread runs; with four streams busy that wait is a GUI stall.
        # The columns' threads are started from this one thread instead (started here, while idle).
        self._launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-launch")
        self._launcher.submit(lambda: None)
        self.pending_text = ""
        self.live: list[AnswerBubble] = []
        self.columns: list[ColumnView] = []
        self.presentation = False
        self.revealed = False
        self._choices: list[ModelChoice] = []
        self._profiles: list[str] = []
        self.data = SessionData(self)

        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        system_row = QHBoxLayout()
        system_row.addWidget(QLabel("System prompt:"), 0, Qt.AlignmentFlag.AlignTop)
        self.system = QPlainTextEdit()
        self.system.setPlaceholderText("Shared by every column without its own (optional)")
        self.system.setAccessibleName("Shared system prompt")
        self.system.setMaximumHeight(54)
        system_row.addWidget(self.system, 1)
        layout.addLayout(system_row)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.blind_bar = BlindBar(self)
        self.blind_bar.setVisible(False)
        self.blind_bar.verdict.connect(self.rate)
        self.blind_bar.reveal_toggled.connect(self.set_revealed)
        layout.addWidget(self.blind_bar)
        self.tally = TallyView()
        self.tally.setVisible(False)
        layout.addWidget(self.tally)
        self.notice = QLabel(wordWrap=True, visible=False)
        self.notice.setStyleSheet("color: #d0353f;")
        layout.addWidget(self.notice)
        row = QHBoxLayout()
        self.input = PromptEdit()
        self.input.setMaximumHeight(90)
        self.input.submitted.connect(self.send)
        row.addWidget(self.input, 1)
        buttons = QVBoxLayout()
        self.send_button = QPushButton("Send")
        self.send_button.setToolTip("Send the message to every column (Ctrl+Enter)")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop", enabled=False)
        self.stop_button.setToolTip("Stop every answer; what arrived is kept")
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        row.addLayout(buttons)
        layout.addLayout(row)
        self._save_soon = QTimer(self, singleShot=True, interval=0)
        self._save_soon.timeout.connect(self._save_turn)
        self._ticker = QTimer(self, interval=200)  # the clocks under the answers
        self._ticker.timeout.connect(self._tick)
        for _ in range(MIN_COLUMNS):
            self.add_column()

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.sessions_button = QToolButton(text="Sessions")
        self.sessions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.sessions_menu = QMenu(self.sessions_button)
        self.sessions_menu.aboutToShow.connect(self.data.fill_sessions_menu)
        self.sessions_button.setMenu(self.sessions_menu)
        self.sessions_button.setAccessibleName("Saved sessions")
        bar.addWidget(self.sessions_button)
        self.new_button = QPushButton("New Session")
        self.new_button.setToolTip("Start a new conversation with the same models")
        self.new_button.clicked.connect(self.new_session)
        bar.addWidget(self.new_button)
        self.add_button = QPushButton("Add Column")
        self.add_button.clicked.connect(lambda: self.add_column())
        bar.addWidget(self.add_button)
        bar.addSpacing(12)
        self.blind = QCheckBox("Blind")
        self.blind.setToolTip("Hide the models' names and shuffle the columns for every message; "
                              "rate the answers, then reveal.")
        self.blind.toggled.connect(self.set_blind)
        bar.addWidget(self.blind)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Temperature:"))
        self.temperature = QDoubleSpinBox(minimum=-0.1, maximum=2.0, singleStep=0.1, decimals=1,
                                          specialValueText="default", value=-0.1)
        self.temperature.setAccessibleName("Temperature")
        bar.addWidget(self.temperature)
        bar.addWidget(QLabel("Max tokens:"))
        self.max_tokens = QSpinBox(minimum=0, maximum=128_000, singleStep=256, specialValueText="default")
        self.max_tokens.setAccessibleName("Max tokens")
        bar.addWidget(self.max_tokens)
        bar.addStretch(1)
        self.title = QLabel()
        self.title.setAccessibleName("Session title")
        bar.addWidget(self.title)
        return bar

    # --- workspace and choices -------------------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        self.stop_turn()
        self.ws = ws
        self.store = PlaygroundStore(ws) if ws is not None else None
        self.refresh_choices()
        latest = self.store.sessions() if self.store is not None else []
        if latest:
            self.open_session(latest[0].id)
        else:
            self.new_session()
            for position, column in enumerate(self.columns):  # e.g. this workspace's newest tuned model
                column.picker.model.setCurrentText(self._default_model(position))

    def refresh_choices(self, reconnect: bool = False) -> None:
        """Models (price list, the workspace's fine-tuned ones) and profiles, e.g. after a job finished;
        ``reconnect`` after Settings (a profile or key may have changed)."""
        if reconnect:
            self._drop_connector()
        self._choices = model_choices(self.ws)
        self._profiles, problem = profile_names()
        if problem:
            self.show_notice(problem)
        for column in self.columns:
            self._fill_picker(column)

    def _fill_picker(self, column: ColumnView) -> None:
        column.picker.set_models(self._choices)
        column.picker.set_profiles(self._profiles)

    # --- columns ------------------------------------------------------------------------------------------
    def add_column(self, target: ChatTarget | None = None) -> ColumnView | None:
        if len(self.columns) >= MAX_COLUMNS or self.has_turns:
            return None
        column = ColumnView(len(self.columns))
        self._fill_picker(column)
        if target is not None:
            column.picker.set_target(target)
        else:
            column.picker.model.setCurrentText(self._default_model(len(self.columns)))
            if self.columns:
                column.picker.set_target(ChatTarget(column.picker.model.currentText(),
                                                    *self.columns[-1].picker.target_where()))
        column.set_presentation(self.presentation)
        column.remove_requested.connect(self.remove_column)
        column.add_requested.connect(lambda col, turn: self.data.open_add_dialog(col, turn))
        column.pair_requested.connect(lambda col, turn: self.data.open_pair_dialog(col, turn))
        self.columns.append(column)
        self.splitter.addWidget(column)
        self._columns_changed()
        return column

    def _default_model(self, position: int) -> str:
        return suggest_model(self._choices, position)

    def remove_column(self, column: ColumnView) -> None:
        if len(self.columns) <= MIN_COLUMNS or self.has_turns or self.running:
            return
        self.columns.remove(column)
        column.setParent(None)
        column.deleteLater()
        for i, c in enumerate(self.columns):
            c.index = i
        self._columns_changed()

    def _set_column_count(self, n: int) -> None:
        while len(self.columns) > n:
            column = self.columns.pop()
            column.setParent(None)
            column.deleteLater()
        while len(self.columns) < n:
            self.add_column()

    def _columns_changed(self) -> None:
        locked = self.has_turns or self.running
        self.add_button.setEnabled(not locked and len(self.columns) < MAX_COLUMNS)
        for column in self.columns:
            column.set_removable(not locked and len(self.columns) > MIN_COLUMNS)
        self.splitter.setSizes([1000] * len(self.columns))

    @property
    def has_turns(self) -> bool:
        return self.session is not None and self.session.turn_count > 0

    @property
    def running(self) -> bool:
        return self.bridge is not None and self.bridge.running

    # --- sessions ---------------------------------------------------------------------------------------------
    def new_session(self) -> None:
        """A fresh conversation, keeping the columns' models (so "New" means "ask them something else")."""
        if self.running:
            return
        targets = [c.target() if c.locked_target else None for c in self.columns]
        self.session = None
        self.seed = random.randrange(2**31)
        self.revealed = False
        self.blind_bar.reveal.setChecked(False)
        for column, target in zip(self.columns, targets, strict=True):
            column.clear()
            column.lock(None)
            if target is not None:
                column.picker.set_target(target)
        self.title.setText("New session")
        self._columns_changed()
        self._update_blind()

    def open_session(self, session_id: int) -> None:
        if self.running or self.store is None:
            return
        try:
            session = self.store.load_session(session_id)
        except Exception as exc:  # noqa: BLE001 - a damaged row: say so, keep what is shown
            self.show_notice(f"This session cannot be opened: {exc}")
            return
        self.show_session(session)

    def show_session(self, session: ChatSession) -> None:
        self.session = None
        self._set_column_count(max(MIN_COLUMNS, len(session.columns)) if session.turn_count == 0
                               else len(session.columns))
        self.session = session
        self.seed = session.seed
        self.system.setPlainText(session.system_prompt)
        self.temperature.setValue(session.settings.temperature if session.settings.temperature is not None else -0.1)
        self.max_tokens.setValue(session.settings.max_tokens or 0)
        self.blind.blockSignals(True)
        self.blind.setChecked(session.blind)
        self.blind.blockSignals(False)
        self.revealed = False
        self.blind_bar.reveal.setChecked(False)
        for column, chat in zip(self.columns, session.columns, strict=False):
            column.picker.set_target(chat.target)
            column.set_system_prompt(chat.system_prompt)
            column.lock(chat.target if session.turn_count else None)
            column.show_history(chat, pair_possible=len(session.columns) >= 2)
        self.title.setText(session.title)
        self._columns_changed()
        self._update_blind()

    def save(self) -> None:
        self._save_soon.stop()
        if self.store is None or self.session is None:
            return
        try:
            self.store.save_session(self.session)
        except Exception as exc:  # noqa: BLE001 - the workspace may be read-only or locked: keep going
            self.show_notice(f"The session could not be saved: {exc}")

    # --- sending -------------------------------------------------------------------------------------------------
    def settings(self) -> ChatSettings:
        temperature = self.temperature.value()
        return ChatSettings(temperature=None if temperature < 0 else round(temperature, 1),
                            max_tokens=self.max_tokens.value() or None)

    def _prepare_session(self, text: str) -> ChatSession:
        """The session to send ``text`` in: a new one from the pickers, or the current one updated."""
        if not self.has_turns:
            targets = [c.target() for c in self.columns]  # ValueError: a picker is incomplete
            return ChatSession([ChatColumn(t, c.system_prompt()) for t, c in zip(targets, self.columns, strict=True)],
                               system_prompt=self.system.toPlainText(), settings=self.settings(),
                               title=" ".join(text.split())[:TITLE_LENGTH], blind=self.blind.isChecked(),
                               seed=self.seed)
        session = self.session
        session.system_prompt = self.system.toPlainText()
        session.settings = self.settings()
        session.blind = self.blind.isChecked()
        for chat, column in zip(session.columns, self.columns, strict=True):
            chat.system_prompt = column.system_prompt()
        return session

    def send(self) -> bool:
        text = self.input.toPlainText().strip()
        if not text or self.running:
            return False
        try:
            session = self._prepare_session(text)
            requests = [ChatRequest(c.target, tuple(m)) for c, m in zip(session.columns, session.requests(text),
                                                                          strict=True)]
        except ValueError as exc:
            self.show_notice(str(exc))
            return False
        self.show_notice("")
        self.session = session
        self.pending_text = text
        self.bridge = ChatBridge(requests, settings=session.settings, connector=self.connector(), parent=self)
        self.bridge.updated.connect(self._on_progress)
        self.bridge.finished.connect(self._on_finished)
        turn = session.turn_count
        self.live = []
        for column, chat in zip(self.columns, session.columns, strict=True):
            column.lock(chat.target)
            self.live.append(column.add_turn(text, turn))
        self.title.setText(session.title)
        self.input.clear()
        self.revealed = False
        self.blind_bar.reveal.setChecked(False)
        self._set_running(True)
        self._update_blind()
        # The requests go out once this frame is painted: the SDK's work to start four of them, on other
        # threads but under the same GIL, would otherwise lengthen the frame that shows the message.
        QTimer.singleShot(FRAME_MS, lambda bridge=self.bridge: bridge is self.bridge and self._launcher.submit(
            bridge.start))
        self._ticker.start()
        return True

    def connector(self) -> Connector:
        if self._connector is None:
            self._connector = Connector()
        return self._connector

    def _drop_connector(self) -> None:
        """Profiles or keys may have changed: the next message connects afresh."""
        if self._connector is not None and not self.running:
            self._connector.close()
            self._connector = None

    def stop(self) -> None:
        if self.bridge is not None:
            self.bridge.cancel()

    def _set_running(self, on: bool) -> None:
        self.send_button.setEnabled(not on)
        self.stop_button.setEnabled(on)
        self.new_button.setEnabled(not on)
        self.sessions_button.setEnabled(not on)
        self._columns_changed()

    def _on_progress(self) -> None:
        """A frame: new text in every column (the clocks under the answers tick in ``_tick``)."""
        if self.bridge is None:
            return
        grown = scrolled = False  # what re-lays or repaints a whole column: one column per frame
        for p in self.bridge.progress:
            bubble = self.live[p.column]
            if p.answer is None:
                grown = bubble.show_text(p.text, may_grow=not grown) or grown
                scrolled = self.columns[p.column].follow(bubble, may_scroll=not scrolled) or scrolled
            elif bubble.answer is None:
                bubble.show_answer(p.answer, pair_possible=len(self.live) >= 2)
                if self.columns[p.column].following:
                    QTimer.singleShot(0, self.columns[p.column].scroll_to_end)

    def _tick(self) -> None:
        if self.bridge is None or not self.bridge.running:
            self._ticker.stop()
            return
        for p in self.bridge.chat.snapshot():
            if p.answer is None:
                self.live[p.column].show_clock(p.state, p.ttft, p.elapsed)

    def _on_finished(self) -> None:
        bridge, self.bridge = self.bridge, None
        self._ticker.stop()
        answers = bridge.answers()
        for column, bubble, answer in zip(self.columns, self.live, answers, strict=True):
            if bubble.answer is None:
                bubble.show_answer(answer, pair_possible=len(answers) >= 2)
            if column.following:  # the whole answer and its details
                QTimer.singleShot(0, column.scroll_to_end)
        self.session.record(self.pending_text, answers)
        # Saved on the next turn of the event loop, after the finished answers are painted: the commit
        # waits for the disk (synchronous=FULL), which would otherwise lengthen this frame.
        self._save_soon.start()
        bridge.deleteLater()
        self._set_running(False)
        self._update_blind()

    def _save_turn(self) -> None:
        self.save()
        self.turn_finished.emit()

    # --- blind mode ----------------------------------------------------------------------------------------------
    def set_blind(self, on: bool) -> None:
        if self.session is not None:
            self.session.blind = on
            if self.has_turns and not self.running:
                self.save()
        self._update_blind()

    def set_revealed(self, on: bool) -> None:
        self.revealed = on
        self._update_blind()

    def current_turn(self) -> int | None:
        """The turn being asked or the last one answered (what blind verdicts are about)."""
        if self.session is None:
            return None
        if self.running:
            return self.session.turn_count
        return self.session.turn_count - 1 if self.session.turn_count else None

    def blind_order(self) -> list[int]:
        turn = self.current_turn()
        if not self.blind.isChecked() or self.session is None or turn is None:
            return list(range(len(self.columns)))
        return self.session.blind_order(turn)

    def _update_blind(self) -> None:
        on = self.blind.isChecked()
        order = self.blind_order()
        for position, col in enumerate(order):
            column = self.columns[col]
            if self.splitter.indexOf(column) != position:
                self.splitter.insertWidget(position, column)
            if on and (self.has_turns or self.running):
                column.set_letter(LABELS[position], self.names()[col] if self.revealed else None)
            else:
                column.set_letter(None)
        turn = self.current_turn()
        done = on and not self.running and turn is not None
        self.blind_bar.setVisible(on)
        if len(self.blind_bar.verdicts.buttons) != len(self.columns) + 2:
            self.blind_bar.verdicts.set_count(len(self.columns))
        rating = self.session.ratings.get(turn) if done else None
        can_rate = done and self.session.answered(turn)
        self.blind_bar.verdicts.setEnabled(can_rate)
        self.blind_bar.verdicts.mark(rating.verdict if rating else None)
        if self.running:
            self.blind_bar.status.setText("Answering…")
        elif done and not can_rate:
            self.blind_bar.status.setText("Not every answer came through: send the message again to rate it.")
        elif rating is not None:
            self.blind_bar.status.setText(f"Rated ({len(self.session.ratings)} so far).")
        else:
            self.blind_bar.status.setText("")
        self.blind_bar.reveal.setEnabled(self.has_turns)
        show_tally = on and self.revealed and self.session is not None
        self.tally.setVisible(show_tally)
        if show_tally:
            self.tally.show_tally(self.session.tally(), self.names(), len(self.session.ratings))

    def rate(self, verdict: str) -> None:
        turn = self.current_turn()
        if self.running or turn is None or not self.session.answered(turn):
            return
        self.session.rate(turn, verdict)
        self.save()
        self._update_blind()

    def names(self) -> list[str]:
        if self.session is None:
            return []
        return [display_model(c.target.name, self.presentation) for c in self.session.columns]

    # --- misc ---------------------------------------------------------------------------------------------------------
    def show_notice(self, text: str) -> None:
        self.notice.setText(f"⚠ {text}" if text else "")
        self.notice.setVisible(bool(text))
        if text:
            self.message.emit(text)

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        for column in self.columns:
            column.set_presentation(on)
        self._update_blind()
        QTimer.singleShot(0, self._refit)  # once the new font has reached every widget

    def _refit(self) -> None:
        for column in self.columns:
            column.refit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:  # e.g. the system switched to dark
            for column in self.columns:
                column.retint()

    def stop_turn(self, wait: float = 1.0) -> None:
        """Stop a turn in flight, unrecorded (switching workspaces); a finished one not yet saved is saved."""
        if self._save_soon.isActive():
            self._save_turn()
        self._ticker.stop()
        if self.bridge is not None:
            self.bridge.shutdown(wait)
            self.bridge = None
            self._set_running(False)

    def shutdown(self, wait: float = 1.0) -> None:
        """Closing the window: stop a turn in flight and let the connections and threads go."""
        self.stop_turn(wait)
        self._drop_connector()
        self._launcher.shutdown(wait=False)
