"""The workspace a new user starts in: created on first start with the bundled sample data."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from workbench.core.importers.base import ImportReport
from workbench.core.importers.jsonl_source import JsonlOptions
from workbench.core.importers.jsonl_source import run as run_jsonl
from workbench.core.resources import resource_path
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample

APP_NAME = "FineTuneWorkbench"
SAMPLE_FILE = ("sample", "acme-support.jsonl")


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_workspace_path() -> Path:
    return data_dir() / "My first workspace.ftw"


def open_default_workspace(path: Path | None = None) -> Workspace:
    """Opens the default workspace, creating it with the sample conversations the first time."""
    path = path or default_workspace_path()
    fresh = not path.exists()
    ws = Workspace.open(path)
    if fresh and ws.count() == 0:
        add_sample_data(ws)
    return ws


def add_sample_data(ws: Workspace) -> list[int]:
    sample = resource_path(*SAMPLE_FILE)
    report = ImportReport()
    items = list(run_jsonl([sample], JsonlOptions(), report))
    ws.set_meta("created_with_sample", "1")
    return ws.add_examples(
        [NewExample(data=i.example, source={**i.source, "file": "sample: " + sample.name}, tags=["sample"]) for i in items],
        "Add sample conversations",
    )
