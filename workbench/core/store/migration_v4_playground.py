"""Schema v4: the playground — chat transcripts, blind ratings and held-out evaluation runs.
Owned by the playground work; never edit once shipped.

No key is ever stored: a model is reached through a profile (by name) or a bare base URL.
"""

from __future__ import annotations

import sqlite3

from workbench.core.store.schema_script import run_script


def migrate(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE chat_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL DEFAULT '',
            system_prompt TEXT NOT NULL DEFAULT '',  -- shared by the columns that have none of their own
            settings TEXT NOT NULL DEFAULT '{}',     -- JSON: temperature, max_tokens
            blind INTEGER NOT NULL DEFAULT 0,
            seed INTEGER NOT NULL DEFAULT 0,         -- fixes the blind order of every turn
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE chat_columns (
            session_id INTEGER NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
            col INTEGER NOT NULL,                -- 0-based position
            model TEXT NOT NULL,
            profile TEXT,                        -- provider profile name, or
            base_url TEXT,                       -- a bare OpenAI-compatible base URL
            label TEXT NOT NULL DEFAULT '',
            system_prompt TEXT,                  -- NULL: the session's
            PRIMARY KEY (session_id, col)
        ) WITHOUT ROWID;
        CREATE TABLE chat_turns (
            session_id INTEGER NOT NULL,
            col INTEGER NOT NULL,
            turn INTEGER NOT NULL,
            user_text TEXT NOT NULL,
            answer TEXT NOT NULL DEFAULT '',     -- what arrived, also of a stopped or failed answer
            status TEXT NOT NULL CHECK (status IN ('done', 'stopped', 'failed')),
            error TEXT,                          -- plain-language reason of a failure
            error_kind TEXT,
            finish_reason TEXT,
            ttft REAL,                           -- seconds to the first token
            total_time REAL,                     -- seconds
            tokens_in INTEGER,
            tokens_out INTEGER,
            tokens_estimated INTEGER NOT NULL DEFAULT 0,  -- counted locally: the server sent no usage
            cost REAL,                           -- USD; NULL = unknown
            PRIMARY KEY (session_id, col, turn),
            FOREIGN KEY (session_id, col) REFERENCES chat_columns (session_id, col) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE TABLE chat_ratings (
            session_id INTEGER NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            shown_order TEXT NOT NULL,           -- JSON: the columns shown as A, B, ...
            verdict TEXT NOT NULL CHECK (verdict IN ('A', 'B', 'C', 'D', 'tie', 'both_bad')),
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (session_id, turn)
        ) WITHOUT ROWID;

        CREATE TABLE eval_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL DEFAULT '',
            selection TEXT NOT NULL DEFAULT '{}',  -- JSON: split / ids / limit the items came from
            settings TEXT NOT NULL DEFAULT '{}',   -- JSON: temperature, max_tokens
            concurrency INTEGER NOT NULL DEFAULT 4,
            seed INTEGER NOT NULL,                 -- fixes the blind pairings
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'running', 'cancelled', 'finished')),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE eval_models (
            run_id INTEGER NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
            model_index INTEGER NOT NULL,
            model TEXT NOT NULL,
            profile TEXT,
            base_url TEXT,
            label TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (run_id, model_index)
        ) WITHOUT ROWID;
        CREATE TABLE eval_items (
            run_id INTEGER NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            example_id INTEGER,                  -- the workspace example (ids are never reused)
            prompt TEXT NOT NULL,                -- JSON messages, as sent
            reference TEXT,                      -- the example's own answer
            PRIMARY KEY (run_id, item)
        ) WITHOUT ROWID;
        CREATE TABLE eval_answers (
            run_id INTEGER NOT NULL,
            item INTEGER NOT NULL,
            model_index INTEGER NOT NULL,
            answer TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('done', 'stopped', 'failed')),
            error TEXT,
            error_kind TEXT,
            finish_reason TEXT,
            ttft REAL,
            total_time REAL,
            tokens_in INTEGER,
            tokens_out INTEGER,
            tokens_estimated INTEGER NOT NULL DEFAULT 0,
            cost REAL,
            attempts INTEGER NOT NULL DEFAULT 1,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (run_id, item, model_index),
            FOREIGN KEY (run_id, item) REFERENCES eval_items (run_id, item) ON DELETE CASCADE,
            FOREIGN KEY (run_id, model_index) REFERENCES eval_models (run_id, model_index) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE TABLE eval_ratings (
            run_id INTEGER NOT NULL,
            item INTEGER NOT NULL,
            first_model INTEGER NOT NULL,        -- shown as A
            second_model INTEGER NOT NULL,       -- shown as B
            verdict TEXT NOT NULL CHECK (verdict IN ('A', 'B', 'tie', 'both_bad')),
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            CHECK (first_model <> second_model),
            FOREIGN KEY (run_id, item) REFERENCES eval_items (run_id, item) ON DELETE CASCADE
        );
        -- One verdict per pair of models per item, whichever way round they were shown.
        CREATE UNIQUE INDEX eval_ratings_pair
            ON eval_ratings (run_id, item, min(first_model, second_model), max(first_model, second_model));
        """,
    )
