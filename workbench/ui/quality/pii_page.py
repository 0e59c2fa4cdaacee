"""Personal data: scan, review each finding in context, redact the accepted ones as one undo step,
and the audit log of what was redacted (counts only, never the values)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.pii import AuditEntry, RedactionResult, apply_redactions, read_log, scan_workspace, title
from workbench.core.store import Workspace
from workbench.ui.quality.common import RunBar, RunEdit, apply_edit, hint, local_time, plural, read_task
from workbench.ui.quality.highlight_delegate import HighlightDelegate
from workbench.ui.quality.pii_findings_model import CONTEXT_COLUMN, FindingsModel, LocationRole
from workbench.ui.quality.pii_settings_panel import PiiSettingsPanel
from workbench.ui.quality.upload_warning import counts_text

START_HINT = ("Press <b>Scan</b> to look for personal data in every example. Nothing changes until you press "
              "<b>Redact</b>; untick a finding to leave it as it is.")


class PiiPage(QWidget):
    jump_to_message = Signal(int, int)  # example id, 1-based message number

    def __init__(self, run_edit: RunEdit, parent=None) -> None:
        super().__init__(parent)
        self.run_edit = run_edit
        self.ws: Workspace | None = None
        self.scanned = 0
        self._audit_timer = QTimer(self, singleShot=True, interval=300)
        self._audit_timer.timeout.connect(self.refresh_audit)

        layout = QHBoxLayout(self)
        self.settings = PiiSettingsPanel()
        self.settings.changed.connect(self._settings_changed)
        scroll = QScrollArea()
        scroll.setWidget(self.settings)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(340)
        scroll.setMaximumWidth(420)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(scroll)

        right = QVBoxLayout()
        layout.addLayout(right, 1)
        self.bar = RunBar("Scan")
        self.bar.button.clicked.connect(self.scan)
        right.addWidget(self.bar)
        self.summary = hint(START_HINT)
        right.addWidget(self.summary)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Show findings of kind")
        self.kind_filter.setMinimumContentsLength(22)
        self.kind_filter.currentIndexChanged.connect(self._filter_changed)
        filters.addWidget(self.kind_filter)
        self.accept_shown = QPushButton("Accept All Shown")
        self.accept_shown.clicked.connect(lambda: self._set_shown(True))
        self.reject_shown = QPushButton("Reject All Shown")
        self.reject_shown.clicked.connect(lambda: self._set_shown(False))
        filters.addWidget(self.accept_shown)
        filters.addWidget(self.reject_shown)
        filters.addStretch(1)
        self.apply_button = QPushButton("Redact")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        filters.addWidget(self.apply_button)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        self.model = FindingsModel(self)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Personal data found")
        self.table.setItemDelegateForColumn(CONTEXT_COLUMN, HighlightDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((175, 150, 480, 200)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(CONTEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        top_layout.addWidget(self.table, 1)
        self.remember = QCheckBox("Remember rejected values as not personal data (never flagged again here)")
        self.remember.setChecked(True)
        top_layout.addWidget(self.remember)
        split.addWidget(top)

        audit_box = QGroupBox("Audit log: what was redacted (counts only, never the values)")
        audit_layout = QVBoxLayout(audit_box)
        self.audit_empty = hint("Nothing redacted in this workspace yet. Each <b>Redact</b> adds a line here "
                                "(undoing it marks the line as undone).")
        audit_layout.addWidget(self.audit_empty)
        self.audit = QTableWidget(0, 5)
        self.audit.setHorizontalHeaderLabels(["When", "Action", "Examples", "Replacements", "State"])
        self.audit.setAccessibleName("Redaction audit log")
        self.audit.verticalHeader().setVisible(False)
        self.audit.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.audit.setWordWrap(False)
        for column, width in enumerate((130, 280, 80, 360)):
            self.audit.setColumnWidth(column, width)
        self.audit.horizontalHeader().setStretchLastSection(True)
        audit_layout.addWidget(self.audit)
        split.addWidget(audit_box)
        split.setSizes([540, 140])
        split.setStretchFactor(0, 1)
        right.addWidget(split, 1)
        self._update_buttons()

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.bar.stop()
        self.ws = ws
        self.settings.set_workspace(ws)
        self.model.set_findings([])
        self._fill_kinds()
        self.summary.setText(START_HINT)
        self.bar.message.clear()
        self.refresh_audit()

    def shutdown(self) -> None:
        self.bar.stop()
        self._audit_timer.stop()

    def examples_changed(self) -> None:
        """The examples changed (an edit, an undo): the audit's undone marks and the scan may be stale."""
        self._audit_timer.start()
        if self.model.total():
            self.bar.message.setText("The examples changed since the scan: scan again to review what is there now. "
                                     "(Findings whose text changed are skipped when redacting.)")

    def _settings_changed(self) -> None:
        if self.model.total():
            self.bar.message.setText("The settings changed: scan again to apply them.")

    # --- scan --------------------------------------------------------------------------------------

    def scan(self):
        if self.ws is None or self.bar.running:
            return None
        self.settings.flush()
        settings = self.settings.settings
        task = read_task("Scanning for personal data", self.ws.path,
                         lambda ws, progress, cancelled: scan_workspace(ws, settings, progress=progress, cancel=cancelled),
                         self)
        task.succeeded.connect(self._scanned)
        return self.bar.watch(task, "Scanning every example for personal data…")

    def _scanned(self, result) -> None:
        self.scanned = result.examples
        self.model.set_findings(result.findings)
        self._fill_kinds()
        if not result.findings:
            self.summary.setText(f"No personal data found in {plural(result.examples, 'example')}.")
            self.bar.message.setText("Nothing to redact.")
            return
        self.summary.setText(
            f"Found <b>{result.total:,}</b> in {result.examples_with_pii:,} of {plural(result.examples, 'example')}: "
            f"{counts_text(result.counts)}. Untick what is not personal data, then press <b>Redact</b>. "
            "Double-click a row to open its example.")
        self.bar.message.setText("")

    def _fill_kinds(self) -> None:
        counts = self.model.kind_counts()
        self.kind_filter.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem(f"All kinds ({sum(counts.values()):,})", None)
        for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            self.kind_filter.addItem(f"{title(kind)} ({n:,})", kind)
        self.kind_filter.blockSignals(False)

    def _filter_changed(self) -> None:
        self.model.set_kind_filter(self.kind_filter.currentData())

    def show_kind(self, kind: str | None) -> None:
        index = self.kind_filter.findData(kind)
        if index >= 0:
            self.kind_filter.setCurrentIndex(index)

    def _set_shown(self, accepted: bool) -> None:
        self.model.set_shown_accepted(accepted)

    def _update_buttons(self, *_args) -> None:
        accepted = len(self.model.accepted()) if self.model.total() else 0
        self.apply_button.setText(f"Redact {accepted:,} Accepted" if accepted else "Redact")
        self.apply_button.setEnabled(accepted > 0)
        for button in (self.accept_shown, self.reject_shown):
            button.setEnabled(self.model.rowCount() > 0)

    def _activated(self, index: QModelIndex) -> None:
        location = index.data(LocationRole)
        if location:
            self.jump_to_message.emit(*location)

    # --- apply -------------------------------------------------------------------------------------

    def apply(self) -> bool:
        accepted = self.model.accepted()
        if self.ws is None or not accepted:
            return False
        rejected = [f.value for f in self.model.rejected()] if self.remember.isChecked() else []
        numbered = self.settings.settings.numbered
        label = f"Redact {plural(len(accepted), 'finding')} of personal data"
        examples = len({f.example_id for f in accepted})
        self.apply_button.setEnabled(False)
        self.bar.message.setText("Redacting…")  # before: a small edit has finished when apply_edit returns
        started = apply_edit(
            self.run_edit, label, examples,
            lambda ws: apply_redactions(ws, accepted, numbered=numbered, label=label),
            "Redacting personal data", lambda result: self._applied(result, rejected), self._failed)
        if not started:
            self._failed("")
        return started

    def _failed(self, message: str) -> None:
        self.bar.message.setText(message)
        self._update_buttons()

    def _applied(self, result: RedactionResult, rejected: list[str]) -> None:
        self.model.set_findings([])
        self._fill_kinds()
        self.settings.remember_allowed(rejected)  # after the edit: its own change signal marks nothing stale
        skipped = f" {plural(result.skipped, 'finding')} skipped: the text changed since the scan." if result.skipped else ""
        if not result.examples:
            self.bar.message.setText("Nothing was replaced." + skipped + " Scan again to review the current text.")
        else:
            counts = ", ".join(f"[{k}] {v:,}" for k, v in result.counts.items())
            self.bar.message.setText(f"Replaced {result.total:,} in {plural(result.examples, 'example')} ({counts}) "
                                     f"as one step; Edit > Undo reverts it.{skipped}")
        self.summary.setText("Redacted. Scan again to check what is left.")
        self.refresh_audit()

    # --- audit -------------------------------------------------------------------------------------

    def refresh_audit(self) -> None:
        entries: list[AuditEntry] = read_log(self.ws) if self.ws is not None else []
        self.audit_empty.setVisible(not entries)
        self.audit.setVisible(bool(entries))
        self.audit.setRowCount(len(entries))
        for row, e in enumerate(entries):
            counts = ", ".join(f"[{k}] {v:,}" for k, v in e.counts.items())
            cells = (local_time(e.at), e.label, f"{e.examples:,}", counts, "undone" if e.undone else "applied")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.audit.setItem(row, column, item)
