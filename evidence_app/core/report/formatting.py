"""How dates, sizes and exhibit details read in the report (UK conventions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from evidence_app.core.capture_time import capture_source_text
from evidence_app.core.views import AttachmentView

_MEDIA_NAMES = {
    "application/pdf": "PDF document", "image/jpeg": "JPEG image", "image/png": "PNG image",
    "image/heic": "HEIC photo", "image/webp": "WebP image", "image/gif": "GIF image",
    "image/tiff": "TIFF image", "video/mp4": "MP4 video", "audio/mpeg": "MP3 audio",
    "text/plain": "text file", "application/zip": "ZIP archive",
    "message/rfc822": "email message", "video/quicktime": "QuickTime video",
    "audio/mp4": "M4A sound recording", "video/3gpp": "3GP video", "audio/3gpp": "3GP sound recording",
    "audio/ogg": "Ogg sound recording", "audio/amr": "AMR sound recording",
    "audio/x-wav": "WAV sound recording", "text/html": "web page (HTML)",
}


def local(dt: datetime, tz: str) -> datetime:
    return dt.astimezone(ZoneInfo(tz))


def day_text(d: date) -> str:
    """'3 Mar 2025'."""
    return f"{d.day} {d:%b %Y}"


def datetime_text(dt: datetime | None, tz: str, seconds: bool = False) -> str:
    """'3 Mar 2025, 14:30' in the case's time zone (with the zone's abbreviation)."""
    if dt is None:
        return ""
    value = local(dt, tz)
    clock = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    return f"{day_text(value)}, {clock} {value:%Z}".rstrip()


_DAY = re.compile(r"\b(\d{1,2}) (\w{3,9}) (\d{4})\b")


def unbroken(text: str) -> str:
    """Dates and 'c. 19:00' kept on one line in a narrow column ('24 Feb 2025' never splits)."""
    return _DAY.sub("\\1\u00a0\\2\u00a0\\3", text).replace("c. ", "c.\u00a0")


def utc_text(dt: datetime) -> str:
    """An audit time, in UTC to the second."""
    return f"{dt.astimezone(ZoneInfo('UTC')):%Y-%m-%d %H:%M:%S} UTC"


def size_text(size: int) -> str:
    """'2.4 MB', '812 KB', '90 bytes'."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def media_text(att: AttachmentView) -> str:
    """A plain name for the file type."""
    name = _MEDIA_NAMES.get(att.media_type)
    if name:
        return name
    if att.media_type.startswith("image/"):
        return f"{att.media_type[6:].upper()} image"
    if att.media_type in ("", "application/octet-stream"):
        suffix = att.original_name.rsplit(".", 1)[-1] if "." in att.original_name else ""
        return f"{suffix.upper()} file" if suffix and len(suffix) <= 5 else "file"
    return att.media_type


def kind_text(att: AttachmentView) -> str:
    return {"photo": "photo", "screenshot": "screenshot", "image": "picture", "video": "video",
            "audio": "sound recording"}.get(att.kind, "file")


def capture_when(att: AttachmentView, tz: str) -> str:
    """'3 Mar 2025, 14:30 GMT', 'c. ...' for a file date, '3 Mar 2025, time not known'."""
    return att.capture_text(tz)


def capture_source(att: AttachmentView) -> str:
    """'from the camera metadata (EXIF)', or '' when no capture time was found."""
    source = capture_source_text(att.captured_from) if att.captured_at is not None else ""
    return f"from the {source}" if source else ""


def capture_text(att: AttachmentView, tz: str) -> str:
    """'3 Mar 2025, 14:30 GMT, from camera metadata (EXIF)' or 'not known'."""
    source = capture_source(att)
    return f"{capture_when(att, tz)}, {source}" if source else capture_when(att, tz)


def gps_text(att: AttachmentView) -> str:
    if att.gps_lat is None or att.gps_lon is None:
        return ""
    ns = "N" if att.gps_lat >= 0 else "S"
    ew = "E" if att.gps_lon >= 0 else "W"
    return f"{abs(att.gps_lat):.5f}° {ns}, {abs(att.gps_lon):.5f}° {ew}"


def is_picture(att: AttachmentView) -> bool:
    """True when the exhibit can be drawn as a picture."""
    return bool(att.preview and att.media_type.startswith("image/") and att.width and att.height)


def mark_filename(mark: str) -> str:
    """An exhibit mark as it can appear in a file name: 'JS/12' -> 'JS-12'."""
    return mark.replace("/", "-")


def marks_text(attachments: Sequence[AttachmentView]) -> str:
    """Exhibit marks in order, runs of three or more as a range: "JS/1–JS/12, JS/15".

    A range is both marks joined by an en dash, with no spaces, so that it reads as
    one item and never wraps between its ends in a narrow column.
    """
    serials = sorted({a.exhibit_serial: a.exhibit_mark for a in attachments}.items())
    parts: list[str] = []
    start = 0
    for i in range(1, len(serials) + 1):
        if i < len(serials) and serials[i][0] == serials[i - 1][0] + 1:
            continue
        run = serials[start:i]
        if len(run) >= 3:
            parts.append(f"{run[0][1]}\u2013{run[-1][1]}")
        else:
            parts.extend(mark for _serial, mark in run)
        start = i
    return ", ".join(parts)
