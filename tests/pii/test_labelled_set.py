"""Precision and recall on the labelled set (tests/fixtures/pii/labelled.jsonl, see make_labelled.py)."""

from pathlib import Path

import pytest

from workbench.core.pii.evaluate import evaluate, format_table, load_labelled

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "pii" / "labelled.jsonl"


@pytest.fixture(scope="module")
def scores():
    return evaluate(load_labelled(LABELLED))


def test_the_set_is_big_and_varied_enough_to_mean_something():
    records = load_labelled(LABELLED)
    labelled = {}
    for r in records:
        for _s, _e, kind in r["spans"]:
            labelled[kind] = labelled.get(kind, 0) + 1
    assert len(records) >= 300
    assert labelled["email"] >= 100 and labelled["phone"] >= 100 and labelled["card"] >= 30
    assert sum(1 for r in records if not r["spans"]) >= 20  # messages with numbers but no personal data


@pytest.mark.parametrize("kind", ["email", "phone", "card"])
def test_recall_of_emails_phones_and_cards_is_at_least_99_percent(scores, kind):
    assert scores[kind].recall >= 0.99, format_table(scores)


@pytest.mark.parametrize("kind", ["email", "phone", "card", "iban", "ip", "url", "name"])
def test_precision_is_high(scores, kind):
    assert scores[kind].precision >= 0.95, format_table(scores)


@pytest.mark.parametrize("kind,recall", [("iban", 0.95), ("ip", 0.95), ("url", 0.95), ("name", 0.85)])
def test_recall_of_the_other_kinds(scores, kind, recall):
    # Names: a first name that is an everyday word ("Will", "Grace") only counts with the surname.
    assert scores[kind].recall >= recall, format_table(scores)
