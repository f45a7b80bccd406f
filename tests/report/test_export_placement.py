"""An export is put in place whole or not at all: built in the case's cache, fsynced,
then named. A killed, cancelled or failed export leaves nothing at the destination; an
existing destination is replaced only when asked, and only if it is an earlier export."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evidence_app.cli import main
from evidence_app.core.cases import open_case
from evidence_app.core.errors import UserError
from evidence_app.core.report import bundle
from evidence_app.core.report.options import ReportOptions


@pytest.fixture
def case_folder(rich_case, case) -> Path:
    folder = case.folder
    case.close()  # the CLI opens the case itself
    return folder


def export(capsys, folder: Path, *argv: object) -> tuple[int, str, str]:
    code = main(["--case", str(folder), "export", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def work_left(case_folder: Path) -> list[str]:
    """Work folders still in the case's cache (a finished export leaves none)."""
    return [p.name for p in (case_folder / "cache").glob(".tmp-*")]


@contextlib.contextmanager
def unwritable(folder: Path):
    """A folder nobody may add to: chmod for a user; for root, which ignores file modes,
    the immutable attribute."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("running as root without chattr +i: cannot make a folder unwritable")
        try:
            yield folder
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)


def test_an_existing_destination_is_replaced_only_when_asked(case_folder, tmp_path, capsys):
    out = tmp_path / "bundle"
    assert export(capsys, case_folder, "--out", out)[0] == 0
    first = json.loads((out / "manifest.json").read_text())["generated_at"]
    code, _, err = export(capsys, case_folder, "--out", out)
    assert code == 2 and "already exists" in err and "--force" in err
    code, _, err = export(capsys, case_folder, "--out", out, "--force", "--files", "shareable")
    assert code == 0, err
    assert not (out / "exhibits").exists() and (out / "shareable").is_dir()
    assert json.loads((out / "manifest.json").read_text())["generated_at"] >= first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "case", "files"]
    # A folder that is not an export is never replaced, even with --force.
    mine = tmp_path / "my documents"
    mine.mkdir()
    (mine / "letter.txt").write_text("keep me")
    code, _, err = export(capsys, case_folder, "--out", mine, "--force")
    assert code == 2 and "not an export made by this app" in err
    assert [p.name for p in mine.iterdir()] == ["letter.txt"]
    # A zip file likewise, and a folder where the zip should go is refused.
    assert export(capsys, case_folder, "--out", tmp_path / "b.zip", "--zip")[0] == 0
    code, _, err = export(capsys, case_folder, "--out", tmp_path / "b.zip", "--zip")
    assert code == 2 and "--force" in err
    assert export(capsys, case_folder, "--out", tmp_path / "b.zip", "--zip", "--force")[0] == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert "b/exhibits/JS-5_letter.pdf" in zf.namelist()
    assert work_left(case_folder) == []


def test_a_folder_that_cannot_be_written_is_a_clear_error(case_folder, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    with unwritable(locked):
        for argv in (["--out", locked / "bundle"], ["--out", locked / "b", "--zip"]):
            code, out, err = export(capsys, case_folder, *argv)
            assert code == 2, err
            assert "cannot" in err.lower() and str(locked) in err
            assert "unexpected" not in err.lower() and out == ""
        assert list(locked.iterdir()) == []
    assert work_left(case_folder) == []


def test_a_failure_while_naming_the_bundle_leaves_nothing(case_folder, tmp_path, monkeypatch):
    """The destination's folder refuses the rename itself (as a full or read-only disk
    does after the checks passed)."""
    real = os.replace

    def refuse(src, dst):
        if Path(dst).parent == tmp_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(bundle.os, "replace", refuse)
    with open_case(case_folder) as case, pytest.raises(UserError, match="Nothing was left"):
        list(bundle.export_bundle(case, ReportOptions(), tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "files"]
    # An empty folder the person made for it stays, empty.
    (tmp_path / "chosen").mkdir()
    with open_case(case_folder) as case, pytest.raises(UserError, match="Nothing was left"):
        list(bundle.export_bundle(case, ReportOptions(), tmp_path / "chosen"))
    assert list((tmp_path / "chosen").iterdir()) == []
    assert work_left(case_folder) == []


@pytest.mark.parametrize("as_zip", [False, True])
def test_across_file_systems_the_bundle_is_copied_then_named(case_folder, tmp_path,
                                                             monkeypatch, as_zip):
    """When the cache is on another file system the rename fails with EXDEV; the bundle
    is then copied beside the destination under a hidden name and renamed in place."""
    real = os.replace
    cache = case_folder / "cache"

    def cross_device(src, dst):
        if Path(src).is_relative_to(cache) and not Path(dst).is_relative_to(cache):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst)

    monkeypatch.setattr(bundle.os, "replace", cross_device)
    with open_case(case_folder) as case:
        events = list(bundle.export_bundle(case, ReportOptions(), tmp_path / "out",
                                           as_zip=as_zip))
    result = events[-1].item
    assert isinstance(result, bundle.BundleResult) and result.path.exists()
    if not as_zip:
        subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=result.path,
                       check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "files", result.path.name]
    assert work_left(case_folder) == []


def test_a_failed_copy_across_file_systems_leaves_nothing(case_folder, tmp_path,
                                                          monkeypatch):
    real = os.replace
    cache = case_folder / "cache"

    def cross_device(src, dst):
        if Path(src).is_relative_to(cache) and not Path(dst).is_relative_to(cache):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst)

    def disk_full(src, dst, *args, **kwargs):
        Path(dst).mkdir()
        (Path(dst) / "half.jpg").write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle.os, "replace", cross_device)
    monkeypatch.setattr(bundle.shutil, "copytree", disk_full)
    with open_case(case_folder) as case, pytest.raises(UserError, match="No space left"):
        list(bundle.export_bundle(case, ReportOptions(), tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "files"]


def test_cancelling_leaves_nothing(case_folder, tmp_path):
    with open_case(case_folder) as case:
        events = bundle.export_bundle(case, ReportOptions(), tmp_path / "out",
                                      shareable=True)
        for event in events:
            if "Copying" in str(event.message):
                break
        events.close()
        assert work_left(case_folder) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "files"]


CHILD = """
import sys, time
from pathlib import Path
from evidence_app.core.cases import open_case
from evidence_app.core.report.bundle import export_bundle
from evidence_app.core.report.options import ReportOptions
stop_at = sys.argv[3]
with open_case(Path(sys.argv[1])) as case:
    for event in export_bundle(case, ReportOptions(), Path(sys.argv[2]), shareable=True):
        if stop_at in str(event.message):
            print("ready", flush=True)
            time.sleep(120)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
@pytest.mark.parametrize("moment", ["Copying exhibit JS/3", "Making a shareable copy of JS/4",
                                    "Writing the manifest", "Putting the bundle in place"])
def test_a_killed_export_leaves_nothing_in_the_destination(case_folder, tmp_path, moment):
    dest = tmp_path / "dest"
    dest.mkdir()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(case_folder),
                              str(dest / "bundle"), moment], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "ready", child.stderr.read() if child.stderr else ""
        # The work so far is in the case's cache, with the exhibits copied there.
        assert list((case_folder / "cache").glob(".tmp-*/bundle/exhibits/*"))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert list(dest.iterdir()) == []
    # The next open of the case sweeps the cache's leftovers.
    with open_case(case_folder):
        pass
    assert work_left(case_folder) == []
