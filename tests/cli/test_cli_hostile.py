"""Hostile input on the command line: ids no record can have, dates centuries out, limits
past what SQLite stores, and a disk that fills up mid-write. Each gets one clear line
(exit 2) and leaves the case exactly as it was."""

import json
import os
import subprocess
import sys

import pytest

from evidence_app.core.cases import open_case
from evidence_app.core.dates import When
from evidence_app.core.errors import ValidationError
from evidence_app.core.incidents import create_incident
from evidence_app.core.vocab import Precision

HUGE = str(2**63)  # one past the largest integer SQLite stores


def error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def incidents(cli, case_dir):
    return json.loads(cli("--case", case_dir, "incident", "list", "--json")[1])["incidents"]


@pytest.mark.parametrize("bad", [HUGE, "99999999999999999999999", "0", "-1"])
@pytest.mark.parametrize("command", [
    ["incident", "show", "{}"],
    ["incident", "delete", "{}"],
    ["attachment", "show", "{}"],
    ["note", "add", "{}", "--text", "hello"],
    ["import", "--incident", "{}", "photo.jpg"],
    ["report", "--out", "r.pdf", "--incident", "{}"],
])
def test_an_id_no_record_can_have_is_a_usage_mistake(case_dir, cli, command, bad, tmp_path,
                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = [a.replace("{}", bad) for a in command]
    code, out, err = cli("--case", case_dir, *args)
    assert (code, out) == (2, "")
    assert f"{bad} is not an id" in error_line(err)


def test_a_search_limit_past_sqlites_integers_still_searches(case_dir, cli):
    cli("--case", case_dir, "incident", "add", "--title", "Parked outside")
    code, out, _ = cli("--case", case_dir, "search", "parked", "--limit", HUGE)
    assert (code, out.splitlines()[0]) == (0, "1 result(s):")
    code, out, _ = cli("--case", case_dir, "search", "parked", "--limit", "0")
    assert (code, out) == (0, "1 result(s) (showing 0).\n")
    code, out, err = cli("--case", case_dir, "search", "parked", "--limit=-1")
    assert (code, out) == (2, "")
    assert error_line(err) == "error: --limit must be 0 or more."


@pytest.mark.parametrize("args", [
    ["incident", "add", "--title", "x", "--when", "0001-01-01"],
    ["incident", "add", "--title", "x", "--when", "01/03/0025"],
    ["incident", "add", "--title", "x", "--when", "2025-01-01", "--until", "9999-12-31"],
    ["search", "x", "--from", "9999-12"],
    ["report", "--out", "r.pdf", "--to", "9999-12"],
])
def test_a_year_centuries_out_is_refused(case_dir, cli, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("--case", case_dir, *args)
    assert (code, out) == (2, "")
    assert "cannot be right: dates from 1900 to 2100 are accepted" in error_line(err)
    assert incidents(cli, case_dir) == []
    assert not (tmp_path / "r.pdf").exists()


def test_the_first_and_last_accepted_years_work(case_dir, cli):
    for when in ("01/01/1900", "31/12/2100 23:59"):
        assert cli("--case", case_dir, "incident", "add", "--title", when, "--when", when)[0] == 0
    assert [i["title"] for i in incidents(cli, case_dir)] == ["01/01/1900", "31/12/2100 23:59"]


def test_the_desktop_app_cannot_store_such_a_year_either(case):
    # The GUI's date boxes reach 9999; the core refuses what the command line refuses.
    from datetime import UTC, datetime

    with pytest.raises(ValidationError, match="9999"):
        create_incident(case, title="x", when=When(datetime(9999, 1, 1, tzinfo=UTC), None,
                                                   Precision.EXACT, "Europe/London"))


FULL_DISK = """
import resource, sys
from evidence_app.cli import main
# Writes past this size fail with EFBIG, as they would with ENOSPC on a full disk.
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main([a.replace("@BIG", "a" * 400_000) for a in sys.argv[2:]]))
"""


@pytest.mark.skipif(os.name != "posix", reason="needs RLIMIT_FSIZE")
def test_a_full_disk_while_saving_says_so_and_changes_nothing(case_dir, cli, app_home):
    assert cli("--case", case_dir, "incident", "add", "--title", "Before")[0] == 0
    limit = (case_dir / "case.db").stat().st_size + 64 * 1024
    for args in (["incident", "add", "--title", "Long", "--description", "@BIG"],
                 ["note", "add", "1", "--text", "@BIG"]):
        proc = subprocess.run(
            [sys.executable, "-c", FULL_DISK, str(limit), "--case", str(case_dir), *args],
            capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert error_line(proc.stderr).startswith(
            "error: The change was not saved: the disk holding the case could not be written")
        assert "Nothing in the case was changed" in proc.stderr
    # So full that not even opening it works: the disk is named, not a damaged case.
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, "1000", "--case", str(case_dir),
                           "incident", "list"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "cannot be opened: the disk holding the case could not be written" in error_line(
        proc.stderr)
    assert [i["title"] for i in incidents(cli, case_dir)] == ["Before"]
    code, out, _ = cli("--case", case_dir, "incident", "show", "1", "--json")
    assert json.loads(out)["notes"] == []
    with open_case(case_dir) as case:
        assert case.settings().owner_name == "Jane Smith"
    assert cli("--case", case_dir, "verify")[0] == 0


@pytest.mark.parametrize("command", [
    ["attachment", "extract", "1", "--out", "{case}/case.db"],
    ["export", "--zip", "--out", "{case}/case.db"],
    ["export", "--out", "{case}/originals"],
    ["report", "--out", "{case}/originals/report.pdf"],
])
def test_nothing_is_written_into_the_case_folder(case_dir, cli, tmp_path, command):
    photo = tmp_path / "photo.png"
    photo.write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c63f8cfc0f01f0005000201a5d8f0a70000000049454e44ae426082"))
    assert cli("--case", case_dir, "import", photo)[0] == 0
    cli("--case", case_dir, "incident", "add", "--title", "Kept")
    before = {p: p.read_bytes() for p in case_dir.rglob("*") if p.is_file()
              and p.name not in ("case.lock", "case.db-wal", "case.db-shm")}
    code, out, err = cli("--case", case_dir, *[a.replace("{case}", str(case_dir))
                                               for a in command])
    assert (code, out) == (2, "")
    assert "outside the case folder" in error_line(err)
    after = {p: p.read_bytes() for p in case_dir.rglob("*") if p.is_file()
             and p.name not in ("case.lock", "case.db-wal", "case.db-shm")}
    assert after.keys() == before.keys()
    assert [i["title"] for i in incidents(cli, case_dir)] == ["Kept"]
    assert cli("--case", case_dir, "verify")[0] == 0
