"""Backups of an encrypted case: they stay encrypted, say nothing readable about the case,
and restore only with its passphrase or recovery key (nothing left behind otherwise)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from evidence_app.core.cases import (
    DERIVED,
    change_passphrase,
    create_case,
    open_case,
)
from evidence_app.core.errors import PassphraseNeeded, WrongPassphrase, WrongRecoveryKey
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import add_note, create_incident
from evidence_app.core.search.find import search
from evidence_app.core.store.backup import backup_case
from evidence_app.core.store.restore import inspect_backup, restore_backup, unlock_backup
from evidence_app.core.store.verify import run_verify

CANARY = "QUOKKAMARMALADE"
PASSPHRASE = "correct horse battery staple"


def run(gen):
    return list(gen)[-1].item


def _picture(path: Path) -> Path:
    """A picture whose pixels are stored plainly enough to look for: an uncompressed BMP
    with a rare pattern in it."""
    img = Image.new("RGB", (64, 48), (17, 203, 91))
    ImageDraw.Draw(img).rectangle((8, 8, 40, 30), fill=(233, 7, 151))
    img.save(path, "BMP")
    return path


def _make(folder: Path, tmp_path: Path, passphrase: str | None):
    case = create_case(folder, owner_name="Jane Smith", initials="JS",
                       case_name=f"Jane {CANARY} case", passphrase=passphrase)
    incident = create_incident(case, title=f"Car outside the house {CANARY}")
    add_note(case, incident, f"He said {CANARY} twice")
    pics = tmp_path / "pics"
    pics.mkdir(exist_ok=True)
    pic = _picture(pics / f"{CANARY}-{folder.name}.bmp")
    results = [e.item for e in import_files(case, [pic]) if e.item is not None]
    assert results[-1].status == "imported"
    return case, pic.read_bytes()


def _needles(picture: bytes) -> list[bytes]:
    pixels = picture[-2000:]  # the BMP's pixel rows (stored uncompressed, bottom up)
    return [CANARY.encode(), b"Jane Smith", pixels]


@pytest.fixture
def encrypted(tmp_path):
    case, picture = _make(tmp_path / "case", tmp_path, PASSPHRASE)
    usb = tmp_path / "usb"
    usb.mkdir()
    result = run(backup_case(case, usb))
    yield case, result, picture
    case.close()


def test_the_canary_is_nowhere_in_an_encrypted_case_s_backup(encrypted, tmp_path):
    case, result, picture = encrypted
    data = result.path.read_bytes()
    assert [n for n in _needles(picture) if n in data] == []
    assert "Jane" not in result.path.name and CANARY not in result.path.name
    # The same case unprotected: the very same search finds every one of them.
    plain, plain_picture = _make(tmp_path / "plain", tmp_path, None)
    with plain:
        plain_backup = run(backup_case(plain, tmp_path / "usb")).path
    plain_data = plain_backup.read_bytes()
    assert [n for n in _needles(plain_picture) if n not in plain_data] == []
    assert plain_backup.name.startswith("Jane-QUOKKAMARMALADE-case-")


def test_the_manifest_says_encrypted_and_holds_the_key_file_but_not_the_name(encrypted):
    case, result, _picture = encrypted
    with zipfile.ZipFile(result.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = zf.namelist()
    assert manifest["encrypted"] is True
    assert manifest["case_name"] == "(protected)"
    assert "case.key" in names and "case.db" in names
    assert (case.folder / "case.key").read_bytes() == zipfile.ZipFile(result.path).read("case.key")
    originals = [n for n in names if n.startswith("originals/")]
    assert len(originals) == 1
    assert zipfile.ZipFile(result.path).read("case.db")[:16] != b"SQLite format 3\x00"
    info = inspect_backup(result.path)
    assert info.encrypted
    assert "protected by a passphrase (encrypted)" in info.describe() and "recovery key" in info.describe()
    assert CANARY not in info.describe()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_no_passphrase_or_a_wrong_one_restores_nothing(encrypted, tmp_path):
    _case, result, _picture = encrypted
    places = tmp_path / "places"
    places.mkdir()
    with pytest.raises(PassphraseNeeded):
        run(restore_backup(result.path, places / "restored", derived=DERIVED))
    with pytest.raises(WrongPassphrase):
        run(restore_backup(result.path, places / "restored", derived=DERIVED,
                           passphrase="not the passphrase"))
    with pytest.raises(WrongRecoveryKey):
        run(restore_backup(result.path, places / "restored", derived=DERIVED,
                           recovery_key="0" * 40))
    assert _listing(places) == []
    with pytest.raises(WrongPassphrase):
        unlock_backup(result.path, passphrase="not the passphrase")
    assert unlock_backup(result.path, passphrase=PASSPHRASE) is True


def test_restored_with_its_passphrase_it_stays_encrypted_and_opens_with_it(encrypted,
                                                                           tmp_path):
    case, result, _picture = encrypted
    target = tmp_path / "restored"
    restored = run(restore_backup(result.path, target, derived=DERIVED, passphrase=PASSPHRASE))
    assert restored.encrypted and restored.problems == ()
    assert restored.case_name == f"Jane {CANARY} case" and restored.originals_checked == 1
    assert (target / "case.key").read_bytes() == (case.folder / "case.key").read_bytes()
    assert not (target / "case.db").read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(PassphraseNeeded):
        open_case(target)
    with open_case(target, passphrase=PASSPHRASE) as again:
        assert again.encrypted
        hits = search(again, CANARY)
        assert hits.total >= 1
        report = run_verify(again)
        assert report.ok, report.problems


def test_the_recovery_key_restores_it_too(tmp_path):
    case = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS",
                       passphrase=PASSPHRASE)
    recovery = case.recovery_key
    assert recovery
    with case:
        create_incident(case, title="Car outside the house")
        backup = run(backup_case(case, tmp_path)).path
    restored = run(restore_backup(backup, tmp_path / "restored", derived=DERIVED,
                                  recovery_key=recovery))
    assert restored.encrypted
    with open_case(tmp_path / "restored", recovery_key=recovery) as again:
        assert again.encrypted


def test_an_incremental_backup_after_a_passphrase_change_takes_the_new_key_file(encrypted,
                                                                               tmp_path):
    case, first, _picture = encrypted
    change_passphrase(case.folder, PASSPHRASE, "a brand new passphrase")
    second = run(backup_case(case, tmp_path / "usb"))
    assert second.needs == [first.path.name]  # the original is taken from the first
    with zipfile.ZipFile(second.path) as zf:
        assert "case.key" in zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert [e["name"] for e in manifest["elsewhere"]] == [
        n for n in zipfile.ZipFile(first.path).namelist() if n.startswith("originals/")]
    with pytest.raises(WrongPassphrase):
        run(restore_backup(second.path, tmp_path / "r2", derived=DERIVED,
                           passphrase=PASSPHRASE))
    assert not (tmp_path / "r2").exists()
    restored = run(restore_backup(second.path, tmp_path / "r2", derived=DERIVED,
                                  passphrase="a brand new passphrase"))
    assert restored.originals_checked == 1
    # The first backup still opens with the passphrase the case had when it was made.
    assert unlock_backup(first.path, passphrase=PASSPHRASE)


def test_a_backup_whose_key_file_was_changed_is_refused_with_nothing_unpacked(encrypted,
                                                                              tmp_path):
    from evidence_app.core.store.backup_format import UnsafeBackup

    _case, result, _picture = encrypted
    forged = tmp_path / "forged.evidence-backup"
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "case.key":
                key = json.loads(data)
                key["kdf"]["time_cost"] = 1  # weaker, same length
                data = json.dumps(key, indent=2).encode() + b"\n"
                data = data.ljust(info.file_size, b" ")[:info.file_size]
            dst.writestr(info, data)
    places = tmp_path / "places"
    places.mkdir()
    with pytest.raises(UnsafeBackup, match="case.key does not match the fingerprint"):
        run(restore_backup(forged, places / "restored", derived=DERIVED,
                           passphrase=PASSPHRASE))
    assert _listing(places) == []
