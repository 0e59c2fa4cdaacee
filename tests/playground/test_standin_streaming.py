"""The stand-in's streaming knobs the playground tests rely on: a stream broken for one model only,
a pause between chunks, and when each request was open."""

from __future__ import annotations

import openai
import pytest

HELLO = [{"role": "user", "content": "one two three four"}]


def test_break_stream_for_one_model_leaves_the_others_alone(openai_standin):
    client = openai_standin.client()
    fault = openai_standin.faults.break_stream(model="gpt-4.1-nano-2025-04-14", after_chunks=2)
    whole = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in whole) == "Echo: one two three four"
    assert fault.hits == 0
    got = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in client.chat.completions.create(model="gpt-4.1-nano-2025-04-14", messages=HELLO, stream=True):
            got.append(chunk)
    assert len(got) == 2 and fault.hits == 1


def test_chunk_delay_spaces_the_chunks_and_the_log_says_when_a_request_was_open(openai_standin):
    openai_standin.chunk_delay = 0.05
    client = openai_standin.client()
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))
    (entry,) = openai_standin.requests_to("/chat/completions")
    assert entry.finished - entry.started >= 0.05 * (len(chunks) - 1)
