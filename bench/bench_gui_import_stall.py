"""How responsive the window stays while 200 photos import through the Inbox.

A 10 ms heartbeat QTimer on the GUI thread records every tick; the longest gap between
ticks is the longest time the window could not react. Baselines in the same run: the
same heartbeat with the window idle (the machine's own noise), and the same import
run directly through core.importers.files without any GUI (the cost of showing progress).

    .venv/bin/python bench/bench_gui_import_stall.py [--files 200] [--size 1600x1200]

Exits non-zero when the longest stall during the import reaches 200 ms (the target).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def make_photos(folder: Path, n: int, size: tuple[int, int]) -> None:
    from tests.sample_images import photo

    folder.mkdir(parents=True)
    base = photo(folder / "base.jpg", datetime(2025, 3, 12, 8, 0), size=size).read_bytes()
    (folder / "base.jpg").unlink()
    for i in range(n):
        (folder / f"IMG_{i:04d}.jpg").write_bytes(base + i.to_bytes(4, "big"))


def heartbeat(app: QApplication, until: object) -> tuple[float, float, int]:
    """Run the event loop until `until()` is true; (seconds, longest gap, ticks)."""
    beats: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    start = time.perf_counter()
    timer.start()
    while not until():  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    ticks = [start, *beats]
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)] or [0.0]
    return time.perf_counter() - start, max(gaps), len(beats)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size", default="1600x1200")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    app = QApplication([])
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.files import import_files
    from evidence_app.gui.tasks import CaseOps
    from evidence_app.gui.widgets.inbox import InboxView
    from tests.gui_helpers import drop_files

    work = Path(tempfile.mkdtemp(prefix="stall-bench-"))
    try:
        make_photos(work / "photos", args.files, size)  # type: ignore[arg-type]

        core_case = create_case(work / "core-case", owner_name="Bench", initials="BB")
        t = time.perf_counter()
        list(import_files(core_case, [work / "photos"]))
        core_seconds = time.perf_counter() - t
        core_case.close()

        case = create_case(work / "gui-case", owner_name="Bench", initials="BB")
        ops = CaseOps(case)
        inbox = InboxView(ops)
        inbox.resize(1000, 700)
        inbox.show()
        end = time.perf_counter() + 2.0
        idle = heartbeat(app, lambda: time.perf_counter() > end)
        drop_files(inbox.view.viewport(), [work / "photos"])
        run = inbox.last_import
        busy = heartbeat(app, lambda: not run.running and len(inbox.model.items) == args.files)
        ops.wait_idle()
        case.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"files: {args.files} JPEG photos of {args.size}")
    print(f"idle window, 2 s:           longest gap {idle[1] * 1000:.0f} ms ({idle[2]} ticks)")
    print(f"import through the Inbox:   {busy[0]:.2f} s, longest gap {busy[1] * 1000:.0f} ms "
          f"({busy[2]} ticks)")
    print(f"same import, core only:     {core_seconds:.2f} s "
          f"(GUI run takes {busy[0] / core_seconds:.2f}x)")
    target = 0.200
    print(f"target: longest stall under {target * 1000:.0f} ms: "
          f"{'met' if busy[1] < target else 'MISSED'}")
    sys.exit(0 if busy[1] < target else 1)


if __name__ == "__main__":
    main()
