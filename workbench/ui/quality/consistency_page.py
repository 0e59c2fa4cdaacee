"""Consistency: the greetings and sign-offs agents use, grouped into families of spellings, and
standardising the ticked ones to one text as one undo step (with a preview of a few)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from workbench.core.quality import ConsistencyReport, Variant, WorkspaceRecords, find_variants, standardise
from workbench.core.quality.consistency import assistant_texts, standardise_example
from workbench.core.store import Workspace
from workbench.ui.quality.common import RunBar, RunEdit, apply_edit, hint, plural, read_task

KINDS = (("greeting", "Greetings"), ("sign-off", "Sign-offs"))
PREVIEWS = 4
SHOWN_CHARS = 110
VariantRole = Qt.ItemDataRole.UserRole + 1
START_HINT = ("Press <b>Find Variants</b> to list the greetings and sign-offs in the agents' replies, with how "
              "often each is used. Tick the ones to change, choose the replacement and press <b>Standardise</b>.")


def shown(text: str) -> str:
    return text.replace("\n", " ↵ ")


def excerpt(text: str, kind: str) -> str:
    """The part of a reply a greeting (start) or sign-off (end) is in."""
    text = text.strip()
    if len(text) <= SHOWN_CHARS:
        return text
    if kind == "greeting":
        return text[:SHOWN_CHARS].rsplit(" ", 1)[0] + " …"
    tail = text[-SHOWN_CHARS:]
    return "… " + (tail.split(" ", 1)[1] if " " in tail else tail)  # from a whole word


class ConsistencyPage(QWidget):
    def __init__(self, run_edit: RunEdit, parent=None) -> None:
        super().__init__(parent)
        self.run_edit = run_edit
        self.ws: Workspace | None = None
        self.report: ConsistencyReport | None = None
        self._preview_timer = QTimer(self, singleShot=True, interval=250)
        self._preview_timer.timeout.connect(self.update_preview)
        layout = QVBoxLayout(self)

        self.bar = RunBar("Find Variants")
        self.bar.button.clicked.connect(self.find)
        layout.addWidget(self.bar)
        self.summary = hint(START_HINT)
        layout.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel("Show:"))
        self.kind = QComboBox()
        for kind, name in KINDS:
            self.kind.addItem(name, kind)
        self.kind.setAccessibleName("Phrase kind")
        self.kind.currentIndexChanged.connect(self._fill_tree)
        kind_row.addWidget(self.kind)
        kind_row.addStretch(1)
        self.tick_all = QPushButton("Tick All")
        self.tick_all.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        self.untick_all = QPushButton("Untick All")
        self.untick_all.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        kind_row.addWidget(self.tick_all)
        kind_row.addWidget(self.untick_all)
        left_layout.addLayout(kind_row)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Phrase (families of spellings)", "Replies"])
        self.tree.setAccessibleName("Greeting and sign-off variants")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 80)
        self.tree.itemChanged.connect(self._ticks_changed)
        left_layout.addWidget(self.tree, 1)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("Replace the ticked variants with")
        box_layout = QVBoxLayout(box)
        use_row = QHBoxLayout()
        use_row.addWidget(QLabel("Use a variant:"))
        self.use = QComboBox()
        self.use.setAccessibleName("Use a variant as the replacement")
        self.use.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.use.setMinimumContentsLength(24)
        self.use.activated.connect(self._use_variant)
        use_row.addWidget(self.use, 1)
        box_layout.addLayout(use_row)
        self.replacement = QPlainTextEdit()
        self.replacement.setAccessibleName("Replacement text")
        self.replacement.setPlaceholderText("e.g. Best regards,\n{name}")
        self.replacement.setMaximumHeight(70)
        self.replacement.textChanged.connect(self._preview_timer.start)
        box_layout.addWidget(self.replacement)
        box_layout.addWidget(hint("<code>{name}</code> keeps the name the original used (the agent's or the "
                                  "customer's). Leave empty to remove the phrase."))
        right_layout.addWidget(box)
        preview_box = QGroupBox("Preview")
        preview_layout = QVBoxLayout(preview_box)
        self.preview = QTableWidget(0, 2)
        self.preview.setHorizontalHeaderLabels(["Before", "After"])
        self.preview.setAccessibleName("Preview of the change")
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(True)
        self.preview.setAlternatingRowColors(True)  # rows stay apart where grid lines are faint (dark)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        preview_layout.addWidget(self.preview)
        right_layout.addWidget(preview_box, 1)
        apply_row = QHBoxLayout()
        self.apply_note = QLabel()
        self.apply_note.setWordWrap(True)
        apply_row.addWidget(self.apply_note, 1)
        self.apply_button = QPushButton("Standardise")
        self.apply_button.clicked.connect(self.apply)
        apply_row.addWidget(self.apply_button)
        right_layout.addLayout(apply_row)
        split.addWidget(right)
        split.setSizes([520, 620])
        layout.addWidget(split, 1)
        self._update_buttons()

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self.bar.stop()
        self.ws = ws
        self.report = None
        self._fill_tree()
        self.summary.setText(START_HINT)
        self.bar.message.clear()

    def shutdown(self) -> None:
        self.bar.stop()
        self._preview_timer.stop()

    def examples_changed(self) -> None:
        if self.report is not None and self.report.families:
            self.bar.message.setText("The examples changed since this search: find again for current counts.")

    # --- find --------------------------------------------------------------------------------------

    def find(self):
        if self.ws is None or self.bar.running:
            return None
        task = read_task("Finding greetings and sign-offs", self.ws.path,
                         lambda ws, progress, cancelled: find_variants(WorkspaceRecords(ws), progress=progress,
                                                                       cancel=cancelled), self)
        task.succeeded.connect(self._found)
        return self.bar.watch(task, "Reading every reply…")

    def _found(self, report: ConsistencyReport) -> None:
        self.report = report
        self._fill_tree()
        greetings, signoffs = (report.of_kind(k) for k, _ in KINDS)
        greeting_variants = sum(len(f.variants) for f in greetings)
        signoff_variants = sum(len(f.variants) for f in signoffs)
        self.summary.setText(
            f"{plural(report.replies, 'reply', 'replies')} in {plural(report.examples, 'example')}: "
            f"{plural(greeting_variants, 'greeting')} in {plural(len(greetings), 'family', 'families')}, "
            f"{plural(signoff_variants, 'sign-off')} in {plural(len(signoffs), 'family', 'families')}. "
            "Each family groups spellings of one phrase.")
        self.bar.message.clear()

    def _fill_tree(self) -> None:
        kind = self.kind.currentData()
        self.tree.blockSignals(True)
        self.tree.clear()
        families = self.report.of_kind(kind) if self.report else []
        for family in families:
            top = QTreeWidgetItem([shown(family.label), f"{family.count:,}"])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            top.setCheckState(0, Qt.CheckState.Unchecked)
            top.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            top.setToolTip(0, f"{plural(len(family.variants), 'spelling')} of one phrase")
            for v in family.variants:
                child = QTreeWidgetItem([shown(v.text), f"{v.count:,}"])
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Unchecked)
                child.setData(0, VariantRole, v)
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        if self.report is not None and not families:
            self.tree.addTopLevelItem(QTreeWidgetItem([f"No {self.kind.currentText().lower()} found in the replies."]))
        self.tree.blockSignals(False)
        self.use.clear()
        for family in families:
            for v in family.variants:
                self.use.addItem(f"{shown(v.text)}  ({v.count:,})", v.text)
        if families:
            self.replacement.setPlainText(families[0].variants[0].text)  # the most used form
        else:
            self.replacement.clear()
        self._ticks_changed()

    def _tick_all(self, state: Qt.CheckState) -> None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(0, state)

    def ticked(self) -> list[Variant]:
        out = []
        it = QTreeWidgetItemIterator(self.tree)
        while item := it.value():
            v = item.data(0, VariantRole)
            if v is not None and item.checkState(0) == Qt.CheckState.Checked:
                out.append(v)
            it += 1
        return out

    def set_ticked(self, keys: set[str]) -> None:
        """Tick the variants whose normalised phrase is in ``keys`` (tests, and "use" shortcuts)."""
        it = QTreeWidgetItemIterator(self.tree)
        while item := it.value():
            v = item.data(0, VariantRole)
            if v is not None:
                item.setCheckState(0, Qt.CheckState.Checked if v.key in keys else Qt.CheckState.Unchecked)
            it += 1

    def _use_variant(self, index: int) -> None:
        text = self.use.itemData(index)
        if text is not None:
            self.replacement.setPlainText(text)

    def _ticks_changed(self, *_args) -> None:
        self._update_buttons()
        self._preview_timer.start()

    def _update_buttons(self) -> None:
        ticked = self.ticked()
        examples = len({i for v in ticked for i in v.example_ids})
        self.apply_button.setEnabled(bool(ticked))
        self.apply_note.setText(f"{plural(len(ticked), 'variant')} ticked, used in {plural(examples, 'example')}."
                                if ticked else "Tick the variants to change.")
        for button in (self.tick_all, self.untick_all):
            button.setEnabled(bool(self.report and self.report.of_kind(self.kind.currentData())))

    # --- preview and apply -------------------------------------------------------------------------

    def update_preview(self) -> None:
        ticked = self.ticked()
        replacement = self.replacement.toPlainText()
        rows: list[tuple[str, str]] = []
        seen: set[int] = set()
        kind = self.kind.currentData()
        for v in ticked:  # one example per variant first: the preview shows the spread
            for example_id in v.example_ids:
                if example_id in seen or self.ws is None:
                    continue
                seen.add(example_id)
                try:
                    data = self.ws.get(example_id).data
                except KeyError:
                    continue
                new, changed = standardise_example(data, ticked, replacement)
                # The rewrite changes contents only, so old and new replies pair up in order.
                pairs = zip((t for _m, t in assistant_texts(data)), (t for _m, t in assistant_texts(new)), strict=False)
                before, after = next(((a, b) for a, b in pairs if a != b), ("", ""))
                if changed and before:
                    rows.append((excerpt(before, kind), excerpt(after, kind)))
                break
            if len(rows) >= PREVIEWS:
                break
        self.preview.setRowCount(len(rows))
        for row, (before, after) in enumerate(rows):
            self.preview.setItem(row, 0, QTableWidgetItem(before))
            self.preview.setItem(row, 1, QTableWidgetItem(after))
        self.preview.resizeRowsToContents()

    def apply(self) -> bool:
        ticked = self.ticked()
        if self.ws is None or not ticked:
            return False
        replacement = self.replacement.toPlainText()
        kind = self.kind.currentText().lower()
        examples = len({i for v in ticked for i in v.example_ids})
        label = f"Standardise {plural(len(ticked), 'variant')} of {kind}"
        self.apply_button.setEnabled(False)
        started = apply_edit(self.run_edit, label, examples,
                             lambda ws: standardise(ws, ticked, replacement, label=label),
                             "Standardising", self._applied, self._failed)
        if not started:
            self._failed("")
        return started

    def _failed(self, message: str) -> None:
        self.bar.message.setText(message)
        self._update_buttons()

    def _applied(self, changed: int) -> None:
        self.report = None
        self._fill_tree()
        self.summary.setText("Find again to see the variants now in use.")
        self.bar.message.setText(f"Changed {plural(changed, 'example')} as one step; Edit > Undo reverts it."
                                 if changed else "Nothing to change: the ticked replies already read that way.")
