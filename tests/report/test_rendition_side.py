"""The pixels a picture's rendition is made with: at least what its printed size needs at
its dpi, and, when that is close, the size a JPEG decodes to directly."""

from __future__ import annotations

import io

from PIL import Image

from evidence_app.core.report.images import PHOTO_DPI, SCREENSHOT_DPI, rendition_side


def _decoded_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """What Pillow decodes a JPEG of `size` to when asked for `side` pixels (as
    media.imaging.reduced asks)."""
    buf = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(buf, "JPEG")
    with Image.open(buf) as img:
        img.draft("RGB", (-(-img.width * side // max(img.size)),
                          -(-img.height * side // max(img.size))))
        return img.size


def test_a_photo_drawn_near_an_eighth_of_its_pixels_is_decoded_at_an_eighth():
    # 240.5 x 180 pt at 150 dpi asks for 501 pixels; the 32-pixel step would give 512,
    # more than an eighth of 4032 (504), so the JPEG would be decoded at a quarter.
    side = rendition_side(240.5, 180, PHOTO_DPI, (4032, 3024))
    assert side == 504
    assert _decoded_size((4032, 3024), side) == (504, 378)


def test_the_side_never_gives_fewer_pixels_per_inch_than_asked_when_a_direct_size_is_taken():
    for width in range(50, 500, 7):
        for pixels in ((4032, 3024), (3024, 4032), (4000, 3000), (1080, 2340), (4031, 3023)):
            for dpi in (PHOTO_DPI, SCREENSHOT_DPI):
                side = rendition_side(width, width * 0.75, dpi, pixels)
                wanted = width * dpi / 72
                stepped = round(wanted / 32) * 32
                assert side <= max(pixels)
                if side != min(max(pixels), max(32, stepped)):  # a direct decode size
                    assert wanted <= side < stepped
                    assert side in {max(pixels) >> k for k in (1, 2, 3)}


def test_other_sizes_keep_their_32_pixel_steps():
    assert rendition_side(482, 361, PHOTO_DPI, (4032, 3024)) == 992  # 1004 asked
    assert rendition_side(100, 50, PHOTO_DPI, (200, 100)) == 200  # never past its pixels
