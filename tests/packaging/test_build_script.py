"""packaging/build.py and the exclusion list, without running PyInstaller (CI builds the real app)."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.helpers import REPO, packaging_module

build = packaging_module("build")
exclusions = packaging_module("exclusions")


def test_without_pyinstaller_the_build_says_how_to_install_it(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "PyInstaller" else real(name, *a))
    assert build.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("PyInstaller is not installed in this Python (")
    assert 'pip install -e ".[package]"' in err
    assert "Traceback" not in err


def test_the_package_extra_installs_pyinstaller():
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    assert any(req.lower().startswith("pyinstaller") for req in extras["package"])


@pytest.mark.parametrize(("platform", "app", "exe"), [
    ("linux", "workbench", "workbench/workbench"),
    ("win32", "workbench", "workbench/workbench.exe"),
    ("darwin", "Fine-Tune Workbench.app", "Fine-Tune Workbench.app/Contents/MacOS/workbench"),
])
def test_where_the_built_app_is_on_each_platform(tmp_path, platform, app, exe):
    assert build.app_path(tmp_path, platform) == tmp_path / app
    assert build.executable_path(tmp_path, platform) == tmp_path / Path(exe)


def test_bundle_size_counts_files_once(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 1000)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"x" * 24)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert build.folder_size(tmp_path) == 1024


def test_build_and_gitignore_keep_build_output_out_of_git():
    ignored = (REPO / ".gitignore").read_text("utf-8").split()
    assert "build/" in ignored and "dist/" in ignored


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6QmlModels.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt6Quick.dll",  # Windows
    "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",  # macOS
    "PySide6/plugins/imageformats/qpdf.dll",
])
def test_unused_qt_parts_are_left_out(dest):
    assert exclusions.dropped(dest, linux=False)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Charts.so.6", "PySide6/Qt/lib/libQt6Svg.so.6", "PySide6/Qt/lib/libQt6OpenGL.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6", "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so", "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt6Widgets.dll", "PySide6/Qt/lib/QtCharts.framework/Versions/A/QtCharts",
    "workbench/resources/pricing.json", "workbench/resources/tokenizers/o200k_base.tiktoken",
    "libglib-2.0.so.0", "libfontconfig.so.1", "libxkbcommon.so.0", "libdbus-1.so.3",
])
def test_what_the_app_needs_stays(dest):
    assert not exclusions.dropped(dest, linux=True)


def test_the_gtk_stack_is_left_out_on_linux_only():
    for name in ("libgtk-3.so.0", "libcairo.so.2", "libpango-1.0.so.0", "libXi.so.6"):
        assert exclusions.dropped(name, linux=True)
        assert not exclusions.dropped(name, linux=False)
    toc = [("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"), ("libQt6Core.so.6", "/x", "BINARY")]
    assert exclusions.drop_unused(toc, linux=True) == [toc[1]]


def _imported_modules() -> set[str]:
    names = set()
    for path in (REPO / "workbench").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_excluded_module_is_imported_by_the_app():
    excluded = set(exclusions.EXCLUDED_MODULES)
    used = {name for name in _imported_modules()
            if any(name == e or name.startswith(e + ".") for e in excluded)}
    assert not used, f"the app imports modules the bundle leaves out: {sorted(used)} (packaging/exclusions.py)"


strip_symbols = packaging_module("strip_symbols")


def test_auditwheel_repaired_binaries_are_recognised_by_their_origin_rpath():
    assert strip_symbols.patched_by_auditwheel(
        " 0x000000000000000f (RPATH)              Library rpath: [$ORIGIN/../../numpy.libs]\n")
    assert strip_symbols.patched_by_auditwheel(" 0x1d (RUNPATH)            Library runpath: [$ORIGIN]\n")
    assert not strip_symbols.patched_by_auditwheel(
        " 0x1d (RUNPATH)            Library runpath: [/root/.pyenv/versions/3.11.7/lib]\n")
    assert not strip_symbols.patched_by_auditwheel(" 0x1 (NEEDED)  Shared library: [libc.so.6]\n")


@pytest.mark.skipif(not (shutil.which("strip") and shutil.which("readelf")), reason="needs binutils")
def test_stripping_leaves_auditwheel_repaired_wheels_alone(tmp_path):
    import numpy
    import tiktoken

    plain = Path(tiktoken._tiktoken.__file__)
    repaired = Path(numpy._core._multiarray_umath.__file__)
    symbols = subprocess.run(["readelf", "-W", "-S", str(plain)], capture_output=True, text=True).stdout
    if " .symtab " not in symbols:
        pytest.skip("this tiktoken build ships without symbols: nothing to strip")
    toc = [("tiktoken/_tiktoken.so", str(plain), "EXTENSION"),
           ("numpy/_core/_multiarray_umath.so", str(repaired), "EXTENSION"),
           ("numpy.libs/libopenblas.so", str(repaired), "BINARY"),
           ("workbench/resources/pricing.json", str(REPO / "resources" / "pricing.json"), "DATA")]
    out, saved = strip_symbols.strip_binaries(toc, tmp_path)
    assert out[0][1] == str(tmp_path / "tiktoken" / "_tiktoken.so")  # a stripped copy, the original untouched
    assert saved > 0 and Path(out[0][1]).stat().st_size < plain.stat().st_size
    assert " .symtab " not in subprocess.run(["readelf", "-W", "-S", out[0][1]], capture_output=True,
                                             text=True).stdout
    assert out[1:] == toc[1:]
