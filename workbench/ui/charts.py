"""Charts that follow the window palette (QtCharts keeps its own light theme otherwise)."""

from __future__ import annotations

from PySide6.QtCharts import QChart
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget


def match_palette(chart: QChart, widget: QWidget) -> None:
    """Dark chart theme on a dark palette, light otherwise; call again on QEvent.PaletteChange."""
    palette = widget.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
