"""What MP4, QuickTime (.mov), 3GP and M4A files say about themselves, read safely.

A phone video or voice recording keeps its recording time in the movie header ('mvhd',
seconds since 1904 in UTC) and, from iPhones, as local time with its UTC offset in the
QuickTime metadata ('com.apple.quicktime.creationdate'); its length is the header's
duration over its timescale. Only box headers and a few small boxes are read: every
size in the file is checked against the file's real size and its parent box, the
number of boxes visited is capped, and nothing ever raises for bad content.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from evidence_app.core.dates import parse_exif_datetime

_EPOCH_1904 = datetime(1904, 1, 1, tzinfo=UTC)
_MAX_BOXES = 4000  # a real phone video has a few hundred at most
_MAX_DEPTH = 8
_SMALL = 64 * 1024  # metadata boxes read whole are never larger than this
_MAX_DURATION = 7 * 24 * 3600.0
_CONTAINERS = {b"moov", b"trak", b"mdia", b"udta", b"minf", b"edts"}
_IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
                 b"mif1", b"msf1", b"avif", b"avis", b"mif2", b"miaf", b"avci", b"jpeg"}
_APPLE_KEYS = {
    "com.apple.quicktime.creationdate": "date",
    "com.apple.quicktime.location.iso6709": "where",
    "com.apple.quicktime.make": "make",
    "com.apple.quicktime.model": "model",
    "com.apple.quicktime.author": "author",
    "com.apple.quicktime.artist": "author",
}
_UDTA_KEYS = {b"\xa9day": "date", b"\xa9xyz": "where", b"\xa9mak": "make", b"\xa9mod": "model",
              b"\xa9aut": "author", b"\xa9ART": "author"}
_ISO_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_ISO6709 = re.compile(r"^([+-]\d{2,6}(?:\.\d+)?)([+-]\d{3,7}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


@dataclass
class MovieInfo:
    """What an MP4-family file holds: its brand, tracks, recording time and length."""

    brand: str = ""
    has_video: bool = False
    has_audio: bool = False
    created: datetime | None = None  # aware when the file says which zone, else naive
    offset: str = ""
    created_from: str = ""  # "header" (mvhd, UTC) or "apple" / "udta" (local + offset)
    duration: float | None = None
    make: str = ""
    model: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    location_recorded: bool = False  # a place is written, even one that does not parse
    author: str = ""  # a person's name ('\u00a9aut', '\u00a9ART', QuickTime author)
    damaged: bool = False  # a box ran past the end of the file, or a size made no sense


class _Reader:
    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        self.size = size
        self.visited = 0
        self.info = MovieInfo()
        self.keys: list[str] = []
        self.values: dict[str, str] = {}

    def boxes(self, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
        """(type, payload start, box end) for each box in [start, end), never past it."""
        pos = start
        while pos + 8 <= end and self.visited < _MAX_BOXES:
            self.visited += 1
            self.fh.seek(pos)
            head = self.fh.read(8)
            if len(head) < 8:
                return
            size, kind = struct.unpack(">I4s", head)
            header = 8
            if size == 1:
                ext = self.fh.read(8)
                if len(ext) < 8:
                    self.info.damaged = True
                    return
                size = struct.unpack(">Q", ext)[0]
                header = 16
            elif size == 0:  # "to the end of the enclosing box"
                size = end - pos
            if size < header:
                self.info.damaged = True
                return
            box_end = pos + size
            if box_end > end:
                self.info.damaged = True
                box_end = end
            yield kind, pos + header, box_end
            pos = box_end

    def read(self, start: int, end: int, limit: int = _SMALL) -> bytes:
        if end <= start or end - start > limit:
            return b""
        self.fh.seek(start)
        return self.fh.read(end - start)

    def walk(self, start: int, end: int, depth: int, parent: bytes = b"") -> None:
        if depth > _MAX_DEPTH:
            return
        for kind, body, box_end in self.boxes(start, end):
            if kind == b"ftyp" and depth == 0:
                self.info.brand = self.read(body, min(box_end, body + 4)).decode("latin-1")
            elif kind == b"mvhd":
                self.movie_header(self.read(body, min(box_end, body + 32)))
            elif kind == b"hdlr" and parent == b"mdia":
                handler = self.read(body, min(box_end, body + 12))[8:12]
                self.info.has_video |= handler == b"vide"
                self.info.has_audio |= handler == b"soun"
            elif kind in _CONTAINERS:
                self.walk(body, box_end, depth + 1, kind)
            elif kind == b"meta":
                self.meta(body, box_end, depth)
            elif parent == b"udta" and kind in _UDTA_KEYS:
                self.udta_text(_UDTA_KEYS[kind], self.read(body, box_end, 4096))

    def movie_header(self, data: bytes) -> None:
        if len(data) < 4:
            return
        if data[0] == 1 and len(data) >= 32:
            created, _mod, scale, duration = struct.unpack(">QQIQ", data[4:32])
            unknown = 0xFFFFFFFFFFFFFFFF
        elif data[0] == 0 and len(data) >= 20:
            created, _mod, scale, duration = struct.unpack(">IIII", data[4:20])
            unknown = 0xFFFFFFFF
        else:
            return
        if scale and duration not in (0, unknown) and duration / scale <= _MAX_DURATION:
            self.info.duration = duration / scale
        if 0 < created < 200 * 366 * 86400:
            when = _EPOCH_1904 + timedelta(seconds=created)
            # 0 means unset; a year before digital video means the field holds garbage
            # (some devices write seconds since 1970 here) and is better left unread.
            if 1995 <= when.year <= 2100 and self.info.created_from in ("", "header"):
                self.info.created, self.info.created_from = when, "header"

    def meta(self, start: int, end: int, depth: int) -> None:
        # ISO 'meta' is a full box (4 bytes of version and flags); QuickTime's is not.
        peek = self.read(start, min(end, start + 12), 12)
        if len(peek) >= 12 and peek[4:8] != b"hdlr" and peek[8:12] in (b"hdlr", b"keys", b"ilst"):
            start += 4
        for kind, body, box_end in self.boxes(start, end):
            if kind == b"keys":
                self.apple_keys(self.read(body, box_end))
            elif kind == b"ilst":
                self.apple_values(body, box_end)
        if depth < _MAX_DEPTH:
            self.apply(self.values, "apple")

    def apple_keys(self, data: bytes) -> None:
        if len(data) < 8:
            return
        count = struct.unpack(">I", data[4:8])[0]
        pos = 8
        for _ in range(min(count, 256)):
            if pos + 8 > len(data):
                break
            size = struct.unpack(">I", data[pos:pos + 4])[0]
            if size < 8 or pos + size > len(data):
                break
            self.keys.append(data[pos + 8:pos + size].decode("utf-8", "replace").lower())
            pos += size

    def apple_values(self, start: int, end: int) -> None:
        """Values of 'ilst': items named by an index into 'keys' (QuickTime) or by their
        own four letters such as '\u00a9day' (iTunes-style, in .m4a files)."""
        for kind, body, box_end in self.boxes(start, end):
            index = struct.unpack(">I", kind)[0]
            if kind in _UDTA_KEYS:
                name = _UDTA_KEYS[kind]
            elif 1 <= index <= len(self.keys) and self.keys[index - 1] in _APPLE_KEYS:
                name = _APPLE_KEYS[self.keys[index - 1]]
            else:
                continue
            for inner, data_start, data_end in self.boxes(body, box_end):
                if inner == b"data":
                    raw = self.read(data_start, data_end, 4096)
                    if len(raw) > 8 and raw[:4] == b"\x00\x00\x00\x01":  # UTF-8 text
                        self.values[name] = raw[8:].decode("utf-8", "replace").strip("\x00 ")

    def udta_text(self, name: str, raw: bytes) -> None:
        if len(raw) < 4:
            return
        length = struct.unpack(">H", raw[:2])[0]
        text = raw[4:4 + length].decode("utf-8", "replace").strip("\x00 ")
        if text:
            self.apply({name: text}, "udta")

    def apply(self, values: dict[str, str], source: str) -> None:
        info = self.info
        date = values.get("date")
        if date and info.created_from != "apple":
            parsed = _parse_time(date)
            if parsed is not None and (parsed[0].tzinfo is not None or info.created is None):
                info.created, info.offset = parsed
                info.created_from = source
        where = values.get("where")
        info.location_recorded |= bool(where and where.strip("\x00 /"))
        info.author = info.author or _clean(values.get("author", ""))
        if where and info.gps_lat is None:
            info.gps_lat, info.gps_lon, info.gps_alt = iso6709(where)
        info.make = info.make or _clean(values.get("make", ""))
        info.model = info.model or _clean(values.get("model", ""))


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable()).strip()[:100]


def _parse_time(text: str) -> tuple[datetime, str] | None:
    match = _ISO_TIME.match(text.strip())
    if not match:
        return None
    stamp = "{}:{}:{} {}:{}:{}".format(*match.groups()[:6])
    zone = match.group(7) or ""
    if zone == "Z":
        zone = "+00:00"
    elif zone and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    parsed = parse_exif_datetime(stamp, zone)
    if parsed is None or not 1995 <= parsed[0].year <= 2100:
        return None
    return parsed


def _degrees(text: str, degree_digits: int) -> float | None:
    """ISO 6709 '+51.5007', '+5130.04' (degrees, minutes) or '+513002.4' (d, m, s)."""
    sign = -1.0 if text[0] == "-" else 1.0
    body = text[1:]
    whole = body.split(".")[0]
    try:
        if len(whole) <= degree_digits:
            return sign * float(body)
        if len(whole) == degree_digits + 2:
            return sign * (int(whole[:degree_digits]) + float(body[degree_digits:]) / 60)
        if len(whole) == degree_digits + 4:
            return sign * (int(whole[:degree_digits]) + int(whole[degree_digits:degree_digits + 2]) / 60
                           + float(body[degree_digits + 2:]) / 3600)
    except ValueError:
        return None
    return None


def iso6709(text: str) -> tuple[float | None, float | None, float | None]:
    """Latitude, longitude and altitude from an ISO 6709 string such as '+51.5007-000.1246/'."""
    match = _ISO6709.match(text.strip())
    if not match:
        return None, None, None
    lat, lon = _degrees(match.group(1), 2), _degrees(match.group(2), 3)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None, None
    if lat == 0 and lon == 0:
        return None, None, None
    alt: float | None = None
    if match.group(3):
        try:
            alt = float(match.group(3))
        except ValueError:
            alt = None
        if alt is not None and abs(alt) > 100_000:
            alt = None
    return round(lat, 7), round(lon, 7), alt


def is_movie(head: bytes) -> bool:
    """True when the first bytes are an MP4-family file that is a movie or sound, not a
    HEIC/AVIF picture (those share the container)."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return False
    return head[8:12] not in _IMAGE_BRANDS


def read_movie(fh: BinaryIO) -> MovieInfo:
    """Read what an MP4/QuickTime file says about itself. Never raises for bad content."""
    try:
        fh.seek(0, 2)
        size = fh.tell()
        reader = _Reader(fh, size)
        reader.walk(0, size, 0)
    except (OSError, ValueError, struct.error, OverflowError):
        return MovieInfo(damaged=True)
    return reader.info


def duration_text(seconds: float) -> str:
    """'0:42', '12:05' or '1:02:03': a length as people read it on a phone."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
