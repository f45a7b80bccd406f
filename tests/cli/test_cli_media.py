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
    assert lines[0].startswith("imported  JS/1") and lines[0].endswith(
        "no preview: not a picture: the name ends in .jpg, but the file is a web page (HTML)")
    assert lines[1].startswith("rejected  -") and "the file is empty (0 bytes)" in lines[1]
    assert lines[2].startswith("imported  JS/2") and "not a picture" in lines[2]
    assert "2 imported, 0 duplicate(s), 1 rejected" in err
