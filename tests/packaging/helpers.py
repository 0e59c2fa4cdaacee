"""Load the build helpers in packaging/ by path (it is deliberately not a Python package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def packaging_module(name: str):
    """packaging/<name>.py, loaded once under the same key the spec and build.py use."""
    key = f"_ftw_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, PACKAGING / f"{name}.py")
        sys.modules[key] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[key]
