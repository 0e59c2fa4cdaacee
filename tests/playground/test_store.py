"""Sessions, blind verdicts and evaluation runs saved in the workspace and read back."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.core.playground.answer import FAILED, STOPPED, Answer, ChatSettings, ChatTarget
from workbench.core.playground.eval_store import EvalStore
from workbench.core.playground.evaluation import EvalItem, EvalPlan, EvalRating, Selection
from workbench.core.playground.session import ChatColumn, ChatSession
from workbench.core.playground.store import PlaygroundStore
from workbench.core.store import Workspace
from workbench.core.store.schema import LATEST

V4_TABLES = {"chat_sessions", "chat_columns", "chat_turns", "chat_ratings", "eval_runs", "eval_models",
             "eval_items", "eval_answers", "eval_ratings"}


def _session():
    session = ChatSession(
        columns=[ChatColumn(ChatTarget("gpt-4o-mini", profile="OpenAI", label="Base")),
                 ChatColumn(ChatTarget("llama3", base_url="http://localhost:11434/v1"), system_prompt="Local.")],
        system_prompt="Be kind.", settings=ChatSettings(temperature=0.7, max_tokens=200), title="Demo",
        blind=True, seed=99)
    session.record("Hi", [Answer("Hello!", ttft=0.12, total_time=0.9, tokens_in=9, tokens_out=3, cost=0.0000031,
                                 finish_reason="stop"),
                          Answer("Hel", status=FAILED, error="It broke off.", error_kind="connection", ttft=0.3,
                                 total_time=0.4, tokens_in=9, tokens_out=1, estimated=True)])
    session.record("More?", [Answer("Sure.", status=STOPPED, total_time=0.2), Answer("Yes.")])
    session.rate(1, "A")
    return session


def test_the_migration_creates_the_playground_tables(ws):
    assert ws.schema_version == LATEST == 4
    names = {r[0] for r in ws.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names >= V4_TABLES


def test_a_session_round_trips_with_every_answer_detail(ws):
    store = PlaygroundStore(ws)
    session = _session()
    session_id = store.save_session(session)
    assert session.id == session_id
    loaded = store.load_session(session_id)
    assert loaded == session
    assert loaded.columns[1].turns[0].answer.estimated and loaded.columns[1].turns[0].answer.error_kind == "connection"
    assert loaded.columns[0].turns[0].answer.cost == pytest.approx(0.0000031)
    assert loaded.ratings[1].order == tuple(session.blind_order(1))


def test_saving_again_replaces_the_stored_session_and_listing_shows_it(ws):
    store = PlaygroundStore(ws)
    session = _session()
    store.save_session(session)
    session.record("Third", [Answer("a"), Answer("b")])
    session.ratings.clear()
    store.save_session(session)
    assert store.load_session(session.id) == session
    (summary,) = store.sessions()
    assert (summary.id, summary.title, summary.models, summary.turns, summary.blind) == (
        session.id, "Demo", ("Base", "llama3"), 3, True)
    store.delete_session(session.id)
    assert store.sessions() == []
    assert ws.connection.execute("SELECT count(*) FROM chat_turns").fetchone()[0] == 0  # cascaded
    with pytest.raises(KeyError):
        store.load_session(session.id)


def test_sessions_survive_reopening_the_workspace(tmp_path):
    path = tmp_path / "reopen.ftw"
    with Workspace.open(path) as ws:
        session_id = PlaygroundStore(ws).save_session(_session())
    with Workspace.open(path) as ws:
        assert PlaygroundStore(ws).load_session(session_id).columns[0].turns[0].answer.text == "Hello!"


def _plan():
    items = [EvalItem(i, ({"role": "user", "content": f"q{i}"},), f"r{i}", 10 + i) for i in range(3)]
    return EvalPlan(targets=[ChatTarget("gpt-4o-mini", profile="OpenAI"), ChatTarget("m2", base_url="http://x/v1"),
                             ChatTarget("m3", label="Three")],
                    items=items, settings=ChatSettings(max_tokens=50), seed=5, name="Run 1",
                    selection=Selection(split="test", limit=3), concurrency=2)


def test_an_evaluation_run_round_trips_with_answers_and_verdicts(ws):
    store = EvalStore(ws)
    plan = _plan()
    run_id = store.create_run(plan)
    loaded = store.load_run(run_id)
    assert loaded == plan and loaded.created_at
    store.save_answer(run_id, 0, 0, Answer("a", tokens_in=3, tokens_out=1, cost=0.1))
    store.save_answer(run_id, 0, 1, Answer("", status=FAILED, error="down", error_kind="server"), attempts=3)
    store.save_answer(run_id, 0, 1, Answer("b"), attempts=4)  # replaced when asked again
    store.save_answer(run_id, 1, 2, Answer("x", status=FAILED, error="no"))
    assert store.answers(run_id)[(0, 0)] == Answer("a", tokens_in=3, tokens_out=1, cost=0.1)
    assert store.answered_units(run_id) == {(0, 0), (0, 1)}
    store.save_rating(run_id, EvalRating(0, 1, 0, "A"))
    store.save_rating(run_id, EvalRating(0, 0, 1, "tie"))  # the same pair: replaces the first verdict
    store.save_rating(run_id, EvalRating(0, 0, 2, "both_bad"))
    assert store.ratings(run_id) == [EvalRating(0, 0, 1, "tie"), EvalRating(0, 0, 2, "both_bad")]
    store.clear_rating(run_id, 0, 2, 0)
    assert store.ratings(run_id) == [EvalRating(0, 0, 1, "tie")]
    store.set_status(run_id, "cancelled")
    (summary,) = store.runs()
    assert (summary.name, summary.models, summary.items, summary.answers, summary.needed, summary.rated,
            summary.status) == ("Run 1", ("gpt-4o-mini", "m2", "Three"), 3, 2, 9, 1, "cancelled")
    store.delete_run(run_id)
    assert store.runs() == [] and ws.connection.execute("SELECT count(*) FROM eval_answers").fetchone()[0] == 0


def test_the_database_refuses_answers_for_unknown_items_and_bad_verdicts(ws):
    store = EvalStore(ws)
    run_id = store.create_run(_plan())
    with pytest.raises(sqlite3.IntegrityError):
        store.save_answer(run_id, 99, 0, Answer("x"))
    with pytest.raises(sqlite3.IntegrityError):
        ws.connection.execute("INSERT INTO eval_ratings (run_id, item, first_model, second_model, verdict) "
                              "VALUES (?, 0, 0, 1, 'C')", (run_id,))
