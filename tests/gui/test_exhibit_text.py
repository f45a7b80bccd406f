"""How capture times read: honest about a day without a time, and about file dates."""

from evidence_app.core.attachments import list_inbox
from evidence_app.core.importers.files import import_files
from evidence_app.gui.exhibit_text import capture_text, source_text
from tests.sample_images import screenshot


def test_capture_times_say_how_exact_they_are(case, tmp_path):
    day_only = screenshot(tmp_path / "IMG-20250301-WA0004.png", lines=("a",))
    timed = screenshot(tmp_path / "Screenshot_20250312-081530.png", lines=("b",))
    plain = screenshot(tmp_path / "message.png", lines=("c",))
    list(import_files(case, [day_only, timed, plain]))
    by_name = {a.original_name: a for a in list_inbox(case)}
    tz = "Europe/London"
    day = by_name[day_only.name]
    assert capture_text(day, tz, short=True) == "1 Mar 2025"
    assert capture_text(day, tz) == "Sat 1 Mar 2025, time not known"
    assert capture_text(by_name[timed.name], tz) == "Wed 12 Mar 2025, 08:15:30 GMT"
    assert source_text(by_name[timed.name]) == "From the date in the file name"
    assert capture_text(by_name[plain.name], tz, short=True).startswith("c. ")
    assert source_text(by_name[plain.name]) == "From the file modification time"


def test_a_place_below_sea_level_says_below(case, tmp_path):
    # drewnoakes/metadata-extractor-images jpg/"Apple iPhone 6 plus.jpg": 51.482995 N,
    # 3.185337 W, GPSAltitudeRef 1 (below sea level), GPSAltitude 166.309 m (exiftool);
    # "Samsung SM-G935L (Galaxy S7 Edge).jpg": below sea level, 0 m.
    from fixtures.media_factory import make_exif
    from PIL import Image
    from PIL.TiffImagePlugin import IFDRational

    from evidence_app.gui.exhibit_text import gps_text

    exif = make_exif(when="2014:10:31 13:32:37", gps=(51.482995, -3.1853367), altitude=-166.309)
    Image.new("RGB", (32, 24)).save(tmp_path / "below.jpg", "JPEG", exif=exif.tobytes())
    zero = make_exif(when="2017:02:09 19:51:38", gps=(48.8925, 2.2363889))
    zero.get_ifd(0x8825)[5], zero.get_ifd(0x8825)[6] = b"\x01", IFDRational(0, 1)
    Image.new("RGB", (32, 24)).save(tmp_path / "zero.jpg", "JPEG", exif=zero.tobytes())
    list(import_files(case, [tmp_path / "below.jpg", tmp_path / "zero.jpg"]))
    by_name = {a.original_name: a for a in list_inbox(case)}
    assert gps_text(by_name["below.jpg"]) == "51.48300° N, 3.18534° W, 166 m below sea level"
    assert gps_text(by_name["zero.jpg"]).endswith(", 0 m above sea level")
