"""What the bundle leaves out, and the check that nothing left out is still needed.

The app imports QtCore, QtGui, QtWidgets and QtCharts (QtSvg comes in as the icon plugins' library).
PyInstaller's Qt hooks also collect whole plugin folders; some plugins drag in large libraries the app
never uses (the virtual keyboard pulls in Qt Quick and QML, the PDF image plugin Qt PDF, the GTK3
theme the whole GTK stack of the build machine). Those plugins and their libraries are dropped here.
``missing_libraries`` then checks the finished bundle: every library a bundled binary links to must be
in the bundle or be one PyInstaller deliberately leaves to the system (libc, libGL, ...).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

# Python modules never imported by the app (a clean venv has none of the third-party ones; a developer's
# environment might, and pandas/numpy would pull them in through optional imports).
UNUSED_QT = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCanvasPainter", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia",
    "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2",
    "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
    "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest",
    "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick",
    "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
]
EXCLUDED_MODULES = [
    *(f"PySide6.{name}" for name in UNUSED_QT),
    "PySide6.scripts", "PySide6.QtAsyncio",
    "tkinter", "_tkinter", "turtle", "idlelib", "lib2to3", "pydoc_data",
    "matplotlib", "scipy", "pyarrow", "IPython", "jupyter_client", "notebook", "sqlalchemy", "numba",
    "PIL", "pytest", "_pytest", "hypothesis", "jsonschema", "ruff", "pytestqt", "setuptools", "pip",
    "PyQt5", "PyQt6", "PySide2",
    # tiktoken's own loader downloads rank files; the app loads the shipped files itself (core/tokens.py).
    "tiktoken.load", "tiktoken_ext.openai_public", "blobfile",
    "requests",  # only the SDK's Google Vertex provider uses it, and the app never selects that provider
    # PII detection parses and validates numbers (phonenumbers.data); the place names, carriers and time
    # zones of numbers (20 MB of tables) are never asked for.
    "phonenumbers.geocoder", "phonenumbers.geodata", "phonenumbers.carrier", "phonenumbers.carrierdata",
    "phonenumbers.timezone", "phonenumbers.tzdata",
    "numpy.f2py",  # numpy's Fortran wrapper generator, a build tool
]

# Qt plugins (by folder/file name) and the Qt libraries only they need. Patterns match the path inside
# the bundle, so one list serves Linux (libQt6Quick.so.6), Windows (Qt6Quick.dll) and macOS (QtQuick.framework).
_DROPPED = [
    r"translations/",  # the app installs no QTranslator: Qt's own translations would never load
    r"plugins/platforminputcontexts/[^/]*virtualkeyboard",
    r"plugins/imageformats/[^/]*pdf",
    r"plugins/platformthemes/[^/]*gtk3",
    r"plugins/egldeviceintegrations/",  # embedded devices without a window system
    r"plugins/platforms/[^/]*(eglfs|linuxfb|minimalegl|vnc|vkkhrdisplay)",
    r"plugins/generic/",  # evdev/tslib input for those devices
    r"plugins/(networkinformation|tls)/",  # QtNetwork is not used
    r"(^|/)(lib)?Qt6?(Quick|Qml|VirtualKeyboard|Pdf|EglFSDeviceIntegration|EglFsKmsSupport|Network)\w*[./]",
]
# The GTK3 theme plugin's libraries, copied from the build machine (Linux only; nothing else needs them).
_GTK_STACK = [
    "gtk-3", "gdk-3", "gdk_pixbuf-2.0", "atk-1.0", "atk-bridge-2.0", "atspi", "cairo", "cairo-gobject",
    "pango-1.0", "pangocairo-1.0", "pangoft2-1.0", "harfbuzz", "epoxy", "fribidi", "thai", "datrie",
    "graphite2", "pixman-1", "Xcomposite", "Xcursor", "Xdamage", "Xi", "Xinerama", "Xrandr",
    "gio-2.0", "gmodule-2.0", "gobject-2.0", "mount", "blkid", "selinux", "jpeg",
    "gssapi_krb5", "krb5", "krb5support", "k5crypto", "com_err", "keyutils",  # Qt Network's auth
]
_DROPPED_RE = re.compile("|".join(_DROPPED))
_GTK_RE = re.compile(r"^lib(" + "|".join(re.escape(n) for n in _GTK_STACK) + r")\.so(\.\d+)*$")


def dropped(dest: str, *, linux: bool) -> bool:
    path = PurePath(dest).as_posix()
    return bool(_DROPPED_RE.search(path)) or (linux and "/" not in path and bool(_GTK_RE.match(path)))


def drop_unused(toc: list, *, linux: bool | None = None) -> list:
    """``toc`` (PyInstaller's (dest, src, kind) entries) without the plugins and libraries above."""
    import sys

    on_linux = sys.platform.startswith("linux") if linux is None else linux
    return [entry for entry in toc if not dropped(entry[0], linux=on_linux)]


def missing_libraries(bundle: Path) -> dict[str, list[str]]:
    """Binary in the bundle -> libraries it links to that are neither bundled nor left to the system."""
    from PyInstaller.depend import bindepend, dylib

    binaries = [p for p in bundle.rglob("*") if p.is_file() and _is_binary(p)]
    bundled = {p.name for p in binaries}
    missing: dict[str, list[str]] = {}
    for path in binaries:
        for name, _resolved in bindepend.get_imports(str(path)):
            base = PurePath(name).name
            if base not in bundled and dylib.include_library(base):
                missing.setdefault(str(path.relative_to(bundle)), []).append(base)
    return missing


def _is_binary(path: Path) -> bool:
    name = path.name
    return name.endswith((".so", ".dll", ".pyd", ".dylib")) or ".so." in name
