"""How an import treats folders, junk, duplicates, unreadable paths, odd names and cancel."""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
from fixtures.media_factory import odd_names, phone_jpeg, screenshot_png

from evidence_app.core.attachments import delete_attachments, get_attachment, list_inbox
from evidence_app.core.errors import NotFoundError
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident, get_incident
from evidence_app.core.progress import CancelToken
from evidence_app.core.settings import update_settings
from evidence_app.core.store.originals import TEMP_PREFIX
from evidence_app.core.store.verify import run_verify
from evidence_app.core.trash import empty_trash


def stored_hashes(case):
    return set(case.originals.all_hashes())


def test_folders_are_imported_recursively_and_junk_is_skipped(tmp_path, case, import_paths):
    src = tmp_path / "phone dump"
    (src / "DCIM" / "Camera").mkdir(parents=True)
    (src / ".thumbnails").mkdir()
    (src / "empty").mkdir()
    a = phone_jpeg(src / "a.jpg", seed=1)
    b = phone_jpeg(src / "DCIM" / "Camera" / "b.jpg", seed=2)
    c = screenshot_png(src / "DCIM" / "Screenshot_20240312-081530.png", seed=3)
    phone_jpeg(src / ".thumbnails" / "cached.jpg", seed=4)
    phone_jpeg(src / ".hidden.jpg", seed=5)
    for junk in ("Thumbs.db", "desktop.ini", ".DS_Store", "ehthumbs.db"):
        (src / junk).write_bytes(b"junk")
    results = import_paths(src)
    assert sorted((r.path, r.status) for r in results) == sorted([
        (str(a), "imported"), (str(c), "imported"), (str(b), "imported")])
    assert {r.exhibit for r in results} == {"JS/1", "JS/2", "JS/3"}


def test_every_input_gets_an_answer(tmp_path, case, import_paths):
    """What cannot be imported is answered first, in the order given; then the imported
    files in the order of their marks (capture time, then name)."""
    first = phone_jpeg(tmp_path / "first.jpg", seed=1, when="2024:05:01 10:00:00")
    empty_folder = tmp_path / "nothing here"
    empty_folder.mkdir()
    (empty_folder / "Thumbs.db").write_bytes(b"x")
    last = phone_jpeg(tmp_path / "last.jpg", seed=2, when="2024:04:01 10:00:00")
    results = import_paths(first, tmp_path / "gone.jpg", empty_folder, last)
    assert [(r.path, r.status, r.exhibit) for r in results] == [
        (str(tmp_path / "gone.jpg"), "rejected", ""), (str(empty_folder), "rejected", ""),
        (str(last), "imported", "JS/1"), (str(first), "imported", "JS/2")]
    assert results[0].reason == "file or folder not found"
    assert results[1].reason == "the folder holds no files to import"


def test_a_directory_named_like_a_file_is_treated_as_a_folder(tmp_path, case, import_paths):
    looks_like_a_file = tmp_path / "IMG_0001.jpg"
    looks_like_a_file.mkdir()
    inner = phone_jpeg(looks_like_a_file / "real.jpg", seed=9)
    [result] = import_paths(looks_like_a_file)
    assert (result.path, result.status) == (str(inner), "imported")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_named_pipe_is_rejected_without_hanging(tmp_path, case, import_paths):
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "pipe.png")
    results = import_paths(fifo, folder)
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert all("not a regular file" in r.reason for r in results)
    assert stored_hashes(case) == set()


def test_broken_links_loops_and_empty_files_are_rejected_with_reasons(tmp_path, case, import_paths):
    dangling = tmp_path / "dangling.jpg"
    dangling.symlink_to(tmp_path / "deleted.jpg")
    (tmp_path / "loop_a").symlink_to(tmp_path / "loop_b")
    (tmp_path / "loop_b").symlink_to(tmp_path / "loop_a")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    results = import_paths(dangling, tmp_path / "loop_a", empty)
    assert [r.status for r in results] == ["rejected"] * 3
    assert "link" in results[0].reason and "no longer exists" in results[0].reason
    assert "symbolic links" in results[1].reason
    assert "empty" in results[2].reason
    assert list_inbox(case) == []


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_a_system_file_is_rejected_and_nothing_is_left_behind(case, import_paths):
    # /proc/self/mem is a regular file that opens fine but whose first read fails with
    # EIO; like every file under /proc it is refused before it is read.
    [result] = import_paths("/proc/self/mem")
    assert result.status == "rejected"
    assert "a system file" in result.reason
    assert list((case.folder / "originals").glob(TEMP_PREFIX + "*")) == []
    assert stored_hashes(case) == set()


def _run_import_without_root_privileges(case_folder, *paths):
    """Run `evidence-app import` so that file permissions apply (root normally ignores them)."""
    cmd = [sys.executable, "-m", "evidence_app", "--case", str(case_folder), "import", "--json",
           *map(str, paths)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        drop = "-dac_override,-dac_read_search"
        cmd = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_and_folders_without_read_permission_are_rejected(tmp_path):
    import json

    from evidence_app.core.cases import create_case, open_case

    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    locked = phone_jpeg(tmp_path / "locked.jpg", seed=1)
    locked.chmod(0)
    locked_dir = tmp_path / "private"
    locked_dir.mkdir()
    phone_jpeg(locked_dir / "inside.jpg", seed=2)
    readable = phone_jpeg(tmp_path / "fine.jpg", seed=3)
    locked_dir.chmod(0)
    try:
        proc = _run_import_without_root_privileges(folder, locked, locked_dir, readable)
    finally:
        locked.chmod(0o644)
        locked_dir.chmod(0o755)
    assert proc.returncode == 1, proc.stderr  # some files were rejected
    results = json.loads(proc.stdout)
    assert [(r["path"], r["status"]) for r in results] == [
        (str(locked), "rejected"), (str(locked_dir), "rejected"), (str(readable), "imported")]
    assert "permission denied" in results[0]["reason"].lower()
    assert "folder cannot be read" in results[1]["reason"]
    with open_case(folder) as case:
        assert [a.original_name for a in list_inbox(case)] == ["fine.jpg"]
        assert len(stored_hashes(case)) == 1


def test_odd_file_names_import_and_keep_their_names(tmp_path, case, import_paths):
    made = odd_names(tmp_path / "odd")
    assert len(made) >= 8
    results = import_paths(*made)
    assert [r.status for r in results] == ["imported"] * len(made)
    names = {get_attachment(case, r.id).original_name for r in results}
    assert names == {p.name for p in made}
    for r, p in zip(results, made, strict=True):
        assert r.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_duplicates_are_reported_with_the_existing_mark(tmp_path, case, import_paths):
    photo = phone_jpeg(tmp_path / "photo.jpg", seed=1)
    copy = tmp_path / "copy of photo.jpg"
    shutil.copy(photo, copy)
    other = phone_jpeg(tmp_path / "other.jpg", seed=2)
    first = import_paths(photo)
    again = {r.path: r for r in import_paths(copy, other, photo)}
    assert first[0].status == "imported"
    assert [again[str(p)].status for p in (copy, other, photo)] == [
        "duplicate", "imported", "duplicate"]
    assert again[str(copy)].exhibit == "JS/1" and again[str(copy)].id == first[0].id
    assert again[str(copy)].reason == "same file as exhibit JS/1"
    assert again[str(other)].exhibit == "JS/2"
    assert len(list_inbox(case)) == 2
    assert len(stored_hashes(case)) == 2


def test_duplicates_within_one_import_and_of_trashed_exhibits(tmp_path, case, import_paths):
    photo = phone_jpeg(tmp_path / "photo.jpg", seed=1)
    twin = tmp_path / "twin.jpg"
    shutil.copy(photo, twin)
    results = import_paths(photo, twin)
    assert [(r.status, r.exhibit) for r in results] == [("imported", "JS/1"), ("duplicate", "JS/1")]
    delete_attachments(case, [results[0].id])
    [again] = import_paths(twin)
    assert again.status == "duplicate"
    assert again.reason == "same file as exhibit JS/1 (it is in the trash)"


def test_exhibit_marks_are_never_reused_and_gaps_are_allowed(tmp_path, case, import_paths):
    files = [phone_jpeg(tmp_path / f"p{i}.jpg", seed=i) for i in range(4)]
    results = import_paths(*files[:3])
    assert [r.exhibit for r in results] == ["JS/1", "JS/2", "JS/3"]
    delete_attachments(case, [results[2].id])
    empty_trash(case)
    with pytest.raises(NotFoundError):
        get_attachment(case, results[2].id, allow_deleted=True)
    [fourth] = import_paths(files[3])
    assert fourth.exhibit == "JS/4"
    # The very same bytes as the emptied JS/3 come back as a new exhibit, not JS/3.
    [back] = import_paths(files[2])
    assert (back.status, back.exhibit) == ("imported", "JS/5")
    assert sorted(a.exhibit_mark for a in list_inbox(case)) == ["JS/1", "JS/2", "JS/4", "JS/5"]
    assert run_verify(case).ok


def test_marks_follow_changed_initials_without_reusing_serials(tmp_path, case, import_paths):
    [one] = import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    update_settings(case, initials="JAS")
    [two] = import_paths(phone_jpeg(tmp_path / "b.jpg", seed=2))
    assert (one.exhibit, two.exhibit) == ("JS/1", "JAS/2")
    assert get_attachment(case, one.id).exhibit_mark == "JS/1"  # issued marks never change


def test_import_into_an_incident_links_the_exhibits(tmp_path, case, import_paths):
    incident = create_incident(case, title="Car outside")
    results = import_paths(phone_jpeg(tmp_path / "car.jpg", seed=1), incident_id=incident)
    assert results[0].incident_id == incident
    assert [a.exhibit_mark for a in get_incident(case, incident).attachments] == ["JS/1"]
    assert list_inbox(case) == []
    with pytest.raises(NotFoundError):
        import_paths(tmp_path / "car.jpg", incident_id=999)


def test_the_case_folder_itself_is_never_imported(tmp_path, case, import_paths):
    import_paths(phone_jpeg(tmp_path / "a.jpg", seed=1))
    results = import_paths(case.folder)
    assert [r.status for r in results] == ["rejected"]
    assert "inside the case folder" in results[0].reason
    # A folder that holds the case (say, Documents) is imported without the case in it.
    outer = tmp_path
    results = import_paths(outer)
    assert {r.path for r in results} == {str(tmp_path / "a.jpg")}


def test_progress_counts_every_input(tmp_path, case):
    files = [phone_jpeg(tmp_path / f"p{i}.jpg", seed=i) for i in range(3)]
    events = list(import_files(case, [*files, tmp_path / "missing.jpg"]))
    # Each input counted as it is read; then the three rows, written once all are read.
    assert [(e.done, e.total) for e in events] == [
        (0, 4), (1, 4), (2, 4), (3, 4), (4, 4), (4, 4), (4, 4), (4, 4)]
    assert events[0].item is None
    assert [e.item.status for e in events if e.item] == ["rejected"] + ["imported"] * 3


def _consistent(case):
    """No half-written original, no original without a row, no row without its original."""
    assert list((case.folder / "originals").glob(TEMP_PREFIX + "*")) == []
    with case.read() as session:
        from sqlalchemy import select

        from evidence_app.core.store.models import Attachment

        rows = set(session.scalars(select(Attachment.sha256)))
    assert stored_hashes(case) == rows
    assert run_verify(case).ok


@pytest.mark.parametrize("stop_after", [0, 1, 5])
def test_cancel_halfway_leaves_no_partial_original_and_no_row_without_its_file(
        tmp_path, case, stop_after):
    files = [phone_jpeg(tmp_path / f"p{i:02}.jpg", size=(900, 700), seed=i) for i in range(12)]
    token = CancelToken()
    results = []
    for event in import_files(case, files, cancel=token, workers=3, batch=5):
        if event.item is not None:
            results.append(event.item)
        if len(results) >= stop_after:
            token.cancel()
    # Rows are written five to a transaction once all are read: a cancel stops before the
    # next five, and every row written is reported.
    assert len(results) == -(-stop_after // 5) * 5
    assert len(list_inbox(case)) == len(results)
    _consistent(case)
    # Importing again afterwards brings in the rest, with the next marks.
    rest = [e.item for e in import_files(case, files) if e.item]
    assert [r.status for r in rest].count("imported") == 12 - len(results)
    _consistent(case)


def test_abandoning_the_import_generator_cleans_up_like_cancel(tmp_path, case):
    files = [phone_jpeg(tmp_path / f"p{i:02}.jpg", size=(900, 700), seed=i) for i in range(10)]
    events = import_files(case, files, workers=3, batch=4)
    taken = []
    while sum(e.item is not None for e in taken) < 2:  # two results, then stop
        taken.append(next(events))
    events.close()
    assert len(list_inbox(case)) == 4  # the first transaction's four rows, no more
    _consistent(case)


def test_a_big_file_cancelled_mid_copy_leaves_nothing(tmp_path, case):
    big = tmp_path / "video.mp4"
    with open(big, "wb") as fh:
        for _ in range(24):
            fh.write(os.urandom(1024 * 1024))
    token = CancelToken()
    calls = 0

    def cancel_during_copy():
        nonlocal calls
        calls += 1
        if calls == 5:  # five chunks in: the copy is half done
            token.cancel()
        return token.cancelled

    from evidence_app.core.store import originals as blobs

    with pytest.raises(blobs.Cancelled):
        case.originals.put_file(big, cancel_during_copy)
    events = list(import_files(case, [big], cancel=token))
    assert [e.item for e in events if e.item] == []
    _consistent(case)


FULL_DISK = """
import resource, sys
from evidence_app.cli import main
# Writes past this size fail with EFBIG, as they would with ENOSPC on a full disk.
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(os.name != "posix", reason="needs RLIMIT_FSIZE")
def test_a_full_disk_stops_the_import_with_a_clear_message(tmp_path):
    from evidence_app.core.cases import create_case, open_case

    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    small = phone_jpeg(tmp_path / "a small photo.jpg", seed=1)
    big = tmp_path / "video.mp4"
    big.write_bytes(os.urandom(3_000_000))
    after = phone_jpeg(tmp_path / "after.jpg", seed=2)
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(2_000_000), "--case", str(folder), "import",
         str(small), str(big), str(after)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith("error: Files cannot be saved into the case: the disk holding the "
                           "case is full"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Nothing from this import was added" in line, proc.stderr
    with open_case(folder) as case:
        # Rows are written once every file is read, so none was; nor is an original kept.
        assert list_inbox(case) == []
        _consistent(case)


def test_marks_of_one_import_follow_capture_time_then_name(tmp_path, case, import_paths):
    """File names that run opposite to when the pictures were taken: the marks follow
    the times, so an incident's exhibits read in the order things happened."""
    taken = ["2025:02:09 23:31:00", "2025:02:09 23:20:00", "2025:02:09 23:08:00"]
    files = [phone_jpeg(tmp_path / f"IMG_{i:04}.jpg", seed=i, when=when, offset="+00:00")
             for i, when in enumerate(taken)]
    # Two taken at the same moment: the name decides.
    same_b = phone_jpeg(tmp_path / "b same moment.jpg", seed=8, when="2025:02:10 08:00:00",
                        offset="+00:00")
    same_a = phone_jpeg(tmp_path / "a same moment.jpg", seed=9, when="2025:02:10 08:00:00",
                        offset="+00:00")
    incident = create_incident(case, title="Messages that night")
    results = import_paths(tmp_path, incident_id=incident)
    marks = {r.path: r.exhibit for r in results}
    assert [marks[str(p)] for p in (files[2], files[1], files[0], same_a, same_b)] == [
        "JS/1", "JS/2", "JS/3", "JS/4", "JS/5"]
    shown = get_incident(case, incident).attachments
    assert [(a.exhibit_mark, a.original_name) for a in sorted(
        shown, key=lambda a: int(a.exhibit_mark.split("/")[1]))] == [
        ("JS/1", "IMG_0002.jpg"), ("JS/2", "IMG_0001.jpg"), ("JS/3", "IMG_0000.jpg"),
        ("JS/4", "a same moment.jpg"), ("JS/5", "b same moment.jpg")]
    # The audit trail records each mark as it was given, in time order too.
    from sqlalchemy import select

    from evidence_app.core.store.models import AuditEvent
    with case.read() as session:
        logged = [e.details for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import").order_by(AuditEvent.id))]
    assert [json.loads(d)["original_name"] for d in logged] == [
        "IMG_0002.jpg", "IMG_0001.jpg", "IMG_0000.jpg", "a same moment.jpg", "b same moment.jpg"]
    _consistent(case)
