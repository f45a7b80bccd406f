"""Start-up: search and exhibits (which pull in the database layer) are imported on a
worker once the window is up, then plug in. Run as `evidence-app` in its own process,
so nothing a test imported earlier is already loaded."""

import os
import subprocess
import sys

# Wraps `import_features` to note the thread it runs on, then lets the app start with no
# case (the welcome screen) and reports once the features have plugged in.
CHILD = r"""
import sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from evidence_app.cli import main
from evidence_app.gui import app as gui_app
from evidence_app.gui.main_window import MainWindow

gui_app.make_application()
print("LOADED BEFORE START:", "evidence_app.gui.search_ui" in sys.modules, flush=True)
threads = []
import_features = gui_app.import_features

def noting_the_thread():
    threads.append("main" if threading.current_thread() is threading.main_thread() else "worker")
    return import_features()

gui_app.import_features = noting_the_thread
plugged = gui_app.add_features
gui_app.add_features = lambda window: (plugged(window), window.close())
ticks = [0]

def give_up():
    ticks[0] += 1
    if ticks[0] > 1500:
        print("TIMEOUT", flush=True)
        QApplication.quit()
    else:
        QTimer.singleShot(10, give_up)

QTimer.singleShot(10, give_up)
code = main(sys.argv[1:])
print("IMPORTED ON:", threads, flush=True)
sys.exit(code)
"""


def test_features_are_imported_on_a_worker_after_the_window_shows(app_home):
    env = dict(os.environ, EVIDENCE_APP_HOME=str(app_home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED BEFORE START: False" in proc.stdout
    assert "IMPORTED ON: ['worker']" in proc.stdout, proc.stdout
    assert "TIMEOUT" not in proc.stdout and "Traceback" not in proc.stderr
    log = (app_home / "logs" / "evidence-app.log").read_text(encoding="utf-8")
    assert "could not be loaded" not in log
