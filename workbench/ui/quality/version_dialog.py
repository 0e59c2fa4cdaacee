"""Name and note of a dataset version (Create… and Rename…)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit


class VersionDialog(QDialog):
    def __init__(self, title: str, name: str = "", note: str = "", placeholder: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        self.name = QLineEdit(name, placeholderText=placeholder)
        self.name.setAccessibleName("Version name")
        self.note = QPlainTextEdit(note)
        self.note.setAccessibleName("Version note")
        self.note.setPlaceholderText("What is special about this version, e.g. \"after removing duplicates\"")
        self.note.setMaximumHeight(90)
        form.addRow("Name:", self.name)
        form.addRow("Note:", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return self.name.text(), self.note.toPlainText()
