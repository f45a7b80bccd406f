"""Originals: content-addressed, written atomically, read-only, never rewritten."""

import hashlib
import io
import os
import stat

from evidence_app.core.cases import create_case, open_case
from evidence_app.core.store.originals import TEMP_PREFIX, Originals


def test_bytes_are_stored_under_their_hash_read_only(tmp_path):
    store = Originals(tmp_path / "originals")
    data = b"exact bytes \x00\xff" * 1000
    sha, size, created = store.put(io.BytesIO(data))
    assert (sha, size, created) == (hashlib.sha256(data).hexdigest(), len(data), True)
    path = store._path(sha)
    assert path == tmp_path / "originals" / sha[:2] / sha
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IRUSR | stat.S_IRGRP
    assert store.verify(sha) is None
    assert list(store.all_hashes()) == [sha]
    assert list(store._root.glob(TEMP_PREFIX + "*")) == []


def test_storing_the_same_bytes_again_does_not_rewrite_the_original(tmp_path):
    store = Originals(tmp_path)
    sha, _, _ = store.put(io.BytesIO(b"photo"))
    before = store._path(sha).stat()
    again = store.put(io.BytesIO(b"photo"))
    assert again == (sha, 5, False)
    after = store._path(sha).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_damaged_stored_copy_is_replaced_by_fresh_identical_bytes(tmp_path):
    store = Originals(tmp_path)
    sha, _, _ = store.put(io.BytesIO(b"the real bytes"))
    path = store._path(sha)
    os.chmod(path, 0o600)
    path.write_bytes(b"the real bytez")
    assert "has changed" in store.verify(sha)
    assert store.put(io.BytesIO(b"the real bytes")) == (sha, 14, True)
    assert store.verify(sha) is None


def test_verify_reports_missing_and_changed_originals(tmp_path):
    store = Originals(tmp_path)
    sha, _, _ = store.put(io.BytesIO(b"abc"))
    assert store.verify("0" * 64) == "original file is missing"
    os.chmod(store._path(sha), 0o600)
    store._path(sha).write_bytes(b"abd")
    assert store.verify(sha).startswith("original has changed (now hashes to ")


def test_temporary_files_left_by_a_crash_are_swept_when_the_case_opens(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="A B", initials="AB").close()
    leftover = folder / "originals" / (TEMP_PREFIX + "abc123")
    leftover.write_bytes(b"half a photo")
    thumb_tmp = folder / "cache" / "thumbs" / "ab" / ".tmp-xyz.jpg"
    thumb_tmp.parent.mkdir(parents=True)
    thumb_tmp.write_bytes(b"half a thumbnail")
    paste = folder / "cache" / ".paste-123"
    paste.mkdir()
    (paste / "clip.png").write_bytes(b"x")
    with open_case(folder):
        assert not leftover.exists()
        assert not thumb_tmp.exists()
        assert not paste.exists()


def test_remove_deletes_an_original(tmp_path):
    store = Originals(tmp_path)
    sha, _, _ = store.put(io.BytesIO(b"abc"))
    store.remove(sha)
    assert not store.exists(sha)
    store.remove(sha)  # already gone: no error
