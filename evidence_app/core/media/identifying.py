"""Whether a file records a place, a camera serial number or a person's name.

What a file given to others could reveal beyond its pixels: where it was taken, the
serial number of the camera or lens (which ties pictures to one device, and a device to
its owner), and a person's name. Read from every place phones, cameras and editors put
them (EXIF, XMP, IPTC, PNG text, the maker notes of Canon, Nikon and Fujifilm cameras);
used to tell the person, before an export, what the original files hold. PNG files are
read chunk by chunk, never decoded.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

from PIL import Image

from evidence_app.core.media.photo_meta import text

_EXIF_IFD, _GPS_IFD, _TAG_MAKE = 0x8769, 0x8825, 0x010F
_MAX_TEXT_SCAN = 4096  # of a tag: enough for any real value
_MAX_XMP = 2 * 1024 * 1024
_MAX_EXIF = 1024 * 1024  # an EXIF block is at most 64 KB in a JPEG; PNG allows more
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT_KEYS = {"Author", "Copyright", "XML:com.adobe.xmp", "Raw profile type exif",
                  "Raw profile type APP1"}
_TAG_ARTIST, _TAG_COPYRIGHT, _TAG_XP_AUTHOR = 0x013B, 0x8298, 0x9C9D
_TAG_DNG_SERIAL = 0xC62F  # CameraSerialNumber, in IFD0 of DNG files
_TAG_OWNER, _TAG_BODY_SERIAL, _TAG_LENS_SERIAL = 0xA430, 0xA431, 0xA435
_MAKER_NOTE = 0x927C
_FUJI_SERIAL = 0x0010  # InternalSerialNumber in a Fujifilm maker note (Pillow parses it)
_GPS_LAT, _GPS_LON = 2, 4
_IPTC_NAMES = ((2, 80), (2, 116), (2, 118))  # By-line, Copyright Notice, Contact
_IPTC_PLACES = ((2, 90), (2, 92), (2, 95))  # City, Sub-location, Province/State
_PNG_NAME_KEYS = ("Author", "Copyright")  # PNG's own text keywords
_XMP_TAG = r"(?<![/\w])(?:{names})(?:\s*=\s*[\"']\s*[^\"'\s]|>\s*(?:<[^/][^>]*>\s*)*[^<\s])"
_XMP_LOCATION = re.compile(_XMP_TAG.format(
    names=r"exif:GPSLatitude|exif:GPSLongitude|photoshop:City|Iptc4xmpCore:Location"))
_XMP_SERIAL = re.compile(_XMP_TAG.format(
    names=r"aux:SerialNumber|aux:LensSerialNumber|exifEX:BodySerialNumber|"
          r"exifEX:LensSerialNumber"))
_XMP_NAME = re.compile(_XMP_TAG.format(
    names=r"dc:creator|dc:rights|exifEX:CameraOwnerName|aux:OwnerName|photoshop:Credit|"
          r"xmpRights:Owner"))


@dataclass(frozen=True)
class Identifying:
    """Whether a file records a place, a camera or lens serial number, or a name.

    `checked` is False when the file's format is not one whose metadata is read (a
    document, a sound recording, a damaged picture): then nothing is known either way.
    """

    location: bool = False
    serial: bool = False
    name: bool = False
    checked: bool = False
    # The camera maker's own notes are there but in a form this app does not read
    # (Olympus, Panasonic, Sony, Samsung...): they may hold a serial number or a name.
    unread_maker_notes: bool = False

    @property
    def any(self) -> bool:
        return self.location or self.serial or self.name or self.unread_maker_notes


def _real(value: Any) -> bool:
    """A tag that holds something: not empty, not blanks, not a run of zeros (what
    cameras without a serial number write)."""
    if value is None:
        return False
    if isinstance(value, tuple | list) and value and all(isinstance(v, int) for v in value):
        value = bytes(v & 0xFF for v in value)  # XPAuthor as Pillow sometimes gives it
    if isinstance(value, bytes | bytearray) and len(value) > 1 and b"\x00" in value[1::2]:
        value = bytes(value[:_MAX_TEXT_SCAN]).decode("utf-16-le", "replace")
    cleaned = text(value, _MAX_TEXT_SCAN).strip("\x00 ")
    return bool(cleaned.strip("0 -"))


def _ifd(exif: Image.Exif, tag: int) -> dict[int, Any]:
    try:
        return dict(exif.get_ifd(tag) or {})
    except Exception:  # noqa: BLE001 - a broken block hides only itself
        return {}


def identifying_details(img: Image.Image) -> Identifying:
    """What an open picture's EXIF, XMP, IPTC and PNG text say about place, device and
    people (see `Identifying`). Never raises for bad content."""
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - unreadable EXIF is treated as none
        exif = Image.Exif()
    info = getattr(img, "info", {}) or {}
    raw = info.get("exif")
    return _identify(exif, raw if isinstance(raw, bytes) else b"", info, _iptc(img))


def identifying_png(fh: BinaryIO) -> Identifying:
    """The same for a PNG, read chunk by chunk without decoding its pixels (Pillow would
    decode a whole screenshot to find an eXIf chunk that follows them)."""
    raw, info = _png_chunks(fh)
    exif = Image.Exif()
    if raw:
        try:
            exif.load(raw)
        except Exception:  # noqa: BLE001 - a broken EXIF block hides only itself
            exif = Image.Exif()
    return _identify(exif, raw, info, {})


def _identify(exif: Image.Exif, raw: bytes, info: Mapping[str, Any],
              iptc: Mapping[tuple[int, int], Any]) -> Identifying:
    gps = _ifd(exif, _GPS_IFD)
    location = gps.get(_GPS_LAT) is not None or gps.get(_GPS_LON) is not None
    sub = _ifd(exif, _EXIF_IFD)
    serial = any(_real(sub.get(t)) for t in (_TAG_BODY_SERIAL, _TAG_LENS_SERIAL)) or _real(
        exif.get(_TAG_DNG_SERIAL))
    name = any(_real(exif.get(t)) for t in (_TAG_ARTIST, _TAG_COPYRIGHT, _TAG_XP_AUTHOR)) or (
        _real(sub.get(_TAG_OWNER)))
    unread = False
    note = sub.get(_MAKER_NOTE)
    if isinstance(note, bytes | bytearray) and note:
        try:
            found = _maker_note(bytes(note), text(exif.get(_TAG_MAKE, "")).lower(), raw, exif)
        except Exception:  # noqa: BLE001 - notes this app cannot follow count as unread
            found = None
        if found is None:
            unread = True
        else:
            serial, name = serial or found[0], name or found[1]
    name = name or any(_real(iptc.get(k)) for k in _IPTC_NAMES)
    location = location or any(_real(iptc.get(k)) for k in _IPTC_PLACES)
    name = name or any(_real(info.get(k)) for k in _PNG_NAME_KEYS)
    xmp = info.get("XML:com.adobe.xmp") or info.get("xmp")
    if xmp:
        xmp_text = (bytes(xmp[:_MAX_XMP]).decode("utf-8", "replace")
                    if isinstance(xmp, bytes | bytearray) else str(xmp)[:_MAX_XMP])
        location = location or bool(_XMP_LOCATION.search(xmp_text))
        serial = serial or bool(_XMP_SERIAL.search(xmp_text))
        name = name or bool(_XMP_NAME.search(xmp_text))
    return Identifying(location, serial, name, checked=True, unread_maker_notes=unread)


def _png_chunks(fh: BinaryIO) -> tuple[bytes, dict[str, str]]:
    """The EXIF block and the text chunks that matter of a PNG, every size checked."""
    fh.seek(0)
    if fh.read(8) != _PNG_SIGNATURE:
        return b"", {}
    raw = b""
    texts: dict[str, str] = {}
    for _ in range(100_000):  # a real PNG has a few hundred chunks at most
        head = fh.read(8)
        if len(head) < 8:
            break
        size, kind = int.from_bytes(head[:4], "big"), head[4:]
        if kind == b"IEND":
            break
        if kind in (b"eXIf", b"tEXt", b"zTXt", b"iTXt") and size <= _MAX_XMP:
            data = fh.read(size)
            fh.seek(4, 1)  # CRC
            if kind == b"eXIf":
                raw = raw or data[:_MAX_EXIF]
            else:
                key, value = _png_text(kind, data)
                if key in _PNG_TEXT_KEYS:
                    texts.setdefault(key, value)
        else:
            fh.seek(size + 4, 1)
    for key in ("Raw profile type exif", "Raw profile type APP1"):  # ImageMagick's EXIF
        if not raw and key in texts:
            try:
                block = bytes.fromhex("".join(texts[key].split("\n")[3:]))
            except ValueError:
                continue
            raw = block[6:] if block.startswith(b"Exif\x00\x00") else block
    return raw, texts


def _png_text(kind: bytes, data: bytes) -> tuple[str, str]:
    key, _, rest = data.partition(b"\x00")
    name = key.decode("latin-1", "replace")
    try:
        if kind == b"tEXt":
            return name, rest.decode("latin-1", "replace")
        if kind == b"zTXt":
            return name, _inflate(rest[1:]).decode("latin-1", "replace")
        compressed, rest = rest[:1] == b"\x01", rest[2:]
        _lang, _, rest = rest.partition(b"\x00")
        _translated, _, value = rest.partition(b"\x00")
        return name, (_inflate(value) if compressed else value).decode("utf-8", "replace")
    except (zlib.error, ValueError):
        return name, ""


def _inflate(data: bytes) -> bytes:
    """Decompress at most _MAX_XMP bytes (a small chunk may claim to inflate to gigabytes)."""
    return zlib.decompressobj().decompress(data, _MAX_XMP)


def _maker_note(note: bytes, make: str, raw: bytes, exif: Image.Exif,
                ) -> tuple[bool, bool] | None:
    """(serial number, owner's name) from the maker notes of the cameras most used for
    evidence, or None when the notes are of a kind this app does not read."""
    if make.startswith("apple") or note.startswith(b"Apple iOS"):
        return False, False  # an iPhone's notes hold neither
    if note.startswith(b"FUJIFILM"):
        return _real(_ifd(exif, _MAKER_NOTE).get(_FUJI_SERIAL)), False
    if make.startswith("canon"):
        # A plain IFD whose offsets count from the start of the EXIF block.
        tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw
        start = tiff.find(note) if tiff[:2] in (b"II", b"MM") else -1
        if start < 0:
            return None
        # Written in the EXIF block's byte order, but editors that rewrite the block may
        # leave the notes in the camera's: take the order whose entry count fits.
        orders = [tiff[:2], b"MM" if tiff[:2] == b"II" else b"II"]
        order = next((o for o in orders if _count_in(note, o) > 0 and
                      2 + 12 * _count_in(note, o) <= len(note)), tiff[:2])
        tags = _ifd_values(tiff, start, order)
        return (any(_real(tags.get(t)) for t in (0x000C, 0x0096)), _real(tags.get(0x0009)))
    if note.startswith(b"Nikon\x00\x02") and note[10:12] in (b"II", b"MM"):
        tiff = note[10:]  # an embedded TIFF header; offsets count from it
        order = tiff[:2]
        first = int.from_bytes(tiff[4:8], "little") if order == b"II" else int.from_bytes(
            tiff[4:8], "big")
        return _real(_ifd_values(tiff, first, order).get(0x001D)), False
    return None


def _count_in(data: bytes, order: bytes) -> int:
    return int.from_bytes(data[:2], "little" if order == b"II" else "big")


def _ifd_values(tiff: bytes, offset: int, order: bytes) -> dict[int, Any]:
    """The ASCII and LONG values of one TIFF directory, read with every bound checked."""
    end: Literal["little", "big"] = "little" if order == b"II" else "big"
    values: dict[int, Any] = {}
    if offset < 0 or offset + 2 > len(tiff):
        return values
    count = int.from_bytes(tiff[offset:offset + 2], end)
    for i in range(min(count, 512)):
        at = offset + 2 + 12 * i
        if at + 12 > len(tiff):
            break
        tag = int.from_bytes(tiff[at:at + 2], end)
        kind = int.from_bytes(tiff[at + 2:at + 4], end)
        n = int.from_bytes(tiff[at + 4:at + 8], end)
        if kind == 4 and n == 1:
            values[tag] = int.from_bytes(tiff[at + 8:at + 12], end)
        elif kind in (2, 7) and 0 < n <= _MAX_TEXT_SCAN:
            where = at + 8 if n <= 4 else int.from_bytes(tiff[at + 8:at + 12], end)
            if where >= 0 and where + n <= len(tiff):
                values[tag] = tiff[where:where + n].split(b"\x00")[0]
    return values


def _iptc(img: Image.Image) -> dict[tuple[int, int], Any]:
    if (img.format or "").upper() not in ("JPEG", "MPO", "TIFF"):
        return {}
    try:
        from PIL import ImageFile, IptcImagePlugin

        if not isinstance(img, ImageFile.ImageFile):
            return {}

        found = IptcImagePlugin.getiptcinfo(img)
    except Exception:  # noqa: BLE001 - a broken IPTC block hides only itself
        return {}
    return dict(found) if isinstance(found, dict) else {}
