"""The Jobs tab: submit the workspace for fine-tuning, then watch every job of the ledger.

All ledger and provider work runs on one dedicated worker thread (the ledger's workspace
connection belongs to the thread that opened it); the GUI only shows what that thread returns.
Polling backs off while nothing changes and stops when no job runs.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QSystemTrayIcon,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.export import ExportBlocked
from workbench.core.job_cost import actual_cost
from workbench.core.pricing import default_price_list
from workbench.core.profiles import ProfileStore
from workbench.ui.charts import match_palette
from workbench.ui.icons import icon
from workbench.ui.quality.upload_warning import pii_warning
from workbench.ui.tasks import TaskHandle, run_task

AUTO = "auto"
REVIEW = "review"  # the confirmation's third answer: look at the personal data first
OPENAI_DEADLINE_NOTE = ("OpenAI stops accepting new self-serve fine-tuning jobs on 2027-01-06 (earlier for "
                        "organisations without recent fine-tuned-model use). Azure OpenAI profiles keep working; "
                        "every job stays in this workspace's history either way.")


@dataclass
class _JobsThread:
    """State that lives on the jobs thread: its workspace connection, ledger and monitor."""

    path: Path | None = None
    ws: object = None
    ledger: object = None
    monitor: object = None
    finished_seen: set[int] = field(default_factory=set)

    def open(self, path: Path):
        from workbench.core.store import Workspace
        from workbench.core.store.ledger import Ledger
        from workbench.providers.monitor import JobMonitor
        from workbench.providers.submission import client_for_record

        if self.path != path:
            if self.ws is not None:
                self.ws.close()
            self.path, self.ws = path, Workspace.open(path)
            self.ledger = Ledger(self.ws)
            self.monitor = JobMonitor(self.ledger, client_for_record)
            self.monitor.reattach()  # jobs still running when the app last closed
        return self


@dataclass(frozen=True)
class JobView:
    """What the detail pane shows for one job (plain data, read on the jobs thread)."""

    record: object
    events: list
    metrics: list
    checkpoints: list


class JobsTab(QWidget):
    job_finished = Signal(str)  # a plain sentence, for notifications
    review_personal_data = Signal()  # the user chose to review unredacted personal data before uploading
    submission_finished = Signal()  # a submission ended (it may have saved a dataset version)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-jobs")
        self._closed = False
        self._state = _JobsThread()
        self.ws_path: Path | None = None
        self.task: TaskHandle | None = None
        self.submit_task: TaskHandle | None = None
        self.selected: int | None = None
        self._records: list = []
        self._poll = QTimer(self, singleShot=True)
        self._poll.timeout.connect(self.poll)

        layout = QVBoxLayout(self)
        layout.addWidget(self._submit_box())
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Job", "Status", "Base model", "Fine-tuned model", "Created", "Cost"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        for column, width in enumerate((230, 90, 170, 240, 120, 70)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Fine-tuning jobs")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        split.addWidget(self.table)
        split.addWidget(self._detail_pane())
        split.setSizes([560, 640])
        layout.addWidget(split, 1)

    # --- layout ------------------------------------------------------------------------------------

    def _submit_box(self) -> QGroupBox:
        box = QGroupBox("Train a model on this workspace (train and validation splits)")
        row = QHBoxLayout(box)
        form = QFormLayout()
        self.profile = QComboBox()
        self.profile.setAccessibleName("Provider profile")
        self.model = QComboBox()
        self.model.addItems(list(default_price_list().models))
        self.model.setCurrentText("gpt-4.1-mini-2025-04-14")
        self.model.setAccessibleName("Base model")
        self.method = QComboBox()
        self.method.addItems(["supervised", "dpo"])
        self.method.setAccessibleName("Method")
        form.addRow("Provider:", self.profile)
        form.addRow("Base model:", self.model)
        form.addRow("Method:", self.method)
        row.addLayout(form)
        hyper = QFormLayout()
        self.epochs = QSpinBox(minimum=0, maximum=50, specialValueText="auto")
        self.batch = QSpinBox(minimum=0, maximum=256, specialValueText="auto")
        self.lr = QDoubleSpinBox(minimum=0.0, maximum=10.0, singleStep=0.1, decimals=2, specialValueText="auto")
        self.beta = QDoubleSpinBox(minimum=0.0, maximum=2.0, singleStep=0.05, decimals=2, specialValueText="auto")
        for w, name in ((self.epochs, "Epochs"), (self.batch, "Batch size"), (self.lr, "Learning-rate multiplier"),
                        (self.beta, "Beta (DPO)")):
            w.setAccessibleName(name)
            hyper.addRow(name + ":", w)
        row.addLayout(hyper)
        extra = QFormLayout()
        self.suffix = QLineEdit(placeholderText="e.g. support-v2")
        self.suffix.setAccessibleName("Model name suffix")
        self.seed = QSpinBox(minimum=0, maximum=2_147_483_647, specialValueText="random")
        self.seed.setAccessibleName("Seed")
        extra.addRow("Suffix:", self.suffix)
        extra.addRow("Seed:", self.seed)
        self.submit_button = QPushButton("Check && Submit…")
        self.submit_button.clicked.connect(self.start_submit)
        self.upload_progress = QProgressBar(visible=False)
        self.upload_progress.setAccessibleName("Upload progress")
        self.cancel_submit = QPushButton("Cancel", visible=False)
        self.cancel_submit.clicked.connect(lambda: self.submit_task and self.submit_task.cancel())
        extra.addRow(self.submit_button)
        extra.addRow(self.upload_progress)
        extra.addRow(self.cancel_submit)
        row.addLayout(extra)
        self.submit_message = QLabel()
        self.submit_message.setWordWrap(True)
        row.addWidget(self.submit_message, 1)
        self.method.currentTextChanged.connect(lambda m: self.beta.setEnabled(m == "dpo"))
        self.profile.currentTextChanged.connect(self._profile_note)
        self.beta.setEnabled(False)
        return box

    def _detail_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("Select a job to see its progress.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.cancel_job = QPushButton("Cancel Job")
        self.pause_job = QPushButton("Pause")
        self.resume_job = QPushButton("Resume")
        for b, action in ((self.cancel_job, "cancel"), (self.pause_job, "pause"), (self.resume_job, "resume")):
            b.clicked.connect(lambda _=False, a=action: self.control(a))
            b.setEnabled(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.chart = QChart()
        self.chart.setTitle("Loss")
        view = QChartView(self.chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(200)
        view.setAccessibleName("Training metrics")
        layout.addWidget(view, 2)
        match_palette(self.chart, self)
        lists = QSplitter(Qt.Orientation.Horizontal)
        self.events = QListWidget()
        self.events.setAccessibleName("Job events")
        self.checkpoints = QListWidget()
        self.checkpoints.setAccessibleName("Checkpoints")
        for title, widget in (("Events", self.events), ("Checkpoints (usable as models)", self.checkpoints)):
            group = QGroupBox(title)
            QVBoxLayout(group).addWidget(widget)
            lists.addWidget(group)
        lists.setSizes([420, 220])
        layout.addWidget(lists, 1)
        return pane

    # --- workspace and profiles ------------------------------------------------------------------------

    def set_workspace(self, path: Path) -> None:
        self.ws_path = path
        self.selected = None
        self.refresh_profiles()
        self.poll()

    def refresh_profiles(self) -> None:
        current = self.profile.currentText()
        self.profile.clear()
        try:
            self.profile.addItems(ProfileStore().names())
        except Exception as exc:  # noqa: BLE001 - a damaged profiles file must not stop the tab
            self.submit_message.setText(str(exc))
        if current:
            self.profile.setCurrentText(current)

    def _profile_note(self, name: str) -> None:
        try:
            profile = ProfileStore().find(name) if name else None
        except Exception:  # noqa: BLE001 - the note is a courtesy; a damaged file is reported elsewhere
            profile = None
        if profile is not None and profile.kind == "openai":
            self.submit_message.setText(OPENAI_DEADLINE_NOTE)

    def _run(self, title: str, fn, *, expected=(Exception,)) -> TaskHandle:
        state, path = self._state, self.ws_path
        return run_task(title, lambda progress, cancelled: fn(state.open(path), progress, cancelled),
                        expected=expected, parent=self, executor=self._executor)

    # --- polling -------------------------------------------------------------------------------------

    def poll(self) -> None:
        """Poll jobs that are due, then re-read the ledger; schedules itself while jobs run."""
        if self.ws_path is None or self._closed or (self.task is not None and self.task.running):
            return
        selected = self.selected

        def work(state, _progress, _cancelled):
            results = state.monitor.poll_due()
            ended = [r.job for r in results if r.job.terminal and r.job.id not in state.finished_seen]
            state.finished_seen.update(j.id for j in ended)
            view = None
            if selected is not None and state.ledger.job(selected) is not None:
                view = JobView(state.ledger.job(selected), state.ledger.events(selected),
                               state.ledger.metrics(selected), state.ledger.checkpoints(selected))
            problems = [r.problem for r in results if r.problem]
            return state.ledger.jobs(), view, state.monitor.next_delay(), ended, problems

        self.task = self._run("Checking jobs", work)
        self.task.succeeded.connect(self._polled)
        self.task.failed.connect(self.status.setText)

    def _polled(self, outcome) -> None:
        records, view, delay, ended, problems = outcome
        self._fill_table(records)
        if view is not None:
            self._show(view)
        for job in ended:
            self._notify(job)
        if problems:
            self.status.setText(self.status.text() + "<br><i>" + problems[-1] + "</i>")
        if delay is not None:  # None: nothing runs, so nothing is polled
            self._poll.start(int(max(delay, 0.5) * 1000))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            match_palette(self.chart, self)
        super().changeEvent(event)

    def _fill_table(self, records: list) -> None:
        self._records = records
        if not records:
            self.status.setText("No fine-tuning jobs in this workspace yet. Choose a provider and model above and "
                                "press <b>Check &amp; Submit</b>; the data is validated and the cost shown first.")
        self.table.blockSignals(True)
        self.table.setRowCount(len(records))
        for row, r in enumerate(records):
            cost = actual_cost(r.base_model, r.trained_tokens)
            status = r.status + (" (paused)" if r.paused and not r.terminal else "")
            cells = (r.name, status, r.base_model, r.fine_tuned_model or "", _when(r.created_at),
                     f"${cost:,.2f}" if cost is not None else (f"~${r.estimated_cost:,.2f}" if r.estimated_cost else ""))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if r.id == self.selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self._records):
            self.selected = self._records[rows[0].row()].id
            if self.task is None or not self.task.running:
                self.poll()

    def _show(self, view: JobView) -> None:
        r = view.record
        cost = actual_cost(r.base_model, r.trained_tokens)
        lines = [f"<b>{r.name}</b> · {r.method} · {r.base_model} · status <b>{r.status}</b>"
                 + (" (paused)" if r.paused and not r.terminal else "")]
        if r.fine_tuned_model:
            lines.append(f"Model: <b>{r.fine_tuned_model}</b>")
        if r.estimated_finish and not r.terminal:
            lines.append(f"Estimated finish: {_when(r.estimated_finish)}")
        money = []
        if r.estimated_cost is not None:
            money.append(f"estimated ${r.estimated_cost:,.2f}")
        if r.trained_tokens:
            money.append(f"trained tokens {r.trained_tokens:,}")
        if cost is not None:
            money.append(f"actual ${cost:,.2f}")
        if money:
            lines.append("Cost: " + " · ".join(money))
        if r.last_error:
            where = f" (line {r.error_line} of the training file)" if r.error_line else ""
            lines.append(f"<span style='color:#d0353f'>{r.last_error}{where}</span>")
        if r.snapshot:
            lines.append(f"Dataset snapshot: {r.snapshot[:19]}…")
        self.status.setText("<br>".join(lines))
        running = not r.terminal and r.provider_job_id is not None
        self.cancel_job.setEnabled(running)
        self.pause_job.setEnabled(running and not r.paused)
        self.resume_job.setEnabled(running and r.paused)
        self.events.clear()
        for e in view.events[-500:]:
            self.events.addItem(f"{_when(e.created_at)}  {e.message}")
        self.events.scrollToBottom()
        self.checkpoints.clear()
        for c in view.checkpoints:
            self.checkpoints.addItem(f"step {c.step}: {c.model}")
        self._draw(view.metrics)

    def _draw(self, metrics: list) -> None:
        """Loss (left axis) and token accuracy (right axis, 0-1) for training and validation."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        loss, accuracy = [], []
        for attr, name, bucket in (("train_loss", "training loss", loss), ("valid_loss", "validation loss", loss),
                                   ("train_accuracy", "training accuracy", accuracy),
                                   ("valid_accuracy", "validation accuracy", accuracy)):
            s = QLineSeries()
            s.setName(name)
            for p in metrics:
                value = getattr(p, attr)
                if value is not None:
                    s.append(QPointF(p.step, value))
            if s.count():
                bucket.append(s)
        if not loss and not accuracy:
            self.chart.setTitle("Metrics (none yet)")
            return
        self.chart.setTitle("Loss and accuracy")
        steps = max(pt.x() for s in loss + accuracy for pt in s.points())
        x = QValueAxis()
        x.setTitleText("step")
        x.setLabelFormat("%d")
        x.setRange(0, max(steps, 1))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        for series, side, title, top in (
            (loss, Qt.AlignmentFlag.AlignLeft, "loss", None),
            (accuracy, Qt.AlignmentFlag.AlignRight, "accuracy", 1.0),
        ):
            if not series:
                continue
            y = QValueAxis()
            y.setTitleText(title)
            highest = max(pt.y() for s in series for pt in s.points())
            y.setRange(0, top if top is not None else (highest * 1.1 or 1))
            self.chart.addAxis(y, side)
            for s in series:
                self.chart.addSeries(s)
                s.attachAxis(x)
                s.attachAxis(y)

    def control(self, action: str) -> TaskHandle | None:
        job_id = self.selected
        if job_id is None:
            return None
        if action == "cancel" and QMessageBox.question(
                self, "Cancel job", "Cancel this fine-tuning job? Training done so far is billed.") != QMessageBox.StandardButton.Yes:
            return None

        def work(state, _p, _c):
            from workbench.providers.watch import JobWatcher

            if job_id not in state.monitor.job_ids:
                state.monitor.attach(job_id)
            watcher: JobWatcher = state.monitor.watcher(job_id)
            getattr(watcher, action)()

        task = self._run(f"{action.capitalize()} job", work)
        task.failed.connect(self.status.setText)
        task.finished.connect(self.poll)
        return task

    def _notify(self, job) -> None:
        text = f"Fine-tuning job {job.name} {job.status}" + (f": {job.fine_tuned_model}" if job.fine_tuned_model else ".")
        self.job_finished.emit(text)
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = getattr(self, "_tray", None) or QSystemTrayIcon(icon("app"), self)
            self._tray = tray
            tray.show()
            tray.showMessage("Fine-Tune Workbench", text, QSystemTrayIcon.MessageIcon.Information, 10000)
        QApplication.alert(self.window())

    # --- submit --------------------------------------------------------------------------------------

    def _hyperparameters(self) -> dict:
        value = lambda w: AUTO if w.value() == w.minimum() else w.value()  # noqa: E731
        return {"n_epochs": value(self.epochs), "batch_size": value(self.batch),
                "learning_rate_multiplier": value(self.lr), "beta": value(self.beta) if self.method.currentText() == "dpo" else AUTO}

    def start_submit(self, *, force: bool = False, confirm=None) -> TaskHandle | None:
        """Step 1: export through the validation gate and estimate (nothing leaves the machine)."""
        if self.ws_path is None or not self.profile.currentText():
            self.submit_message.setText("Add a provider profile first (File > Settings).")
            return None
        model = self.model.currentText()
        epochs = self.epochs.value() or None

        def work(state, _p, cancelled):
            from workbench.core.pii import unredacted_pii_summary
            from workbench.providers.submission import prepare

            prepared = prepare(state.ws, model, epochs, force=force, cancelled=cancelled)
            return prepared, unredacted_pii_summary(state.ws, cancel=cancelled)  # warned about before any upload

        self.submit_message.setText("Checking the data, looking for personal data and estimating the cost…")
        task = self._run("Preparing submission", work, expected=(ExportBlocked, ValueError, OSError))
        task.succeeded.connect(lambda outcome: self._confirm(outcome[0], confirm, outcome[1]))
        task.failed.connect(self._prepare_failed)
        self.submit_task = task
        return task

    def _prepare_failed(self, message: str) -> None:
        self.submit_message.setText(message)
        if message.startswith("Export stopped"):
            box = QMessageBox(QMessageBox.Icon.Warning, "Data has errors", message + "\n\nSubmit anyway?", parent=self)
            anyway = box.addButton("Submit Anyway", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is anyway:
                self.start_submit(force=True)

    def _confirm(self, prepared, confirm=None, personal_data: dict[str, int] | None = None) -> None:
        """``confirm(text)`` (tests) returns True to submit, False to stop, or REVIEW."""
        e = prepared.estimate
        text = (f"Train {prepared.model} on {e.examples:,} examples ({e.tokens:,} tokens) for {e.epochs} epochs"
                f"{' (auto)' if e.epochs_auto else ''}: {e.billed_tokens:,} billed tokens, about ${e.cost:,.2f}.")
        if e.over_limit:
            text += f"\n{e.over_limit:,} examples are longer than the model's limit and will be truncated."
        warning = pii_warning(personal_data or {})
        if warning:
            text += "\n\n" + warning
        self.submit_message.setText(text)
        if confirm:
            ok = confirm(text)
        elif warning:
            ok = self._ask_about_personal_data(text)
        else:
            ok = QMessageBox.question(self, "Submit fine-tuning job", text + "\n\nUpload the data and start training?"
                                      ) == QMessageBox.StandardButton.Yes
        if ok == REVIEW:
            self.submit_message.setText("Not submitted: review the personal data first (Data quality > Personal data).")
            self.review_personal_data.emit()
        elif ok:
            self._upload_and_create(prepared)

    def _ask_about_personal_data(self, text: str) -> bool | str:
        box = QMessageBox(QMessageBox.Icon.Warning, "Personal data in the training data", text, parent=self)
        review = box.addButton("Review Personal Data…", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Submit Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(review)
        box.exec()
        return REVIEW if box.clickedButton() is review else box.clickedButton() is anyway

    def _upload_and_create(self, prepared) -> None:
        """Step 2: upload (progress, Cancel) and create the job; then follow it."""
        from workbench.providers.errors import ProviderError
        from workbench.providers.jobs import JobRequestError, JobSubmitError
        from workbench.providers.uploads import UploadFailed

        profile, method, suffix = self.profile.currentText(), self.method.currentText(), self.suffix.text().strip()
        hyper, seed = self._hyperparameters(), self.seed.value() or None

        def work(state, progress, cancelled):
            from workbench.providers.submission import submit

            record = submit(prepared, state.ledger, profile, method=method, hyperparameters=hyper, suffix=suffix,
                            seed=seed, progress=progress, cancelled=cancelled)
            state.monitor.attach(record.id)
            return record

        self.upload_progress.setVisible(True)
        self.upload_progress.setRange(0, 0)
        self.cancel_submit.setVisible(True)
        self.submit_button.setEnabled(False)
        task = self._run("Submitting", work, expected=(ProviderError, JobRequestError, JobSubmitError, UploadFailed,
                                                       LookupError, OSError))
        task.progress.connect(self._upload_progress)
        task.succeeded.connect(self._submitted)
        task.failed.connect(self.submit_message.setText)
        task.cancelled.connect(lambda: self.submit_message.setText("Upload cancelled; no job was created."))
        task.finished.connect(self._submit_finished)
        self.submit_task = task

    def _upload_progress(self, done: int, total: int) -> None:
        scale = max(1, total // 1_000_000)
        self.upload_progress.setRange(0, max(1, total // scale))
        self.upload_progress.setValue(done // scale)

    def _submitted(self, record) -> None:
        self.submit_message.setText(f"Submitted {record.name}. Progress appears below; you may close the app — "
                                    "it picks the job up again when you come back.")
        self.selected = record.id
        self.poll()

    def _submit_finished(self) -> None:
        self.upload_progress.setVisible(False)
        self.cancel_submit.setVisible(False)
        self.submit_button.setEnabled(True)
        self.submission_finished.emit()

    def shutdown(self) -> None:
        """Stop polling and release the ledger's connection (safe to call more than once)."""
        self._poll.stop()
        if self._closed:
            return
        self._closed = True
        state = self._state
        if state.ws is not None:  # close the connection on the thread that owns it
            self._executor.submit(state.ws.close)
        self._executor.shutdown(wait=False, cancel_futures=False)


def _when(ts: int | float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else ""
