"""Workspace schema and its migrations. ``PRAGMA user_version`` holds the schema version.

Add a migration by appending a function; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from workbench.core.store import migration_v3_quality, migration_v4_playground
from workbench.core.store.schema_script import run_script


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


def _v2(db: sqlite3.Connection) -> None:
    """The jobs ledger: every fine-tuning job, its events, metrics and checkpoints, kept locally so
    the history survives restarts and outlives the provider's own records."""
    run_script(
        db,
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            profile TEXT,                        -- provider profile name (NULL: given on the command line)
            base_url TEXT,                       -- the API base URL the job was submitted to
            provider_job_id TEXT,                -- ftjob-...; NULL while the create request is in flight
            base_model TEXT NOT NULL,
            method TEXT NOT NULL DEFAULT 'supervised' CHECK (method IN ('supervised', 'dpo')),
            hyperparameters TEXT NOT NULL DEFAULT '{}',  -- JSON: as requested, then as resolved
            suffix TEXT,
            seed INTEGER,
            training_file TEXT,                  -- provider file ids
            validation_file TEXT,
            snapshot TEXT,                       -- hash of the exported train/validation contents
            submission_tag TEXT NOT NULL UNIQUE, -- also in the job's metadata: finds it after a lost reply
            status TEXT NOT NULL DEFAULT 'submitting',  -- submitting, not_created, or the provider's status
            paused INTEGER NOT NULL DEFAULT 0,
            fine_tuned_model TEXT,
            trained_tokens INTEGER,
            estimated_cost REAL,                 -- USD, at submission
            estimated_finish INTEGER,            -- unix seconds
            result_files TEXT NOT NULL DEFAULT '[]',
            results_imported INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,                     -- plain-language reason of a failure
            error_code TEXT,
            error_line INTEGER,                  -- training-file line named by a file error
            created_at INTEGER NOT NULL,         -- unix seconds (the provider's once known)
            finished_at INTEGER,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX jobs_status ON jobs (status);
        CREATE INDEX jobs_provider_id ON jobs (provider_job_id);
        CREATE TABLE job_events (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            provider_event_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            level TEXT NOT NULL DEFAULT 'info',
            message TEXT NOT NULL DEFAULT '',
            type TEXT NOT NULL DEFAULT 'message',
            data TEXT,                           -- JSON
            UNIQUE (job_id, provider_event_id)
        );
        CREATE INDEX job_events_order ON job_events (job_id, created_at, id);
        CREATE TABLE job_metrics (
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            source TEXT NOT NULL CHECK (source IN ('event', 'result_file')),
            step INTEGER NOT NULL,
            train_loss REAL,
            train_accuracy REAL,
            valid_loss REAL,
            valid_accuracy REAL,
            full_valid_loss REAL,
            full_valid_accuracy REAL,
            at INTEGER,                          -- unix seconds, when the provider reported it
            PRIMARY KEY (job_id, source, step)
        ) WITHOUT ROWID;
        CREATE TABLE job_checkpoints (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            provider_checkpoint_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            model TEXT NOT NULL,                 -- ft:...:ckpt-step-N, usable like a model
            created_at INTEGER NOT NULL,
            metrics TEXT,                        -- JSON
            UNIQUE (job_id, provider_checkpoint_id)
        );
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1,
    _v2,
    migration_v3_quality.migrate,
    migration_v4_playground.migrate,
]
LATEST = len(MIGRATIONS)
