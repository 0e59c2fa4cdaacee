"""Workspace schema and its migrations. ``PRAGMA user_version`` holds the schema version.

Add a migration by appending a function; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Like executescript, but inside the caller's transaction (executescript commits first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def _v1(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE examples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- ids are never reused, so history stays unambiguous
            position REAL NOT NULL,              -- display order; REAL so inserts need no renumbering
            data TEXT NOT NULL,                  -- the example JSON exactly as it will be exported
            kind TEXT NOT NULL,
            split TEXT NOT NULL DEFAULT 'train'
                CHECK (split IN ('train', 'validation', 'test', 'excluded')),
            source TEXT,                         -- provenance JSON: file, ticket id, comment ids, row
            content_hash TEXT NOT NULL,
            first_user TEXT NOT NULL DEFAULT '', -- summary columns let the table read one page at a time
            last_assistant TEXT NOT NULL DEFAULT '',
            turns INTEGER NOT NULL DEFAULT 0,
            search_text TEXT NOT NULL DEFAULT '',  -- lower-cased message texts, for the text filter
            deleted INTEGER NOT NULL DEFAULT 0,  -- soft delete: undo of a delete is a flag flip
            -- validation cache (derived, not part of the edit history)
            status TEXT,                         -- ok / warning / error, NULL = not checked yet
            issues TEXT,                         -- JSON list of issues
            tokens INTEGER,
            tokens_encoding TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX examples_live_order ON examples (deleted, position);
        CREATE INDEX examples_hash ON examples (content_hash);
        CREATE TABLE tags (
            example_id INTEGER NOT NULL REFERENCES examples (id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (example_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX tags_by_tag ON tags (tag);
        CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            grp INTEGER NOT NULL,                -- one user action = one group = one undo step
            label TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('insert', 'delete', 'update')),
            example_id INTEGER NOT NULL,
            before TEXT,                         -- update: JSON of the changed fields before
            after TEXT,                          -- update: JSON of the changed fields after
            undone INTEGER NOT NULL DEFAULT 0,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX edits_grp ON edits (grp, op);
        CREATE INDEX edits_undone ON edits (undone, grp);
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1]
LATEST = len(MIGRATIONS)
