"""Blind review of an evaluation, one comparison at a time: the question, two answers as A and B in
the run's seeded order (no names, no timings), and the verdict (keys 1, 2, T, X)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.answer import DONE, Answer
from workbench.core.playground.eval_store import EvalStore
from workbench.core.playground.evaluation import EvalPlan, EvalRating, Pairing
from workbench.ui.playground.blind_bar import VerdictButtons
from workbench.ui.playground.example_dialogs import conversation_text


def _reader(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setAccessibleName(name)
    return view


def shown_verdict(pairing: Pairing, rating: EvalRating | None) -> str | None:
    """A stored verdict told in this pairing's A/B order."""
    if rating is None:
        return None
    if rating.first != pairing.first and rating.verdict in ("A", "B"):
        return "B" if rating.verdict == "A" else "A"
    return rating.verdict


class ReviewView(QWidget):
    rated = Signal()
    report_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: EvalStore | None = None
        self.plan: EvalPlan | None = None
        self.answers: dict[tuple[int, int], Answer] = {}
        self.ratings: dict[tuple[int, int, int], EvalRating] = {}
        self.pairings: list[Pairing] = []
        self.position = 0
        self.presentation = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.where = QLabel()
        self.where.setAccessibleName("Which comparison")
        top.addWidget(self.where, 1)
        self.progress = QLabel()
        self.progress.setAccessibleName("Rated so far")
        top.addWidget(self.progress)
        layout.addLayout(top)
        self.question = _reader("Question")
        self.question.setMaximumHeight(160)
        layout.addWidget(self.question)
        self.show_reference = QCheckBox("Show the dataset's own answer")
        self.show_reference.setToolTip("The answer in the example (never sent to the models)")
        self.reference = _reader("The dataset's answer")
        self.reference.setMaximumHeight(110)
        self.reference.setVisible(False)
        self.show_reference.toggled.connect(self.reference.setVisible)
        layout.addWidget(self.show_reference)
        layout.addWidget(self.reference)
        grid = QGridLayout()
        self.labels, self.texts, self.notes = [], [], []
        for col, letter in enumerate("AB"):
            label = QLabel(f"<b>Answer {letter}</b>")
            text = _reader(f"Answer {letter}")
            note = QLabel(wordWrap=True, visible=False)
            note.setStyleSheet("color: #d0353f;")
            grid.addWidget(label, 0, col)
            grid.addWidget(text, 1, col)
            grid.addWidget(note, 2, col)
            self.labels.append(label)
            self.texts.append(text)
            self.notes.append(note)
        grid.setRowStretch(1, 1)
        layout.addLayout(grid, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Which is better?"))
        self.verdicts = VerdictButtons(self)
        self.verdicts.set_count(2)
        self.verdicts.chosen.connect(self.rate)
        bottom.addWidget(self.verdicts)
        bottom.addStretch(1)
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setToolTip("Previous comparison (Alt+Left)")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next comparison (Alt+Right)")
        self.unrated_button = QPushButton("Next Unrated")
        self.report_button = QPushButton("See Report")
        self.previous_button.clicked.connect(lambda: self.go(self.position - 1))
        self.next_button.clicked.connect(lambda: self.go(self.position + 1))
        self.unrated_button.clicked.connect(self.next_unrated)
        self.report_button.clicked.connect(self.report_requested)
        for b in (self.previous_button, self.next_button, self.unrated_button, self.report_button):
            bottom.addWidget(b)
        layout.addLayout(bottom)
        for key, step in (("Alt+Left", -1), ("Alt+Right", 1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.go(self.position + s))
        self.hint = QLabel("The models' names stay hidden until the report. Keys: 1 = A, 2 = B, T = tie, "
                           "X = both bad, Alt+←/→ to move.")
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.hint)

    # --- data ------------------------------------------------------------------------------------------------
    def show_run(self, store: EvalStore, plan: EvalPlan) -> None:
        self.store, self.plan = store, plan
        self.answers = store.answers(plan.id)
        self.ratings = {r.key: r for r in store.ratings(plan.id)}
        self.pairings = plan.pairings()
        first_unrated = next((i for i, p in enumerate(self.pairings) if p.key not in self.ratings), 0)
        self.go(first_unrated)

    @property
    def rated_count(self) -> int:
        return sum(1 for p in self.pairings if p.key in self.ratings)

    def current(self) -> Pairing | None:
        return self.pairings[self.position] if self.pairings else None

    def go(self, position: int) -> None:
        if not self.pairings:
            return
        self.position = max(0, min(position, len(self.pairings) - 1))
        pairing = self.pairings[self.position]
        item = self.plan.items[pairing.item]
        text = f"Comparison {self.position + 1} of {len(self.pairings)} — example {item.index + 1} of " \
               f"{len(self.plan.items)}"
        if item.example_id is not None and not self.presentation:
            text += f" (workspace example {item.example_id})"
        self.where.setText(text)
        self.question.setPlainText(conversation_text([m for m in item.prompt if m.get("role") not in (
            "system", "developer")], item.system))
        self.reference.setPlainText(item.reference or "(The example has no answer of its own.)")
        for slot, model in enumerate((pairing.first, pairing.second)):
            answer = self.answers.get((pairing.item, model))
            self.texts[slot].setPlainText(answer.text if answer is not None else "")
            if answer is None:
                note = "Not asked yet: resume the run to get this answer."
            elif answer.status != DONE:
                note = answer.error or "The answer stopped before the end."
            else:
                note = ""
            self.notes[slot].setText(f"⚠ {note}" if note else "")
            self.notes[slot].setVisible(bool(note))
        complete = all(self.answers.get((pairing.item, m)) is not None for m in (pairing.first, pairing.second))
        self.verdicts.setEnabled(complete)
        self.verdicts.mark(shown_verdict(pairing, self.ratings.get(pairing.key)))
        self.previous_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < len(self.pairings) - 1)
        self._update_progress()

    def _update_progress(self) -> None:
        self.progress.setText(f"{self.rated_count} of {len(self.pairings)} rated")
        self.unrated_button.setEnabled(self.rated_count < len(self.pairings))

    def rate(self, verdict: str) -> None:
        pairing = self.current()
        if pairing is None or self.store is None:
            return
        rating = EvalRating(pairing.item, pairing.first, pairing.second, verdict)
        self.store.save_rating(self.plan.id, rating)
        self.ratings[rating.key] = rating
        self.rated.emit()
        if not self.next_unrated():
            self.go(self.position)

    def next_unrated(self) -> bool:
        """Moves to the next comparison without a verdict (wrapping round); False when all are rated."""
        n = len(self.pairings)
        for step in range(1, n + 1):
            i = (self.position + step) % n
            if self.pairings[i].key not in self.ratings:
                self.go(i)
                return True
        return False

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        if self.pairings:
            self.go(self.position)
