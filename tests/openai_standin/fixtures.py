"""pytest fixtures for the OpenAI stand-in.

Use in a test module (or a conftest) with::

    from tests.openai_standin.fixtures import openai_standin  # noqa: F401

    def test_something(openai_standin):
        client = openai_standin.client(max_retries=2)
        ...
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import StandinServer


@pytest.fixture
def openai_standin() -> Iterator[StandinServer]:
    """A started StandinServer (strict spec checks on); stopped after the test.

    Teardown fails the test if the server sent a response that does not match the spec, hit an
    internal error, or left a thread running.
    """
    server = StandinServer(strict=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()
    problems = server.problems()
    if problems:
        pytest.fail("OpenAI stand-in problems:\n" + "\n".join(problems), pytrace=False)
