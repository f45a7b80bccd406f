"""CI cannot pass by skipping: a test needing a program that is missing is skipped on a
developer's machine but fails on CI (CI=1), and .ci/run stops if an install failed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = '''
import pytest


@pytest.mark.needs_tool("no-such-program-anywhere")
def test_needs_a_missing_program():
    pass
'''


def _run_probe(tmp_path, ci):
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "--rootdir", str(tmp_path),
         "-q", "-n", "0", "-p", "no:randomly", "-p", "no:cacheprovider", "-o", "addopts=",
         "-o", "markers=needs_tool: x", "test_probe.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_a_missing_program_skips_on_a_developers_machine(tmp_path):
    proc = _run_probe(tmp_path, ci=False)
    assert proc.returncode == 0, proc.stdout
    assert "1 skipped" in proc.stdout


def test_a_missing_program_fails_on_ci(tmp_path):
    proc = _run_probe(tmp_path, ci=True)
    assert proc.returncode != 0, proc.stdout
    assert "no-such-program-anywhere is not installed" in proc.stdout
    assert "skipped" not in proc.stdout


def test_ci_script_installs_without_ignoring_failure_and_checks_every_tool():
    script = (ROOT / ".ci" / "run").read_text()
    install = script[script.index("apt-get install"):script.index("fi\n")]
    assert "|| true" not in install
    for tool in ("tesseract", "pdftotext", "pdftoppm", "exiftool"):
        assert tool in script[script.index("for tool in"):]


def test_no_test_skips_on_a_missing_program_behind_ci_s_back():
    quiet = [p for p in (ROOT / "tests").rglob("*.py") if p.name != "test_ci_tools.py"
             and "skipif(shutil.which(" in p.read_text(encoding="utf-8").replace(" ", "")]
    assert quiet == [], "use @pytest.mark.needs_tool(...) so CI fails when it is missing"
