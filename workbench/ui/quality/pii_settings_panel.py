"""What the personal-data scan looks for: kinds, phone region, placeholders, the user's own patterns
and names. Every change is saved in the workspace at once (``pii.save_settings``; not undoable:
settings describe how to scan, not the data)."""

from __future__ import annotations

from dataclasses import replace

import phonenumbers
from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.pii import BUILTIN_KINDS, PatternError, PiiSettings, load_settings, save_settings, title
from workbench.core.pii.kinds import placeholder
from workbench.core.store import Workspace
from workbench.ui.quality.common import hint, plural

ERROR_STYLE = "color: #d0353f"


def region_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else ""
    return f"{code} — {name}" if name else code


class PiiSettingsPanel(QWidget):
    changed = Signal()  # the settings changed (and were saved): earlier scan results may be out of date

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.settings = PiiSettings()
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        kinds_box = QGroupBox("Look for")
        grid = QGridLayout(kinds_box)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for n, kind in enumerate(BUILTIN_KINDS):
            box = QCheckBox(title(kind))
            box.setToolTip(f"Replaced by {placeholder(kind)}")
            box.toggled.connect(self._kinds_changed)
            self.kind_boxes[kind] = box
            grid.addWidget(box, n // 2, n % 2)
        layout.addWidget(kinds_box)

        options = QGroupBox("Options")
        form = QFormLayout(options)
        self.region = QComboBox()
        self.region.setAccessibleName("Phone region")
        for code in sorted(phonenumbers.SUPPORTED_REGIONS):
            self.region.addItem(region_name(code), code)
        self.region.setToolTip("How phone numbers written without +country code are read.")
        self.region.currentIndexChanged.connect(self._region_changed)
        form.addRow("Phone region:", self.region)
        self.numbered = QCheckBox("Number placeholders per conversation")
        self.numbered.setToolTip("[EMAIL_1], [EMAIL_2] instead of [EMAIL]: the same address keeps its number "
                                 "within a conversation, so replies still refer to what the customer wrote.")
        self.numbered.toggled.connect(self._numbered_changed)
        form.addRow(self.numbered)
        self.allowed = QLabel()
        self.allowed.setWordWrap(True)
        self.forget_allowed = QPushButton("Forget Them")
        self.forget_allowed.clicked.connect(self._forget_allowed)
        allowed_row = QHBoxLayout()
        allowed_row.addWidget(self.allowed, 1)
        allowed_row.addWidget(self.forget_allowed)
        form.addRow(allowed_row)
        layout.addWidget(options)

        patterns = QGroupBox("Your own patterns (e.g. order numbers)")
        column = QVBoxLayout(patterns)
        self.patterns = QListWidget()
        self.patterns.setAccessibleName("Custom patterns")
        self.patterns.setMaximumHeight(72)
        column.addWidget(self.patterns)
        add_form = QFormLayout()
        self.pattern_name = QLineEdit(placeholderText="e.g. order number")
        self.pattern_name.setAccessibleName("Pattern name")
        self.pattern_regex = QLineEdit(placeholderText=r"a regular expression, e.g. ORD-\d{6}")
        self.pattern_regex.setAccessibleName("Pattern")
        self.pattern_regex.returnPressed.connect(self.add_pattern)
        add_form.addRow("Name:", self.pattern_name)
        add_form.addRow("Pattern:", self.pattern_regex)
        column.addLayout(add_form)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add Pattern")
        self.add_button.clicked.connect(self.add_pattern)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_pattern)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.pattern_error = QLabel(visible=False)
        self.pattern_error.setWordWrap(True)
        self.pattern_error.setStyleSheet(ERROR_STYLE)
        column.addWidget(self.pattern_error)
        layout.addWidget(patterns)

        names = QGroupBox("Customer names")
        names_column = QVBoxLayout(names)
        names_column.addWidget(hint("Names an import recorded are used for their own conversations. "
                                    "Add others here, one per line:"))
        self.names = QPlainTextEdit()
        self.names.setAccessibleName("Extra customer names")
        self.names.setPlaceholderText("Carla Moreno\nDavid Okafor")
        self.names.setMaximumHeight(80)
        self._names_timer = QTimer(self, singleShot=True, interval=600)
        self._names_timer.timeout.connect(self._names_changed)
        self.names.textChanged.connect(self._names_timer.start)
        names_column.addWidget(self.names)
        layout.addWidget(names)
        layout.addStretch(1)

    # --- workspace ---------------------------------------------------------------------------------

    def set_workspace(self, ws: Workspace) -> None:
        self._names_timer.stop()
        self.ws = ws
        self.settings = load_settings(ws)
        self._show()

    def flush(self) -> None:
        """Save names still being typed (before a scan)."""
        if self._names_timer.isActive():
            self._names_timer.stop()
            self._names_changed()

    def _show(self) -> None:
        self._loading = True
        s = self.settings
        for kind, box in self.kind_boxes.items():
            box.setChecked(kind in s.kinds)
        index = self.region.findData(s.region)
        self.region.setCurrentIndex(max(index, 0))
        self.numbered.setChecked(s.numbered)
        self.patterns.clear()
        for p in s.patterns:
            item = QListWidgetItem(f"{p.name}: {p.regex}  →  {placeholder(p.name)}")
            item.setData(Qt.ItemDataRole.UserRole, p.name)
            self.patterns.addItem(item)
        if self.names.toPlainText().splitlines() != list(s.names):
            self.names.setPlainText("\n".join(s.names))
        self.allowed.setText(f"{plural(len(s.allowed), 'value')} you rejected as not personal data "
                             "will not be flagged again." if s.allowed else
                             "Values you reject in the review are not flagged again.")
        self.forget_allowed.setVisible(bool(s.allowed))
        self._loading = False

    def _save(self, settings: PiiSettings) -> None:
        self.settings = settings
        if self.ws is not None:
            save_settings(self.ws, settings)
        self._show()
        self.changed.emit()

    # --- edits -------------------------------------------------------------------------------------

    def _kinds_changed(self) -> None:
        if not self._loading:
            kinds = frozenset(k for k, box in self.kind_boxes.items() if box.isChecked())
            self._save(replace(self.settings, kinds=kinds))

    def _region_changed(self) -> None:
        if not self._loading and self.region.currentData():
            self._save(replace(self.settings, region=self.region.currentData()))

    def _numbered_changed(self, on: bool) -> None:
        if not self._loading:
            self._save(replace(self.settings, numbered=on))

    def _names_changed(self) -> None:
        names = tuple(dict.fromkeys(n.strip() for n in self.names.toPlainText().splitlines() if n.strip()))
        if names != self.settings.names:
            self.settings = replace(self.settings, names=names)
            if self.ws is not None:
                save_settings(self.ws, self.settings)
            self.changed.emit()

    def _forget_allowed(self) -> None:
        self._save(replace(self.settings, allowed=()))

    def remember_allowed(self, values: list[str]) -> None:
        """Values the reviewer rejected: never flagged again in this workspace."""
        if values:
            self._save(self.settings.with_allowed(*values))

    def add_pattern(self) -> bool:
        try:
            settings = self.settings.with_pattern(self.pattern_name.text(), self.pattern_regex.text())
        except PatternError as exc:
            self.pattern_error.setText(str(exc))
            self.pattern_error.setVisible(True)
            return False
        self.pattern_error.setVisible(False)
        self.pattern_name.clear()
        self.pattern_regex.clear()
        self._save(settings)
        return True

    def remove_pattern(self) -> None:
        item = self.patterns.currentItem()
        if item is not None:
            self._save(self.settings.without_pattern(item.data(Qt.ItemDataRole.UserRole)))
