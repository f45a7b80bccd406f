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
    [changes] = blocker.args  # what the write committed, as the case recorded it
    assert changes.incidents == {seen["result"]} and not changes.attachments
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


def test_an_older_read_that_finishes_last_is_not_shown(qtbot, case):
    # Two reader threads: a refresh asked for first can finish after a later one. The view
    # must end up showing the newer answer (the trash once showed an item already restored).
    ops = CaseOps(case)
    release = threading.Event()
    shown = []

    def slow(c):
        release.wait(5)
        return "old"

    ops.read(slow, on_done=shown.append, latest="trash")
    with qtbot.waitSignal(ops.busy_changed, timeout=5000, check_params_cb=lambda b: b is False):
        ops.read(lambda c: "new", on_done=shown.append, latest="trash")
        qtbot.waitUntil(lambda: shown == ["new"], timeout=5000)
        release.set()
    assert shown == ["new"]
    # Without a key every answer is delivered, and a key is free again once answered.
    ops.read(lambda c: 1, on_done=shown.append)
    ops.read(lambda c: 2, on_done=shown.append, latest="trash")
    assert ops.wait_idle()
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=5000)
    assert sorted(shown[1:]) == [1, 2]


def test_many_jobs_at_once_all_answer_on_the_gui_thread(qtbot, case):
    # Each job used to make and drop its own QObject; freed by the garbage collector on a
    # worker thread, one could vanish while a worker emitted on it (a rare crash).
    ops = CaseOps(case)
    children = len(ops.children())
    answers = []

    def work(c, n):
        return n * n

    for n in range(400):
        ops.read(work, n, on_done=lambda r: answers.append((r, QThread.currentThread() is ops.thread())))
    assert ops.wait_idle()
    qtbot.waitUntil(lambda: len(answers) == 400, timeout=10000)
    assert sorted(r for r, _ in answers) == sorted(n * n for n in range(400))
    assert all(on_gui for _, on_gui in answers)
    assert len(ops.children()) == children  # nothing made per job


def test_an_operation_announces_what_it_committed_even_if_it_then_fails(qtbot, case):
    ops = CaseOps(case)
    announced, errors = [], []
    ops.changed.connect(announced.append)

    def two_steps(c):
        first = create_incident(c, title="Saved")
        raise ValueError(f"after {first}")

    ops.op(two_steps, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    qtbot.waitUntil(lambda: bool(announced), timeout=5000)
    [saved] = list_incidents(case)
    assert announced[0].incidents == {saved.id}


def test_reads_announce_nothing(qtbot, case):
    ops = CaseOps(case)
    announced, got = [], []
    ops.changed.connect(announced.append)
    create_incident(case, title="Already there")
    ops.read_in_order(list_incidents, on_done=got.append)
    ops.op(list_incidents, on_done=got.append)  # a read queued as an operation is harmless
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    assert ops.wait_idle()
    qtbot.wait(50)
    assert announced == []


def test_a_long_task_announces_its_changes_while_it_runs(qtbot, case):
    ops = CaseOps(case)
    announced = []
    ops.changed.connect(announced.append)
    release = threading.Event()

    def make_two(c, cancel):
        yield Progress(1, 2, "one", create_incident(c, title="One"))
        release.wait(5)  # the first must be announced before the task ends
        yield Progress(2, 2, "two", create_incident(c, title="Two"))

    handle = ops.task(make_two, announce_every=0.0)
    # Announced while the task is silent (as while one big file is copied).
    qtbot.waitUntil(lambda: bool(announced), timeout=5000)
    assert handle.running and len(announced[0].incidents) == 1
    with qtbot.waitSignal(handle.finished, timeout=5000):
        release.set()
    assert len(announced[-1].incidents) == 2  # the whole task, when it ends
    qtbot.wait(200)
    assert sum(len(a.incidents) == 2 for a in announced) == 1  # and only once
