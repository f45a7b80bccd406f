"""Encrypted cases: nothing readable outside, damage found, wrong passphrases harmless.

The canary test puts one made-up word in every kind of record (an incident's title, a
note, a file's name, a person, a plate) and in an image's pixels (read back by OCR),
does what a person does (import, OCR, search, a report saved outside the case, close)
and then reads every byte the app could have left: the case folder (WAL and journal
included), the temp folder, the log folder and the in-memory work folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from evidence_app.core.cases import (
    change_passphrase,
    create_case,
    is_encrypted,
    open_case,
    reset_passphrase,
)
from evidence_app.core.errors import (
    PassphraseNeeded,
    RecoveryKeyInvalid,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import add_note, create_incident
from evidence_app.core.ocr import run_queue, tesseract_path
from evidence_app.core.people import create_person, create_vehicle
from evidence_app.core.report.document import build_report
from evidence_app.core.report.options import ReportOptions
from evidence_app.core.search.find import search
from evidence_app.core.store.folder import DB_NAME
from evidence_app.core.store.sealed_cache import WORK_PREFIX, memory_folder
from evidence_app.core.store.verify import run_verify
from evidence_app.logs import log_file, setup_logging

CANARY = "QUOKKAMARMALADE"
PASSPHRASE = "correct horse battery staple"
FONT = Path(__file__).resolve().parents[3] / "evidence_app" / "resources" / "fonts" / "DejaVuSans.ttf"


def _canary_picture(path: Path) -> bytes:
    img = Image.new("RGB", (900, 220), "white")
    ImageDraw.Draw(img).text((30, 60), CANARY, fill="black",
                             font=ImageFont.truetype(str(FONT), 72))
    img.save(path, "PNG")
    return path.read_bytes()


def _photo(folder: Path, name: str, colour: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    img = Image.new("RGB", (320, 240), colour)
    ImageDraw.Draw(img).ellipse((40, 40, 200, 180), fill="white")
    img.save(path)
    return path


def _files(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        if root.is_dir():
            found += [p for p in root.rglob("*") if p.is_file()]
        elif root.is_file():
            found.append(root)
    return found


def _holding(needles: list[bytes], *roots: Path) -> list[str]:
    hits = []
    for path in _files(*roots):
        data = path.read_bytes().lower()
        for needle in needles:
            if needle.lower() in data:
                hits.append(f"{path}: {needle[:20]!r}")
    return hits


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in _files(folder)}


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """TMPDIR pointed at a folder of the test's own, so what lands there can be read."""
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return tmp


@pytest.fixture
def encrypted(tmp_path):
    case = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS",
                       passphrase=PASSPHRASE)
    yield case
    case.close()


@pytest.mark.skipif(tesseract_path() is None, reason="needs Tesseract")
def test_the_canary_is_nowhere_outside_the_encryption(tmp_path, private_tmp, app_home):
    setup_logging()
    folder = tmp_path / "case"
    source = tmp_path / "from-phone"
    source.mkdir()
    picture = _canary_picture(source / f"{CANARY} screenshot.png")
    case = create_case(folder, owner_name="Jane Smith", initials="JS", passphrase=PASSPHRASE)
    try:
        incident = create_incident(case, title=f"Car outside again, {CANARY}")
        add_note(case, incident, f"He said {CANARY} twice")
        create_person(case, f"Mark {CANARY}", role="suspect")
        create_vehicle(case, plate=f"{CANARY[:7]}", make=f"{CANARY} motors")
        results = [e.item for e in import_files(case, [source], incident) if e.item]
        assert [r.status for r in results] == ["imported"]
        list(run_queue(case, respect_pause=False, workers=1))
        found = search(case, CANARY.lower())
        assert found.total >= 1
        read = search(case, "quokkamarmalade screenshot")  # the OCR text and the name
        assert read.total >= 1
        out = tmp_path / "handed-over"
        out.mkdir()
        list(build_report(case, ReportOptions(), out / "report.pdf"))
        assert (out / "report.pdf").stat().st_size > 0
        assert case.cache.thumbnail(results[0].sha256)  # a thumbnail was kept (sealed)
        assert CANARY in _ocr_text(case, results[0].id)  # read from memory, not a file
    finally:
        case.close()
    # The pixels themselves: a slice of the PNG's compressed data, and any plain
    # picture or SQLite file's magic.
    needles = [CANARY.encode(), picture[100:132], b"SQLite format 3", b"\x89PNG", b"JFIF"]
    logs = log_file().parent
    assert logs.is_dir()
    assert _holding(needles, folder, private_tmp, logs) == []
    assert not any(folder.glob(f"{DB_NAME}-journal"))
    ram = memory_folder()
    if ram is not None:
        assert not list(ram.glob(f"{WORK_PREFIX}{os.getpid()}-*"))
    names = "\n".join(str(p.relative_to(folder)) for p in _files(folder))
    assert CANARY.lower() not in names.lower()


def _ocr_text(case, attachment_id: int) -> str:
    from evidence_app.core.store.models import Attachment

    with case.read() as session:
        return session.get(Attachment, attachment_id).ocr_text or ""


def test_the_stored_names_do_not_reveal_the_plain_sha256(encrypted, tmp_path):
    sha, _size, _new = encrypted.originals.put_bytes(b"a screenshot's bytes")
    names = [p.name for p in _files(encrypted.folder)]
    assert all(sha not in n and sha[:16] not in n for n in names)
    assert list(encrypted.originals.all_hashes()) == [sha]
    with encrypted.originals.open(sha) as fh:
        fh.seek(2)
        assert fh.read(6) == b"screen"


def test_one_flipped_byte_in_an_encrypted_original_is_reported(encrypted, tmp_path):
    photo = _photo(tmp_path / "in", "photo.png", "red")
    results = [e.item for e in import_files(encrypted, [photo]) if e.item]
    stored = [p for p in _files(encrypted.folder / "originals") if len(p.name) == 64]
    assert len(stored) == 1
    encrypted.close()
    target = stored[0]
    os.chmod(target, 0o600)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with open_case(encrypted.folder, passphrase=PASSPHRASE) as case:
        report = run_verify(case)
    assert not report.ok
    assert any(results[0].exhibit in p and "damaged" in p for p in report.problems), \
        report.problems


def test_one_flipped_byte_in_the_encrypted_database_is_reported(encrypted):
    for n in range(30):
        create_incident(encrypted, title=f"incident {n} " + "words " * 200)
    encrypted.close()
    db = encrypted.folder / DB_NAME
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x01  # a page holding records, not the first
    db.write_bytes(bytes(data))
    with open_case(encrypted.folder, passphrase=PASSPHRASE) as case:
        report = run_verify(case)
    assert not report.ok
    assert any("database" in p for p in report.problems), report.problems


def test_a_wrong_passphrase_changes_nothing_on_disk(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS", passphrase=PASSPHRASE).close()
    (folder / "case.lock").unlink()  # as a copied case folder arrives
    before = _snapshot(folder)
    with pytest.raises(WrongPassphrase) as wrong:
        open_case(folder, passphrase="Correct horse battery staple")
    with pytest.raises(PassphraseNeeded):
        open_case(folder)
    with pytest.raises(RecoveryKeyInvalid):
        open_case(folder, recovery_key="not a recovery key")
    with pytest.raises(WrongPassphrase):
        change_passphrase(folder, "nope nope nope", "another passphrase")
    assert _snapshot(folder) == before
    assert not (folder / "case.lock").exists()
    assert not (folder / f"{DB_NAME}-wal").exists()
    assert "\n" not in str(wrong.value)
    assert "try again" in str(wrong.value)


def test_the_recovery_key_opens_the_case_and_sets_a_new_passphrase(tmp_path):
    folder = tmp_path / "case"
    case = create_case(folder, owner_name="Jane Smith", initials="JS", passphrase=PASSPHRASE)
    key = case.recovery_key
    create_incident(case, title="The first time")
    case.close()
    assert key is not None and len(key.split("-")) == 8
    typed = key.lower().replace("-", " ").replace("1", "l")  # as someone copies it out
    with open_case(folder, recovery_key=typed) as opened:
        assert opened.settings().owner_name == "Jane Smith"
    other = create_case(tmp_path / "other", owner_name="A B", initials="AB",
                        passphrase=PASSPHRASE)
    other.close()
    with pytest.raises(WrongRecoveryKey):
        open_case(folder, recovery_key=other.recovery_key)
    reset_passphrase(folder, typed, "a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        open_case(folder, passphrase=PASSPHRASE)
    with open_case(folder, passphrase="a brand new passphrase") as opened:
        assert is_encrypted(folder) and opened.encrypted
    change_passphrase(folder, "a brand new passphrase", "and another one")
    open_case(folder, passphrase="and another one").close()
    open_case(folder, recovery_key=key).close()  # the recovery key still works


def test_the_passphrase_and_keys_appear_in_no_message_log_or_repr(tmp_path, app_home):
    setup_logging()
    folder = tmp_path / "case"
    case = create_case(folder, owner_name="Jane Smith", initials="JS", passphrase=PASSPHRASE)
    recovery = case.recovery_key
    assert recovery is not None
    texts = [repr(case), repr(case._engine), str(case._engine.url), repr(case.originals),
             repr(case.cache), repr(case._keys)]
    key_hex = case._keys.database.hex()
    case.close()
    for attempt in ("wrong passphrase 1", PASSPHRASE.upper()):
        try:
            open_case(folder, passphrase=attempt)
        except WrongPassphrase as exc:
            texts.append(str(exc))
            logging.getLogger("evidence_app").exception("failed")
    try:
        open_case(folder, recovery_key=recovery[:-1] + ("0" if recovery[-1] != "0" else "1"))
    except WrongRecoveryKey as exc:
        texts.append(str(exc))
    texts.append(log_file().read_text(encoding="utf-8"))
    joined = "\n".join(texts)
    assert "wrong passphrase 1" not in joined
    assert PASSPHRASE.lower() not in joined.lower()
    assert key_hex not in joined.lower()
    assert recovery[:11] not in joined


def test_work_files_of_an_encrypted_case_stay_in_memory_and_go_at_close(encrypted, tmp_path,
                                                                        private_tmp):
    from evidence_app.core.errors import PlainFileRefused

    photo = _photo(tmp_path / "in", "photo.png", "red")
    results = [e.item for e in import_files(encrypted, [photo]) if e.item]
    sha = results[0].sha256
    with pytest.raises(PlainFileRefused), encrypted.originals.as_file(sha):
        pass
    copy = encrypted.cache.viewer_copy(sha, "photo.png", "image/png")
    assert copy.read_bytes() == photo.read_bytes()
    preview = encrypted.cache.preview_file("report.pdf")
    preview.write_bytes(b"%PDF preview")
    with encrypted.cache.scratch() as work:
        (work / "pasted.png").write_bytes(b"pasted")
    assert not encrypted.contains(copy) and not encrypted.contains(preview)
    if memory_folder() is not None:
        assert copy.is_relative_to(memory_folder())
    encrypted.close()
    assert not copy.exists() and not preview.exists()
    assert list(private_tmp.iterdir()) == []
    from evidence_app.core.errors import CaseError

    with pytest.raises(CaseError, match="closed"):  # the stores let go of the keys
        encrypted.originals.read_bytes(sha)
    assert "closed" in repr(encrypted.originals._keys)


def test_a_plain_case_converts_and_its_plain_files_go(tmp_path):
    from evidence_app.core.cases import EncryptResult, encrypt_case

    folder = tmp_path / "case"
    photo = _photo(tmp_path / "in", "photo.png", "red")
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        create_incident(case, title=f"Seen at {CANARY}")
        list(import_files(case, [photo]))
        case.copy_database(tmp_path / "copy.db")
    (folder / "backups").mkdir()
    shutil.copy(tmp_path / "copy.db", folder / "backups" / "case-before-upgrade.db")
    (tmp_path / "copy.db").unlink()
    (folder / "backups" / "other-app-backup.zip").write_bytes(b"PK not ours")
    (folder / "notes-to-self.txt").write_text("not the app's")
    events = list(encrypt_case(folder, PASSPHRASE))
    result = events[-1].item
    assert isinstance(result, EncryptResult)
    assert "SSD" in result.message and result.originals == 1
    # What is not the store's is kept, where it was, and named; nothing is lost.
    assert result.left_alone == ("notes-to-self.txt", "backups/other-app-backup.zip")
    assert "notes-to-self.txt" in result.message
    assert (folder / "notes-to-self.txt").read_text() == "not the app's"
    assert (folder / "backups" / "other-app-backup.zip").read_bytes() == b"PK not ours"
    (folder / "notes-to-self.txt").unlink()
    (folder / "backups" / "other-app-backup.zip").unlink()
    assert is_encrypted(folder)
    assert _holding([CANARY.encode(), photo.read_bytes()[40:80]], folder) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "in"]  # nothing beside it
    with open_case(folder, recovery_key=result.recovery_key) as case:
        assert search(case, CANARY.lower()).total == 1
        report = run_verify(case)
        assert report.ok, report.problems
        assert report.originals_checked == 1


def test_a_cancelled_conversion_leaves_the_plain_case_as_it_was(tmp_path):
    from evidence_app.core.cases import encrypt_case
    from evidence_app.core.progress import CancelToken

    folder = tmp_path / "case"
    photos = [_photo(tmp_path / "in", "a.png", "red"), _photo(tmp_path / "in", "b.png", "blue")]
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        list(import_files(case, photos))
    before = _snapshot(folder)
    token = CancelToken()
    for event in encrypt_case(folder, PASSPHRASE, cancel=token):
        if event.message.startswith("Encrypting original"):
            token.cancel()
    after = _snapshot(folder)
    after.pop("case.lock", None)
    before.pop("case.lock", None)
    assert after == before and not is_encrypted(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "in"]
    with open_case(folder) as case:
        assert run_verify(case).ok
    shutil.rmtree(folder)


def test_a_copy_of_the_database_stays_encrypted_and_opens_with_the_case(encrypted, tmp_path):
    create_incident(encrypted, title=f"Seen at {CANARY}")
    copy = tmp_path / "copy.db"
    encrypted.copy_database(copy)
    assert _holding([CANARY.encode(), b"SQLite format 3"], copy) == []
    encrypted.close()
    shutil.copy(copy, encrypted.folder / DB_NAME)
    with open_case(encrypted.folder, passphrase=PASSPHRASE) as case:
        assert search(case, CANARY.lower()).total == 1


def test_a_conversion_cut_short_by_a_crash_is_finished_at_the_next_open(tmp_path, monkeypatch):
    from evidence_app.core.cases import encrypt_case
    from evidence_app.core.store import convert

    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        create_incident(case, title=f"Seen at {CANARY}")

    def crash(path):  # the power goes while the plain files are being overwritten
        raise KeyboardInterrupt

    monkeypatch.setattr(convert, "wipe_tree", crash)
    with pytest.raises(KeyboardInterrupt):
        list(encrypt_case(folder, PASSPHRASE))
    monkeypatch.undo()
    leftover = [p for p in tmp_path.iterdir() if p.name != "case"]
    assert len(leftover) == 1 and _holding([CANARY.encode()], leftover[0])
    with open_case(folder, passphrase=PASSPHRASE) as case:
        assert search(case, CANARY.lower()).total == 1
    assert [p.name for p in tmp_path.iterdir()] == ["case"]
    # And when the crash came between the two renames: the checked copy is put in place.
    (tmp_path / "case").rename(tmp_path / ".case.encrypting-1")
    shutil.copytree(tmp_path / ".case.encrypting-1", tmp_path / ".case.plain-1")
    with open_case(folder, passphrase=PASSPHRASE) as case:
        assert search(case, CANARY.lower()).total == 1
    assert [p.name for p in tmp_path.iterdir()] == ["case"]


def test_an_encrypted_case_is_upgraded_and_its_copy_aside_stays_encrypted(tmp_path, monkeypatch):
    from evidence_app.core.incidents import list_incidents
    from evidence_app.core.store import schema as schema_module
    from evidence_app.core.store.schema import head_revision

    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS",
                     passphrase=PASSPHRASE) as case:
        create_incident(case, title=f"Before the upgrade {CANARY}")
    scripts = tmp_path / "migrations"  # the app's migrations and one more, as a later version
    shutil.copytree(schema_module.MIGRATIONS, scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_future.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '9001'\ndown_revision = '{head_revision()}'\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    op.add_column('incidents', sa.Column('mood', sa.String(20)))\n"
        "\n\ndef downgrade():\n    pass\n")
    monkeypatch.setattr(schema_module, "MIGRATIONS", scripts)
    with open_case(folder, passphrase=PASSPHRASE) as case:
        backup = case.migration_backup
        assert backup is not None
        assert [i.title for i in list_incidents(case)] == [f"Before the upgrade {CANARY}"]
        assert run_verify(case).ok
    assert _holding([CANARY.encode(), b"SQLite format 3"], backup, folder) == []


def test_an_encrypted_case_without_its_key_file_says_so(tmp_path):
    from evidence_app.core.errors import CaseError

    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS", passphrase=PASSPHRASE).close()
    (folder / "case.key").rename(tmp_path / "elsewhere.key")
    with pytest.raises(CaseError, match="case.key"):
        open_case(folder, passphrase=PASSPHRASE)
    (tmp_path / "elsewhere.key").write_text("{not json")
    shutil.copy(tmp_path / "elsewhere.key", folder / "case.key")
    with pytest.raises(CaseError, match="cannot be read"):
        open_case(folder, passphrase=PASSPHRASE)
