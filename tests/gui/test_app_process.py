"""The real entry point, `evidence-app --case DIR`, in a separate process."""

import os
import subprocess
import sys
from pathlib import Path

from evidence_app.core.cases import open_case
from tests.gui.helpers import make_case

# Runs the command-line entry point with a watcher that reports what the window shows.
CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from evidence_app.cli import main
from evidence_app.gui.app import make_application
from evidence_app.gui.main_window import MainWindow

app = make_application()
ticks = [0]

def watch():
    ticks[0] += 1
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            print("MESSAGE:", w.text().replace("\n", " "), flush=True)
            w.accept()
            QApplication.quit()
            return
        if isinstance(w, MainWindow) and w.view is not None and w.view.model.ready:
            print("TITLE:", w.windowTitle(), flush=True)
            print("ROWS:", w.view.model.total, flush=True)
            print("FOLDER:", w.session.case.folder, flush=True)
            w.close()
            return
    if ticks[0] > 1500:
        print("TIMEOUT", flush=True)
        QApplication.quit()
        return
    QTimer.singleShot(10, watch)

QTimer.singleShot(10, watch)
sys.exit(main(sys.argv[1:]))
"""


def run_app(app_home, *args):
    env = dict(os.environ, EVIDENCE_APP_HOME=str(app_home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_app_opens_the_named_case_and_closes_cleanly(app_home, tmp_path):
    folder = make_case(tmp_path / "Named case", case_name="Named case")
    with open_case(folder) as case:
        from evidence_app.core.incidents import create_incident

        create_incident(case, title="One")
    proc = run_app(app_home, "--case", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "TITLE: Named case" in proc.stdout and "ROWS: 1" in proc.stdout
    assert "Traceback" not in proc.stderr
    open_case(folder).close()  # the lock was released on exit
    assert (app_home / "logs" / "evidence-app.log").is_file()


def test_a_second_window_on_a_locked_case_gets_the_message(app_home, tmp_path):
    folder = make_case(tmp_path / "Held case")
    with open_case(folder):  # this process holds the case
        proc = run_app(app_home, "--case", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "MESSAGE: \u201cHeld case\u201d is open in another window of this app" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_demo_opens_a_sample_case_and_removes_it_on_exit(app_home):
    proc = run_app(app_home, "--demo")
    assert proc.returncode == 0, proc.stderr
    assert "(sample)" in proc.stdout
    rows = int(proc.stdout.split("ROWS:")[1].split()[0])
    assert rows >= 20
    folder = Path(proc.stdout.split("FOLDER:")[1].splitlines()[0].strip())
    assert not folder.exists()  # the temporary sample is gone
    ini = app_home / "config" / "settings.ini"
    assert not ini.exists() or "Sample" not in ini.read_text()  # never a recent case
