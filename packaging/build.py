"""Build the standalone Fine-Tune Workbench app (one folder, no Python needed) for this OS.

    pip install -e ".[package]"
    python packaging/build.py [--self-test] [--clean]

The app lands in dist/: dist/workbench/workbench (Linux), dist/workbench/workbench.exe (Windows),
dist/Fine-Tune Workbench.app (macOS). ``--self-test`` then runs the built app's ``--self-test``.
Exit codes: 0 built (and self-test passed), 1 the build or the self-test failed, 2 PyInstaller is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SPEC = HERE / "workbench.spec"
LINUX_SIZE_TARGET_MB = 250
INSTALL_HELPER = HERE / "linux" / "install-desktop-entry.sh"
NO_PYINSTALLER = (
    "PyInstaller is not installed in this Python ({python}), so the app cannot be built.\n"
    "Install it with the project's packaging extra, then run this again:\n"
    '    pip install -e ".[package]"'
)


def _sibling(name: str):
    """A module of this folder, loaded by path (packaging/ is not a package: see app_identity.py)."""
    key = f"_ftw_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, HERE / f"{name}.py")
        sys.modules[key] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[key]


def pyinstaller_missing_message() -> str | None:
    """None when PyInstaller can be imported, else what to do about it, in plain words."""
    if importlib.util.find_spec("PyInstaller") is None:
        return NO_PYINSTALLER.format(python=sys.executable)
    return None


def app_path(dist: Path, platform: str = sys.platform) -> Path:
    """What to hand to people: the .app bundle on macOS, the one folder elsewhere."""
    ident = _sibling("app_identity")
    if platform == "darwin":
        return dist / f"{ident.APP_NAME}.app"
    return dist / ident.EXE_NAME


def executable_path(dist: Path, platform: str = sys.platform) -> Path:
    ident = _sibling("app_identity")
    if platform == "darwin":
        return app_path(dist, platform) / "Contents" / "MacOS" / ident.EXE_NAME
    suffix = ".exe" if platform == "win32" else ""
    return app_path(dist, platform) / f"{ident.EXE_NAME}{suffix}"


def folder_size(path: Path) -> int:
    """Bytes in every file under ``path`` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Runs PyInstaller on the spec; returns the app's path. Raises RuntimeError on failure."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    done = subprocess.run(command, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"PyInstaller failed (exit code {done.returncode}); its messages are above.")
    app = app_path(dist)
    if sys.platform.startswith("linux"):
        shutil.copy2(INSTALL_HELPER, app / INSTALL_HELPER.name)
        missing = _sibling("exclusions").missing_libraries(app)
        if missing:
            lines = "\n".join(f"  {binary}: {', '.join(libs)}" for binary, libs in sorted(missing.items()))
            raise RuntimeError("The bundle lacks libraries its binaries link to (is an exclusion in "
                               f"packaging/exclusions.py too broad?):\n{lines}")
    return app


def run_self_test(dist: Path) -> int:
    exe = executable_path(dist)
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"\n$ {exe} --self-test", flush=True)
    return subprocess.run([str(exe), "--self-test"], env=env).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python packaging/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="run the built app's --self-test afterwards")
    parser.add_argument("--clean", action="store_true", help="rebuild from scratch (ignore PyInstaller's cache)")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the app goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build", help="PyInstaller's work folder (default: build/)")
    args = parser.parse_args(argv)

    message = pyinstaller_missing_message()
    if message:
        print(message, file=sys.stderr)
        return 2
    ident = _sibling("app_identity")
    icons = _sibling("make_icons")
    print(f"Building {ident.APP_NAME} {ident.version()} for {sys.platform} with {sys.executable}")
    print(("Rendered" if icons.ensure_icons() else "Up to date:") + f" app icons in {icons.DEFAULT_OUT}")
    started = time.monotonic()
    try:
        app = build(args.dist.resolve(), args.work.resolve(), clean=args.clean)
    except RuntimeError as exc:
        print(f"\nBuild failed: {exc}", file=sys.stderr)
        return 1
    size_mb = folder_size(app) / 1e6
    print(f"\nBuilt {app} in {time.monotonic() - started:.0f} s: {size_mb:.0f} MB")
    if sys.platform.startswith("linux") and size_mb > LINUX_SIZE_TARGET_MB:
        print(f"Note: that is over the {LINUX_SIZE_TARGET_MB} MB target for the Linux app.")
    print(f"Run it: {executable_path(args.dist.resolve())}")
    if args.self_test:
        code = run_self_test(args.dist.resolve())
        if code != 0:
            print(f"\nThe built app's self-test failed (exit code {code}).", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
