"""Camera files carrying a place, a serial number or a name, written by ExifTool (a real
metadata writer, so the tags sit where cameras and editors put them), and an independent
reader of what a file reveals, for checking every sentence an export says."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.corpus_av import android_mp4
from PIL import Image

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed")
GPS = ["-GPSLatitude=51.4545", "-GPSLatitudeRef=N", "-GPSLongitude=2.5879", "-GPSLongitudeRef=W"]

# name -> (ExifTool arguments, what the file then records: location, serial, name)
SAMPLES: dict[str, tuple[list[str], tuple[bool, bool, bool]]] = {
    "phone_gps_serial_artist.jpg": (GPS + ["-ExifIFD:SerialNumber=083012345678",
                                           "-Artist=Jane Smith", "-Make=Canon",
                                           "-Model=Canon EOS 80D"], (True, True, True)),
    "phone_gps.jpg": (GPS + ["-Make=Apple", "-Model=iPhone 13"], (True, False, False)),
    "lens_serial.jpg": (["-LensSerialNumber=0000c1a2b3"], (False, True, False)),
    "zero_serial.jpg": (["-ExifIFD:SerialNumber=0000000000"], (False, False, False)),
    "copyright.jpg": (["-Copyright=(c) Jane Smith 2025"], (False, False, True)),
    "xmp_creator.jpg": (["-XMP-dc:Creator=Jane Smith"], (False, False, True)),
    "iptc_byline.jpg": (["-IPTC:By-line=Jane Smith"], (False, False, True)),
    "windows_author.jpg": (["-XPAuthor=Jane Smith"], (False, False, True)),
    "owner.jpg": (["-OwnerName=Jane Smith"], (False, False, True)),
    "xmp_serial.jpg": (["-XMP-aux:SerialNumber=4242424"], (False, True, False)),
    "plain.jpg": ([], (False, False, False)),
    "screenshot_exif_gps.png": (GPS, (True, False, False)),
    "screenshot_xmp_gps.png": (["-XMP-exif:GPSLatitude=51.4545 N",
                                "-XMP-exif:GPSLongitude=2.5879 W"], (True, False, False)),
    "png_author.png": (["-PNG:Author=Jane Smith"], (False, False, True)),
}
NAME_TAGS = {"Artist", "Copyright", "XPAuthor", "OwnerName", "CameraOwnerName", "Creator",
             "By-line", "Author", "Rights", "CopyrightNotice", "Credit", "Owner", "Contact"}
PLACE_TAGS = {"GPSLatitude", "GPSLongitude", "GPSCoordinates", "GPSPosition", "City",
              "Sub-location", "Province-State", "Location"}


def exiftool(*args: str | Path) -> None:
    subprocess.run([EXIFTOOL or "exiftool", "-q", "-q", "-overwrite_original",
                    *map(str, args)], check=True, capture_output=True)


def write_samples(folder: Path) -> dict[str, tuple[bool, bool, bool]]:
    """Every sample in `folder`, plus a HEIC and an MP4 with a place, and a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, tuple[bool, bool, bool]] = {}
    for n, (name, (args, records)) in enumerate(SAMPLES.items()):
        path = folder / name
        img = Image.new("RGB", (320, 240), (40 * (n % 6), 90, 200 - 10 * n))
        img.save(path, "PNG" if name.endswith(".png") else "JPEG", quality=90)
        if args:
            exiftool(*args, path)
        expected[name] = records
    # An iPhone-style HEIC: Pillow (pillow-heif) writes its EXIF, taken from a GPS JPEG.
    with Image.open(folder / "phone_gps.jpg") as src:
        src.save(folder / "iphone.heic", exif=src.info["exif"])
    expected["iphone.heic"] = (True, False, False)
    # An Android video with its place in the '\u00a9xyz' atom.
    (folder / "video.mp4").write_bytes(android_mp4(datetime(2025, 3, 3, 7, 40, tzinfo=UTC),
                                                   12.0, where="+51.4545-002.5879/"))
    expected["video.mp4"] = (True, False, False)
    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(str(folder / "letter.pdf"))
    canv.drawString(100, 700, "A letter")
    canv.save()
    expected["letter.pdf"] = (False, False, False)  # a document: not read for such details
    return expected


def _real(value: object) -> bool:
    return bool(str(value).strip().strip("0 -"))


def reveals(path: Path) -> tuple[bool, bool, bool]:
    """(location, serial number, name) as ExifTool reads the file's own bytes."""
    out = subprocess.run([EXIFTOOL or "exiftool", "-j", "-a", "-G1", "-n", str(path)],
                         check=True, capture_output=True, text=True).stdout
    tags = {key.split(":")[-1]: value for key, value in json.loads(out)[0].items()
            if ":" in key and not key.startswith(("System:", "File:", "ExifTool:"))}
    location = any(t in PLACE_TAGS and _real(v) for t, v in tags.items())
    serial = any(t.endswith("SerialNumber") and _real(v) for t, v in tags.items())
    name = any(t in NAME_TAGS and _real(v) for t, v in tags.items())
    return location, serial, name
