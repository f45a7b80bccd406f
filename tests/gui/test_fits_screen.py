"""Every window fits a small laptop screen and a 200% one, buttons always reachable.

Each screen needs a Qt process of its own (a process keeps the screens it started with),
so tests/gui/fit_probe.py opens every window there and reports what lies off screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

ROOT = Path(__file__).resolve().parents[2]

SCREENS = {
    "1280x720": {"width": 1280, "height": 720, "dpr": 1},
    "1366x768": {"width": 1366, "height": 768, "dpr": 1},
    "2560x1440 at 200%": {"width": 1280, "height": 720, "dpr": 2},  # logical pixels
}


@pytest.mark.parametrize("screen", SCREENS)
def test_every_window_fits_the_screen(screen, tmp_path):
    size = SCREENS[screen]
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": size["width"], "height": size["height"],
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": size["dpr"]}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               EVIDENCE_APP_HOME=str(tmp_path / "home"))
    run = subprocess.run([sys.executable, "-m", "tests.gui.fit_probe"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    # the probe saw the windows, the modal ones too (unlock, describe, forms)
    assert {"report", "main window", "unlock", "describe", "person", "vehicle",
            "change passphrase", "back up now"} <= set(report)
    assert {name: found for name, found in report.items() if found} == {}


def test_remembered_geometry_from_a_larger_screen_comes_back_on_screen(qtbot):
    from evidence_app.gui.main_window import MainWindow
    from evidence_app.gui.settings import AppSettings

    big = MainWindow(AppSettings())
    qtbot.addWidget(big)
    big.setGeometry(QRect(1500, 900, 1800, 1000))  # right and low on a 4K monitor
    settings = AppSettings()
    settings.geometry = big.saveGeometry()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    avail = again.screen().availableGeometry()
    # The offscreen platform draws a 1-pixel border outside the frame it was given.
    assert avail.adjusted(-1, -1, 1, 1).contains(again.frameGeometry()), \
        (again.frameGeometry(), avail)
