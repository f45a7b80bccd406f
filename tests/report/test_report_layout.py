"""Pictures on paper (issue 10, items 9 and 12): phone screenshots two or three to a row
with their captions, small pictures never enlarged past their pixels, runs of marks as
ranges, hashes never broken, and pictures made once and then only placed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from evidence_app.core import incidents as inc
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.report import ReportOptions, ReportResult, build_report
from tests.fixtures.on_disk import original_file, rendition_files
from tests.fixtures.screens import chat_screenshot

TZ = "Europe/London"
HEX = re.compile(r"[0-9a-f]{16,}")


def build(case, out: Path, profile: str = "police") -> tuple[ReportResult, list[str]]:
    events = list(build_report(case, ReportOptions.for_profile(profile), out))
    result = events[-1].item
    assert isinstance(result, ReportResult)
    return result, [page.extract_text() for page in PdfReader(out).pages]


def placements(pdf: Path) -> list[tuple[int, float, float, float, float]]:
    """Every picture drawn: (page index, x, y, width, height) in points."""
    out = []
    for n, page in enumerate(PdfReader(pdf).pages):
        xobjects = page["/Resources"].get("/XObject", {})
        stack, ctm = [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        from pypdf.generic import ContentStream

        for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                A, B, C, D, E, F = ctm
                ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                       e * A + f * C + E, e * B + f * D + F]
            elif op == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                out.append((n, ctm[4], ctm[5], ctm[0], ctm[3]))
    return out


def caption_positions(pdf: Path, marks: list[str]) -> dict[str, tuple[int, float, float]]:
    """Where each 'Exhibit JS/n' caption starts: (page index, x, y)."""
    found: dict[str, tuple[int, float, float]] = {}
    for n, page in enumerate(PdfReader(pdf).pages):
        def visit(text, cm, tm, _font, _size, n=n):
            mark = text.strip().removeprefix("Exhibit ")
            if text.strip().startswith("Exhibit ") and mark in marks and mark not in found:
                found[mark] = (n, tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])
        page.extract_text(visitor_text=visit)
    return found


def _when(text: str):
    return parse_when(text, TZ)


@pytest.fixture
def screens_case(case, tmp_path):
    """Five phone screenshots, a 160x120 picture and a camera photo in one incident."""
    incident = inc.create_incident(case, title="Messages all evening", when=_when("03/03/2025 21:00"))
    shots = [chat_screenshot(tmp_path / f"Screenshot_2025030{k}-2100{k}.png",
                             (f"Message number {k + 1}", "I know where you live"))
             for k in range(5)]
    small = tmp_path / "tiny.png"
    Image.new("RGB", (160, 120), "orange").save(small)
    photo = tmp_path / "IMG_1000.jpg"
    Image.new("RGB", (2000, 1500), "steelblue").save(photo)
    results = [e.item for e in import_files(case, [*shots, small, photo], incident) if e.item]
    assert [r.status for r in results] == ["imported"] * 7
    return case, {r.exhibit: r for r in results}


def test_phone_screenshots_go_three_then_two_to_a_row_with_their_captions(screens_case, tmp_path):
    case, _ = screens_case
    out = tmp_path / "r.pdf"
    build(case, out)
    marks = [f"JS/{n}" for n in range(1, 8)]
    at = caption_positions(out, marks)
    first_row = {at[m][1:][1] for m in marks[:3]}
    assert len({at[m][0] for m in marks[:3]}) == 1 and len(first_row) == 1  # one row
    assert at["JS/1"][1] < at["JS/2"][1] < at["JS/3"][1]  # side by side, in order
    assert at["JS/4"][2] == at["JS/5"][2] and at["JS/4"][1] < at["JS/5"][1]
    assert (at["JS/4"][0], -at["JS/4"][2]) > (at["JS/3"][0], -at["JS/3"][2])  # next row
    pictures = placements(out)
    shots = sorted(pictures, key=lambda p: (p[0], -p[2], p[1]))[:5]
    widths = {round(p[3]) for p in shots}
    assert len(widths) == 1  # the row of two is set in the same columns as the row of three
    assert widths.pop() < 170 * 72 / 25.4 / 3  # a third of the text width each
    # Each caption sits under its own picture, on the same page.
    for mark, (page, x, y) in at.items():
        if mark in marks[:5]:
            assert any(p[0] == page and abs(p[1] - x) < 1 and p[2] > y for p in shots), mark


def test_a_small_picture_is_never_enlarged_past_150_pixels_an_inch(screens_case, tmp_path):
    case, results = screens_case
    out = tmp_path / "r.pdf"
    _result, pages = build(case, out)
    pictures = placements(out)
    small = [p for p in pictures if abs(p[3] / p[4] - 160 / 120) < 0.01 and p[3] < 100]
    assert len(small) == 1
    assert small[0][3] == pytest.approx(160 * 72 / 150, abs=0.5)  # 27 mm, not 48 ppi
    big = max(p[3] for p in pictures)
    assert big > 200  # the 2000-pixel photo is drawn as large as its box allows


def test_hashes_are_never_broken_inside(screens_case, tmp_path):
    case, results = screens_case
    for profile in ("police", "advocate"):
        out = tmp_path / f"{profile}.pdf"
        _result, pages = build(case, out, profile)
        text = "\n".join(pages)
        for result in results.values():
            sha = result.sha256
            groups = " ".join(sha[i:i + 16] for i in range(0, 64, 16))
            flat = re.sub(r"\s+", " ", text)
            assert sha in flat, "the exhibit list has every hash whole"
            in_captions = flat.count(sha) + flat.count(groups)
            assert in_captions >= 2, (profile, sha)  # the caption too, whole or in groups
        # No hexadecimal run anywhere is a piece of a hash cut at a line end.
        assert {len(run) for run in HEX.findall(text)} <= {16, 64}, profile


def test_runs_of_marks_are_ranges_and_twelve_marks_take_four_lines(case, tmp_path):
    one = inc.create_incident(case, title="Every other photo", when=_when("03/03/2025 10:00"))
    two = inc.create_incident(case, title="The others", when=_when("04/03/2025 10:00"))
    three = inc.create_incident(case, title="Seven in a row", when=_when("05/03/2025 10:00"))
    for k in range(24):
        path = tmp_path / f"P{k}.png"
        Image.new("RGB", (40, 30), (k * 9, 60, 120)).save(path)
        list(import_files(case, [path], one if k % 2 == 0 else two))
    paths = []
    for k in range(7):
        paths.append(tmp_path / f"Q{k}.png")
        Image.new("RGB", (40, 30), (k * 9, 160, 20)).save(paths[-1])
    list(import_files(case, paths, three))
    _result, pages = build(case, tmp_path / "r.pdf")
    chronology = next(p for p in pages if "Chronology" in p)
    assert "JS/25\u2013JS/31" in chronology  # a run as one range
    lines = [line for line in chronology.splitlines() if "JS/" in line]
    assert any("JS/1, JS/3, JS/5" in line for line in lines)  # three marks to a line
    assert sum(line.count("JS/") for line in lines) == 24 + 2
    assert len(lines) <= 4 + 4 + 1


def test_a_second_build_only_places_the_pictures_it_made(screens_case, tmp_path, monkeypatch):
    case, results = screens_case
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, _ = build(case, tmp_path / "first.pdf")
    assert all(rendition_files(case, r.sha256) for r in results.values())

    def no_decoding(*args, **kwargs):
        raise AssertionError("a picture was decoded again")

    monkeypatch.setattr("evidence_app.core.report.images.load_display_image", no_decoding)
    second, pages = build(case, tmp_path / "second.pdf")
    assert "Picture cannot be shown" not in "\n".join(pages)
    assert second.sha256 == first.sha256  # the same pictures, byte for byte
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert case.cache.clear_renditions() >= 7  # safe to delete: made again
    third, _ = build(case, tmp_path / "third.pdf")
    assert third.sha256 == first.sha256


def test_a_swapped_original_is_refused_even_with_its_picture_kept(screens_case, tmp_path):
    case, results = screens_case
    build(case, tmp_path / "first.pdf")
    photo = results["JS/7"]
    assert rendition_files(case, photo.sha256)
    stored = original_file(case, photo.sha256)
    stored.chmod(0o600)
    stored.write_bytes(original_file(case, results["JS/6"].sha256).read_bytes())
    out = tmp_path / "second.pdf"
    _result, pages = build(case, out)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    assert text.count("no longer matches the SHA-256") == 1
    assert len(placements(out)) == 6  # every other picture, not the kept one of JS/7
