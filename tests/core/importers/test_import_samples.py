"""Every generated sample imports with the right bytes, hash, time, provenance and metadata."""

import hashlib
import io
import stat
from datetime import datetime

import pytest
from PIL import Image

from evidence_app.core.attachments import extract, get_attachment, thumbnail
from evidence_app.core.store.verify import run_verify
from tests.fixtures.on_disk import original_file, thumbnail_file

SAMPLE_NAMES = [
    "IMG_20240715_201530.jpg", "PXL_20240301_093000123.jpg", "DSC_0008.JPG",
    "camera no zone.jpg", "IMG_4821.HEIC", "Screenshot_20240312-081530.png",
    "Screenshot_20240715-201530_WhatsApp.png", "Screenshot_20240716_071502_Messages.png",
    "Screenshot_2024-03-13-22-01-59-123_com.facebook.katana.png",
    "Screenshot 2024-03-12 at 08.15.30.png", "Screen Shot 2024-07-02 at 8.15.30 PM.png",
    "Screenshot 2024-07-03 at 9.05.01\u202fAM.png", "Screenshot 2024-03-14 101112.png",
    "Screenshot from 2024-03-15 17-45-00.png", "Screenshot_20240316_120000.png",
    "WhatsApp Image 2024-07-04 at 21.30.05.png", "IMG-20240305-WA0007.jpg", "IMG_0042.PNG",
    "Screenshot (12).png", "sticker.webp", "animation.gif", "scan.tiff", "paint.bmp",
    "cut off.jpg", "Screenshot_20240402-101010.png", "bomb.png", "not really.jpg",
    "letter.pdf", "voicemail transcript.txt",
]


def test_the_sample_list_covers_every_generated_file(samples):
    assert sorted(s.name for s in samples) == sorted(SAMPLE_NAMES)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_imports_with_its_bytes_time_and_metadata(name, sample, case, import_paths, tmp_path):
    s = sample(name)
    original = s.path.read_bytes()
    [result] = import_paths(s.path)

    assert result.status == "imported", result.reason
    assert result.exhibit == "JS/1"
    assert result.sha256 == hashlib.sha256(original).hexdigest()
    assert result.preview is s.preview
    assert result.captured_from == s.captured_from
    assert result.captured_at == s.captured_at.isoformat()

    att = get_attachment(case, result.id)
    assert att.captured_at == s.captured_at
    assert att.captured_offset == s.offset
    assert att.original_name == name
    assert att.size == len(original)
    assert att.media_type == s.media_type
    if s.kind:
        assert att.kind == s.kind
    assert (att.camera_make, att.camera_model) == (s.camera_make, s.camera_model)
    if s.gps is None:
        assert (att.gps_lat, att.gps_lon) == (None, None)
    else:
        assert att.gps_lat == pytest.approx(s.gps[0], abs=1e-6)
        assert att.gps_lon == pytest.approx(s.gps[1], abs=1e-6)
    if "altitude" in s.extra:
        assert att.gps_alt == pytest.approx(s.extra["altitude"], abs=0.05)
    if s.size is not None:
        assert (att.width, att.height) == s.size
    if s.orientation is not None:
        assert att.orientation == s.orientation
    if s.reason_contains:
        assert s.reason_contains in att.preview_error
        assert s.reason_contains in result.reason
    else:
        assert att.preview_error == ""
    if s.captured_from != "exif":
        assert att.captured_note  # the person is told how the time was worked out

    # The stored original is byte-for-byte the file, read-only, and extractable.
    stored = original_file(case, result.sha256)
    assert stored.read_bytes() == original
    assert not stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    out = extract(case, result.id, tmp_path / "out.bin")
    assert out.read_bytes() == original
    # The source file itself was not touched.
    assert s.path.read_bytes() == original

    thumb = thumbnail(case, att)
    if s.preview:
        assert thumb is not None
        with Image.open(io.BytesIO(thumb)) as img:
            assert max(img.size) == min(256, max(s.size))
    else:
        assert thumb is None
    assert run_verify(case).ok


@pytest.mark.parametrize(("name", "portrait"), [
    ("IMG_20240715_201530.jpg", False),  # orientation 1: as stored
    ("PXL_20240301_093000123.jpg", True),  # orientation 6: turn clockwise
    ("DSC_0008.JPG", True),  # orientation 8: turn anticlockwise
])
def test_thumbnails_are_turned_the_right_way_up(name, portrait, sample, case, import_paths):
    s = sample(name)
    [result] = import_paths(s.path)
    thumb = thumbnail(case, get_attachment(case, result.id))
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as img:
        rgb = img.convert("RGB")
        w, h = rgb.size
        assert (h > w) is portrait
        # The generator paints the stored top-left corner red; find where it went.
        corners = {"top-left": (2, 2), "top-right": (w - 3, 2), "bottom-left": (2, h - 3)}
        red = [where for where, xy in corners.items()
               if rgb.getpixel(xy)[0] > 200 and rgb.getpixel(xy)[1] < 60]
    expected = {1: "top-left", 6: "top-right", 8: "bottom-left"}[s.orientation]
    assert red == [expected]


def test_a_lost_thumbnail_is_rebuilt_from_the_original(sample, case, import_paths):
    [result] = import_paths(sample("IMG_20240715_201530.jpg").path)
    att = get_attachment(case, result.id)
    first = thumbnail(case, att)
    path = thumbnail_file(case, att.sha256)
    path.unlink()
    again = thumbnail(case, att)
    assert again is not None and again[:2] == b"\xff\xd8" and path.is_file()
    assert first is not None and again == first


def test_whole_sample_set_gets_consecutive_marks_in_one_import(samples, case, import_paths):
    results = import_paths(*(s.path for s in samples))
    assert [r.status for r in results] == ["imported"] * len(samples)
    assert [r.exhibit for r in results] == [f"JS/{i}" for i in range(1, len(samples) + 1)]
    assert sorted(r.path for r in results) == sorted(str(s.path) for s in samples)
    # Marks are given in the order things happened (then by name); untimed files last.
    by_mark = sorted(results, key=lambda r: int(r.exhibit.split("/")[1]))
    times = [r.captured_at for r in by_mark if r.captured_at]
    assert times == sorted(times, key=datetime.fromisoformat)
    assert all(r.captured_at for r in by_mark[:len(times)])
    report = run_verify(case)
    assert report.ok, report.problems
    assert report.originals_checked == len(samples)
