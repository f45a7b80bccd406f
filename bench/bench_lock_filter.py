"""The cost of the lock's application-wide event filter (gui/lock.py): how long Qt takes
to deliver one event with and without it, in the same run (target: under 10 µs added per
event, so even a thousand events a second cost under 1% of one core).

Events are sent straight to a plain QObject, so the figure is the filter's own cost:
one that the lock does not watch (most events: timers, paints) and a mouse move (which
it notes for the idle lock). Run:

    .venv/bin/python bench/bench_lock_filter.py [--events 200000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("EVIDENCE_APP_HOME", tempfile.mkdtemp(prefix="bench-lock-"))

TARGET_US = 10.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args(argv)
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    from evidence_app.gui.app import bare_window, make_application
    from evidence_app.gui.settings import AppSettings

    app = make_application([])
    window = bare_window(AppSettings())
    window.show()
    target = QObject()
    other = QEvent(QEvent.Type.User)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(1, 1), QPointF(1, 1),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)

    def per_event(event: QEvent) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(args.events):
                QCoreApplication.sendEvent(target, event)
            best = min(best, (time.perf_counter() - start) / args.events * 1e6)
        return best

    app.removeEventFilter(window.lock)
    without = per_event(other), per_event(move)
    app.installEventFilter(window.lock)
    with_filter = per_event(other), per_event(move)
    added = max(w - b for w, b in zip(with_filter, without, strict=True))
    print(f"unwatched event: {without[0]:.2f} -> {with_filter[0]:.2f} µs; "
          f"mouse move: {without[1]:.2f} -> {with_filter[1]:.2f} µs; "
          f"most added {added:.2f} µs (target under {TARGET_US:.0f})")
    return 0 if added < TARGET_US else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
