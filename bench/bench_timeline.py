"""Scrolling the timeline of a 10,000-incident case from top to bottom.

Scrolls one screen at a time (as a person paging down would) while a heartbeat timer
measures the GUI thread's longest stall; pages of rows arrive from a worker. Run:

    .venv/bin/python bench/bench_timeline.py [--incidents 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EVIDENCE_APP_HOME"] = str(Path(tmp) / "home")
        from bench_startup import make_case  # type: ignore[import-not-found]
        from PySide6.QtCore import QElapsedTimer, QTimer

        from evidence_app.gui.app import build_window, make_application

        folder = Path(tmp) / "case"
        make_case(folder, args.incidents)
        app = make_application()
        window = build_window()
        window.resize(1280, 800)
        window.show()
        window.session.open(folder)
        while window.view is None or not window.view.model.ready:
            app.processEvents()
        view, model = window.view.timeline, window.view.model
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def beat() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        heart = QTimer()
        heart.setInterval(5)
        heart.timeout.connect(beat)
        heart.start()
        bar = view.verticalScrollBar()
        t0 = time.perf_counter()
        steps = 0
        while len(model.incident_ids()) < model.total or bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            view.viewport().repaint()
            steps += 1
            end = time.perf_counter() + 0.016  # about one frame between page-downs
            while time.perf_counter() < end:
                app.processEvents()
        elapsed = time.perf_counter() - t0
        heart.stop()
        print(f"{model.total} incidents, {model.rowCount()} rows with month headers")
        print(f"paged down {steps} screens to the end in {elapsed:.1f} s "
              f"({elapsed / steps * 1000:.1f} ms per screen, including a 16 ms frame)")
        print(f"GUI heartbeat gaps: median {statistics.median(gaps):.0f} ms, "
              f"longest {max(gaps):.0f} ms (timer interval 5 ms)")
        window.session.close()
        if max(gaps) >= 200:
            print("MISSED: the GUI thread stalled for 200 ms or more while scrolling")
            raise SystemExit(1)


if __name__ == "__main__":
    main()
