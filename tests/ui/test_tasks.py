"""The background-task helper: every outcome reaches the GUI thread exactly once."""

import threading

from PySide6.QtCore import QCoreApplication, QThread

from workbench.ui.tasks import run_task


class Oops(Exception):
    pass


def test_result_arrives_on_the_gui_thread_even_for_an_instant_job(qtbot):
    seen = {}
    task = run_task("instant", lambda progress, cancelled: 42)
    task.succeeded.connect(lambda r: seen.update(
        result=r, on_gui_thread=QThread.currentThread() is QCoreApplication.instance().thread()))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["result"] == 42
    assert seen["on_gui_thread"]
    assert not task.running


def test_progress_is_reported(qtbot):
    steps = []

    def work(progress, cancelled):
        for i in range(3):
            progress(i + 1, 3)
        return "done"

    task = run_task("steps", work)
    task.progress.connect(lambda d, t: steps.append((d, t)))
    with qtbot.waitSignal(task.succeeded, timeout=5000):
        pass
    # Progress is coalesced (the bar shows the latest value), but it always ends on the last one.
    assert steps and steps[-1] == (3, 3)
    assert steps == sorted(steps)


def test_expected_errors_carry_their_message_and_unexpected_ones_do_not_leak_details(qtbot):
    task = run_task("import", lambda p, c: (_ for _ in ()).throw(Oops("the file is empty")), expected=(Oops,))
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert blocker.args == ["the file is empty"]

    task = run_task("count", lambda p, c: {}["secret-key-value"], expected=(Oops,))
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert "count failed unexpectedly (KeyError)" in blocker.args[0]
    assert "secret-key-value" not in blocker.args[0]


def test_cancel_is_reported_as_cancelled_not_failed(qtbot):
    started = threading.Event()
    release = threading.Event()

    def work(progress, cancelled):
        started.set()
        release.wait(5)
        if cancelled():
            raise InterruptedError("stopped")
        return "finished anyway"

    task = run_task("long", work)
    outcomes = []
    task.failed.connect(lambda m: outcomes.append("failed"))
    task.succeeded.connect(lambda r: outcomes.append("succeeded"))
    task.cancelled.connect(lambda: outcomes.append("cancelled"))
    qtbot.waitUntil(started.is_set)
    task.cancel()
    release.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert outcomes == ["cancelled"]
