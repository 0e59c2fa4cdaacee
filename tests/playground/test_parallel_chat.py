"""Several columns at once: events per column, a stream breaking midway, Stop, multi-turn history."""

from __future__ import annotations

import threading

from tests.playground.conftest import LOCAL, PRICED, WORDS, by_model
from workbench.core.playground.answer import DONE, FAILED, STOPPED, ChatTarget
from workbench.core.playground.session import ChatColumn, ChatSession
from workbench.providers.parallel_chat import DELTA, FINISHED, ChatRequest, ParallelChat

MODELS = ("gpt-4o-mini", "gpt-4.1-nano-2025-04-14", "gpt-4.1-mini-2025-04-14")
ASK = ({"role": "user", "content": "hello"},)
REPLIES = {m: f"{m} answers " + WORDS for m in MODELS}


def _chat(connector, models=MODELS, profile=PRICED, **kw):
    return ParallelChat([ChatRequest(ChatTarget(m, profile=profile), ASK) for m in models], connector=connector, **kw)


def test_a_stream_that_breaks_midway_fails_alone_and_the_others_finish(standin, connector):
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.01
    standin.faults.break_stream(model=MODELS[1], after_chunks=5)
    events = []
    lock = threading.Lock()

    def record(event):
        with lock:
            events.append(event)

    chat = _chat(connector, on_event=record)
    chat.start()
    assert chat.wait(30)
    ok1, broken, ok2 = chat.results()
    assert ok1.status == DONE and ok1.text == REPLIES[MODELS[0]]
    assert ok2.status == DONE and ok2.text == REPLIES[MODELS[2]]
    assert broken.status == FAILED and broken.text == f"{MODELS[1]} answers w0 w1"
    assert "broke off in the middle" in broken.error
    for column in range(len(MODELS)):  # each column's deltas in order, then exactly one finish
        mine = [e for e in events if e.column == column]
        assert [e.kind for e in mine] == [DELTA] * (len(mine) - 1) + [FINISHED]
        assert "".join(e.text for e in mine) == mine[-1].answer.text
    assert chat.generation == len(events)  # one step per delta and per finished column
    final = chat.snapshot()
    assert [p.state for p in final] == [DONE, FAILED, DONE]
    assert final[1].text == broken.text and final[1].answer == broken


def test_the_streams_run_at_the_same_time(standin, connector):
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.02
    chat = _chat(connector)
    chat.start()
    assert chat.wait(30)
    logged = standin.requests_to("/chat/completions")
    assert len(logged) == 3
    assert max(e.started for e in logged) < min(e.finished for e in logged)  # all three open at once


def test_stop_stops_every_column_and_keeps_what_arrived(standin, connector):
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.3
    seen = [threading.Event() for _ in MODELS]
    chat = _chat(connector, on_event=lambda e: seen[e.column].set() if e.kind == DELTA else None)
    chat.start()
    assert all(s.wait(10) for s in seen)
    chat.cancel()
    assert chat.wait(5)  # the whole answers would take about 10 s
    for answer, model in zip(chat.results(), MODELS, strict=True):
        assert answer.status == STOPPED and answer.text.startswith(model) and answer.text != REPLIES[model]


def test_stopping_one_column_lets_the_others_finish(standin, connector):
    standin.responder = by_model(REPLIES)
    standin.chunk_delay = 0.05
    started = threading.Event()
    chat = _chat(connector, on_event=lambda e: started.set() if e.column == 0 and e.kind == DELTA else None)
    chat.start()
    assert started.wait(10)
    chat.cancel(0)
    assert chat.wait(30)
    stopped, *rest = chat.results()
    assert stopped.status == STOPPED and stopped.text != REPLIES[MODELS[0]]
    assert [a.text for a in rest] == [REPLIES[m] for m in MODELS[1:]]


def test_a_column_still_waiting_for_the_server_is_reported_stopped_at_once(standin, connector):
    standin.faults.slow("/chat/completions", 8.0)  # no reply headers for 8 s
    chat = _chat(connector, models=MODELS[:1])
    chat.start()
    assert standin.faults.all()[0].fired.wait(10)
    chat.cancel()
    assert chat.wait(2)
    (answer,) = chat.results()
    assert answer.status == STOPPED and answer.text == "" and answer.tokens_in is None


def test_a_column_whose_profile_is_missing_fails_with_a_message_and_the_rest_answer(standin, connector):
    requests = [ChatRequest(ChatTarget("gpt-4o-mini", profile="Nope"), ASK),
                ChatRequest(ChatTarget("gpt-4o-mini", profile=LOCAL), ASK)]
    chat = ParallelChat(requests, connector=connector)
    chat.start()
    assert chat.wait(30)
    missing, fine = chat.results()
    assert missing.status == FAILED and "There is no profile named 'Nope'" in missing.error
    assert fine.status == DONE and fine.text == "Echo: hello"


def test_each_column_continues_its_own_conversation(standin, connector):
    standin.responder = lambda request: f"{request['model']} turn {sum(m['role'] == 'user' for m in request['messages'])}"
    session = ChatSession(columns=[ChatColumn(ChatTarget(MODELS[0], profile=PRICED)),
                                   ChatColumn(ChatTarget(MODELS[1], profile=PRICED), system_prompt="Be terse.")],
                          system_prompt="Be kind.")
    for text in ("first", "second"):
        chat = ParallelChat.for_session(session, text, connector=connector)
        chat.start()
        assert chat.wait(30)
        session.record(text, chat.results())
    sent = {e.json["model"]: e.json["messages"] for e in standin.requests_to("/chat/completions")[2:]}
    assert sent[MODELS[0]] == [
        {"role": "system", "content": "Be kind."}, {"role": "user", "content": "first"},
        {"role": "assistant", "content": f"{MODELS[0]} turn 1"}, {"role": "user", "content": "second"}]
    assert sent[MODELS[1]][0] == {"role": "system", "content": "Be terse."}
    assert sent[MODELS[1]][2] == {"role": "assistant", "content": f"{MODELS[1]} turn 1"}
    assert [t.answer.text for t in session.columns[1].turns] == [f"{MODELS[1]} turn 1", f"{MODELS[1]} turn 2"]
