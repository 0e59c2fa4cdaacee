"""Retrying requests that failed for passing reasons, with backoff and an injectable sleep.

The app does its own retrying (clients are used with ``max_retries=0``) so that the policy is one
place, honours ``Retry-After``, knows which requests must never simply be repeated (creating a
job), and can be tested without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import openai

from workbench.providers.errors import retry_after_seconds

T = TypeVar("T")
RETRY_STATUSES = frozenset({408, 409, 429})


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms`` / ``Retry-After``), if it did."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return None if headers is None else retry_after_seconds(headers)


def is_transient(exc: BaseException) -> bool:
    """A failure that may go away by itself: no connection, a timeout, 5xx, 408/409/429 (not quota)."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        if exc.response.headers.get("x-should-retry") == "false":
            return False
        if getattr(exc, "code", None) == "insufficient_quota":
            return False  # a 429 that waiting does not fix
        return exc.status_code in RETRY_STATUSES or exc.status_code >= 500
    return False


def is_ambiguous(exc: BaseException) -> bool:
    """The request may have been carried out although we got no success reply (a write may have
    happened): a lost connection, a timeout or a server error. A 429 means it was not processed."""
    if isinstance(exc, openai.APIConnectionError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


@dataclass
class RetryPolicy:
    """``attempts`` tries in all; waits ``initial_delay`` doubling up to ``max_delay``, or what the
    server's ``Retry-After`` says (up to ``max_retry_after``; longer is given up at once)."""

    attempts: int = 4
    initial_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, retry_number: int, exc: BaseException | None = None) -> float:
        asked = retry_after(exc) if exc is not None else None
        if asked is not None:
            return asked
        return min(self.initial_delay * (2 ** retry_number), self.max_delay)

    def should_retry(self, attempt: int, exc: BaseException) -> bool:
        if attempt >= self.attempts or not is_transient(exc):
            return False
        asked = retry_after(exc)
        return asked is None or asked <= self.max_retry_after

    def call(self, fn: Callable[..., T], *args: Any,
             on_retry: Callable[[int, BaseException, float], None] | None = None, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``, retried on transient failures; the last failure is raised."""
        attempt = 1
        while True:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if not self.should_retry(attempt, exc):
                    raise
                wait = self.delay(attempt - 1, exc)
                if on_retry is not None:
                    on_retry(attempt, exc, wait)
                self.sleep(wait)
                attempt += 1


def without_sdk_retries(client: openai.OpenAI) -> openai.OpenAI:
    """The same client (same connection pool) with the SDK's own retrying off."""
    return client if client.max_retries == 0 else client.with_options(max_retries=0)
