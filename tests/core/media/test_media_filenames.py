"""File names from phones, apps and desktop tools give their capture time; names that
only look like dates (message ids, invoice numbers) give nothing."""

from datetime import UTC, datetime

import pytest

from evidence_app.core.dates import time_from_filename

TIMED = [
    # Android, Pixel, Samsung
    ("Screenshot_20240312-081530.png", (2024, 3, 12, 8, 15, 30)),
    ("PXL_20240312_081530123.MP.jpg", (2024, 3, 12, 8, 15, 30)),
    ("PXL_20240312_081530123.NIGHT.jpg", (2024, 3, 12, 8, 15, 30)),
    ("IMG_20240312_081530_HDR.jpg", (2024, 3, 12, 8, 15, 30)),
    ("IMG_20240312_081530~2.jpg", (2024, 3, 12, 8, 15, 30)),
    ("20240312_081530.jpg", (2024, 3, 12, 8, 15, 30)),
    ("VID_20240312_081530.mp4", (2024, 3, 12, 8, 15, 30)),
    ("Screen_Recording_20240312-081530_Chrome.mp4", (2024, 3, 12, 8, 15, 30)),
    ("Call recording John_240312_081530.m4a", (2024, 3, 12, 8, 15, 30)),
    # WhatsApp (phone and desktop), Telegram, Signal
    ("WhatsApp Image 2024-03-12 at 08.15.30.jpeg", (2024, 3, 12, 8, 15, 30)),
    ("WhatsApp Image 2024-03-12 at 8.15.30\u202fPM (1).jpeg", (2024, 3, 12, 20, 15, 30)),
    ("WhatsApp Video 2024-03-12 at 08.15.30_a1b2c3d4.mp4", (2024, 3, 12, 8, 15, 30)),
    ("photo_2024-03-12_08-15-30.jpg", (2024, 3, 12, 8, 15, 30)),
    ("photo_2024-03-12 08.15.30 (2).jpeg", (2024, 3, 12, 8, 15, 30)),
    ("video_2024-03-12_08-15-30.mp4", (2024, 3, 12, 8, 15, 30)),
    ("signal-2024-03-12-081530.jpg", (2024, 3, 12, 8, 15, 30)),
    ("signal-2024-03-12-08-15-30-123.jpg", (2024, 3, 12, 8, 15, 30)),
    ("signal-2024-03-12-081530_002.jpeg", (2024, 3, 12, 8, 15, 30)),
    # Windows (Snipping Tool, Snip & Sketch, Xbox Game Bar old and new)
    ("Screenshot 2024-03-12 081530.png", (2024, 3, 12, 8, 15, 30)),
    ("Annotation 2024-03-12 081530.png", (2024, 3, 12, 8, 15, 30)),
    ("Screen Recording 2024-03-12 081530.mp4", (2024, 3, 12, 8, 15, 30)),
    ("Desktop Screenshot 2024.03.12 - 08.15.30.12.png", (2024, 3, 12, 8, 15, 30)),
    ("Minecraft 2024.03.12 - 20.15.30.01.mp4", (2024, 3, 12, 20, 15, 30)),
    ("Google Chrome 3_12_2024 8_15_30 PM.png", (2024, 3, 12, 20, 15, 30)),
    ("Google Chrome 7_30_2020 11_25_29 AM.png", (2020, 7, 30, 11, 25, 29)),
    ("Google Chrome 12_03_2024 08_15_30.png", (2024, 3, 12, 8, 15, 30)),
    ("Google Chrome 30_07_2020 23_25_29.png", (2020, 7, 30, 23, 25, 29)),
    # macOS (U+202F before AM/PM since Sonoma), localised Macs, GNOME, KDE
    ("Screenshot 2024-03-12 at 9.05.01\u202fAM.png", (2024, 3, 12, 9, 5, 1)),
    ("Screenshot 2024-03-12 at 12.05.01\u202fAM.png", (2024, 3, 12, 0, 5, 1)),
    ("Screen Shot 2024-03-12 at 12.05.01 PM.png", (2024, 3, 12, 12, 5, 1)),
    ("Screenshot 2024-03-12 at 08.15.30 (2).png", (2024, 3, 12, 8, 15, 30)),
    ("Screen Recording 2024-03-12 at 08.15.30.mov", (2024, 3, 12, 8, 15, 30)),
    ("Bildschirmfoto 2024-03-12 um 08.15.30.png", (2024, 3, 12, 8, 15, 30)),
    ("Capture d\u2019\u00e9cran 2024-03-12 \u00e0 08.15.30.png", (2024, 3, 12, 8, 15, 30)),
    ("Screenshot from 2024-03-12 08-15-30.png", (2024, 3, 12, 8, 15, 30)),
    ("Screenshot From 2024-03-12 08-15-30.png", (2024, 3, 12, 8, 15, 30)),
    ("Screencast from 2024-03-12 08-15-30.webm", (2024, 3, 12, 8, 15, 30)),
    ("Screenshot_20240312_081530.png", (2024, 3, 12, 8, 15, 30)),
    ("Screenshot_2024-03-12_08-15-30.png", (2024, 3, 12, 8, 15, 30)),
    # No extension at all: the seconds are not mistaken for one.
    ("Screenshot 2024-03-12 at 08.15.30", (2024, 3, 12, 8, 15, 30)),
]
DAY_ONLY = [
    ("IMG-20240312-WA0001.jpg", (2024, 3, 12)),
    ("VID-20240312-WA0001.mp4", (2024, 3, 12)),
    ("PTT-20240312-WA0001.opus", (2024, 3, 12)),
    ("STK-20240312-WA0001.webp", (2024, 3, 12)),
    ("Letter from solicitor 2024-03-12.pdf", (2024, 3, 12)),
    ("Screenshot 2024-03-12 at 13.05.01 PM.png", (2024, 3, 12)),  # an impossible time
]
NOTHING = [
    "received_1234567890123456.jpeg", "received_202403120815304.jpeg", "IMG_1234.HEIC",
    "Screenshot (12).png", "Capture.PNG", "FB_IMG_12345.jpg", "DSC01234.JPG",
    "invoice 12345678 123456.pdf", "20241399_999999.jpg", "Screenshot_20241301-101010.png",
    "Chrome 13_13_2024 08_15_30.png",
    "18991231_120000.jpg", "07700900123.png", "a1b2c3d4e5f6.jpg", "",
]


@pytest.mark.parametrize(("name", "parts"), TIMED)
def test_names_with_a_time_give_it(name, parts):
    assert time_from_filename(name) == (datetime(*parts), True)


@pytest.mark.parametrize(("name", "parts"), DAY_ONLY)
def test_names_with_a_day_give_the_day_only(name, parts):
    assert time_from_filename(name) == (datetime(*parts), False)


@pytest.mark.parametrize("name", NOTHING)
def test_names_without_a_real_date_give_nothing(name):
    assert time_from_filename(name) is None


# Facebook's app names saved pictures after the moment, in milliseconds since 1970 (UTC).
EPOCH = [
    ("FB_IMG_1710231330123.jpg", datetime(2024, 3, 12, 8, 15, 30, 123000, tzinfo=UTC)),
    ("FB_IMG_1720638930000.jpeg", datetime(2024, 7, 10, 19, 15, 30, tzinfo=UTC)),
    ("fb_img_1710231330123 (1).jpg", datetime(2024, 3, 12, 8, 15, 30, 123000, tzinfo=UTC)),
]


@pytest.mark.parametrize(("name", "moment"), EPOCH)
def test_facebook_names_give_the_exact_moment_in_utc(name, moment):
    assert time_from_filename(name) == (moment, True)


@pytest.mark.parametrize("name", ["FB_IMG_0999999999999.jpg", "FB_IMG_17102313301234.jpg",
                                  "FB_IMG_9999999999999.jpg", "my FB_IMG_1710231330123.jpg"])
def test_facebook_like_names_without_a_real_moment_give_nothing(name):
    assert time_from_filename(name) is None


def test_a_facebook_picture_imports_at_its_moment_with_no_zone_assumed(tmp_path, case,
                                                                       import_paths):
    from evidence_app.core.attachments import get_attachment
    from evidence_app.core.capture_time import capture_text
    from tests.fixtures.media_factory import screenshot_png

    path = screenshot_png(tmp_path / "FB_IMG_1720638930000.jpg")
    [result] = import_paths(path)
    att = get_attachment(case, result.id)
    assert att.captured_from == "filename"
    assert att.captured_at == datetime(2024, 7, 10, 19, 15, 30, tzinfo=UTC)
    assert "Unix time" in att.captured_note and "assumed" not in att.captured_note
    assert capture_text(att.captured_at, att.captured_from, att.original_name,
                        "Europe/London") == "10 Jul 2024, 20:15 BST"
