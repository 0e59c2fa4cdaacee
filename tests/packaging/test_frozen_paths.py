"""The packaged app reads its data from the bundle and writes only to the user's folders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import workbench.core.resources as resources
from tests.packaging.helpers import PACKAGING
from workbench import self_test
from workbench.core.default_workspace import default_workspace_path
from workbench.core.profiles import default_profiles_path


def _bundle(root: Path) -> Path:
    """A fake PyInstaller one-folder bundle: the spec puts resources/ at workbench/resources."""
    data = root / "_internal" / "workbench" / "resources"
    (data / "tokenizers").mkdir(parents=True)
    (data / "pricing.json").write_text("{}", encoding="utf-8")
    return data


def test_the_frozen_app_finds_its_data_in_the_bundle(monkeypatch, tmp_path):
    data = _bundle(tmp_path / "app")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "app" / "_internal"), raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "elsewhere" / "workbench")
    assert resources.resources_dir() == data
    assert resources.resource_path("tokenizers", "o200k_base.tiktoken") == data / "tokenizers" / "o200k_base.tiktoken"


def test_the_bundle_wins_over_a_source_tree_beside_it(monkeypatch, tmp_path):
    data = _bundle(tmp_path / "app")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "app" / "_internal"), raising=False)
    # the real source tree (with resources/ at the repo root) is still importable here
    assert resources.resources_dir() == data


def test_a_bundle_without_data_says_reinstall(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "app" / "_internal"), raising=False)
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "elsewhere" / "workbench")
    with pytest.raises(FileNotFoundError, match="Reinstall Fine-Tune Workbench") as info:
        resources.resources_dir()
    assert str(tmp_path / "app" / "_internal" / "workbench" / "resources") in str(info.value)


def test_the_spec_bundles_resources_where_resources_py_looks():
    spec = (PACKAGING / "workbench.spec").read_text("utf-8")
    assert '(str(REPO / "resources"), "workbench/resources")' in spec


def test_logs_workspaces_and_settings_go_to_the_users_folders(user_dirs):
    from workbench.ui.app import log_path

    assert log_path() == user_dirs["state"] / "FineTuneWorkbench" / "log" / "workbench.log"
    assert default_workspace_path().parent == user_dirs["data"] / "FineTuneWorkbench"
    assert default_profiles_path().parent == user_dirs["config"] / "FineTuneWorkbench"


def test_the_self_test_accepts_user_folders_outside_the_app(monkeypatch, tmp_path, user_dirs):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "app" / "workbench"))
    assert self_test.app_folder() == (tmp_path / "app").resolve()
    result = self_test._check_user_folders(None)
    assert result.startswith("User folders: workspaces in ")
    assert str(user_dirs["state"] / "FineTuneWorkbench" / "log") in result


def test_the_self_test_fails_when_a_user_folder_is_inside_the_app(monkeypatch, tmp_path, user_dirs):
    app = tmp_path / "app"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app / "workbench"))
    monkeypatch.setenv("XDG_STATE_HOME", str(app / "state"))  # e.g. a portable setup pointing logs there
    with pytest.raises(self_test.CheckFailed, match=r"The logs folder would be inside the app's folder"):
        self_test._check_user_folders(None)
