"""Creating, listing, finding, renaming and deleting dataset versions."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.versions.conftest import chat
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.core.versions import (
    VERSIONS,
    VersionError,
    create_version,
    current_digest,
    delete_version,
    get_version,
    list_versions,
    rename_version,
    set_note,
)

NOON = datetime(2026, 11, 22, 14, 5)


def _count(ws, table: str) -> int:
    return ws.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_version_holds_every_live_example_with_its_split_tags_and_text(ws):
    ws.delete_examples([3])
    version = create_version(ws, "Before cleanup", "first pass", now=NOON)
    assert (version.name, version.note, version.examples, version.jobs) == ("Before cleanup", "first pass", 9, ())
    assert version.digest == current_digest(ws)
    rows = {r[0]: r[1:] for r in ws.connection.execute(
        "SELECT example_id, position, split, content_hash, tags FROM version_examples WHERE version_id = ?",
        (version.id,))}
    assert 3 not in rows and len(rows) == 9
    record = ws.get(1)
    assert rows[1] == (record.position, "train", ws.connection.execute(
        "SELECT content_hash FROM examples WHERE id = 1").fetchone()[0], '["billing"]')
    assert rows[10][1] == "validation"
    # The texts are kept: editing the example later does not change what the version holds.
    ws.update_example(1, chat(1, "Edited later."))
    data = ws.connection.execute("SELECT data FROM version_blobs WHERE content_hash = ?", (rows[1][2],)).fetchone()[0]
    assert "ships today" in data


def test_unchanged_examples_share_their_texts_between_versions(ws):
    create_version(ws, "one")
    assert _count(ws, "version_blobs") == 10
    create_version(ws, "two")  # the same data again: new rows, no new texts
    assert _count(ws, "version_blobs") == 10 and _count(ws, "version_examples") == 20
    ws.update_example(2, chat(2, "A better answer."))
    ws.set_split([4], "validation")  # not a text change
    create_version(ws, "three")
    assert _count(ws, "version_blobs") == 11


def test_empty_name_gets_a_numbered_dated_default_and_names_are_unique(ws):
    first = create_version(ws, "", now=NOON)
    assert first.name == "Version 1 — 2026-11-22 14:05"
    assert create_version(ws, "  ", now=NOON).name == "Version 2 — 2026-11-22 14:05"
    rename_version(ws, first.id, "Version 3 — 2026-11-22 14:05")  # takes the next default's name
    assert create_version(ws, now=NOON).name == "Version 4 — 2026-11-22 14:05"
    with pytest.raises(VersionError, match="already exists"):
        create_version(ws, "Version 2 — 2026-11-22 14:05")
    with pytest.raises(VersionError, match="stands for the examples as they are now"):
        create_version(ws, "Current")
    with pytest.raises(VersionError, match="at most 120 characters"):
        create_version(ws, "x" * 121)
    assert len(list_versions(ws)) == 3  # the refused ones left nothing behind


def test_list_is_newest_first_and_versions_are_found_by_name_or_number(ws):
    a = create_version(ws, "alpha", now=NOON)
    b = create_version(ws, "beta")
    assert [v.name for v in list_versions(ws)] == ["beta", "alpha"]
    assert a.created_at == NOON.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # stored in UTC
    assert get_version(ws, "alpha") == a
    assert get_version(ws, b.id) == b and get_version(ws, f"#{b.id}") == b and get_version(ws, str(b.id)) == b
    named_like_a_number = create_version(ws, str(a.id))  # a name wins over a number
    assert get_version(ws, str(a.id)) == named_like_a_number
    with pytest.raises(VersionError) as info:
        get_version(ws, "gamma")
    assert "No version 'gamma'" in str(info.value) and "'alpha'" in str(info.value) and "'beta'" in str(info.value)


def test_unknown_version_in_a_workspace_without_versions_says_so(ws):
    with pytest.raises(VersionError, match="has no versions yet"):
        get_version(ws, 1)


def test_rename_and_note(ws):
    version = create_version(ws, "draft")
    create_version(ws, "other")
    renamed = rename_version(ws, "draft", "  Release   candidate ")
    assert renamed.name == "Release candidate" and renamed.digest == version.digest
    assert rename_version(ws, renamed.id, "Release candidate") == renamed  # no change, no error
    with pytest.raises(VersionError, match="already exists"):
        rename_version(ws, renamed.id, "other")
    with pytest.raises(VersionError, match="needs a name"):
        rename_version(ws, renamed.id, " ")
    assert set_note(ws, renamed.id, " for the March model ").note == "for the March model"


def test_delete_removes_the_version_and_only_the_texts_no_other_version_holds(ws):
    keep = create_version(ws, "keep")
    ws.update_example(5, chat(5, "Changed."))
    gone = create_version(ws, "gone")
    assert _count(ws, "version_blobs") == 11
    delete_version(ws, gone.name)
    assert [v.name for v in list_versions(ws)] == ["keep"]
    assert _count(ws, "version_blobs") == 10 and _count(ws, "version_examples") == keep.examples
    delete_version(ws, keep.id)
    assert _count(ws, "version_blobs") == 0 and _count(ws, "version_examples") == 0
    with pytest.raises(VersionError, match="No version"):
        delete_version(ws, keep.id)


def test_versions_are_not_part_of_the_undo_history(ws):
    ws.update_example(1, chat(1, "Edited."))
    create_version(ws, "v")
    assert ws.undo() == "Edit example"  # the edit, not the version
    assert [v.name for v in list_versions(ws)] == ["v"]


def test_subscribers_hear_about_created_renamed_and_deleted_versions(ws):
    heard = []
    ws.subscribe(heard.append)
    version = create_version(ws, "v")
    rename_version(ws, version.id, "w")
    delete_version(ws, version.id)
    assert [(e.kind, e.ids) for e in heard] == [(VERSIONS, (version.id,))] * 3


def test_a_version_survives_reopening(tmp_path):
    with Workspace.open(tmp_path / "w.ftw") as ws:
        ws.add_examples([NewExample(chat(i)) for i in range(3)], "Import")
        version = create_version(ws, "kept")
    with Workspace.open(tmp_path / "w.ftw") as again:
        assert get_version(again, "kept") == version
        assert current_digest(again) == version.digest


def test_a_50000_example_version_is_a_few_set_based_statements(tmp_path):
    """Behaviour, not timing: the copy is INSERT ... SELECT, not one statement per example."""
    with Workspace.open(tmp_path / "big.ftw") as ws:
        ws.add_examples([NewExample(chat(0))], "Seed")
        ws.connection.execute(
            "INSERT INTO examples (position, data, kind, split, content_hash) "
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
            "SELECT i, json_object('messages', json_array(json_object('role', 'user', 'content', 'q' || i))), "
            "'chat', CASE WHEN i % 10 = 0 THEN 'validation' ELSE 'train' END, printf('%032x', i) FROM n")
        ws.connection.execute("INSERT INTO tags (example_id, tag) SELECT id, 'bulk' FROM examples WHERE id % 7 = 0")
        statements = []
        ws.connection.set_trace_callback(statements.append)
        version = create_version(ws, "big")
        ws.connection.set_trace_callback(None)
        assert version.examples == 50_000
        assert len(statements) < 20, statements
        assert _count(ws, "version_blobs") == 50_000
        assert ws.connection.execute("SELECT count(*) FROM version_examples WHERE tags = '[\"bulk\"]'").fetchone()[0] \
            == 50_000 // 7
        assert version.digest == current_digest(ws)
