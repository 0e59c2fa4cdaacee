"""Jobs tests: the OpenAI stand-in, a workspace ledger, and a sleep that only records."""

from __future__ import annotations

import pytest

from tests.jobs.helpers import FakeSleep
from tests.openai_standin.fixtures import openai_standin  # noqa: F401
from workbench.core.store import Workspace
from workbench.core.store.ledger import Ledger
from workbench.providers.retry import RetryPolicy


@pytest.fixture
def workspace_path(tmp_path):
    return tmp_path / "jobs.ftw"


@pytest.fixture
def ledger(workspace_path):
    ws = Workspace.open(workspace_path)
    yield Ledger(ws)
    ws.close()


@pytest.fixture
def sleeps():
    return FakeSleep()


@pytest.fixture
def retry(sleeps):
    return RetryPolicy(sleep=sleeps)
