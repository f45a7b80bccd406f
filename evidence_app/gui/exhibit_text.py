"""How exhibit details read in the gallery, inbox and viewer (plain words, local time)."""

from __future__ import annotations

import mimetypes
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from evidence_app.core.views import AttachmentView
from evidence_app.core.vocab import CaptureSource

_KINDS = {"photo": "Photo", "screenshot": "Screenshot", "image": "Picture", "file": "File",
          "video": "Video", "audio": "Sound recording"}


def local_time(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def moment_text(moment: datetime, tz: str) -> str:
    """'12 Mar 2025 at 08:15' in local time."""
    t = local_time(moment, tz)
    return f"{t.day} {t:%b %Y} at {t:%H:%M}"


def capture_text(att: AttachmentView, tz: str, short: bool = False) -> str:
    """'12 Mar 2025, 08:15' (short) or 'Wed 12 Mar 2025, 08:15:30 GMT'; honest when unknown.

    The wording is core's (core.capture_time), so the viewer, the CLI and the report agree.
    """
    if short:
        return att.capture_text(tz, zone=False, unknown="No date", say_no_time=False)
    return att.capture_text(tz, weekday=True, seconds=True,
                            unknown="No capture time could be found")


def source_text(att: AttachmentView) -> str:
    """Where the capture time came from, as a person would say it."""
    if not att.captured_from:
        return "No source for a time"
    try:
        label = CaptureSource(att.captured_from).label
    except ValueError:
        label = att.captured_from
    return "From the " + label if not label.startswith("time") else "The " + label


def file_type_label(att: AttachmentView) -> str:
    """A short type for a tile: 'PDF', 'MP4', 'JPEG'."""
    suffix = PurePath(att.original_name).suffix.lstrip(".").upper()
    if suffix and len(suffix) <= 5:
        return suffix
    guessed = mimetypes.guess_extension(att.media_type or "") or ""
    return guessed.lstrip(".").upper() or "FILE"


def kind_text(att: AttachmentView) -> str:
    return _KINDS.get(att.kind, "File")


def human_size(size: int) -> str:
    """'1.2 MB (1,234,567 bytes)'."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{size:,} bytes"
            return f"{value:.1f} {unit} ({size:,} bytes)"
        value /= 1024
    return f"{size:,} bytes"  # pragma: no cover - the loop always returns


def pixel_text(att: AttachmentView) -> str:
    if att.width and att.height:
        megapixels = att.width * att.height / 1_000_000
        mp = f" ({megapixels:.1f} megapixels)" if megapixels >= 1 else ""
        return f"{att.width:,} \u00d7 {att.height:,} pixels{mp}"
    return "Not a picture"


def gps_text(att: AttachmentView) -> str:
    if att.gps_lat is None or att.gps_lon is None:
        return "None recorded"
    ns = "N" if att.gps_lat >= 0 else "S"
    ew = "E" if att.gps_lon >= 0 else "W"
    text = f"{abs(att.gps_lat):.5f}\u00b0 {ns}, {abs(att.gps_lon):.5f}\u00b0 {ew}"
    if att.gps_alt is not None:
        metres = round(att.gps_alt)  # an iPhone at a Cardiff dock records -166 m
        text += (f", {-metres} m below sea level" if metres < 0 else
                 f", {metres} m above sea level")
    return text
