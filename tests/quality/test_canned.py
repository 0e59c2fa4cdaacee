"""Canned answers: one reply to many different questions is flagged, with counts and ids."""

import pytest

from tests.quality.helpers import convo, records, text
from workbench.core.quality import QualityCancelled, find_canned_answers

MACRO = "Please reset your password with the link on the sign-in page, then sign in again. " + text(11, 20)


def test_a_reply_given_to_many_different_questions_is_flagged():
    data = [convo(text(100 + i, 10), MACRO) for i in range(6)] + [convo(text(200 + i, 10), text(300 + i, 30)) for i in range(20)]
    found = find_canned_answers(records(data), min_uses=5)
    assert len(found) == 1
    canned = found[0]
    assert (canned.uses, canned.questions, canned.wordings) == (6, 6, 1)
    assert canned.example_ids == (1, 2, 3, 4, 5, 6)
    assert canned.reply.startswith("Please reset your password")
    assert canned.to_json()["example_ids"] == [1, 2, 3, 4, 5, 6]


def test_fewer_distinct_questions_than_min_uses_is_not_flagged():
    same_question = [convo("How do I reset my password?", MACRO) for _ in range(8)]  # duplicates, not a macro
    few = [convo(text(100 + i, 10), MACRO) for i in range(4)]
    assert find_canned_answers(records(same_question + few), min_uses=6) == []  # 12 uses, 5 questions
    assert len(find_canned_answers(records(few), min_uses=4)) == 1
    with pytest.raises(ValueError):
        find_canned_answers(records(few), min_uses=1)


def test_filled_in_templates_and_small_edits_are_one_cluster():
    data = [convo(text(100 + i, 10), f"Hi {name}, your order {1000 + i} has shipped. " + text(12, 25))
            for i, name in enumerate(["Anna", "Tom", "Priya", "Omar", "Chloe"])]
    found = find_canned_answers(records(data), min_uses=5)
    assert len(found) == 1 and found[0].questions == 5 and found[0].wordings == 5
    assert find_canned_answers(records(data), min_uses=5, threshold=None) == []  # word for word only


def test_short_acknowledgements_are_not_canned_answers_and_cancel_works():
    data = [convo(text(100 + i, 10), "Thank you!") for i in range(10)]
    assert find_canned_answers(records(data)) == []
    with pytest.raises(QualityCancelled):
        find_canned_answers(records(data), cancel=lambda: True)
