"""Backup files: what they hold, incremental backups, space and write failures."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from fixtures.media_factory import phone_jpeg

from evidence_app.core.cases import DERIVED, open_case
from evidence_app.core.incidents import create_incident
from evidence_app.core.store.anchor import HEAD_NAME
from evidence_app.core.store.backup import backup_case, last_backup, plan_backup
from evidence_app.core.store.backup_format import BackupError
from evidence_app.core.store.restore import RestoreError, restore_backup
from evidence_app.core.store.verify import run_verify


def photos(folder: Path, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [phone_jpeg(folder / f"IMG_{i:04d}.jpg", size=(160, 120), seed=i)
            for i in range(start, start + n)]


def run(gen):
    return list(gen)[-1].item


def head(case) -> tuple[int, str]:
    """The audit chain's head (every event, the full records verify keeps included)."""
    now = case.head()
    return now.events, now.hash


@pytest.fixture
def filled(case, import_paths, tmp_path):
    import_paths(*photos(tmp_path / "photos", 4))
    create_incident(case, title="Car outside the house")
    return case


def test_a_backup_holds_the_database_snapshot_and_every_original_stored_and_hashed(filled,
                                                                                  tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    events_before, hash_before = head(filled)
    result = run(backup_case(filled, usb))
    assert result.path.parent == usb.resolve() and result.path.name.endswith(".evidence-backup")
    with zipfile.ZipFile(result.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        infos = zf.infolist()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        for entry in manifest["entries"]:
            assert hashlib.sha256(zf.read(entry["name"])).hexdigest() == entry["sha256"]
            assert zf.getinfo(entry["name"]).file_size == entry["size"]
    assert manifest["format"] == "evidence-backup" and manifest["format_version"] == 1
    assert manifest["case_id"] == filled.settings().case_uuid
    assert manifest["chain_head"] == {"events": events_before, "hash": hash_before}
    names = {e["name"] for e in manifest["entries"]}
    assert "case.db" in names
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith("originals/")} == set(
        filled.originals.all_hashes())
    # The backup is recorded in the audit trail, and is the last one.
    assert last_backup(filled) is not None
    assert [p.name for p in usb.iterdir()] == [result.path.name]


def test_a_backup_taken_while_the_case_is_being_written_restores_and_verifies(filled,
                                                                             tmp_path):
    stop = threading.Event()
    written = []

    def writer():
        while not stop.is_set():
            written.append(create_incident(filled, title=f"Sighting {len(written)}"))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            pass
        result = run(backup_case(filled, tmp_path))
    finally:
        stop.set()
        thread.join()
    restored = run(restore_backup(result.path, tmp_path / "restored", derived=DERIVED))
    with open_case(restored.folder) as again:
        assert run_verify(again).ok
        assert head(again)[0] == result.chain_events + 1  # plus the restore itself


def test_an_incremental_backup_copies_only_new_originals_and_restore_needs_the_earlier(
        filled, import_paths, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    first = run(backup_case(filled, usb))
    import_paths(*photos(tmp_path / "more", 2, start=10))
    plan = plan_backup(filled, usb)
    assert len(plan.copy) == 2 and len(plan.reuse) == 4
    second = run(backup_case(filled, usb, plan=plan))
    assert second.needs == [first.path.name] and second.reused == 4
    with zipfile.ZipFile(second.path) as zf:
        held = [n for n in zf.namelist() if n.startswith("originals/")]
        manifest = json.loads(zf.read("manifest.json"))
    assert len(held) == 2
    assert manifest["needs"] == [first.path.name]
    assert {e["file"] for e in manifest["elsewhere"]} == {first.path.name}
    restored = run(restore_backup(second.path, tmp_path / "r1", derived=DERIVED))
    with open_case(restored.folder) as again:
        assert run_verify(again).ok and again.originals and restored.originals_checked == 6
    # Without the earlier file beside it, restore says which file it needs.
    first.path.rename(tmp_path / first.path.name)
    with pytest.raises(RestoreError, match=first.path.name.replace(".", r"\.")):
        run(restore_backup(second.path, tmp_path / "r2"))
    assert not (tmp_path / "r2").exists()
    # --full makes one that stands alone.
    full = run(backup_case(filled, usb, full=True))
    assert full.needs == []


def test_not_enough_space_is_said_before_anything_is_written(filled, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda p: real(p)._replace(free=1000))
    plan = plan_backup(filled, usb)
    assert not plan.fits and "(1 KB free there)" in plan.describe()
    with pytest.raises(BackupError, match="not enough space"):
        run(backup_case(filled, usb))
    assert list(usb.iterdir()) == []


def test_a_backup_never_replaces_a_file_nor_goes_inside_the_case(filled, tmp_path):
    existing = tmp_path / "mine.evidence-backup"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="never replaces"):
        run(backup_case(filled, existing))
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(BackupError, match="inside the case folder"):
        run(backup_case(filled, filled.folder))
    with pytest.raises(BackupError, match="no folder"):
        run(backup_case(filled, tmp_path / "not-there"))


def _heads_file(fd: int) -> bool:
    """Whether `fd` is the case's head file (core/store/anchor.py) or its folder, which
    every write to the case brings up to date after its commit: the backup's own audit
    event does, and that write is the case's, not the backup's."""
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return False
    return target.endswith(f".{HEAD_NAME}.tmp") or (Path(target) / HEAD_NAME).exists()


def _fail_at(monkeypatch, name: str, at: int, code: int) -> list[int]:
    calls = [0]
    real = getattr(os, name)

    def failing(*args):
        if _heads_file(args[0]):
            return real(*args)
        calls[0] += 1
        if calls[0] == at:
            raise OSError(code, os.strerror(code))
        return real(*args)

    monkeypatch.setattr(os, name, failing)
    return calls


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "is full"),
                                         (errno.EIO, "was it unplugged")])
def test_a_failure_at_each_write_and_fsync_leaves_no_backup_and_the_case_untouched(
        filled, tmp_path, code, words):
    usb = tmp_path / "usb"
    usb.mkdir()
    before = head(filled)
    for name in ("write", "fsync"):
        at = 1
        while True:
            with pytest.MonkeyPatch.context() as mp:
                calls = _fail_at(mp, name, at, code)
                try:
                    result = run(backup_case(filled, usb))
                except BackupError as exc:
                    assert words in str(exc) and "case was not changed" in str(exc)
                    assert list(usb.iterdir()) == [], (name, at)
                    at += 1
                    continue
            assert calls[0] < at, (name, at)  # every call was tried in turn
            break
        assert at > (3 if name == "write" else 1)
        result.path.unlink()
        assert run_verify(filled).ok
    # Only the successful backups were recorded; nothing else was written.
    events = head(filled)[0]
    assert events == before[0] + 2


def test_a_cancelled_backup_leaves_nothing(filled, tmp_path):
    from evidence_app.core.progress import CancelToken

    token = CancelToken()
    events = []
    for event in backup_case(filled, tmp_path / "", cancel=token):
        events.append(event)
        if len(events) == 2:
            token.cancel()
    assert events[-1].item is None
    assert not list(tmp_path.glob("*.evidence-backup*")) and not list(tmp_path.glob(".evid*"))


def test_files_imported_after_the_plan_are_in_the_backup(filled, import_paths, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    plan = plan_backup(filled, usb)  # the person is still choosing; meanwhile an import
    import_paths(*photos(tmp_path / "late", 1, start=50))
    result = run(backup_case(filled, usb, plan=plan))
    with zipfile.ZipFile(result.path) as zf:
        held = {n.rsplit("/", 1)[1] for n in zf.namelist() if n.startswith("originals/")}
    assert held == set(filled.originals.all_hashes()) and len(held) == 5
    restored = run(restore_backup(result.path, tmp_path / "restored"))
    assert restored.originals_checked == 5


def test_the_archive_reaches_the_disk_before_it_is_named_a_backup(filled, tmp_path,
                                                                 monkeypatch):
    """Spy on the order: the last write to the archive, its fsync, the rename, then the
    folder's fsync (a power cut at any point leaves no file named like a backup that is
    not whole on disk)."""
    events: list[tuple[str, object]] = []
    real_write, real_fsync, real_replace = os.write, os.fsync, os.replace
    monkeypatch.setattr(os, "write", lambda fd, data: (
        _heads_file(fd) or events.append(("write", fd)), real_write(fd, data))[1])
    monkeypatch.setattr(os, "fsync", lambda fd: (
        _heads_file(fd) or events.append(("fsync", fd)), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", str(b))),
                                                     real_replace(a, b))[1])
    result = run(backup_case(filled, tmp_path))
    archive_fd = next(fd for kind, fd in reversed(events) if kind == "write")
    last_write = max(i for i, (kind, fd) in enumerate(events)
                     if kind == "write" and fd == archive_fd)
    renamed = events.index(("replace", str(result.path)))
    assert ("fsync", archive_fd) in events[last_write:renamed]
    assert any(kind == "fsync" for kind, _ in events[renamed + 1:])  # the folder


def test_every_restored_file_reaches_the_disk_before_the_case_appears(filled, tmp_path,
                                                                     monkeypatch):
    backup = run(backup_case(filled, tmp_path))
    with zipfile.ZipFile(backup.path) as zf:
        entries = len(zf.namelist()) - 1
    fsyncs = [0]
    at_rename: list[int] = []
    real_fsync, real_rename = os.fsync, os.rename

    def fsync(fd):
        fsyncs[0] += 1
        return real_fsync(fd)

    def rename(a, b):
        if Path(b) == tmp_path / "restored":
            at_rename.append(fsyncs[0])
        return real_rename(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    run(restore_backup(backup.path, tmp_path / "restored"))
    # Each file and each folder (the staging folder, originals/ and its sub-folders).
    assert at_rename and at_rename[0] >= entries + 2
    assert fsyncs[0] > at_rename[0]  # and the parent folder after the rename


def test_a_drive_pulled_out_mid_backup_is_said_plainly(filled, tmp_path, monkeypatch):
    """The drive vanishes: writes fail with EIO and the partial file cannot be removed."""
    usb = tmp_path / "usb"
    usb.mkdir()
    real_write, real_unlink = os.write, Path.unlink
    calls = [0]

    def write(fd, data):
        calls[0] += 1
        if calls[0] > 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_write(fd, data)

    def unlink(self, missing_ok=False):
        if self.parent == usb.resolve():
            raise OSError(errno.ENODEV, os.strerror(errno.ENODEV))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(BackupError, match="was it unplugged") as caught:
        run(backup_case(filled, usb))
    assert "it is not a backup and can be deleted" in str(caught.value)
    monkeypatch.undo()
    assert not list(usb.glob("*.evidence-backup"))
    assert run_verify(filled).ok


def test_a_backup_too_big_for_a_fat32_stick_is_refused_before_writing(filled, tmp_path,
                                                                      monkeypatch):
    from evidence_app.core.store import places

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(places, "largest_file", lambda folder: 1000)
    plan = plan_backup(filled, usb)
    assert not plan.fits and "FAT32" in plan.describe()
    with pytest.raises(BackupError, match="formatted as FAT32"):
        run(backup_case(filled, usb))
    assert list(usb.iterdir()) == []


def test_a_file_too_large_for_the_drive_is_not_called_a_full_drive(filled, tmp_path,
                                                                   monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    real = os.write
    calls = [0]

    def write(fd, data):
        calls[0] += 1
        if calls[0] == 5:
            raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(BackupError, match="cannot hold a file this large") as caught:
        run(backup_case(filled, usb))
    assert "is full" not in str(caught.value)
    assert list(usb.iterdir()) == []
