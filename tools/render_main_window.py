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
    from workbench.ui.palette import VisibleIndicatorsStyle

    app.setStyle(VisibleIndicatorsStyle("Fusion"))  # as the app does
    if "--dark" in sys.argv:
        from workbench.ui.palette import dark_palette

        app.setPalette(dark_palette())
    from playground_demo import add_playground_demo, shoot_playground
    from quality_demo import add_demo_content, shoot_pages  # tools/: next to this script

    from workbench.core.default_workspace import open_default_workspace
    from workbench.ui.main_window import MainWindow

    ws = open_default_workspace(Path(tmp) / "Sample workspace.ftw")
    add_demo_content(ws)  # tiers, personal data, duplicates, versions: content for every tab
    playground = add_playground_demo(ws)  # a comparison, a blind session, a reviewed evaluation
    window = MainWindow(ws)
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
        shoot_pages(window, app, out, suffix)  # one per Data quality page
        shoot_playground(window, app, out, suffix, playground)
        app.quit()

    QTimer.singleShot(2500, shoot)  # let the background checks and token counts finish
    app.exec()
    print(f"wrote {len(list(out.glob(f'*{suffix}.png')))} screenshots to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
