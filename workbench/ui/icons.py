"""Icons from resources/icons (SVG), loaded once per run."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from workbench.core.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def status_icons() -> dict:
    return {"ok": icon("status-ok"), "warning": icon("status-warning"), "error": icon("status-error"),
            None: icon("status-unchecked")}
