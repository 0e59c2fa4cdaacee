"""The evaluation runner against the stand-in: concurrency limit, progress, cancel, resume, retries."""

from __future__ import annotations

import threading

from tests.playground.conftest import PRICED, by_model
from workbench.core.playground.answer import DONE, FAILED, ChatTarget
from workbench.core.playground.eval_store import EvalStore
from workbench.core.playground.evaluation import EvalItem, EvalPlan
from workbench.providers.eval_runner import EvalRunner, run_stored_evaluation

MODELS = ("gpt-4o-mini", "gpt-4.1-mini-2025-04-14")


def _plan(n=6, models=MODELS, concurrency=3):
    items = [EvalItem(i, ({"role": "user", "content": f"question {i}"},), f"ref {i}") for i in range(n)]
    return EvalPlan(targets=[ChatTarget(m, profile=PRICED) for m in models], items=items, seed=1,
                    concurrency=concurrency)


def _max_open(logged):
    """The most requests the server had open at one moment."""
    edges = sorted([(e.started, 1) for e in logged] + [(e.finished, -1) for e in logged], key=lambda x: (x[0], x[1]))
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


class Saved:
    def __init__(self):
        self.rows = {}
        self.threads = set()

    def __call__(self, item, model, answer, attempts):
        self.rows[(item, model)] = (answer, attempts)
        self.threads.add(threading.get_ident())


def test_every_prompt_goes_to_every_model_at_most_the_limit_at_once(standin, connector):
    standin.responder = lambda r: f"{r['model']}: {r['messages'][-1]['content']} " + "x " * 6
    standin.chunk_delay = 0.01
    saved, progress = Saved(), []
    runner = EvalRunner(_plan(), connector=connector, save=saved, on_progress=lambda d, t: progress.append((d, t)))
    outcome = runner.run()
    assert outcome.finished and (outcome.done, outcome.failed, outcome.total) == (12, 0, 12)
    assert set(saved.rows) == {(i, m) for i in range(6) for m in range(2)}
    assert saved.rows[(4, 1)][0].text.startswith("gpt-4.1-mini-2025-04-14: question 4")
    assert saved.threads == {threading.get_ident()}  # saved on the thread that runs the evaluation
    logged = standin.requests_to("/chat/completions")
    assert len(logged) == 12
    assert _max_open(logged) == 3 and runner.peak_open == 3  # the limit, reached and never passed
    assert progress == [(n, 12) for n in range(13)]


def test_cancel_stops_launching_and_a_resumed_run_asks_only_what_is_missing(standin, connector, ws):
    standin.responder = lambda r: "word " * 12
    standin.chunk_delay = 0.03
    store = EvalStore(ws)
    plan = _plan(n=8, concurrency=2)
    run_id = store.create_run(plan)
    runner = None
    progress = []

    def on_progress(done, total):
        progress.append(done)
        if done == 3:
            runner.cancel()

    runner = EvalRunner(plan, connector=connector, on_progress=on_progress,
                        save=lambda i, m, a, n: store.save_answer(run_id, i, m, a, n))
    outcome = runner.run()
    assert outcome.cancelled and not outcome.finished
    kept = store.answered_units(run_id)
    assert 3 <= len(kept) < 16 and len(store.answers(run_id)) == len(kept)  # stopped ones are not saved
    asked_before = len(standin.requests_to("/chat/completions"))
    assert asked_before < 16

    standin.chunk_delay = 0.0
    resumed = EvalRunner(plan, connector=connector, done=kept,
                         save=lambda i, m, a, n: store.save_answer(run_id, i, m, a, n))
    outcome = resumed.run()
    assert outcome.finished and outcome.done == 16
    assert len(standin.requests_to("/chat/completions")) - asked_before == 16 - len(kept)
    assert len(store.answered_units(run_id)) == 16


def test_passing_failures_are_retried_and_lasting_ones_are_saved_once(standin, connector):
    standin.faults.fail("/chat/completions", status=500, times=2)
    standin.responder = by_model({}, default="fine")
    saved = Saved()
    outcome = EvalRunner(_plan(n=1, concurrency=1), connector=connector, save=saved, retry_delay=0.0).run()
    assert outcome.done == 2 and outcome.failed == 0
    attempts = sorted(n for _, n in saved.rows.values())
    assert attempts == [2, 2]  # each failed once (the two faults), then was asked again at the back of the queue
    assert len(standin.requests_to("/chat/completions")) == 4

    saved = Saved()
    plan = _plan(n=2, models=("gpt-4o-mini", "no-such-model"), concurrency=2)
    outcome = EvalRunner(plan, connector=connector, save=saved, retry_delay=0.0).run()
    assert (outcome.done, outcome.failed) == (2, 2) and outcome.finished
    wrong = saved.rows[(0, 1)]
    assert wrong[0].status == FAILED and wrong[0].error_kind == "not_found" and wrong[1] == 1  # not retried


def test_a_stored_run_runs_in_its_own_connection_and_stops_when_asked(standin, connector, ws, tmp_path):
    standin.responder = lambda r: "word " * 10
    store = EvalStore(ws)
    run_id = store.create_run(_plan(n=3, concurrency=2))
    outcome = run_stored_evaluation(ws.path, run_id, connector=connector, should_stop=lambda: False)
    assert outcome.finished
    assert store.load_run(run_id).status == "finished"
    assert all(a.status == DONE and a.cost is not None for a in store.answers(run_id).values())
    dump = "\n".join(ws.connection.iterdump())
    assert standin.api_key not in dump  # nothing stored carries the key

    other = store.create_run(_plan(n=3, concurrency=1))
    outcome = run_stored_evaluation(ws.path, other, connector=connector, should_stop=lambda: True)
    assert outcome.cancelled and store.load_run(other).status == "cancelled"
    assert store.answers(other) == {}
