"""`identifying`: does a file record a place, a camera serial number or a name?

Checked against ExifTool, an independent reader, on files ExifTool itself wrote (tags
where cameras and editors put them) and on maker notes laid out as Canon and Nikon
cameras write them; hostile blocks never raise.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from fixtures.identifying import needs_exiftool, reveals, write_samples
from PIL import Image

from evidence_app.core.media.analysis import identifying

MAKER_NOTE, EXIF_IFD, MAKE = 0x927C, 0x8769, 0x010F


def jpeg_with_note(path: Path, make: str, note: bytes) -> Path:
    exif = Image.Exif()
    exif[MAKE] = make
    exif.get_ifd(EXIF_IFD)[MAKER_NOTE] = note
    Image.new("RGB", (64, 48), "grey").save(path, "JPEG", exif=exif.tobytes())
    return path


def ifd(entries: list[tuple[int, int, int, bytes]], order: str = "<") -> bytes:
    """A TIFF directory of (tag, type, count, 4-byte value) entries."""
    out = struct.pack(order + "H", len(entries))
    for tag, kind, count, value in entries:
        out += struct.pack(order + "HHI", tag, kind, count) + value
    return out + b"\0\0\0\0"


def canon_note(serial: int) -> bytes:
    # A plain directory, as Canon writes it; SerialNumber (0x000C) is a LONG held inline.
    return ifd([(0x0001, 3, 1, b"\x01\0\0\0"), (0x000C, 4, 1, struct.pack("<I", serial))])


def nikon_note(serial: str) -> bytes:
    # 'Nikon\0' version 2, then a TIFF header of its own; offsets count from that header.
    text = serial.encode() + b"\0"
    head = b"II*\0" + struct.pack("<I", 8)
    directory = ifd([(0x001D, 2, len(text), struct.pack("<I", 8 + 2 + 12 + 4))])
    return b"Nikon\0\x02\x10\0\0" + head + directory + text


@needs_exiftool
def test_files_written_by_exiftool_agree_with_exiftool(tmp_path):
    expected = write_samples(tmp_path)
    for name, records in expected.items():
        found = identifying(tmp_path / name)
        assert (found.location, found.serial, found.name) == records == reveals(
            tmp_path / name) or name == "letter.pdf", name
        assert found.checked is (name != "letter.pdf"), name
    assert not identifying(tmp_path / "letter.pdf").any


@needs_exiftool
@pytest.mark.parametrize(("make", "note", "serial"), [
    ("Canon", canon_note(83012345), True),
    ("Canon", canon_note(0), False),
    ("NIKON CORPORATION", nikon_note("3105364"), True),
    ("NIKON CORPORATION", nikon_note("0000000"), False),
])
def test_canon_and_nikon_maker_notes_are_read(tmp_path, make, note, serial):
    path = jpeg_with_note(tmp_path / "camera.jpg", make, note)
    assert reveals(path)[1] is serial  # ExifTool reads the same serial number
    found = identifying(path)
    assert found.serial is serial and not found.unread_maker_notes


def test_maker_notes_this_app_cannot_read_are_said_to_be_unread(tmp_path):
    path = jpeg_with_note(tmp_path / "olympus.jpg", "OLYMPUS IMAGING CORP.",
                          b"OLYMPUS\0II\x03\0" + bytes(64))
    found = identifying(path)
    assert found.unread_maker_notes and found.any and not found.serial
    iphone = jpeg_with_note(tmp_path / "iphone.jpg", "Apple", b"Apple iOS\0" + bytes(40))
    assert not identifying(iphone).any


@pytest.mark.parametrize("note", [
    b"\xff\xff" + bytes(10),  # 65535 entries claimed, none there
    ifd([(0x000C, 2, 4000, struct.pack("<I", 0xFFFFFF00))]),  # text far past the end
    b"Nikon\0\x02\x10\0\0II*\0" + struct.pack("<I", 0x7FFFFFFF),  # directory nowhere
    b"Nikon\0\x02\x10\0\0MM\0*",  # cut short
    b"",
])
def test_hostile_maker_notes_never_raise(tmp_path, note):
    for make in ("Canon", "NIKON CORPORATION"):
        found = identifying(jpeg_with_note(tmp_path / "bad.jpg", make, note or b"\0"))
        assert found.checked and not found.serial


def test_empty_xmp_fields_are_not_a_name_or_place(tmp_path):
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           '02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"'
           ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><dc:creator><rdf:Seq/>'
           '</dc:creator><photoshop:City></photoshop:City><dc:title>Car at night</dc:title>'
           '</rdf:Description></rdf:RDF></x:xmpmeta>')
    path = tmp_path / "empty.jpg"
    Image.new("RGB", (32, 32)).save(path, "JPEG", xmp=xmp.encode())
    assert not identifying(path).any
    named = tmp_path / "named.jpg"
    Image.new("RGB", (32, 32)).save(named, "JPEG", xmp=xmp.replace(
        "<rdf:Seq/>", "<rdf:Seq><rdf:li>Jane Smith</rdf:li></rdf:Seq>").encode())
    assert identifying(named).name and not identifying(named).location


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "Google"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 27.0, 16.2), "W", (2.0, 35.0, 16.4)
    return exif.tobytes()[6:]  # without 'Exif\0\0', as a PNG eXIf chunk holds it


def png_with(tmp_path: Path, name: str, *extra: bytes, after_pixels: bool = False) -> Path:
    """A real PNG with extra chunks put before or after its pixels."""
    buf = io.BytesIO()
    Image.new("RGB", (120, 260), "white").save(buf, "PNG")
    data = buf.getvalue()
    at = data.index(b"IDAT") - 4 if not after_pixels else data.index(b"IEND") - 4
    path = tmp_path / name
    path.write_bytes(data[:at] + b"".join(extra) + data[at:])
    return path


@needs_exiftool
def test_png_chunks_are_read_without_decoding_and_agree_with_exiftool(tmp_path):
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
           b'<dc:creator><rdf:Seq><rdf:li>Jane Smith</rdf:li></rdf:Seq></dc:creator>'
           b'</rdf:Description></rdf:RDF></x:xmpmeta>')
    raw_profile = ("\nexif\n" + f"{len(gps_exif()) + 6:8d}\n" + (b"Exif\0\0" + gps_exif()).hex()
                   + "\n").encode()
    cases = {
        "exif_after_pixels.png": (png_with(tmp_path, "exif_after_pixels.png",
                                           png_chunk(b"eXIf", gps_exif()), after_pixels=True),
                                  (True, False, False)),
        "ztxt_xmp.png": (png_with(tmp_path, "ztxt_xmp.png", png_chunk(
            b"zTXt", b"XML:com.adobe.xmp\0\0" + zlib.compress(xmp))), (False, False, True)),
        "itxt_xmp.png": (png_with(tmp_path, "itxt_xmp.png", png_chunk(
            b"iTXt", b"XML:com.adobe.xmp\0\x01\0\0\0" + zlib.compress(xmp))),
            (False, False, True)),
        "imagemagick.png": (png_with(tmp_path, "imagemagick.png", png_chunk(
            b"zTXt", b"Raw profile type exif\0\0" + zlib.compress(raw_profile))),
            (True, False, False)),
        "author.png": (png_with(tmp_path, "author.png", png_chunk(b"tEXt", b"Author\0Jane")),
                       (False, False, True)),
    }
    for name, (path, records) in cases.items():
        found = identifying(path)
        assert (found.location, found.serial, found.name) == records == reveals(path), name


def test_a_png_text_chunk_that_inflates_hugely_is_cut_short(tmp_path):
    bomb = zlib.compress(b"<dc:creator>" + b" " * (50 * 1024 * 1024))
    path = png_with(tmp_path, "bomb.png", png_chunk(b"zTXt", b"XML:com.adobe.xmp\0\0" + bomb))
    found = identifying(path)
    assert found.checked and not found.name
