"""Whatever bytes arrive, reading them never raises: pictures and movies with random
bytes changed, cut short or spliced still give an answer (and a reason a person can
read whenever there is no preview)."""

import io
import struct
from datetime import UTC, datetime

import pytest
from fixtures.corpus_av import (
    amr_bytes,
    android_mp4,
    box,
    ftyp,
    iphone_mov,
    mp3_cbr,
    mp3_vbr,
    mvhd,
    opus_note,
    track,
    voice,
    wav_bytes,
)
from fixtures.corpus_checks import readable
from fixtures.corpus_containers import avi, matroska
from fixtures.corpus_formats import rle8_bmp
from fixtures.marked import upright_scene
from fixtures.media_factory import make_exif
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.media.analysis import analyse
from evidence_app.core.media.mp4 import is_movie, iso6709, read_movie
from evidence_app.core.media.sound import read_recording, sound_length

WHEN = datetime(2024, 3, 12, 8, 15, 30, tzinfo=UTC)


def _encoded(fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    upright_scene((48, 36)).save(buf, fmt, **params)
    return buf.getvalue()


SEEDS = {
    "jpg": _encoded("JPEG", exif=make_exif(when="2024:03:12 08:15:30", make="Apple",
                                           gps=(51.5, -0.12), orientation=6).tobytes()),
    "png": _encoded("PNG"),
    "gif": _encoded("GIF"),
    "tif": _encoded("TIFF"),
    "webp": _encoded("WEBP"),
    "heic": _encoded("HEIF", quality=50),
    "bmp": rle8_bmp(upright_scene((48, 36))),
    "mov": iphone_mov(WHEN, "2024-03-12T08:15:30+0000", 12.0),
    "mp4": android_mp4(WHEN, 30.0, "+51.5-000.12/"),
    "m4a": voice(b"M4A ", WHEN, 9.0),
    "opus": opus_note(3.0),
    "wav": wav_bytes(1.0),
    "amr": amr_bytes(1.0),
    "webm": matroska(6.0),
    "weba": matroska(None, live=True, body_seconds=4.0, audio_only=True),
    "mkv": matroska(3.0, doctype="matroska", date=WHEN, group_ms=40),
    "avi": avi(2.0, 10, odml_frames=20, idit=b"TUE MAR 12 08:15:30 2024\n\x00", avix=True),
}


@st.composite
def damaged(draw):
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "splice", "zero"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "splice":
            data[at:at] = draw(st.binary(max_size=64))
        elif action == "zero":
            data[at:at + 4] = b"\xff\xff\xff\xff"
    return kind, bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged())
def test_damaged_files_never_raise(tmp_path, sample):
    kind, data = sample
    path = tmp_path / f"damaged.{kind}"
    path.write_bytes(data)
    info = analyse(path, path.name, thumbnail=True)
    assert info.preview == (info.thumbnail is not None)
    if not info.preview:
        assert readable(info.preview_error), info.preview_error
    if info.kind in ("video", "audio"):
        assert info.media_type.split("/")[0] == info.kind


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_the_movie_reader_never_raises_on_any_bytes(data):
    info = read_movie(io.BytesIO(b"\x00\x00\x00\x14ftypisom\x00\x00\x00\x00isom" + data))
    assert info.duration is None or 0 < info.duration <= 7 * 24 * 3600
    assert info.created is None or 1995 <= info.created.year <= 2100


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([b"RIFF\x00\x00\x00\x00WAVE", b"OggS\x00\x02", b"#!AMR\n", b"#!AMR-WB\n",
                        b"ID3\x03\x00\x00", b"\xff\xfb\x94\x00", b"\xff\xf3\xc0\xc0"]),
       st.binary(max_size=600),
       st.sampled_from(["audio/x-wav", "audio/ogg", "audio/amr", "audio/mpeg"]))
def test_the_sound_reader_never_raises_on_any_bytes(magic, data, media_type):
    seconds = sound_length(io.BytesIO(magic + data), media_type)
    assert seconds is None or 0 < seconds <= 7 * 24 * 3600


_CONTAINER_STARTS = [
    SEEDS["webm"][:60],  # EBML header and the segment's start
    SEEDS["weba"][:SEEDS["weba"].index(b"\x1f\x43\xb6\x75") + 12],  # up to a cluster
    SEEDS["mkv"][:SEEDS["mkv"].index(b"\x1f\x43\xb6\x75")],  # Info, Tracks, then anything
    SEEDS["avi"][:24],  # RIFF 'AVI ' and the header list's start
    SEEDS["avi"][:SEEDS["avi"].index(b"strh") + 8],
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_CONTAINER_STARTS), st.binary(max_size=600),
       st.sampled_from(["video/webm", "video/x-matroska", "video/x-msvideo"]))
def test_the_container_readers_never_raise_on_any_bytes(start, data, media_type):
    rec = read_recording(io.BytesIO(start + data), media_type)
    assert rec.seconds is None or 0 < rec.seconds <= 7 * 24 * 3600
    assert rec.created is None or 1990 <= rec.created.year <= 2100


def test_sound_lengths_are_read_from_headers_and_last_pages():
    assert sound_length(io.BytesIO(SEEDS["opus"]), "audio/ogg") == 3.0
    assert sound_length(io.BytesIO(wav_bytes(2.5)), "audio/x-wav") == 2.5
    assert sound_length(io.BytesIO(amr_bytes(4.0)), "audio/amr") == 4.0
    assert sound_length(io.BytesIO(amr_bytes(4.0)[:-10]), "audio/amr") == 4.0  # cut short
    assert sound_length(io.BytesIO(mp3_cbr(6.0)), "audio/mpeg") == pytest.approx(6.0)
    vbr = mp3_vbr(6.0)
    assert sound_length(io.BytesIO(vbr[: len(vbr) // 2]), "audio/mpeg") == pytest.approx(6.0, abs=0.03)
    # Junk before the first frame that happens to look like a frame start is passed over.
    assert sound_length(io.BytesIO(b"\xff\xfb\x94" + mp3_cbr(6.0)[30:]), "audio/mpeg") \
        == pytest.approx(6.0, abs=0.05)


def test_an_mp3_cut_short_is_as_long_as_the_sound_it_still_holds():
    """LAME's Xing header counts the frames and bytes of the whole recording; a copy cut
    short (an interrupted transfer) plays only part of it and must not be reported longer."""
    head = b"\xff\xf3\xc0\xc0"  # MPEG-2 layer III, 22.05 kHz, mono: 417-byte frames
    frames = round(6.0 * 22050 / 576)
    xing = head + bytes(9) + b"Xing" + struct.pack(">III", 3, frames, 417 * (frames + 1))
    whole = xing + bytes(417 - len(xing)) + (head + bytes(413)) * frames
    assert sound_length(io.BytesIO(whole), "audio/mpeg") == pytest.approx(6.0, abs=0.03)
    assert sound_length(io.BytesIO(whole[: len(whole) // 2]), "audio/mpeg") \
        == pytest.approx(3.0, abs=0.03)


def test_the_movie_reader_finds_time_length_and_place():
    info = read_movie(io.BytesIO(SEEDS["mov"]))
    assert (info.created.isoformat(), info.offset) == ("2024-03-12T08:15:30+00:00", "+00:00")
    assert info.duration == 12.0 and info.has_video and info.has_audio
    assert (info.make, info.model) == ("Apple", "iPhone 15 Pro")
    assert (info.gps_lat, info.gps_lon, info.gps_alt) == (51.5007, -0.1246, 35.5)
    sound = read_movie(io.BytesIO(SEEDS["m4a"]))
    assert sound.has_audio and not sound.has_video and sound.duration == 9.0


def test_itunes_style_dates_in_sound_files_are_read_with_their_offset():
    item = box(b"\xa9day", box(b"data", struct.pack(">II", 1, 0), b"2024-03-13T18:40:00+01:00"))
    meta = box(b"meta", b"\x00" * 4, box(b"hdlr", b"\x00" * 8, b"mdir", b"\x00" * 13),
               box(b"ilst", item))
    data = ftyp(b"M4A ") + box(b"moov", mvhd(WHEN, 5.0, 44100), track(b"soun"),
                               box(b"udta", meta))
    info = read_movie(io.BytesIO(data))
    assert (info.created.isoformat(), info.offset) == ("2024-03-13T18:40:00+01:00", "+01:00")
    assert info.duration == 5.0


def test_pictures_in_the_same_container_are_not_movies():
    assert not is_movie(SEEDS["heic"][:64])
    assert is_movie(SEEDS["mov"][:64]) and is_movie(SEEDS["m4a"][:64])


def test_iso6709_places_in_every_form():
    assert iso6709("+51.5007-000.1246/") == (51.5007, -0.1246, None)
    assert iso6709("-33.8568+151.2153+012.000/") == (-33.8568, 151.2153, 12.0)
    assert iso6709("+5130.042-00007.476/") == (51.5007, -0.1246, None)  # degrees and minutes
    lat, lon, _alt = iso6709("+513002.52-0000728.56/")  # degrees, minutes, seconds
    assert (round(lat, 6), round(lon, 6)) == (51.5007, -0.1246)
    assert iso6709("+95.0000-000.1246/") == (None, None, None)
    assert iso6709("+00.0000+000.0000/") == (None, None, None)  # "no fix"
    assert iso6709("nonsense") == (None, None, None)
