"""Schema v4: the playground — chat transcripts, blind ratings and held-out evaluation runs.
Owned by the playground work; never edit once shipped."""

from __future__ import annotations

import sqlite3

from workbench.core.store.schema_script import run_script


def migrate(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        SELECT 1;
        """,
    )
