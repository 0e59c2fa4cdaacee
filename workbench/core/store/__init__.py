"""The workspace: one SQLite file per project (see workspace.py)."""

from workbench.core.store.workspace import (
    SPLITS,
    ChangeEvent,
    ExampleRecord,
    Workspace,
    WorkspaceError,
)

__all__ = ["SPLITS", "ChangeEvent", "ExampleRecord", "Workspace", "WorkspaceError"]
