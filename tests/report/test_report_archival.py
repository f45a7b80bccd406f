"""The report as a document to navigate and archive: bookmarks, links, PDF/A-2b.

Read back with pypdf (outline, links, text) and pikepdf (objects, XMP, and its PDF/A
validator, whose rules are veraPDF's). veraPDF itself is Java and is not run here.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from PIL import Image, ImageCms, ImageDraw
from pypdf import PdfReader

from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.core.report import ReportOptions, ReportResult, build_report
from tests.report.casebuilder import GREEK, photo

EPOCH = 1742000000  # 15 Mar 2025 00:53:20 UTC


def build(case, out: Path, **options) -> ReportResult:
    profile = options.pop("profile", "police")
    events = list(build_report(case, ReportOptions.for_profile(profile, **options), out))
    result = events[-1].item
    assert isinstance(result, ReportResult)
    return result


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every outline entry, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def links(reader: PdfReader, page_no: int) -> list[tuple[str, int, float]]:
    """(text under the link, 1-based destination page, destination top) on a page."""
    page = reader.pages[page_no - 1]
    words: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            words.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, 1)}
    out = []
    for annot in page.get("/Annots") or []:
        annot = annot.get_object()
        assert annot["/Subtype"] == "/Link"
        dest = annot["/Dest"]
        if not isinstance(dest, list):  # a named destination
            dest = reader.named_destinations[str(dest)]
            target, top = dest.page.idnum, dest.top
        else:
            target, top = dest[0].idnum, dest[3]
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
        under = " ".join(t for x, y, t in words if x0 - 1 <= x <= x1 and y0 - 1 <= y <= y1)
        out.append((under, pages[target], float(top)))
    return out


def page_of(pages: list[str], heading: str, after: str = "") -> int:
    """The 1-based page whose text holds `heading` (after the page holding `after`)."""
    start = next(n for n, t in enumerate(pages) if after in t) if after else 0
    return next(n for n, t in enumerate(pages, 1) if n > start and heading in squash(t))


def test_outline_has_each_section_and_incident_at_its_page(rich_case, case, tmp_path):
    result = build(case, tmp_path / "r.pdf", profile="court")
    reader = PdfReader(result.path)
    pages = [squash(p.extract_text()) for p in reader.pages]
    entries = outline(reader)
    sections = [(title, page) for level, title, page in entries if level == 0]
    assert [t for t, _ in sections] == ["Cover page", "Summary", "Chronology",
                                        "Incidents in full", "Undated incidents",
                                        "Exhibit list", "Declaration of truth", "Audit trail"]
    for title, page in sections[1:]:
        heading = "Appendix: audit trail" if title == "Audit trail" else title
        assert pages[page - 1].startswith("Jane Smith v. harassment") and heading in pages[page - 1]
    incidents = [(title, page) for level, title, page in entries if level == 1]
    assert len(incidents) == result.incidents == 7
    for n, (title, page) in enumerate(incidents, 1):
        assert title.startswith(f"{n}. ")
        name = title.split(" \u2013 ", 1)[1]
        assert name in pages[page - 1], (title, page)
    assert incidents[3][0] == "4. 3 Mar 2025, 07:40 \u2013 Silver Astra outside the house"
    assert incidents[5][0] == f"6. 20 Mar 2025, 22:15 \u2013 Threatening messages {GREEK}"
    # The undated incident sits under "Undated incidents", the others under the full accounts.
    order = [title for _, title, _ in entries]
    assert order.index("Undated incidents") < order.index(incidents[6][0])
    assert order.index("Incidents in full") < order.index(incidents[0][0]) < order.index(
        "Undated incidents")
    with pikepdf.open(result.path) as pdf:
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines  # opens with the bookmarks shown


def test_chronology_and_exhibit_list_link_to_what_they_list(rich_case, case, tmp_path):
    result = build(case, tmp_path / "r.pdf")
    reader = PdfReader(result.path)
    pages = [squash(p.extract_text()) for p in reader.pages]
    chronology = page_of(pages, "Chronology Every incident")
    found = links(reader, chronology)
    by_text = {text: (page, top) for text, page, top in found}
    # A row's title and number lead to the page where that incident is drawn (a title
    # on two lines is two links to the same place).
    astra = page_of(pages, "Silver Astra outside the house", after="Incidents in full")
    assert by_text["Silver Astra outside the"] == by_text["house"]
    assert by_text["Silver Astra outside the"][0] == astra
    assert by_text["4"][0] == astra
    undated = page_of(pages, "Card with no postmark", after="Undated incidents The date of these")
    assert by_text["Card with no postmark"][0] == undated
    assert "Exhibit JS/5" in pages[undated - 1]
    # Every incident is linked, each to a different place.
    assert len({by_text[str(n)] for n in range(1, 8)}) == 7
    # The marks lead to the page where the first of them is drawn.
    marks = next(v for k, v in by_text.items() if k.startswith("JS/1"))
    assert "Exhibit JS/1" in pages[marks[0] - 1]
    shot = by_text["JS/4"]
    assert "Exhibit JS/4" in pages[shot[0] - 1]

    exhibit_list = page_of(pages, "Exhibit list Every exhibit")
    listed = links(reader, exhibit_list)
    for text, page, _ in listed:
        if text.startswith("JS/"):
            assert f"Exhibit {text}" in pages[page - 1], (text, page)
        else:
            assert text.startswith("No."), text
    assert {t for t, _, _ in listed if t.startswith("JS/")} == {f"JS/{n}" for n in range(1, 6)}
    assert next(p for t, p, _ in listed if t == "No. 4") == astra
    # Each exhibit's mark in its caption leads back to its row in the exhibit list.
    back = [(t, p) for t, p, _ in links(reader, marks[0]) if t.startswith("Exhibit")]
    assert back and all(p == exhibit_list for _, p in back)


def test_exhibit_link_shows_the_picture_not_only_its_caption(rich_case, case, tmp_path):
    """The destination of a picture exhibit is at the picture's top edge, above its caption."""
    result = build(case, tmp_path / "r.pdf")
    reader = PdfReader(result.path)
    pages = [squash(p.extract_text()) for p in reader.pages]
    exhibit_list = page_of(pages, "Exhibit list Every exhibit")
    target = {t: (p, top) for t, p, top in links(reader, exhibit_list)}
    page, top = target["JS/1"]
    with pikepdf.open(result.path) as pdf:
        # The top edge of each image drawn on that page, following the drawing commands.
        tops = []
        ctm, stack = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
        for operands, op in pikepdf.parse_content_stream(pdf.pages[page - 1]):
            if str(op) == "q":
                stack.append(ctm)
            elif str(op) == "Q":
                ctm = stack.pop()
            elif str(op) == "cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                A, B, C, D, E, F = ctm
                ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                       e * A + f * C + E, e * B + f * D + F]
            elif str(op) == "Do":
                tops.append(ctm[3] + ctm[5])  # the unit square's top edge
    assert any(0 <= top - t <= 10 for t in tops), (top, tops)


def test_links_are_quiet_on_paper(rich_case, case, tmp_path):
    result = build(case, tmp_path / "r.pdf")
    with pikepdf.open(result.path) as pdf:
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(annots) > 20
        for annot in annots:
            assert annot.Subtype == pikepdf.Name.Link
            assert [float(v) for v in annot.Border] == [0, 0, 0]  # no frame drawn round it
            assert "/C" not in annot
            assert int(annot.F) & 4  # printed with the page, as PDF/A requires


def _walk(obj: object, seen: set[tuple[int, int]]):
    """Every dictionary and stream reachable from `obj`, once each."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            key = item.objgen
            if key in seen:
                continue
            seen.add(key)
        if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
            yield item
            stack.extend(item[k] for k in item if k not in ("/Parent", "/P"))
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)


def test_report_is_pdf_a_2b_as_far_as_can_be_checked_here(rich_case, case, tmp_path,
                                                          monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    result = build(case, tmp_path / "r.pdf", profile="court")
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(result.path)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "No syntax or stream encoding errors" in check.stdout
    with pikepdf.open(result.path) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's own checks, through pikepdf
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
        root = pdf.Root
        assert str(root.Lang) == "en-GB"

        # XMP: PDF/A-2b identification, and the same facts as the document information.
        info = pdf.docinfo
        assert "/Filter" not in root.Metadata  # PDF/A: the XMP stream is left readable
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == str(info.Title) == "Evidence log: Jane Smith v. harassment"
        assert meta["dc:creator"] == [str(info.Author)] == ["Jane Smith"]
        assert meta["dc:description"] == str(info.Subject)
        assert meta["xmp:CreatorTool"] == str(info.Creator)
        assert meta["pdf:Producer"] == str(info.Producer)
        generated = datetime.fromtimestamp(EPOCH, UTC)
        assert str(info.CreationDate) == str(info.ModDate) == "D:20250315005320+00'00'"
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert datetime.fromisoformat(meta[key]) == generated, key

        # One sRGB output intent, its ICC profile a display profile LittleCMS can read.
        (intent,) = list(root.OutputIntents)
        assert intent.S == pikepdf.Name.GTS_PDFA1
        icc = intent.DestOutputProfile.read_bytes()
        assert int(intent.DestOutputProfile.N) == 3
        assert icc[12:20] == b"mntrRGB " and icc[36:40] == b"acsp"
        assert "sRGB" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))

        # Every font is embedded; nothing is a transparency group.
        fonts = 0
        seen: set[tuple[int, int]] = set()
        for item in _walk(root, seen):
            if item.get("/Type") == pikepdf.Name.Font and "/FontDescriptor" in item:
                fonts += 1
                descriptor = item.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    str(item.get("/BaseFont")))
            if item.get("/Type") == pikepdf.Name.Font and item.get("/Subtype") in (
                    pikepdf.Name.Type1, pikepdf.Name.TrueType):
                assert "/FontDescriptor" in item, str(item.get("/BaseFont"))  # not a base-14 font
            group = item.get("/Group")
            assert not (isinstance(group, pikepdf.Dictionary)
                        and group.get("/S") == pikepdf.Name.Transparency)
        assert fonts >= 5
        assert len(seen) > 50  # the walk went through the pages, not just the catalog


def _latin_case(case, folder: Path) -> None:
    """Incidents, a photo and a screenshot, in the scripts that need no shaping."""
    folder.mkdir()
    when = parse_when("03/03/2025 07:40", "Europe/London")
    first = create_incident(case, when=when, title="Silver Astra outside the house",
                            description="Parked for an hour. Кириллица, Ελληνικά, 我知道.",
                            location="Station Road")
    create_incident(case, when=parse_when("05/03/2025 23:02", "Europe/London"),
                    title="Text messages", description="Three messages after midnight.")
    shot = folder / "Screenshot_20250305-230200.png"
    img = Image.new("RGB", (540, 1170), "white")
    ImageDraw.Draw(img).text((20, 100), "I know where you live", fill="black")
    img.save(shot)
    for path in (photo(folder / "IMG_2041.jpg", (800, 600), "steelblue", "car"), shot):
        assert [e.item.status for e in import_files(case, [path], first) if e.item] == ["imported"]


@pytest.mark.parametrize("profile", ["police", "court", "advocate"])
def test_pikepdf_pdfa_validator_passes_the_report(case, tmp_path, profile):
    _latin_case(case, tmp_path / "files")
    result = build(case, tmp_path / "r.pdf", profile=profile)
    report = pikepdf.pdfa.validate_written(result.path, "2b")
    assert report.passed, "\n".join(str(f) for f in report.findings)


def test_pdfa_validator_passes_a_report_with_arabic(rich_case, case, tmp_path):
    result = build(case, tmp_path / "r.pdf")
    report = pikepdf.pdfa.validate_written(result.path, "2b")
    assert report.passed, "\n".join(str(f) for f in report.findings)


def test_xmp_and_document_information_agree_for_awkward_names(case, tmp_path):
    from evidence_app.core.settings import update_settings

    name = "Smith & Jones <v.> \u201cR\u201d \U0001f52a \u017b\u00f3\u0142w"
    update_settings(case, case_name=name, owner_name="Zo\u00eb O'Brien <zo\u00eb>")
    create_incident(case, when=parse_when("03/03/2025 07:40", "Europe/London"), title="Seen")
    result = build(case, tmp_path / "r.pdf")
    with pikepdf.open(result.path) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["dc:title"].startswith("Evidence log: Smith & Jones <v.> \u201cR\u201d ")
        assert meta["dc:title"].endswith(" \u017b\u00f3\u0142w")
        assert meta["dc:creator"] == [str(pdf.docinfo.Author)] == ["Zo\u00eb O'Brien <zo\u00eb>"]
    report = pikepdf.pdfa.validate_written(result.path, "2b")
    assert report.passed, "\n".join(str(f) for f in report.findings)


def test_colour_profile_bytes_do_not_depend_on_when_they_are_made():
    """LittleCMS stamps a new profile with the current second; the report's must not
    change with it, or two reproducible builds a second apart would differ."""
    import time

    from evidence_app.core.report.archival import srgb_profile

    first = srgb_profile.__wrapped__()
    time.sleep(1.1)  # into another second of the clock
    assert srgb_profile.__wrapped__() == first
