"""Setting up an evaluation: which examples, which 2-4 models, sampling settings and how many
requests at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.answer import ChatSettings, ChatTarget
from workbench.core.playground.evaluation import DEFAULT_CONCURRENCY, MAX_MODELS, MIN_MODELS, Selection
from workbench.core.store import Workspace
from workbench.ui.playground.targets import ModelChoice, TargetPicker, suggest_model

SOURCES = (("Test split", "test"), ("Validation split", "validation"), ("Training split", "train"),
           ("All examples", None), ("Selected in the Examples tab", "selected"))
DEFAULT_LIMIT = 50


class EvalSetup(QWidget):
    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.selected_ids: Callable[[], list[int]] | None = None  # set by the window: the Examples tab's selection
        self.presentation = False
        self._choices: list[ModelChoice] = []
        self._profiles: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        what = QGroupBox("Examples")
        form = QFormLayout(what)
        self.source = QComboBox()
        for text, _value in SOURCES:
            self.source.addItem(text)
        self.source.setAccessibleName("Which examples")
        self.source.currentIndexChanged.connect(self._update_count)
        self.limit = QSpinBox(minimum=0, maximum=100_000, value=DEFAULT_LIMIT, specialValueText="all")
        self.limit.setAccessibleName("At most this many examples")
        self.count = QLabel()
        self.count.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(QLabel("at most"))
        row.addWidget(self.limit)
        form.addRow("Ask:", row)
        form.addRow("", self.count)
        layout.addWidget(what)

        models = QGroupBox("Models (2 to 4), each answering every example")
        self.models_layout = QVBoxLayout(models)
        self.pickers: list[TargetPicker] = []
        self.add_model = QPushButton("Add Model")
        self.add_model.clicked.connect(lambda: self.add_picker())
        self.models_layout.addWidget(self.add_model)
        layout.addWidget(models)

        how = QGroupBox("Settings")
        form = QFormLayout(how)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.name = QLineEdit(placeholderText="e.g. Tuned v2 vs base on the test split")
        self.name.setAccessibleName("Evaluation name")
        self.name.setMinimumWidth(self.name.fontMetrics().horizontalAdvance("x") * 48)
        form.addRow("Name:", self.name)
        self.temperature = QDoubleSpinBox(minimum=-0.1, maximum=2.0, singleStep=0.1, decimals=1,
                                          specialValueText="default", value=-0.1)
        self.temperature.setAccessibleName("Temperature")
        self.max_tokens = QSpinBox(minimum=0, maximum=128_000, singleStep=256, specialValueText="default")
        self.max_tokens.setAccessibleName("Max tokens")
        self.concurrency = QSpinBox(minimum=1, maximum=32, value=DEFAULT_CONCURRENCY)
        self.concurrency.setAccessibleName("Requests at once")
        self.concurrency.setToolTip("How many answers are asked for at the same time (mind your rate limits)")
        form.addRow("Temperature:", self.temperature)
        form.addRow("Max tokens:", self.max_tokens)
        form.addRow("Requests at once:", self.concurrency)
        layout.addWidget(how)

        self.problem = QLabel(wordWrap=True, visible=False)
        self.problem.setStyleSheet("color: #d0353f;")
        layout.addWidget(self.problem)
        start_row = QHBoxLayout()
        start_row.addStretch(1)
        self.start_button = QPushButton("Start Evaluation")
        self.start_button.clicked.connect(self.start_requested)
        start_row.addWidget(self.start_button)
        layout.addLayout(start_row)
        layout.addStretch(1)
        for _ in range(MIN_MODELS):
            self.add_picker()

    # --- models ---------------------------------------------------------------------------------------
    def add_picker(self, target: ChatTarget | None = None) -> TargetPicker | None:
        if len(self.pickers) >= MAX_MODELS:
            return None
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        picker = TargetPicker()
        picker.set_models(self._choices)
        picker.set_profiles(self._profiles)
        picker.set_presentation(self.presentation)
        if target is not None:
            picker.set_target(target)
        elif self.pickers:
            picker.set_target(ChatTarget(self._suggest(len(self.pickers)), *self.pickers[-1].target_where()))
        else:
            picker.model.setCurrentText(self._suggest(0))
        remove = QToolButton(text="✕", toolTip="Remove this model")
        remove.setAutoRaise(True)
        remove.clicked.connect(lambda: self._remove(row, picker))
        line.addWidget(picker, 1)
        line.addWidget(remove)
        self.models_layout.insertWidget(self.models_layout.count() - 1, row)
        self.pickers.append(picker)
        self._update_buttons()
        return picker

    def _suggest(self, position: int) -> str:
        return suggest_model(self._choices, position)

    def _remove(self, row: QWidget, picker: TargetPicker) -> None:
        if len(self.pickers) <= MIN_MODELS:
            return
        self.pickers.remove(picker)
        row.setParent(None)
        row.deleteLater()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_model.setEnabled(len(self.pickers) < MAX_MODELS)
        for i in range(self.models_layout.count() - 1):
            row = self.models_layout.itemAt(i).widget()
            if row is not None:
                row.findChild(QToolButton).setVisible(len(self.pickers) > MIN_MODELS)

    def set_choices(self, choices: list[ModelChoice], profiles: list[str]) -> None:
        self._choices, self._profiles = choices, profiles
        for picker in self.pickers:
            picker.set_models(choices)
            picker.set_profiles(profiles)

    # --- the request ---------------------------------------------------------------------------------------
    def set_workspace(self, ws: Workspace | None) -> None:
        self.ws = ws
        self._update_count()

    def selection(self) -> Selection:
        value = SOURCES[self.source.currentIndex()][1]
        limit = self.limit.value() or None
        if value == "selected":
            ids = self.selected_ids() if self.selected_ids is not None else []
            if not ids:
                raise ValueError("Select some examples in the Examples tab first, or choose a split.")
            return Selection(split=None, ids=tuple(ids), limit=limit)
        return Selection(split=value, limit=limit)

    def _update_count(self) -> None:
        value = SOURCES[self.source.currentIndex()][1]
        if self.ws is None:
            self.count.setText("")
        elif value == "selected":
            n = len(self.selected_ids()) if self.selected_ids is not None else 0
            self.count.setText(f"{n:,} examples are selected in the Examples tab.")
        else:
            n = self.ws.count(value)
            note = " Set examples aside with Edit ▸ Set Split ▸ Test first." if value == "test" and n == 0 else ""
            self.count.setText(f"{n:,} examples.{note}")

    def targets(self) -> list[ChatTarget]:
        return [p.target() for p in self.pickers]

    def settings(self) -> ChatSettings:
        temperature = self.temperature.value()
        return ChatSettings(temperature=None if temperature < 0 else round(temperature, 1),
                            max_tokens=self.max_tokens.value() or None)

    def show_problem(self, text: str) -> None:
        self.problem.setText(f"⚠ {text}" if text else "")
        self.problem.setVisible(bool(text))

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        for picker in self.pickers:
            picker.set_presentation(on)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_count()
