"""Metadata inside pictures (EXIF and XMP), read defensively.

Phones, apps and editors write EXIF badly in every imaginable way: offsets that point
nowhere, GPS rationals with a zero denominator, GPS written as text, altitudes of a
million metres, dates of "0000:00:00 00:00:00" or a thirteenth month, and comments of
many kilobytes. Each value is checked on its own, so one bad tag loses only itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from PIL import Image

from evidence_app.core.dates import parse_exif_datetime

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_TAG_MAKE, _TAG_MODEL, _TAG_ORIENTATION = 0x010F, 0x0110, 0x0112
_TAG_DT_ORIGINAL, _TAG_DT_DIGITIZED = 0x9003, 0x9004
_TAG_OFFSET_ORIGINAL, _TAG_OFFSET_DIGITIZED = 0x9011, 0x9012
_TAG_SUBSEC_ORIGINAL, _TAG_SUBSEC_DIGITIZED, _TAG_USER_COMMENT = 0x9291, 0x9292, 0x9286
_MAX_TEXT_SCAN = 4096  # of a comment or tag: enough for any real value
_MAX_XMP = 2 * 1024 * 1024
_XMP_DATE = re.compile(
    r"(?:exif:DateTimeOriginal|photoshop:DateCreated|xmp:CreateDate)"
    r"(?:>|=[\"'])\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*([+-]\d{2}:?\d{2}|Z)?"
)
_XMP_SCREENSHOT = re.compile(r"UserComment(?:=[\"']|[^<]*>(?:\s*<[^>]*>)*\s*)Screenshot", re.I)
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class PhotoMeta:
    """What a picture's own metadata says."""

    orientation: int | None = None
    taken: datetime | None = None  # naive (camera local time) or aware
    offset: str = ""
    from_xmp: bool = False
    make: str = ""
    model: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    screenshot: bool = False  # the metadata itself says "Screenshot"


def text(value: Any, limit: int = 100) -> str:
    """Printable text from a tag value of any type, cut to `limit` characters."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value[:_MAX_TEXT_SCAN]).decode("utf-8", "replace")
    elif not isinstance(value, str):
        value = str(value)[:_MAX_TEXT_SCAN]
    value = value[:_MAX_TEXT_SCAN]
    return "".join(ch for ch in value if ch.isprintable()).strip()[:limit]


def _number(value: Any) -> float:
    if isinstance(value, str | bytes):
        found = _DECIMAL.search(text(value))
        return float(found.group()) if found else math.nan
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _coordinate(values: Any, ref: Any) -> float | None:
    """Degrees from (d, m, s) rationals, or from text such as '51.5007' or '51 30 2.6'."""
    if isinstance(values, str | bytes):
        parts = [float(p) for p in _DECIMAL.findall(text(values))][:3]
    elif isinstance(values, tuple | list):
        parts = [_number(v) for v in values[:3]]
    else:
        parts = [_number(values)]
    if not parts or any(math.isnan(p) for p in parts):
        return None
    parts += [0.0] * (3 - len(parts))
    d, m, s = parts
    if not (0 <= m < 60 and 0 <= s < 60):
        return None
    result = abs(d) + m / 60 + s / 3600
    if d < 0 or text(ref).upper().startswith(("S", "W")):
        result = -result
    return result


def _gps(exif: Image.Exif, meta: PhotoMeta) -> None:
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:  # noqa: BLE001 - a broken GPS block loses only the GPS
        return
    if not gps:
        return
    lat = _coordinate(gps.get(2), gps.get(1)) if gps.get(2) is not None else None
    lon = _coordinate(gps.get(4), gps.get(3)) if gps.get(4) is not None else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return
    if lat == 0 and lon == 0:  # "no fix" written as a position off the coast of Africa
        return
    meta.gps_lat, meta.gps_lon = round(lat, 7), round(lon, 7)
    alt = _number(gps.get(6)) if gps.get(6) is not None else math.nan
    if not math.isnan(alt) and abs(alt) <= 20_000:
        below = gps.get(5) in (1, b"\x01", "\x01", "1")
        meta.gps_alt = -abs(alt) if below else alt


def _taken(sub: Any, meta: PhotoMeta) -> None:
    tries = (
        (sub.get(_TAG_DT_ORIGINAL), sub.get(_TAG_OFFSET_ORIGINAL), sub.get(_TAG_SUBSEC_ORIGINAL)),
        (sub.get(_TAG_DT_DIGITIZED), sub.get(_TAG_OFFSET_DIGITIZED), sub.get(_TAG_SUBSEC_DIGITIZED)),
    )
    for raw, offset, subsec in tries:
        if not raw:
            continue
        parsed = parse_exif_datetime(text(raw, 40), text(offset or "", 10), text(subsec or "", 10))
        if parsed:
            meta.taken, meta.offset = parsed
            return


def read_photo_meta(img: Image.Image) -> PhotoMeta:
    """Orientation, capture time, camera, GPS and 'screenshot' hints of an open picture."""
    meta = PhotoMeta()
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - unreadable EXIF is treated as none
        exif = None
    if exif:
        try:
            meta.make = text(exif.get(_TAG_MAKE, ""))
            meta.model = text(exif.get(_TAG_MODEL, ""))
            orient = exif.get(_TAG_ORIENTATION)
            if isinstance(orient, int) and 1 <= orient <= 8:
                meta.orientation = orient
        except Exception:  # noqa: BLE001
            pass
        try:
            sub: Any = exif.get_ifd(_EXIF_IFD)
        except Exception:  # noqa: BLE001
            sub = {}
        try:
            _taken(sub, meta)
            comment = text(sub.get(_TAG_USER_COMMENT, b""), 200).lower()
            meta.screenshot = "screenshot" in comment
        except Exception:  # noqa: BLE001
            pass
        _gps(exif, meta)
    _read_xmp(img, meta)
    return meta


def _read_xmp(img: Image.Image, meta: PhotoMeta) -> None:
    try:
        xmp = img.info.get("XML:com.adobe.xmp") or img.info.get("xmp")
    except Exception:  # noqa: BLE001
        return
    if not xmp:
        return
    if isinstance(xmp, bytes | bytearray):
        xmp_text = bytes(xmp[:_MAX_XMP]).decode("utf-8", "replace")
    else:
        xmp_text = str(xmp)[:_MAX_XMP]
    meta.screenshot = meta.screenshot or bool(_XMP_SCREENSHOT.search(xmp_text))
    if meta.taken is not None:
        return
    for match in _XMP_DATE.finditer(xmp_text):
        stamp = match.group(1).replace("-", ":", 2).replace("T", " ")
        if len(stamp) == 16:
            stamp += ":00"
        zone = match.group(3) or ""
        if zone == "Z":
            zone = "+00:00"
        elif zone and ":" not in zone:
            zone = f"{zone[:3]}:{zone[3:]}"
        fraction = (match.group(2) or "").lstrip(".")
        parsed = parse_exif_datetime(stamp, zone, fraction)
        if parsed:
            meta.taken, meta.offset = parsed
            meta.from_xmp = True
            return


# -- details that identify a person or a place ------------------------------------------
# What a file given to others could reveal beyond its pixels: where it was taken, the
# serial number of the camera or lens (which ties pictures to one device, and a device to
# its owner), and a person's name. Read from every place phones, cameras and editors put
# them; used to tell the person, before an export, what the original files hold.
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
    location = serial = name = False
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - unreadable EXIF is treated as none
        exif = Image.Exif()
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
            found = _maker_note(bytes(note), text(exif.get(_TAG_MAKE, "")).lower(), img, exif)
        except Exception:  # noqa: BLE001 - notes this app cannot follow count as unread
            found = None
        if found is None:
            unread = True
        else:
            serial, name = serial or found[0], name or found[1]
    iptc = _iptc(img)
    name = name or any(_real(iptc.get(k)) for k in _IPTC_NAMES)
    location = location or any(_real(iptc.get(k)) for k in _IPTC_PLACES)
    info = getattr(img, "info", {}) or {}
    name = name or any(_real(info.get(k)) for k in _PNG_NAME_KEYS)
    xmp = info.get("XML:com.adobe.xmp") or info.get("xmp")
    if xmp:
        xmp_text = (bytes(xmp[:_MAX_XMP]).decode("utf-8", "replace")
                    if isinstance(xmp, bytes | bytearray) else str(xmp)[:_MAX_XMP])
        location = location or bool(_XMP_LOCATION.search(xmp_text))
        serial = serial or bool(_XMP_SERIAL.search(xmp_text))
        name = name or bool(_XMP_NAME.search(xmp_text))
    return Identifying(location, serial, name, checked=True, unread_maker_notes=unread)


def _maker_note(note: bytes, make: str, img: Image.Image, exif: Image.Exif,
                ) -> tuple[bool, bool] | None:
    """(serial number, owner's name) from the maker notes of the cameras most used for
    evidence, or None when the notes are of a kind this app does not read."""
    if make.startswith("apple") or note.startswith(b"Apple iOS"):
        return False, False  # an iPhone's notes hold neither
    if note.startswith(b"FUJIFILM"):
        return _real(_ifd(exif, _MAKER_NOTE).get(_FUJI_SERIAL)), False
    if make.startswith("canon"):
        # A plain IFD whose offsets count from the start of the EXIF block.
        raw = getattr(img, "info", {}).get("exif") or b""
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
