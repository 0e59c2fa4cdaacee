"""The app icon in every format: rendered from the SVG, readable by Qt, re-rendered only when it changed."""

from __future__ import annotations

import shutil
import struct

import pytest

from tests.packaging.helpers import packaging_module

icons = packaging_module("make_icons")
ident = packaging_module("app_identity")


def test_the_source_svg_exists():
    assert ident.ICON_SVG.is_file()
    assert ident.ICON_SVG.read_text("utf-8").lstrip().startswith("<svg")


def test_ico_container_layout():
    data = icons.ico_bytes({16: b"P16", 256: b"P256"})
    assert struct.unpack("<HHH", data[:6]) == (0, 1, 2)
    first = struct.unpack("<BBBBHHII", data[6:22])
    second = struct.unpack("<BBBBHHII", data[22:38])
    assert first[:2] == (16, 16) and second[:2] == (0, 0)  # 0 means 256 pixels
    assert data[first[7]:first[7] + first[6]] == b"P16"
    assert data[second[7]:second[7] + second[6]] == b"P256"


def test_icns_container_layout():
    pngs = {size: bytes([size % 251]) * 3 for size in icons.PNG_SIZES}
    data = icons.icns_bytes(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    kinds, offset = [], 8
    while offset < len(data):
        kind, length = data[offset:offset + 4].decode(), struct.unpack(">I", data[offset + 4:offset + 8])[0]
        kinds.append(kind)
        offset += length
    assert kinds == [kind for kind, _size in icons.ICNS_TYPES]


@pytest.mark.gui
def test_rendered_icons_read_back_through_qt(qapp, tmp_path):
    from PySide6.QtGui import QImage, QImageReader

    out = tmp_path / "icons"
    assert icons.ensure_icons(out) is True
    reader = QImageReader(str(out / icons.ICO_NAME))
    assert reader.imageCount() == len(icons.ICO_SIZES)
    sizes = set()
    for _ in range(reader.imageCount()):
        image = reader.read()
        sizes.add(image.width())
        reader.jumpToNextImage()
    assert sizes == set(icons.ICO_SIZES)
    assert QImageReader(str(out / icons.ICNS_NAME)).canRead()
    for path in icons.hicolor_files():
        assert (out / path).is_file(), path
        if path.suffix == ".png":
            size = int(path.parts[1].split("x")[0])
            image = QImage(str(out / path))
            assert (image.width(), image.height()) == (size, size)
            assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the artwork, not transparency
            assert image.pixelColor(0, 0).alpha() < 255  # rounded corners stay transparent


def test_icons_are_rendered_again_only_when_the_svg_changes(tmp_path):
    svg = tmp_path / "app.svg"
    shutil.copy(ident.ICON_SVG, svg)
    out = tmp_path / "icons"
    assert icons.ensure_icons(out, svg) is True
    assert icons.ensure_icons(out, svg) is False
    svg.write_text(svg.read_text("utf-8").replace("#1f6feb", "#d1242f"), encoding="utf-8")
    assert icons.ensure_icons(out, svg) is True


def test_an_unreadable_svg_is_reported(tmp_path):
    svg = tmp_path / "app.svg"
    svg.write_text("not an svg", encoding="utf-8")
    with pytest.raises(RuntimeError, match="Could not render the app icon") as info:
        icons.ensure_icons(tmp_path / "icons", svg)
    assert "is not an SVG image Qt can read" in str(info.value)
