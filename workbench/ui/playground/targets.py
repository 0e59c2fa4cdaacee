"""Which model on which service: the model and service pickers shared by the comparison columns and
the evaluation setup, the models offered (price list + the workspace's own fine-tuned models and
checkpoints) and how a service's address is shown without anything secret in it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QWidget

from workbench.core.playground.answer import ChatTarget
from workbench.core.pricing import default_price_list
from workbench.core.profiles import ProfileStore
from workbench.core.store import Workspace

CUSTOM_URL = "Custom base URL…"
URL_ROLE = Qt.ItemDataRole.UserRole  # on a service item: the bare base URL (None for a profile)
_FT = re.compile(r"^ft:(?P<base>[^:]+):[^:]*:(?P<suffix>[^:]*):[^:]+(?::ckpt-step-(?P<step>\d+))?$")


@dataclass(frozen=True)
class ModelChoice:
    model: str
    note: str = ""  # where it comes from, for the tooltip


def model_choices(ws: Workspace | None) -> list[ModelChoice]:
    """The price list's chat models, then the workspace's fine-tuned models and their checkpoints
    (newest job first). Reads the jobs ledger: a few small queries, fine on the GUI thread."""
    prices = default_price_list()
    found = [ModelChoice(name, "base model (price list)") for name in prices.inference or prices.models]
    if ws is None:
        return found
    from workbench.core.store.ledger import Ledger

    try:
        ledger = Ledger(ws)
        for job in ledger.jobs():
            if job.status == "succeeded" and job.fine_tuned_model:
                found.append(ModelChoice(job.fine_tuned_model, f"fine-tuned from {job.base_model}"))
            for checkpoint in reversed(ledger.checkpoints(job.id)):
                if checkpoint.model:
                    found.append(ModelChoice(checkpoint.model, f"checkpoint at step {checkpoint.step}"))
    except Exception:  # noqa: BLE001 - an unreadable ledger must not stop the playground; models can be typed
        pass
    seen: set[str] = set()
    return [c for c in found if not (c.model in seen or seen.add(c.model))]


DEFAULT_MODELS = ("gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14", "gpt-4o-mini-2024-07-18",
                  "gpt-4o-2024-08-06")


def suggest_model(choices: list[ModelChoice], position: int) -> str:
    """What a new column (or evaluation model) starts with: base models, and the workspace's newest
    fine-tuned model second — the comparison people usually want."""
    tuned = [c.model for c in choices if c.model.startswith("ft:")]
    if position == 1 and tuned:
        return tuned[0]
    return DEFAULT_MODELS[position % len(DEFAULT_MODELS)]


def safe_url(url: str) -> str:
    """A base URL for display: no user name, password, query (tokens hide there) or fragment."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", "")) if parts.scheme else url.split("?")[0]
    except ValueError:
        return "(an address that cannot be read)"


def display_model(model: str, presentation: bool = False) -> str:
    """A model name as shown; in presentation mode a fine-tuned model loses its organisation and job
    ids: ``ft:gpt-4o-mini:acme:support:Ab12`` -> ``gpt-4o-mini tuned (support)``."""
    if not presentation:
        return model
    m = _FT.match(model.strip())
    if not m:
        return model
    text = f"{m['base']} tuned" + (f" ({m['suffix']})" if m["suffix"] else "")
    return text + (f", step {m['step']}" if m["step"] else "")


def display_where(target: ChatTarget, presentation: bool = False) -> str:
    if target.profile:
        return target.profile
    if target.base_url:
        return "custom server" if presentation else safe_url(target.base_url)
    return ""


def profile_names() -> tuple[list[str], str | None]:
    """(profile names, a problem to show); a damaged profiles file must not stop the tab."""
    try:
        return ProfileStore().names(), None
    except Exception as exc:  # noqa: BLE001
        return [], str(exc)


class TargetPicker(QWidget):
    """An editable model box and a service box (profiles, custom base URLs, "Custom base URL…")."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.presentation = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = QComboBox(editable=True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.lineEdit().setPlaceholderText("model name")
        self.model.setAccessibleName("Model")
        self.model.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model.setMinimumContentsLength(12)
        self.where = QComboBox()
        self.where.setAccessibleName("Service")
        self.where.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.where.setMinimumContentsLength(8)
        layout.addWidget(self.model, 3)
        layout.addWidget(self.where, 2)
        self._last_where = 0
        self.model.currentTextChanged.connect(lambda _t: self.changed.emit())
        self.where.activated.connect(self._where_chosen)
        self.set_profiles([])

    # --- choices ---------------------------------------------------------------------------------
    def set_models(self, choices: list[ModelChoice]) -> None:
        text = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        for i, choice in enumerate(choices):
            self.model.addItem(choice.model)
            self.model.setItemData(i, choice.note, Qt.ItemDataRole.ToolTipRole)
        self.model.setCurrentText(text)
        self.model.blockSignals(False)

    def set_profiles(self, names: list[str]) -> None:
        current = self.target_where()
        urls = [self.where.itemData(i, URL_ROLE) for i in range(self.where.count())
                if self.where.itemData(i, URL_ROLE)]
        self.where.blockSignals(True)
        self.where.clear()
        for name in names:
            self.where.addItem(name)
        for url in urls:
            self._add_url_item(url)
        self.where.addItem(CUSTOM_URL)
        self.where.blockSignals(False)
        self._select_where(*current) if current != (None, None) else self.where.setCurrentIndex(0)
        self._last_where = self.where.currentIndex()

    def _add_url_item(self, url: str) -> int:
        index = self.where.count() - (1 if self.where.findText(CUSTOM_URL) >= 0 else 0)
        self.where.insertItem(index, self._url_text(url))
        self.where.setItemData(index, url, URL_ROLE)
        self.where.setItemData(index, "An OpenAI-compatible server; its key (if any) comes from OPENAI_API_KEY.",
                               Qt.ItemDataRole.ToolTipRole)
        return index

    def _url_text(self, url: str) -> str:
        return "Custom server" if self.presentation else safe_url(url)

    # --- the chosen target ----------------------------------------------------------------------
    def target_where(self) -> tuple[str | None, str | None]:
        """(profile, base URL) chosen; (None, None) when nothing usable is."""
        i = self.where.currentIndex()
        if i < 0 or self.where.itemText(i) == CUSTOM_URL:
            return None, None
        url = self.where.itemData(i, URL_ROLE)
        return (None, url) if url else (self.where.itemText(i), None)

    def target(self) -> ChatTarget:
        """The chosen model and service; ValueError with a message for people when incomplete."""
        model = self.model.currentText().strip()
        if not model:
            raise ValueError("Choose or type a model name.")
        profile, url = self.target_where()
        if profile is None and url is None:
            raise ValueError("Choose a provider profile or a base URL.")
        return ChatTarget(model, profile=profile, base_url=url)

    def set_target(self, target: ChatTarget) -> None:
        self.model.setCurrentText(target.model)
        self._select_where(target.profile, target.base_url)

    def _select_where(self, profile: str | None, url: str | None) -> None:
        index = -1
        if url:
            index = next((i for i in range(self.where.count()) if self.where.itemData(i, URL_ROLE) == url), -1)
            if index < 0:
                index = self._add_url_item(url)
        elif profile:
            index = self.where.findText(profile)
            if index < 0:  # a stored session's profile that was renamed or deleted since
                self.where.insertItem(0, profile)
                index = 0
        if index >= 0:
            self.where.setCurrentIndex(index)
            self._last_where = index

    def add_base_url(self, url: str) -> None:
        self._select_where(None, url.strip())
        self.changed.emit()

    def _where_chosen(self, index: int) -> None:
        if self.where.itemText(index) != CUSTOM_URL:
            self._last_where = index
            self.changed.emit()
            return
        url, ok = QInputDialog.getText(self, "Custom base URL",
                                       "An OpenAI-compatible API, e.g. http://localhost:11434/v1 (Ollama).\n"
                                       "Its key, if it needs one, comes from the OPENAI_API_KEY environment variable.")
        if ok and url.strip().lower().startswith(("http://", "https://")):
            self.add_base_url(url)
        else:
            self.where.setCurrentIndex(self._last_where)

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        for i in range(self.where.count()):
            if url := self.where.itemData(i, URL_ROLE):
                self.where.setItemText(i, self._url_text(url))
