"""Paths a folder import must not follow or hang on: links out of the folder, links into
the case, pseudo-files that never end, the whole disk; names that are not UTF-8; and
two imports of the same bytes, one of them cancelled."""

import os
import threading
from pathlib import Path

import pytest
from fixtures.media_factory import phone_jpeg
from sqlalchemy import select

from evidence_app.core.attachments import get_attachment, list_inbox
from evidence_app.core.importers import files as importer
from evidence_app.core.importers.files import import_files
from evidence_app.core.names import name_bytes
from evidence_app.core.progress import CancelToken
from evidence_app.core.store import originals as blobs
from evidence_app.core.store.models import AuditEvent
from evidence_app.core.store.verify import run_verify

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX links, pipes and devices")


@posix
def test_links_inside_a_folder_never_lead_out_of_it(tmp_path, case, import_paths):
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    phone_jpeg(secret / "private.jpg", seed=1)
    (secret / "notes.txt").write_text("not evidence")
    folder = tmp_path / "phone"
    folder.mkdir()
    kept = phone_jpeg(folder / "kept.jpg", seed=2)
    (folder / "link to private.jpg").symlink_to(secret / "private.jpg")
    (folder / "passwords").symlink_to("/etc/passwd")
    (folder / "case database").symlink_to(case.folder / "case.db")
    (folder / "another folder").symlink_to(secret, target_is_directory=True)
    (folder / "same photo.jpg").symlink_to(kept)  # inside the folder: followed

    results = {Path(r.path).name: r for r in import_paths(folder)}

    assert results["kept.jpg"].status == "imported"
    assert results["same photo.jpg"].status == "duplicate"
    for name in ("link to private.jpg", "passwords", "case database"):
        assert results[name].status == "rejected", name
        assert "outside the folder being imported" in results[name].reason
    assert "/etc/passwd" in results["passwords"].reason  # says where it pointed
    linked = results["another folder"]
    assert linked.status == "rejected"
    assert linked.reason.startswith("skipped: a shortcut (link) to another folder")
    assert str(secret) in linked.reason
    assert [a.original_name for a in list_inbox(case)] == ["kept.jpg"]
    # Given by itself, a link into the case is refused as the case's own file.
    [direct] = import_paths(folder / "case database")
    assert direct.status == "rejected" and "inside the case folder" in direct.reason


@posix
def test_pipes_devices_and_endless_system_files_are_refused_without_hanging(
        tmp_path, case, import_paths):
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    looks_like_a_photo = tmp_path / "zero.jpg"
    looks_like_a_photo.symlink_to("/dev/zero")
    paths = [fifo, Path("/dev/zero"), Path("/dev/urandom"), looks_like_a_photo]
    if os.path.exists("/proc/kmsg"):
        paths.append(Path("/proc/kmsg"))  # size 0, and a read waits for the kernel forever
    results = []
    worker = threading.Thread(target=lambda: results.extend(import_paths(*paths)), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the import hung"
    assert [r.status for r in results] == ["rejected"] * len(paths)
    assert all("not a regular file" in r.reason or "system file" in r.reason
               for r in results), [r.reason for r in results]
    assert list(case.originals.all_hashes()) == []


@posix
def test_a_file_that_swaps_into_a_pipe_after_the_check_does_not_hang(tmp_path, case):
    # The checks before the copy see a file; the copy opens what is there then.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(blobs.NotAFile, match="not a regular file"):
        case.originals.put_file(fifo)


def test_a_file_reporting_no_size_that_never_ends_is_refused(tmp_path, case, monkeypatch):
    monkeypatch.setattr(blobs, "UNKNOWN_SIZE_LIMIT", 3 * blobs.CHUNK)

    class Endless:
        def read(self, n):
            return b"\0" * n

    with pytest.raises(blobs.NotAFile, match="kept producing bytes"):
        case.originals.put(Endless(), limit=blobs.UNKNOWN_SIZE_LIMIT + 1,
                           refuse_over=blobs.UNKNOWN_SIZE_LIMIT)
    assert list(case.originals.all_hashes()) == []
    assert list((case.folder / "originals").glob(blobs.TEMP_PREFIX + "*")) == []


@pytest.mark.parametrize("place", ["/", "/usr", "/etc", "/proc", "home"])
def test_the_whole_disk_system_folders_and_the_home_folder_are_refused(
        tmp_path, case, import_paths, monkeypatch, place):
    if place == "home":
        home = tmp_path / "home" / "jane"
        (home / "Pictures").mkdir(parents=True)
        phone_jpeg(home / "Pictures" / "a.jpg", seed=1)
        monkeypatch.setenv("HOME", str(home))
        place = str(home)
    if not os.path.isdir(place):
        pytest.skip(f"{place} does not exist here")
    [result] = import_paths(place)
    assert result.status == "rejected"
    assert "not a folder of evidence: nothing from it was imported" in result.reason
    assert "Choose the folders that hold the evidence" in result.reason
    assert list_inbox(case) == []
    if place.endswith("jane"):  # a folder inside the home folder is fine
        assert [r.status for r in import_paths(Path(place) / "Pictures")] == ["imported"]


def test_a_folder_with_too_many_files_is_refused_whole(tmp_path, case, import_paths,
                                                        monkeypatch):
    monkeypatch.setattr(importer, "MAX_FOLDER_FILES", 5)
    big = tmp_path / "everything"
    for i in range(6):
        (big / f"sub{i % 2}").mkdir(parents=True, exist_ok=True)
        phone_jpeg(big / f"sub{i % 2}" / f"p{i}.jpg", seed=i)
    [result] = import_paths(big)
    assert result.status == "rejected" and result.path == str(big)
    assert "more than 5 files" in result.reason and "nothing from it was imported" in result.reason
    assert list_inbox(case) == []
    small = tmp_path / "few"
    small.mkdir()
    for i in range(5):
        phone_jpeg(small / f"p{i}.jpg", seed=i)
    assert [r.status for r in import_paths(small)] == ["imported"] * 5


@pytest.mark.skipif(os.name != "posix" or os.uname().sysname == "Darwin",
                    reason="needs a file system that keeps any bytes in names")
def test_a_name_that_is_not_utf8_keeps_its_exact_bytes(tmp_path, case, import_paths):
    raw = b"IMG_\xe9t\xe9 \xff.jpg"
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), raw)))
    phone_jpeg(path, seed=4)
    [result] = import_paths(path)
    assert result.status == "imported"
    shown = get_attachment(case, result.id).original_name
    assert shown == "IMG_\\xE9t\\xE9 \\xFF.jpg"  # visible escapes, no replacement character
    assert "\ufffd" not in shown and "\ufffd" not in result.path
    assert name_bytes(shown) == raw
    with case.read() as session:
        details = session.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "import")).one()
    assert "original_name_bytes" in details
    assert raw.hex() in details  # exact bytes kept even if a name had "\x41"


def _rows_and_files_agree(case):
    report = run_verify(case)
    assert report.ok, report
    with case.read() as session:
        from evidence_app.core.store.models import Attachment

        for sha in session.scalars(select(Attachment.sha256)):
            assert case.originals.verify(sha) is None


def test_cancelling_one_import_never_deletes_another_imports_original(tmp_path, case):
    """The reproduction from the issue: import A stores X; import B commits X as JS/1;
    A is cancelled; B's original must still be there."""
    (tmp_path / "a").mkdir()
    x = phone_jpeg(tmp_path / "a" / "X.jpg", seed=7)
    copy = tmp_path / "b" / "X copy.jpg"
    copy.parent.mkdir()
    copy.write_bytes(x.read_bytes())
    slow = [phone_jpeg(tmp_path / "a" / f"later{i}.jpg", seed=20 + i) for i in range(3)]

    token = CancelToken()
    a = import_files(case, [x, *slow], cancel=token, workers=1, batch=50)
    next(a)  # "Preparing"
    next(a)  # X stored and read by A (not committed: A commits once all are read)
    assert case.originals.exists(_sha(x))
    b = [e.item for e in import_files(case, [copy]) if e.item]
    assert [(r.status, r.exhibit) for r in b] == [("imported", "JS/1")]
    token.cancel()
    list(a)  # A ends, cleaning up what it stored
    assert case.originals.exists(_sha(x)), "B's committed original was deleted"
    _rows_and_files_agree(case)


def test_an_import_whose_stored_bytes_went_meanwhile_stores_them_again(tmp_path, case,
                                                                       monkeypatch):
    """The other order: B found X already stored (by A), A is cancelled and removes X
    before B commits; B's commit stores X again rather than write a row without a file."""
    x = phone_jpeg(tmp_path / "X.jpg", seed=8)
    real_commit = importer._commit

    def commit_after_a_cancelled(case_, rows, *args):
        for stored in rows:  # what a cancelled import A would do just before this commit
            importer.discard_uncommitted(case_, [stored.sha256])
        assert not case_.originals.exists(rows[0].sha256)
        return real_commit(case_, rows, *args)

    monkeypatch.setattr(importer, "_commit", commit_after_a_cancelled)
    [result] = [e.item for e in import_files(case, [x]) if e.item]
    assert (result.status, result.exhibit) == ("imported", "JS/1")
    assert case.originals.exists(result.sha256)
    _rows_and_files_agree(case)


def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
