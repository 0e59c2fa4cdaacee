"""GUI tests: offscreen Qt, settings in a temporary folder, never the user's data."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

from workbench.ui.tasks import wait_for_idle  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("FineTuneWorkbenchTests")
    qapp.setApplicationName("tests")
    yield
    # No background work may outlive its test (it would hold threads and files of the next one).
    assert wait_for_idle(20), "a background task did not finish"
