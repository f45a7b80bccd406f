"""Safe handling of imported files: metadata, thumbnails and metadata-free copies.

Nothing here ever writes to an original. Every failure (not an image, a decompression
bomb, a truncated or corrupt file, a mislabelled file) becomes a reason a person can
read, never an exception that escapes to the caller. Pictures are opened by
`core.media.imaging`, their metadata read by `core.media.photo_meta`; videos and voice recordings
in MP4/QuickTime form are read by `core.media.mp4`, other sound and video files (WAV, Ogg,
AMR, MP3, WebM, Matroska, AVI) by `core.media.sound`; anything else is named from its content
by `core.media.sniff`.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from evidence_app.core.media import isolated
from evidence_app.core.media.identifying import Identifying, identifying_details, identifying_png
from evidence_app.core.media.imaging import (
    FORMAT_TYPES,
    MAX_PIXELS,
    PictureTooLarge,
    flatten,
    open_picture,
    reason,
    reduced,
)
from evidence_app.core.media.isolated import analyse_isolated, risky
from evidence_app.core.media.mp4 import duration_text, is_movie, read_movie
from evidence_app.core.media.pdf import MAX_BYTES as PDF_MAX_BYTES
from evidence_app.core.media.pdf import PDF_TYPE, read_pdf
from evidence_app.core.media.photo_meta import PhotoMeta, read_photo_meta, salvage_meta
from evidence_app.core.media.sniff import (
    HEAD_SIZE,
    best_type,
    describe,
    sniff,
    suffix_of,
    type_from_name,
)
from evidence_app.core.media.sound import read_recording
from evidence_app.core.media.source import Source, open_source
from evidence_app.core.vocab import CaptureSource

__all__ = ["MAX_PIXELS", "THUMB_SIZE", "Identifying", "MediaInfo", "analyse", "identifying",
           "load_display_image", "make_thumbnail", "stripped_copy"]

log = logging.getLogger(__name__)
THUMB_SIZE = 256
# A PDF's first page gets this long to be drawn as a thumbnail (a report waits longer).
THUMB_TIME_LIMIT = 15.0
# Where the EXIF of a picture that cannot be opened is looked for: a HEIC may keep it
# after its image data, so well beyond the start.
_SALVAGE_BYTES = 16 * 1024 * 1024
_SEQUENCE_BRANDS = (b"msf1", b"hevs", b"avis")
_SCREENSHOT_WORDS = ("screenshot", "screen shot", "screen_shot", "bildschirmfoto",
                     "capture d\u2019\u00e9cran", "capture d'\u00e9cran", "schermafbeelding")
_READABLE = set(FORMAT_TYPES.values())
_HEADER_NOTE = ("the file's own header keeps this time in UTC; an edited or re-sent copy "
                "may carry when it was saved rather than recorded")


@dataclass
class MediaInfo:
    """What could be read from a file, and why a preview is impossible if it is."""

    media_type: str = "application/octet-stream"
    kind: str = "file"  # photo, screenshot, image, video, audio, file
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    exif_time: datetime | None = None  # naive (local to the device) or aware
    exif_offset: str = ""
    time_source: str = ""  # where exif_time came from: CaptureSource.EXIF or MEDIA
    time_note: str = ""  # how it was read, when the person should know
    saved_time_only: bool = False  # exif_time says when the file was saved, not taken
    camera_make: str = ""
    camera_model: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    duration: float | None = None  # seconds, for video and sound
    preview: bool = False
    preview_error: str = ""
    thumbnail: bytes | None = None  # a 256 px JPEG, when one was asked for and made


def analyse(source: Source, name: str, thumbnail: bool = False) -> MediaInfo:
    """Read metadata and, with `thumbnail`, make a 256 px JPEG thumbnail (`info.thumbnail`).

    `name` is the original file name (the source may be a content-addressed copy).
    Never raises for bad content; `preview` and `preview_error` say what happened.
    """
    info = MediaInfo()
    try:
        with open_source(source) as fh:
            head = fh.read(HEAD_SIZE)
    except OSError as exc:
        info.media_type = best_type(b"", name)
        info.preview_error = f"the file could not be read ({exc.strerror or 'unknown error'})"
        return info
    if not head:
        info.media_type = best_type(head, name)
        info.preview_error = "the file is empty (0 bytes)"
        return info
    try:
        if is_movie(head):
            _movie(source, head, info)
        elif risky(head) and not isolated.IN_CHILD:
            # A decoder with a history of crashes: read in a child process with limits.
            analyse_isolated(lambda: _read_all(source, isolated.MAX_BYTES + 1), name,
                             thumbnail, info)
        else:
            _picture_or_file(source, name, head, thumbnail, info)
    except Exception as exc:  # noqa: BLE001 - the last guard: a bug must not stop an import
        # The file's name stays out of the log: logs live outside the case folder.
        log.warning("a file could not be examined", exc_info=exc)
        info.preview = False
        info.preview_error = info.preview_error or "the file could not be examined"
        info.thumbnail = None
    return info


def _read_all(source: Source, limit: int) -> bytes:
    with open_source(source) as fh:
        return fh.read(limit)


def _picture_or_file(source: Source, name: str, head: bytes, thumbnail: bool,
                     info: MediaInfo) -> None:
    sniffed = sniff(head)
    try:
        with open_picture(source) as img:
            _picture(img, name, thumbnail, info)
        if info.exif_time is None and head[4:8] == b"ftyp" and head[8:12] in _SEQUENCE_BRANDS:
            _sequence_time(source, info)
    except (PictureTooLarge, Image.DecompressionBombError) as exc:
        info.media_type = sniffed or type_from_name(name) or "image/unknown"
        info.kind = "image"
        info.preview_error = reason(exc)
        if isinstance(exc, PictureTooLarge):  # what the file claims, for the record
            info.width, info.height = exc.width, exc.height
        _salvage(source, info)
    except UnidentifiedImageError:
        _not_a_picture(source, name, head, info, thumbnail)
    except Exception as exc:  # noqa: BLE001 - a decoder failing on open means damage
        if sniffed and sniffed.startswith("image/"):
            info.media_type, info.kind = sniffed, "image"
            info.preview_error = reason(exc)
            _salvage(source, info)
        else:
            _not_a_picture(source, name, head, info, thumbnail)


def _picture(img: Image.Image, name: str, thumbnail: bool, info: MediaInfo) -> None:
    fmt = (img.format or "").upper()
    info.media_type = FORMAT_TYPES.get(fmt) or Image.MIME.get(fmt) or f"image/{fmt.lower()}"
    if fmt == "TIFF" and type_from_name(name) == "image/x-adobe-dng":
        info.media_type = "image/x-adobe-dng"  # a camera raw file; Pillow reads its preview
    info.width, info.height = img.size
    small: Image.Image | None = None
    try:
        # Decoded first: a PNG's EXIF may follow its pixels, and reading it would
        # otherwise decode the whole picture a second time, outside the memory budget.
        small = reduced(img, THUMB_SIZE)
    except Exception as exc:  # noqa: BLE001 - any decoder failure means no preview
        info.preview_error = reason(exc)
    meta = read_photo_meta(img)
    _use_meta(meta, info)
    lowered = name.lower().replace("\u202f", " ")
    if meta.make or meta.model:
        info.kind = "photo"
    elif meta.screenshot or any(word in lowered for word in _SCREENSHOT_WORDS) or (
        fmt == "PNG" and (meta.taken is None or meta.from_png_text)
    ):
        info.kind = "screenshot"
    else:
        info.kind = "image"
    if small is None:
        return
    try:
        if thumbnail:
            info.thumbnail = _jpeg(small)
        info.preview = True
    except Exception as exc:  # noqa: BLE001 - e.g. an encoder failure on odd pixels
        info.preview_error = f"the preview could not be made ({exc})"


def _sequence_time(source: Source, info: MediaInfo) -> None:
    """A HEIF/AVIF image sequence (a Nokia burst, an animated AVIF) keeps a movie header;
    with no EXIF, its creation time (UTC) is the time the sequence was recorded."""
    try:
        with open_source(source) as fh:
            movie = read_movie(fh)
    except Exception:  # noqa: BLE001 - a broken header only loses the time
        return
    if movie.created is not None:
        info.exif_time, info.exif_offset = movie.created, movie.offset
        info.time_source = CaptureSource.MEDIA
        info.time_note = _HEADER_NOTE if movie.created_from == "header" else ""


def _use_meta(meta: PhotoMeta, info: MediaInfo) -> None:
    info.orientation = meta.orientation
    if meta.taken is not None:
        info.exif_time, info.exif_offset = meta.taken, meta.offset
        info.time_source = CaptureSource.EXIF
        if meta.from_xmp:
            info.time_note = "read from the XMP metadata saved inside the picture"
        elif meta.saved_only:
            info.saved_time_only = True
            info.time_note = ("the picture records only when it was saved, not when it was "
                              "taken (an edited copy carries when it was edited)")
        elif meta.from_png_text:
            info.time_note = ("read from the 'Creation Time' the program that saved the picture "
                              "wrote into it")
        if meta.offset_from_xmp:
            info.time_note = "its offset from UTC was read from the XMP metadata saved inside the picture"
    info.camera_make, info.camera_model = meta.make, meta.model
    info.gps_lat, info.gps_lon, info.gps_alt = meta.gps_lat, meta.gps_lon, meta.gps_alt


def _salvage(source: Source, info: MediaInfo) -> None:
    """The EXIF of a picture that cannot be opened, when it survives (see `salvage_meta`)."""
    try:
        meta = salvage_meta(_read_all(source, _SALVAGE_BYTES))
    except OSError:
        return
    if meta is None:
        return
    _use_meta(meta, info)
    note = "read from the picture's EXIF, though the picture itself could not be opened"
    info.time_note = "; ".join(p for p in (info.time_note, note) if p) if meta.taken else ""
    if meta.make or meta.model:
        info.kind = "photo"


def _not_a_picture(source: Source, name: str, head: bytes, info: MediaInfo,
                   thumbnail: bool = False) -> None:
    media_type = best_type(head, name)
    info.media_type = media_type
    info.kind = ("video" if media_type.startswith("video/") else
                 "audio" if media_type.startswith("audio/") else "file")
    what = describe(media_type)
    claimed = type_from_name(name) or ""
    suffix = suffix_of(name)
    if claimed.startswith("image/") and not media_type.startswith("image/") and suffix:
        if media_type == "application/octet-stream":
            info.preview_error = (f"not a picture: the name ends in {suffix}, but the contents "
                                  "are not a picture this app can read")
        else:
            info.preview_error = f"not a picture: the name ends in {suffix}, but the file is {what}"
    elif media_type.startswith("image/"):
        info.kind = "image"
        if media_type in _READABLE and sniff(head) == media_type:
            info.preview_error = "the picture is damaged, so it cannot be displayed"
            _salvage(source, info)
        else:
            label = suffix.lstrip(".").upper() or media_type
            info.preview_error = f"a picture in a format this app cannot display ({label})"
    elif info.kind in ("video", "audio"):
        _recording(source, media_type, info)
    elif media_type == PDF_TYPE:
        _document(source, info, thumbnail)
    else:
        info.preview_error = f"not a picture: {what}"


def _document(source: Source, info: MediaInfo, thumbnail: bool = False) -> None:
    """A PDF: its page count, the creation date it records as the capture time and,
    with `thumbnail`, its first page as the thumbnail."""
    with open_source(source) as fh:
        data = fh.read(PDF_MAX_BYTES + 1)
    facts = read_pdf(data, THUMB_SIZE if thumbnail else None, time_limit=THUMB_TIME_LIMIT)
    if facts.created is not None:
        info.exif_time, info.time_source = facts.created, CaptureSource.DOCUMENT
        info.time_note = facts.created_note
    # A first page that cannot be drawn still leaves the PDF counted and dated.
    info.preview_error = pdf_words(facts.pages, "" if facts.pages else facts.error)
    if facts.image is not None:
        info.thumbnail = _jpeg(facts.image)


def pdf_words(pages: int | None, error: str = "") -> str:
    """'a PDF document, 3 pages' as the viewer, the CLI and the report show it."""
    if error:
        return f"a PDF document; {error}"
    if pages:
        return f"a PDF document, {pages:,} page{'s' if pages != 1 else ''}"
    return "a PDF document"


def _recording(source: Source, media_type: str, info: MediaInfo) -> None:
    with open_source(source) as fh:
        rec = read_recording(fh, media_type)
    if rec.sound_only and media_type.startswith("video/"):  # a WebM of a voice, say
        info.media_type, info.kind = media_type.replace("video/", "audio/"), "audio"
    if rec.created is not None:
        info.exif_time, info.time_source = rec.created, CaptureSource.MEDIA
        # Matroska's DateUTC is UTC; an AVI's IDIT is the camera's own local clock.
        info.time_note = _HEADER_NOTE if rec.created.tzinfo is not None else (
            "set by the camera's own clock")
    info.duration = rec.seconds
    info.preview_error = _length_words(info.kind, rec.seconds, rec.damaged)


def _length_words(kind: str, seconds: float | None, damaged: bool) -> str:
    """'a video, 0:42 long' as the viewer, a tile, the CLI and the report show it."""
    what = "a video" if kind == "video" else "a sound recording"
    length = " of unknown length" if seconds is None else f", {duration_text(seconds)} long"
    return what + length + ("; the file seems damaged or incomplete" if damaged else "")


def _movie(source: Source, head: bytes, info: MediaInfo) -> None:
    with open_source(source) as fh:
        movie = read_movie(fh)
    sniffed = sniff(head) or "video/mp4"
    video = movie.has_video or (not movie.has_audio and not sniffed.startswith("audio/"))
    if sniffed in ("video/quicktime", "video/3gpp", "video/3gpp2"):
        info.media_type = sniffed if video else sniffed.replace("video/", "audio/")
    else:
        info.media_type = "video/mp4" if video else "audio/mp4"
    info.kind = "video" if video else "audio"
    if movie.created is not None:
        info.exif_time, info.exif_offset = movie.created, movie.offset
        info.time_source = CaptureSource.MEDIA
        info.time_note = _HEADER_NOTE if movie.created_from == "header" else ""
    info.camera_make, info.camera_model = movie.make, movie.model
    info.gps_lat, info.gps_lon, info.gps_alt = movie.gps_lat, movie.gps_lon, movie.gps_alt
    info.duration = movie.duration
    info.preview_error = _length_words(info.kind, movie.duration, movie.damaged)


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    flatten(img).save(buf, "JPEG", quality=85, optimize=False)
    return buf.getvalue()


def make_thumbnail(source: Source, size: int = THUMB_SIZE) -> bytes:
    """(Re)build a thumbnail from an original (a picture, or a PDF's first page), as
    JPEG bytes.

    Raises OSError with a readable reason when the picture cannot be shown.
    """
    with open_source(source) as fh:
        pdf = sniff(fh.read(HEAD_SIZE)) == PDF_TYPE
    if pdf:
        with open_source(source) as fh:
            facts = read_pdf(fh.read(PDF_MAX_BYTES + 1), size, time_limit=THUMB_TIME_LIMIT)
        if facts.image is None:
            raise OSError(facts.error or "the PDF's first page could not be drawn")
        return _jpeg(facts.image)
    try:
        with open_picture(source) as img:
            small = reduced(img, size)
        return _jpeg(small)
    except Exception as exc:  # noqa: BLE001
        raise OSError(reason(exc)) from exc


def load_display_image(source: Source, max_side: int | None = None) -> Image.Image:
    """An RGB(A) copy of an original with orientation applied, for viewers and reports.

    Raises OSError with a readable message if the image cannot be shown.
    """
    try:
        with open_picture(source) as img:
            return reduced(img, max_side)
    except Exception as exc:  # noqa: BLE001
        raise OSError(reason(exc)) from exc


def stripped_copy(source: Source, dest: Path) -> str | None:
    """Write a copy with metadata (GPS, camera, times) removed, orientation applied.

    Returns None on success, else the reason no copy could be made. The original is
    only read.
    """
    try:
        img = load_display_image(source)
    except OSError as exc:
        return str(exc)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Pixels only: a fresh image carries none of the original's metadata blocks.
    clean = Image.new(img.mode, img.size)
    clean.paste(img)
    if dest.suffix.lower() in (".png",):
        clean.save(dest, "PNG")
    else:
        flatten(clean).save(dest, "JPEG", quality=92)
    return None


def identifying(source: Source) -> Identifying:
    """Whether a file records where it was made, a camera or lens serial number, or a
    person's name: pictures (EXIF, XMP, IPTC, PNG text) and MP4/QuickTime videos and
    recordings. Other files, and pictures that cannot be opened, come back unchecked.
    Never raises for bad content; a file that cannot be read at all raises OSError."""
    with open_source(source) as fh:
        head = fh.read(HEAD_SIZE)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        with open_source(source) as fh:
            return identifying_png(fh)
    if is_movie(head):
        with open_source(source) as fh:
            movie = read_movie(fh)
        return Identifying(location=movie.location_recorded or movie.gps_lat is not None,
                           name=bool(movie.author), checked=True)
    try:
        with open_picture(source) as img:
            return identifying_details(img)
    except Exception:  # noqa: BLE001 - not a picture, or one this app cannot open
        return Identifying()
