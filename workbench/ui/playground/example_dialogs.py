"""Dialogs that turn a playground answer into data: a training example (the answer editable) or a
preference pair (which answer is preferred, both editable). They build the example through core
(so a bad one is refused here, with the reason) and hand it back; the caller adds it as one undo step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.formats import content_text
from workbench.core.playground.examples import ExampleError
from workbench.core.store import SPLITS

Built = tuple[dict[str, Any], dict[str, Any]]  # (example, provenance)
ROLE_NAMES = {"system": "System", "user": "Customer", "assistant": "Answer"}


def conversation_text(messages: Sequence[dict[str, Any]], system: str = "") -> str:
    lines = [f"System: {system}"] if system.strip() else []
    lines += [f"{ROLE_NAMES.get(str(m.get('role')), m.get('role'))}: {content_text(m.get('content'))}"
              for m in messages]
    return "\n\n".join(lines)


def _preview(text: str) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setAccessibleName("The conversation so far")
    view.setMaximumHeight(140)
    return view


class _ExampleDialog(QDialog):
    """Split, tags, an error line and OK/Cancel; subclasses add what is edited."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 560)
        self.built: Built | None = None
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.split = QComboBox()
        self.split.addItems([s for s in SPLITS if s != "excluded"])
        self.split.setAccessibleName("Split")
        self.tags = QLineEdit(placeholderText="e.g. playground, billing (comma-separated)")
        self.tags.setAccessibleName("Tags")
        self.form.addRow("Split:", self.split)
        self.form.addRow("Tags:", self.tags)
        self.problem = QLabel(wordWrap=True, visible=False)
        self.problem.setStyleSheet("color: #d0353f;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.problem)
        self.layout_.addWidget(self.buttons)

    def chosen_tags(self) -> list[str]:
        return [t.strip() for t in self.tags.text().split(",") if t.strip()]

    def chosen_split(self) -> str:
        return self.split.currentText()

    def build(self) -> Built:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.built = self.build()
        except ExampleError as exc:
            self.problem.setText(f"⚠ {exc}")
            self.problem.setVisible(True)
            return
        super().accept()


class AddExampleDialog(_ExampleDialog):
    """``make(edited_answer_or_None) -> (example, source)`` builds the example (None: unchanged)."""

    def __init__(self, context: str, answer: str, make: Callable[[str | None], Built],
                 parent: QWidget | None = None) -> None:
        super().__init__("Add to dataset", parent)
        self._original = answer
        self._make = make
        self.layout_.addWidget(QLabel("The conversation so far:"))
        self.layout_.addWidget(_preview(context))
        self.layout_.addWidget(QLabel("The answer to learn (edit it into the best answer):"))
        self.answer = QPlainTextEdit(answer)
        self.answer.setAccessibleName("Answer to learn")
        self.layout_.addWidget(self.answer, 1)
        self.finish_layout()

    def build(self) -> Built:
        text = self.answer.toPlainText()
        return self._make(None if text == self._original else text)


class PreferencePairDialog(_ExampleDialog):
    """Two answers side by side; choose the preferred one and edit either.
    ``make(chosen_col, rejected_col, chosen_text, rejected_text) -> (example, source)``."""

    def __init__(self, context: str, columns: Sequence[tuple[int, str, str]], preferred: int,
                 make: Callable[[int, int, str, str], Built], parent: QWidget | None = None) -> None:
        super().__init__("Save as preference pair", parent)
        self._make = make
        self._columns = list(columns)  # (column index, name, answer text)
        self.layout_.addWidget(QLabel("The conversation so far:"))
        self.layout_.addWidget(_preview(context))
        grid = QGridLayout()
        self.first = QComboBox()
        self.second = QComboBox()
        for box in (self.first, self.second):
            for _col, name, _text in self._columns:
                box.addItem(name)
        self.first.setAccessibleName("First answer")
        self.second.setAccessibleName("Second answer")
        self.prefer_first = QRadioButton("Preferred")
        self.prefer_second = QRadioButton("Preferred")
        self.first_text = QPlainTextEdit()
        self.second_text = QPlainTextEdit()
        self.first_text.setAccessibleName("First answer text")
        self.second_text.setAccessibleName("Second answer text")
        for col, (box, radio, text) in enumerate(((self.first, self.prefer_first, self.first_text),
                                                  (self.second, self.prefer_second, self.second_text))):
            grid.addWidget(box, 0, col)
            grid.addWidget(radio, 1, col)
            grid.addWidget(text, 2, col)
        self.layout_.addLayout(grid, 1)
        positions = [c for c, _n, _t in self._columns]
        first = positions.index(preferred) if preferred in positions else 0
        second = next(i for i in range(len(positions)) if i != first)
        self.first.setCurrentIndex(first)
        self.second.setCurrentIndex(second)
        self.first_text.setPlainText(self._columns[first][2])
        self.second_text.setPlainText(self._columns[second][2])
        self.prefer_first.setChecked(True)
        self.first.currentIndexChanged.connect(lambda i: self.first_text.setPlainText(self._columns[i][2]))
        self.second.currentIndexChanged.connect(lambda i: self.second_text.setPlainText(self._columns[i][2]))
        show_boxes = len(self._columns) > 2  # with two columns there is nothing to choose
        self.first.setVisible(show_boxes)
        self.second.setVisible(show_boxes)
        if not show_boxes:
            self.prefer_first.setText(f"{self._columns[first][1]} is preferred")
            self.prefer_second.setText(f"{self._columns[second][1]} is preferred")
        self.finish_layout()

    def build(self) -> Built:
        a, b = self.first.currentIndex(), self.second.currentIndex()
        if a == b:
            raise ExampleError("Choose two different columns.")
        pairs = ((a, self.first_text), (b, self.second_text))
        (good, good_text), (bad, bad_text) = pairs if self.prefer_first.isChecked() else pairs[::-1]
        return self._make(self._columns[good][0], self._columns[bad][0], good_text.toPlainText(),
                          bad_text.toPlainText())
