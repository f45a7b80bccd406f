"""Building the evidence report and reading it back as a reader (or pypdf) would."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident
from evidence_app.core.progress import CancelToken
from evidence_app.core.report import ReportOptions, ReportResult, build_report
from evidence_app.core.report.data import WITHHELD
from tests.fixtures.on_disk import original_file
from tests.report.casebuilder import (
    ADDRESS,
    CHINESE,
    CYRILLIC,
    GREEK,
    POLISH,
    PRIVATE_NOTE,
    PUBLIC_NOTE,
)


def build(case, out: Path, **options) -> ReportResult:
    profile = options.pop("profile", "police")
    events = list(build_report(case, ReportOptions.for_profile(profile, **options), out))
    result = events[-1].item
    assert isinstance(result, ReportResult)
    return result


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_police_report_is_chronological_complete_and_private(rich_case, case, tmp_path):
    result = build(case, tmp_path / "r.pdf")
    pages = pages_text(result.path)
    assert result.pages == len(pages) and result.incidents == 7 and result.exhibits == 5
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text
        assert "Jane Smith v. harassment" in text
        assert "Generated" in text
    text = squash("\n".join(pages))
    full = text[text.index("Incidents in full"):]
    titles = ["Flowers left on doorstep", "Followed from the bus stop",
              "Car tyre slashed while at work", "Silver Astra outside the house",
              "Text messages", "Threatening messages", "Card with no postmark"]
    positions = [full.index(t) for t in titles]
    assert positions == sorted(positions), "incidents must appear in the order they happened"
    assert full.index("Undated incidents") < full.index("Card with no postmark")
    assert full.index("Undated incidents") > full.index("Threatening messages")
    # Vague dates stay honest.
    for when in ("January 2025", "10 Feb 2025, c. 18:00", "between 09:00 and 17:00", "Undated"):
        assert when in text
    # The added street is the person's address: withheld in this copy, even in the diff.
    assert "Amended on" in text and "Location: Outside home [+ , [address withheld] +]" in text
    assert "WP-2025-00123" in text and "PC 1234 Jones" in text
    assert PUBLIC_NOTE in text
    # Left out by default when the report may reach the suspect.
    assert PRIVATE_NOTE not in text and "Elm Road" not in text
    assert ADDRESS not in text and "07700 900123" not in text
    assert "Photo location" not in text and "51.5000" not in text
    assert "Left out of this report" in text
    # Every exhibit, with its mark and full hash, in the exhibit list.
    exhibit_list = text[text.index("Exhibit list"):]
    for key, mark in rich_case.marks.items():
        assert mark in exhibit_list, key
        assert rich_case.sha[key] in exhibit_list.replace(" ", ""), key
    assert "PDF document" in exhibit_list and "letter.pdf" in text
    assert "Appendix: audit trail" not in text


def test_personal_copy_includes_private_notes_gps_and_address(rich_case, case, tmp_path):
    text = squash("\n".join(pages_text(build(case, tmp_path / "p.pdf", profile="personal").path)))
    assert PRIVATE_NOTE in text
    assert ADDRESS in text
    assert "Photo location (GPS): 51.50000° N, 1.75000° W" in text
    assert "NOT FOR DISCLOSURE" in text and "meant for the person keeping this log" in text
    assert "Appendix: audit trail" in text


def test_options_override_profile_defaults(rich_case, case, tmp_path):
    text = squash("\n".join(pages_text(build(case, tmp_path / "x.pdf", profile="personal",
                                             include_private=False, include_gps=False).path)))
    assert PRIVATE_NOTE not in text and "Photo location" not in text
    assert ADDRESS in text


def test_audit_appendix_never_shows_private_note_text(rich_case, case, tmp_path):
    text = squash("\n".join(pages_text(build(case, tmp_path / "c.pdf", profile="court").path)))
    appendix = text[text.index("Appendix: audit trail"):]
    assert "Imported" in appendix and "Changed" in appendix
    assert PUBLIC_NOTE in appendix
    assert PRIVATE_NOTE not in text
    assert WITHHELD in appendix


def test_non_latin_text_and_emoji_are_embedded_and_searchable(rich_case, case, tmp_path):
    result = build(case, tmp_path / "u.pdf")
    text = "\n".join(pages_text(result.path))
    for sample in (GREEK, CYRILLIC, POLISH, CHINESE):
        assert sample in text, sample
    # Emoji no font can draw become readable marks, never a crash or a silent gap.
    assert "[emoji: pouting face, hocho]" in text
    assert "[emoji: thumbs up sign]" in text
    # The very long word wraps instead of running off the page.
    assert squash(text).replace(" ", "").count("x" * 60) >= 4
    reader = PdfReader(result.path)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), \
            f"font {name} is not embedded"


def _images(path: Path) -> list[Image.Image]:
    out = []
    for page in PdfReader(path).pages:
        for image in page.images:
            out.append(Image.open(io.BytesIO(image.data)))
    return out


def test_pictures_are_oriented_and_downscaled(case, tmp_path):
    from tests.report.casebuilder import photo

    incident = create_incident(case, when=parse_when("01/03/2025 10:00", "Europe/London"),
                               title="Car", category="loitering")
    big = photo(tmp_path / "IMG_9999.jpg", (4000, 3000), "navy", "big", make="Google",
                 model="Pixel 8", when="2025:03:01 10:00:00", orientation=8)
    heic = tmp_path / "IMG_1.heic"
    Image.new("RGB", (3000, 4000), "olive").save(heic)
    for path in (big, heic):
        assert [e.item.status for e in import_files(case, [path], incident) if e.item] == ["imported"]
    result = build(case, tmp_path / "img.pdf")
    images = _images(result.path)
    assert len(images) == 2
    for img in images:
        assert img.format == "JPEG"
        assert max(img.size) <= 1300, img.size  # what the printed size needs, not 12 MP
        assert img.height > img.width  # orientation 8 turned the 4000x3000 photo upright
    assert result.size < 1_500_000


def test_same_case_and_options_give_identical_bytes(rich_case, case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1742000000")  # 15 Mar 2025 00:53 UTC
    first = build(case, tmp_path / "a.pdf", profile="court")
    second = build(case, tmp_path / "b.pdf", profile="court")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == second.sha256
    assert "Generated 15 Mar 2025, 00:53 GMT" in pages_text(first.path)[0]


def test_filters_by_period_category_and_choice(rich_case, case, tmp_path):
    text = squash("\n".join(pages_text(build(
        case, tmp_path / "f.pdf", date_from=date(2025, 2, 14), date_to=date(2025, 3, 3),
        include_undated=False).path)))
    assert "Car tyre slashed" in text and "Silver Astra" in text
    for absent in ("Flowers left", "Followed from the bus stop", "Threatening messages",
                   "Card with no postmark"):
        assert absent not in text
    assert "incidents from 14 Feb 2025 to 3 Mar 2025" in text
    # A month-precision incident overlaps any period inside its month.
    text = squash("\n".join(pages_text(build(
        case, tmp_path / "m.pdf", date_from=date(2025, 1, 20), date_to=date(2025, 1, 21)).path)))
    assert "Flowers left on doorstep" in text and "Card with no postmark" in text
    text = squash("\n".join(pages_text(build(case, tmp_path / "c.pdf",
                                             categories=("threats",)).path)))
    assert "Threatening messages" in text and "Silver Astra" not in text
    text = squash("\n".join(pages_text(build(case, tmp_path / "i.pdf",
                                             incident_ids=(rich_case.ids["car"],)).path)))
    assert "Silver Astra" in text and "Text messages" not in text
    text = squash("\n".join(pages_text(build(case, tmp_path / "t.pdf", tags=("sighting",)).path)))
    assert "Silver Astra" in text and "Text messages" not in text


def test_long_text_paginates(case, tmp_path):
    story = " ".join(f"Sentence {n} of a very long account." for n in range(1500))
    create_incident(case, when=parse_when("01/03/2025 10:00", "Europe/London"),
                    title="Long", description=story)
    result = build(case, tmp_path / "long.pdf", paper="Letter")
    text = squash("\n".join(pages_text(result.path)))
    assert result.pages >= 8
    assert "Sentence 1499 of a very long account." in text
    assert PdfReader(result.path).pages[0].mediabox.width == 612  # US Letter


def test_empty_case_still_builds(case, tmp_path):
    text = "\n".join(pages_text(build(case, tmp_path / "e.pdf").path))
    assert "No incidents match" in text and "This report has no exhibits." in text


def test_cancel_leaves_no_file(rich_case, case, tmp_path):
    token = CancelToken()
    out = tmp_path / "out" / "cancelled.pdf"
    out.parent.mkdir()
    for event in build_report(case, ReportOptions(), out, cancel=token):
        if event.total:
            token.cancel()
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_missing_original_shows_a_box_not_a_crash(rich_case, case, tmp_path):
    path = original_file(case, rich_case.sha["gps"])
    path.chmod(0o600)
    path.unlink()
    text = "\n".join(pages_text(build(case, tmp_path / "m.pdf").path))
    assert "Picture cannot be shown" in text


def test_unwritable_target_is_a_clear_error(case, tmp_path):
    from evidence_app.core.errors import UserError

    with pytest.raises(UserError, match="does not exist"):
        list(build_report(case, ReportOptions(), tmp_path / "nope" / "r.pdf"))


def test_a_date_only_capture_time_reads_as_a_date(case, tmp_path):
    from tests.report.casebuilder import photo

    incident = create_incident(case, when=parse_when("15/07/2024", "Europe/London"),
                               title="Photo sent on WhatsApp", category="other")
    sent = photo(tmp_path / "IMG-20240715-WA0004.jpg", (800, 600), "teal", "sent")
    assert [e.item.status for e in import_files(case, [sent], incident) if e.item] == ["imported"]
    text = squash("\n".join(pages_text(build(case, tmp_path / "d.pdf").path)))
    assert "Captured: 15 Jul 2024, time not known, from the date in the file name" in text
    exhibit_list = text[text.index("Exhibit list"):]
    assert "15 Jul 2024, time not known" in exhibit_list
    assert "15 Jul 2024, 00:00" not in text and "14 Jul 2024" not in text  # no invented midnight
    # The audit trail shows stored values in UTC, but a date is shown as the date: local
    # midnight on 15 July (BST) is 23:00 UTC on the 14th.
    court = squash("\n".join(pages_text(build(case, tmp_path / "c.pdf", profile="court").path)))
    appendix = court[court.index("Appendix: audit trail"):]
    assert "captured: 2024-07-15 (a date only)" in appendix
    assert "date and time: 2024-07-15; date precision: date only" in appendix  # the incident
    assert "2024-07-14" not in appendix


def test_demo_case_has_no_blank_pages_and_continued_heads(tmp_path, monkeypatch):
    """The sample case (screenshots, photos, a voicemail) paginates without empty pages,
    and a page of exhibits names the incident it continues."""
    from evidence_app.demo.case import create_demo_case

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1743465600")
    with create_demo_case(tmp_path / "demo", today=date(2025, 4, 1)) as demo:
        result = build(demo, tmp_path / "demo.pdf")
    pages = pages_text(result.path)
    for n, page in enumerate(pages, 1):
        body = [line for line in page.splitlines()
                if line.strip() and "Page " not in line and "Generated" not in line
                and "Sarah Mitchell: harassment" not in line and "Evidence log" not in line]
        assert body, f"page {n} of {len(pages)} is blank"
    assert any("(continued)" in page for page in pages)
    assert not any("(continued)" in page for page in pages if "Exhibit list" in page)


def test_a_changed_date_only_incident_date_reads_as_dates_in_the_audit_trail(case, tmp_path):
    """Moving a date-only incident from 15 to 16 July (BST) is recorded as local midnights;
    the appendix must not read '2024-07-14 23:00 UTC -> 2024-07-15 23:00 UTC'."""
    from evidence_app.core.incidents import update_incident

    incident = create_incident(case, when=parse_when("15/07/2024", "Europe/London"),
                               title="Letter through the door", category="other")
    update_incident(case, incident, when=parse_when("16/07/2024", "Europe/London"))
    update_incident(case, incident, when=parse_when("July 2024", "Europe/London"))
    update_incident(case, incident, when=parse_when("17/07/2024 14:30", "Europe/London"))
    court = squash("\n".join(pages_text(build(case, tmp_path / "c.pdf", profile="court").path)))
    appendix = court[court.index("Appendix: audit trail"):]
    assert "date and time: 2024-07-15 \u2192 2024-07-16" in appendix
    assert "date and time: 2024-07-16 \u2192 2024-07; date precision: date only \u2192 month only" \
        in appendix
    assert "date and time: 2024-07 \u2192 2024-07-17 13:30 UTC" in appendix
    assert "2024-07-14" not in appendix and "23:00 UTC" not in appendix
