"""CaseOps runs work off the GUI thread and delivers results on it."""

import threading

from PySide6.QtCore import QThread

from evidence_app.core.incidents import create_incident, list_incidents
from evidence_app.core.progress import Progress
from evidence_app.gui.tasks import CaseOps


def test_op_runs_off_gui_thread_and_reports_on_it(qtbot, case):
    ops = CaseOps(case)
    seen = {}

    def write(c, title):
        seen["worker"] = threading.get_ident()
        return create_incident(c, title=title)

    def done(result):
        seen["result"] = result
        seen["callback_is_gui"] = QThread.currentThread() is ops.thread()

    with qtbot.waitSignal(ops.changed, timeout=5000) as blocker:
        ops.op(write, "Parcel left on doorstep", on_done=done)
    assert blocker.args == ["incidents"]
    assert seen["worker"] != threading.get_ident()
    assert seen["callback_is_gui"] is True
    assert [i.title for i in list_incidents(case)] == ["Parcel left on doorstep"]


def test_errors_reach_the_error_signal(qtbot, case):
    ops = CaseOps(case)

    def boom(c):
        raise ValueError("no such thing")

    with qtbot.waitSignal(ops.error, timeout=5000) as blocker:
        ops.op(boom)
    assert str(blocker.args[0]) == "no such thing"


def test_task_streams_progress_and_can_be_cancelled(qtbot, case):
    ops = CaseOps(case)
    started = threading.Event()

    def slow(c, cancel):
        for i in range(1000):
            if cancel.cancelled:
                return
            started.set()
            yield Progress(i, 1000, f"step {i}", i)
            QThread.msleep(2)

    handle = ops.task(slow)
    steps = []
    handle.progress.connect(lambda p: steps.append(p.done))
    qtbot.waitUntil(lambda: len(steps) > 3, timeout=5000)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        handle.cancel()
    assert 3 < len(handle.items) < 1000
