"""Capture times as real phones, cameras and editors record them, checked against exiftool.

Each picture is generated with the structure of a real sample (named in its test) from
github.com/ianare/exif-samples or github.com/drewnoakes/metadata-extractor-images; the
samples themselves are not copied into the repository.
"""

from datetime import UTC, datetime, timedelta, timezone

from PIL import Image

from evidence_app.core.attachments import get_attachment
from evidence_app.core.capture_time import capture_text
from evidence_app.core.media.analysis import analyse

EXIF_IFD = 0x8769


def _jpeg(path, *, ifd0_time=None, original=None, offset=None, subsec=None, make=None,
          model=None, xmp=None):
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if ifd0_time:
        exif[0x0132] = ifd0_time
    sub = exif.get_ifd(EXIF_IFD)
    if original:
        sub[0x9003] = original
    if offset:
        sub[0x9010] = offset
    if subsec:
        sub[0x9290] = subsec
    params = {"exif": exif.tobytes()}
    if xmp is not None:
        params["xmp"] = xmp.encode()
    Image.new("RGB", (64, 48), "navy").save(path, "JPEG", **params)
    return path


def _xmp(body):
    return ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
            '22-rdf-syntax-ns#"><rdf:Description rdf:about="" ' + body + "</rdf:RDF></x:xmpmeta>")


def test_a_phone_that_wrote_only_when_it_saved_gives_that_time_and_says_so(tmp_path, case,
                                                                             import_paths):
    # ianare/exif-samples jpg/tests/67-0_length_string.jpg: a Samsung SM-G930F JPEG with
    # GPS but no DateTimeOriginal, only IFD0 ModifyDate 2016:09:12 10:05:31 (exiftool).
    path = _jpeg(tmp_path / "20160912.jpg", ifd0_time="2016:09:12 10:05:31", make="samsung",
                 model="SM-G930F")
    info = analyse(path, path.name)
    assert info.exif_time == datetime(2016, 9, 12, 10, 5, 31)
    assert "only when it was saved" in info.time_note
    (result,) = import_paths(path)
    att = get_attachment(case, result.id)
    assert att.captured_from == "exif"
    assert att.captured_at == datetime(2016, 9, 12, 9, 5, 31, tzinfo=UTC)  # BST assumed
    assert "only when it was saved" in att.captured_note
    assert "Europe/London assumed" in att.captured_note
    assert capture_text(att.captured_at, att.captured_from, path.name, "Europe/London") == (
        "12 Sep 2016, 10:05 BST")


def test_a_save_time_keeps_its_offset_and_sub_seconds(tmp_path):
    # ianare/exif-samples heic/mobile/HMD_Nokia_8.3_5G.heif keeps ModifyDate with
    # SubSecTime 722; OffsetTime (0x9010) is the offset that goes with ModifyDate.
    path = _jpeg(tmp_path / "nokia.jpg", ifd0_time="2022:02:03 14:44:07", subsec="722",
                 offset="+01:00")
    info = analyse(path, path.name)
    assert info.exif_time == datetime(2022, 2, 3, 14, 44, 7, 722000,
                                      tzinfo=timezone(timedelta(hours=1)))
    assert info.exif_offset == "+01:00"


def test_a_taken_time_beats_a_save_time(tmp_path):
    path = _jpeg(tmp_path / "edited.jpg", ifd0_time="2024:05:01 09:00:00",
                 original="2024:03:12 08:15:30", offset="+00:00")
    info = analyse(path, path.name)
    assert info.exif_time == datetime(2024, 3, 12, 8, 15, 30)
    assert "saved" not in info.time_note


def test_an_offset_recorded_only_in_the_xmp_makes_the_exif_time_exact(tmp_path, case,
                                                                       import_paths):
    # ianare/exif-samples jpg/mobile/jolla.jpg: EXIF DateTimeOriginal 2014:09:21 16:00:56
    # with no offset; XMP exif:DateTimeOriginal 2014-09-21T16:00:56.000000+02:00.
    xmp = _xmp('xmlns:exif="http://ns.adobe.com/exif/1.0/" '
               'exif:DateTimeOriginal="2014-09-21T16:00:56.000000+02:00"/>')
    path = _jpeg(tmp_path / "jolla.jpg", original="2014:09:21 16:00:56", make="Jolla",
                 model="Jolla", xmp=xmp)
    (result,) = import_paths(path)
    att = get_attachment(case, result.id)
    assert att.captured_at == datetime(2014, 9, 21, 14, 0, 56, tzinfo=UTC)
    assert att.captured_offset == "+02:00"
    assert "assumed" not in att.captured_note
    assert "offset from UTC was read from the XMP" in att.captured_note


def test_an_xmp_time_with_a_different_clock_lends_no_offset(tmp_path):
    # ianare/exif-samples jpg/Pentax_K10D.jpg: XMP xmp:CreateDate 2008:05:10 20:55:15+09:00
    # is when it was developed, not the EXIF 2008:05:04 16:47:24; only the XMP
    # exif:DateTimeOriginal with the same clock time may give its offset.
    xmp = _xmp('xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
               'xmp:CreateDate="2008-05-10T20:55:15+09:00"/>')
    path = _jpeg(tmp_path / "pentax.jpg", original="2008:05:04 16:47:24", make="PENTAX",
                 xmp=xmp)
    info = analyse(path, path.name)
    assert info.exif_time == datetime(2008, 5, 4, 16, 47, 24)
    assert info.exif_offset == ""


def test_the_old_adobe_xap_prefix_is_read(tmp_path):
    # ianare/exif-samples jpg/xmp/BlueSquare.jpg: Photoshop CS2 wrote
    # xap:CreateDate="2005-09-07T15:07:40-07:00" (and an IFD0 save time, 15:09:51).
    xmp = _xmp('xmlns:xap="http://ns.adobe.com/xap/1.0/" '
               'xap:CreateDate="2005-09-07T15:07:40-07:00" '
               'xap:ModifyDate="2005-09-07T15:09:51-07:00"/>')
    path = _jpeg(tmp_path / "BlueSquare.jpg", ifd0_time="2005:09:07 15:09:51", xmp=xmp)
    info = analyse(path, path.name)
    assert info.exif_time == datetime(2005, 9, 7, 15, 7, 40, tzinfo=timezone(timedelta(hours=-7)))
    assert info.time_note == "read from the XMP metadata saved inside the picture"


def test_a_vision_pro_zone_written_as_gmt_plus_hours_is_read(tmp_path):
    # bigcat88/pillow_heif tests/images/heif_other/spatial_photo.heic (Apple Vision Pro):
    # no EXIF time, XMP xmp:CreateDate "2024-04-22T14:38:09.526GMT+02:00" (exiftool).
    xmp = _xmp('xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
               "<xmp:CreateDate>2024-04-22T14:38:09.526GMT+02:00</xmp:CreateDate>"
               "</rdf:Description>")
    path = _jpeg(tmp_path / "spatial.jpg", make="Apple", model="Apple Vision Pro", xmp=xmp)
    info = analyse(path, path.name)
    assert info.exif_time == datetime(2024, 4, 22, 14, 38, 9, 526000,
                                      tzinfo=timezone(timedelta(hours=2)))
    assert info.exif_offset == "+02:00"


def test_a_heic_too_damaged_to_open_still_gives_its_capture_time(tmp_path, case, import_paths):
    # bigcat88/pillow_heif tests/images/heif_corrupted/corrupted.hif (and an iPhone 13 Pro
    # Max HEIC with bytes changed): libheif cannot open it, yet its "Exif\0\0II*\0" item
    # holds DateTimeOriginal 2020:02:19 06:04:51 with OffsetTimeOriginal -08:00 (exiftool).
    pillow_heif = __import__("pillow_heif")
    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13 Pro Max"
    sub = exif.get_ifd(EXIF_IFD)
    sub[0x9003], sub[0x9011], sub[0x9291] = "2022:02:16 12:55:41", "+01:00", "762"
    path = tmp_path / "IMG_0001.HEIC"
    Image.new("RGB", (64, 48), "navy").save(path, "HEIF", exif=exif.tobytes(), quality=50)
    data = bytearray(path.read_bytes())
    at = data.find(b"hvcC")  # the decoder's set-up: without it nothing can be decoded
    data[at + 4:at + 40] = b"\xff" * 36
    path.write_bytes(bytes(data))
    (result,) = import_paths(path)
    att = get_attachment(case, result.id)
    assert not att.preview and "damaged" in att.preview_error
    assert att.captured_from == "exif"
    assert att.captured_at == datetime(2022, 2, 16, 11, 55, 41, 762000, tzinfo=UTC)
    assert att.captured_offset == "+01:00"
    assert "could not be opened" in att.captured_note
    assert (att.camera_make, att.camera_model) == ("Apple", "iPhone 13 Pro Max")


def test_a_jpeg_cut_short_inside_its_exif_keeps_the_tags_before_the_cut(tmp_path):
    # ianare/exif-samples jpg/gps/DSCN0010.jpg cut at 1000 and 5000 bytes (inside its
    # 30 kB EXIF segment, whose maker note and thumbnail follow the times and GPS).
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "NIKON", "COOLPIX P6000"
    sub = exif.get_ifd(EXIF_IFD)
    sub[0x9003] = "2008:10:22 16:28:39"
    sub[0x927C] = b"Nikon\x00" + bytes(range(256)) * 80  # a 20 kB maker note
    path = tmp_path / "DSCN0010.jpg"
    Image.new("RGB", (64, 48), "navy").save(path, "JPEG", exif=exif.tobytes())
    data = path.read_bytes()
    path.write_bytes(data[:data.find(b"Nikon\x00") + 5000])
    info = analyse(path, path.name)
    assert not info.preview and "cut short" in info.preview_error
    assert info.exif_time == datetime(2008, 10, 22, 16, 28, 39)
    assert info.camera_model == "COOLPIX P6000" and info.kind == "photo"


def test_a_damaged_picture_without_exif_gives_no_time(tmp_path):
    path = tmp_path / "Screenshot.jpg"
    Image.new("RGB", (64, 48), "navy").save(path, "JPEG")
    path.write_bytes(path.read_bytes()[:300])
    info = analyse(path, path.name)
    assert not info.preview and info.exif_time is None and info.time_note == ""


def _png(path, **chunks):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in chunks.items():
        info.add_text(key.replace("_", " "), value)
    Image.new("RGB", (60, 120), "white").save(path, "PNG", pnginfo=info)
    return path


def test_a_gnome_screenshot_renamed_keeps_its_creation_time(tmp_path, case, import_paths):
    # GNOME Shell's screenshot code (shell-screenshot.c) saves tEXt "Software"
    # "gnome-screenshot" and "Creation Time" as strftime "%c" ("Sat 14 Mar 2025 22:15:03
    # GMT" in en_GB), falling back to "%FT%T%z"; the PNG spec recommends RFC 1123.
    path = _png(tmp_path / "harassing message.png", Software="gnome-screenshot",
                Creation_Time="Sat 14 Mar 2025 22:15:03 GMT")
    info = analyse(path, path.name)
    assert info.kind == "screenshot"
    assert info.exif_time == datetime(2025, 3, 14, 22, 15, 3, tzinfo=UTC)
    assert "Creation Time" in info.time_note
    (result,) = import_paths(path)
    att = get_attachment(case, result.id)
    assert att.captured_at == datetime(2025, 3, 14, 22, 15, 3, tzinfo=UTC)
    assert capture_text(att.captured_at, att.captured_from, path.name, "Europe/London") == (
        "14 Mar 2025, 22:15 GMT")


def test_png_creation_times_are_read_only_when_unambiguous(tmp_path):
    from evidence_app.core.media.photo_meta import png_creation_time

    bst = timezone(timedelta(hours=1))
    assert png_creation_time("Sat, 14 Mar 2025 22:15:03 +0000")[0] == datetime(
        2025, 3, 14, 22, 15, 3, tzinfo=UTC)
    assert png_creation_time("2025-07-14T22:15:03+0100")[0] == datetime(
        2025, 7, 14, 22, 15, 3, tzinfo=bst)
    assert png_creation_time("Sat 14 Mar 2025 10:15:03 PM GMT")[0] == datetime(
        2025, 3, 14, 22, 15, 3, tzinfo=UTC)
    # A zone named by letters other than GMT/UTC is not trusted: the case's zone is.
    assert png_creation_time("Mon 14 Jul 2025 22:15:03 BST") == (datetime(2025, 7, 14, 22, 15, 3), "")
    assert png_creation_time("Mon Jul 14 22:15:03 2025") == (datetime(2025, 7, 14, 22, 15, 3), "")
    for unreadable in ("Mo 14 Jul 2025 22:15:03 CEST", "14/07/2025 22:15", "2025-07-14T25:15:03",
                       "Mon 14 Jul 2025 13:15:03 PM GMT", ""):
        assert png_creation_time(unreadable) is None


def test_a_png_creation_time_never_beats_exif(tmp_path):
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[0x9003] = "2025:03:14 08:00:00"
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Creation Time", "Sat 15 Mar 2025 22:15:03 GMT")
    path = tmp_path / "x.png"
    Image.new("RGB", (10, 10)).save(path, "PNG", pnginfo=info, exif=exif.tobytes())
    assert analyse(path, path.name).exif_time == datetime(2025, 3, 14, 8, 0, 0)


def test_a_time_in_the_name_beats_a_save_time(tmp_path, case, import_paths):
    # A Samsung photo edited in the phone's gallery keeps its camera name; the IFD0
    # DateTime of the SM-G930F sample is then when it was saved, not taken.
    path = _jpeg(tmp_path / "20160912_100531(0).jpg", ifd0_time="2016:09:14 18:00:00",
                 make="samsung", model="SM-G930F")
    (result,) = import_paths(path)
    att = get_attachment(case, result.id)
    assert att.captured_from == "filename"
    assert att.captured_at == datetime(2016, 9, 12, 9, 5, 31, tzinfo=UTC)


def _box(kind, payload):
    import struct

    return struct.pack(">I", 8 + len(payload)) + kind + payload


def test_a_heif_burst_without_exif_is_dated_by_its_movie_header(tmp_path):
    # bigcat88/pillow_heif tests/images/heif_other/nokia/bird_burst.heic: an image
    # sequence (major brand msf1) with no EXIF; exiftool reads QuickTime CreateDate
    # 2018:03:09 14:16:50 (UTC) from its mvhd. Built here from a still HEIC, with the
    # sequence brand and a movie header added.
    import struct

    pillow_heif = __import__("pillow_heif")
    pillow_heif.register_heif_opener()
    still = tmp_path / "still.heic"
    Image.new("RGB", (64, 48), "navy").save(still, "HEIF", quality=50)
    data = bytearray(still.read_bytes())
    assert data[4:12] == b"ftypheic"
    data[8:12] = b"msf1"
    since_1904 = int((datetime(2018, 3, 9, 14, 16, 50, tzinfo=UTC)
                      - datetime(1904, 1, 1, tzinfo=UTC)).total_seconds())
    mvhd = _box(b"mvhd", struct.pack(">BxxxIIII", 0, since_1904, since_1904, 1000, 3000)
                + bytes(80))
    path = tmp_path / "bird_burst.heic"
    path.write_bytes(bytes(data) + _box(b"moov", mvhd))
    info = analyse(path, path.name)
    assert info.preview
    assert info.exif_time == datetime(2018, 3, 9, 14, 16, 50, tzinfo=UTC)
    assert info.time_source == "media"
