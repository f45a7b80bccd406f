"""How long a WebM, Matroska (.mkv) or AVI video lasts, and when it was recorded.

GNOME screencasts and browser recordings are WebM, OBS records Matroska, older cameras,
dashcams and CCTV exports write AVI. A Matroska file keeps its length in the segment's
Info (Duration, in TimecodeScale units) and sometimes the moment it was made (DateUTC).
Recordings written live (a browser's MediaRecorder) have no Duration: their length is
worked out from the last cluster's blocks near the end of the file, or left unknown.
An AVI keeps frame counts and rates in its headers and, from cameras, the local date
in an 'IDIT' chunk. Only element headers and a few small elements are read: every size
is checked against the file's real size, the bytes scanned and elements visited are
capped, and nothing here raises for bad content.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

_SMALL = 64 * 1024  # Info, Tracks and AVI header chunks are read whole only below this
_TAIL = 1 << 20  # the end of a file is searched for its last cluster in windows this big
_TAIL_WINDOWS = 16  # a cluster holds up to 32.8 s: 16 MB at 4 Mbit/s
_HOPS = 200_000  # elements visited from the last cluster candidates to the end, in all
_HEAD_ELEMENTS = 512
_AVI_CHUNKS = 4096
_MAX_SECONDS = 7 * 24 * 3600.0
_EPOCH_2001 = datetime(2001, 1, 1, tzinfo=UTC)

_EBML, _SEGMENT, _CLUSTER = 0x1A45DFA3, 0x18538067, 0x1F43B675
_INFO, _TRACKS, _SCALE, _DURATION, _DATE = 0x1549A966, 0x1654AE6B, 0x2AD7B1, 0x4489, 0x4461
_TIMECODE, _SIMPLE_BLOCK, _BLOCK_GROUP, _BLOCK, _BLOCK_DURATION = 0xE7, 0xA3, 0xA0, 0xA1, 0x9B
# Beside blocks in a cluster (Void, CRC-32, Position, PrevSize, SilentTracks,
# EncryptedBlock), and the other children of a segment that may follow clusters.
_CLUSTER_OTHER = {0xEC, 0xBF, 0xA7, 0xAB, 0x5854, 0xAF}
_SEGMENT_OTHER = {0x114D9B74, _INFO, _TRACKS, 0x1C53BB6B, 0x1941A469, 0x1043A770, 0x1254C367}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_CTIME = re.compile(r"(?:[a-z]{3},?\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})",
                    re.I)
_NUMERIC = re.compile(r"(\d{4})[:/.-](\d{1,2})[:/.-](\d{1,2})[ T]+(\d{1,2}):(\d{2}):(\d{2})")


@dataclass
class Recording:
    """What a video or sound file's headers say: length, recording time, damage."""

    seconds: float | None = None
    created: datetime | None = None  # aware UTC (Matroska DateUTC) or naive local (AVI IDIT)
    damaged: bool = False  # cut short, or a size or length that makes no sense
    sound_only: bool = False  # a Matroska/WebM file with sound tracks and no picture


@dataclass
class _Element:
    id: int
    data: int  # where its contents start in the file
    size: int | None  # None when the writer left it unknown (all ones)

    @property
    def end(self) -> int:
        return self.data + (self.size or 0)


def _vint(raw: bytes, at: int, is_id: bool) -> tuple[int | None, int] | None:
    """(value, length) of an EBML variable-length number; value None for 'unknown'."""
    if at >= len(raw) or raw[at] == 0:
        return None
    length = 9 - raw[at].bit_length()
    if length > (4 if is_id else 8) or at + length > len(raw):
        return None
    value = int.from_bytes(raw[at:at + length], "big")
    if is_id:
        return value, length
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), length


def _uint(data: bytes) -> int:
    return int.from_bytes(data[:8], "big")


def _read_at(fh: BinaryIO, pos: int, length: int) -> bytes:
    fh.seek(pos)
    return fh.read(length)


def _children(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(ID, contents) of each element held in a master element's bytes."""
    pos = 0
    for _ in range(1024):
        got_id = _vint(data, pos, True)
        got_size = _vint(data, pos + got_id[1], False) if got_id else None
        if not got_id or not got_size or got_id[0] is None:
            return
        start = pos + got_id[1] + got_size[1]
        stop = len(data) if got_size[0] is None else min(len(data), start + got_size[0])
        yield got_id[0], data[start:stop]
        pos = stop


class _Matroska:
    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh, self.size = fh, size
        self.rec = Recording()
        self.hops = 0

    def element(self, pos: int, end: int) -> _Element | None:
        if pos + 2 > end:
            return None
        raw = _read_at(self.fh, pos, 12)
        got_id = _vint(raw, 0, True)
        got_size = _vint(raw, got_id[1], False) if got_id else None
        if not got_id or not got_size or got_id[0] is None:
            return None
        return _Element(got_id[0], pos + got_id[1] + got_size[1], got_size[0])

    def body(self, el: _Element) -> bytes:
        if el.size is None or el.size > _SMALL:
            return b""
        return _read_at(self.fh, el.data, el.size)

    def read(self) -> Recording:
        head = self.element(0, self.size)
        if head is None or head.id != _EBML or head.size is None:
            return self.rec
        pos, segment = head.end, None
        for _ in range(8):  # Void elements may sit before the segment
            segment = self.element(pos, self.size)
            if segment is None or segment.id == _SEGMENT or segment.size is None:
                break
            pos = segment.end
        if segment is None or segment.id != _SEGMENT:
            self.rec.damaged = True
            return self.rec
        end = self.size if segment.size is None else segment.end
        if end > self.size:
            self.rec.damaged, end = True, self.size
        scale, length, first = self.head(segment.data, end)
        if length is None and scale:
            last = self.last_time(segment.data, end)
            if last is not None and (first or 0) <= last:
                length = (last - (first or 0)) * scale / 1e9
        self.rec.seconds = length
        return self.rec

    def head(self, pos: int, end: int) -> tuple[int, float | None, int | None]:
        """(TimecodeScale, Duration in seconds, first cluster's time) from the start."""
        scale, length, first = 1_000_000, None, None
        for _ in range(_HEAD_ELEMENTS):
            el = self.element(pos, end)
            if el is None:
                break
            if el.id == _INFO:
                scale, length = self.info(self.body(el))
            elif el.id == _TRACKS:
                self.tracks(self.body(el))
            elif el.id == _CLUSTER:
                inner = self.element(el.data, min(end, el.data + 64))
                if inner is not None and inner.id == _TIMECODE and inner.size and inner.size <= 8:
                    first = _uint(self.body(inner))
                break
            if el.size is None:
                break
            pos = el.end
        return scale, length, first

    def info(self, data: bytes) -> tuple[int, float | None]:
        scale, raw_length = 1_000_000, None
        for kind, value in _children(data):
            if kind == _SCALE and 0 < len(value) <= 8:
                scale = _uint(value)
            elif kind == _DURATION and len(value) in (4, 8):
                raw_length = struct.unpack(">f" if len(value) == 4 else ">d", value)[0]
            elif kind == _DATE and len(value) == 8:
                self.date(struct.unpack(">q", value)[0])
        if raw_length is None or raw_length == 0 or not scale:
            return scale, None
        length = raw_length * scale / 1e9
        if not math.isfinite(length) or length < 0 or length > _MAX_SECONDS:
            self.rec.damaged = True  # a length no recording has: the header is broken
            return scale, None
        return scale, length

    def date(self, nanoseconds: int) -> None:
        if nanoseconds == 0:  # unset
            return
        try:
            when = _EPOCH_2001 + timedelta(microseconds=nanoseconds // 1000)
        except OverflowError:
            return
        if 1990 <= when.year <= 2100:
            self.rec.created = when

    def tracks(self, data: bytes) -> None:
        kinds = set()
        for kind, entry in _children(data):
            if kind == 0xAE:
                kinds |= {_uint(v) for k, v in _children(entry) if k == 0x83 and 0 < len(v) <= 8}
        self.rec.sound_only = 2 in kinds and 1 not in kinds

    def last_time(self, start: int, end: int) -> int | None:
        """When the last block ends, in scale units, found from the last cluster that
        leads element by element to the end of the file; None when none does."""
        window_end = end
        for _ in range(_TAIL_WINDOWS):
            window_start = max(start, window_end - _TAIL)
            buf = _read_at(self.fh, window_start, window_end - window_start + 3)  # an ID across the edge
            at = len(buf)
            while (at := buf.rfind(b"\x1f\x43\xb6\x75", 0, at)) >= 0:
                found = self.hop(window_start + at, end)
                if found is not None:
                    return found
                if self.hops >= _HOPS:
                    return None
            if window_start <= start:
                break
            window_end = window_start
        return None

    def hop(self, pos: int, end: int) -> int | None:
        """Walk from a cluster to the end; a chance match of the cluster ID in the middle
        of picture data soon meets an element no cluster holds, and gives None."""
        cluster_time: int | None = None
        last: int | None = None
        cut = False
        while pos < end:
            self.hops += 1
            if self.hops >= _HOPS:
                return None
            el = self.element(pos, end)
            if el is None:
                if _read_at(self.fh, pos, 1) == b"\x00":
                    break  # zero padding after the last element
                if end - pos >= 12:
                    return None  # not an element: this was no cluster
                cut = True  # a header cut off by the end of the file
                break
            if el.id == _CLUSTER:
                cluster_time = None
                pos = el.data  # clusters are walked flat: blocks follow their timecode
                continue
            if el.size is None:
                return None
            if el.id == _TIMECODE and el.size <= 8:
                cluster_time = _uint(self.body(el))
            elif el.id in (_SIMPLE_BLOCK, _BLOCK_GROUP) and cluster_time is not None:
                when = self.block_time(el, cluster_time, end)
                if when is None:
                    return None
                last = when if last is None else max(last, when)
            elif el.id not in _CLUSTER_OTHER and el.id not in _SEGMENT_OTHER:
                return None
            if el.end > end:
                cut = True
                break
            pos = el.end
        if last is not None and cut:
            self.rec.damaged = True
        return last

    def block_time(self, el: _Element, cluster_time: int, end: int) -> int | None:
        """When a (simple) block ends: its cluster's time, its own offset, its duration."""
        block, length = el, 0
        if el.id == _BLOCK_GROUP:
            found = None
            pos, group_end = el.data, min(el.end, end)
            for _ in range(16):
                inner = self.element(pos, group_end)
                if inner is None or inner.size is None:
                    break
                if inner.id == _BLOCK:
                    found = inner
                elif inner.id == _BLOCK_DURATION and inner.size <= 8:
                    length = _uint(self.body(inner))
                pos = inner.end
            if found is None:
                return None
            block = found
        raw = _read_at(self.fh, block.data, 11)
        track = _vint(raw, 0, False)
        if track is None or len(raw) < track[1] + 2:
            return None
        offset = struct.unpack(">h", raw[track[1]:track[1] + 2])[0]
        return max(0, cluster_time + offset) + length


def read_matroska(fh: BinaryIO, size: int) -> Recording:
    """Length, recording time and damage of a WebM or Matroska file."""
    return _Matroska(fh, size).read()


def read_avi(fh: BinaryIO, size: int) -> Recording:
    """Length, recording time and damage of an AVI file (RIFF 'AVI ', OpenDML)."""
    rec = Recording()
    head = _read_at(fh, 0, 12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"AVI ":
        return rec
    riff_size = struct.unpack("<I", head[4:8])[0]
    riff_end = 8 + riff_size
    if riff_size == 0 or riff_end > size:  # never finished, or cut short
        rec.damaged, riff_end = True, size
    found: dict[str, tuple[int, ...]] = {}
    _avi_chunks(fh, 12, riff_end, 0, found, rec, [0])
    if riff_end < size and not _riffs_fit(fh, riff_end + (riff_end & 1), size):
        rec.damaged = True  # an OpenDML 'AVIX' part runs past the end of the file
    usec, total = found.get("avih", (0, 0))
    odml = found.get("dmlh", (0,))[0]
    for kind in ("vids", "auds"):
        if kind in found:
            scale, rate, length = found[kind]
            if kind == "vids":
                length = max(length, odml)  # strh may count only the first GB
            if scale and rate and length:
                rec.seconds = length * scale / rate
                return rec
    if usec and max(total, odml):
        rec.seconds = usec * max(total, odml) / 1e6
    return rec


def _avi_chunks(fh: BinaryIO, pos: int, end: int, depth: int, found: dict[str, tuple[int, ...]],
                rec: Recording, count: list[int]) -> None:
    while pos + 8 <= end and count[0] < _AVI_CHUNKS:
        count[0] += 1
        head = _read_at(fh, pos, 12)
        if len(head) < 8:
            return
        kind, length = head[:4], struct.unpack("<I", head[4:8])[0]
        if kind == b"LIST" and head[8:12] in (b"hdrl", b"strl", b"odml", b"INFO") and depth < 4:
            _avi_chunks(fh, pos + 12, min(end, pos + 8 + length), depth + 1, found, rec, count)
        elif kind in (b"avih", b"strh", b"dmlh", b"IDIT") and length <= _SMALL:
            _avi_header(kind, _read_at(fh, pos + 8, min(length, end - pos - 8)), found, rec)
        pos += 8 + length + (length & 1)


def _avi_header(kind: bytes, data: bytes, found: dict[str, tuple[int, ...]], rec: Recording) -> None:
    if kind == b"avih" and len(data) >= 20:
        usec, _rate, _pad, _flags, total = struct.unpack("<5I", data[:20])
        found["avih"] = (usec, total)
    elif kind == b"strh" and len(data) >= 36:
        stream = data[:4].decode("latin-1")
        scale, rate, _start, length = struct.unpack("<4I", data[20:36])
        if stream in ("vids", "auds") and stream not in found:
            found[stream] = (scale, rate, length)
    elif kind == b"dmlh" and len(data) >= 4:
        found["dmlh"] = (struct.unpack("<I", data[:4])[0],)
    elif kind == b"IDIT":
        rec.created = rec.created or _camera_date(data.split(b"\x00")[0].decode("latin-1"))


def _riffs_fit(fh: BinaryIO, pos: int, size: int) -> bool:
    """True when the RIFF parts after the first end within the file."""
    for _ in range(_AVI_CHUNKS):
        if pos + 8 > size:
            return pos >= size
        head = _read_at(fh, pos, 8)
        length = struct.unpack("<I", head[4:8])[0]
        if head[:4] not in (b"RIFF", b"JUNK") or pos + 8 + length > size:
            return False
        pos += 8 + length + (length & 1)
    return True


def _camera_date(text: str) -> datetime | None:
    """A camera's local date: 'MON MAR 12 08:15:30 2024' or '2024:03:12 08:15:30'."""
    try:
        if match := _CTIME.search(text):
            month = _MONTHS.index(match.group(1).lower()) + 1
            day, hour, minute, second, year = (int(g) for g in match.groups()[1:])
        elif match := _NUMERIC.search(text):
            year, month, day, hour, minute, second = (int(g) for g in match.groups())
        else:
            return None
        when = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return when if 1990 <= when.year <= 2100 else None
