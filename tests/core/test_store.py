"""The workspace: one SQLite file with an edit log, undo/redo, batches, soft delete and change events."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3

import pytest

from tests.core.builders import chat, dpo, key_orders, legacy, tool_chat
from workbench.core import formats
from workbench.core.store import workspace as ws_mod
from workbench.core.store.schema import LATEST
from workbench.core.store.workspace import ChangeEvent, NewExample, Workspace, WorkspaceError


@pytest.fixture
def ws(tmp_path):
    w = Workspace.open(tmp_path / "project.ftw")
    yield w
    w.close()


def _raw(path):
    """A plain sqlite3 connection for looking at the file from outside (closed by the caller)."""
    return contextlib.closing(sqlite3.connect(path))


def _new(*objs, **kw):
    return [NewExample(o, **kw) for o in objs]


def _contents(w: Workspace, i: int) -> str:
    return w.get(i).data["messages"][1]["content"]


# --- the file -----------------------------------------------------------------------------------------


def test_new_workspace_is_wal_with_schema_version(tmp_path):
    path = tmp_path / "p.ftw"
    with Workspace.open(path) as w:
        assert w.schema_version == LATEST
        assert w.name == "p"
        w.add_examples(_new(chat(1)))
    with _raw(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reopening_keeps_everything(tmp_path):
    path = tmp_path / "p.ftw"
    with Workspace.open(path) as w:
        (i,) = w.add_examples(_new(chat(1), source={"file": "tickets.csv", "row": 4}, tags=["billing"], split="validation"))
        w.set_meta("system_prompt", "Be kind.")
    with Workspace.open(path, create=False) as w:
        rec = w.get(i)
        assert rec.data == chat(1)
        assert rec.source == {"file": "tickets.csv", "row": 4}
        assert rec.tags == ["billing"] and rec.split == "validation"
        assert w.get_meta("system_prompt") == "Be kind."
        assert w.get_meta("missing", "default") == "default"
        assert w.undo_label() == "Add examples"  # the edit log is in the file too


def test_foreign_keys_are_on_tags_go_with_their_example(tmp_path):
    path = tmp_path / "p.ftw"
    with Workspace.open(path) as w:
        w.add_examples(_new(chat(1), tags=["a", "b"]))
        w.undo()  # the example is hidden, its add can be redone
        (new,) = w.add_examples(_new(chat(2)))  # a new action: the undone add is gone for good
        assert w.redo() is None
        assert w.ids() == [new]
        assert w.tags_of([new]) == {new: []}  # nothing inherited from the dropped example
        assert w.all_tags() == []
    with _raw(path) as db:
        assert db.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM examples").fetchone()[0] == 1


def test_a_workspace_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.ftw"
    Workspace.open(path).close()
    with _raw(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 1}")
        db.commit()
    with pytest.raises(WorkspaceError, match="newer version.*Update"):
        Workspace.open(path)


def test_a_sqlite_file_that_is_not_a_workspace_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with _raw(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        db.commit()
    with pytest.raises(WorkspaceError, match="not a Fine-Tune Workbench workspace"):
        Workspace.open(path)
    with _raw(path) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_refusing_a_foreign_sqlite_file_leaves_it_unchanged(tmp_path):
    """Opening someone else's database by mistake must not switch it to WAL mode (that changes the file)."""
    path = tmp_path / "other.sqlite"
    with _raw(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
        db.commit()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    before = path.read_bytes()
    with pytest.raises(WorkspaceError):
        Workspace.open(path)
    assert path.read_bytes() == before
    with _raw(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_versioned_sqlite_file_without_our_tables_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with _raw(path) as db:
        db.execute("PRAGMA user_version = 1")
        db.commit()
        db.execute("CREATE TABLE t (x)")
        db.commit()
    with pytest.raises(WorkspaceError, match="not a Fine-Tune Workbench workspace"):
        Workspace.open(path)


def test_a_random_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.ftw"
    path.write_bytes(os.urandom(1024) + b"\x00" * 3072)
    with pytest.raises(WorkspaceError, match="not a Fine-Tune Workbench workspace"):
        Workspace.open(path)


def test_refusing_a_file_closes_the_connection(tmp_path, monkeypatch):
    """A refused file must not stay open (on Windows it could then not be moved or deleted)."""
    opened = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        opened.append(con)
        return con

    monkeypatch.setattr(ws_mod.sqlite3, "connect", connect)
    binary = tmp_path / "photo.ftw"
    binary.write_bytes(os.urandom(4096))
    newer = tmp_path / "newer.ftw"
    with _raw(newer) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 5}")
        db.commit()
    for path in (binary, newer):
        with pytest.raises(WorkspaceError):
            Workspace.open(path)
    assert len(opened) >= 2
    for con in opened:
        with pytest.raises(sqlite3.ProgrammingError):
            con.execute("SELECT 1")


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="folder"):
        Workspace.open(tmp_path)
    missing = tmp_path / "missing.ftw"
    with pytest.raises(WorkspaceError, match="does not exist"):
        Workspace.open(missing, create=False)
    assert not missing.exists()


# --- examples ---------------------------------------------------------------------------------------


def test_examples_are_stored_exactly_as_they_will_be_exported(ws):
    objs = [tool_chat(), dpo(1), legacy(2), {"parallel_tool_calls": True, "messages": [
        {"content": "Grüße 👋", "role": "user"}, {"weight": 1, "content": "Hallo", "role": "assistant"}],
        "customer_tier": "gold"}]
    ids = ws.add_examples(_new(*objs))
    for i, obj in zip(ids, objs, strict=True):
        data = ws.get(i).data
        assert data == obj and key_orders(data) == key_orders(obj)
    exported = [formats.dumps(r.data) for r in ws.iter_records()]
    assert exported == [formats.dumps(o) for o in objs]
    assert [r.kind for r in ws.iter_records()] == ["chat", "dpo", "legacy", "chat"]


def test_provenance_tags_and_splits(ws):
    a, b, c = ws.add_examples([
        NewExample(chat(1), source={"file": "export.json", "ticket_id": 981, "comment_ids": [1, 2]}, tags=["refund"]),
        NewExample(chat(2), split="validation"),
        NewExample(chat(3), split="test", tags=["refund", "vip"]),
    ])
    assert ws.get(a).source == {"file": "export.json", "ticket_id": 981, "comment_ids": [1, 2]}
    assert ws.get(b).source is None
    assert ws.count() == 3 and ws.count("validation") == 1 and ws.count("test") == 1
    assert ws.ids(split="train") == [a]
    assert ws.ids(tag="refund") == [a, c]
    assert ws.all_tags() == ["refund", "vip"]
    ws.set_split([a], "excluded")
    assert ws.get(a).split == "excluded"
    assert ws.count("train") == 0
    with pytest.raises(ValueError, match="split"):
        ws.set_split([a], "holdout")
    ws.add_tag([a, b], "checked")
    ws.remove_tag([c], "vip")
    assert ws.tags_of([a, b, c]) == {a: ["checked", "refund"], b: ["checked"], c: ["refund"]}


def test_reading_filters_and_summaries(ws):
    a, b = ws.add_examples(_new(chat(1), {"messages": [{"role": "user", "content": "Invoice missing"},
                                                      {"role": "assistant", "content": "Sent again."}]}))
    assert ws.ids(text="INVOICE") == [b]
    summary = ws.summaries([a, b])
    assert summary[b][:3] == ("Invoice missing", "Sent again.", 2)
    assert summary[a][5] is None  # not validated yet
    ws.store_facts([(a, "ok", [], 30, "o200k_base"), (b, "error", [{"code": "x"}], 12, "o200k_base")])
    assert ws.ids(status="error") == [b]
    assert ws.get(b).issues == [{"code": "x"}] and ws.get(b).tokens == 12
    assert ws.ids(order_by="tokens") == [b, a]
    assert ws.unchecked_ids() == []
    ws.update_example(a, chat(9))  # an edit invalidates the cached validation
    assert ws.unchecked_ids() == [a]
    assert ws.get(a).tokens is None


def test_a_bad_item_rolls_back_the_whole_add(ws):
    with pytest.raises(ValueError, match="split"):
        ws.add_examples([NewExample(chat(1)), NewExample(chat(2), split="holdout")])
    assert ws.count() == 0
    assert ws.undo_label() is None


def test_every_edit_is_one_transaction(ws):
    statements = []
    ws._db.set_trace_callback(statements.append)
    ws.add_examples(_new(*[chat(i) for i in range(5)]))
    assert [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT", "ROLLBACK")] == ["BEGIN IMMEDIATE", "COMMIT"]
    statements.clear()
    with ws.batch("Tidy up"):
        ws.set_split(ws.ids()[:2], "validation")
        ws.add_tag(ws.ids(), "tidy")
        ws.delete_examples(ws.ids()[-1:])
    assert [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT", "ROLLBACK")] == ["BEGIN IMMEDIATE", "COMMIT"]
    ws._db.set_trace_callback(None)


# --- undo / redo ------------------------------------------------------------------------------------


def test_a_single_edit_is_one_undo_step(ws):
    (i,) = ws.add_examples(_new(chat(1)))
    ws.update_example(i, chat(2), label="Fix answer")
    assert ws.undo_label() == "Fix answer"
    assert ws.undo() == "Fix answer"
    assert ws.get(i).data == chat(1)
    assert ws.redo_label() == "Fix answer"
    assert ws.redo() == "Fix answer"
    assert ws.get(i).data == chat(2)
    assert ws.redo() is None


def test_a_batch_is_one_undo_step(ws):
    ids = ws.add_examples(_new(*[chat(i) for i in range(4)]))
    with ws.batch("Clean-up"):
        ws.update_example(ids[0], chat(100))
        ws.set_split(ids[1:3], "validation")
        ws.add_tag(ids, "reviewed")
        ws.delete_examples([ids[3]])
        ws.add_examples(_new(chat(50)))
    assert ws.count() == 4
    assert ws.undo() == "Clean-up"
    assert ws.count() == 4 and ids[3] in ws.ids()
    assert ws.get(ids[0]).data == chat(0)
    assert [ws.get(i).split for i in ids] == ["train"] * 4
    assert ws.all_tags() == []
    assert ws.ids() == ids
    assert ws.undo_label() == "Add examples"
    assert ws.redo() == "Clean-up"
    assert ws.get(ids[0]).data == chat(100)
    assert ws.count("validation") == 2 and ids[3] not in ws.ids()
    assert ws.tags_of(ids[:1]) == {ids[0]: ["reviewed"]}


def test_undo_of_an_import_hides_it_and_redo_brings_back_the_same_ids(ws):
    (keep,) = ws.add_examples(_new(chat(0)))
    imported = ws.add_examples(_new(*[chat(i) for i in range(1, 6)], source={"file": "t.csv"}), label="Import t.csv")
    assert ws.undo() == "Import t.csv"
    assert ws.ids() == [keep] and ws.count() == 1
    assert ws.redo() == "Import t.csv"
    assert ws.ids() == [keep, *imported]
    assert [ws.get(i).data for i in imported] == [chat(i) for i in range(1, 6)]


def test_a_new_edit_after_undo_drops_the_redo_tail(ws):
    (i,) = ws.add_examples(_new(chat(1)))
    ws.update_example(i, chat(2), label="first")
    ws.update_example(i, chat(3), label="second")
    ws.undo()
    ws.undo()
    assert ws.redo_label() == "first"
    ws.update_example(i, chat(4), label="third")
    assert ws.redo_label() is None and ws.redo() is None
    assert ws.undo() == "third"
    assert ws.get(i).data == chat(1)
    assert ws.undo() == "Add examples"
    assert ws.undo() is None


def test_a_change_that_changes_nothing_keeps_the_redo_tail(ws):
    (a,) = ws.add_examples(_new(chat(1)))
    imported = ws.add_examples(_new(chat(2), chat(3)), label="Import")
    ws.undo()
    ws.set_split([a], "train")  # already train: nothing is edited
    ws.update_example(a, chat(1))  # same data: nothing is edited
    assert ws.redo_label() == "Import"
    assert ws.redo() == "Import"
    assert ws.ids() == [a, *imported]


def test_deleting_an_already_deleted_example_is_not_an_undo_step_that_restores_it(ws):
    a, b = ws.add_examples(_new(chat(1), chat(2)))
    ws.delete_examples([a], label="Delete first")
    ws.delete_examples([a], label="Delete again")  # e.g. from a stale selection: deletes nothing
    label = ws.undo()
    if label == "Delete again":  # if it is an undo step at all, undoing it must not bring `a` back
        assert a not in ws.ids()  # "Delete first" is still in effect
        label = ws.undo()
    assert label == "Delete first"
    assert ws.ids() == [a, b]


def test_soft_delete_and_its_undo(ws):
    a, b = ws.add_examples(_new(chat(1), chat(2)))
    ws.delete_examples([a])
    assert ws.ids() == [b] and ws.count() == 1
    assert ws.undo() == "Delete examples"
    assert ws.ids() == [a, b]
    assert ws.get(a).data == chat(1)


def test_undo_survives_reopening(tmp_path):
    path = tmp_path / "p.ftw"
    with Workspace.open(path) as w:
        (i,) = w.add_examples(_new(chat(1)))
        w.update_example(i, chat(2), label="Edit")
    with Workspace.open(path) as w:
        assert w.undo() == "Edit"
        assert w.get(i).data == chat(1)


def test_a_failed_batch_changes_nothing(ws):
    (i,) = ws.add_examples(_new(chat(1)))
    events = []
    ws.subscribe(events.append)
    with pytest.raises(RuntimeError), ws.batch("Doomed"):
        ws.update_example(i, chat(2))
        ws.add_examples(_new(chat(3)))
        raise RuntimeError("cancelled")
    assert ws.get(i).data == chat(1) and ws.count() == 1
    assert ws.undo_label() == "Add examples"
    assert events == []
    ws.update_example(i, chat(4), label="after")  # the workspace still works
    assert ws.undo() == "after"


# --- change events ----------------------------------------------------------------------------------


def test_change_events(ws):
    events = []
    unsubscribe = ws.subscribe(events.append)
    a, b = ws.add_examples(_new(chat(1), chat(2)))
    ws.update_example(a, chat(3))
    ws.delete_examples([b])
    assert events == [ChangeEvent("inserted", (a, b)), ChangeEvent("updated", (a,)), ChangeEvent("removed", (b,))]
    events.clear()
    ws.undo()  # the delete
    ws.undo()  # the update
    ws.undo()  # the add
    assert events == [ChangeEvent("inserted", (b,)), ChangeEvent("updated", (a,)), ChangeEvent("removed", (b, a))]
    events.clear()
    unsubscribe()
    ws.redo()
    assert events == []


def test_a_batch_notifies_once_at_the_end(ws):
    ids = ws.add_examples(_new(*[chat(i) for i in range(5)]))
    events = []
    ws.subscribe(events.append)
    with ws.batch("Rewrite all"):
        for n, i in enumerate(ids):
            ws.update_example(i, chat(100 + n))
        assert events == []  # nothing is announced before the batch is committed
    assert len(events) == 1
    assert sorted(events[0].ids) == sorted(ids)


# --- laziness ---------------------------------------------------------------------------------------


def test_opening_a_large_workspace_reads_no_examples(tmp_path, monkeypatch):
    path = tmp_path / "big.ftw"
    n = 50_000
    with Workspace.open(path) as w, w.batch("Import"):
        w.add_examples(NewExample({"messages": [{"role": "user", "content": f"q{i}"},
                                                {"role": "assistant", "content": f"a{i}"}]}, source={"row": i})
                       for i in range(n))

    calls = []
    real_loads = json.loads

    def counting_loads(*args, **kwargs):
        calls.append(1)
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(ws_mod.json, "loads", counting_loads)
    with Workspace.open(path) as w:
        assert w.count() == n
        ids = w.ids()
        assert len(ids) == n
        page = w.summaries(ids[:50])
        assert page[ids[0]][:3] == ("q0", "a0", 2)
        assert calls == []
        assert w.get(ids[-1]).data["messages"][0]["content"] == f"q{n - 1}"  # reading one example parses one
        assert 1 <= len(calls) <= 3
