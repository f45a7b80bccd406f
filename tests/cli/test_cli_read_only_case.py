"""A case on a medium that cannot be written (a write-protected USB stick, an archive)
opens read-only: verify, search, report and export work and nothing in it changes."""

import os
import stat
from pathlib import Path

import pytest
from fixtures.media_factory import phone_jpeg

from evidence_app.core.cases import open_case
from evidence_app.core.errors import StorageError
from evidence_app.core.incidents import create_incident


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def closed_case(case_dir, cli, tmp_path):
    code, _, err = cli("--case", case_dir, "incident", "add", "--title", "Silver Astra outside",
                       "--when", "12/03/2025 21:15")
    assert code == 0, err
    code, _, err = cli("--case", case_dir, "import", phone_jpeg(tmp_path / "car.jpg", seed=3),
                       "--incident", "1")
    assert code == 0, err
    return case_dir


@pytest.fixture
def unwritable(closed_case, monkeypatch):
    """The case folder cannot be written: by permissions, and (since tests may run as
    root, whom permissions do not stop) as the app sees it."""
    real = os.access
    folder = closed_case.resolve()

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).resolve().is_relative_to(folder):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield closed_case
    folder.chmod(mode)


def test_verify_search_report_and_export_work_and_change_nothing(unwritable, cli, tmp_path):
    before = snapshot(unwritable)
    code, out, err = cli("--case", unwritable, "verify")
    assert code == 0, out + err
    assert "Everything holds." in out
    code, out, err = cli("--case", unwritable, "search", "astra")
    assert code == 0, err
    assert "Silver Astra outside" in out
    code, out, err = cli("--case", unwritable, "report", "--out", tmp_path / "r.pdf")
    assert code == 0, err
    assert (tmp_path / "r.pdf").stat().st_size > 1000
    code, out, err = cli("--case", unwritable, "export", "--out", tmp_path / "bundle")
    assert code == 0, err
    assert (tmp_path / "bundle" / "SHA256SUMS").is_file()
    assert snapshot(unwritable) == before


def test_a_change_to_a_read_only_case_is_refused_with_one_line(unwritable, cli):
    before = snapshot(unwritable)
    code, _, err = cli("--case", unwritable, "incident", "add", "--title", "New")
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0] and "Traceback" not in err
    assert snapshot(unwritable) == before


def test_opening_read_only_on_request(closed_case):
    before = snapshot(closed_case)
    with open_case(closed_case, read_only=True) as case:
        assert not case.writable
        with pytest.raises(StorageError, match="read-only"):
            create_incident(case, title="New")
    assert snapshot(closed_case) == before


def test_a_wrecked_database_on_a_read_only_medium_is_checked_on_a_copy(closed_case, cli,
                                                                        monkeypatch):
    with open(closed_case / "case.db", "r+b") as fh:
        fh.write(bytes(100))
    real = os.access
    folder = closed_case.resolve()

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).resolve().is_relative_to(folder):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = snapshot(closed_case)
    code, out, err = cli("--case", closed_case, "verify")
    assert code == 1, out + err
    assert "Traceback" not in err and "unexpected problem" not in err, err
    assert out.startswith("THE CASE DATABASE IS DAMAGED: its first bytes have been overwritten")
    assert "What can still be read: 1 incident, 0 notes, 1 exhibit" in out
    assert "1 problem(s) found." in out
    assert snapshot(closed_case) == before
