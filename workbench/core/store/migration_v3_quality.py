"""Schema v3: data quality — named dataset versions (snapshots of the examples), the job each was
trained on, and the redaction audit log. Never edit once shipped; add a new migration instead."""

from __future__ import annotations

import sqlite3

from workbench.core.store.schema_script import run_script


def migrate(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        -- Example contents by hash, shared by every version that holds them: a version of 50k
        -- unchanged examples costs 50k small rows, not 50k copies of the text.
        -- A rowid table, not WITHOUT ROWID: rows this large would make its b-tree (which every
        -- version row's foreign key check searches) as big as the texts themselves.
        CREATE TABLE version_blobs (
            content_hash TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
        CREATE TABLE versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            note TEXT NOT NULL DEFAULT '',
            examples INTEGER NOT NULL DEFAULT 0,
            digest TEXT NOT NULL DEFAULT '',     -- hash over (example id, split, content hash, tags)
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE version_examples (
            version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
            example_id INTEGER NOT NULL,         -- the workspace example it was (ids are never reused)
            position REAL NOT NULL,
            split TEXT NOT NULL,
            content_hash TEXT NOT NULL REFERENCES version_blobs (content_hash),
            tags TEXT NOT NULL DEFAULT '[]',     -- JSON list
            PRIMARY KEY (version_id, example_id)
        ) WITHOUT ROWID;
        -- Deleting a version removes the texts no other version holds: without this index each removed
        -- text would be a full scan of version_examples (the lookup and its foreign key check).
        CREATE INDEX version_examples_hash ON version_examples (content_hash);
        -- The dataset version each job trained on (NULL for jobs submitted before versions existed).
        ALTER TABLE jobs ADD COLUMN version_id INTEGER REFERENCES versions (id);
        -- What redaction did, never the values it removed.
        CREATE TABLE redaction_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            label TEXT NOT NULL,                 -- the undo step's label
            edit_group INTEGER,                  -- edits.grp of that step (undo/redo reverts the text, not this log)
            examples INTEGER NOT NULL,           -- examples changed
            counts TEXT NOT NULL                 -- JSON {"EMAIL": 12, "PHONE": 3, ...}
        );
        """,
    )
