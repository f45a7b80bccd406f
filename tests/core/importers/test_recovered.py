"""Stored files no exhibit refers to (left by an app killed mid-import) are listed and
offered back, never deleted silently."""

import hashlib

from fixtures.media_factory import phone_jpeg

from evidence_app.core.attachments import list_inbox
from evidence_app.core.cases import open_case
from evidence_app.core.importers.recovered import add_unreferenced, unreferenced_originals
from evidence_app.core.store.verify import run_verify


def left_by_a_killed_import(case, tmp_path):
    """Bytes stored as an import stores them, with no row written (the app was killed)."""
    photo = phone_jpeg(tmp_path / "IMG_0042.jpg", seed=3, when="2024:06:01 21:15:00",
                       offset="+01:00")
    sha, _size, created = case.originals.put_file(photo)
    assert created
    return photo, sha


def test_unreferenced_originals_survive_reopening_and_are_listed(tmp_path, case):
    photo, sha = left_by_a_killed_import(case, tmp_path)
    folder = case.folder
    case.close()
    with open_case(folder) as reopened:  # the start-up sweep never removes them
        [found] = unreferenced_originals(reopened)
        assert found.sha256 == sha and found.size == photo.stat().st_size
        assert found.media_type == "image/jpeg"
        assert found.name == f"recovered file {sha[:8]}.jpg"
        assert reopened.originals.exists(sha)


def test_adding_them_back_makes_exhibits_with_their_capture_time(tmp_path, case,
                                                                  import_paths):
    import_paths(phone_jpeg(tmp_path / "first.jpg", seed=1))
    _photo, sha = left_by_a_killed_import(case, tmp_path)
    results = [e.item for e in add_unreferenced(case) if e.item is not None]
    assert [(r.status, r.exhibit, r.sha256) for r in results] == [("imported", "JS/2", sha)]
    assert results[0].captured_at.startswith("2024-06-01T20:15:00")  # read from the EXIF
    assert unreferenced_originals(case) == []
    inbox = {a.exhibit_mark: a for a in list_inbox(case)}
    assert inbox["JS/2"].original_name == f"recovered file {sha[:8]}.jpg"
    assert hashlib.sha256(case.originals.read_bytes(sha)).hexdigest() == sha
    assert case.cache.thumbnail(sha) is not None
    report = run_verify(case)
    assert report.ok and not report.notices


def test_only_the_chosen_ones_are_added(tmp_path, case):
    (tmp_path / "a").mkdir()
    _photo, sha_a = left_by_a_killed_import(case, tmp_path / "a")
    (tmp_path / "b").mkdir()
    other = phone_jpeg(tmp_path / "b" / "other.jpg", seed=9)
    sha_b = case.originals.put_file(other)[0]
    results = [e.item for e in add_unreferenced(case, [sha_b]) if e.item is not None]
    assert [r.sha256 for r in results] == [sha_b]
    assert [u.sha256 for u in unreferenced_originals(case)] == [sha_a]
