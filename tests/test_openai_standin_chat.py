"""Chat completions, plain and streamed, through the real openai SDK."""
# ruff: noqa: F811  (pytest fixtures imported by name are "redefined" by the test parameters)

from __future__ import annotations

from tests.openai_standin import schema_check
from tests.openai_standin.fixtures import openai_standin  # noqa: F401

HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "how are you"}]


def test_plain_completion(openai_standin):
    client = openai_standin.client()
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert reply.object == "chat.completion"
    assert reply.choices[0].message.role == "assistant"
    assert reply.choices[0].message.content == "Echo: how are you"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage.completion_tokens == 4
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    assert openai_standin.audit() == []


def test_stream_without_usage(openai_standin):
    client = openai_standin.client()
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Echo: how are you"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)
    assert len({c.id for c in chunks}) == 1


def test_stream_with_include_usage_ends_with_a_usage_chunk(openai_standin):
    client = openai_standin.client()
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True,
                                                 stream_options={"include_usage": True}))
    *body, last = chunks
    assert last.choices == [] and last.usage.completion_tokens == 4
    assert all(c.usage is None for c in body)
    sent = openai_standin.requests[-1].response
    assert len(sent) == len(chunks)
    assert all("obfuscation" in c for c in sent)
    for chunk in sent:
        schema_check.validate("CreateChatCompletionStreamResponse", chunk)


def test_stream_is_sse_framed_with_done(openai_standin):
    client = openai_standin.client()
    with client.chat.completions.with_streaming_response.create(
        model="gpt-4o-mini", messages=HELLO, stream=True, stream_options={"include_obfuscation": False}
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = b"".join(response.iter_bytes())
    events = raw.decode().split("\n\n")
    assert events[-1] == "" and events[-2] == "data: [DONE]"
    assert all(e.startswith("data: {") for e in events[:-2])
    assert b"obfuscation" not in raw


def test_max_tokens_truncates_with_finish_reason_length(openai_standin):
    client = openai_standin.client()
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_completion_tokens=2)
    assert reply.choices[0].message.content == "Echo: how"
    assert reply.choices[0].finish_reason == "length"
    streamed = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=2, stream=True))
    assert streamed[-1].choices[0].finish_reason == "length"


def test_custom_responder_sees_the_request(openai_standin):
    seen = []

    def responder(request):
        seen.append(request)
        return f"{request['model']} says hi"

    openai_standin.responder = responder
    client = openai_standin.client()
    reply = client.chat.completions.create(model="gpt-4.1-nano-2025-04-14", messages=HELLO, temperature=0.2)
    assert reply.choices[0].message.content == "gpt-4.1-nano-2025-04-14 says hi"
    assert seen[0]["temperature"] == 0.2
