"""Settings > Providers: add, edit and remove provider profiles, store their keys in the OS
keyring, and test a connection (lists the models) without ever showing a key in full."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.core.profiles import AZURE_DEPLOY_NOTE, KIND_LABELS, Profile, ProfileError, ProfileStore
from workbench.core.redact import mask
from workbench.providers.connection import test_connection
from workbench.providers.secrets import SecretStore, SecretStoreError
from workbench.ui.tasks import TaskHandle, run_task

FIELDS = (  # (attribute, label, kinds that use it, placeholder)
    ("base_url", "Base URL", ("openai", "compatible"), "https://api.together.xyz/v1 or http://localhost:11434/v1"),
    ("organization", "Organization", ("openai",), "optional: org-…"),
    ("project", "Project", ("openai",), "optional: proj_…"),
    ("azure_endpoint", "Endpoint", ("azure",), "https://RESOURCE.openai.azure.com"),
    ("api_version", "API version", ("azure",), "2024-10-21"),
    ("azure_deployment", "Deployment", ("azure",), "optional"),
    ("default_model", "Default model", ("openai", "azure", "compatible"), "e.g. gpt-4.1-mini"),
)


class SettingsDialog(QDialog):
    def __init__(self, store: ProfileStore | None = None, secrets: SecretStore | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings — Providers")
        self.resize(900, 560)
        self.store = store or ProfileStore()
        self.secrets = secrets or SecretStore()
        self.test_task: TaskHandle | None = None
        self._current: str | None = None

        layout = QVBoxLayout(self)
        backend = QLabel(f"Keys are stored in: <b>{self.secrets.backend_name}</b>"
                         + (f"<br><span style='color:#d0353f'>{self.secrets.notice}</span>" if self.secrets.notice else ""))
        backend.setWordWrap(True)
        backend.setAccessibleName("Keyring in use")
        layout.addWidget(backend)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName("Profiles")
        self.list.currentTextChanged.connect(self._show)
        left_layout.addWidget(self.list)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add_profile)
        self.remove_button.clicked.connect(self.remove_profile)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left_layout.addLayout(buttons)
        split.addWidget(left)

        right = QWidget()
        form = QFormLayout(right)
        self.name = QLineEdit()
        self.name.setAccessibleName("Profile name")
        form.addRow("Name:", self.name)
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.kind.setAccessibleName("Provider kind")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("Provider:", self.kind)
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        for attr, label, _kinds, placeholder in FIELDS:
            edit = QLineEdit(placeholderText=placeholder)
            edit.setAccessibleName(label)
            self.edits[attr] = edit
            self.labels[attr] = QLabel(label + ":")
            form.addRow(self.labels[attr], edit)
        self.key = QLineEdit(echoMode=QLineEdit.EchoMode.Password, placeholderText="paste a new key to replace it")
        self.key.setAccessibleName("API key")
        self.key_state = QLabel()
        form.addRow("API key:", self.key)
        form.addRow("", self.key_state)
        self.azure_note = QLabel(AZURE_DEPLOY_NOTE)
        self.azure_note.setWordWrap(True)
        form.addRow(self.azure_note)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d0353f;")
        form.addRow(self.problems)
        row = QHBoxLayout()
        self.save_button = QPushButton("Save Profile")
        self.save_button.clicked.connect(self.save_profile)
        self.test_button = QPushButton("Test Connection")
        self.test_button.clicked.connect(self.test)
        self.forget_key = QPushButton("Forget Key")
        self.forget_key.clicked.connect(self.delete_key)
        for b in (self.save_button, self.test_button, self.forget_key):
            row.addWidget(b)
        form.addRow(row)
        self.result = QTextBrowser()
        self.result.setAccessibleName("Connection test result")
        form.addRow(self.result)
        split.addWidget(right)
        split.setSizes([240, 660])
        layout.addWidget(split, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._reload()

    # --- list ------------------------------------------------------------------------------------

    def _reload(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(self.store.names())
        self.list.blockSignals(False)
        names = self.store.names()
        target = select if select in names else (names[0] if names else None)
        if target:
            self.list.setCurrentRow(names.index(target))
        self._show(target)

    def _show(self, name: str | None) -> None:
        self._current = name
        profile = self.store.find(name) if name else None
        self.problems.clear()
        self.result.clear()
        self.key.clear()
        if profile is None:
            return
        self.name.setText(profile.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(profile.kind)))
        for attr, edit in self.edits.items():
            edit.setText(getattr(profile, attr) or "")
        self._kind_changed()
        self._show_key_state(profile)
        self.remove_button.setEnabled(not profile.builtin)

    def _show_key_state(self, profile: Profile) -> None:
        secret = self.secrets.get(profile)
        source = self.secrets.source(profile)
        if secret is None:
            self.key_state.setText("No key stored." + (" (Local servers usually need none.)" if profile.kind == "compatible" else ""))
        else:
            where = {"keyring": "in the keyring", "environment": f"from {self.secrets.env_var(profile)}",
                     "memory": "in memory until you quit"}.get(str(source), str(source))
            self.key_state.setText(f"Key {mask(secret.reveal())} — {where}")

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for attr, _label, kinds, _ph in FIELDS:
            visible = kind in kinds
            self.edits[attr].setVisible(visible)
            self.labels[attr].setVisible(visible)
        self.azure_note.setVisible(kind == "azure")

    def _form_profile(self) -> Profile:
        values = {attr: edit.text().strip() or None for attr, edit in self.edits.items()}
        return Profile(name=self.name.text().strip(), kind=self.kind.currentData(), **values).normalised()

    # --- actions ---------------------------------------------------------------------------------

    def add_profile(self) -> None:
        base, n = "New profile", 1
        names = set(self.store.names())
        name = base
        while name in names:
            n += 1
            name = f"{base} {n}"
        try:
            self.store.add(Profile.compatible(name, "http://localhost:11434/v1"))
        except ProfileError as exc:
            self.problems.setText(str(exc))
            return
        self._reload(name)
        self.name.setFocus()
        self.name.selectAll()

    def remove_profile(self) -> None:
        if not self._current:
            return
        answer = QMessageBox.question(self, "Remove profile", f"Remove the profile '{self._current}' and forget its key?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.secrets.delete(self._current)
            self.store.remove(self._current)
        except (ProfileError, SecretStoreError) as exc:
            self.problems.setText(str(exc))
            return
        self._reload()

    def save_profile(self) -> bool:
        profile = self._form_profile()
        problems = profile.problems()
        if problems:
            self.problems.setText("<br>".join(p.message for p in problems))
            return False
        old = self._current
        try:
            if old:
                self.store.update(old, profile)
                if old != profile.name:  # the key follows the profile's new name
                    self.secrets.rename(old, profile.name)
            else:
                self.store.add(profile)
            if self.key.text().strip():
                where = self.secrets.set(profile, self.key.text().strip())
                self.key.clear()
                if where == "memory":
                    self.problems.setText(self.secrets.notice or "")
        except (ProfileError, SecretStoreError) as exc:
            self.problems.setText(str(exc))
            return False
        self._reload(profile.name)
        return True

    def delete_key(self) -> None:
        if self._current:
            try:
                self.secrets.delete(self._current)
            except SecretStoreError as exc:
                self.problems.setText(str(exc))
            profile = self.store.find(self._current)
            if profile:
                self._show_key_state(profile)

    def test(self) -> TaskHandle | None:
        if self.test_task is not None and self.test_task.running:
            self.test_task.cancel()
            return None
        profile = self._form_profile()
        problems = profile.problems()
        if problems:
            self.problems.setText("<br>".join(p.message for p in problems))
            return None
        typed = self.key.text().strip()
        secret = self.secrets.get(dataclasses.replace(profile, name=self._current or profile.name))
        if typed:
            from workbench.core.redact import Secret

            secret = Secret(typed, source="input")
        self.result.setPlainText(f"Connecting to {profile.endpoint}…")
        self.test_button.setText("Cancel Test")
        self.test_task = run_task("Test connection",
                                  lambda _p, cancelled: test_connection(profile, secret, cancelled=cancelled),
                                  parent=self)
        self.test_task.succeeded.connect(self._tested)
        self.test_task.failed.connect(self.result.setPlainText)
        self.test_task.finished.connect(lambda: self.test_button.setText("Test Connection"))
        return self.test_task

    def _tested(self, report) -> None:
        lines = [report.summary, *report.notes]
        if report.models:
            lines.append("")
            for m in report.models[:300]:
                lines.append(f"{m.id}{'   (fine-tunable)' if m.fine_tunable else ''}")
        self.result.setPlainText("\n".join(lines))
