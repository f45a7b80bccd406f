"""Safe image handling with Pillow: metadata, thumbnails and metadata-free copies.

Nothing here ever writes to an original. Every failure (not an image, a decompression
bomb, a truncated or corrupt file) becomes a readable reason, never an exception that
escapes to the caller.
"""

from __future__ import annotations

import math
import mimetypes
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from evidence_app.core.dates import parse_exif_datetime

try:  # HEIC/HEIF from iPhones
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    HEIF = False

# Refuse images that would need more than this many pixels decoded (a "decompression
# bomb" is a small file that expands to gigabytes). Phones today stay under 200 MP.
MAX_PIXELS = 200_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
THUMB_SIZE = 256

_FORMAT_TYPES = {
    "JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif",
    "TIFF": "image/tiff", "BMP": "image/bmp", "HEIF": "image/heic", "AVIF": "image/avif",
    "MPO": "image/jpeg", "ICO": "image/x-icon",
}
# Formats a person would call a picture; others Pillow can open (e.g. EPS, PSD) are
# treated as files with a preview only when Pillow reads them.
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_TAG_MAKE, _TAG_MODEL, _TAG_ORIENTATION, _TAG_SOFTWARE = 0x010F, 0x0110, 0x0112, 0x0131
_TAG_DT_ORIGINAL, _TAG_DT_DIGITIZED = 0x9003, 0x9004
_TAG_OFFSET_ORIGINAL, _TAG_OFFSET_DIGITIZED = 0x9011, 0x9012
_TAG_SUBSEC_ORIGINAL, _TAG_USER_COMMENT = 0x9291, 0x9286
_XMP_DATE = re.compile(
    r"(?:photoshop:DateCreated|exif:DateTimeOriginal|xmp:CreateDate)"
    r"(?:>|=\")(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)([+-]\d{2}:\d{2}|Z)?"
)


@dataclass
class MediaInfo:
    """What could be read from a file, and why a preview is impossible if it is."""

    media_type: str = "application/octet-stream"
    kind: str = "file"  # photo, screenshot, image, file
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    exif_time: datetime | None = None  # naive (local to the camera) or aware
    exif_offset: str = ""
    camera_make: str = ""
    camera_model: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    preview: bool = False
    preview_error: str = ""


def _text(value: Any, limit: int = 100) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = "".join(ch for ch in str(value) if ch.isprintable()).strip()
    return text[:limit]


def _rational(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return math.nan
    return number


def _dms(values: Any, ref: Any) -> float | None:
    try:
        d, m, s = (_rational(v) for v in values)
    except (TypeError, ValueError):
        return None
    result = d + m / 60 + s / 3600
    if math.isnan(result):
        return None
    if _text(ref).upper() in ("S", "W"):
        result = -result
    return result


def _gps(exif: Image.Exif) -> tuple[float | None, float | None, float | None]:
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:
        return None, None, None
    if not gps:
        return None, None, None
    lat = _dms(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _dms(gps.get(4), gps.get(3)) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None, None
    if lat == 0 and lon == 0:
        return None, None, None
    alt = _rational(gps.get(6)) if gps.get(6) is not None else None
    if alt is not None and (math.isnan(alt) or abs(alt) > 100_000):
        alt = None
    if alt is not None and gps.get(5) in (1, b"\x01"):
        alt = -alt
    return round(lat, 7), round(lon, 7), alt


def _read_exif(img: Image.Image, info: MediaInfo) -> bool:
    """Fill metadata from EXIF (and XMP); return True when it looks like a screenshot."""
    screenshot = False
    try:
        exif = img.getexif()
    except Exception:
        exif = None
    if exif:
        info.camera_make = _text(exif.get(_TAG_MAKE, ""))
        info.camera_model = _text(exif.get(_TAG_MODEL, ""))
        orient = exif.get(_TAG_ORIENTATION)
        if isinstance(orient, int) and 1 <= orient <= 8:
            info.orientation = orient
        try:
            sub = exif.get_ifd(_EXIF_IFD)
        except Exception:
            sub = {}
        for dt_tag, off_tag in ((_TAG_DT_ORIGINAL, _TAG_OFFSET_ORIGINAL),
                                (_TAG_DT_DIGITIZED, _TAG_OFFSET_DIGITIZED)):
            raw = sub.get(dt_tag)
            if raw:
                parsed = parse_exif_datetime(_text(raw), _text(sub.get(off_tag, "")),
                                             _text(sub.get(_TAG_SUBSEC_ORIGINAL, "")))
                if parsed:
                    info.exif_time, info.exif_offset = parsed
                    break
        comment = _text(sub.get(_TAG_USER_COMMENT, b""), 200).lower()
        screenshot = "screenshot" in comment
        info.gps_lat, info.gps_lon, info.gps_alt = _gps(exif)
    xmp = img.info.get("XML:com.adobe.xmp") or img.info.get("xmp")
    if xmp:
        text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
        screenshot = screenshot or "Screenshot" in text
        if info.exif_time is None:
            match = _XMP_DATE.search(text)
            if match:
                stamp = match.group(1)[:19]
                offset = match.group(2) or ""
                try:
                    dt = datetime.fromisoformat(stamp + (offset.replace("Z", "+00:00")))
                    info.exif_time, info.exif_offset = dt, offset if offset != "Z" else "+00:00"
                except ValueError:
                    pass
    return screenshot


def _guess_type(path: Path, name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return "application/octet-stream"
    for magic, kind in ((b"%PDF", "application/pdf"), (b"PK\x03\x04", "application/zip"),
                        (b"\x1aE\xdf\xa3", "video/webm"), (b"ID3", "audio/mpeg"),
                        (b"OggS", "audio/ogg"), (b"RIFF", "application/octet-stream")):
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return "application/octet-stream"


def _flatten(img: Image.Image) -> Image.Image:
    """RGB for JPEG output: transparency composited on white, palettes expanded."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode == "I;16" or img.mode.startswith("I;16"):
        return img.convert("I").point(lambda v: v / 256).convert("RGB")
    if img.mode != "RGB":
        return img.convert("RGB")
    return img


def _save_atomic(img: Image.Image, dest: Path, **params: Any) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".jpg", dir=dest.parent)
    os.close(fd)
    try:
        img.save(tmp, "JPEG", **params)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _reason(exc: BaseException) -> str:
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return f"image is too large to display safely (over {MAX_PIXELS // 1_000_000} million pixels)"
    if isinstance(exc, UnidentifiedImageError):
        return "not a picture this app can display"
    text = str(exc)
    if "truncated" in text.lower():
        return "image is damaged or incomplete (truncated)"
    if isinstance(exc, MemoryError):
        return "image needs too much memory to display"
    return f"image is damaged and cannot be displayed ({text or type(exc).__name__})"


def analyse(path: Path, name: str, thumb: Path | None = None) -> MediaInfo:
    """Read metadata and, if `thumb` is given, write a 256 px JPEG thumbnail there.

    `name` is the original file name (the path may be a content-addressed copy).
    Never raises for bad content; `preview` and `preview_error` say what happened.
    """
    info = MediaInfo(media_type=_guess_type(path, name))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(path)
        except (UnidentifiedImageError, Image.DecompressionBombWarning,
                Image.DecompressionBombError, OSError, ValueError, SyntaxError,
                EOFError, MemoryError) as exc:
            info.preview_error = _reason(exc)
            if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
                info.media_type = mimetypes.guess_type(name)[0] or info.media_type
            return info
        except Exception as exc:  # a plugin bug must not stop an import
            info.preview_error = _reason(exc)
            return info
        with img:
            fmt = (img.format or "").upper()
            info.media_type = _FORMAT_TYPES.get(fmt, Image.MIME.get(fmt) or info.media_type)
            info.width, info.height = img.size
            screenshot = _read_exif(img, info)
            lowered = name.lower()
            if info.camera_make or info.camera_model:
                info.kind = "photo"
            elif screenshot or "screenshot" in lowered or "screen shot" in lowered or (
                fmt == "PNG" and info.exif_time is None
            ):
                info.kind = "screenshot"
            else:
                info.kind = "image"
            try:
                if img.width * img.height > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                if thumb is not None:
                    _write_thumbnail(img, thumb)
                else:
                    img.load()
                info.preview = True
            except Exception as exc:  # noqa: BLE001 - any decoder failure means no preview
                info.preview = False
                info.preview_error = _reason(exc)
    return info


_TRANSPOSE = {  # EXIF orientation -> the turn that shows the picture upright
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}


def _orientation(img: Image.Image) -> int:
    try:
        value = img.getexif().get(_TAG_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - broken EXIF: show the picture as stored
        return 1
    return value if isinstance(value, int) else 1


def _write_thumbnail(img: Image.Image, dest: Path, size: int = THUMB_SIZE) -> None:
    # Shrink first, then turn: turning a 256 px picture costs nothing, turning (or even
    # copying) a 12-megapixel one is most of the work.
    orientation = _orientation(img)
    img.draft("RGB", (size * 2, size * 2))
    frame = img
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        frame = _flatten(img)  # palettes and 16-bit data resample badly as they are
    frame.thumbnail((size, size), Image.Resampling.LANCZOS)
    frame = _flatten(frame)
    if orientation in _TRANSPOSE:
        frame = frame.transpose(_TRANSPOSE[orientation])
    _save_atomic(frame, dest, quality=85, optimize=False)


def make_thumbnail(source: Path, dest: Path, size: int = THUMB_SIZE) -> str | None:
    """(Re)build a thumbnail from an original; None on success, else the reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as img:
                _write_thumbnail(img, dest, size)
            return None
        except Exception as exc:  # noqa: BLE001
            return _reason(exc)


def load_display_image(source: Path, max_side: int | None = None) -> Image.Image:
    """An RGB(A) copy of an original with orientation applied, for viewers and reports.

    Raises OSError/ValueError with a readable message if the image cannot be shown.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as img:
                if max_side:
                    img.draft("RGB", (max_side, max_side))
                frame = ImageOps.exif_transpose(img) or img
                frame = frame.convert("RGBA") if frame.mode in ("RGBA", "LA", "PA", "P") else _flatten(frame)
                if max_side and max(frame.size) > max_side:
                    frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                frame.load()
                return frame
        except Exception as exc:  # noqa: BLE001
            raise OSError(_reason(exc)) from exc


def stripped_copy(source: Path, dest: Path) -> str | None:
    """Write a copy with metadata (GPS, camera, times) removed, orientation applied.

    Returns None on success, else the reason no copy could be made. The original is
    only read.
    """
    try:
        img = load_display_image(source)
    except OSError as exc:
        return str(exc)
    dest.parent.mkdir(parents=True, exist_ok=True)
    clean = Image.new(img.mode, img.size)
    clean.paste(img)
    if dest.suffix.lower() in (".png",):
        clean.save(dest, "PNG")
    else:
        _flatten(clean).save(dest, "JPEG", quality=92)
    return None
