"""Warnings the picture libraries print (Pillow's Python warnings, libtiff's messages
written straight to the error stream) go to the log, not the person's terminal."""

import io
import os
import struct
import subprocess
import sys

import pytest
from PIL import Image


def malformed_mpo(path):
    """A JPEG whose multi-picture (MPO) header is junk: Pillow warns "Image appears to
    be a malformed MPO file"."""
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buf, "JPEG")
    jpeg = buf.getvalue()
    app2 = b"MPF\x00" + b"not a TIFF header at all"
    segment = b"\xff\xe2" + struct.pack(">H", len(app2) + 2) + app2
    path.write_bytes(jpeg[:2] + segment + jpeg[2:])
    return path


def webp_compressed_tiff(path):
    """A TIFF saying its strips are WEBP-compressed, which this libtiff cannot decode:
    libtiff prints "WEBP compression support is not configured" on the error stream."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 90, 200)).save(buf, "TIFF")
    data = bytearray(buf.getvalue())
    assert data[:4] == b"II*\x00"
    ifd = struct.unpack_from("<I", data, 4)[0]
    for i in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack_from("<H", data, entry)[0] == 259:  # Compression
            struct.pack_into("<HHIHH", data, entry, 259, 3, 1, 50001, 0)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.skipif(os.name != "posix", reason="the error stream is redirected on POSIX")
def test_library_warnings_go_to_the_log_not_the_terminal(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "EVIDENCE_APP_HOME": str(home)}
    files = [malformed_mpo(tmp_path / "photo.jpg"), webp_compressed_tiff(tmp_path / "scan.tif")]

    def app(*args):
        return subprocess.run([sys.executable, "-m", "evidence_app", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=120)

    assert app("--case", tmp_path / "case", "init", "--owner", "Jane Smith",
               "--initials", "JS").returncode == 0
    proc = app("--case", tmp_path / "case", "import", *files)
    assert proc.returncode == 0, proc.stderr
    # Only the app's own words reach the terminal.
    assert proc.stderr.strip() == "2 imported, 0 duplicate(s), 0 rejected", proc.stderr
    assert "imported  JS/1" in proc.stdout
    logged = (home / "logs" / "evidence-app.log").read_text()
    assert "malformed MPO file" in logged
    native = (home / "logs" / "libraries.log").read_text()
    assert "WEBP compression support is not configured" in native
    assert (home / "logs" / "libraries.log").stat().st_mode & 0o077 == 0
    # The app's own errors still reach the terminal.
    proc = app("--case", tmp_path / "case", "import", tmp_path / "missing.jpg")
    assert "file or folder not found" in proc.stdout + proc.stderr
