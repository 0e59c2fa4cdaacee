"""Sessions (what each column's model sees), blind order and verdicts, tallies and the Wilson interval."""

from __future__ import annotations

import pytest

from workbench.core.playground.answer import DONE, FAILED, STOPPED, Answer, ChatTarget
from workbench.core.playground.blind import BOTH_BAD, TIE, PairOutcome, outcomes, shuffled_order, verdicts
from workbench.core.playground.session import ChatColumn, ChatSession
from workbench.core.playground.stats import percentile, wilson_interval
from workbench.core.playground.tally import WIN_RATE_RULE, head_to_head, tally


def _session(n=2, **kw):
    return ChatSession(columns=[ChatColumn(ChatTarget(f"model-{i}")) for i in range(n)], **kw)


def test_a_failed_turn_is_left_out_of_what_the_model_sees_and_a_stopped_one_is_kept():
    s = _session(system_prompt="Shared.")
    s.columns[1].system_prompt = ""  # an own, empty prompt: no system message for that column
    s.record("one", [Answer("A1"), Answer("partial", status=FAILED, error="x")])
    s.record("two", [Answer("A2", status=STOPPED), Answer("B2")])
    assert s.request_messages(0, "three") == [
        {"role": "system", "content": "Shared."},
        {"role": "user", "content": "one"}, {"role": "assistant", "content": "A1"},
        {"role": "user", "content": "two"}, {"role": "assistant", "content": "A2"},
        {"role": "user", "content": "three"}]
    assert s.request_messages(1, "three") == [
        {"role": "user", "content": "two"}, {"role": "assistant", "content": "B2"},
        {"role": "user", "content": "three"}]
    assert s.prompts() == ["one", "two"] and s.turn_count == 2


def test_an_answer_can_be_replaced_and_sessions_refuse_bad_shapes():
    s = _session()
    s.record("q", [Answer("a"), Answer("", status=FAILED, error="down")])
    s.replace_answer(1, 0, Answer("b"))
    assert s.answered(0) and s.conversation(1) == [{"role": "user", "content": "q"},
                                                  {"role": "assistant", "content": "b"}]
    with pytest.raises(ValueError):
        s.record("q", [Answer("only one")])
    with pytest.raises(ValueError):
        s.requests("   ")
    with pytest.raises(ValueError):
        _session(5)


def test_blind_order_is_fixed_per_turn_and_differs_between_turns():
    s = _session(3, seed=42)
    orders = [tuple(s.blind_order(t)) for t in range(30)]
    assert orders == [tuple(s.blind_order(t)) for t in range(30)]  # the same whenever shown again
    assert all(sorted(o) == [0, 1, 2] for o in orders)
    assert len(set(orders)) > 3  # shuffled from prompt to prompt
    assert [shuffled_order(3, 7, t) for t in range(30)] != [shuffled_order(3, 8, t) for t in range(30)]


def test_a_verdict_maps_back_to_the_real_columns():
    assert outcomes([1, 0], "A") == [PairOutcome(0, 1, "b")]  # A was column 1
    assert outcomes([1, 0], "B") == [PairOutcome(0, 1, "a")]
    assert outcomes([2, 0, 1], "C") == [PairOutcome(1, 2, "a"), PairOutcome(0, 1, "b")]
    assert outcomes([0, 1], TIE) == [PairOutcome(0, 1, TIE)]
    assert verdicts(2) == ("A", "B", TIE, BOTH_BAD)
    with pytest.raises(ValueError):
        outcomes([0, 1], "C")


def test_rating_turns_and_the_tally_count_ties_as_half_and_leave_both_bad_out():
    s = _session(seed=3)
    for t in range(6):
        s.record(f"q{t}", [Answer("x"), Answer("y")])
    # pick column 0 on turns 0-2, tie on 3, both bad on 4, column 1 on 5
    for t in range(6):
        order = s.blind_order(t)
        letter = "AB"[order.index(0)] if t < 3 else "AB"[order.index(1)]
        s.rate(t, {3: TIE, 4: BOTH_BAD}.get(t, letter))
    first, second = s.tally()
    assert (first.wins, first.losses, first.ties, first.both_bad) == (3, 1, 1, 1)
    assert (second.wins, second.losses, second.ties, second.both_bad) == (1, 3, 1, 1)
    assert first.win_rate == pytest.approx(3.5 / 5) and second.win_rate == pytest.approx(1.5 / 5)
    assert first.interval == wilson_interval(3.5, 5)
    assert all(words in WIN_RATE_RULE for words in ("half the ties", "'Both bad'", "left out", "Wilson"))
    with pytest.raises(ValueError):
        s.rate(0, "C")


def test_head_to_head_and_an_empty_tally():
    results = [PairOutcome(0, 1, "a"), PairOutcome(0, 2, "b"), PairOutcome(0, 1, TIE)]
    pairs = head_to_head(results)
    assert [(p.a, p.b, p.a_wins, p.b_wins, p.ties) for p in pairs] == [(0, 1, 1, 0, 1), (0, 2, 0, 1, 0)]
    assert pairs[0].a_rate == pytest.approx(0.75)
    (nobody,) = tally([], ["m"])
    assert nobody.win_rate is None and nobody.interval is None


@pytest.mark.parametrize(("wins", "n", "low", "high"), [
    (8, 10, 0.4902, 0.9433),   # textbook example (Wilson 1927; Newcombe 1998)
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (50, 100, 0.4038, 0.5962),
    (1, 2, 0.0945, 0.9055),
])
def test_wilson_interval_matches_published_values(wins, n, low, high):
    got = wilson_interval(wins, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_edges_and_percentiles():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    assert percentile([], 50) is None
    assert percentile([4.0], 95) == 4.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_statuses_are_checked():
    assert Answer("x").status == DONE
    with pytest.raises(ValueError):
        Answer("x", status="maybe")
