"""Run a multi-statement SQL script inside the caller's transaction."""

from __future__ import annotations

import sqlite3


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Like executescript, but inside the caller's transaction (executescript commits first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
