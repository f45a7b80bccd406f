"""WebM, Matroska and AVI videos: their length, the time the file says it was recorded,
and honest answers (no length, "seems damaged") for files cut short or lying."""

import io
import struct
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.corpus_containers import (
    avi,
    chunk,
    clusters,
    element,
    info,
    matroska,
    riff_list,
    simple_block,
    tracks,
    uint,
)

from evidence_app.core.attachments import get_attachment
from evidence_app.core.importers.files import import_files
from evidence_app.core.media.sound import read_recording

WEBM, MKV, AVI = "video/webm", "video/x-matroska", "video/x-msvideo"
HEADER = element(0x1A45DFA3, element(0x4282, b"webm"))


def read(data: bytes, media_type: str = WEBM):
    return read_recording(io.BytesIO(data), media_type)


def segment(*children: bytes, unknown: bool = False) -> bytes:
    return HEADER + element(0x18538067, *children, unknown=unknown)


def test_a_screencast_keeps_its_length_in_the_segment_info():
    rec = read(matroska(65.0))
    assert (rec.seconds, rec.created, rec.damaged, rec.sound_only) == (65.0, None, False, False)
    # A 4-byte float, and a TimecodeScale other than the usual millisecond.
    four = info(None, scale=100_000, raw_duration=struct.pack(">f", 650_000.0))
    assert read(segment(four, tracks())).seconds == pytest.approx(65.0)


def test_a_browser_recording_without_a_duration_is_measured_from_its_last_blocks():
    live = matroska(None, live=True, body_seconds=47.2)
    assert b"\x44\x89" not in live[:200]  # no Duration written, as MediaRecorder does
    assert read(live).seconds == pytest.approx(47.2)
    # Known-size clusters, a BlockGroup whose BlockDuration ends the recording.
    grouped = segment(info(None), tracks(), clusters(30.0, group_ms=40))
    assert read(grouped).seconds == pytest.approx(30.0)
    # Clusters that start late (a stream cut from the middle) count from the first one.
    late = segment(info(None), tracks(), element(0x1F43B675, uint(0xE7, 600_000),
                                                  simple_block(1, 0), simple_block(1, 9000)))
    assert read(late).seconds == pytest.approx(9.0)


def test_the_cluster_id_inside_picture_data_is_not_taken_for_a_cluster():
    decoy = b"\x1f\x43\xb6\x75\x88" + bytes(20) + b"\xe7\x81\x7f" + bytes(20)
    data = segment(info(None), tracks(), clusters(20.0, payload=decoy), unknown=True)
    assert read(data).seconds == pytest.approx(20.0)


def test_a_recording_stopped_before_any_picture_has_no_length_and_is_not_invented():
    started = matroska(None, live=True, body_seconds=0)
    rec = read(started[: started.index(b"\x1f\x43\xb6\x75")])
    assert (rec.seconds, rec.damaged) == (None, False)
    # Blocks too far from the end to find cheaply: the length stays unknown.
    far = segment(info(None), tracks(), clusters(5.0), element(0xEC, bytes(20 << 20)))
    assert read(far).seconds is None


def test_matroska_dates_are_read_as_utc_when_plausible():
    when = datetime(2024, 7, 15, 19, 15, 30, tzinfo=UTC)
    rec = read(matroska(3725.0, doctype="matroska", date=when), MKV)
    assert (rec.created, rec.seconds) == (when, 3725.0)
    for raw in (0, -2**63, 2**63 - 1, -(12 * 365 * 86400 * 10**9)):  # unset, absurd, 1989
        assert read(segment(info(9.0, raw_date=raw), tracks()), MKV).created is None


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), -5000.0, 8 * 86400 * 1000.0])
def test_an_impossible_duration_is_not_shown_and_the_file_is_called_damaged(raw):
    head = info(None, raw_duration=struct.pack(">d", raw))
    rec = read(segment(head, tracks()))
    assert (rec.seconds, rec.damaged) == (None, True)
    # The blocks still say how long it is.
    rec = read(segment(head, tracks(), clusters(12.0)))
    assert (rec.seconds, rec.damaged) == (pytest.approx(12.0), True)


def test_a_timecode_scale_of_zero_gives_no_length():
    assert read(segment(info(None, scale=0, raw_duration=struct.pack(">d", 5.0)), tracks(),
                        clusters(5.0))).seconds is None


def test_files_cut_short_keep_their_length_and_say_they_are_damaged():
    whole = matroska(65.0)
    rec = read(whole[: len(whole) // 2])
    assert (rec.seconds, rec.damaged) == (65.0, True)
    live = matroska(None, live=True, body_seconds=47.2)
    rec = read(live[:-10])  # the last block cut off mid-write: its start is still there
    assert rec.damaged and rec.seconds == pytest.approx(47.2)
    rec = read(live[:-200])  # the last blocks lost
    assert rec.damaged and 46.0 < rec.seconds < 47.2


def test_a_webm_of_a_voice_is_a_sound_recording():
    assert read(matroska(14.0, audio_only=True)).sound_only
    assert not read(matroska(14.0)).sound_only


def test_hostile_matroska_sizes_never_raise_or_hang():
    huge = b"\x01" + (2**56 - 2).to_bytes(7, "big")  # a size of 2^56 bytes
    assert read(HEADER + b"\x18\x53\x80\x67" + huge + info(9.0)).damaged
    assert read(segment(b"\x15\x49\xa9\x66" + huge + bytes(40))).seconds is None
    # Zero-size elements by the hundred thousand, after a cluster start of unknown size.
    zeros = segment(info(None), tracks(), element(0x1F43B675, uint(0xE7, 0), simple_block(1, 0),
                                                   b"\xec\x80" * 300_000, unknown=True), unknown=True)
    started = time.monotonic()
    assert read(zeros).seconds is None
    # Many decoy clusters, each walking far: the walk is capped for them all together.
    decoys = segment(info(None), (b"\x1f\x43\xb6\x75\x01\xff\xff\xff\xff\xff\xff\xff" + b"\xec\x80" * 2000) * 400)
    assert read(decoys).seconds is None
    assert time.monotonic() - started < 30  # a hang would be minutes
    for junk in (b"", HEADER, HEADER + b"\x18\x53\x80\x67", b"\x1a\x45\xdf\xa3\x00\x00"):
        assert read(junk).seconds is None


def test_avi_length_prefers_the_stream_header_over_the_main_header():
    assert read(avi(65.0, avih_frames=975), AVI).seconds == 65.0
    assert read(avi(65.0, 25, strh_frames=0), AVI).seconds == 65.0  # only avih left
    ntsc = avi(10.0, 30)
    ntsc = ntsc.replace(struct.pack("<II", 1, 30), struct.pack("<II", 1001, 30000), 1)
    assert read(ntsc, AVI).seconds == pytest.approx(300 * 1001 / 30000)


def test_opendml_counts_every_frame_past_the_first_gigabyte():
    data = avi(85.0, 25, strh_frames=1000, avih_frames=1000, odml_frames=2125, avix=True)
    rec = read(data, AVI)
    assert (rec.seconds, rec.damaged) == (85.0, False)
    assert read(data[:-100], AVI).damaged  # the AVIX part cut short


@pytest.mark.parametrize(("idit", "expected"), [
    (b"MON JUL 15 20:15:30 2024\n\x00", datetime(2024, 7, 15, 20, 15, 30)),
    (b"Tue Mar  5 08:01:02 2024", datetime(2024, 3, 5, 8, 1, 2)),
    (b"2024:03:12 08:15:30\x00", datetime(2024, 3, 12, 8, 15, 30)),
    (b"2024/03/12 08:15:30", datetime(2024, 3, 12, 8, 15, 30)),
    (b"THU JAN  1 00:00:00 1970\n\x00", None),  # a camera whose clock was never set
    (b"FEB 30 10:00:00 2024", None),
    (b"\xff\xfe garbage", None),
])
def test_the_camera_date_in_an_avi_is_its_local_time(idit, expected):
    assert read(avi(5.0, idit=idit), AVI).created == expected


def test_hostile_avi_sizes_never_raise():
    liar = b"RIFF\xff\xff\xff\xffAVI " + chunk(b"LIST", b"hdrl") + struct.pack("<4sI", b"avih", 2**32 - 1)
    assert (read(liar + bytes(64), AVI).seconds, read(liar, AVI).damaged) == (None, True)
    nested = chunk(b"avih", bytes(56))
    for _ in range(200):
        nested = riff_list(b"hdrl", nested)
    assert read(chunk(b"RIFF", b"AVI " + nested), AVI).seconds is None
    crowd = chunk(b"RIFF", b"AVI " + chunk(b"JUNK", b"") * 50_000 + avi(5.0)[12:])
    assert read(crowd, AVI).seconds is None  # past the chunk cap: unread, never a hang
    assert read(b"RIFF\x00\x00\x00\x00AVI " + avi(5.0)[12:], AVI).damaged  # never finished


def test_each_container_imports_with_its_length_time_and_source(case, tmp_path):
    files = {
        "Screencast from 2024-03-12 08-15-30.webm": matroska(65.0),
        "OBS 2024.mkv": matroska(3725.0, doctype="matroska",
                                 date=datetime(2024, 7, 15, 19, 15, 30, tzinfo=UTC)),
        "MOVI0001.AVI": avi(65.0, idit=b"MON JUL 15 20:15:30 2024\n\x00"),
        "browser.webm": matroska(None, live=True, body_seconds=42.0),
    }
    paths = []
    for name, data in files.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    results = [e.item for e in import_files(case, paths) if e.item is not None]
    seen = {Path(r.path).name: get_attachment(case, r.id) for r in results}
    webm, mkv, dashcam, browser = (seen[name] for name in files)
    assert webm.preview_error == "a video, 1:05 long" and webm.captured_from == "filename"
    assert webm.captured_at == datetime(2024, 3, 12, 8, 15, 30, tzinfo=UTC)
    assert mkv.preview_error == "a video, 1:02:05 long" and mkv.captured_from == "media"
    assert mkv.captured_at == datetime(2024, 7, 15, 19, 15, 30, tzinfo=UTC)
    assert "UTC" in mkv.captured_note
    # The camera's clock is local time: 20:15 in a British July is 19:15 UTC.
    assert dashcam.preview_error == "a video, 1:05 long" and dashcam.captured_from == "media"
    assert dashcam.captured_at == datetime(2024, 7, 15, 19, 15, 30, tzinfo=UTC)
    assert "Europe/London assumed" in dashcam.captured_note
    assert browser.preview_error == "a video, 0:42 long" and browser.captured_from == "mtime"
    assert {a.media_type for a in seen.values()} == {WEBM, MKV, AVI}


class _Huge(io.RawIOBase):
    """A 4 GB file held as its first and last bytes (zeros between), counting what is read."""

    def __init__(self, head: bytes, tail: bytes, size: int = 4 << 30) -> None:
        self.head, self.tail, self.size, self.pos, self.read_bytes = head, tail, size, 0, 0

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else self.size + pos if whence == 2 else self.pos + pos
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n < 0 else min(self.size, self.pos + n)
        out = bytearray(max(0, end - self.pos))
        tail_at = self.size - len(self.tail)
        for at in range(self.pos, min(end, len(self.head))):
            out[at - self.pos] = self.head[at]
        for at in range(max(self.pos, tail_at), end):
            out[at - self.pos] = self.tail[at - tail_at]
        self.pos = end
        self.read_bytes += len(out)
        return bytes(out)


def test_a_four_gigabyte_recording_is_measured_from_a_few_megabytes():
    head = segment(info(None), tracks(), element(0x1F43B675, uint(0xE7, 0), simple_block(1, 0),
                                                  unknown=True), unknown=True)
    last = element(0x1F43B675, uint(0xE7, 7_200_000), simple_block(1, 0), simple_block(1, 1500),
                   unknown=True)
    # Zeros cannot start an element: a padded file ends where the blocks end.
    huge = _Huge(head, last + bytes(64))
    assert read_recording(huge, WEBM).seconds == pytest.approx(7201.5)
    assert huge.read_bytes < 20 << 20
    data = avi(3600.0, 25, idit=b"MON JUL 15 20:15:30 2024\n\x00")
    movi = data.index(b"movi") - 8  # its frames fill the file to the end
    size = 2**32 - 2
    head = bytearray(data[:movi + 12])
    head[4:8], head[movi + 4:movi + 8] = struct.pack("<I", size - 8), struct.pack("<I", size - movi - 8)
    huge = _Huge(bytes(head), b"", size)
    rec = read_recording(huge, AVI)
    assert (rec.seconds, rec.damaged, rec.created) == (3600.0, False, datetime(2024, 7, 15, 20, 15, 30))
    assert huge.read_bytes < 1 << 20
