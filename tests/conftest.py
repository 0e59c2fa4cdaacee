"""Shared test setup: Qt runs offscreen; nothing reaches the network."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.openai_standin.fixtures import openai_standin  # noqa: E402, F401 - available to every test
