"""The Import tab: choose or drop files, see the detected format and a preview of the first
conversations exactly as they will be imported, set CSV columns or Zendesk filters, then import
with a progress bar and Cancel. The report (kept / dropped by reason) is shown at the end."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.core.formats import content_text, conversation_messages
from workbench.core.gc_pause import collector_paused
from workbench.core.importers.base import ImportFailed
from workbench.core.importers.runner import ImportSettings, preview_import, run_import, write_workspace
from workbench.core.store import Workspace, WorkspaceError
from workbench.ui.tasks import TaskHandle, run_task

PREVIEW_COUNT = 5
FILE_FILTER = "Support data (*.csv *.tsv *.txt *.xlsx *.xls *.json *.jsonl *.ndjson);;All files (*)"
MAPPING_ROLES = (("customer", "Customer message"), ("agent", "Agent reply"), ("system", "System prompt column"),
                 ("conversation_id", "Conversation id"), ("order", "Order within conversation"),
                 ("tags", "Tags"), ("category", "Category"))
EMPTY_PREVIEW = (
    "<div style='margin-top:60px; text-align:center'><p style='font-size:15pt'>Drop files here</p>"
    "<p>CSV or TSV spreadsheets · Excel workbooks · Zendesk exports (JSON, API dumps) · JSONL training files</p>"
    "<p>Nothing is imported until you press <b>Import into Workspace</b>; the preview shows the first "
    "conversations exactly as they will be imported.</p></div>"
)
FORMAT_NAMES = {"csv": "CSV / TSV spreadsheet", "excel": "Excel workbook", "zendesk": "Zendesk export",
                "jsonl": "JSONL training file"}


class ImportTab(QWidget):
    # (example ids, undo label): the import was committed to the workspace by the worker's connection
    imported = Signal(object, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.paths: list[Path] = []
        self.workspace_path: Path | None = None
        self.source: str | None = None
        self.preview_task: TaskHandle | None = None
        self.import_task: TaskHandle | None = None
        self._preview_timer = QTimer(self, singleShot=True, interval=400)
        self._preview_timer.timeout.connect(self.refresh_preview)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.choose = QPushButton("Choose Files…")
        self.choose.clicked.connect(self.choose_files)
        self.files_label = QLabel("Drop a CSV, Excel, Zendesk export or JSONL file here, or choose files.")
        self.files_label.setWordWrap(True)
        top.addWidget(self.choose)
        top.addWidget(self.files_label, 1)
        layout.addLayout(top)
        self.format_label = QLabel()
        layout.addWidget(self.format_label)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.options = QStackedWidget()
        hint = QLabel("Options for the chosen files appear here: columns for spreadsheets, filters for Zendesk exports.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.options.addWidget(hint)
        self.options.addWidget(self._tabular_options())
        self.options.addWidget(self._zendesk_options())
        self.options.addWidget(self._jsonl_options())
        split.addWidget(self.options)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Preview: the first conversations as they will be imported"))
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Import preview")
        self.preview.setHtml(EMPTY_PREVIEW)
        right_layout.addWidget(self.preview, 2)
        right_layout.addWidget(QLabel("Import report"))
        self.report = QTextBrowser()
        self.report.setAccessibleName("Import report")
        right_layout.addWidget(self.report, 1)
        split.addWidget(right)
        split.setSizes([380, 700])
        layout.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.progress = QProgressBar(visible=False)
        self.progress.setAccessibleName("Import progress")
        self.cancel = QPushButton("Cancel", visible=False)
        self.cancel.clicked.connect(lambda: self.import_task and self.import_task.cancel())
        self.import_button = QPushButton("Import into Workspace", enabled=False)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel)
        bottom.addStretch(0)
        bottom.addWidget(self.import_button)
        layout.addLayout(bottom)

    # --- option panels --------------------------------------------------------------------------

    def _tabular_options(self) -> QWidget:
        box = QGroupBox("Columns")
        form = QFormLayout(box)
        self.mapping_boxes: dict[str, QComboBox] = {}
        for key, label in MAPPING_ROLES:
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.currentIndexChanged.connect(self._preview_timer.start)
            self.mapping_boxes[key] = combo
            form.addRow(label + ":", combo)
        self.sheet_box = QComboBox()
        self.sheet_box.setAccessibleName("Sheet")
        self.sheet_box.currentIndexChanged.connect(self._sheet_changed)
        form.addRow("Sheet:", self.sheet_box)
        self.tab_system = QLineEdit(placeholderText="e.g. You are Acme's support agent for {category}.")
        self.tab_system.setAccessibleName("System prompt template")
        self.tab_system.textChanged.connect(self._preview_timer.start)
        form.addRow("System prompt:", self.tab_system)
        self.table_info = QLabel()
        self.table_info.setWordWrap(True)
        form.addRow(self.table_info)
        return box

    def _zendesk_options(self) -> QWidget:
        box = QGroupBox("Zendesk filters")
        form = QFormLayout(box)
        self.status_checks = {}
        row = QHBoxLayout()
        for status in ("new", "open", "pending", "hold", "solved", "closed"):
            check = QCheckBox(status, checked=status in ("solved", "closed"))
            check.toggled.connect(self._preview_timer.start)
            self.status_checks[status] = check
            row.addWidget(check)
        form.addRow("Status:", row)
        self.csat_box = QComboBox()
        self.csat_box.addItems(["any", "good"])
        self.csat_box.setAccessibleName("Satisfaction")
        self.csat_box.currentIndexChanged.connect(self._preview_timer.start)
        form.addRow("Satisfaction:", self.csat_box)
        self.min_exchanges = QSpinBox(minimum=1, maximum=20, value=1)
        self.min_exchanges.setAccessibleName("Minimum exchanges")
        self.min_exchanges.valueChanged.connect(self._preview_timer.start)
        form.addRow("Minimum exchanges:", self.min_exchanges)
        self.excluded_tags = QLineEdit("spam, closed_by_merge")
        self.excluded_tags.setAccessibleName("Excluded tags")
        self.excluded_tags.textChanged.connect(self._preview_timer.start)
        form.addRow("Excluded tags:", self.excluded_tags)
        self.use_dates = QCheckBox("Only tickets created between")
        self.date_from = QDateEdit(QDate.currentDate().addYears(-1), calendarPopup=True)
        self.date_to = QDateEdit(QDate.currentDate(), calendarPopup=True)
        for w in (self.use_dates, self.date_from, self.date_to):
            (w.toggled if w is self.use_dates else w.dateChanged).connect(self._preview_timer.start)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.date_to)
        form.addRow(self.use_dates)
        form.addRow(dates)
        self.channels = QLineEdit(placeholderText="all channels (or e.g. email, web)")
        self.channels.setAccessibleName("Channels")
        self.channels.textChanged.connect(self._preview_timer.start)
        form.addRow("Channels:", self.channels)
        self.zd_system = QLineEdit(placeholderText="e.g. You are Acme's support agent.")
        self.zd_system.setAccessibleName("System prompt")
        self.zd_system.textChanged.connect(self._preview_timer.start)
        form.addRow("System prompt:", self.zd_system)
        return box

    def _jsonl_options(self) -> QWidget:
        box = QGroupBox("JSONL")
        form = QFormLayout(box)
        self.convert_legacy = QCheckBox("Convert prompt/completion examples to chat")
        self.convert_legacy.toggled.connect(self._preview_timer.start)
        form.addRow(self.convert_legacy)
        return box

    # --- files ---------------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Choose files to import", str(Path.home()), FILE_FILTER)
        if files:
            self.set_files([Path(f) for f in files])

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.set_files(paths)

    def set_files(self, paths: list[Path]) -> None:
        self.paths = list(paths)
        names = ", ".join(p.name for p in self.paths[:4]) + (f" and {len(self.paths) - 4} more" if len(self.paths) > 4 else "")
        self.files_label.setText(names)
        self.report.clear()
        self.source = None
        try:
            from workbench.core.importers.detect import detect_format

            self.source = detect_format(self.paths)
        except ImportFailed as exc:
            self._show_failure(str(exc))
            return
        self.format_label.setText(f"Detected: <b>{FORMAT_NAMES.get(self.source, self.source)}</b>")
        self.options.setCurrentIndex({"csv": 1, "excel": 1, "zendesk": 2, "jsonl": 3}[self.source])
        if self.source in ("csv", "excel"):
            self._load_columns()
        self.refresh_preview()

    def _load_columns(self, sheet: str | None = None) -> None:
        from workbench.core.importers import tabular

        try:
            table = tabular.preview(self.paths[0], rows=5, sheet=sheet)
        except ImportFailed as exc:
            self._show_failure(str(exc))
            return
        guess = table.suggested or tabular.guess_mapping(table.columns)
        for key, combo in self.mapping_boxes.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(none)" if key not in ("customer", "agent") else "(choose a column)", "")
            for column in table.columns:
                combo.addItem(column, column)
            chosen = getattr(guess, key, None) if guess else None
            if chosen:
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        self.sheet_box.addItems(table.sheets or [])
        if table.sheet:
            self.sheet_box.setCurrentText(table.sheet)
        self.sheet_box.setEnabled(bool(table.sheets))
        self.sheet_box.blockSignals(False)
        info = []
        if table.encoding:
            info.append(f"Encoding: {table.encoding}")
        if table.delimiter:
            info.append(f"separator: {'tab' if table.delimiter == chr(9) else repr(table.delimiter)}")
        if table.total_rows_estimate:
            info.append(f"about {table.total_rows_estimate:,} rows")
        self.table_info.setText(", ".join(info) + "".join(f"<br>{html.escape(n)}" for n in table.notes))

    def _sheet_changed(self) -> None:
        if self.sheet_box.currentText():
            self._load_columns(self.sheet_box.currentText())
            self._preview_timer.start()

    def settings(self) -> ImportSettings:
        s = ImportSettings(source=self.source or "auto")
        if self.source in ("csv", "excel"):
            s.mapping = {k: c.currentData() for k, c in self.mapping_boxes.items() if c.currentData()}
            s.system_prompt = self.tab_system.text().strip() or None
            if self.sheet_box.currentText():
                s.extra["sheet"] = self.sheet_box.currentText()
        elif self.source == "zendesk":
            s.statuses = {k for k, c in self.status_checks.items() if c.isChecked()}
            s.csat = self.csat_box.currentText()
            s.system_prompt = self.zd_system.text().strip() or None
            s.extra["min_exchanges"] = self.min_exchanges.value()
            s.extra["excluded_tags"] = {t.strip() for t in self.excluded_tags.text().split(",") if t.strip()}
            channels = {c.strip() for c in self.channels.text().split(",") if c.strip()}
            s.extra["channels"] = channels or None
            if self.use_dates.isChecked():
                s.extra["date_from"] = self.date_from.date().toPython()
                s.extra["date_to"] = self.date_to.date().toPython()
        elif self.source == "jsonl":
            s.convert_legacy = self.convert_legacy.isChecked()
        return s

    # --- preview and import ----------------------------------------------------------------------

    def refresh_preview(self) -> None:
        if not self.paths or self.source is None:
            return
        if self.source in ("csv", "excel") and not all(self.mapping_boxes[k].currentData() for k in ("customer", "agent")):
            self.preview.setHtml("<p>Choose the columns that hold the <b>customer message</b> and the <b>agent reply</b>.</p>")
            self.import_button.setEnabled(False)
            return
        if self.preview_task is not None and self.preview_task.running:
            self.preview_task.cancel()
        paths, settings = self.paths, self.settings()
        self.preview.setHtml("<p>Reading…</p>")
        self.preview_task = run_task("Preview", lambda _p, cancelled: preview_import(paths, settings, PREVIEW_COUNT, cancelled),
                                     expected=(ImportFailed,), parent=self)
        self.preview_task.succeeded.connect(self._show_preview)
        self.preview_task.failed.connect(self._show_failure)

    def _show_preview(self, result) -> None:
        parts = []
        for item in result.examples:
            bubbles = "".join(
                f"<p><b>{html.escape(str(m.get('role', '')))}</b>: {html.escape(content_text(m.get('content')))[:600]}</p>"
                for m in conversation_messages(item.example) if isinstance(m, dict))
            parts.append(f"<div style='margin-bottom:10px'>{bubbles}</div><hr>")
        if not parts:
            parts.append("<p>No conversation in the first part of the file passes the current settings.</p>")
        notes = "".join(f"<p><i>{html.escape(n)}</i></p>" for n in result.report.notes)
        self.preview.setHtml(notes + "".join(parts))
        self.import_button.setEnabled(True)

    def _show_failure(self, message: str) -> None:
        self.format_label.setText("<span style='color:#d0353f'>Cannot import this selection.</span>")
        self.preview.setPlainText(message)
        self.import_button.setEnabled(False)

    def start_import(self) -> TaskHandle | None:
        if not self.paths or self.workspace_path is None or (self.import_task is not None and self.import_task.running):
            return None
        paths, settings, ws_path = self.paths, self.settings(), self.workspace_path

        def work(progress, cancelled):
            # Read everything first; then one transaction on this thread's own connection, so a
            # 50,000-conversation import never holds up the window. Failure or Cancel: nothing written.
            with collector_paused():
                result = run_import(paths, settings, progress, cancelled)
                ids: list[int] = []
                if result.examples and not cancelled():
                    with Workspace.open(ws_path) as ws:
                        ids = write_workspace(result, ws)
                return result, ids

        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.import_button.setEnabled(False)
        self.report.setPlainText("Importing…")
        self.import_task = run_task("Import", work, expected=(ImportFailed, WorkspaceError), parent=self)
        self.import_task.progress.connect(self._progress)
        self.import_task.succeeded.connect(self._imported)
        self.import_task.failed.connect(lambda msg: self.report.setPlainText(f"{msg}\n\nNothing was imported."))
        self.import_task.cancelled.connect(lambda: self.report.setPlainText("Import cancelled; nothing was imported."))
        self.import_task.finished.connect(self._import_finished)
        return self.import_task

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000)  # QProgressBar takes ints; keep large byte counts in range
            self.progress.setRange(0, total // scale)
            self.progress.setValue(done // scale)

    def _imported(self, outcome) -> None:
        result, ids = outcome
        self.report.setPlainText("\n".join(result.report.summary_lines()))
        if ids:
            self.imported.emit(ids, f"Import {len(ids):,} conversations")

    def _import_finished(self) -> None:
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self.import_button.setEnabled(True)
