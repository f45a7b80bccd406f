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


# What the process has imported when the window is on screen with its welcome page,
# before the features start loading: noted as the worker begins to import them.
BEFORE_FEATURES = r"""
import sys
from evidence_app.cli import main
from evidence_app.gui import app as gui_app

starting = gui_app.start

def noting_the_window(window, *args, **kwargs):  # on the main thread, once it is shown
    print("WINDOW SHOWN:", window.isVisible() and window.windowHandle().isExposed(), flush=True)
    return starting(window, *args, **kwargs)

import_features = gui_app.import_features

def noting_what_is_loaded():  # on the worker, before it imports the features
    print("LOADED:", " ".join(sorted(list(sys.modules))), flush=True)
    return import_features()

gui_app.start = noting_the_window
gui_app.import_features = noting_what_is_loaded
plugged = gui_app.add_features
gui_app.add_features = lambda window: (plugged(window), window.close())
sys.exit(main([]))
"""

# Not needed to show the welcome page: the report (reportlab, PDF tools), encryption,
# the database layer and migrations, pictures, and every command-line command group.
NOT_BEFORE_THE_WINDOW = (
    "reportlab", "pikepdf", "pypdfium2", "uharfbuzz", "emoji", "lxml", "PIL", "pi_heif",
    "cryptography", "argon2", "sqlcipher3", "sqlalchemy", "alembic",
    "evidence_app.core.report", "evidence_app.core.conversations", "evidence_app.core.ocr",
    "evidence_app.core.store.case", "PySide6.QtPdf", "PySide6.QtPrintSupport",
    "evidence_app.cli.case", "evidence_app.cli.incidents", "evidence_app.cli.files",
    "evidence_app.cli.messages", "evidence_app.cli.report", "evidence_app.cli.search",
    "evidence_app.cli.encryption", "evidence_app.cli.backup",
)


def test_the_welcome_window_shows_before_the_heavy_modules_load(app_home):
    env = dict(os.environ, EVIDENCE_APP_HOME=str(app_home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", BEFORE_FEATURES], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "WINDOW SHOWN: True" in proc.stdout, proc.stdout
    loaded = set(next(line for line in proc.stdout.splitlines()
                      if line.startswith("LOADED:")).split()[1:])
    # Not vacuous: the window's own modules are there.
    assert {"PySide6.QtWidgets", "evidence_app.gui.main_window",
            "evidence_app.gui.widgets.welcome"} <= loaded
    assert sorted(loaded & set(NOT_BEFORE_THE_WINDOW)) == []
    # Nor anything inside those packages.
    assert sorted(m for m in loaded if m.startswith(tuple(
        name + "." for name in NOT_BEFORE_THE_WINDOW))) == []
