"""The evaluation report in the window: per model its blind win rate with a 95% interval, record,
tokens, cost and latency; head to head with 3-4 models; export as CSV or as one HTML page."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.playground.cost import format_cost
from workbench.core.playground.report import EvalReport, ModelReport
from workbench.core.playground.report_export import write_report
from workbench.ui.playground.blind_bar import interval_text, percent
from workbench.ui.playground.metrics_text import seconds
from workbench.ui.playground.rows_model import RowsModel
from workbench.ui.playground.tables import CompactTable
from workbench.ui.playground.targets import display_model, safe_url
from workbench.ui.playground.winrate_bars import WinRateBars

RESULT_HEADERS = ("Model", "Win rate", "95% interval", "Wins", "Losses", "Ties", "Both bad")
ANSWER_HEADERS = ("Model", "Service", "Answers", "Tokens in / out", "Cost", "Latency p50", "p95",
                  "First token p50")
PAIR_HEADERS = ("Pair", "First wins", "Second wins", "Ties", "Both bad", "First's win rate")


def result_row(m: ModelReport, presentation: bool) -> list[str]:
    return [display_model(m.name, presentation), percent(m.win_rate), interval_text(m.interval), str(m.record.wins),
            str(m.record.losses), str(m.record.ties), str(m.record.both_bad)]


def answer_row(m: ModelReport, presentation: bool) -> list[str]:
    where = m.where if "://" not in m.where else safe_url(m.where)
    cost = format_cost(m.cost) + ("" if m.cost_complete or m.cost is None else " (partly unknown)")
    answers = f"{m.answers}" + (f" ({m.failed} failed)" if m.failed else "") + (
        f", {m.missing} not asked" if m.missing else "")
    mark = "≈" if m.tokens_estimated else ""
    row = [display_model(m.name, presentation), where or "–", answers,
           f"{mark}{m.tokens_in:,} / {mark}{m.tokens_out:,}", cost, seconds(m.latency_p50), seconds(m.latency_p95),
           seconds(m.ttft_p50)]
    return [c for i, c in enumerate(row) if not (presentation and ANSWER_HEADERS[i] == "Service")]


def answer_headers(presentation: bool) -> list[str]:
    return [h for h in ANSWER_HEADERS if not (presentation and h == "Service")]


def _heading(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")


class ReportView(QWidget):
    review_requested = Signal()
    exported = Signal(str)  # the path written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: EvalReport | None = None
        self.presentation = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)  # the page's own background, not a grey panel
        body = QWidget()
        body.setAutoFillBackground(False)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.title = QLabel()
        self.title.setAccessibleName("Report title")
        layout.addWidget(self.title)
        self.meta = QLabel(wordWrap=True)
        self.meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.meta)
        layout.addWidget(_heading("Blind verdicts: win rate with its 95% interval"))
        self.bars = WinRateBars()
        layout.addWidget(self.bars)
        self.model = RowsModel(RESULT_HEADERS, parent=self)
        self.table = CompactTable(self.model, "Blind results per model")
        layout.addWidget(self.table)
        self.rule = QLabel(wordWrap=True)
        self.rule.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.rule)
        self.pairs_title = _heading("Head to head")
        self.pairs_model = RowsModel(PAIR_HEADERS, parent=self)
        self.pairs = CompactTable(self.pairs_model, "Head to head")
        layout.addWidget(self.pairs_title)
        layout.addWidget(self.pairs)
        layout.addWidget(_heading("Answers: tokens, cost and latency"))
        self.answers_model = RowsModel(ANSWER_HEADERS, left=2, parent=self)
        self.answers = CompactTable(self.answers_model, "Answers per model")
        layout.addWidget(self.answers)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.review_button = QPushButton("◀ Back to Review")
        self.review_button.clicked.connect(self.review_requested)
        buttons.addWidget(self.review_button)
        buttons.addStretch(1)
        self.csv_button = QPushButton("Export CSV…")
        self.html_button = QPushButton("Export HTML…")
        self.csv_button.clicked.connect(lambda: self.export_dialog("csv"))
        self.html_button.clicked.connect(lambda: self.export_dialog("html"))
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.html_button)
        outer.addLayout(buttons)

    def show_report(self, report: EvalReport) -> None:
        self.report = report
        names = [display_model(m.name, self.presentation) for m in report.models]
        self.title.setText(f"<h2>{escape(report.title)}</h2>")
        state = "every comparison rated" if report.complete else \
            f"{report.rated:,} of {report.pairings:,} comparisons rated so far"
        settings = []
        if report.temperature is not None:
            settings.append(f"temperature {report.temperature:g}")
        if report.max_tokens is not None:
            settings.append(f"max tokens {report.max_tokens:,}")
        self.meta.setText(" · ".join([f"{report.items:,} examples from {report.selection}", state, *settings]))
        self.bars.set_rows([(name, m.win_rate, m.interval) for name, m in zip(names, report.models, strict=True)])
        self.model.set_rows([result_row(m, self.presentation) for m in report.models])
        self.answers_model.set_headers(answer_headers(self.presentation),
                                       [answer_row(m, self.presentation) for m in report.models])
        many = len(report.models) > 2
        self.pairs_title.setVisible(many)
        self.pairs.setVisible(many)
        self.pairs_model.set_rows(_pair_rows(report, names) if many else [])
        self.rule.setText(report.rule)

    def export_dialog(self, kind: str) -> None:
        if self.report is None:
            return
        name = "".join(c if c.isalnum() or c in " -_" else "_" for c in self.report.title).strip() or "evaluation"
        path, _ = QFileDialog.getSaveFileName(self, f"Export report as {kind.upper()}", str(Path.home() / f"{name}.{kind}"),
                                              "CSV (*.csv)" if kind == "csv" else "Web page (*.html)")
        if path:
            self.export(Path(path).with_suffix(f".{kind}"))

    def export(self, path: Path) -> Path:
        """Writes the report (CSV or HTML, by suffix); presentation mode leaves internal details out."""
        written = write_report(self.report, path, presentation=self.presentation)
        self.exported.emit(str(written))
        return written

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        if self.report is not None:
            self.show_report(self.report)


def _pair_rows(report: EvalReport, names: Sequence[str]) -> list[list[str]]:
    return [[f"{names[p.a]} vs {names[p.b]}", str(p.a_wins), str(p.b_wins), str(p.ties), str(p.both_bad),
             percent(p.a_rate)] for p in report.pairs]
