"""Balance: examples and reply length per tag or tag value, so a skew (longer answers for one
customer tier, a product with a handful of examples) is visible before training."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.quality import BalanceReport, WorkspaceRecords, balance_report
from workbench.core.store import Workspace
from workbench.ui.quality.balance_chart import BalanceChart
from workbench.ui.quality.balance_model import BalanceModel
from workbench.ui.quality.common import RunBar, hint, plural, read_task, tag_choices, warning_background


class BalancePage(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.report: BalanceReport | None = None
        self._dirty = True
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)

        row = QHBoxLayout()
        row.addWidget(QLabel("Segments:"))
        self.segment_by = QComboBox()
        self.segment_by.setAccessibleName("Segment by")
        self.segment_by.setMinimumContentsLength(22)
        self.segment_by.currentIndexChanged.connect(lambda: self._timer.start())
        row.addWidget(self.segment_by)
        row.addStretch(1)
        layout.addLayout(row)
        self.bar = RunBar("Refresh")
        self.bar.button.clicked.connect(self.refresh)
        layout.addWidget(self.bar)
        self.summary = hint("Tag examples (e.g. <code>tier:gold</code>, <code>product:mobile</code>) to compare "
                            "segments; a segment whose answers are much longer or shorter than the rest, or that has "
                            "very few examples, is highlighted.")
        layout.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = BalanceModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Balance per segment")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for column, width in enumerate((200, 90, 80, 130, 110, 90)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.table)
        self.chart = BalanceChart()
        split.addWidget(self.chart)
        split.setSizes([300, 320])
        layout.addWidget(split, 1)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self.model.flag_background = warning_background(self)

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.bar.stop()
        self.ws = ws
        self.report = None
        self.model.set_report(None)
        self.chart.set_report(None)
        self.segment_by.blockSignals(True)
        self.segment_by.clear()  # another workspace has other tags: start from its first prefix
        self.segment_by.blockSignals(False)
        self.refresh_segments()
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def refresh_segments(self) -> None:
        current, first = self.segment_by.currentData(), self.segment_by.count() == 0
        choices = tag_choices(self.ws.all_tags() if self.ws else [], plain_tags=False)
        self.segment_by.blockSignals(True)
        self.segment_by.clear()
        self.segment_by.addItem("Every tag", None)
        for label, prefix in choices:
            self.segment_by.addItem(f"Values of {label}", prefix)
        index = self.segment_by.findData(current)
        if (first or index < 0) and self.segment_by.count() > 1:
            index = 1  # a tag prefix (tier, product) says more than every tag mixed together
        self.segment_by.setCurrentIndex(max(0, index))
        self.segment_by.blockSignals(False)

    def shutdown(self) -> None:
        self.bar.stop()
        self._timer.stop()

    def examples_changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            self._timer.start(1000)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh_segments()
            self._timer.start(0)

    # --- report ------------------------------------------------------------------------------------

    def refresh(self):
        if self.ws is None:
            return None
        if self.bar.running:
            self.bar.task.cancel()
            self._timer.start()
            return None
        self._dirty = False
        by = self.segment_by.currentData()
        task = read_task("Balance report", self.ws.path,
                         lambda ws, progress, cancelled: balance_report(WorkspaceRecords(ws), by=by, progress=progress,
                                                                        cancel=cancelled), self)
        task.succeeded.connect(self._reported)
        return self.bar.watch(task, "Measuring every reply…")

    def _reported(self, report: BalanceReport) -> None:
        self.report = report
        self.model.flag_background = warning_background(self)
        self.model.set_report(report)
        self.chart.set_report(report)
        self.bar.message.clear()
        flagged = report.flagged
        if not report.overall.examples:
            self.summary.setText("No examples yet: import some first.")
        elif report.segments == [] or [s.segment for s in report.segments] == ["(untagged)"]:
            self.summary.setText("No example has a tag to compare by. Tag examples (Edit > Add Tag…, e.g. "
                                 "<code>tier:gold</code>) to compare segments.")
        elif flagged:
            self.summary.setText(f"<b>{plural(len(flagged), 'segment')} stand{'s' if len(flagged) == 1 else ''} out</b> "
                                 "(highlighted): " + "; ".join(f"<b>{s.segment}</b>: {s.flags[0]}" for s in flagged[:3])
                                 + ". A model trained on this learns the skew.")
        else:
            self.summary.setText(f"{plural(len(report.segments), 'segment')}: none has answers much longer or shorter "
                                 "than the rest, and none is very small.")

    def row_of(self, segment: str) -> QModelIndex:
        for row in range(self.model.rowCount()):
            if self.model.segment(row).segment == segment:
                return self.model.index(row, 0)
        return QModelIndex()
