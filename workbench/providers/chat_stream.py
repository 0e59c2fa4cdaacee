"""One streamed chat completion through the openai SDK, measured, priced and stoppable.

``ChatStream.run()`` (on a worker thread) sends the request with
``stream_options={"include_usage": True}``, hands every piece of text to ``on_delta`` as it
arrives, and returns an ``Answer``: the text, time to first token and total time
(``time.perf_counter``), tokens in/out from the final usage chunk — or counted locally and marked
estimated when the server sends none, as local servers often do — and the cost where it is known.

``cancel()`` (any thread) stops it promptly: it shuts the socket down under the blocked read, so
the worker wakes at once instead of at the next chunk. A request still waiting for its reply
headers cannot be cut short that way: it is closed the moment they arrive (``responded`` tells
the two apart; ParallelChat reports such a column stopped at once).

A stream is never retried once text has arrived: the person has seen it. Before the first byte
the SDK's own connection-level retries apply (keep the client's ``max_retries`` small). If a
server refuses ``stream_options`` the request is sent once more without it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import openai

from workbench.core.playground.answer import DONE, FAILED, STOPPED, Answer, ChatSettings
from workbench.core.playground.cost import answer_cost
from workbench.core.tokens import TokenCounter, count_messages
from workbench.providers.connect import Connection
from workbench.providers.errors import CONNECTION, TIMEOUT, map_error

DeltaCallback = Callable[[str], None]


def estimate_usage(model: str, messages: Sequence[dict[str, Any]], text: str) -> tuple[int, int]:
    """(prompt tokens, answer tokens) counted locally, the way the fine-tuning estimates count."""
    encoding = TokenCounter.for_model(model).encoding
    return count_messages(encoding, list(messages)), len(encoding.encode_ordinary(text))


def _rejects_stream_options(exc: BaseException) -> bool:
    return isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError) and (
        "stream_options" in str(exc) or "include_usage" in str(exc))


def _midway_error(kind: str, text: str) -> str:
    """The message for a stream that failed after part of the answer had arrived."""
    if kind == CONNECTION:
        return ("The connection broke off in the middle of the answer; the part that arrived is kept. "
                "Send the message again for a whole answer.")
    if kind == TIMEOUT:
        return ("The server stopped sending in the middle of the answer; the part that arrived is kept. "
                "Send the message again for a whole answer.")
    return f"The answer stopped midway: {text}"


class ChatStream:
    """One chat completion, streamed. Not reusable: ``run`` once, ``cancel`` any time from any thread."""

    def __init__(self, connection: Connection, model: str, messages: Sequence[dict[str, Any]], *,
                 settings: ChatSettings | None = None, on_delta: DeltaCallback | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.connection = connection
        self.model = model
        self.messages = list(messages)
        self.settings = settings or ChatSettings()
        self.on_delta = on_delta
        self._clock = clock
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._stream: Any = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def responded(self) -> bool:
        """Whether the reply has begun (headers arrived); before that ``cancel`` cannot cut the wait short."""
        with self._lock:
            return self._stream is not None

    def cancel(self) -> None:
        """Stop: the blocked read wakes at once and ``run`` returns a ``stopped`` answer."""
        self._cancelled.set()
        with self._lock:
            stream = self._stream
        if stream is not None:
            _interrupt(stream)

    # -- the request ---------------------------------------------------------------------------------
    def _params(self, with_usage: bool) -> dict[str, Any]:
        params: dict[str, Any] = {"model": self.model, "messages": self.messages, "stream": True}
        if with_usage:
            params["stream_options"] = {"include_usage": True}
        if self.settings.temperature is not None:
            params["temperature"] = self.settings.temperature
        if self.settings.max_tokens is not None:
            # OpenAI and Azure want max_completion_tokens (reasoning models refuse max_tokens);
            # local and other compatible servers mostly still know only max_tokens.
            official = self.connection.kind in ("openai", "azure")
            params["max_completion_tokens" if official else "max_tokens"] = self.settings.max_tokens
        return params

    def _open(self, create: Callable[..., Any]) -> Any:
        try:
            return create(**self._params(with_usage=True))
        except Exception as exc:
            if not _rejects_stream_options(exc) or self.cancelled:
                raise
        return create(**self._params(with_usage=False))

    def run(self) -> Answer:
        # The SDK loads its chat resources on first use (most of a second): not the model's time.
        create = self.connection.client.chat.completions.create
        start = self._clock()
        pieces: list[str] = []
        ttft: float | None = None
        usage: Any = None
        finish: str | None = None
        if self.cancelled:
            return Answer(status=STOPPED, total_time=0.0)
        try:
            stream = self._open(create)
        except Exception as exc:
            if self.cancelled:
                return self._finish(STOPPED, pieces, ttft, start, None, None, responded=False)
            return self._failed(exc, pieces, ttft, start, responded=False)
        with self._lock:
            self._stream = stream
        try:
            if self.cancelled:  # Stop came while the request was on its way
                return self._finish(STOPPED, pieces, ttft, start, None, None, responded=True)
            iterator = iter(stream)
            while True:
                try:
                    chunk = next(iterator)
                except StopIteration:
                    break
                except Exception as exc:
                    if self.cancelled:
                        break
                    return self._failed(exc, pieces, ttft, start, responded=True)
                if self.cancelled:
                    break
                if getattr(chunk, "usage", None) is not None:
                    usage = chunk.usage
                for choice in chunk.choices or ():
                    if choice.index != 0:
                        continue
                    delta = choice.delta
                    piece = (delta.content or "") + (getattr(delta, "refusal", None) or "") if delta else ""
                    if piece:
                        if ttft is None:
                            ttft = self._clock() - start
                        pieces.append(piece)
                        if self.on_delta is not None:
                            self.on_delta(piece)
                    if choice.finish_reason:
                        finish = choice.finish_reason
            status = STOPPED if self.cancelled else DONE
            return self._finish(status, pieces, ttft, start, usage, finish, responded=True)
        finally:
            with contextlib.suppress(Exception):
                stream.close()

    # -- the outcome -------------------------------------------------------------------------------------
    def _finish(self, status: str, pieces: list[str], ttft: float | None, start: float, usage: Any,
                finish: str | None, *, responded: bool, error: str | None = None,
                error_kind: str | None = None) -> Answer:
        total = self._clock() - start
        text = "".join(pieces)
        tokens_in = tokens_out = None
        estimated = False
        if usage is not None and getattr(usage, "prompt_tokens", None) is not None:
            tokens_in, tokens_out = usage.prompt_tokens, usage.completion_tokens or 0
        elif responded:
            tokens_in, tokens_out = estimate_usage(self.model, self.messages, text)
            estimated = True
        cost = answer_cost(self.model, tokens_in, tokens_out, priced=self.connection.priced)
        return Answer(text=text, status=status, error=error, error_kind=error_kind, finish_reason=finish,
                      ttft=ttft, total_time=total, tokens_in=tokens_in, tokens_out=tokens_out,
                      estimated=estimated, cost=cost)

    def _failed(self, exc: BaseException, pieces: list[str], ttft: float | None, start: float, *,
                responded: bool) -> Answer:
        mapped = map_error(exc, profile=self.connection.profile, secrets=(self.connection.secret,))
        message = _midway_error(mapped.kind, mapped.text) if pieces else mapped.text
        return self._finish(FAILED, pieces, ttft, start, None, None, responded=responded, error=message,
                            error_kind=mapped.kind)


def _interrupt(stream: Any) -> None:
    """Wake a thread blocked reading ``stream``: shut its socket down (closing it alone would not
    wake the read); the reading thread then closes the stream itself."""
    try:
        network = stream.response.extensions.get("network_stream")
        sock = network.get_extra_info("socket") if network is not None else None
    except Exception:
        sock = None
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
            return
    with contextlib.suppress(Exception):
        stream.close()


def stream_chat(connection: Connection, model: str, messages: Sequence[dict[str, Any]], *,
                settings: ChatSettings | None = None, on_delta: DeltaCallback | None = None) -> Answer:
    """``ChatStream(...).run()`` for callers that do not need to stop it."""
    return ChatStream(connection, model, messages, settings=settings, on_delta=on_delta).run()
