"""Render the main window with the sample workspace to PNG files, one per tab.

    xvfb-run -a python tools/render_main_window.py [OUT_DIR] [--dark]

Uses a throw-away workspace and settings folder, so it never touches the user's data.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0] if args else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="ftw-render-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    app = QApplication([sys.argv[0]])
    app.setOrganizationName("FineTuneWorkbenchRender")
    app.setApplicationName("render")
    app.setStyle("Fusion")
    if "--dark" in sys.argv:
        from workbench.ui.palette import dark_palette

        app.setPalette(dark_palette())
    from workbench.core.default_workspace import open_default_workspace
    from workbench.ui.main_window import MainWindow

    window = MainWindow(open_default_workspace(Path(tmp) / "Sample workspace.ftw"))
    window.resize(1400, 900)
    window.show()
    suffix = "-dark" if "--dark" in sys.argv else ""

    def shoot() -> None:
        tabs = window.tabs
        window.examples_tab.table.selectRow(1)
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            app.processEvents()
            name = tabs.tabText(i).replace("&&", "and").replace(" ", "-").lower()
            window.grab().save(str(out / f"{name}{suffix}.png"))
        app.quit()

    QTimer.singleShot(2500, shoot)  # let the background checks and token counts finish
    app.exec()
    print(f"wrote {len(list(out.glob(f'*{suffix}.png')))} screenshots to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
