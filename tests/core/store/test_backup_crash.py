"""Kill a process (SIGKILL) while it backs up and while it restores, again and again.

After every kill: the case opens, verifies, and holds no temporary files; every file in
the backup folder that is named like a backup is a whole, valid one (hashes and all);
what a killed backup left is named so nothing takes it for a backup and is removed by
the next backup there; a killed restore never leaves anything named like the new case,
and the next restore clears its staging folder.
"""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fixtures.media_factory import phone_jpeg

from evidence_app.core.cases import create_case, open_case
from evidence_app.core.importers.files import import_files
from evidence_app.core.store.backup import backup_case, sweep_partials
from evidence_app.core.store.backup_format import (
    PARTIAL_SUFFIX,
    check_archive,
    open_archive,
    read_manifest,
)
from evidence_app.core.store.restore import STAGING, sweep_staging
from evidence_app.core.store.verify import run_verify

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs POSIX SIGKILL")]

BACKUP_CHILD = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    from evidence_app.core.cases import open_case
    from evidence_app.core.incidents import create_incident
    from evidence_app.core.store.backup import backup_case

    case = open_case(Path(sys.argv[1]))
    def write():
        while True:
            create_incident(case, title="written during a backup")
    threading.Thread(target=write, daemon=True).start()
    print("ready", flush=True)
    while True:
        for event in backup_case(case, Path(sys.argv[2]), full=sys.argv[3] == "full"):
            pass
""")

RESTORE_CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from evidence_app.core.store.restore import restore_backup

    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        for event in restore_backup(Path(sys.argv[1]), Path(sys.argv[2]) / f"restored-{os.getpid()}-{n}"):
            pass
""")

BACKUP_KILLS = 14
RESTORE_KILLS = 12


def start(script: str, *args: Path | str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", script, *map(str, args)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def kill_after(proc: subprocess.Popen[str], seconds: float) -> None:
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def whole_and_valid(path: Path) -> None:
    """A file named like a backup must be a finished one: every entry hashes as listed."""
    with open_archive(path) as zf:
        manifest = read_manifest(zf)
        infos = check_archive(zf, manifest)
        for entry in manifest.entries:
            with zf.open(infos[entry.name]) as fh:
                assert hashlib.file_digest(fh, "sha256").hexdigest() == entry.sha256


@pytest.fixture
def big_case(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    files = [phone_jpeg(photos / f"IMG_{i:03}.jpg", size=(900, 700), seed=i, quality=97)
             for i in range(24)]
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        for _ in import_files(case, files):
            pass
    return folder


def test_killing_backups_never_leaves_a_half_backup_that_looks_valid(big_case, tmp_path):
    rnd = random.Random(13)
    usb = tmp_path / "usb"
    usb.mkdir()
    partials_seen = 0
    for round_no in range(BACKUP_KILLS):
        mode = "full" if round_no % 3 == 0 else "incremental"
        kill_after(start(BACKUP_CHILD, big_case, usb, mode), rnd.uniform(0.0, 0.25))
        for path in usb.iterdir():
            if path.name.endswith(".evidence-backup"):
                whole_and_valid(path)
            else:
                assert path.name.startswith(".") and path.name.endswith(PARTIAL_SUFFIX)
                partials_seen += 1
        with open_case(big_case) as case:
            report = run_verify(case)
            assert report.ok, report.problems
            leftovers = [p for p in case.folder.rglob("*")
                         if p.name.startswith((".incoming-", ".tmp-"))]
            assert leftovers == []
    assert partials_seen, "no kill landed while a backup file was being written"
    sweep_partials(usb)
    assert not any(p.name.endswith(PARTIAL_SUFFIX) for p in usb.iterdir())
    # The newest backup (incremental, needing earlier ones) still restores whole.
    with open_case(big_case) as case:
        newest = list(backup_case(case, usb))[-1].item
    from evidence_app.core.store.restore import restore_backup

    restored = list(restore_backup(newest.path, tmp_path / "after"))[-1].item
    assert restored.originals_checked == 24


def test_killing_restores_never_leaves_a_half_restored_case(big_case, tmp_path):
    rnd = random.Random(31)
    with open_case(big_case) as case:
        backup = list(backup_case(case, tmp_path))[-1].item.path
    out = tmp_path / "out"
    out.mkdir()
    staging_seen = 0
    for _ in range(RESTORE_KILLS):
        kill_after(start(RESTORE_CHILD, backup, out), rnd.uniform(0.0, 0.3))
        for path in out.iterdir():
            if path.name.startswith("restored-"):
                with open_case(path) as case:  # only ever a whole, checked case
                    assert run_verify(case).ok
                    assert len(list(case.originals.all_hashes())) == 24
            else:
                assert path.name.startswith(".restored-") and STAGING in path.name
                staging_seen += 1
    assert staging_seen, "no kill landed while a restore was unpacking"
    sweep_staging(out)
    assert all(p.name.startswith("restored-") for p in out.iterdir())
