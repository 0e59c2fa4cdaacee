"""Tokens & cost: model picker, epochs, totals, a histogram with the model's limit, and a table
across models. Counting runs in the background and re-runs (cached) after edits."""

from __future__ import annotations

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.cost import auto_epochs
from workbench.core.pricing import default_price_list, resolve_model
from workbench.core.store import Workspace
from workbench.core.token_stats import ModelTokenSummary, summarise
from workbench.core.workspace_tokens import SplitTokenCounts
from workbench.ui.charts import match_palette
from workbench.ui.tasks import TaskHandle, run_task


class CostTab(QWidget):
    jump_to_example = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.prices = default_price_list()
        self.summaries: dict[str, ModelTokenSummary] = {}
        self.ws_path = None
        self.counter = SplitTokenCounts(self.prices)
        self.task: TaskHandle | None = None
        self._dirty = False
        self._recount = QTimer(self, singleShot=True, interval=1000)
        self._recount.timeout.connect(self.recount)

        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        self.model_box = QComboBox()
        self.model_box.addItems(list(self.prices.models))
        self.model_box.setCurrentText(resolve_model("gpt-4.1-mini").name)
        self.model_box.setAccessibleName("Target model")
        self.epochs_box = QComboBox()
        self.epochs_box.addItems(["Auto", "Fixed"])
        self.epochs_box.setAccessibleName("Epochs mode")
        self.epochs_spin = QSpinBox(minimum=1, maximum=50, value=3, enabled=False)
        self.epochs_spin.setAccessibleName("Number of epochs")
        for label, w in (("Model:", self.model_box), ("Epochs:", self.epochs_box), ("", self.epochs_spin)):
            if label:
                controls.addWidget(QLabel(label))
            controls.addWidget(w)
        controls.addStretch(1)
        layout.addLayout(controls)

        self.summary = QLabel("Counting tokens…")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary_box = QGroupBox("Training split")
        form = QFormLayout(summary_box)
        form.addRow(self.summary)
        layout.addWidget(summary_box)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.chart = QChart()
        self.chart.setTitle("Tokens per example")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(240)
        self.chart_view.setAccessibleName("Histogram of tokens per example")
        split.addWidget(self.chart_view)
        over_box = QGroupBox("Over the model's limit (truncated by OpenAI)")
        over_layout = QVBoxLayout(over_box)
        self.over_list = QListWidget()
        self.over_list.setAccessibleName("Examples over the token limit")
        self.over_list.itemActivated.connect(lambda item: self.jump_to_example.emit(item.data(Qt.ItemDataRole.UserRole)))
        over_layout.addWidget(self.over_list)
        split.addWidget(over_box)
        split.setSizes([700, 300])
        layout.addWidget(split, 2)

        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(["Model", "Limit", "Tokens", "Epochs", "Billed tokens", "Cost (USD)", "Over limit"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Cost across models")
        layout.addWidget(self.table, 1)
        self.note = QLabel(f"Prices checked on {self.prices.checked} (resources/pricing.json). Validation examples are not billed.")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        self._match_chart_to_palette()
        self.model_box.currentTextChanged.connect(self.refresh)
        self.epochs_box.currentIndexChanged.connect(lambda i: (self.epochs_spin.setEnabled(i == 1), self.refresh()))
        self.epochs_spin.valueChanged.connect(self.refresh)

    def _match_chart_to_palette(self) -> None:
        match_palette(self.chart, self)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._match_chart_to_palette()
        super().changeEvent(event)

    # --- data ------------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.ws_path = ws.path
        self.summaries = {}
        self.recount()

    def workspace_changed(self) -> None:
        self._recount.start()

    def recount(self) -> None:
        if self.ws_path is None:
            return
        if self.task is not None and self.task.running:
            self._dirty = True
            return
        path, counter = self.ws_path, self.counter

        prices = self.prices

        def work(progress, cancelled):
            with Workspace.open(path) as ws:
                counts = counter.count(ws, "train", progress, cancelled)
            # Summaries per model here too, so the GUI thread only draws.
            return {name: summarise(counts[spec.encoding], name, spec.training_limit)
                    for name, spec in prices.models.items()}

        self.task = run_task("Counting tokens", work, parent=self)
        self.task.succeeded.connect(self._counted)
        self.task.failed.connect(lambda msg: self.summary.setText(msg))
        self.task.finished.connect(self._maybe_again)

    def _maybe_again(self) -> None:
        if self._dirty:
            self._dirty = False
            self._recount.start()

    def _counted(self, summaries: dict) -> None:
        self.summaries = summaries
        self.refresh()

    def epochs(self) -> int | None:
        return None if self.epochs_box.currentIndex() == 0 else self.epochs_spin.value()

    def _cost(self, s: ModelTokenSummary) -> tuple[int, int, float]:
        """(epochs, billed tokens, USD) for a summary under the chosen epochs."""
        spec = self.prices.models[s.model]
        epochs = self.epochs() or auto_epochs(s.examples)
        billed = s.billable_per_epoch * epochs
        return epochs, billed, billed / 1_000_000 * spec.training

    def refresh(self) -> None:
        s = self.summaries.get(self.model_box.currentText())
        if s is None:
            return
        spec = self.prices.models[s.model]
        epochs, billed, cost = self._cost(s)
        self.summary.setText(
            f"<b>{s.examples:,}</b> examples · <b>{s.tokens:,}</b> tokens · {epochs} epochs"
            f"{' (auto)' if self.epochs() is None else ''} · <b>{billed:,}</b> billed tokens · "
            f"estimated training cost <b>${cost:,.2f}</b> on {spec.name}"
        )
        self._draw_histogram(s, spec.training_limit)
        self.over_list.clear()
        for t, example_id in s.over_limit:
            item = QListWidgetItem(f"Example {example_id}: {t:,} tokens ({t - spec.training_limit:,} over)")
            item.setData(Qt.ItemDataRole.UserRole, example_id)
            self.over_list.addItem(item)
        if s.over_limit_count > len(s.over_limit):
            self.over_list.addItem(f"… and {s.over_limit_count - len(s.over_limit):,} more")
        if not s.over_limit_count:
            self.over_list.addItem("None: every example fits.")
        self._fill_table()

    def _fill_table(self) -> None:
        rows = [self.summaries[name] for name in self.prices.models if name in self.summaries]
        self.table.setRowCount(len(rows))
        for row, s in enumerate(rows):
            spec = self.prices.models[s.model]
            epochs, billed, cost = self._cost(s)
            cells = (s.model, f"{spec.training_limit:,}", f"{s.tokens:,}", str(epochs), f"{billed:,}",
                     f"${cost:,.2f}", f"{s.over_limit_count:,}")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)

    def _draw_histogram(self, s: ModelTokenSummary, limit: int) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        show_limit, hist = s.limit_on_chart, s.histogram
        self.chart.setTitle("Tokens per example" if show_limit else
                            f"Tokens per example (the {limit:,}-token limit is far above the longest, {s.longest:,})")
        upper = QLineSeries()
        for i, n in enumerate(hist.counts):  # a step outline: flat top over each bin
            upper.append(QPointF(hist.edges[i], n))
            upper.append(QPointF(hist.edges[i + 1], n))
        lower = QLineSeries()
        lower.append(QPointF(hist.edges[0], 0))
        lower.append(QPointF(hist.edges[-1], 0))
        area = QAreaSeries(upper, lower)
        area.setName("Examples")
        # QAreaSeries does not own its boundary series: keep them alive as long as the area is shown.
        self._area_bounds = (upper, lower)
        top = max(hist.counts or [1]) or 1
        line = QLineSeries()
        line.setName(f"Limit ({limit:,} tokens)")
        line.append(QPointF(limit, 0))
        line.append(QPointF(limit, top * 1.05))
        pen = QPen(Qt.GlobalColor.red)
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        self.chart.addSeries(area)
        series = [area]
        if show_limit:
            self.chart.addSeries(line)
            series.append(line)
        x = QValueAxis()
        x.setTitleText("tokens")
        x.setLabelFormat("%d")
        x.setRange(0, hist.edges[-1])
        x.applyNiceNumbers()
        y = QValueAxis()
        y.setTitleText("examples")
        y.setLabelFormat("%d")
        y.setRange(0, top * 1.1)
        y.applyNiceNumbers()
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in series:
            s.attachAxis(x)
            s.attachAxis(y)
