"""Packaging tests: the user's folders point into tmp_path, so nothing here touches the real home."""

import pytest


@pytest.fixture
def user_dirs(tmp_path, monkeypatch):
    """XDG folders in tmp_path (platformdirs follows them on Linux, where CI runs)."""
    dirs = {name: tmp_path / "home" / name for name in ("data", "state", "config", "cache")}
    for name, path in dirs.items():
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    return dirs
