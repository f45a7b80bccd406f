"""Start-up time: the main window showing a 10,000-incident case, against a bare PySide6
window started the same way in the same run (target: under 2x).

Each measurement is a fresh Python process timed from spawn to the moment the window is
exposed (bare) or the timeline shows its first rows (app). Run:

    .venv/bin/python bench/bench_startup.py [--incidents 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 800); w.show()
while not w.isVisible() or not w.windowHandle().isExposed():
    app.processEvents()
app.processEvents()
print("shown", time.process_time(), flush=True)
"""

APP = r"""
import sys, time
from pathlib import Path
from evidence_app.gui.app import launch, shutdown
app, w = launch(Path(sys.argv[1]), False)  # what `evidence-app --case DIR` does
while not w.windowHandle().isExposed():
    app.processEvents()
print("window", time.process_time(), flush=True)
while w.view is None or not w.view.model.ready or w.view.model.rowCount() == 0:
    app.processEvents()
    time.sleep(0.001)
w.view.timeline.viewport().repaint()
app.processEvents()
print("shown", time.process_time(), flush=True)
shutdown(w)
"""


def make_case(folder: Path, n: int) -> None:
    """A case with `n` dated incidents, imported in one go from a generated diary."""
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.diary_csv import import_diary, read_diary

    diary = folder.parent / "diary.csv"
    cats = ["following", "loitering", "calls", "texts", "gifts", "damage", "threats"]
    with diary.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["date", "time", "title", "location", "category", "description"])
        for i in range(n):
            day = 1 + i % 28
            month = 1 + (i // 28) % 12
            year = 2015 + i // (28 * 12)
            out.writerow([f"{day:02d}/{month:02d}/{year}", f"{8 + i % 12}:{i % 60:02d}",
                          f"Incident number {i}", "Station Road", cats[i % len(cats)],
                          "A description of what happened. " * 4])
    with create_case(folder, owner_name="Bench Person", initials="BP") as case:
        result = import_diary(case, read_diary(diary, "Europe/London"))
        assert result.imported == n, result


def timed(code: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    """Wall time from spawn to each mark the child prints, and the child's CPU time then
    (`name-cpu`), which the machine's load disturbs much less."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            text=True, env=env)
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        name, cpu = line.split()[:2]
        marks[name] = time.perf_counter() - t0
        marks[name + "-cpu"] = float(cpu)
    if proc.wait() != 0:
        raise SystemExit(f"child failed with status {proc.returncode}")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, EVIDENCE_APP_HOME=str(Path(tmp) / "home"))
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        folder, small = Path(tmp) / "big" / "case", Path(tmp) / "small" / "case"
        for where in (folder.parent, small.parent):
            where.mkdir()
        t = time.perf_counter()
        make_case(folder, args.incidents)
        print(f"made a case with {args.incidents} incidents in {time.perf_counter() - t:.1f} s")
        make_case(small, 100)
        timed(BARE, env=env)  # warm the file cache for all
        timed(APP, str(folder), env=env)
        runs: dict[str, list[float]] = {}

        def keep(prefix: str, marks: dict[str, float]) -> None:
            for key, value in marks.items():
                runs.setdefault(f"{prefix} {key}", []).append(value)

        load = os.getloadavg()[0]
        for _ in range(args.runs):  # interleaved, so load changes hit all alike
            keep("bare", timed(BARE, env=env))
            keep("big", timed(APP, str(folder), env=env))
            keep("small", timed(APP, str(small), env=env))
        m = {key: statistics.median(values) for key, values in runs.items()}
        print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs} (medians), "
              f"load average: {load:.1f} before, {os.getloadavg()[0]:.1f} after")
        print(f"{'':44} {'wall':>8} {'ratio':>6} {'cpu':>8} {'ratio':>6}")
        for label, key in (("bare PySide6 window shown", "bare shown"),
                           ("app main window shown (case opening)", "big window"),
                           (f"app with {args.incidents} incidents on screen", "big shown"),
                           ("app with 100 incidents on screen", "small shown")):
            wall, cpu = m[key], m[key + "-cpu"]
            print(f"{label:44} {wall * 1000:6.0f}ms {wall / m['bare shown']:5.2f}x "
                  f"{cpu * 1000:6.0f}ms {cpu / m['bare shown-cpu']:5.2f}x")
        w, b = m["big window"], m["bare shown"]
        if w / b >= 2:
            print("MISSED: the main window should appear in under 2x a bare window's time")
            raise SystemExit(1)


if __name__ == "__main__":
    main()
