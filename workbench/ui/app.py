"""Start the desktop app: `workbench` (default workspace) or `workbench PATH`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from workbench import __version__


def run_app(argv: list[str]) -> int:
    from workbench.core.default_workspace import data_dir, open_default_workspace
    from workbench.core.store import Workspace, WorkspaceError
    from workbench.ui.main_window import MainWindow

    logging.basicConfig(filename=data_dir() / "workbench.log", level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication([sys.argv[0], *[a for a in argv if a.startswith("-")]])
    app.setApplicationName("Fine-Tune Workbench")
    app.setOrganizationName("FineTuneWorkbench")
    app.setApplicationVersion(__version__)
    paths = [Path(a) for a in argv if not a.startswith("-")]
    try:
        if paths and paths[0].suffix.lower() == ".ftw":
            ws = Workspace.open(paths[0])
        else:
            ws = open_default_workspace()
    except WorkspaceError as exc:
        QMessageBox.critical(None, "Cannot open workspace", str(exc))
        ws = open_default_workspace()
    window = MainWindow(ws)
    window.show()
    return app.exec()
