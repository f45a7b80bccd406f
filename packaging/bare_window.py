"""The baseline for bench/bench_bundle.py: a bare PySide6 window, bundled by the same spec
(BUNDLE_VARIANT=bare). It shows an empty main window, says "shown" once the window is on
screen (as `evidence-app --exit-when-shown` does) and quits."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Bare window")
window.resize(1280, 720)
window.show()


def poll() -> None:
    handle = window.windowHandle()
    if handle is not None and handle.isExposed():
        print("shown: bare window", flush=True)
        app.quit()


timer = QTimer()
timer.timeout.connect(poll)
timer.start(10)
raise SystemExit(app.exec())
