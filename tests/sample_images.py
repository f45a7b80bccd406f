"""Real image files for tests: camera photos with EXIF (and GPS), phone screenshots."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw

EXIF_IFD, GPS_IFD = 0x8769, 0x8825


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = round((value - deg - minutes / 60) * 3600, 2)
    return Fraction(deg), Fraction(minutes), Fraction(seconds).limit_denominator(100)


def photo(path: Path, taken: datetime | None = None, size: tuple[int, int] = (640, 480),
          colour: str = "#6d8fb3", make: str = "Canon", model: str = "Canon EOS 200D",
          gps: tuple[float, float] | None = None, quality: int = 85) -> Path:
    """A JPEG photo: a sky and a road with a parked car, with camera EXIF."""
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.rectangle((0, int(h * 0.6), w, h), fill="#55585c")
    draw.rectangle((int(w * 0.3), int(h * 0.45), int(w * 0.7), int(h * 0.7)), fill="#b8bcc2")
    draw.rectangle((int(w * 0.38), int(h * 0.36), int(w * 0.62), int(h * 0.48)), fill="#9aa1a8")
    for cx in (0.38, 0.62):
        x, y, r = int(w * cx), int(h * 0.7), max(4, int(h * 0.05))
        draw.ellipse((x - r, y - r, x + r, y + r), fill="#222")
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
        exif[0x0110] = model
    if taken is not None:
        exif.get_ifd(EXIF_IFD)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(GPS_IFD).update({
            1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon),
        })
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", exif=exif.tobytes(), quality=quality)
    return path


def screenshot(path: Path, lines: tuple[str, ...] = ("Why are you ignoring me?",
                                                     "I know where you are tonight"),
               size: tuple[int, int] = (360, 720)) -> Path:
    """A PNG that looks like a phone messaging screenshot."""
    img = Image.new("RGB", size, "#f4f5f7")
    draw = ImageDraw.Draw(img)
    w, _h = size
    draw.rectangle((0, 0, w, 56), fill="#2f6f5e")
    draw.text((16, 20), "Unknown number", fill="white")
    y = 80
    for i, line in enumerate(lines):
        mine = i % 3 == 2
        box = (w - 250, y, w - 16, y + 44) if mine else (16, y, 250, y + 44)
        draw.rounded_rectangle(box, 12, fill="#dcf4e4" if mine else "white", outline="#d0d4d9")
        draw.text((box[0] + 12, y + 15), line[:34], fill="#1c1e21")
        y += 60
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")
    return path
