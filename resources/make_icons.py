"""Make every icon file from the one drawing, resources/<DESKTOP_ID>.svg.

    .venv/bin/python resources/make_icons.py          # write them
    .venv/bin/python resources/make_icons.py --check  # exit 1 if any is out of date

Writes the PNGs of the freedesktop icon theme (resources/icons/hicolor/NxN/apps/, 16 to
512 pixels), the Windows .ico and macOS .icns the bundle uses (packaging/), and the copy
the app itself reads (evidence_app/resources/app.svg, package data). The SVG is drawn by
Qt's own SVG renderer, the one the app uses, so the PNGs look as the window icon does.
tests/test_resources.py runs --check, so a changed drawing cannot leave stale copies.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence_app import DESKTOP_ID  # noqa: E402

RESOURCES = ROOT / "resources"
SVG = RESOURCES / f"{DESKTOP_ID}.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PACKAGE_SVG = ROOT / "evidence_app" / "resources" / "app.svg"


def png_path(size: int) -> Path:
    return RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"


ICO = RESOURCES / "icons" / f"{DESKTOP_ID}.ico"
ICNS = RESOURCES / "icons" / f"{DESKTOP_ID}.icns"


def render_png(size: int) -> bytes:
    """The drawing at size x size pixels, as PNG bytes (Qt's renderer, antialiased)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png.app = QGuiApplication([])  # type: ignore[attr-defined]
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(SVG.read_bytes())).render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def expected() -> dict[Path, bytes]:
    """Every file this script writes, with the bytes it should hold."""
    from PIL import Image

    pngs = {size: render_png(size) for size in PNG_SIZES}
    files: dict[Path, bytes] = {png_path(size): data for size, data in pngs.items()}
    big = Image.open(io.BytesIO(pngs[512]))
    out = io.BytesIO()
    big.save(out, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    files[ICO] = out.getvalue()
    out = io.BytesIO()
    big.save(out, format="ICNS")  # Pillow writes the 16..512 (and @2x) members from it
    files[ICNS] = out.getvalue()
    files[PACKAGE_SVG] = SVG.read_bytes()
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, data in expected().items():
        if path.exists() and path.read_bytes() == data:
            continue
        if check:
            stale.append(path.relative_to(ROOT))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run resources/make_icons.py): " + ", ".join(map(str, stale)),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
