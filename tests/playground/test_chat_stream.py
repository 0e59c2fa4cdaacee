"""One streamed answer through the real SDK against the stand-in: text, timings, usage, cost, errors, Stop."""

from __future__ import annotations

import threading

import pytest

from tests.playground.conftest import LOCAL, PRICED, WORDS
from workbench.core.playground.answer import DONE, FAILED, STOPPED, ChatSettings
from workbench.core.playground.cost import answer_cost
from workbench.providers.chat_stream import ChatStream, estimate_usage
from workbench.providers.connect import connect

HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "how are you"}]


def _stream(profile, model="gpt-4o-mini", messages=HELLO, **kw):
    return ChatStream(connect(profile, timeout=10), model, messages, **kw)


def test_deltas_arrive_in_order_and_make_the_answer(standin, profiles):
    standin.responder = lambda request: WORDS
    pieces = []
    answer = _stream(PRICED, on_delta=pieces.append).run()
    assert answer.status == DONE and answer.error is None
    assert answer.text == WORDS == "".join(pieces)
    assert pieces == ["w0", *(f" w{i}" for i in range(1, 30))]  # one delta per streamed piece, in order
    assert answer.finish_reason == "stop"
    assert 0 < answer.ttft <= answer.total_time


def test_usage_comes_from_the_final_chunk_and_prices_an_openai_profile(standin, profiles):
    standin.responder = lambda request: WORDS
    answer = _stream(PRICED).run()
    sent = standin.requests_to("/chat/completions")[-1]
    assert sent.json["stream_options"] == {"include_usage": True}
    usage = sent.response[-1]["usage"]
    assert (answer.tokens_in, answer.tokens_out) == (usage["prompt_tokens"], usage["completion_tokens"]) == (
        usage["prompt_tokens"], 30)
    assert answer.estimated is False
    # gpt-4o-mini as a base model: $0.15 in / $0.60 out per 1M tokens (pricing.json "inference")
    assert answer.cost == pytest.approx((usage["prompt_tokens"] * 0.15 + 30 * 0.60) / 1e6)


def test_a_fine_tuned_model_is_priced_at_its_tuned_rates(standin, profiles):
    model = "ft:gpt-4o-mini-2024-07-18:standin-org::abc123"
    standin.state.add_model(model)
    answer = _stream(PRICED, model=model).run()
    assert answer.status == DONE
    assert answer.cost == pytest.approx((answer.tokens_in * 0.30 + answer.tokens_out * 1.20) / 1e6)


def test_a_compatible_server_has_no_known_cost_and_gets_max_tokens(standin, profiles):
    standin.responder = lambda request: WORDS
    answer = _stream(LOCAL, settings=ChatSettings(temperature=0.3, max_tokens=5)).run()
    sent = standin.requests_to("/chat/completions")[-1].json
    assert sent["max_tokens"] == 5 and "max_completion_tokens" not in sent and sent["temperature"] == 0.3
    assert answer.text == "w0 w1 w2 w3 w4" and answer.finish_reason == "length"
    assert answer.cost is None and answer.tokens_out == 5


def test_an_openai_profile_gets_max_completion_tokens(standin, profiles):
    standin.responder = lambda request: WORDS
    _stream(PRICED, settings=ChatSettings(max_tokens=3)).run()
    sent = standin.requests_to("/chat/completions")[-1].json
    assert sent["max_completion_tokens"] == 3 and "max_tokens" not in sent


def test_a_server_that_refuses_stream_options_is_asked_again_and_tokens_are_estimated(standin, profiles):
    standin.faults.fail("/chat/completions", status=400, error={
        "message": "Unrecognized request argument supplied: stream_options", "type": "invalid_request_error",
        "param": "stream_options", "code": None})
    answer = _stream(LOCAL).run()
    first, second = standin.requests_to("/chat/completions")
    assert "stream_options" in first.json and "stream_options" not in second.json
    assert answer.status == DONE and answer.text == "Echo: how are you"
    assert answer.estimated is True
    assert (answer.tokens_in, answer.tokens_out) == estimate_usage("gpt-4o-mini", HELLO, answer.text)
    assert answer.tokens_out > 0


def test_a_stream_broken_midway_keeps_the_text_and_says_what_happened(standin, profiles):
    standin.responder = lambda request: WORDS
    standin.faults.break_stream(after_chunks=4)  # role chunk + 3 pieces, then the connection is cut
    answer = _stream(PRICED).run()
    assert answer.status == FAILED
    assert answer.text == "w0 w1 w2"
    assert "broke off in the middle of the answer" in answer.error and "Traceback" not in answer.error
    assert answer.error_kind == "connection"
    assert answer.estimated is True and answer.tokens_out == estimate_usage("gpt-4o-mini", HELLO, "w0 w1 w2")[1]
    assert answer.cost == answer_cost("gpt-4o-mini", answer.tokens_in, answer.tokens_out, priced=True)
    assert len(standin.requests_to("/chat/completions")) == 1  # never retried once text arrived


def test_a_refused_key_is_a_plain_failure_without_the_key(standin, profiles, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-0123456789abcdefghijklmnop")
    answer = _stream(PRICED).run()
    assert answer.status == FAILED and answer.error_kind == "auth"
    assert "rejected the API key" in answer.error
    assert "sk-wrong-key-0123456789abcdefghijklmnop" not in answer.error
    assert answer.text == "" and answer.tokens_in is None and answer.cost is None and answer.ttft is None


def test_an_unknown_model_is_a_plain_failure(standin, profiles):
    answer = _stream(PRICED, model="no-such-model").run()
    assert answer.status == FAILED and answer.error_kind == "not_found"
    assert "could not find" in answer.error


def test_stop_closes_the_stream_at_once_and_keeps_what_arrived(standin, profiles):
    standin.responder = lambda request: WORDS
    standin.chunk_delay = 0.5  # 30 pieces: about 15 s if nobody stops it
    first = threading.Event()
    stream = _stream(PRICED, on_delta=lambda piece: first.set())
    result = []
    worker = threading.Thread(target=lambda: result.append(stream.run()))
    worker.start()
    assert first.wait(10)
    stream.cancel()
    worker.join(5)  # far less than the rest of the stream would take
    assert not worker.is_alive()
    (answer,) = result
    assert answer.status == STOPPED and answer.error is None
    assert answer.text.startswith("w0") and len(answer.text) < len(WORDS)
    assert answer.estimated is True


def test_a_stream_cancelled_before_it_starts_sends_nothing(standin, profiles):
    stream = _stream(PRICED)
    stream.cancel()
    assert stream.run().status == STOPPED
    assert standin.requests_to("/chat/completions") == []
