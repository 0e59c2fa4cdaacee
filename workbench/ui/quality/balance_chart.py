"""A horizontal bar per segment: its average reply length, the ones that stand out in orange."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPainter

from workbench.core.quality import BalanceReport
from workbench.ui.charts import match_palette

MAX_BARS = 15
NORMAL, FLAGGED = QColor("#4c8bf5"), QColor("#f29d38")


class BalanceChart(QChartView):
    def __init__(self, parent=None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Average reply length per segment")
        self.setMinimumHeight(200)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        match_palette(self.chart_, self)
        self.set_report(None)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            match_palette(self.chart_, self)
        super().changeEvent(event)

    def set_report(self, report: BalanceReport | None) -> None:
        chart = self.chart_
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        if report is None or not report.segments:
            chart.setTitle("Average reply length per segment (no report yet)")
            return
        shown = report.segments[:MAX_BARS][::-1]  # the biggest segment on top
        chart.setTitle(f"Average reply length per segment (characters; all examples: {report.overall.avg_chars:,.0f})")
        normal, flagged = QBarSet("Average reply"), QBarSet("Stands out")
        normal.setColor(NORMAL)
        flagged.setColor(FLAGGED)
        for s in shown:
            normal.append(0 if s.flags else s.avg_chars)
            flagged.append(s.avg_chars if s.flags else 0)
        series = QHorizontalStackedBarSeries()
        series.append(normal)
        series.append(flagged)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([s.segment for s in shown])
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setRange(0, max(s.avg_chars for s in shown) * 1.05 or 1)
        values.applyNiceNumbers()
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
