"""Start the desktop app: `workbench` (default workspace), `workbench FILE.ftw` (open it) or
`workbench FILE...` (default workspace, with the files shown in the Import tab)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench import __version__


def log_path() -> Path:
    """The log file, in the platform's per-user log folder (never next to the executable):
    ~/.local/state/FineTuneWorkbench/log, ~/Library/Logs/FineTuneWorkbench, %LOCALAPPDATA%\\FineTuneWorkbench\\Logs."""
    from workbench.core.default_workspace import APP_NAME

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "workbench.log"


def run_app(argv: list[str]) -> int:
    from workbench.core.default_workspace import open_default_workspace
    from workbench.core.redact import install_log_redaction
    from workbench.core.store import Workspace, WorkspaceError
    from workbench.ui.icons import icon
    from workbench.ui.main_window import MainWindow
    from workbench.ui.palette import apply_system_scheme

    log_file = log_path()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=log_file, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # keys are masked in every log line
    app = QApplication.instance() or QApplication([sys.argv[0], *[a for a in argv if a.startswith("-")]])
    app.setApplicationName("Fine-Tune Workbench")
    app.setOrganizationName("FineTuneWorkbench")
    app.setDesktopFileName("io.finetuneworkbench.Workbench")  # ties windows to the .desktop entry (Wayland)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    apply_system_scheme(app)
    paths = [Path(a) for a in argv if not a.startswith("-")]
    workspaces = [p for p in paths if p.suffix.lower() == ".ftw"]
    to_import = [p for p in paths if p.suffix.lower() != ".ftw"]
    try:
        ws = Workspace.open(workspaces[0]) if workspaces else open_default_workspace()
    except WorkspaceError as exc:
        QMessageBox.critical(None, "Cannot open workspace", f"{exc}\n\nOpening your default workspace instead.")
        ws = open_default_workspace()
    window = MainWindow(ws)
    window.show()
    if to_import:
        window.open_files(to_import)
    return app.exec()
