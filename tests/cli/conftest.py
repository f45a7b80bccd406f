"""Fixtures every command-line test uses: run `evidence-app` in-process, and a new case."""

import pytest

from evidence_app.cli import main


@pytest.fixture
def cli(capsys):
    """Run the command line with these arguments; returns (exit code, stdout, stderr)."""
    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --help, --version, usage mistakes
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def case_dir(tmp_path, cli):
    """A new case folder made with `init` (owner Jane Smith, exhibits JS/1, JS/2, ...)."""
    folder = tmp_path / "case"
    code, _, err = cli("--case", folder, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0, err
    return folder
