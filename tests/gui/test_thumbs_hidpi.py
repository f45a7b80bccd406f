"""Thumbnails are sharp at 200%: a tile larger than the cached thumbnail is drawn from
the original at the tile's own size, never the 256-pixel thumbnail enlarged."""

from datetime import datetime

from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from evidence_app.core.attachments import display_image, list_inbox
from evidence_app.core.importers.files import import_files
from evidence_app.gui.thumbs import _read_batch
from tests.sample_images import photo


def pixels(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return bytes(image.constBits())[: image.width() * image.height() * 4]


def test_a_tile_at_200_percent_is_drawn_from_the_original(case, tmp_path):
    big = photo(tmp_path / "IMG_0001.jpg", datetime(2025, 3, 12, 8, 17), size=(1600, 1200))
    list(import_files(case, [big]))
    [att] = list_inbox(case)
    at_1x = _read_batch(case, [att], QSize(152, 140))[0][1]
    assert (at_1x.width(), at_1x.height()) == (152, 114)
    at_2x = _read_batch(case, [att], QSize(304, 280))[0][1]  # the same tile at 200%
    assert (at_2x.width(), at_2x.height()) == (304, 228)
    sharp = display_image(case, att, 304).convert("RGBA")
    assert pixels(at_2x) == sharp.tobytes()
    # A picture that is itself small is never blown up.
    small = tmp_path / "tiny.png"
    Image.new("RGB", (90, 60), "red").save(small)
    list(import_files(case, [small]))
    tiny = next(a for a in list_inbox(case) if a.original_name == "tiny.png")
    image = _read_batch(case, [tiny], QSize(304, 280))[0][1]
    assert (image.width(), image.height()) == (90, 60)
