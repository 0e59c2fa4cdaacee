"""The app icon in every format the three platforms want, rendered from resources/icons/app.svg.

    python packaging/make_icons.py [OUT_DIR]      (default: build/icons)

Qt (QtSvg) renders the PNGs; the .ico and .icns containers are written here with PNG entries (Windows
Vista+ and macOS 10.7+ read those), then read back through Qt's ico/icns image plugins as a check.
``ensure_icons`` re-renders only when the SVG or this generator changed (a stamp file records both).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import struct
import subprocess
import sys
from pathlib import Path


def _sibling(name: str):
    """A module of this folder, loaded by path (packaging/ is not a package: see app_identity.py)."""
    key = f"_ftw_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        sys.modules[key] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[key]


_ident = _sibling("app_identity")
APP_ID, ICON_SVG, REPO = _ident.APP_ID, _ident.ICON_SVG, _ident.REPO

DEFAULT_OUT = REPO / "build" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the freedesktop icon theme's folders (Linux)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types with PNG payloads: (type, pixel size)
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
              ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512))
ICO_NAME, ICNS_NAME = f"{APP_ID}.ico", f"{APP_ID}.icns"


def hicolor_files() -> list[Path]:
    """The Linux icon theme files, relative to the output folder (it holds a hicolor/ tree)."""
    pngs = [Path("hicolor", f"{s}x{s}", "apps", f"{APP_ID}.png") for s in HICOLOR_SIZES]
    return [*pngs, Path("hicolor", "scalable", "apps", f"{APP_ID}.svg")]


def _stamp(svg: Path) -> str:
    digest = hashlib.sha256(svg.read_bytes() + Path(__file__).read_bytes()).hexdigest()
    return f"{digest}\n"


def icons_current(out: Path = DEFAULT_OUT, svg: Path = ICON_SVG) -> bool:
    stamp = out / "stamp.txt"
    return stamp.is_file() and stamp.read_text("utf-8") == _stamp(svg) and all(
        (out / name).is_file() for name in (ICO_NAME, ICNS_NAME, *hicolor_files()))


def ensure_icons(out: Path = DEFAULT_OUT, svg: Path = ICON_SVG) -> bool:
    """Makes the icons in ``out`` if they are missing or stale; True if it rendered them.

    Rendering runs in a child process so the caller (PyInstaller, build.py) never loads Qt itself.
    """
    if icons_current(out, svg):
        return False
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(Path(__file__)), str(out), str(svg)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"Could not render the app icon from {svg}:\n{done.stderr or done.stdout}")
    return True


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (width/height 0 means 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, data = b"", b""
    for size in sizes:
        png = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images, one element per type in ICNS_TYPES."""
    body = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render(out: Path, svg: Path) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - keeps Qt alive
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG image Qt can read.")
    out.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, bytes] = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    for path in hicolor_files():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        size = path.parts[1].split("x")[0]
        (out / path).write_bytes(svg.read_bytes() if size == "scalable" else pngs[int(size)])
    (out / ICO_NAME).write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (out / ICNS_NAME).write_bytes(icns_bytes(pngs))
    for name, images in ((ICO_NAME, len(ICO_SIZES)), (ICNS_NAME, None)):
        reader = QImageReader(str(out / name))
        if not reader.canRead() or (images and reader.imageCount() != images):
            raise SystemExit(f"Qt cannot read back {out / name}: {reader.errorString()}")
    (out / "stamp.txt").write_text(_stamp(svg), "utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else ICON_SVG
    if len(sys.argv) > 2:
        render(target, source)  # the child process ensure_icons starts
    else:
        print(f"{'Rendered' if ensure_icons(target, source) else 'Up to date'}: icons in {target}")
