"""One app id, name and version across the spec, the Linux desktop files, macOS and Windows metadata."""

from __future__ import annotations

import ast
import configparser
import os
import plistlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import workbench
from tests.packaging.helpers import PACKAGING, REPO, packaging_module

ident = packaging_module("app_identity")


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(ident.DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_version_is_the_packages():
    assert ident.version() == workbench.__version__
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["version"] == workbench.__version__  # the wheel says the same


def test_windows_version_numbers():
    assert ident.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert ident.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    assert ident.version_tuple("2") == (2, 0, 0, 0)
    assert ident.version_tuple("1.2.3.4.5+local7") == (1, 2, 3, 0)


def test_the_windows_version_resource_carries_the_version():
    text = ident.windows_version_info("1.4.2")
    call = ast.parse(text, mode="eval").body  # PyInstaller evaluates this text
    assert isinstance(call, ast.Call) and call.func.id == "VSVersionInfo"
    assert "filevers=(1, 4, 2, 0), prodvers=(1, 4, 2, 0)" in text
    assert "StringStruct('ProductVersion', '1.4.2')" in text
    assert "StringStruct('OriginalFilename', 'workbench.exe')" in text
    assert "StringStruct('ProductName', 'Fine-Tune Workbench')" in text


def test_the_macos_bundle_identity():
    plist = ident.macos_info_plist("1.4.2")
    assert plist["CFBundleIdentifier"] == ident.APP_ID == "io.finetuneworkbench.Workbench"
    assert plist["CFBundleShortVersionString"] == "1.4.2"
    assert plist["CFBundleName"] == ident.APP_NAME
    assert ["ftw"] in [t["CFBundleTypeExtensions"] for t in plist["CFBundleDocumentTypes"]]
    plistlib.dumps(plist)  # every value can be written to Info.plist


def test_the_spec_takes_its_identity_from_app_identity():
    spec = (PACKAGING / "workbench.spec").read_text("utf-8")
    ast.parse(spec)
    for use in ("bundle_identifier=ident.APP_ID", "name=ident.EXE_NAME", "ident.windows_version_info(VERSION)",
                "info_plist=ident.macos_info_plist(VERSION)", "icons.ICO_NAME", "icons.ICNS_NAME"):
        assert use in spec


def test_the_desktop_file_names_the_app_its_icon_and_executable():
    assert ident.DESKTOP_FILE.name == f"{ident.APP_ID}.desktop"
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == ident.APP_NAME
    assert entry["Icon"] == ident.APP_ID
    assert entry["Exec"].split()[0] == entry["TryExec"] == ident.EXE_NAME
    assert entry["Exec"].endswith("%F")  # files dropped on the launcher open in the app
    # X11 docks match windows to the entry by window class, which Qt takes from the application name.
    assert entry["StartupWMClass"] == ident.APP_NAME
    assert f'app.setApplicationName("{ident.APP_NAME}")' in (REPO / "workbench" / "ui" / "app.py").read_text("utf-8")


def test_the_appstream_metadata_matches_the_app():
    assert ident.METAINFO_FILE.name == f"{ident.APP_ID}.metainfo.xml"
    root = ET.parse(ident.METAINFO_FILE).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == ident.APP_ID
    assert root.findtext("name") == ident.APP_NAME
    assert root.findtext("launchable") == ident.DESKTOP_FILE.name
    assert root.findtext("provides/binary") == ident.EXE_NAME
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.find("description/p") is not None and root.findtext("summary")
    assert root.find("content_rating") is not None
    newest = root.find("releases/release")
    assert newest is not None, "add a <release> for the current version"
    assert newest.get("version") == workbench.__version__, (
        "workbench.__version__ changed: add a <release> at the top of the metainfo file")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date", ""))


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed (apt-get install appstream)")
def test_appstreamcli_accepts_the_metadata():
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(ident.METAINFO_FILE)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)")
def test_desktop_file_validate_accepts_the_entry():
    done = subprocess.run(["desktop-file-validate", str(ident.DESKTOP_FILE)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None, reason="a POSIX shell script")
def test_the_linux_install_helper_adds_the_menu_entry_for_this_folder(tmp_path):
    helper = PACKAGING / "linux" / "install-desktop-entry.sh"
    assert f"app_id={ident.APP_ID}\n" in helper.read_text("utf-8")
    app = tmp_path / "Fine Tune" / "workbench"  # a folder name with a space
    share = app / "_internal" / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    (share / "icons" / "hicolor" / "48x48" / "apps").mkdir(parents=True)
    shutil.copy(ident.DESKTOP_FILE, share / "applications")
    shutil.copy(ident.METAINFO_FILE, share / "metainfo")
    (share / "icons" / "hicolor" / "48x48" / "apps" / f"{ident.APP_ID}.png").write_bytes(b"png")
    (app / "workbench").write_text("#!/bin/sh\n", encoding="utf-8")
    (app / "workbench").chmod(0o755)
    shutil.copy(helper, app)
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    done = subprocess.run(["sh", str(app / helper.name)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    local = home / ".local" / "share"
    entry = (local / "applications" / ident.DESKTOP_FILE.name).read_text("utf-8")
    assert f'Exec="{app}/workbench" %F' in entry
    assert (local / "icons" / "hicolor" / "48x48" / "apps" / f"{ident.APP_ID}.png").read_bytes() == b"png"
    assert (local / "metainfo" / ident.METAINFO_FILE.name).is_file()
    assert (home / ".local" / "bin" / "workbench").resolve() == (app / "workbench").resolve()

    done = subprocess.run(["sh", str(app / helper.name), "--uninstall"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert not (local / "applications" / ident.DESKTOP_FILE.name).exists()
    assert not (home / ".local" / "bin" / "workbench").exists()
    assert (app / "workbench").is_file()  # the app itself stays
