"""The cache: thumbnails as bytes, and work files the store lends out and takes back."""

from __future__ import annotations

from evidence_app.core.cases import open_case
from tests.fixtures.on_disk import thumbnail_file


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
