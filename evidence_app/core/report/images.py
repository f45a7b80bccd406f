"""Exhibit pictures on the page: downscaled, orientation applied, made once, drawn when placed.

A 12-megapixel photo is never embedded as it is: when its page is drawn, each picture is
reduced to the pixels its printed size needs and JPEG-encoded (a rendition), embedded,
and released. Renditions are kept in the case's cache (`case.cache.rendition`), made only
from bytes whose SHA-256 was checked as they were read, so a second build only places
them. Only one decoded picture is in memory at a time, whatever the report's size.
Layout uses the width and height stored at import, so nothing is decoded for it.

Pictures are never printed larger than their own pixels allow at `MIN_PPI`: a 160x120
picture is 27 x 20 mm on paper, not blown up until its pixels show as squares.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Protocol

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from evidence_app.core.media.analysis import load_display_image
from evidence_app.core.media.pdf import MAX_BYTES as PDF_MAX_BYTES
from evidence_app.core.media.pdf import read_pdf
from evidence_app.core.media.source import Source, open_source
from evidence_app.core.report.fonts import SANS, plain
from evidence_app.core.report.styles import MUTED, RULE, SHADE
from evidence_app.core.store.case import Case
from evidence_app.core.store.originals import OriginalChanged

JPEG_QUALITY = 85
PHOTO_DPI = 150
SCREENSHOT_DPI = 200  # text in screenshots must stay readable on paper
# The largest a picture is ever printed: its own pixels at 150 per inch (0.17 mm each).
# Below that, single pixels become visible squares at reading distance and text in a
# small screenshot turns to blocks; 150 is also what photos are embedded at, so a
# picture is never drawn from fewer pixels than the report would embed for it.
MIN_PPI = 150
SIDE_STEP = 32  # rendition sizes are rounded to this, so near sizes share a rendition
RENDITION = "page-{side}-q{quality}-v1"  # a cache key; change v1 when the method changes

# (sha256, longest side in pixels) -> (JPEG bytes, width, height)
Pictures = Callable[[str, int], tuple[bytes, int, int]]


class Renderer(Protocol):
    """What the report draws exhibits with: page pictures of originals, and (for a PDF,
    whose first page is drawn in a child process) the original's hash-checked bytes."""

    def __call__(self, sha256: str, side: int) -> tuple[bytes, int, int]: ...

    def source(self, sha256: str) -> Source: ...


def downscaled_jpeg(source: Source, max_side: int, quality: int = JPEG_QUALITY) -> tuple[bytes, int, int]:
    """The picture with orientation applied, fitted within `max_side` pixels, as JPEG.

    Returns (jpeg bytes, width, height). Raises OSError with a readable reason.
    """
    img = load_display_image(source, max_side=max_side)
    try:
        if img.mode in ("RGBA", "LA", "PA", "P"):
            rgba = img.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            rgba.close()
        else:
            flat = img.convert("RGB") if img.mode != "RGB" else img
        buf = io.BytesIO()
        flat.save(buf, "JPEG", quality=quality, optimize=False, progressive=False)
        return buf.getvalue(), flat.width, flat.height
    finally:
        img.close()


def oriented_size(width: int | None, height: int | None, orientation: int | None,
                  ) -> tuple[int, int] | None:
    """Width and height as the picture is seen (EXIF orientations 5-8 swap them)."""
    if not width or not height:
        return None
    if orientation in (5, 6, 7, 8):
        return height, width
    return width, height


class JpegBytes(ImageReader):
    """Ready-made JPEG bytes for reportlab, embedded as they are.

    reportlab's own ImageReader decodes every picture to raw RGB just to name it, and
    that memory piles up over hundreds of photos; the JPEG bytes name it as well.
    """

    def __init__(self, data: bytes, width: int, height: int) -> None:  # noqa: D107
        self._jpeg = data
        self._width, self._height = width, height
        self._dataA = None
        self._image = None
        self.fileName = "exhibit.jpg"
        self.fp = None
        self.mode = "RGB"

    def getRGBData(self) -> bytes:  # noqa: N802 - reportlab's name; used only to name the image
        return self._jpeg

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self._jpeg)

    def getSize(self) -> tuple[int, int]:  # noqa: N802
        return self._width, self._height


class CaseRenderer:
    """Page pictures of the case's originals, through its rendition cache."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def __call__(self, sha256: str, side: int) -> tuple[bytes, int, int]:
        key = RENDITION.format(side=side, quality=JPEG_QUALITY)
        data = self.case.cache.rendition(sha256, key,
                                         lambda source: downscaled_jpeg(source, side)[0])
        with Image.open(io.BytesIO(data)) as img:  # reads the header only
            return data, img.width, img.height

    def source(self, sha256: str) -> Source:
        return self.case.originals.verified_opener(sha256)


def case_renderer(case: Case) -> Renderer:
    return CaseRenderer(case)


def rendition_side(width: float, height: float, dpi: int, pixels: tuple[int, int]) -> int:
    """Pixels for the longest side of a picture drawn `width` x `height` points at `dpi`:
    rounded to the nearest `SIDE_STEP` (never up past what was asked by a whole step: a
    full-width photo wants 1004 pixels, and 1024 would make JPEG decoding start from
    half rather than a quarter of a 4032-pixel photo, 10% more CPU for the report), and
    never more than the picture has.

    When the step lands past a size a JPEG decodes to directly (its side halved, or
    divided by 4 or 8) that still gives what was asked, that size is taken instead: a
    photo 4032 pixels long drawn 501 pixels wide is made from its 504-pixel decode,
    where the 512-pixel step would decode 1008 pixels and shrink them (a fifth more CPU
    for a first build of 600 photos)."""
    wanted = max(width, height) * dpi / 72
    stepped = max(SIDE_STEP, round(wanted / SIDE_STEP) * SIDE_STEP)
    longest = max(pixels)
    for shift in (3, 2, 1):
        direct = longest >> shift
        if wanted <= direct < stepped:
            return direct
    return max(1, min(longest, stepped))


class ExhibitPicture(Flowable):
    """One exhibit picture, fitted in a box, drawn (and decoded) only when placed."""

    def __init__(self, sha256: str, render: Pictures, size: tuple[int, int], max_width: float,
                 max_height: float, dpi: int = PHOTO_DPI) -> None:
        super().__init__()
        self.sha256 = sha256
        self.render = render
        self.pixel_size = size
        self.max_width = max_width
        self.max_height = max_height
        self.dpi = dpi
        self._fit(max_width, max_height)

    def _fit(self, max_w: float, max_h: float) -> None:
        px_w, px_h = self.pixel_size
        natural = 72 / MIN_PPI  # points per pixel at the largest allowed size
        scale = min(max_w / px_w, max_h / px_h, natural)
        self.width, self.height = px_w * scale, px_h * scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.width > avail_width:
            self._fit(min(avail_width, self.max_width), self.max_height)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        try:
            # Pixels for the size drawn, in steps: the same layout asks for the same
            # rendition on every build.
            side = rendition_side(self.width, self.height, self.dpi, self.pixel_size)
            data, px_w, px_h = self.render(self.sha256, side)
        except OSError as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
            if isinstance(cause, FileNotFoundError):
                self._draw_unavailable("the original file is missing from the case folder")
            elif isinstance(cause, OriginalChanged):
                # Never a picture under a fingerprint it does not have.
                self._draw_unavailable("the stored file no longer matches the SHA-256 given "
                                       "here; run verify")
            else:
                self._draw_unavailable(str(exc))
            return
        canv.drawImage(JpegBytes(data, px_w, px_h), 0, 0, self.width, self.height)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)

    def _draw_unavailable(self, reason: str) -> None:
        canv = self.canv
        canv.setFillColor(SHADE)
        canv.setStrokeColor(RULE)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        canv.setFillColor(MUTED)
        canv.setFont(SANS, 9)
        canv.drawCentredString(self.width / 2, self.height / 2 + 6, "Picture cannot be shown")
        canv.setFont(SANS, 7.5)
        canv.drawCentredString(self.width / 2, self.height / 2 - 8, plain(reason)[:90])


class DocumentPage(ExhibitPicture):
    """The first page of a PDF exhibit, drawn (in a guarded child process) while the
    report is laid out, from bytes whose hash was checked as they were read."""

    def __init__(self, jpeg: bytes, size: tuple[int, int], max_width: float,
                 max_height: float) -> None:
        self._jpeg = jpeg
        super().__init__("", lambda _sha, _side: (jpeg, *size), size, max_width, max_height)

    def draw(self) -> None:
        canv = self.canv
        canv.drawImage(JpegBytes(self._jpeg, *self.pixel_size), 0, 0, self.width, self.height)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def document_page(source: Source, max_width: float, max_height: float,
                  dpi: int = SCREENSHOT_DPI) -> tuple[DocumentPage | None, int | None, str]:
    """(first page drawn, page count, '' or why it cannot be shown) for a PDF exhibit."""
    try:
        with open_source(source) as fh:
            data = fh.read(PDF_MAX_BYTES + 1)
    except FileNotFoundError:
        return None, None, "the original file is missing from the case folder"
    except OriginalChanged:
        return None, None, "the stored file no longer matches the SHA-256 given here; run verify"
    except OSError as exc:
        return None, None, f"the original could not be read ({exc.strerror or exc})"
    side = round(max(max_width, max_height) * dpi / 72)
    facts = read_pdf(data, side)
    if facts.image is None:
        return None, facts.pages, facts.error or "the first page could not be drawn"
    img = facts.image
    try:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
        size = img.size
    finally:
        img.close()
    return DocumentPage(buf.getvalue(), size, max_width, max_height), facts.pages, ""
