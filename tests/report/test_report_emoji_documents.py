"""Emoji drawn as they were sent, and PDF exhibits shown by their first page and dated
by the PDF's own creation date (issue 10, items 6 and 7)."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from evidence_app.core.attachments import get_attachment
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.core.media import pdf as pdf_reader
from evidence_app.core.media.analysis import analyse
from evidence_app.core.report import ReportOptions, build_report
from evidence_app.core.report.emoji import everyday_name
from evidence_app.core.report.fonts import markup, plain
from tests.fixtures import pdf_samples

TZ = "Europe/London"
THREAT = "He sent 🔪🔪 then 👍🏽 and later 🔪 again"


def build(case, out: Path, profile: str = "police") -> Path:
    events = list(build_report(case, ReportOptions.for_profile(profile), out))
    return events[-1].item.path


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(path: Path) -> str:
    return squash("\n".join(page.extract_text() for page in PdfReader(path).pages))


def import_one(case, path: Path, incident_id: int) -> int:
    results = [e.item for e in import_files(case, [path], incident_id) if e.item is not None]
    assert len(results) == 1 and results[0].id is not None, results
    return results[0].id


# -- emoji ------------------------------------------------------------------------------

def test_everyday_names_come_from_cldr_never_unicode():
    assert everyday_name("🔪") == "kitchen knife"  # Unicode's name is HOCHO
    assert everyday_name("😡") == "enraged face"  # Unicode's is POUTING FACE
    assert everyday_name("👍🏽") == "thumbs up: medium skin tone"
    assert everyday_name("🇬🇧") == "flag: United Kingdom"
    assert everyday_name("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f") \
        == "flag: Scotland"
    assert everyday_name("1\ufe0f\u20e3") == "keycap: 1"
    assert everyday_name("👨\u200d👩\u200d👧") == "family man woman girl"
    assert plain("a 🔪 b") == "a [emoji: kitchen knife] b"


def test_sequences_are_one_picture_and_text_style_characters_stay_text():
    out = markup("👨\u200d👩\u200d👧 👍🏽 🇬🇧 1\ufe0f\u20e3 ❤\ufe0f ❤ ☺ ✔ ⚡")
    pictures = re.findall(r'<img src="emoji:([0-9a-f-]+)"/>', out)
    # The family, the toned thumb, the flag and the keycap are each one picture (not
    # a man, a woman, a girl; not a thumb and a brown square); the heart with the
    # emoji selector and the high voltage sign (an emoji by default) are pictures too.
    assert pictures == ["1f468-200d-1f469-200d-1f467", "1f44d-1f3fd", "1f1ec-1f1e7",
                        "31-fe0f-20e3", "2764-fe0f", "26a1"]
    # A black heart, a smiley and a tick without the selector are text, as phones show them.
    assert "❤ ☺ ✔" in out


def test_report_draws_the_knife_and_names_it_once_per_incident(case, tmp_path):
    inc = create_incident(case, when=parse_when("20/03/2025 22:15", TZ), title="Threat by text",
                          category="threats", description=THREAT)
    create_incident(case, when=parse_when("21/03/2025 10:00", TZ), title="Second threat",
                    category="threats", description="Again 🔪")
    path = build(case, tmp_path / "r.pdf")
    text = pdf_text(path)
    assert "[emoji" not in text and "hocho" not in text.lower()
    full = text[text.index("Incidents in full"):]
    first = full[:full.index("Second threat")]
    # Named on first use in each incident: once in the first, once again in the second.
    assert first.count("kitchen knife") == 1 and "[thumbs up: medium skin tone]" in first
    assert full.count("kitchen knife") == 2
    # The pictures stand where the emoji were: right after "He sent", on its line.
    found = [box for box in _text_and_images(path, "He sent") if box is not None]
    assert len(found) == 1, "the message was not found in the report once"
    (left, bottom, right, top), images = found[0]
    on_line = [(x0, y0, x1, y1) for x0, y0, x1, y1 in images
               if y0 < top and y1 > bottom and x0 > right and x0 - right < 20]
    assert on_line, (images, (left, bottom, right, top))
    x0, y0, x1, y1 = min(on_line)
    assert 6 < y1 - y0 < 16  # about the size of the letters round it
    assert inc


def _text_and_images(path: Path, words: str) -> list:
    """For each page: None, or the box of the last letter of `words` and every picture's box."""
    out: list = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            textpage = page.get_textpage()
            hit = textpage.search(words).get_next()
            if hit is None:
                out.append(None)
                continue
            start, count = hit
            box = textpage.get_charbox(start + count - 1)
            images = [obj.get_bounds() for obj in
                      page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])]
            out.append((box, images))
    finally:
        pdf.close()
    return out


def test_report_with_emoji_stays_byte_identical(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1742000000")
    create_incident(case, when=parse_when("20/03/2025 22:15", TZ), title="Threat 😡",
                    category="threats", description=THREAT + " 👨\u200d👩\u200d👧 🇬🇧")
    first, second = build(case, tmp_path / "a.pdf"), build(case, tmp_path / "b.pdf")
    assert first.read_bytes() == second.read_bytes()


# -- PDF exhibits -------------------------------------------------------------------------

def _letter(tmp_path: Path, **kwargs) -> Path:
    path = tmp_path / "letter from him.pdf"
    path.write_bytes(pdf_samples.letter_pdf(**kwargs))
    # Copied to this laptop two years after it was written.
    stamp = datetime(2025, 1, 20, 12, 0, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_pdf_letter_is_dated_by_its_creation_date_and_its_first_page_drawn(case, tmp_path):
    inc = create_incident(case, when=parse_when("16/01/2023 08:00", TZ),
                          title="Letter through the door", category="gifts_letters")
    att_id = import_one(case, _letter(tmp_path), inc)
    att = get_attachment(case, att_id)
    assert att.captured_at is not None
    assert att.captured_at.replace(tzinfo=UTC) == datetime(2023, 1, 15, 9, 30, tzinfo=UTC)
    assert att.captured_from == "document"
    assert att.preview_error == "a PDF document, 3 pages"
    path = build(case, tmp_path / "r.pdf")
    text = pdf_text(path)
    assert "Captured: 15 Jan 2023, 09:30 GMT, from the creation date stored in the PDF" in text
    assert "Shown above: page 1 of 3." in text
    assert "cannot be shown on paper" not in text and "20 Jan 2025" not in text
    # The drawn page: a portrait picture, white with dark words on it.
    pages = [p for p in PdfReader(path).pages if "Shown above: page 1 of 3" in p.extract_text()]
    assert len(pages) == 1
    pictures = [Image.open(io.BytesIO(i.data)) for i in pages[0].images]
    big = [p for p in pictures if p.width > 400]
    assert len(big) == 1
    page = big[0].convert("L")
    assert 1.35 < page.height / page.width < 1.48  # A4
    dark = sum(page.histogram()[:100]) / (page.width * page.height)
    assert 0.001 < dark < 0.2


def test_xmp_create_date_is_read_when_the_document_information_has_none(tmp_path):
    facts = pdf_reader.read_pdf(pdf_samples.letter_pdf(
        info_date=False, xmp_created="2022-06-01T10:20:00+01:00"))
    assert facts.created is not None and facts.created.isoformat() == "2022-06-01T10:20:00+01:00"
    assert facts.created_from == "XMP metadata (xmp:CreateDate)" and facts.pages == 3


def test_pdf_dates_are_parsed_with_their_zones():
    parse = pdf_reader.parse_pdf_date
    assert parse("D:20230115093000+01'00'").isoformat() == "2023-01-15T09:30:00+01:00"
    assert parse("D:20230115093000Z").isoformat() == "2023-01-15T09:30:00+00:00"
    assert parse("D:20230115").isoformat() == "2023-01-15T00:00:00"
    assert parse("2023-01-15T09:30:00Z").isoformat() == "2023-01-15T09:30:00+00:00"
    for nonsense in ("", "D:", "yesterday", "D:20231345", "D:00000101000000"):
        assert parse(nonsense) is None, nonsense


HOSTILE = {
    "encrypted": (pdf_samples.encrypted_pdf, "locked with a password"),
    "truncated": (pdf_samples.truncated_pdf, "damaged or incomplete"),
    "no pages": (pdf_samples.zero_pages_pdf, "has no pages"),
    "bomb": (pdf_samples.bomb_pdf, "took too long|the reader stopped"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_pdfs_get_a_reason_never_a_crash_or_a_hang(kind, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "TIME_LIMIT", 10.0)
    make, reason = HOSTILE[kind]
    facts = pdf_reader.read_pdf(make(), 1200)
    assert facts.image is None and re.search(reason, facts.error), facts.error
    # Importing it reads no page (nothing to draw), and says what it is.
    path = tmp_path / "sent.pdf"
    path.write_bytes(make())
    info = analyse(path, "sent.pdf")
    assert info.media_type == "application/pdf" and not info.preview
    assert info.preview_error.startswith("a PDF document")


def test_a_page_tree_claiming_a_billion_pages_is_counted_as_it_is():
    facts = pdf_reader.read_pdf(pdf_samples.huge_count_pdf(), 300)
    assert facts.pages == 1 and facts.image is not None and max(facts.image.size) == 300


def test_report_with_hostile_pdfs_builds_and_says_why_each_is_not_shown(case, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr(pdf_reader, "TIME_LIMIT", 10.0)
    inc = create_incident(case, when=parse_when("20/03/2025 22:15", TZ), title="Files he sent",
                          category="threats")
    for n, kind in enumerate(sorted(HOSTILE)):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(HOSTILE[kind][0]())
        import_one(case, path, inc)
    text = pdf_text(build(case, tmp_path / "r.pdf"))
    assert text.count("The first page cannot be shown:") == len(HOSTILE)
    for kind, (_, reason) in HOSTILE.items():
        assert re.search(reason, text), kind


def test_a_replaced_pdf_original_is_never_drawn_under_its_hash(case, tmp_path):
    inc = create_incident(case, when=parse_when("16/01/2023 08:00", TZ), title="Letter",
                          category="gifts_letters")
    att = get_attachment(case, import_one(case, _letter(tmp_path), inc))
    stored = next(p for p in (case.folder / "originals").rglob("*") if p.is_file()
                  and att.sha256 in p.name)
    stored.chmod(0o644)
    stored.write_bytes(pdf_samples.letter_pdf(pages=1))
    text = pdf_text(build(case, tmp_path / "r.pdf"))
    assert "no longer matches the SHA-256" in text and "Shown above" not in text


# Pieces emoji are built from, and what surrounds them in messages.
_EMOJI_PARTS = ["🔪", "😡", "👍", "\U0001f3fd", "\U0001f3fb", "\u200d", "\ufe0f", "\ufe0e",
                "\u20e3", "1", "#", "❤", "☺", "🇬", "🇧", "🏴", "\U000e0067", "\U000e007f",
                "👨", "👩", "👧", "🫠", "\U0001fae9", " ", "a", "ع", "क", "्", "\n", "[", "]",
                "<", "&"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_EMOJI_PARTS), max_size=40).map("".join))
def test_any_mix_of_emoji_parts_lays_out_and_draws(text):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from evidence_app.core.report.fonts import SANS, register_fonts
    from evidence_app.core.report.paragraph import ScriptParagraph

    register_fonts()
    out = markup(text)
    style = ParagraphStyle("t", fontName=SANS, fontSize=10, leading=13)
    SimpleDocTemplate(io.BytesIO()).build([ScriptParagraph(out, style)])
    assert "hocho" not in out.lower()
