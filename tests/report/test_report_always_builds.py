"""The report builds for every case a person can make: years of incidents, a mistyped
year, a hundred exhibits in one incident, very long titles and accounts (issue 10, item
0). Each of these stopped with reportlab's LayoutError before."""

from __future__ import annotations

import re

from PIL import Image
from pypdf import PdfReader

from evidence_app.core import incidents as inc
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.report import ReportOptions, ReportResult, build_report

TZ = "Europe/London"


def build(case, out) -> tuple[ReportResult, str]:
    events = list(build_report(case, ReportOptions.for_profile("police"), out))
    result = events[-1].item
    assert isinstance(result, ReportResult)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    return result, re.sub(r"\s+", " ", text)


def when(text: str):
    return parse_when(text, TZ)


def test_six_years_of_incidents_give_a_year_by_month_grid(case, tmp_path):
    for year in range(2019, 2025):
        for month in range(1, 13):
            inc.create_incident(case, title=f"Seen {month}/{year}",
                                when=when(f"03/{month:02d}/{year} 10:00"))
    result, text = build(case, tmp_path / "r.pdf")
    assert result.incidents == 72
    assert "Incidents by month" in text and "Total" in text
    assert "January 2019" not in text  # not a column of 72 months
    assert "Seen 12/2024" in text


def test_a_mistyped_year_a_century_early_still_builds(case, tmp_path):
    inc.create_incident(case, title="Typed 1925 for 2025", when=when("14/03/1925 21:00"))
    inc.create_incident(case, title="Car outside", when=when("15/03/2025 21:00"))
    result, text = build(case, tmp_path / "r.pdf")
    assert result.incidents == 2
    assert "1925" in text and "2025" in text and "Typed 1925 for 2025" in text


def test_a_hundred_exhibits_in_one_incident(case, tmp_path):
    incident = inc.create_incident(case, title="A hundred screenshots", when=when("03/03/2024"))
    files = []
    for k in range(100):
        path = tmp_path / f"Screenshot_{k:03d}.png"
        Image.new("RGB", (40, 30), (k, 60, 120)).save(path)
        files.append(path)
    list(import_files(case, files, incident))
    result, text = build(case, tmp_path / "r.pdf")
    assert result.exhibits == 100
    assert "JS/1\u2013JS/100" in text  # the chronology names the run, not 100 marks


def test_very_long_title_and_location(case, tmp_path):
    title = " ".join(f"t{i}" for i in range(700))  # about 3,300 characters
    location = " ".join(f"p{i}" for i in range(600))
    inc.create_incident(case, title=title, location=location, when=when("03/03/2024 10:00"))
    _result, text = build(case, tmp_path / "r.pdf")
    assert "t699" in text and "p599" in text


def test_an_account_of_hundreds_of_pages_is_printed_whole(case, tmp_path):
    sentences = [f"Sentence {i} of what he did." for i in range(12_000)]  # about 350 KB
    note = "\n".join(f"Line {i} of a long note." for i in range(3_000))
    incident = inc.create_incident(case, title="Long account", description=" ".join(sentences),
                                   when=when("03/03/2024 10:00"))
    inc.add_note(case, incident, note)
    result, text = build(case, tmp_path / "r.pdf")
    assert result.pages > 100
    # Page furniture (footer, then the next page's header) falls between the words.
    text = re.sub(r"(Incident 1 \(continued\): Long account )?Generated .{0,60}? Page \d+ of "
                  r"\d+ .{0,80}?Evidence log \u2013 Police ", "", text)
    found = {int(n) for n in re.findall(r"Sentence (\d+) of what he did\.", text)}
    assert found == set(range(12_000))  # nothing lost at any of the page breaks
    lines = {int(n) for n in re.findall(r"Line (\d+) of a long note\.", text)}
    assert lines == set(range(3_000))


def test_a_picture_whose_original_was_swapped_is_never_drawn_under_its_hash(case, tmp_path):
    from tests.fixtures.on_disk import original_file

    incident = inc.create_incident(case, title="Car outside", when=when("03/03/2024 10:00"))
    real, other = tmp_path / "IMG_1.jpg", tmp_path / "IMG_2.jpg"
    Image.new("RGB", (400, 300), (200, 30, 30)).save(real)
    Image.new("RGB", (400, 300), (30, 200, 30)).save(other)
    [result] = [e.item for e in import_files(case, [real], incident) if e.item]
    stored = original_file(case, result.sha256)
    stored.chmod(0o600)
    stored.write_bytes(other.read_bytes())  # another photo under the first one's name
    report, text = build(case, tmp_path / "r.pdf")
    assert "Picture cannot be shown" in text
    assert "no longer matches the SHA-256" in text
    images = sum(len(page.images) for page in PdfReader(report.path).pages)
    assert images == 0  # the substitute was not drawn
