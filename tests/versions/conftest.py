"""Dataset-version tests: a small workspace of distinct chat examples."""

from __future__ import annotations

import pytest

from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample


def chat(i: int, reply: str = "") -> dict:
    return {"messages": [{"role": "user", "content": f"Where is my order {i}?"},
                         {"role": "assistant", "content": reply or f"Order {i} ships today."}]}


@pytest.fixture
def ws(tmp_path):
    """A workspace with 10 examples: ids 1-10, 8 train and 2 validation, #1 tagged 'billing'."""
    workspace = Workspace.open(tmp_path / "support.ftw")
    workspace.add_examples([NewExample(chat(i), tags=["billing"] if i == 0 else (),
                                       split="validation" if i >= 8 else "train") for i in range(10)], "Import")
    yield workspace
    workspace.close()
