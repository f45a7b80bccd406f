"""PDF exhibits: the first page drawn as a picture, the page count and the creation date.

A letter or a court paper saved as PDF is shown by its first page, "page 1 of 3", and
dated by the creation date the PDF itself records (its document information
/CreationDate, else the XMP xmp:CreateDate), not by when the file was last copied.

PDFium (pypdfium2) does the reading and drawing. It is a large C library working on
bytes that may have been made to hurt it (a "PDF bomb" whose page takes hours or all
memory to draw, a page tree claiming a billion pages), so it never runs in the app's
own process: a child Python process does the work with a memory ceiling and a time
limit, and whatever happens to it (a crash, a kill, a timeout) comes back as a reason
a person can read: "no preview: ...". The pixels drawn are capped (`MAX_SIDE`).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image

from evidence_app.core.media.child import child_command

PDF_TYPE = "application/pdf"
# The longest side of any drawing of a page, in pixels (a page at 200 dpi is 2339).
MAX_SIDE = 2400
# Larger files are not handed to PDFium at all.
MAX_BYTES = 256 * 1024 * 1024
# The child gets this long to read and draw one page, and this much memory.
TIME_LIMIT = 60.0
MEMORY_LIMIT = 1536 * 1024 * 1024
_INFO_DATE = "document information (CreationDate)"
_XMP_DATE = "XMP metadata (xmp:CreateDate)"


@dataclass
class PdfPage:
    """What was read from a PDF and, when asked, its first page as a picture."""

    pages: int | None = None
    created: datetime | None = None  # aware when the PDF gave a zone, else naive
    created_from: str = ""  # _INFO_DATE or _XMP_DATE
    width_pt: float | None = None  # the first page's size in points (1/72 inch)
    height_pt: float | None = None
    image: Image.Image | None = None
    error: str = ""  # why there is no picture ("" when there is one, or none was asked)

    @property
    def pages_text(self) -> str:
        """'page 1 of 3', or '' when the count is not known."""
        if not self.pages:
            return ""
        return f"page 1 of {self.pages:,}"

    @property
    def created_note(self) -> str:
        """How the creation date was read, for the exhibit's capture-time note."""
        if self.created is None:
            return ""
        zone = "" if self.created.tzinfo is not None else "; no time zone was recorded"
        return (f"read from the PDF's {self.created_from}; it is set by the program that "
                f"made the PDF, and a copy saved again later may carry that later time{zone}")


def read_pdf(data: bytes, max_side: int | None = None,
             time_limit: float | None = None) -> PdfPage:
    """Read a PDF's page count and creation date and, with `max_side`, draw its first
    page fitted within that many pixels, within `time_limit` seconds (TIME_LIMIT if
    None). Never raises: `error` says what went wrong."""
    result = PdfPage()
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        result.error = "the file is not a PDF"
        return result
    if len(data) > MAX_BYTES:
        result.error = (f"the PDF is too large to draw here ({len(data) // (1024 * 1024)} MB); "
                        "open the original file")
        return result
    side = min(max_side or 0, MAX_SIDE)
    stopped = ""
    try:
        child = subprocess.Popen(
            child_command("pdf", _CHILD, str(side), isolated=True), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            preexec_fn=_limits if os.name == "posix" else None)  # noqa: PLW1509
    except OSError as exc:
        result.error = f"the PDF reader could not be started ({exc.strerror or exc})"
        return result
    try:
        stdout, _ = child.communicate(data, timeout=TIME_LIMIT if time_limit is None
                                      else min(time_limit, TIME_LIMIT))
    except subprocess.TimeoutExpired:
        child.kill()
        # What the child said before it was stopped (its facts come before the drawing).
        stdout, _ = child.communicate()
        stopped = ("drawing the PDF took too long, so it was stopped (the file may be "
                   "damaged or made to be slow to open)")
    except BaseException:
        child.kill()
        child.wait()
        raise
    head, newline, picture = stdout.partition(b"\n")
    try:
        facts = json.loads(head) if newline else None
    except ValueError:
        facts = None
    if not isinstance(facts, dict):
        result.error = stopped or ("the PDF could not be read: the reader stopped (the file "
                                   "may be damaged, or need more memory than is allowed)")
        return result
    if stopped:
        facts["error"] = stopped
        picture = b""
    elif side and not picture and not facts.get("error"):
        facts["error"] = ("the PDF's first page could not be drawn: the reader stopped (the "
                          "file may be damaged, or need more memory than is allowed)")
    result.pages = facts.get("pages")
    result.width_pt, result.height_pt = facts.get("width"), facts.get("height")
    for key, source in (("info_date", _INFO_DATE), ("xmp_date", _XMP_DATE)):
        when = parse_pdf_date(facts.get(key) or "")
        if when is not None:
            result.created, result.created_from = when, source
            break
    result.error = facts.get("error", "")
    if picture and not result.error:
        try:
            with Image.open(io.BytesIO(picture)) as img:
                img.load()
                result.image = img.convert("RGB")
        except (OSError, ValueError):
            result.error = "the PDF's first page could not be drawn"
    elif side and not result.error:
        result.error = "the PDF's first page could not be drawn"
    return result


def _limits() -> None:  # pragma: no cover - runs in the child before it starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:\s*(Z|[+-])\s*(?:(\d{2})'?\s*(?:(\d{2})'?)?)?)?")
_XMP = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                  r"(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def parse_pdf_date(text: str) -> datetime | None:
    """A PDF date ("D:20230115093000+01'00'") or an XMP one ("2023-01-15T09:30:00+01:00"),
    aware when it names its zone; None when it is not a plausible date."""
    text = text.strip()
    if not text:
        return None
    xmp = _XMP.match(text)
    if xmp:
        y, mo, d, h, mi, s, zone = xmp.groups()
        offset = None
        if zone == "Z":
            offset = UTC
        elif zone:
            digits = zone[1:].replace(":", "")
            shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            offset = timezone(-shift if zone[0] == "-" else shift)
        return _make(y, mo, d, h, mi, s, offset)
    match = _PDF_DATE.match(text)
    if not match:
        return None
    y, mo, d, h, mi, s, mark, zh, zm = match.groups()
    offset = None
    if mark == "Z":
        offset = UTC
    elif mark:
        delta = timedelta(hours=int(zh or 0), minutes=int(zm or 0))
        offset = timezone(-delta if mark == "-" else delta)
    return _make(y, mo, d, h, mi, s, offset)


def _make(y: str, mo: str | None, d: str | None, h: str | None, mi: str | None,
          s: str | None, offset: timezone | None) -> datetime | None:
    try:
        when = datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0),
                        int(s or 0), tzinfo=offset)
    except (ValueError, OverflowError):
        return None
    if not 1980 <= when.year <= 2200:  # PDF was born in 1993; anything else is a default
        return None
    return when


# The child: reads the PDF from standard input, writes one line of JSON (page count,
# first page size, dates, or an error) and, when asked for a size, a PNG of page 1.
# Started by media.child.child_command (`python -I -c`, or the bundle's --internal-child).
_CHILD = r"""
import io, json, re, sys
def main():
    side = int(sys.argv[1])
    data = sys.stdin.buffer.read()
    out = {}
    try:
        import pypdfium2 as pdfium
    except ImportError:
        out["error"] = "the PDF reader (pypdfium2) is not installed"
        print(json.dumps(out), flush=True)
        return
    xmp = re.search(rb"<xmp:CreateDate>\s*([^<]{4,40}?)\s*</xmp:CreateDate>"
                    rb"|xmp:CreateDate\s*=\s*[\"']([^\"']{4,40})[\"']", data)
    if xmp:
        out["xmp_date"] = (xmp.group(1) or xmp.group(2)).decode("latin-1")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if not re.search(rb"/Type\s*/Page(?![a-zA-Z])", data):
            out["error"] = "the PDF has no pages"
        elif "password" in text or "security" in text:
            out["error"] = "the PDF is locked with a password, so its pages cannot be shown"
        else:
            out["error"] = "the PDF is damaged or incomplete, so its pages cannot be shown"
        print(json.dumps(out), flush=True)
        return
    try:
        out["info_date"] = pdf.get_metadata_value("CreationDate") or ""
    except Exception:
        pass
    count = len(pdf)
    out["pages"] = count
    if count < 1:
        out["error"] = "the PDF has no pages"
        print(json.dumps(out), flush=True)
        return
    try:
        # The size comes from the page tree; loading the page parses its contents,
        # which is where a bomb goes off, so that waits until a drawing is asked for.
        width, height = pdf.get_page_size(0)
    except Exception:
        out["error"] = "the PDF's first page is damaged, so it cannot be shown"
        print(json.dumps(out), flush=True)
        return
    out["width"], out["height"] = width, height
    if not (width > 1 and height > 1 and width < 1e6 and height < 1e6):
        out["error"] = "the PDF's first page has no usable size"
        print(json.dumps(out), flush=True)
        return
    # The facts first: a page made to be slow or huge to draw cannot take them with it.
    print(json.dumps(out), flush=True)
    if not side:
        return
    scale = side / max(width, height)
    page = pdf[0]
    image = page.render(scale=scale, may_draw_forms=True).to_pil()
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG")
    sys.stdout.buffer.write(buf.getvalue())
    sys.stdout.flush()
main()
"""
