"""`workbench --self-test`: is this install complete? Meant for the packaged app, works from source too.

Each check prints one line (✓ passed, ✗ failed, • for information) and the run ends with a plain verdict:
exit 0 when every check passed, 1 otherwise. It checks the shipped tokenizer files (they load and their
sha256 matches), the price list, the phone-number metadata, the compiled text matcher and Excel reading
and writing, then creates a throw-away workspace with the sample conversations and validates them, tells
where workspaces, logs and settings are kept (they must be outside the app's folder) and which keyring
keeps API keys, and finally renders the main window (offscreen when there is no display) and checks the
picture is not blank.

Nothing of the user's is touched: the workspace lives in a temporary folder, and when the self-test
starts Qt itself it points Qt's settings there too. In a process that already has a QApplication (the
test suite) that application is reused and its settings are the caller's business.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

PASS, FAIL, INFO = "pass", "fail", "info"
WINDOW_SIZE = (1200, 800)
_MARKS = {PASS: "✓", FAIL: "✗", INFO: "•"}
_ASCII_MARKS = {PASS: "[ok]", FAIL: "[FAILED]", INFO: "[--]"}


class CheckFailed(Exception):
    """A check found a problem; the message says what, for a person."""


@dataclass(frozen=True)
class CheckResult:
    outcome: str  # PASS, FAIL or INFO (information that is not a failure)
    message: str


@dataclass
class _Context:
    temp: Path
    timeout: float
    screenshot: Path | None
    workspace: object | None = None


def main(argv: list[str]) -> int:
    """``workbench --self-test [--screenshot FILE.png]``."""
    args = [a for a in argv if a != "--self-test"]
    screenshot = None
    if args[:1] == ["--screenshot"] and len(args) == 2:
        screenshot = Path(args[1])
    elif args:
        print("usage: workbench --self-test [--screenshot FILE.png]", file=sys.stderr)
        return 2
    return run_self_test(screenshot=screenshot)


def run_self_test(out: Callable[[str], None] | None = None, *, screenshot: Path | None = None,
                  timeout: float = 120.0) -> int:
    """Runs every check, printing a line for each through ``out``; 0 if all passed, else 1."""
    write = out or _print
    marks = _MARKS if out is not None or _can_print(_MARKS) else _ASCII_MARKS
    from workbench import __version__

    write(f"Fine-Tune Workbench {__version__} self-test ({_install_kind()})")
    results: list[CheckResult] = []
    with ExitStack() as stack:
        temp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ftw-self-test-",
                                                                    ignore_cleanup_errors=True)))
        context = _Context(temp=temp, timeout=timeout, screenshot=screenshot)
        stack.callback(_close_workspace, context)
        for check in CHECKS:
            result = _run(check, context)
            results.append(result)
            write(f"{marks[result.outcome]} {result.message}")
    failed = sum(r.outcome == FAIL for r in results)
    if failed:
        write(f"Self-test FAILED: {failed} of {len(results)} checks failed (marked {marks[FAIL]} above). "
              "Reinstall Fine-Tune Workbench; if that does not help, send this output to your support contact.")
        return 1
    write("Self-test passed: Fine-Tune Workbench is ready to use.")
    return 0


def _run(check: Callable[[_Context], CheckResult | str], context: _Context) -> CheckResult:
    try:
        result = check(context)
    except CheckFailed as exc:
        return CheckResult(FAIL, str(exc))
    except Exception as exc:  # an unexpected failure is still reported as one line, not a traceback
        title = (check.__doc__ or check.__name__).strip().splitlines()[0].rstrip(".")
        return CheckResult(FAIL, f"{title}: {type(exc).__name__}: {exc}")
    return result if isinstance(result, CheckResult) else CheckResult(PASS, result)


def _print(line: str) -> None:
    if sys.stdout is not None:  # a windowed executable may have no console at all
        print(line, flush=True)


def _can_print(marks: dict[str, str]) -> bool:
    try:
        "".join(marks.values()).encode(getattr(sys.stdout, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _install_kind() -> str:
    if getattr(sys, "frozen", False):
        return f"packaged app in {app_folder()}"
    return f"Python {sys.version.split()[0]}, source install"


def app_folder() -> Path:
    """The folder the app runs from: the executable's folder when packaged, else the package's parent."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[1]


# --- the checks, in order ------------------------------------------------------------------------------


def _check_data_files(ctx: _Context) -> str:
    """Data files."""
    from workbench.core.resources import resources_dir

    try:
        folder = resources_dir()
    except FileNotFoundError as exc:
        raise CheckFailed(str(exc)) from None
    missing = [p for p in ("pricing.json", "sample/acme-support.jsonl", "icons/app.svg") if not (folder / p).is_file()]
    if missing:
        raise CheckFailed(f"Data files are missing from {folder}: {', '.join(missing)}.")
    return f"Data files found in {folder}"


def _check_tokenizers(ctx: _Context) -> str:
    """Tokenizers."""
    from workbench.core.tokens import ENCODING_FILES, TokenizerFileError, get_encoding, load_ranks

    loaded = []
    for name in ENCODING_FILES:
        try:
            ranks = load_ranks(name)  # reads the shipped file and checks its sha256
        except TokenizerFileError as exc:
            raise CheckFailed(str(exc)) from None
        tokens = get_encoding(name).encode_ordinary("Hello, how can I help you today?")
        if not tokens:
            raise CheckFailed(f"The {name} tokenizer loads but counts no tokens.")
        loaded.append(f"{name} ({len(ranks):,} tokens)")
    return f"Tokenizers load and their checksums match: {', '.join(loaded)}"


def _check_prices(ctx: _Context) -> str:
    """Price list."""
    from workbench.core.pricing import default_price_list

    prices = default_price_list()
    if not prices.models:
        raise CheckFailed("The price list has no models.")
    return f"Price list: {len(prices.models)} fine-tunable models (prices checked {prices.checked})"


def _check_phone_numbers(ctx: _Context) -> str:
    """Phone number data."""
    import phonenumbers
    from phonenumbers import PhoneMetadata

    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    missing = [r for r in regions if PhoneMetadata.metadata_for_region(r) is None]  # imported lazily, per region
    if missing:
        raise CheckFailed(f"Phone number data is missing for {len(missing)} regions ({', '.join(missing[:5])}...).")
    if not phonenumbers.is_valid_number(phonenumbers.parse("+44 20 7946 0958")):
        raise CheckFailed("Phone number data loads but does not recognise a valid number.")
    return f"Phone number data for {len(regions)} regions"


def _check_text_matching(ctx: _Context) -> str:
    """Text matching."""
    from rapidfuzz import fuzz

    if fuzz.ratio.__module__.endswith("_py"):
        raise CheckFailed("The fast text matcher (rapidfuzz's compiled module) is missing; near-duplicate "
                          "checks would be very slow.")
    if round(fuzz.ratio("reset my password", "reset my pasword")) < 90:
        raise CheckFailed("The text matcher gives wrong scores.")
    return "Text matching (compiled rapidfuzz) works"


def _check_spreadsheets(ctx: _Context) -> str:
    """Spreadsheet import."""
    import pandas as pd

    path = ctx.temp / "self-test.xlsx"
    table = pd.DataFrame({"Question": ["Where is my invoice?"], "Answer": ["Under Billing > Invoices."]})
    table.to_excel(path, index=False)  # openpyxl writes it ...
    back = pd.read_excel(path)  # ... and reads it back, as the Import tab does
    if back.to_dict("records") != table.to_dict("records"):
        raise CheckFailed("An Excel file written and read back comes out different.")
    return "Spreadsheet import (pandas, openpyxl) works"


def _check_workspace(ctx: _Context) -> str:
    """Sample workspace."""
    from workbench.core.default_workspace import open_default_workspace
    from workbench.core.workspace_checks import WorkspaceChecker

    ws = ctx.workspace = open_default_workspace(ctx.temp / "Self-test workspace.ftw")
    count = ws.count()
    if count == 0:
        raise CheckFailed("The sample conversations could not be imported into a new workspace.")
    checked = WorkspaceChecker().check_ids(ws)
    errors = len(ws.ids(status="error"))
    if checked != count or errors:
        raise CheckFailed(f"The sample workspace does not validate: {checked} of {count} examples checked, "
                          f"{errors} with errors.")
    return f"A new workspace imports the {count} sample conversations and they validate without errors"


def _check_user_folders(ctx: _Context) -> str:
    """User folders."""
    from workbench.core.default_workspace import default_workspace_path
    from workbench.core.profiles import default_profiles_path
    from workbench.ui.app import log_path

    places = {"workspaces": default_workspace_path().parent, "logs": log_path().parent,
              "settings": default_profiles_path().parent}
    app = app_folder()
    inside = [what for what, folder in places.items() if folder.resolve().is_relative_to(app)]
    if inside:
        raise CheckFailed(f"The {' and '.join(inside)} folder would be inside the app's folder {app}.")
    return "User folders: " + "; ".join(f"{what} in {folder}" for what, folder in places.items())


def _check_keyring(ctx: _Context) -> CheckResult:
    """Keyring."""
    import keyring

    from workbench.providers.secrets import NO_KEYRING_NOTICE, backend_label, usable_backend

    backend = usable_backend(keyring.get_keyring())
    if backend is None:
        return CheckResult(INFO, f"Keyring: none found (not a failure). {NO_KEYRING_NOTICE}")
    return CheckResult(PASS, f"Keyring: API keys are stored in {backend_label(backend)}")


def _check_icons(ctx: _Context) -> str:
    """Icons."""
    _qt_application(ctx)
    from workbench.ui.icons import icon

    broken = [name for name in ("app", "status-ok", "status-warning", "status-error")
              if icon(name).pixmap(32, 32).isNull()]
    if broken:
        raise CheckFailed(f"Icons cannot be drawn ({', '.join(broken)}): Qt's SVG support is missing.")
    return "Icons draw (SVG support present)"


def _check_main_window(ctx: _Context) -> str:
    """Main window."""
    app = _qt_application(ctx)
    from workbench.ui.main_window import MainWindow
    from workbench.ui.tasks import wait_for_idle

    if ctx.workspace is None:
        raise CheckFailed("Main window not tried: the sample workspace could not be created.")
    window = MainWindow(ctx.workspace)
    try:
        window.resize(*WINDOW_SIZE)
        window.show()
        finished = _wait_until(lambda: window.check_task is not None and not window.check_task.running,
                               ctx.timeout)
        app.processEvents()
        image = window.grab().toImage()
    finally:
        window.close()
        window.deleteLater()
        wait_for_idle(ctx.timeout)
        app.processEvents()
    if not finished:
        raise CheckFailed(f"The main window did not finish checking the sample workspace within {ctx.timeout:.0f} s.")
    if image.isNull() or image.width() < 200 or image.height() < 200:
        raise CheckFailed(f"The main window renders to an empty picture ({image.width()}x{image.height()}).")
    colours = _colours(image)
    if colours < 2:
        raise CheckFailed("The main window renders as a blank picture (a single colour).")
    if ctx.screenshot is not None:
        ctx.screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(ctx.screenshot)):
            raise CheckFailed(f"The main window rendered, but {ctx.screenshot} could not be written.")
    platform = app.platformName()
    return f"Main window renders ({image.width()}x{image.height()}, {colours} colours, Qt platform '{platform}')"


CHECKS: list[Callable[[_Context], CheckResult | str]] = [
    _check_data_files, _check_tokenizers, _check_prices, _check_phone_numbers, _check_text_matching,
    _check_spreadsheets, _check_workspace, _check_user_folders, _check_keyring, _check_icons, _check_main_window,
]


# --- Qt helpers ----------------------------------------------------------------------------------------


def _qt_application(ctx: _Context):
    """The running QApplication, or a new one (offscreen without a display, settings in the temp folder)."""
    try:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        raise CheckFailed(f"The Qt libraries cannot be loaded ({exc}).") from None
    app = QApplication.instance()
    if app is not None:
        return app
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # the window saves its geometry on close: not
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(ctx.temp / "settings"))
    app = QApplication([sys.argv[0]])
    app.setOrganizationName("FineTuneWorkbenchSelfTest")  # ... into the user's real settings
    app.setApplicationName("self-test")
    if app.platformName() == "":
        raise CheckFailed("Qt started without a window system plugin.")
    return app


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Runs the event loop until ``condition()`` holds or ``timeout`` seconds pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return True
    loop = QEventLoop()
    poll = QTimer(interval=25)
    poll.timeout.connect(lambda: condition() and loop.quit())
    deadline = time.monotonic() + timeout
    give_up = QTimer(singleShot=True, interval=int(timeout * 1000))
    give_up.timeout.connect(loop.quit)
    poll.start()
    give_up.start()
    while not condition() and time.monotonic() < deadline:
        loop.exec()
    poll.stop()
    give_up.stop()
    return condition()


def _colours(image, grid: int = 24) -> int:
    """Distinct colours on a grid of sample points (a rendered window has many, a blank one has one)."""
    w, h = image.width(), image.height()
    return len({image.pixel(x * (w - 1) // (grid - 1), y * (h - 1) // (grid - 1))
                for x in range(grid) for y in range(grid)})


def _close_workspace(ctx: _Context) -> None:
    if ctx.workspace is not None:
        ctx.workspace.close()
        ctx.workspace = None
