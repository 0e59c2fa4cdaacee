"""`workbench --self-test`: every check passes on a complete install, and a broken one is named plainly."""

from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

import pytest

from workbench import cli, self_test
from workbench.core import tokens


@pytest.fixture
def isolated_settings(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    from workbench.ui.tasks import wait_for_idle

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("FineTuneWorkbenchTests")
    qapp.setApplicationName("tests")
    yield
    assert wait_for_idle(20), "a background task did not finish"


def _only(monkeypatch, *checks):
    monkeypatch.setattr(self_test, "CHECKS", list(checks))


@pytest.mark.gui
def test_every_check_passes_in_process_reusing_the_running_qapplication(qapp, isolated_settings, user_dirs,
                                                                      tmp_path):
    lines: list[str] = []
    shot = tmp_path / "window.png"
    code = self_test.run_self_test(lines.append, screenshot=shot)
    assert code == 0, "\n".join(lines)
    checks = lines[1:-1]
    assert len(checks) == len(self_test.CHECKS)
    assert all(line[0] in "✓•" for line in checks), "\n".join(lines)
    text = "\n".join(lines)
    assert "o200k_base" in text and "cl100k_base" in text and "checksums match" in text
    assert "60 sample conversations" in text
    assert "Main window renders (" in text
    assert lines[-1] == "Self-test passed: Fine-Tune Workbench is ready to use."
    from PySide6.QtGui import QImage

    picture = QImage(str(shot))
    assert picture.width() >= 1200 and picture.height() >= 800  # at least the size asked for
    assert self_test._colours(picture) > 10  # a real window: text, icons, frames


def test_a_damaged_tokenizer_file_fails_with_a_plain_message(monkeypatch):
    _only(monkeypatch, self_test._check_data_files, self_test._check_tokenizers)
    damaged = dataclasses.replace(tokens.ENCODING_FILES["cl100k_base"], sha256="0" * 64)
    monkeypatch.setitem(tokens.ENCODING_FILES, "cl100k_base", damaged)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert lines[1].startswith("✓ Data files found")
    assert lines[2].startswith("✗ The tokenizer file ") and "is damaged" in lines[2]
    assert "Reinstall Fine-Tune Workbench" in lines[2]
    assert lines[-1].startswith("Self-test FAILED: 1 of 2 checks failed")


def test_missing_data_files_are_named(monkeypatch, tmp_path):
    import workbench.core.resources as resources

    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "nowhere" / "workbench")
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    _only(monkeypatch, self_test._check_data_files)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert lines[1].startswith("✗ The application's data files are missing")


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch):
    def _check_boom(ctx):
        """Something."""
        raise RuntimeError("the disk is on fire")

    _only(monkeypatch, _check_boom)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert lines[1] == "✗ Something: RuntimeError: the disk is on fire"
    assert not any("Traceback" in line for line in lines)


def test_no_keyring_is_information_not_a_failure(monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    _only(monkeypatch, self_test._check_keyring)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 0
    assert lines[1].startswith("• Keyring: none found (not a failure).")
    assert "kept in memory" in lines[1]


def test_a_working_keyring_is_named(monkeypatch):
    import keyring
    from keyring.backends import SecretService

    monkeypatch.setattr(keyring, "get_keyring", lambda: SecretService.Keyring())
    _only(monkeypatch, self_test._check_keyring)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 0
    assert lines[1].startswith("✓ Keyring: API keys are stored in Secret Service")


def test_a_console_that_cannot_print_check_marks_gets_plain_words(monkeypatch, capsysbinary):
    _only(monkeypatch, self_test._check_prices)
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    assert self_test.run_self_test() == 0
    sys.stdout.flush()
    out = raw.getvalue().decode("cp1252")
    assert "[ok] Price list:" in out and "✓" not in out


def test_the_cli_hands_self_test_over_before_any_other_dispatch(monkeypatch):
    seen = []
    monkeypatch.setattr(self_test, "run_self_test", lambda **kw: seen.append(kw) or 0)
    assert cli.main(["--self-test"]) == 0
    assert cli.main(["--self-test", "--screenshot", "shot.png"]) == 0
    assert seen == [{"screenshot": None}, {"screenshot": Path("shot.png")}]


def test_unknown_self_test_options_are_a_usage_error(capsys):
    assert cli.main(["--self-test", "--fast"]) == 2
    assert "usage: workbench --self-test [--screenshot FILE.png]" in capsys.readouterr().err
