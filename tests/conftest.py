"""Shared test setup: Qt runs offscreen; nothing reaches the network."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
