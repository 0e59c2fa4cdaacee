"""Blind mode's controls: the verdict buttons (keys 1-4, T, X), Reveal, and the revealed tally."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.playground.blind import BOTH_BAD, LABELS, TIE, verdict_text
from workbench.core.playground.tally import WIN_RATE_RULE, Tally
from workbench.ui.playground.rows_model import RowsModel
from workbench.ui.playground.tables import CompactTable

TALLY_HEADERS = ("Model", "Win rate", "95% interval", "Wins", "Losses", "Ties", "Both bad")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def interval_text(interval: tuple[float, float] | None) -> str:
    return "–" if interval is None else f"{interval[0] * 100:.0f}–{interval[1] * 100:.0f}%"


def tally_rows(tallies: Sequence[Tally], names: Sequence[str]) -> list[list[str]]:
    return [[names[t.index], percent(t.win_rate), interval_text(t.interval), str(t.wins), str(t.losses),
             str(t.ties), str(t.both_bad)] for t in tallies]


def verdict_keys(n: int) -> list[tuple[str, str, str]]:
    """(verdict, button text, key) for ``n`` answers: A..D on 1..4, then Tie on T and Both bad on X."""
    keys = [(letter, letter, str(i + 1)) for i, letter in enumerate(LABELS[:n])]
    return [*keys, (TIE, "Tie", "T"), (BOTH_BAD, "Both bad" if n == 2 else "All bad", "X")]


class VerdictButtons(QWidget):
    """A row of verdict buttons with their keys; the keys work anywhere inside ``scope``."""

    chosen = Signal(str)

    def __init__(self, scope: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scope = scope
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        self._shortcuts: list[QShortcut] = []

    def set_count(self, n: int) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.buttons, self._shortcuts = {}, []
        for verdict, text, key in verdict_keys(n):
            button = QPushButton(f"{text}  ({key})")
            button.setCheckable(True)
            button.setAccessibleName(verdict_text(verdict))
            button.setToolTip(f"{verdict_text(verdict)} — key {key}")
            button.clicked.connect(lambda _=False, v=verdict: self._choose(v))
            self.row.addWidget(button)
            self.buttons[verdict] = button
            shortcut = QShortcut(QKeySequence(key), self._scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda v=verdict: self._choose(v))
            self._shortcuts.append(shortcut)

    def _choose(self, verdict: str) -> None:
        if self.isEnabled() and self.isVisibleTo(self._scope):
            self.chosen.emit(verdict)

    def mark(self, verdict: str | None) -> None:
        for v, button in self.buttons.items():
            button.setChecked(v == verdict)

    def setEnabled(self, on: bool) -> None:  # noqa: N802 - Qt's name
        super().setEnabled(on)
        for shortcut in self._shortcuts:
            shortcut.setEnabled(on)


class BlindBar(QWidget):
    """Under the columns in blind mode: "Which answer is best?", the verdicts, Reveal."""

    verdict = Signal(str)
    reveal_toggled = Signal(bool)

    def __init__(self, scope: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.prompt = QLabel("Which answer is best?")
        row.addWidget(self.prompt)
        self.verdicts = VerdictButtons(scope)
        self.verdicts.chosen.connect(self.verdict)
        row.addWidget(self.verdicts)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row.addWidget(self.status)
        self.reveal = QPushButton("Reveal")
        self.reveal.setCheckable(True)
        self.reveal.setToolTip("Show which model gave which answer, and the tally so far")
        self.reveal.toggled.connect(self.reveal_toggled)
        row.addWidget(self.reveal)


class TallyView(QWidget):
    """The revealed results: per model its win rate with a 95% interval, wins, losses, ties."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        layout.addWidget(self.title)
        self.model = RowsModel(TALLY_HEADERS, parent=self)
        self.table = CompactTable(self.model, "Blind tally", max_rows=4)
        layout.addWidget(self.table)
        self.rule = QLabel(WIN_RATE_RULE, wordWrap=True)
        self.rule.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.rule)

    def show_tally(self, tallies: Sequence[Tally], names: Sequence[str], rated: int) -> None:
        self.title.setText(f"Blind results over {rated} rated message{'s' if rated != 1 else ''}:")
        self.model.set_rows(tally_rows(tallies, names))
