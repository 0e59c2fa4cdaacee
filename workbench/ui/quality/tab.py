"""The Data quality tab: a page list on the left (Personal data, Duplicates, Consistency, Splits,
Balance, Versions) and the chosen page on the right. Pages read through workers with their own
workspace connection and make every edit through the main window's ``run_edit`` (one undo step)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

from workbench.core.store import ChangeEvent, Workspace
from workbench.core.versions import VERSIONS
from workbench.ui.quality.balance_page import BalancePage
from workbench.ui.quality.common import RunEdit
from workbench.ui.quality.consistency_page import ConsistencyPage
from workbench.ui.quality.duplicates_page import DuplicatesPage
from workbench.ui.quality.pii_page import PiiPage
from workbench.ui.quality.splits_page import SplitsPage
from workbench.ui.quality.versions_page import VersionsPage

PAGES = (("pii", "Personal data"), ("duplicates", "Duplicates"), ("consistency", "Consistency"),
         ("splits", "Splits"), ("balance", "Balance"), ("versions", "Versions"))


class QualityTab(QWidget):
    jump_to_example = Signal(int)
    jump_to_message = Signal(int, int)  # example id, 1-based message number (a PII finding)

    def __init__(self, run_edit: RunEdit, parent=None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.pii = PiiPage(run_edit)
        self.duplicates = DuplicatesPage(run_edit)
        self.consistency = ConsistencyPage(run_edit)
        self.splits = SplitsPage(run_edit)
        self.balance = BalancePage()
        self.versions = VersionsPage()
        self.pages = {"pii": self.pii, "duplicates": self.duplicates, "consistency": self.consistency,
                      "splits": self.splits, "balance": self.balance, "versions": self.versions}
        self.pii.jump_to_message.connect(self.jump_to_message)
        self.duplicates.jump_to_example.connect(self.jump_to_example)
        self.versions.jump_to_example.connect(self.jump_to_example)

        layout = QHBoxLayout(self)
        self.page_list = QListWidget()
        self.page_list.setAccessibleName("Data quality pages")
        self.page_list.setMaximumWidth(170)
        self.page_list.setMinimumWidth(140)
        self.page_list.setSpacing(2)
        self.stack = QStackedWidget()
        for key, title in PAGES:
            self.page_list.addItem(title)
            self.page_list.item(self.page_list.count() - 1).setSizeHint(QSize(0, 30))
            self.stack.addWidget(self.pages[key])
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)
        layout.addWidget(self.page_list)
        layout.addWidget(self.stack, 1)

    def show_page(self, key: str) -> QWidget:
        """Select a page by key ("pii", "duplicates", "consistency", "splits", "balance", "versions")."""
        self.page_list.setCurrentRow([k for k, _ in PAGES].index(key))
        return self.pages[key]

    def current_page(self) -> str:
        return PAGES[self.page_list.currentRow()][0]

    def set_workspace(self, ws: Workspace) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.ws = ws
        self._unsubscribe = ws.subscribe(self._on_change)
        for page in self.pages.values():
            page.set_workspace(ws)

    def refresh_versions(self) -> None:
        """A job submission made a version on the jobs thread's own connection: show it."""
        self.versions.refresh()

    def shutdown(self) -> None:
        for page in self.pages.values():
            page.shutdown()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_change(self, event: ChangeEvent) -> None:
        if event.kind == VERSIONS:
            self.versions.refresh()
        elif event.about_examples:
            for page in (self.pii, self.duplicates, self.consistency, self.splits, self.balance):
                page.examples_changed()
