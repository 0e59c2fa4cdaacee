"""Differences between versions, and between a version and the workspace as it is now."""

from __future__ import annotations

import pytest

from tests.versions.conftest import chat
from workbench.core.store.workspace import NewExample
from workbench.core.versions import (
    CURRENT,
    VersionError,
    change_data,
    create_version,
    describe_content_change,
    diff_versions,
)


def _ids(changes) -> list[int]:
    return [c.example_id for c in changes]


def test_identical_states_have_no_differences(ws):
    create_version(ws, "a")
    create_version(ws, "b")
    diff = diff_versions(ws, "a", "b")
    assert diff.identical and diff.counts() == {"added": 0, "removed": 0, "changed": 0, "unchanged": 10}
    assert diff_versions(ws, "a").identical  # against the workspace now


def test_added_removed_and_changed_examples_with_what_changed(ws):
    create_version(ws, "before")
    ws.update_example(2, chat(2, "A better answer."))
    ws.set_split([3], "test")
    ws.add_tag([4], "refund")
    ws.remove_tag([1], "billing")
    ws.delete_examples([5, 6])
    new = ws.add_examples([NewExample(chat(100))], "Add")
    ws.set_split([7], "validation")
    ws.update_example(7, chat(7, "Edited too."))
    create_version(ws, "after")

    diff = diff_versions(ws, "before", "after")
    assert (diff.before, diff.after) == ("before", "after")
    assert _ids(diff.added) == new and _ids(diff.removed) == [5, 6]
    assert _ids(diff.changed) == [1, 2, 3, 4, 7]  # in display order
    by_id = {c.example_id: c for c in diff.changed}
    assert by_id[2].fields == ("content",) and by_id[2].summary() == "text changed"
    assert by_id[3].fields == ("split",) and by_id[3].summary() == "split train → test"
    assert by_id[4].fields == ("tags",) and by_id[4].summary() == "tags +refund"
    assert by_id[1].summary() == "tags −billing" and by_id[1].after.tags == ()
    assert by_id[7].fields == ("content", "split") and by_id[7].summary() == "split train → validation; text changed"
    assert diff.counts() == {"added": 1, "removed": 2, "changed": 5, "unchanged": 3}
    assert {c.kind for c in diff.added} == {"added"} and diff.added[0].summary() == "added (train)"
    assert diff.removed[0].kind == "removed" and diff.removed[0].after is None

    back = diff_versions(ws, "after", "before")  # the other way round
    assert _ids(back.added) == [5, 6] and _ids(back.removed) == new and _ids(back.changed) == [1, 2, 3, 4, 7]


def test_tag_order_does_not_count_as_a_change(ws):
    ws.add_tag([2], "zeta")
    ws.add_tag([2], "alpha")
    create_version(ws, "v")
    ws.remove_tag([2], "zeta")
    ws.add_tag([2], "zeta")  # same tags, added in another order
    assert diff_versions(ws, "v").identical


def test_a_change_made_and_undone_is_no_change(ws):
    create_version(ws, "v")
    ws.update_example(3, chat(3, "Oops."))
    ws.delete_examples([4])
    assert _ids(diff_versions(ws, "v").changed) == [3] and _ids(diff_versions(ws, "v").removed) == [4]
    ws.undo()
    ws.undo()
    assert diff_versions(ws, "v").identical


def test_deleted_then_restored_examples(ws):
    ws.delete_examples([9])
    create_version(ws, "without 9")
    ws.undo()  # 9 is back
    diff = diff_versions(ws, "without 9", CURRENT)
    assert _ids(diff.added) == [9] and diff.after == "current"
    assert diff_versions(ws, CURRENT, "without 9").removed[0].example_id == 9


def test_reordering_alone_is_no_change(ws):
    create_version(ws, "v")
    ws.update_fields({1: {"position": 99.5}}, "Move")
    assert diff_versions(ws, "v").identical


def test_both_texts_for_a_side_by_side_view(ws):
    create_version(ws, "v")
    original, removed = ws.get(2).data, ws.get(3).data
    ws.update_example(2, chat(1, "A better answer."))  # example 2 is chat(1)
    ws.delete_examples([3])
    diff = diff_versions(ws, "v")
    before, after = change_data(ws, diff.changed[0])
    assert before == original and after == chat(1, "A better answer.")
    assert change_data(ws, diff.removed[0]) == (removed, None)
    assert describe_content_change(before, after) == "message 2 (assistant) edited"


def test_describing_content_changes():
    three = {"messages": [*chat(1)["messages"], {"role": "user", "content": "Thanks!"}]}
    assert describe_content_change(chat(1), three) == "1 message added"
    assert describe_content_change(three, chat(2)) == "message 1 (user) edited; message 2 (assistant) edited; " \
                                                      "1 message removed"
    weighted = {"messages": [chat(1)["messages"][0], {**chat(1)["messages"][1], "weight": 0}]}
    assert describe_content_change(chat(1), weighted) == "message 2 (assistant) edited"
    assert describe_content_change({**chat(1), "tools": []}, chat(1)) == "other fields changed"


def test_unknown_versions_are_named_in_the_error(ws):
    create_version(ws, "v")
    with pytest.raises(VersionError, match="No version 'w'.*'v'"):
        diff_versions(ws, "w")
