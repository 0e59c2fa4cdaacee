"""The rows that make up a dataset state — the live examples or a saved version — and its digest.

Both kinds of state are read as the same SQL shape, ``(example_id, position, split, content_hash,
tags)`` with tags as a sorted JSON list, so a version can be copied from, compared with and
recognised as the live examples with set-based SQL and one string comparison per example.
"""

from __future__ import annotations

import hashlib
import sqlite3

CURRENT = "current"  # the special state "the workspace as it is now"

# Each example's tags as a sorted JSON list. A plain GROUP BY aggregates in whatever order the plan
# reads rows; a window's ORDER BY is the one order SQLite guarantees (every row of an example's
# partition gets the whole list, hence the max()).
_TAGS = ("SELECT example_id, max(tags) AS tags FROM (SELECT example_id, json_group_array(tag) OVER (PARTITION BY "
         "example_id ORDER BY tag ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS tags FROM tags) "
         "GROUP BY example_id")

LIVE_ROWS = ("SELECT e.id AS example_id, e.position AS position, e.split AS split, e.content_hash AS content_hash, "
             f"coalesce(t.tags, '[]') AS tags FROM examples e LEFT JOIN ({_TAGS}) t ON t.example_id = e.id "
             "WHERE e.deleted = 0")

VERSION_ROWS = ("SELECT example_id, position, split, content_hash, tags FROM version_examples "
                "WHERE version_id = ?")


def rows_sql(version_id: int | None) -> tuple[str, tuple]:
    """(SQL, parameters) selecting a state's rows: a version's, or the live examples' for None."""
    return (LIVE_ROWS, ()) if version_id is None else (VERSION_ROWS, (version_id,))


def digest(db: sqlite3.Connection, version_id: int | None) -> str:
    """sha256 over the state's (example id, split, content hash, sorted tags), in example id order.

    Positions are left out on purpose: reordering examples does not change what a model trains on."""
    sql, args = rows_sql(version_id)
    h = hashlib.sha256()
    cursor = db.execute(f"SELECT example_id, split, content_hash, tags FROM ({sql}) ORDER BY example_id", args)
    while rows := cursor.fetchmany(5000):
        h.update("".join(f"{i}\t{s}\t{c}\t{t}\n" for i, s, c, t in rows).encode("utf-8", "surrogatepass"))
    return h.hexdigest()
