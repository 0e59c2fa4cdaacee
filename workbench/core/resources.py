"""Where the bundled data files (tokenizers, pricing, sample data) live.

In a wheel or a frozen app they sit inside the package (``workbench/resources``); in a source
checkout they are the top-level ``resources/`` folder next to the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    candidates = [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder bundle
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "workbench" / "resources")
    for candidate in candidates:
        if (candidate / "pricing.json").is_file():
            return candidate
    raise FileNotFoundError(
        "The application's data files are missing (looked in: "
        + ", ".join(str(c) for c in candidates)
        + "). Reinstall Fine-Tune Workbench."
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
