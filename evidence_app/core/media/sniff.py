"""What kind of file this really is, from its first bytes, whatever its name says.

A file's name can lie (a PNG saved as .jpg, a web page saved as .jpg, a HEIC renamed
.png); its first bytes rarely do. Names only decide when the content says nothing, and
a name claiming a picture never makes unreadable bytes a picture.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

HEAD_SIZE = 512

# Our own table first: the platform's mimetypes database differs between Windows, macOS
# and Linux, and the type recorded for an exhibit should not depend on the laptop.
_BY_SUFFIX = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jpe": "image/jpeg", ".jfif": "image/jpeg",
    ".mpo": "image/jpeg", ".png": "image/png", ".apng": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".tif": "image/tiff", ".tiff": "image/tiff", ".bmp": "image/bmp",
    ".heic": "image/heic", ".heif": "image/heif", ".hif": "image/heif", ".avif": "image/avif",
    ".ico": "image/x-icon", ".dng": "image/x-adobe-dng", ".psd": "image/vnd.adobe.photoshop",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".qt": "video/quicktime",
    ".3gp": "video/3gpp", ".3g2": "video/3gpp2", ".webm": "video/webm", ".mkv": "video/x-matroska",
    ".mka": "audio/x-matroska", ".weba": "audio/webm",
    ".avi": "video/x-msvideo", ".wmv": "video/x-ms-wmv", ".ts": "video/mp2t",
    ".m4a": "audio/mp4", ".aac": "audio/aac", ".mp3": "audio/mpeg", ".wav": "audio/x-wav",
    ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".amr": "audio/amr",
    ".flac": "audio/flac", ".wma": "audio/x-ms-wma",
    ".pdf": "application/pdf", ".txt": "text/plain", ".csv": "text/csv", ".html": "text/html",
    ".htm": "text/html", ".eml": "message/rfc822", ".msg": "application/vnd.ms-outlook",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword", ".rtf": "application/rtf", ".zip": "application/zip",
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1",
                b"msf1", b"mif2", b"miaf"}
_ZIP_BASED = ("application/vnd.openxmlformats", "application/vnd.oasis", "application/epub",
              "application/zip")
_OLE_BASED = ("application/msword", "application/vnd.ms-")

_WORDS = {
    "application/pdf": "a PDF document", "text/plain": "a text document",
    "text/csv": "a spreadsheet (CSV)", "text/html": "a web page (HTML)",
    "message/rfc822": "an email", "application/vnd.ms-outlook": "an Outlook email",
    "application/zip": "a compressed folder (ZIP)", "application/rtf": "a document (RTF)",
    "application/msword": "a Word document", "image/svg+xml": "a drawing (SVG)",
    "application/xml": "a data file (XML)", "application/json": "a data file (JSON)",
}


def type_from_name(name: str) -> str | None:
    """The media type a file's name suggests, or None."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed


def sniff(head: bytes) -> str | None:
    """The media type the first bytes prove, or None when they prove nothing."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"WEBP": "image/webp", b"WAVE": "audio/x-wav", b"AVI ": "video/x-msvideo"}.get(
            head[8:12])
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:2] == b"BM" and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00":
        return "image/bmp"
    if head[:4] == b"\x00\x00\x01\x00" and len(head) >= 6 and 0 < head[4] + 256 * head[5] < 256:
        return "image/x-icon"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _ftyp_type(head)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x1aE\xdf\xa3"):
        return "video/x-matroska" if b"matroska" in head[:64] else "video/webm"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head[:2] in (b"\xff\xf1", b"\xff\xf9"):
        return "audio/aac"
    if head.startswith(b"0&\xb2u\x8ef\xcf\x11"):
        return "video/x-ms-asf"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    return _text_type(head)


def _ftyp_type(head: bytes) -> str:
    brand = head[8:12]
    if brand in (b"avif", b"avis"):
        return "image/avif"
    if brand in _HEIF_BRANDS:
        return "image/heic"
    if brand == b"qt  ":
        return "video/quicktime"
    if brand in (b"M4A ", b"M4B ", b"M4P "):
        return "audio/mp4"
    if brand.startswith(b"3g2"):
        return "video/3gpp2"
    if brand.startswith((b"3gp", b"3ge", b"3gg", b"3gs")):
        return "video/3gpp"
    return "video/mp4"


def _text_type(head: bytes) -> str | None:
    if not head or b"\x00" in head:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "text/html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image/svg+xml"
    if text.startswith(b"<?xml"):
        return "application/xml"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off by the end of the sample is still text; a
        # file shorter than the sample was read whole, so there it is not.
        if len(head) < HEAD_SIZE or exc.start < len(head) - 4:
            return None
    if any(ch < 9 or 13 < ch < 32 for ch in head if ch != 27):
        return None
    return "text/plain"


def best_type(head: bytes, name: str) -> str:
    """The type to record for a file nothing could open as a picture.

    The content wins; where it only says "zip" or "text", a more precise name is kept
    (a .docx is a zip, a .csv is text). A name that claims a picture for bytes that are
    not one is not believed.
    """
    sniffed = sniff(head)
    named = type_from_name(name)
    if sniffed == "application/zip" and named and named.startswith(_ZIP_BASED):
        return named
    if sniffed == "application/x-ole-storage":
        return named if named and named.startswith(_OLE_BASED) else "application/octet-stream"
    if sniffed == "text/plain" and named and (named.startswith("text/") or named in _WORDS):
        return named
    if sniffed:
        return sniffed
    if named and not named.startswith("image/"):
        return named
    return "application/octet-stream"


def describe(media_type: str) -> str:
    """A plain phrase for a type: 'a PDF document', 'a video', 'a sound recording'."""
    if media_type in _WORDS:
        return _WORDS[media_type]
    if media_type.startswith("video/"):
        return "a video"
    if media_type.startswith("audio/"):
        return "a sound recording"
    if media_type.startswith("image/"):
        return "a picture"
    if media_type.startswith("text/"):
        return "a text document"
    return "a file of a kind this app does not know"


def suffix_of(name: str) -> str:
    """'.jpg' for 'photo.JPG'; '' when the name has no short extension."""
    suffix = PurePath(name).suffix.lower()
    return suffix if 1 < len(suffix) <= 6 else ""
