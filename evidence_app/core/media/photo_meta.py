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
from typing import Any

from PIL import Image

from evidence_app.core.dates import parse_exif_datetime

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_TAG_MAKE, _TAG_MODEL, _TAG_ORIENTATION, _TAG_DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
_TAG_DT_ORIGINAL, _TAG_DT_DIGITIZED = 0x9003, 0x9004
_TAG_OFFSET, _TAG_OFFSET_ORIGINAL, _TAG_OFFSET_DIGITIZED = 0x9010, 0x9011, 0x9012
_TAG_SUBSEC, _TAG_SUBSEC_ORIGINAL, _TAG_SUBSEC_DIGITIZED = 0x9290, 0x9291, 0x9292
_TAG_USER_COMMENT = 0x9286
_MAX_TEXT_SCAN = 4096  # of a comment or tag: enough for any real value
_MAX_XMP = 2 * 1024 * 1024
_MAX_SALVAGE = 6 + 65535  # an EXIF block is one JPEG segment at most
# "xap:" is the prefix Adobe's software wrote for the xmp namespace before 2004 or so;
# Apple's Vision Pro writes its zone as "GMT+02:00" ("2024-04-22T14:38:09.526GMT+02:00").
_XMP_DATE = re.compile(
    r"(?:exif:DateTimeOriginal|photoshop:DateCreated|(?:xmp|xap):CreateDate)"
    r"(?:>|=[\"'])\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*"
    r"(?:(?:GMT|UTC)?([+-]\d{2}:?\d{2})|(Z|GMT|UTC))?"
)
_XMP_SCREENSHOT = re.compile(r"UserComment(?:=[\"']|[^<]*>(?:\s*<[^>]*>)*\s*)Screenshot", re.I)
# A PNG's "Creation Time" text (PNG spec 11.3.4.2: RFC 1123 recommended). GNOME's
# screenshot tool writes strftime's "%c" ("Sat 14 Mar 2025 22:15:03 GMT", or C locale
# "Sat Mar 14 22:15:03 2025"), others ISO 8601. Only English month names are read, and
# only a numeric zone, GMT, UTC or Z is trusted: "BST" or "CET" leaves a local time.
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_CLOCK = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ampm>[AP]M))?"
_ZONE = r"(?:\s+(?P<zone>[+-]\d{2}:?\d{2}|GMT|UTC|Z|[A-Z]{3,5}))?"
_PNG_TIMES = [
    re.compile(r"^(?:[A-Za-z]{3},?\s+)?(?P<D>\d{1,2})\s+(?P<mon>[A-Za-z]{3})[a-z]*\s+(?P<Y>\d{4})\s+"
               + _CLOCK + _ZONE + r"$", re.I),
    re.compile(r"^(?:[A-Za-z]{3}\s+)?(?P<mon>[A-Za-z]{3})\s+(?P<D>\d{1,2})\s+" + _CLOCK
               + r"\s+(?P<Y>\d{4})$", re.I),
]
_PNG_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_EXIF_BLOCK = re.compile(rb"Exif\x00\x00(?:MM\x00\*|II\*\x00)")
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class PhotoMeta:
    """What a picture's own metadata says."""

    orientation: int | None = None
    taken: datetime | None = None  # naive (camera local time) or aware
    offset: str = ""
    from_xmp: bool = False  # the time was read from the XMP
    offset_from_xmp: bool = False  # the EXIF time's UTC offset was read from the XMP
    saved_only: bool = False  # no "taken" time: the EXIF time the file was last saved
    from_png_text: bool = False  # the time is a PNG's "Creation Time" text
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
        meta.gps_alt = (-abs(alt) if below else alt) + 0.0  # no "-0 m" (Galaxy S7 Edge)


def _taken(exif: Image.Exif, sub: Any, meta: PhotoMeta) -> None:
    tries = (
        (sub.get(_TAG_DT_ORIGINAL), sub.get(_TAG_OFFSET_ORIGINAL), sub.get(_TAG_SUBSEC_ORIGINAL)),
        (sub.get(_TAG_DT_DIGITIZED), sub.get(_TAG_OFFSET_DIGITIZED), sub.get(_TAG_SUBSEC_DIGITIZED)),
        # Some phones write only the time the file was saved (IFD0 DateTime), e.g. a
        # Samsung SM-G930F JPEG and a Nokia 8.3 5G HEIF: still better than the file's
        # modification time, which copying changes, but said to be what it is.
        (exif.get(_TAG_DATETIME), sub.get(_TAG_OFFSET), sub.get(_TAG_SUBSEC)),
    )
    for number, (raw, offset, subsec) in enumerate(tries):
        if not raw:
            continue
        parsed = parse_exif_datetime(text(raw, 40), text(offset or "", 10), text(subsec or "", 10))
        if parsed:
            meta.taken, meta.offset = parsed
            meta.saved_only = number == len(tries) - 1
            return


def read_photo_meta(img: Image.Image) -> PhotoMeta:
    """Orientation, capture time, camera, GPS and 'screenshot' hints of an open picture."""
    meta = PhotoMeta()
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - unreadable EXIF is treated as none
        exif = None
    if exif:
        _read_exif(exif, meta)
    _read_xmp(img, meta)
    _read_png_text(img, meta)
    return meta


def _read_png_text(img: Image.Image, meta: PhotoMeta) -> None:
    try:
        value = img.info.get("Creation Time") if img.format == "PNG" else None
        software = img.info.get("Software") if img.format == "PNG" else None
    except Exception:  # noqa: BLE001
        return
    if isinstance(software, str) and "screenshot" in software.lower():  # "gnome-screenshot"
        meta.screenshot = True
    if meta.taken is not None or not isinstance(value, str):
        return
    parsed = png_creation_time(text(value, 60))
    if parsed:
        meta.taken, meta.offset = parsed
        meta.from_png_text = True


def png_creation_time(value: str) -> tuple[datetime, str] | None:
    """A PNG 'Creation Time' as (naive or aware datetime, offset text); None if unreadable."""
    iso = _PNG_ISO.match(value)
    if iso:
        zone = iso.group(4) or ""
        zone = "+00:00" if zone == "Z" else zone if ":" in zone or not zone else f"{zone[:3]}:{zone[3:]}"
        return parse_exif_datetime(f"{iso.group(1).replace('-', ':')} {iso.group(2)}", zone,
                                   (iso.group(3) or "").lstrip("."))
    for pattern in _PNG_TIMES:
        found = pattern.match(value)
        if not found:
            continue
        g = found.groupdict()
        month = _MONTHS.get(g["mon"].lower())
        hour = int(g["h"])
        if month is None or (g["ampm"] and not 1 <= hour <= 12):
            return None
        if g["ampm"]:
            hour = hour % 12 + (12 if g["ampm"].upper() == "PM" else 0)
        zone = (g.get("zone") or "").upper()
        offset = ("+00:00" if zone in ("GMT", "UTC", "Z") else
                  zone if zone[:1] in "+-" and zone else "")
        if offset and ":" not in offset:
            offset = f"{offset[:3]}:{offset[3:]}"
        stamp = f"{g['Y']}:{month:02d}:{int(g['D']):02d} {hour:02d}:{g['m']}:{g['s'] or '00'}"
        return parse_exif_datetime(stamp, offset)
    return None


def salvage_meta(data: bytes) -> PhotoMeta | None:
    """Capture time, camera and GPS from the EXIF block of a picture that cannot be opened.

    A HEIC whose image data is damaged, or a JPEG cut short or too large to open, often
    still holds its EXIF intact near the start of the file: the first "Exif" block in
    `data` is read as it is. None when there is none, or it says nothing useful.
    """
    found = _EXIF_BLOCK.search(data)  # HEIF's item list names "Exif" too: TIFF must follow
    if found is None:
        return None
    at = found.start()
    exif = Image.Exif()
    try:
        exif.load(data[at:at + _MAX_SALVAGE])
    except Exception:  # noqa: BLE001 - a block as broken as the picture gives nothing
        return None
    meta = PhotoMeta()
    _read_exif(exif, meta)
    meta.orientation = None  # nothing is shown, so nothing is turned
    if meta.taken is None and meta.gps_lat is None and not (meta.make or meta.model):
        return None
    return meta


def _read_exif(exif: Image.Exif, meta: PhotoMeta) -> None:
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
            _taken(exif, sub, meta)
            comment = text(sub.get(_TAG_USER_COMMENT, b""), 200).lower()
            meta.screenshot = "screenshot" in comment
        except Exception:  # noqa: BLE001
            pass
        _gps(exif, meta)


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
    if meta.taken is not None and meta.taken.tzinfo is not None and not meta.saved_only:
        return
    for match in _XMP_DATE.finditer(xmp_text):
        stamp = match.group(1).replace("-", ":", 2).replace("T", " ")
        if len(stamp) == 16:
            stamp += ":00"
        zone = match.group(3) or ("+00:00" if match.group(4) else "")
        if zone and ":" not in zone:
            zone = f"{zone[:3]}:{zone[3:]}"
        fraction = (match.group(2) or "").lstrip(".")
        parsed = parse_exif_datetime(stamp, zone, fraction)
        if not parsed:
            continue
        if meta.taken is None or meta.saved_only:  # XMP's creation time beats a save time
            meta.taken, meta.offset = parsed
            meta.from_xmp, meta.saved_only = True, False
            return
        # EXIF gave the clock time without its offset; an editor (Lightroom, Photoshop,
        # a Jolla or Canon camera) often copied the same time into the XMP with it. The
        # same clock time to the second makes the offset the camera's own.
        found, offset = parsed
        if offset and found.replace(tzinfo=None, microsecond=0) == meta.taken.replace(microsecond=0):
            meta.taken = meta.taken.replace(tzinfo=found.tzinfo)
            meta.offset, meta.offset_from_xmp = offset, True
            return
