"""Restoring backup files, and refusing crafted, damaged and incomplete ones."""

from __future__ import annotations

import json
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from fixtures.media_factory import phone_jpeg

from evidence_app.core.cases import DERIVED, open_case
from evidence_app.core.errors import UserError
from evidence_app.core.store.backup import backup_case
from evidence_app.core.store.restore import RestoreError, inspect_backup, restore_backup
from evidence_app.core.store.verify import run_verify


def run(gen):
    return list(gen)[-1].item


@pytest.fixture
def backup(case, import_paths, tmp_path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    import_paths(*(phone_jpeg(folder / f"IMG_{i}.jpg", size=(120, 90), seed=i)
                   for i in range(3)))
    usb = tmp_path / "usb"
    usb.mkdir()
    return run(backup_case(case, usb)).path


def test_restore_makes_a_checked_case_in_a_new_folder_and_records_it(backup, case, tmp_path):
    target = tmp_path / "restored"
    events = list(restore_backup(backup, target, derived=DERIVED))
    result = events[-1].item
    assert result.folder == target and result.originals_checked == 3
    assert [e.done for e in events] == sorted(e.done for e in events)
    with open_case(target) as again:
        assert run_verify(again).ok
        assert sorted(again.originals.all_hashes()) == sorted(case.originals.all_hashes())
        assert again.settings().case_uuid == case.settings().case_uuid
        from evidence_app.core.store.audit import entries

        with again.read() as session:
            last = list(entries(session))[-1]
        assert last.action == "restore" and last.details["file"] == backup.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "photos", "restored", "usb"]
    assert "3 stored file(s)" in inspect_backup(backup).describe()


def test_restore_never_replaces_an_existing_case_or_folder(backup, case, tmp_path):
    before = sorted(p.name for p in case.folder.iterdir())
    with pytest.raises(RestoreError, match="never replaces"):
        run(restore_backup(backup, case.folder))
    assert sorted(p.name for p in case.folder.iterdir()) == before
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "letter.txt").write_text("mine")
    with pytest.raises(RestoreError, match="never replaces"):
        run(restore_backup(backup, tmp_path / "taken"))
    assert (tmp_path / "taken" / "letter.txt").read_text() == "mine"
    (tmp_path / "empty").mkdir()  # an empty folder the person made for it is fine
    assert run(restore_backup(backup, tmp_path / "empty")).folder == tmp_path / "empty"


def rebuild(src: Path, dst: Path, *, add=(), drop=(), edit_manifest=None, edit_entries=None,
            raw_manifest: bytes | None = None) -> Path:
    """A copy of a real backup with something changed, written as an attacker would."""
    with zipfile.ZipFile(src) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        items = [(i, zf.read(i.filename)) for i in zf.infolist()
                 if i.filename != "manifest.json" and i.filename not in drop]
    if edit_entries:
        edit_entries(manifest["entries"])
    if edit_manifest:
        edit_manifest(manifest)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(dst, "w") as out:
            for info, data in items:
                out.writestr(info, data)
            for info, data in add:
                out.writestr(info, data)
            out.writestr("manifest.json", raw_manifest if raw_manifest is not None
                         else json.dumps(manifest))
    return dst


def listed(name: str, data: bytes):
    import hashlib

    def edit(entries):
        entries.append({"name": name, "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()})
    return edit


def link_entry(name: str, target: bytes):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


def bomb_entry(name: str, size: int):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, b"\0" * size


def first_original(entries) -> dict:
    return next(e for e in entries if e["name"].startswith("originals/"))


BOMB = 8 * 1024 * 1024
CRAFTED = {
    "zip slip": (dict(add=[(zipfile.ZipInfo("../evil.txt"), b"x")],
                      edit_entries=listed("../evil.txt", b"x")), "unsafe name"),
    "zip slip unlisted": (dict(add=[(zipfile.ZipInfo("originals/../../evil.txt"), b"x")]),
                          "unsafe name"),
    "absolute path": (dict(add=[(zipfile.ZipInfo("originals/ab/c"), b"x")],
                           edit_entries=listed("/tmp/evil.txt", b"x")), "unsafe name"),
    "backslashes": (dict(add=[(zipfile.ZipInfo("originals\\..\\..\\evil"), b"x")]),
                    "unsafe name"),
    "symlink entry": (dict(add=[link_entry("originals/ab/link", b"/etc/passwd")],
                           edit_entries=listed("originals/ab/link", b"/etc/passwd")),
                      "link or folder"),
    "duplicate names": (dict(add=[(zipfile.ZipInfo("case.db"), b"x")]), "two entries"),
    "names differing in capitals": (
        dict(add=[(zipfile.ZipInfo("originals/ab/Name"), b"x"),
                  (zipfile.ZipInfo("originals/ab/name"), b"x")],
             edit_entries=lambda e: (listed("originals/ab/Name", b"x")(e),
                                     listed("originals/ab/name", b"x")(e))), "capitals"),
    "zip bomb": (dict(add=[bomb_entry("originals/00/bomb", BOMB)],
                      edit_entries=listed("originals/00/bomb", b"\0" * BOMB)),
                 "beyond the limits"),
    "entry not in the manifest": (dict(add=[(zipfile.ZipInfo("originals/00/extra"), b"x")]),
                                  "does not list"),
    "hash mismatch": (dict(edit_entries=lambda e: first_original(e).update(sha256="0" * 64)),
                      "does not match the fingerprint"),
    "size mismatch": (dict(edit_entries=lambda e: first_original(e).update(
        size=first_original(e)["size"] + 1)), "manifest says"),
    "entry missing": (dict(drop=["case.db"]), "does not hold"),
    "lock file": (dict(add=[(zipfile.ZipInfo("case.lock"), b"x")],
                       edit_entries=listed("case.lock", b"x")), "unsafe name"),
    "another case's id": (dict(edit_manifest=lambda m: m.update(case_id="someone-else")),
                          "not the case its manifest names"),
    "a longer audit trail than the file holds": (
        dict(edit_manifest=lambda m: m["chain_head"].update(events=99)),
        "does not end where its manifest says"),
    "newer format": (dict(edit_manifest=lambda m: m.update(format_version=2)),
                     "newer version"),
    "no manifest format": (dict(raw_manifest=b"[1, 2, 3]"), "not an evidence backup"),
}


@pytest.mark.parametrize("kind", list(CRAFTED))
def test_a_crafted_backup_is_refused_and_nothing_is_left(backup, tmp_path, kind):
    changes, words = CRAFTED[kind]
    evil = rebuild(backup, tmp_path / "usb" / "evil.evidence-backup", **changes)
    target = tmp_path / "restored"
    with pytest.raises(UserError, match=words):
        run(restore_backup(evil, target))
    assert not target.exists()
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "photos", "usb"]


def test_a_truncated_or_damaged_backup_file_is_refused(backup, tmp_path):
    data = backup.read_bytes()
    cut = tmp_path / "cut.evidence-backup"
    cut.write_bytes(data[: len(data) - 300])
    with pytest.raises(UserError, match="not a complete backup file"):
        run(restore_backup(cut, tmp_path / "r1"))
    # One byte changed inside an original's data: the zip's CRC or the manifest's hash.
    with zipfile.ZipFile(backup) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("originals/"))
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
    damaged = bytearray(data)
    damaged[offset] ^= 0xFF
    bad = tmp_path / "bad.evidence-backup"
    bad.write_bytes(bytes(damaged))
    with pytest.raises(UserError, match="damaged|does not match"):
        run(restore_backup(bad, tmp_path / "r2"))
    junk = tmp_path / "junk.evidence-backup"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UserError, match="not a complete backup file"):
        run(restore_backup(junk, tmp_path / "r3"))
    assert not any(p.name.startswith(("r1", "r2", "r3", ".r")) for p in tmp_path.iterdir())


def test_a_restore_that_died_is_cleared_by_the_next_one(backup, tmp_path):
    stale = tmp_path / ".restored.restoring-abc123"
    (stale / "originals").mkdir(parents=True)
    (stale / "case.db").write_bytes(b"half")
    run(restore_backup(backup, tmp_path / "restored"))
    assert not stale.exists()


def test_a_case_damaged_before_its_backup_is_refused_unless_kept_anyway(case, import_paths,
                                                                        tmp_path):
    import os

    from fixtures.on_disk import original_file

    from evidence_app.core.store.restore import RestoreCheckFailed

    folder = tmp_path / "photos"
    folder.mkdir()
    results = import_paths(*(phone_jpeg(folder / f"IMG_{i}.jpg", size=(120, 90), seed=i)
                             for i in range(2)))
    path = original_file(case, results[0].sha256)
    os.chmod(path, 0o600)
    with open(path, "r+b") as fh:
        fh.write(b"\0\0\0")
    backup = run(backup_case(case, tmp_path))
    with pytest.raises(RestoreCheckFailed, match="backup file is intact") as caught:
        run(restore_backup(backup.path, tmp_path / "r1"))
    assert any(results[0].exhibit in p for p in caught.value.problems)
    assert not (tmp_path / "r1").exists()
    kept = run(restore_backup(backup.path, tmp_path / "r2", keep_problems=True))
    assert kept.problems and kept.originals_checked == 2
    with open_case(kept.folder) as again:
        assert not run_verify(again).ok  # the problem is still there to be seen


def test_a_failure_at_each_write_and_fsync_of_a_restore_leaves_nothing(backup, tmp_path):
    import errno
    import os

    for name in ("write", "fsync"):
        at = 1
        while True:
            calls = [0]
            real = getattr(os, name)

            def failing(*args, real=real, calls=calls, at=at):
                calls[0] += 1
                if calls[0] == at:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return real(*args)

            target = tmp_path / f"r-{name}-{at}"
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(os, name, failing)
                try:
                    run(restore_backup(backup, target))
                except RestoreError as exc:
                    assert "is full" in str(exc) and "backup file is unchanged" in str(exc)
                    assert not target.exists()
                    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]
                    at += 1
                    continue
            break
        assert at > 2, name
    with open_case(target) as again:  # the run that met no failure made a whole case
        assert run_verify(again).ok


def test_an_entry_whose_local_header_names_another_file_is_refused(backup, tmp_path):
    data = backup.read_bytes()
    at = data.index(b"PK\x03\x04")  # the first local header: case.db
    assert data[at + 30:at + 37] == b"case.db"
    forged = data[:at + 30] + b"case.dx" + data[at + 37:]
    evil = tmp_path / "forged.evidence-backup"
    evil.write_bytes(forged)
    with pytest.raises(UserError, match="damaged"):
        run(restore_backup(evil, tmp_path / "r"))
    assert not (tmp_path / "r").exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def _swapped_original(backup: Path, dst: Path, *, relist: bool) -> Path:
    """A copy of `backup` with its first original's bytes replaced by others of the same
    size (a whole, valid zip entry); with `relist`, the manifest lists the new bytes'
    hash too (as a forger would), so only the name the file is stored under disagrees."""
    import hashlib

    with zipfile.ZipFile(backup) as zf:
        name = first_original(json.loads(zf.read("manifest.json"))["entries"])["name"]
        data = bytearray(zf.read(name))
    data[len(data) // 2] ^= 0xFF
    new = bytes(data)

    def edit(entries):
        if relist:
            next(e for e in entries if e["name"] == name).update(
                sha256=hashlib.sha256(new).hexdigest())
    return rebuild(backup, dst, drop=[name], add=[(zipfile.ZipInfo(name), new)],
                   edit_entries=edit)


def test_an_original_whose_bytes_differ_from_the_manifest_is_still_refused(backup, tmp_path):
    # The unpack's own hash is what the check now relies on for a plain case's
    # originals: bytes that differ from the manifest must stop the restore there.
    evil = _swapped_original(backup, tmp_path / "usb" / "evil.evidence-backup", relist=False)
    target = tmp_path / "restored"
    with pytest.raises(UserError, match="does not match the fingerprint"):
        run(restore_backup(evil, target))
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "photos", "usb"]


def test_an_original_listed_under_a_hash_not_its_name_is_re_hashed_and_refused(backup,
                                                                               tmp_path):
    # Manifest and bytes agree, but the file is stored under another hash's name: the
    # unpack's hash does not stand for the name, so the check re-hashes it and refuses.
    from evidence_app.core.store.restore import RestoreCheckFailed

    evil = _swapped_original(backup, tmp_path / "usb" / "evil.evidence-backup", relist=True)
    with pytest.raises(RestoreCheckFailed, match="original has changed"):
        run(restore_backup(evil, tmp_path / "restored"))
    assert not (tmp_path / "restored").exists()
    kept = run(restore_backup(evil, tmp_path / "kept", keep_problems=True))
    assert kept.originals_checked == 3
    assert [p for p in kept.problems if "original has changed" in p]


def test_originals_hashed_while_unpacked_are_still_checked_to_be_there(backup, tmp_path):
    from evidence_app.core.store.verify import verify_case

    restored = run(restore_backup(backup, tmp_path / "restored"))
    with open_case(restored.folder) as again:
        shas = sorted(again.originals.all_hashes())
        gone = restored.folder / "originals" / shas[0][:2] / shas[0]
        gone.chmod(0o600)
        gone.unlink()
        report = run(verify_case(again, hashed=set(shas)))
    assert report.originals_checked == 3
    assert [p for p in report.problems if "original file is missing" in p]


def _restored_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "case.head" and not p.name.startswith("case.db")}


def test_a_backup_whose_entries_were_compressed_by_another_zip_tool_restores(backup,
                                                                            tmp_path):
    # Backups are written stored and read straight from the archive; a copy someone
    # re-zipped with compression goes through zipfile and gives the same files.
    squeezed = tmp_path / "usb" / "squeezed.evidence-backup"
    with zipfile.ZipFile(backup) as zf, zipfile.ZipFile(squeezed, "w") as out:
        for info in zf.infolist():
            data = zf.read(info.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    with zipfile.ZipFile(squeezed) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}
    plain = run(restore_backup(backup, tmp_path / "plain"))
    again = run(restore_backup(squeezed, tmp_path / "again"))
    assert again.originals_checked == plain.originals_checked == 3
    assert _restored_files(again.folder) == _restored_files(plain.folder)
    with open_case(again.folder) as case:
        assert run_verify(case).ok


@pytest.mark.parametrize("forge", ["signature", "extra field past the end"])
def test_a_stored_entry_with_a_forged_local_header_is_refused(backup, tmp_path, forge):
    import struct

    data = bytearray(backup.read_bytes())
    with zipfile.ZipFile(backup) as zf:
        info = max((i for i in zf.infolist() if i.filename.startswith("originals/")),
                   key=lambda i: i.header_offset)  # the last original: nearest the end
    at = info.header_offset
    assert data[at:at + 4] == b"PK\x03\x04"
    if forge == "signature":
        data[at:at + 4] = b"PK\x05\x06"
    elif forge == "extra field past the end":
        data[at + 28:at + 30] = struct.pack("<H", 0xFFFF)
        assert at + 30 + len(info.filename) + 0xFFFF + info.file_size > len(data)
    evil = tmp_path / "usb" / "evil.evidence-backup"
    evil.write_bytes(bytes(data))
    with pytest.raises(UserError, match="damaged|does not match"):
        run(restore_backup(evil, tmp_path / "r"))
    assert not (tmp_path / "r").exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_entries_longer_than_one_chunk_are_unpacked_whole_and_checked(backup, tmp_path,
                                                                      monkeypatch):
    # Small chunks: every original is read, hashed and written in many pieces through
    # the two alternating buffers; the files are whole, and one byte changed far into
    # an entry is still caught.
    from evidence_app.core.store import restore

    monkeypatch.setattr(restore, "CHUNK", 300)
    plain = run(restore_backup(backup, tmp_path / "plain"))
    with open_case(plain.folder) as case:
        assert run_verify(case).ok
        for sha in case.originals.all_hashes():
            assert (plain.folder / "originals" / sha[:2] / sha).stat().st_size > 3 * 300
    monkeypatch.undo()
    data = bytearray(backup.read_bytes())
    with zipfile.ZipFile(backup) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("originals/"))
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.file_size - 10] ^= 0xFF
    bad = tmp_path / "usb" / "bad.evidence-backup"
    bad.write_bytes(bytes(data))
    monkeypatch.setattr(restore, "CHUNK", 300)
    with pytest.raises(UserError, match="does not match the fingerprint"):
        run(restore_backup(bad, tmp_path / "r"))
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name or p.name == "r"]


def test_every_restored_file_and_folder_is_on_disk_before_the_case_appears(backup, tmp_path,
                                                                         monkeypatch):
    # Files are fsynced while later ones are unpacked; all of them (and every folder)
    # must be done before the staging folder is renamed into place.
    import os

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the file behind a descriptor")
    synced: set[str] = set()
    at_rename: list[list[str]] = []
    real_fsync, real_rename = os.fsync, os.rename

    def fsync(fd):
        real_fsync(fd)
        synced.add(os.readlink(f"/proc/self/fd/{fd}"))

    with zipfile.ZipFile(backup) as zf:
        names = [n for n in zf.namelist() if n != "manifest.json"]

    def rename(src, dst):
        if ".restoring-" in str(src):
            # Every unpacked file, and every folder from it up to the staging folder.
            made = {str(Path(src, name)) for name in names}
            for name in names:
                made.update(str(Path(src, *Path(name).parts[:i]))
                            for i in range(len(Path(name).parts)))
            at_rename.append(sorted(made - synced))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    restored = run(restore_backup(backup, tmp_path / "restored"))
    assert at_rename == [[]]
    assert restored.files == len(names) == 4
