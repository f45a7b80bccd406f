"""The app's child processes (PDF reader, risky-picture reader) start in a bundle too.

In a PyInstaller bundle `sys.executable` is the app, not Python: `<app> -c CODE` would
be read as a command line. There the children start as `<app> --internal-child NAME`,
which the bundle's entry point (packaging/launcher.py) serves. These tests play the
bundle: `sys.frozen` set and `sys.executable` a program that runs the launcher, as the
bundle's executable does, and that notes how it was started."""

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from evidence_app.core.media import child, isolated
from evidence_app.core.media.analysis import analyse
from evidence_app.core.media.pdf import read_pdf

LAUNCHER = Path(__file__).resolve().parents[3] / "packaging" / "launcher.py"


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    """A stand-in for the bundle's executable; the file where it writes its arguments."""
    calls = tmp_path / "calls.txt"
    program = tmp_path / "evidence-app"
    program.write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n'
                       f'exec "{sys.executable}" "{LAUNCHER}" "$@"\n')
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    isolated._pool.close()
    yield calls
    isolated._pool.close()


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    for text in ("A letter", "page two"):
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_from_python_a_child_is_python_dash_c():
    assert child.child_command("pdf", "CODE", "300", isolated=True) == [
        sys.executable, "-I", "-c", "CODE", "300"]
    assert child.child_command("picture", "CODE") == [sys.executable, "-c", "CODE"]
    with pytest.raises(ValueError):
        child.child_command("shell", "CODE")


@pytest.mark.skipif(os.name != "posix", reason="the stand-in bundle is a shell script")
def test_in_a_bundle_a_pdf_is_read_by_the_app_started_as_its_own_child(bundle):
    assert child.child_command("pdf", "CODE", "300") == [
        sys.executable, "--internal-child", "pdf", "300"]
    page = read_pdf(two_page_pdf(), max_side=300)
    assert page.error == ""
    assert page.pages == 2
    assert page.image is not None and max(page.image.size) == 300
    assert bundle.read_text().split("\n")[0] == "--internal-child pdf 300"


@pytest.mark.skipif(os.name != "posix", reason="the stand-in bundle is a shell script")
def test_in_a_bundle_a_tiff_is_read_by_the_app_started_as_its_own_child(bundle, tmp_path):
    Image.new("RGB", (300, 200), (0, 90, 200)).save(tmp_path / "scan.tif", "TIFF")
    info = analyse(tmp_path / "scan.tif", "scan.tif", thumbnail=True)
    assert (info.media_type, info.width, info.height, info.preview) == (
        "image/tiff", 300, 200, True)
    assert Image.open(io.BytesIO(info.thumbnail)).size == (256, 171)
    assert bundle.read_text().split("\n")[0] == "--internal-child picture"


def test_an_unknown_child_is_refused(capsys):
    assert child.run_child(["evidence-app", "--internal-child", "shell", "x"]) == 2
    assert "unknown child process" in capsys.readouterr().err
