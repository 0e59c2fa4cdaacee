"""Named dataset versions: snapshots of a workspace's live examples, kept in the workspace file.

A version stores, per example, its id, position, split, tags and content hash; the example texts go
into ``version_blobs`` by content hash, so versions share every text they have in common. Creating
one is a handful of set-based statements in one transaction, whatever the number of examples.
Versions are not part of the examples' undo history. Changes are announced to the workspace's
subscribers as ``ChangeEvent(VERSIONS, (version id,))``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from workbench.core.store import Workspace
from workbench.core.versions.state import CURRENT, LIVE_ROWS, digest

VERSIONS = "versions"  # the ChangeEvent kind sent after a version is created, renamed or deleted
NAME_MAX = 120
AUTO_NOTE = "Made automatically when a fine-tuning job was submitted."
_SHOWN_NAMES = 10


class VersionError(Exception):
    """A version cannot be made, found or changed as asked; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class VersionInfo:
    id: int
    name: str
    note: str
    examples: int
    digest: str  # see state.digest: equal digests = the same examples, splits and tags
    created_at: str  # UTC, ISO 8601: "2026-11-22T14:05:00Z"
    jobs: tuple[str, ...] = ()  # the jobs trained on it: provider job id, or "local job N" until it has one


_SELECT = "SELECT id, name, note, examples, digest, created_at FROM versions"


def _jobs(ws: Workspace, version_id: int | None = None) -> dict[int, tuple[str, ...]]:
    """Version id -> names of the jobs trained on it, oldest first."""
    sql = ("SELECT version_id, coalesce(provider_job_id, 'local job ' || id) FROM jobs "
           "WHERE version_id " + ("IS NOT NULL" if version_id is None else "= ?") + " ORDER BY created_at, id")
    out: dict[int, list[str]] = {}
    for vid, name in ws.connection.execute(sql, () if version_id is None else (version_id,)):
        out.setdefault(vid, []).append(name)
    return {vid: tuple(names) for vid, names in out.items()}


def list_versions(ws: Workspace) -> list[VersionInfo]:
    """Every version, newest first."""
    jobs = _jobs(ws)
    return [VersionInfo(*r, jobs=jobs.get(r[0], ())) for r in ws.connection.execute(_SELECT + " ORDER BY id DESC")]


def get_version(ws: Workspace, ref: int | str | VersionInfo) -> VersionInfo:
    """A version by id, by exact name, or by "#id" / "id" text (a name wins over an id)."""
    db = ws.connection
    if isinstance(ref, VersionInfo):
        ref = ref.id
    row = None
    if isinstance(ref, str):
        row = db.execute(_SELECT + " WHERE name = ?", (" ".join(ref.split()),)).fetchone()  # stored that way
        digits = ref.strip().removeprefix("#")
        if row is None and digits.isdigit():
            ref = int(digits)
    if row is None and isinstance(ref, int):
        row = db.execute(_SELECT + " WHERE id = ?", (ref,)).fetchone()
    if row is None:
        raise VersionError(_unknown(ws, ref))
    return VersionInfo(*row, jobs=_jobs(ws, row[0]).get(row[0], ()))


def _unknown(ws: Workspace, ref: int | str) -> str:
    what = f"#{ref}" if isinstance(ref, int) else f"'{ref}'"
    names = [v.name for v in list_versions(ws)]
    if not names:
        return f"No version {what}: {ws.name} has no versions yet."
    shown = ", ".join(f"'{n}'" for n in names[:_SHOWN_NAMES])
    more = f" and {len(names) - _SHOWN_NAMES} more" if len(names) > _SHOWN_NAMES else ""
    return f"No version {what} in {ws.name}. Known versions: {shown}{more}."


def _check_name(db: sqlite3.Connection, name: str) -> str:
    name = " ".join(name.split())  # one line, no stray spaces: names are shown in lists and menus
    if not name:
        raise VersionError("A version needs a name.")
    if len(name) > NAME_MAX:
        raise VersionError(f"A version name may be at most {NAME_MAX} characters; this one has {len(name)}.")
    if name.lower() == CURRENT:
        raise VersionError(f"'{CURRENT}' stands for the examples as they are now; choose another name.")
    if db.execute("SELECT 1 FROM versions WHERE name = ?", (name,)).fetchone():
        raise VersionError(f"A version named '{name}' already exists; choose another name.")
    return name


def _free_name(db: sqlite3.Connection, stem: str) -> str:
    """``stem``, or ``stem (2)``, ``stem (3)``... whichever is not taken yet."""
    name, n = stem, 1
    while db.execute("SELECT 1 FROM versions WHERE name = ?", (name,)).fetchone():
        n += 1
        name = f"{stem} ({n})"
    return name


def _default_name(db: sqlite3.Connection, now: datetime) -> str:
    n = db.execute("SELECT count(*) FROM versions").fetchone()[0] + 1
    while True:  # "Version 3" can be taken by a renamed or earlier version: count on
        name = f"Version {n} — {now:%Y-%m-%d %H:%M}"
        if not db.execute("SELECT 1 FROM versions WHERE name = ?", (name,)).fetchone():
            return name
        n += 1


def create_version(ws: Workspace, name: str = "", note: str = "", *, now: datetime | None = None) -> VersionInfo:
    """Snapshot the live examples. An empty name gets "Version N — YYYY-MM-DD HH:MM" (local time)."""
    now = now or datetime.now()
    db = ws.connection
    with ws.transaction():
        name = _check_name(db, name) if name.strip() else _default_name(db, now)
        version_id = _insert(db, name, note, now)
    ws.notify(VERSIONS, [version_id])
    return get_version(ws, version_id)


def _insert(db: sqlite3.Connection, name: str, note: str, now: datetime) -> int:
    """The version's rows, copied set-wise from the live examples (inside the caller's transaction)."""
    created = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    version_id = db.execute("INSERT INTO versions (name, note, created_at) VALUES (?, ?, ?)",
                            (name, note.strip(), created)).lastrowid
    # Texts first (the rows reference them); a text any version already holds is not copied again.
    # The inner scan reads only the examples_hash index, so the big rows are read just for new texts.
    db.execute("INSERT OR IGNORE INTO version_blobs (content_hash, data) SELECT content_hash, data FROM examples "
               "WHERE deleted = 0 AND id IN (SELECT e.id FROM examples e WHERE NOT EXISTS "
               "(SELECT 1 FROM version_blobs b WHERE b.content_hash = e.content_hash))")
    count = db.execute("INSERT INTO version_examples (version_id, example_id, position, split, content_hash, tags) "
                       f"SELECT ?, example_id, position, split, content_hash, tags FROM ({LIVE_ROWS})",
                       (version_id,)).rowcount
    db.execute("UPDATE versions SET examples = ?, digest = ? WHERE id = ?",
               (count, digest(db, version_id), version_id))
    return version_id


def rename_version(ws: Workspace, ref: int | str | VersionInfo, name: str) -> VersionInfo:
    version = get_version(ws, ref)
    if " ".join(name.split()) == version.name:
        return version
    with ws.transaction():
        name = _check_name(ws.connection, name)
        ws.connection.execute("UPDATE versions SET name = ? WHERE id = ?", (name, version.id))
    ws.notify(VERSIONS, [version.id])
    return get_version(ws, version.id)


def set_note(ws: Workspace, ref: int | str | VersionInfo, note: str) -> VersionInfo:
    version = get_version(ws, ref)
    with ws.transaction():
        ws.connection.execute("UPDATE versions SET note = ? WHERE id = ?", (note.strip(), version.id))
    ws.notify(VERSIONS, [version.id])
    return get_version(ws, version.id)


def delete_version(ws: Workspace, ref: int | str | VersionInfo) -> None:
    """Deletes a version no job trained on, and the texts only it held."""
    version = get_version(ws, ref)
    if version.jobs:
        jobs = ", ".join(version.jobs[:3]) + (f" and {len(version.jobs) - 3} more" if len(version.jobs) > 3 else "")
        count = f"{len(version.jobs)} job{'s' if len(version.jobs) != 1 else ''}"
        raise VersionError(f"'{version.name}' cannot be deleted: {count} trained on it ({jobs}), and a job "
                           "always keeps the data it trained on.")
    db = ws.connection
    with ws.transaction():
        db.execute("DELETE FROM versions WHERE id = ?", (version.id,))  # its rows go with it (ON DELETE CASCADE)
        db.execute("DELETE FROM version_blobs WHERE NOT EXISTS "
                   "(SELECT 1 FROM version_examples ve WHERE ve.content_hash = version_blobs.content_hash)")
    ws.notify(VERSIONS, [version.id])


# --- versions for fine-tuning jobs ---------------------------------------------------------------------


def current_digest(ws: Workspace) -> str:
    """The digest of the live examples (compare with ``VersionInfo.digest``)."""
    return digest(ws.connection, None)


def matching_version(ws: Workspace, digest_: str | None = None) -> VersionInfo | None:
    """The newest version holding exactly the live examples (or the state with ``digest_``), if any."""
    digest_ = digest_ or current_digest(ws)
    row = ws.connection.execute("SELECT id FROM versions WHERE digest = ? ORDER BY id DESC LIMIT 1",
                                (digest_,)).fetchone()
    return get_version(ws, row[0]) if row else None


def version_for_export(ws: Workspace, name: str | None = None, *, expect_digest: str | None = None,
                       now: datetime | None = None) -> VersionInfo:
    """The version a job trains on: the newest one equal to the live examples, else a new one named
    ``name`` or "Job YYYY-MM-DD HH:MM".

    ``expect_digest``: the digest of the data that was exported; if the live examples no longer
    match it (someone edited meanwhile), VersionError — and no version is made."""
    now = now or datetime.now()
    db = ws.connection
    with ws.transaction():  # the check and the copy see the same examples
        live = current_digest(ws)
        if expect_digest is not None and live != expect_digest:
            raise VersionError("The examples changed while the job was being prepared; submit it again.")
        found = matching_version(ws, live)
        if found is not None:
            return found
        stem = " ".join((name or "").split())[:NAME_MAX - 5] or f"Job {now:%Y-%m-%d %H:%M}"
        version_id = _insert(db, _free_name(db, stem), AUTO_NOTE, now)
    ws.notify(VERSIONS, [version_id])
    return get_version(ws, version_id)


@contextlib.contextmanager
def consistent_read(ws: Workspace) -> Iterator[None]:
    """Every read inside sees the workspace as it was at the first one, whatever other connections
    write meanwhile (a WAL read transaction). Inside an open transaction it simply joins it."""
    db = ws.connection
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
