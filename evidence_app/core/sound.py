"""How long a voice note or recording lasts: WAV, Ogg (Opus, Vorbis) and AMR.

WhatsApp voice notes are Ogg Opus, Android call recorders write AMR, and dictaphones
and PCs write WAV. Their length is read from headers and, for Ogg, the last page;
every size in the file is checked against the file's real size. Nothing here raises
for bad content: an unknown length is None.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

_MAX_SECONDS = 7 * 24 * 3600.0
_OGG_TAIL = 128 * 1024
# Bytes after the one-byte header of each AMR frame type (narrow- and wide-band).
_AMR_NB = (12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0)
_AMR_WB = (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0)
_AMR_MAX_FRAMES = 20_000_000


def sound_length(fh: BinaryIO, media_type: str) -> float | None:
    """Seconds of sound in a WAV, Ogg or AMR file, or None when it cannot be told."""
    try:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(0)
        if media_type == "audio/x-wav":
            seconds = _wav(fh, size)
        elif media_type == "audio/ogg":
            seconds = _ogg(fh, size)
        elif media_type == "audio/amr":
            seconds = _amr(fh)
        else:
            return None
    except (OSError, ValueError, struct.error, OverflowError):
        return None
    if seconds is None or not 0 < seconds <= _MAX_SECONDS:
        return None
    return seconds


def _wav(fh: BinaryIO, size: int) -> float | None:
    head = fh.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, byte_rate = 12, 0
    for _ in range(64):
        fh.seek(pos)
        chunk = fh.read(8)
        if len(chunk) < 8:
            return None
        kind, length = struct.unpack("<4sI", chunk)
        if kind == b"fmt ":
            fmt = fh.read(min(length, 16))
            if len(fmt) >= 12:
                byte_rate = struct.unpack("<I", fmt[8:12])[0]
        elif kind == b"data":
            # Recorders still writing, or streaming, leave the size at 0 or 0xFFFFFFFF.
            available = size - pos - 8
            data = available if length in (0, 0xFFFFFFFF) else min(length, available)
            return data / byte_rate if byte_rate else None
        pos += 8 + length + (length & 1)
        if pos >= size:
            return None
    return None


def _ogg(fh: BinaryIO, size: int) -> float | None:
    first = fh.read(512)
    if not first.startswith(b"OggS"):
        return None
    if (at := first.find(b"OpusHead")) >= 0 and len(first) >= at + 12:
        rate, skip = 48000, struct.unpack("<H", first[at + 10:at + 12])[0]
    elif (at := first.find(b"\x01vorbis")) >= 0 and len(first) >= at + 16:
        rate, skip = struct.unpack("<I", first[at + 12:at + 16])[0], 0
    else:
        return None
    if not rate:
        return None
    start = max(0, size - _OGG_TAIL)
    fh.seek(start)
    tail = fh.read(_OGG_TAIL)
    at = len(tail)
    while (at := tail.rfind(b"OggS", 0, at)) >= 0:
        if len(tail) >= at + 14 and tail[at + 4] == 0:
            granule = struct.unpack("<q", tail[at + 6:at + 14])[0]
            if granule > 0:
                return max(0, granule - skip) / rate
    return None


def _amr(fh: BinaryIO) -> float | None:
    magic = fh.read(9)
    if magic.startswith(b"#!AMR-WB\n"):
        sizes, pos = _AMR_WB, 9
    elif magic.startswith(b"#!AMR\n"):
        sizes, pos = _AMR_NB, 6
    else:
        return None
    fh.seek(pos)
    frames = 0
    buffer = b""
    offset = 0
    while frames < _AMR_MAX_FRAMES:
        if offset >= len(buffer):
            buffer = fh.read(1 << 16)
            offset = 0
            if not buffer:
                break
        frame_type = (buffer[offset] >> 3) & 0x0F
        step = 1 + sizes[frame_type]
        frames += 1
        offset += step
        while offset > len(buffer):  # the frame continues into the next block
            more = fh.read(1 << 16)
            if not more:
                return frames * 0.02
            offset -= len(buffer)
            buffer = more
    return frames * 0.02
