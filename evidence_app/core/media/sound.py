"""How long a voice note or recording lasts: WAV, Ogg (Opus, Vorbis), AMR and MP3, and
(through `core.media.containers`) WebM, Matroska and AVI videos.

WhatsApp voice notes are Ogg Opus, Android call recorders write AMR or MP3, and
dictaphones and PCs write WAV or MP3. Their length is read from headers and, for Ogg, the last page;
every size in the file is checked against the file's real size. Nothing here raises
for bad content: an unknown length is None.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from evidence_app.core.media.containers import Recording, read_avi, read_matroska

_MAX_SECONDS = 7 * 24 * 3600.0
_OGG_TAIL = 128 * 1024
# Bytes after the one-byte header of each AMR frame type (narrow- and wide-band).
_AMR_NB = (12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0)
_AMR_WB = (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0)
_AMR_MAX_FRAMES = 20_000_000
# MPEG audio bit rates in kbit/s by [MPEG-1?][layer 1, 2, 3][index] and sample rates.
_MP3_RATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_SCAN = 64 * 1024
_CONTAINERS = {"video/webm": read_matroska, "audio/webm": read_matroska,
               "video/x-matroska": read_matroska, "audio/x-matroska": read_matroska,
               "video/x-msvideo": read_avi}


def read_recording(fh: BinaryIO, media_type: str) -> Recording:
    """Length (and, where the file keeps one, recording time) of a sound or video file
    that is not MP4-family; an unknown or impossible length is None."""
    try:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(0)
        reader = _CONTAINERS.get(media_type)
        rec = reader(fh, size) if reader else Recording(seconds=_sound_seconds(fh, size, media_type))
    except (OSError, ValueError, struct.error, OverflowError):
        return Recording()
    if rec.seconds is not None and not 0 < rec.seconds <= _MAX_SECONDS:
        rec.seconds = None
    return rec


def sound_length(fh: BinaryIO, media_type: str) -> float | None:
    """Seconds of sound or video in a file `read_recording` reads, or None when it cannot be told."""
    return read_recording(fh, media_type).seconds


def _sound_seconds(fh: BinaryIO, size: int, media_type: str) -> float | None:
    if media_type == "audio/x-wav":
        return _wav(fh, size)
    if media_type == "audio/ogg":
        return _ogg(fh, size)
    if media_type == "audio/amr":
        return _amr(fh)
    if media_type == "audio/mpeg":
        return _mp3(fh, size)
    return None


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


def _mp3_frame(head: bytes) -> tuple[int, int, int, int, bool, bool] | None:
    """(frame bytes, samples per frame, sample rate, bit rate, MPEG-1, mono) or None."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    rate_index, sr_index = head[2] >> 4, (head[2] >> 2) & 3
    if version == 1 or layer_bits == 0 or rate_index in (0, 15) or sr_index == 3:
        return None
    layer, mpeg1 = 4 - layer_bits, version == 3
    bitrate = _MP3_RATES[(mpeg1, layer)][rate_index] * 1000
    sample_rate = _MP3_SAMPLE_RATES[version][sr_index]
    padding = (head[2] >> 1) & 1
    if layer == 1:
        return (12 * bitrate // sample_rate + padding) * 4, 384, sample_rate, bitrate, mpeg1, False
    samples = 1152 if layer == 2 or mpeg1 else 576
    size = samples // 8 * bitrate // sample_rate + padding
    return size, samples, sample_rate, bitrate, mpeg1, head[3] >> 6 == 3


def _mp3(fh: BinaryIO, size: int) -> float | None:
    start = 0
    head = fh.read(10)
    if head[:3] == b"ID3" and len(head) == 10:  # a tag before the sound: its size is syncsafe
        tag = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
        start = 10 + tag + (10 if head[5] & 0x10 else 0)
    fh.seek(start)
    block = fh.read(_MP3_SCAN)
    for at in range(len(block) - 4):
        frame = _mp3_frame(block[at:at + 4])
        if frame is None or frame[0] < 21:
            continue
        # A lone 0xFFE pattern can occur by chance: the next frame must start where this ends.
        following = block[at + frame[0]:at + frame[0] + 4]
        if len(following) == 4 and _mp3_frame(following) is None:
            continue
        break
    else:
        return None
    length, samples, sample_rate, bitrate, mpeg1, mono = frame
    end = size
    fh.seek(max(0, size - 128))
    if fh.read(3) == b"TAG":  # an ID3v1 tag closes the file
        end -= 128
    present = end - start - at  # bytes of sound the file really holds
    first = block[at:at + length]
    side = (32 if not mono else 17) if mpeg1 else (17 if not mono else 9)
    for marker, where in ((b"Xing", 4 + side), (b"Info", 4 + side), (b"VBRI", 36)):
        if first[where:where + 4] != marker:
            continue
        stream = 0  # the stream's size in bytes, when the header gives it
        if marker == b"VBRI" and len(first) >= where + 18:
            stream, frames = struct.unpack(">II", first[where + 10:where + 18])
        elif marker != b"VBRI" and len(first) >= where + 12 and first[where + 7] & 1:
            frames = struct.unpack(">I", first[where + 8:where + 12])[0]
            if first[where + 7] & 2 and len(first) >= where + 16:
                stream = struct.unpack(">I", first[where + 12:where + 16])[0]
        else:
            break
        seconds = frames * samples / sample_rate
        if 0 < present < stream:  # a file cut short holds only part of what its header counts
            seconds *= present / stream
        return seconds or None
    # No frame count: a constant bit rate is assumed, as players do.
    return (end - start - at) * 8 / bitrate
