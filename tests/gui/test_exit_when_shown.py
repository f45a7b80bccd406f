"""`evidence-app --exit-when-shown`: what a built bundle's smoke test and start-up
benchmark run, as they have no Python to watch the window with."""

import os
import subprocess
import sys

import pytest

from evidence_app.cli import main


def run(app_home, *args):
    env = dict(os.environ, EVIDENCE_APP_HOME=str(app_home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "evidence_app", *args], capture_output=True,
                          text=True, env=env, timeout=180)


def test_the_sample_case_shows_and_the_app_quits_by_itself(app_home):
    proc = run(app_home, "--demo", "--exit-when-shown")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("shown: ") and "(sample)" in proc.stdout
    assert "incidents in the timeline" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_case_that_cannot_open_exits_with_a_failure(app_home, tmp_path):
    folder = tmp_path / "not a case"
    folder.mkdir()
    (folder / "case.db").write_bytes(b"this is not a database")
    proc = run(app_home, "--case", str(folder), "--exit-when-shown")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "failed:" in proc.stderr and "shown:" not in proc.stdout


def test_the_option_is_not_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "exit-when-shown" not in capsys.readouterr().out
