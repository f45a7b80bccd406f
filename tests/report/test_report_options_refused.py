"""Options that cannot give the report the person meant get one clear line and exit 2,
with nothing written (issue 10, item 10)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from evidence_app.cli import main


@pytest.fixture
def case_folder(rich_case, case) -> Path:
    folder = case.folder
    case.close()  # the CLI opens the case itself
    return folder


def report(capsys, folder: Path, *argv: object) -> tuple[int, str, str]:
    code = main(["--case", str(folder), "report", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "said"), [
    (("--incident", "999"), "There is no incident 999."),
    (("--tag", "nosuch"), "No incident has the tag 'nosuch'"),
    (("--from", "01/01/2030", "--no-undated"), "No incident matches what was chosen"),
])
def test_a_selection_that_matches_nothing_is_refused(case_folder, tmp_path, capsys, argv, said):
    out = tmp_path / "r.pdf"
    code, _, err = report(capsys, case_folder, "--out", out, *argv)
    assert code == 2 and said in err and err.count("\n") == 1
    assert not out.exists()


def test_a_folder_given_as_the_output_is_refused(case_folder, tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _, err = report(capsys, case_folder, "--out", folder)
    assert code == 2 and "is a folder" in err
    assert list(folder.iterdir()) == [] and not (tmp_path / "reports.pdf").exists()


def test_an_existing_file_is_replaced_only_when_asked(case_folder, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"my own notes")
    code, _, err = report(capsys, case_folder, "--out", out)
    assert code == 2 and "already exists and was left as it is" in err
    assert out.read_bytes() == b"my own notes"
    code, _, _ = report(capsys, case_folder, "--out", out, "--force")
    assert code == 0 and out.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a folder this account cannot write (root writes anywhere)")
def test_a_folder_that_cannot_be_written_is_a_clear_error(case_folder, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = report(capsys, case_folder, "--out", locked / "r.pdf")
    finally:
        locked.chmod(0o700)
    assert code == 2 and "cannot be written to" in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux's /proc takes no files")
def test_a_place_no_one_can_write_is_a_clear_error(case_folder, capsys):
    code, _, err = report(capsys, case_folder, "--out", "/proc/r.pdf")
    assert code == 2 and "/proc" in err and "unexpected" not in err


def test_nothing_but_the_finished_report_is_left_in_the_destination(case_folder, tmp_path,
                                                                      capsys):
    dest = tmp_path / "out"
    dest.mkdir()
    code, _, _ = report(capsys, case_folder, "--out", dest / "r.pdf")
    assert code == 0
    assert [p.name for p in dest.iterdir()] == ["r.pdf"]  # no hidden build files


def test_an_empty_case_gives_a_report_that_says_so(tmp_path, capsys):
    folder = tmp_path / "empty"
    assert main(["--case", str(folder), "init", "--owner", "Jane Smith", "--initials", "JS"]) == 0
    code, _, _ = report(capsys, folder, "--out", tmp_path / "r.pdf")
    assert code == 0
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "There are no incidents in this log yet." in " ".join(text.split())
