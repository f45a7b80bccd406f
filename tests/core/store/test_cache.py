"""The cache: thumbnails as bytes, and work files the store lends out and takes back."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from evidence_app.core.cases import open_case
from evidence_app.core.store.originals import OriginalChanged
from tests.fixtures.on_disk import original_file, rendition_files, thumbnail_file


def test_thumbnails_round_trip_and_can_be_forgotten(case):
    sha = "ab" * 32
    assert case.cache.thumbnail(sha) is None
    case.cache.save_thumbnail(sha, b"\xff\xd8 a jpeg")
    assert case.cache.thumbnail(sha) == b"\xff\xd8 a jpeg"
    assert thumbnail_file(case, sha).is_file()
    case.cache.remove_thumbnail(sha)
    assert case.cache.thumbnail(sha) is None


def test_a_scratch_folder_goes_when_its_block_ends(case):
    with case.cache.scratch() as folder:
        (folder / "pasted.png").write_bytes(b"png")
        assert folder.is_relative_to(case.folder)
    assert not folder.exists()


def test_previews_are_cleared_but_one_still_being_written_is_left_until_next_open(case):
    done = case.cache.preview_file("1.pdf")
    assert done.name == "preview-1.pdf"
    mine = done.with_name("my report.pdf")  # whatever else is there is not a preview
    mine.write_bytes(b"%PDF mine")
    done.write_bytes(b"%PDF")
    writing = done.with_name(".report-123.pdf.tmp")  # a build writes here, then renames
    writing.write_bytes(b"%PDF half")
    case.cache.clear_previews()
    assert not done.exists() and writing.exists() and mine.exists()
    folder = case.folder
    case.close()
    with open_case(folder) as again:  # a crash left it: the sweep at open takes it
        assert not writing.exists()
        assert again.cache.preview_file("x.pdf").parent == writing.parent


def test_work_left_by_a_crash_is_swept_at_open(case):
    folder = case.folder
    with case.cache.scratch() as scratch:
        (scratch / "half.png").write_bytes(b"png")
        kept = scratch.with_name(scratch.name + "-copy")
        kept.mkdir()
        (kept / "half.png").write_bytes(b"png")  # as if the process died inside the block
    case.close()
    with open_case(folder):
        assert not kept.exists()


def _stored(case, tmp_path, colour=(200, 30, 30)) -> str:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, "PNG")
    sha, _size, _new = case.originals.put_bytes(buf.getvalue())
    return sha


class _Maker:
    """A rendition maker that records what it was given."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []

    def __call__(self, source) -> bytes:
        with source() as fh:
            data = fh.read()
        self.calls.append(data)
        return b"made from " + hashlib.sha256(data).hexdigest().encode()


def test_a_rendition_is_made_once_from_checked_bytes_and_kept(case, tmp_path):
    sha = _stored(case, tmp_path)
    make = _Maker()
    first = case.cache.rendition(sha, "page-640", make)
    again = case.cache.rendition(sha, "page-640", make)
    assert first == again == b"made from " + sha.encode()
    assert len(make.calls) == 1 and hashlib.sha256(make.calls[0]).hexdigest() == sha
    other = case.cache.rendition(sha, "page-1280", make)  # another size: another rendition
    assert other == first and len(make.calls) == 2
    assert len(rendition_files(case, sha)) == 2


def test_a_damaged_rendition_is_made_again(case, tmp_path):
    sha = _stored(case, tmp_path)
    make = _Maker()
    case.cache.rendition(sha, "page-640", make)
    [kept] = rendition_files(case, sha)
    data = bytearray(kept.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit in the picture
    kept.write_bytes(bytes(data))
    assert case.cache.rendition(sha, "page-640", make) == b"made from " + sha.encode()
    assert len(make.calls) == 2
    kept.write_bytes(b"")  # torn by a crash
    assert case.cache.rendition(sha, "page-640", make) == b"made from " + sha.encode()
    assert len(make.calls) == 3


def test_a_kept_rendition_is_refused_once_its_original_was_swapped(case, tmp_path):
    sha = _stored(case, tmp_path)
    make = _Maker()
    case.cache.rendition(sha, "page-640", make)
    other = _stored(case, tmp_path, colour=(30, 200, 30))
    stored = original_file(case, sha)
    before = stored.stat()
    stored.chmod(0o600)
    stored.write_bytes(original_file(case, other).read_bytes())
    os.utime(stored, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with its old time
    with pytest.raises(OriginalChanged):
        case.cache.rendition(sha, "page-640", make)
    assert len(make.calls) == 1  # nothing made from the substitute either
    stored.unlink()
    with pytest.raises(FileNotFoundError):
        case.cache.rendition(sha, "page-640", make)


def test_an_original_moved_intact_keeps_its_renditions(case, tmp_path):
    """A copy of the case (a restore from backup) gives originals a new identity: they
    are hashed once more, found intact, and the renditions are used again."""
    sha = _stored(case, tmp_path)
    make = _Maker()
    case.cache.rendition(sha, "page-640", make)
    stored = original_file(case, sha)
    copy = stored.with_name("copy")
    shutil.copy2(stored, copy)
    os.replace(copy, stored)  # same bytes, another file
    assert case.cache.rendition(sha, "page-640", make) == b"made from " + sha.encode()
    assert len(make.calls) == 1


def test_renditions_are_safe_to_delete(case, tmp_path):
    sha = _stored(case, tmp_path)
    make = _Maker()
    case.cache.rendition(sha, "page-640", make)
    assert case.cache.clear_renditions() == 1
    assert rendition_files(case, sha) == []
    assert case.cache.rendition(sha, "page-640", make) == b"made from " + sha.encode()
    assert len(make.calls) == 2
    case.cache.remove_thumbnail(sha)  # the original went: so do its renditions
    assert rendition_files(case, sha) == []
