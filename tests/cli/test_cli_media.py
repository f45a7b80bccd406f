"""Importing videos, voice recordings and hostile files from the command line: one
clear answer per file, the recording time and its source, and exit codes that say
whether anything was refused."""

import hashlib
import json
from datetime import UTC, datetime

from fixtures.corpus_av import iphone_mov, voice

WHEN = datetime(2024, 7, 15, 19, 15, 30, tzinfo=UTC)


def test_videos_and_voicemails_import_with_their_recording_time_and_length(tmp_path, cli, case_dir):
    mov = tmp_path / "IMG_5004.MOV"
    mov.write_bytes(iphone_mov(WHEN, "2024-07-15T20:15:30+0100", 42.4))
    m4a = tmp_path / "Voicemail.m4a"
    m4a.write_bytes(voice(b"M4A ", WHEN, 95.0))
    code, out, err = cli("--case", case_dir, "import", mov, m4a, "--json")
    assert code == 0, err
    video, sound = json.loads(out)
    assert video["status"] == sound["status"] == "imported"
    assert video["sha256"] == hashlib.sha256(mov.read_bytes()).hexdigest()
    assert (video["captured_at"], video["captured_from"]) == ("2024-07-15T19:15:30+00:00", "media")
    assert video["media_type"] == "video/quicktime" and video["preview"] is False
    assert video["reason"] == "no preview: a video, 0:42 long"
    assert sound["media_type"] == "audio/mp4"
    assert sound["reason"] == "no preview: a sound recording, 1:35 long"

    code, out, _ = cli("--case", case_dir, "verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_hostile_files_get_one_plain_answer_each(tmp_path, cli, case_dir):
    page = tmp_path / "photo.jpg"
    page.write_bytes(b"<!doctype html><html><body>Sign in</body></html>")
    empty = tmp_path / "IMG_0001.HEIC"
    empty.write_bytes(b"")
    one = tmp_path / "IMG_0002.jpg"
    one.write_bytes(b"\xff")
    code, out, err = cli("--case", case_dir, "import", page, empty, one)
    assert code == 1  # the empty file was refused
    assert "Traceback" not in err
    lines = out.splitlines()
    # The refusal first; then the marks, given in time order (both files carry only the
    # time they were last changed), then by name.
    assert lines[0].startswith("rejected  -") and "the file is empty (0 bytes)" in lines[0]
    assert f"{page}  no preview" in lines[1] and lines[1].endswith(
        "no preview: not a picture: the name ends in .jpg, but the file is a web page (HTML)")
    assert f"{one}  no preview" in lines[2] and "not a picture" in lines[2]
    assert sorted(line.split()[1] for line in lines[1:]) == ["JS/1", "JS/2"]
    assert "2 imported, 0 duplicate(s), 1 rejected" in err


def test_screencasts_obs_recordings_and_dashcam_clips_show_their_length(tmp_path, cli, case_dir):
    from fixtures.corpus_containers import avi, matroska

    webm = tmp_path / "Screencast from 2024-03-12 08-15-30.webm"
    webm.write_bytes(matroska(65.0))
    mkv = tmp_path / "2024-07-15 20-15-30.mkv"
    mkv.write_bytes(matroska(3725.0, doctype="matroska", date=WHEN))
    clip = tmp_path / "MOVI0001.AVI"
    clip.write_bytes(avi(65.0, avih_frames=975, idit=b"MON JUL 15 20:15:30 2024\n\x00"))
    code, out, err = cli("--case", case_dir, "import", webm, mkv, clip, "--json")
    assert code == 0, err
    results = json.loads(out)
    assert [r["reason"] for r in results] == ["no preview: a video, 1:05 long",
                                              "no preview: a video, 1:02:05 long",
                                              "no preview: a video, 1:05 long"]
    assert [r["captured_from"] for r in results] == ["filename", "media", "media"]

    shown = {}
    for r in results:
        code, out, err = cli("--case", case_dir, "attachment", "show", r["id"])
        assert code == 0, err
        shown[r["id"]] = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    webm_att, mkv_att, clip_att = (shown[r["id"]] for r in results)
    assert webm_att["preview_error"] == "a video, 1:05 long"
    assert webm_att["media_type"] == "video/webm"
    assert webm_att["captured_at"] == "Tue 12 Mar 2024, 08:15:30 GMT"
    assert mkv_att["captured_at"] == "Mon 15 Jul 2024, 20:15:30 BST"  # DateUTC, shown locally
    assert mkv_att["media_type"] == "video/x-matroska"
    assert clip_att["preview_error"] == "a video, 1:05 long"
    assert clip_att["captured_at"] == "Mon 15 Jul 2024, 20:15:30 BST"  # the camera's own clock
    assert "Europe/London assumed" in clip_att["captured_note"]
