"""Opening pictures with Pillow safely, and turning them into small upright copies.

Only the picture formats people actually have are tried (never Pillow's EPS reader,
which runs Ghostscript, nor the loose guessers that take random bytes for a TGA). Every
picture's declared size is checked before a pixel is decoded; very large decodes take
turns so four import workers cannot each hold a gigabyte; orientation is applied to the
small copy, not the full picture. Failures become a sentence a person can read.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import struct
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from PIL import Image, ImageFile, UnidentifiedImageError

from evidence_app.core.media.source import Source, open_source

# HEIC/HEIF from iPhones: pillow-heif (a declared dependency; its encoder also makes
# the tests' samples), else pi-heif, the same maintainer's decode-only build of it, which
# the desktop bundle carries instead (packaging/: without the HEVC encoder it is 23 MiB
# smaller). AVIF is Pillow's own.
try:
    import pillow_heif as _heif
except ImportError:  # pragma: no cover - the bundle
    try:
        import pi_heif as _heif  # type: ignore[import-not-found, no-redef]
    except ImportError:
        _heif = None  # type: ignore[assignment]
if _heif is not None:
    _heif.register_heif_opener()

log = logging.getLogger(__name__)

# Refuse images that would need more than this many pixels decoded (a "decompression
# bomb" is a small file that expands to gigabytes). Phones today stay under 200 MP.
MAX_PIXELS = 200_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
# Every open checks the size itself (`open_picture`), so Pillow's own warning for sizes
# between the limit and twice the limit would only be noise.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
# Broken EXIF is expected and handled tag by tag (core.media.photo_meta); Pillow's complaints
# about each bad tag would only fill the log.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")

# The JPEG reader also returns MPO (multi-picture) files. Formats this Pillow build lacks
# (e.g. AVIF in older releases) are left out rather than failing every open.
Image.init()
PICTURE_FORMATS = tuple(f for f in ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP", "DIB", "ICO",
                                    "HEIF", "AVIF", "JPEG2000", "PPM") if f in Image.OPEN)
FORMAT_TYPES = {
    "JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
    "GIF": "image/gif", "TIFF": "image/tiff", "BMP": "image/bmp", "DIB": "image/bmp",
    "HEIF": "image/heic", "AVIF": "image/avif", "ICO": "image/x-icon", "JPEG2000": "image/jp2",
    "PPM": "image/x-portable-anymap",
}
# Decodes bigger than this (bytes) run one at a time, on `_big_decoder`.
_BIG_DECODE = 96 * 1024 * 1024
_big_decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="big-decode")
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"eXIf", b"tEXt", b"iTXt"}
_PNG_REBUILD_LIMIT = 256 * 1024 * 1024
_TEXT_KEEP_LIMIT = 512 * 1024


class PictureTooLarge(Exception):
    """The picture declares more pixels than can be decoded safely."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width}x{height}")
        self.width, self.height = width, height


@contextlib.contextmanager
def open_picture(source: Source) -> Iterator[Image.Image]:
    """Open a picture (first frame), its size checked. Raises on anything unreadable."""
    with open_source(source) as fh:
        try:
            img = Image.open(fh, formats=PICTURE_FORMATS)
        except ValueError as exc:
            # Pillow refuses a PNG whose text or colour-profile block would inflate to
            # megabytes; the picture itself may be fine without those blocks.
            rebuilt = _png_without_big_chunks(fh) if _is_png(fh) else None
            if rebuilt is None:
                raise exc
            img = Image.open(rebuilt, formats=("PNG",))
        with img:
            width, height = img.size
            if width <= 0 or height <= 0:
                raise UnidentifiedImageError("the picture has no pixels")
            if width * height > MAX_PIXELS:
                raise PictureTooLarge(width, height)
            yield img


def _is_png(fh: BinaryIO) -> bool:
    try:
        fh.seek(0)
        return fh.read(8) == _PNG_SIGNATURE
    except OSError:
        return False


def _png_without_big_chunks(fh: BinaryIO) -> io.BytesIO | None:
    """A copy of a PNG in memory with oversized metadata chunks left out (never the
    original: it is only read). None when the file is not a PNG we can walk."""
    out = io.BytesIO()
    out.write(_PNG_SIGNATURE)
    fh.seek(0, 2)
    size = fh.tell()
    pos = 8
    while pos + 12 <= size:
        fh.seek(pos)
        length, kind = struct.unpack(">I4s", fh.read(8))
        end = pos + 12 + length
        if end > size:
            return None
        keep = kind in _PNG_KEEP and (kind not in (b"tEXt", b"iTXt", b"eXIf")
                                      or length <= _TEXT_KEEP_LIMIT)
        if kind == b"iTXt" and keep:
            fh.seek(pos + 8)
            keyword_end = fh.read(min(length, 81)).find(b"\x00")
            fh.seek(pos + 8 + keyword_end + 1)
            keep = keyword_end >= 0 and fh.read(1) == b"\x00"  # uncompressed only
        if keep:
            if out.tell() + length + 12 > _PNG_REBUILD_LIMIT:
                return None
            fh.seek(pos)
            out.write(fh.read(length + 12))
        pos = end
        if kind == b"IEND":
            break
    out.seek(0)
    return out


def _decoded_bytes(img: Image.Image) -> int:
    bands = max(1, len(img.getbands()))
    depth = 2 if img.mode.startswith("I;16") else 4 if img.mode in ("I", "F") else 1
    return img.width * img.height * bands * depth


def orientation_of(img: Image.Image) -> int:
    """The EXIF orientation (1-8) still to be applied to this picture's pixels."""
    try:
        value = img.getexif().get(0x0112)
    except Exception:  # noqa: BLE001 - broken EXIF: show the pixels as stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _eight_bit(img: Image.Image) -> Image.Image:
    """16-bit and floating-point greys scaled into 0-255, not clipped to white."""
    wide = img.convert("F") if img.mode != "F" else img
    low, high = wide.getextrema()
    low, high = float(low), float(high)  # type: ignore[arg-type]
    top = 65535.0 if img.mode.startswith("I;16") else max(high, 255.0)
    if img.mode == "F" and high <= 1.0:
        low, top = 0.0, 1.0
    scale = 255.0 / (top - min(low, 0.0) or 1.0)
    return wide.point(lambda v: (v - min(low, 0.0)) * scale).convert("L")


def reduced(img: Image.Image, max_side: int | None, orientation: int | None = None,
            ) -> Image.Image:
    """An upright copy no larger than `max_side` (None: full size), in RGB or RGBA.

    JPEGs are decoded at reduced scale; other formats decode once, shrink, then turn.
    `orientation` None means the picture's own EXIF orientation. The result never
    shares pixels with `img`, so `img` may be closed afterwards.
    """
    if max_side and max(img.size) > max_side:
        # Ask for just what fits the box, so a JPEG decodes at the smallest scale that
        # still covers it (a square request would keep twice the pixels of a tall photo).
        ratio = max_side / max(img.size)
        img.draft("RGB", (max(1, math.ceil(img.width * ratio)),
                          max(1, math.ceil(img.height * ratio))))
    if _decoded_bytes(img) > _BIG_DECODE:
        # Very large decodes run one at a time on one thread: memory freed by a decode
        # stays with the thread that made it, so spreading them over the import workers
        # would keep one full-size picture's worth of memory per worker.
        return _big_decoder.submit(_reduce, img, max_side, orientation).result()
    return _reduce(img, max_side, orientation)


def _reduce(img: Image.Image, max_side: int | None, orientation: int | None) -> Image.Image:
    img.load()
    if orientation is None:
        orientation = orientation_of(img)
    frame: Image.Image = img
    blocky = frame.mode in ("P", "PA", "1") or frame.mode.startswith("I;16")
    if max_side and blocky and max(frame.size) > max_side * 4:
        # Modes that cannot be filtered smoothly are cut down cheaply first.
        ratio = max_side * 4 / max(frame.size)
        frame = frame.resize((max(1, round(frame.width * ratio)),
                              max(1, round(frame.height * ratio))), Image.Resampling.NEAREST)
    frame = _displayable(frame)
    if max_side and max(frame.size) > max_side:
        frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if orientation in _TRANSPOSE:
        return frame.transpose(_TRANSPOSE[orientation])
    return frame.copy() if frame is img else frame


def _displayable(img: Image.Image) -> Image.Image:
    """RGB or RGBA (transparency kept), whatever mode the picture was stored in."""
    mode = img.mode
    if mode in ("RGB", "RGBA"):
        return img
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in img.info
        return img.convert("RGBA" if transparent else "RGB")
    if mode in ("LA", "La", "RGBa"):
        return img.convert("RGBA")
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _eight_bit(img).convert("RGB")
    try:
        return img.convert("RGB")
    except ValueError:  # e.g. LAB without a conversion: go through greys
        return img.convert("L").convert("RGB")


def flatten(img: Image.Image) -> Image.Image:
    """RGB for JPEG output: transparency composited on white."""
    if img.mode == "RGBA":
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img if img.mode == "RGB" else img.convert("RGB")


def reason(exc: BaseException) -> str:
    """Why a picture cannot be shown, in words for the person, not the programmer."""
    log.debug("picture cannot be shown", exc_info=exc)
    if isinstance(exc, PictureTooLarge | Image.DecompressionBombError | Image.DecompressionBombWarning):
        return ("the picture is too large to show safely: it would need over "
                f"{MAX_PIXELS // 1_000_000} million pixels")
    if isinstance(exc, MemoryError):
        return "the picture needs more memory to display than this computer can spare"
    text = str(exc).lower()
    if isinstance(exc, EOFError) or any(
            word in text for word in ("truncated", "premature end", "end of file", "unexpected end")):
        return ("the picture is incomplete: the file was cut short (truncated), perhaps "
                "by an interrupted copy or download")
    return "the picture is damaged, so it cannot be displayed"
