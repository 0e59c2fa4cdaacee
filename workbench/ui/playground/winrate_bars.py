"""Win rates as bars with their 95% interval drawn across them: the report's picture at a glance."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

Row = tuple[str, float | None, tuple[float, float] | None]  # name, win rate, interval


class WinRateBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Win rates with 95% intervals")

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)
        self.setAccessibleDescription("; ".join(
            f"{name}: {'no verdicts' if rate is None else f'{rate:.0%}'}"
            + (f" (95% interval {ci[0]:.0%} to {ci[1]:.0%})" if ci else "") for name, rate, ci in self.rows))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return round(self.fontMetrics().height() * 1.9)

    def sizeHint(self) -> QSize:
        return QSize(480, self._row_height() * max(1, len(self.rows)) + self.fontMetrics().height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        fm = self.fontMetrics()
        row_h = self._row_height()
        names_w = min(max((fm.horizontalAdvance(r[0]) for r in self.rows), default=0) + 12, self.width() // 3)
        value_w = fm.horizontalAdvance("100%  (100–100%)") + 8
        left, right = names_w, self.width() - value_w
        if right - left < 40:
            return
        scale = lambda v: left + (right - left) * v  # noqa: E731
        text = pal.color(QPalette.ColorRole.Text)
        faint = pal.color(QPalette.ColorRole.Mid)
        for i, (name, rate, ci) in enumerate(self.rows):
            top = i * row_h
            mid = top + row_h / 2
            p.setPen(text)
            p.drawText(QRectF(0, top, names_w - 8, row_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       fm.elidedText(name, Qt.TextElideMode.ElideMiddle, names_w - 8))
            track = QRectF(left, mid - row_h * 0.22, right - left, row_h * 0.44)
            p.fillRect(track, pal.color(QPalette.ColorRole.AlternateBase))
            if rate is not None:
                bar = QRectF(track.left(), track.top(), (right - left) * rate, track.height())
                p.fillRect(bar, pal.color(QPalette.ColorRole.Highlight))
            if ci is not None:
                p.setPen(QPen(text, 2))
                p.drawLine(QPointF(scale(ci[0]), mid), QPointF(scale(ci[1]), mid))
                for end in ci:
                    p.drawLine(QPointF(scale(end), mid - row_h * 0.3), QPointF(scale(end), mid + row_h * 0.3))
            p.setPen(text)
            label = "no verdicts" if rate is None else f"{rate:.0%}" + (
                f"  ({ci[0]:.0%}–{ci[1]:.0%})" if ci else "")
            p.drawText(QRectF(right + 8, top, value_w, row_h), Qt.AlignmentFlag.AlignVCenter, label)
        axis = len(self.rows) * row_h
        p.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(scale(0.5), 0), QPointF(scale(0.5), axis))
        p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        for v in (0.0, 0.5, 1.0):
            p.drawText(QRectF(scale(v) - 30, axis, 60, fm.height() + 4), Qt.AlignmentFlag.AlignCenter, f"{v:.0%}")
        p.end()
