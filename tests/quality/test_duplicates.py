"""Exact and near duplicates: groups, keepers, and removing them as one undo step."""

import pytest

from tests.quality.helpers import add, convo, records, text
from workbench.core.quality import (
    DuplicateGroup,
    QualityCancelled,
    WorkspaceRecords,
    find_duplicates,
    find_exact_duplicates,
    find_near_duplicates,
    remove_duplicates,
)


def _data():
    q, a = text(1, 12), text(2, 50)
    edited = a.split()
    edited[5] = "different"
    return [
        convo(q, a),                                         # 1
        convo(q.upper(), a.replace(".", " !  ")),            # 2: same after normalising
        convo(text(3, 12), text(4, 50)),                     # 3: unrelated
        convo(q, " ".join(edited)),                          # 4: a word changed
        convo(q, a, system="Another system prompt."),        # 5: same but the system prompt
        convo(text(5, 12), text(6, 50)),                     # 6: unrelated
    ]


def test_exact_duplicates_ignore_case_spacing_and_punctuation():
    groups = find_exact_duplicates(records(_data()))
    assert [(g.keep, g.remove) for g in groups] == [(1, (2,))]
    assert groups[0].kind == "exact" and groups[0].similarity == {1: 1.0, 2: 1.0}
    assert groups[0].preview.startswith(text(1, 12)[:20])


def test_ignoring_the_system_prompt_makes_more_exact_duplicates():
    groups = find_exact_duplicates(records(_data()), ignore_system=True)
    assert [(g.keep, g.remove) for g in groups] == [(1, (2, 5))]


def test_near_duplicates_list_each_exact_class_once():
    report = find_duplicates(records(_data()), threshold=0.85)
    assert [(g.keep, g.remove) for g in report.exact] == [(1, (2,))]
    # 5 differs from 1 only by its system prompt; 4 by one word. 2 is 1's exact copy: not listed again.
    assert [(g.keep, g.remove) for g in report.near] == [(1, (4, 5))]
    near = report.near[0]
    assert near.similarity[1] == 1.0 and 0.85 <= near.similarity[4] < 1.0
    assert report.removal_ids() == [2, 4, 5]
    assert report.to_json()["to_remove"] == 3


def test_a_higher_threshold_and_exact_only_find_less():
    assert find_duplicates(records(_data()), threshold=0.99).near == [
        g for g in find_duplicates(records(_data()), threshold=0.99).near if 4 not in g.members]
    report = find_duplicates(records(_data()), exact_only=True)
    assert report.near == [] and report.threshold is None


def test_find_near_duplicates_alone_includes_exact_copies():
    groups = find_near_duplicates(records(_data()))
    assert [(g.keep, set(g.remove)) for g in groups] == [(1, {2, 4, 5})]


def test_keep_the_longest_and_choosing_another_keeper():
    short, longer = convo("Reset my password please", text(7, 40)), convo("Reset my password please", text(7, 40) + " Also")
    groups = find_near_duplicates(records([short, longer]), keep="longest")
    assert (groups[0].keep, groups[0].remove) == (2, (1,))
    swapped = groups[0].with_keeper(1)
    assert (swapped.keep, swapped.remove) == (1, (2,))
    with pytest.raises(ValueError):
        groups[0].with_keeper(99)
    with pytest.raises(ValueError):
        find_duplicates(records([short]), keep="newest")
    with pytest.raises(ValueError):
        find_duplicates(records([short]), threshold=1.5)


def test_progress_reaches_the_end_and_cancel_stops_the_scan():
    seen = []
    find_duplicates(records(_data()), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (6, 6) or seen[-1][0] == seen[-1][1]
    with pytest.raises(QualityCancelled):
        find_duplicates(records(_data()), cancel=lambda: True)


def test_removing_duplicates_is_one_undo_step(ws):
    ids = add(ws, _data())
    report = find_duplicates(WorkspaceRecords(ws))
    assert report.removal_ids() == [ids[1], ids[3], ids[4]]
    assert remove_duplicates(ws, report.groups) == 3
    assert ws.ids() == [ids[0], ids[2], ids[5]]
    assert ws.undo_label() == "Remove 3 duplicates"
    ws.undo()
    assert ws.ids() == ids
    ws.redo()
    assert ws.ids() == [ids[0], ids[2], ids[5]]
    assert find_duplicates(WorkspaceRecords(ws)).groups == []


def test_removing_by_ids_and_a_user_chosen_keeper(ws):
    ids = add(ws, _data())
    group = DuplicateGroup(kind="exact", keep=ids[0], remove=(ids[1],)).with_keeper(ids[1])
    assert remove_duplicates(ws, [group]) == 1
    assert ids[0] not in ws.ids() and ids[1] in ws.ids()
    assert remove_duplicates(ws, [ids[0]]) == 0  # already gone: no new undo step
    assert remove_duplicates(ws, [ids[2], ids[5]], label="Remove two") == 2
    assert ws.undo() == "Remove two"
    assert ws.undo_label() == "Remove 1 duplicate"


def test_find_near_duplicates_alone_lists_plain_exact_copies_too():
    data = [convo("Where is my parcel?", text(8, 30)), convo("where is my parcel", text(8, 30)), convo("Hi", text(9, 30))]
    assert [(g.keep, g.remove, g.kind) for g in find_near_duplicates(records(data))] == [(1, (2,), "near")]


def test_a_long_shared_system_prompt_does_not_make_conversations_alike():
    prompt = text(50, 300)
    data = [convo(text(60 + i, 8), text(70 + i, 12), system=prompt) for i in range(5)]
    assert find_duplicates(records(data)).groups == []
