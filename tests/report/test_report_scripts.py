"""Reports read right in every script: joined Arabic, right-to-left lines, Indic syllables.

The PDF is checked the way a reader meets it: the text pypdf and poppler's pdftotext
extract (what search and copy give), where words sit on the page (pdftotext -bbox),
and the glyphs actually drawn.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from evidence_app.core.report import ReportOptions, build_report
from evidence_app.core.report.fonts import markup, register_fonts
from evidence_app.core.report.paragraph import embedding_levels
from evidence_app.core.report.scripts import SCRIPTS
from tests.report.scripts_case import (
    AMHARIC,
    ARABIC,
    ARABIC_LAM_ALEF,
    BENGALI,
    GUJARATI,
    HEBREW,
    HINDI,
    MORE_SCRIPTS,
    PERSIAN,
    PUNJABI,
    TAMIL,
    THAI,
    URDU,
    fill_scripts_case,
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) is not installed")


@pytest.fixture
def scripts_report(case, tmp_path) -> Path:
    fill_scripts_case(case)
    out = tmp_path / "scripts.pdf"
    list(build_report(case, ReportOptions.for_profile("personal"), out))
    return out


def _pypdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(path).pages))


def _poppler_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    # pdftotext wraps right-to-left lines in embedding controls; a reader never sees them.
    out = re.sub("[\u202a-\u202e]", "", out)
    return re.sub(r"\s+", " ", out)


def test_every_script_extracts_as_the_characters_typed(scripts_report):
    text = _pypdf_text(scripts_report)
    for sample in (ARABIC, ARABIC_LAM_ALEF, URDU, PERSIAN, HEBREW, HINDI, BENGALI, PUNJABI,
                   GUJARATI, TAMIL, "أحمد خان"):
        assert sample in text, sample
    # pypdf guesses spaces from glyph positions and puts a few inside Odia and Lao
    # words (poppler does not: see the next test); the characters are all there.
    squeezed = re.sub(r"\s", "", text)
    for lang, sample in MORE_SCRIPTS.items():
        assert re.sub(r"\s", "", f"{lang}: {sample}") in squeezed, lang
    # Never a script replaced by the names of its characters.
    assert "[emoji" not in text and "ethiopic" not in text.lower()
    # Never the presentation forms or private codes a naive drawing leaves behind.
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff\ue000-\uf8ff]", text)
    assert not re.search("[\U000f0000-\U000ffffd]", text)


@needs_poppler
def test_poppler_extracts_the_same_words(scripts_report):
    text = _poppler_text(scripts_report)
    for sample in (ARABIC, ARABIC_LAM_ALEF, URDU, HEBREW, HINDI, BENGALI, PUNJABI, GUJARATI,
                   TAMIL, *MORE_SCRIPTS.values()):
        assert sample in text, sample


@needs_poppler
def test_right_to_left_words_run_right_to_left_and_sit_flush_right(scripts_report, tmp_path):
    html = tmp_path / "words.html"
    subprocess.run(["pdftotext", "-bbox", str(scripts_report), str(html)], check=True)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = ElementTree.parse(html).getroot().findall(".//x:page", ns)
    boxes = [(n, w.text, float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")),
              float(w.get("yMax")), float(page.get("width")))
             for n, page in enumerate(pages) for w in page.findall(".//x:word", ns)]
    words = [(text, x0, x1, (n, round(y0)), width) for n, text, x0, x1, y0, _, width in boxes]
    # pdftotext -bbox lists each word's characters in drawing order, left to right.
    drawn = lambda word: word[::-1]  # noqa: E731
    lines: dict[tuple[int, int], list[tuple[str, float, float, float]]] = {}
    for text, x0, x1, y, width in words:
        lines.setdefault(y, []).append((text, x0, x1, width))
    effect_page = next(y[0] for text, _, _, y, _ in words if text == "Effect")
    # The long all-Arabic "Effect on me" paragraph: each line reads from the right
    # (the first word typed is the rightmost) and is set flush right, ragged left.
    long_lines = [ws for (page, _), ws in lines.items()
                  if page == effect_page and any(t == drawn("هذه") for t, *_ in ws)]
    assert len(long_lines) >= 5
    first, second = ARABIC.split()[:2]
    checked = 0
    for ws in long_lines:
        xs = {t: x0 for t, x0, _, _ in ws}
        if drawn(first) in xs and drawn(second) in xs:
            assert xs[drawn(first)] > xs[drawn(second)]
            checked += 1
    assert checked
    right_edges = [max(x1 for _, _, x1, _ in ws) for ws in long_lines]
    left_edges = [min(x0 for _, x0, _, _ in ws) for ws in long_lines]
    width = long_lines[0][0][3]
    assert max(right_edges) - min(right_edges) < 1.5, "flush right"
    assert max(left_edges) - min(left_edges) > 5, "ragged left"
    assert width - max(right_edges) < 65  # the 20 mm margin and the cell padding
    # In an English line the quoted Arabic keeps its own order, inside the quotes.
    page, _, _, _, top, bottom, _ = next(b for b in boxes if b[1] == "sent")
    xs = {t.strip('"'): x0 for n, t, x0, _, y0, y1, _ in boxes
          if n == page and top < (y0 + y1) / 2 < bottom}
    last = ARABIC.split()[-1]
    assert xs["sent"] < xs[drawn(last)] < xs[drawn(first)] < xs["from"]


def test_arabic_is_drawn_joined_and_indic_reordered():
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import getFont

    arabic = getFont(SCRIPTS[0].font)
    word = "تهديد"
    glyphs = [arabic.glyph(ord(c)) for c in arabic.shape(word)]
    nominal = [arabic.face.charToGlyph[ord(c)] for c in word]
    # Joined: initial, medial and final forms, never the isolated letters.
    assert [g.gid for g in reversed(glyphs)] != nominal
    assert "".join(g.text for g in glyphs) == word
    lam_alef = [arabic.glyph(ord(c)) for c in arabic.shape("لا")]
    assert len({g.gid for g in lam_alef if g.advance}) == 1, "lam-alef is one ligature"
    assert "".join(g.text for g in lam_alef) == "لا"

    devanagari = getFont(SCRIPTS[2].font)
    ki = [devanagari.glyph(ord(c)) for c in devanagari.shape("कि")]
    # The vowel sign i is drawn before the consonant it follows in typing, yet the
    # text still reads in typed order.
    assert ki[-1].gid == devanagari.face.charToGlyph[ord("क")]
    assert ki[0].gid != devanagari.face.charToGlyph[ord("क")]
    assert "".join(g.text for g in ki) == "कि"


def test_bidi_levels_pair_brackets_and_numbers():
    text = "Hebrew: אני, 2025 (שלום)."
    levels = embedding_levels(text, rtl_base=False)
    assert len(levels) == len(text)
    # The closing bracket belongs to the Hebrew run (bracket pairs, rule N0) ...
    assert levels[text.index(")")] == 1
    # ... numbers inside right-to-left text keep left-to-right order (level 2) ...
    assert levels[text.index("2")] == 2
    # ... and the final full stop returns to the English paragraph.
    assert levels[-1] == 0


def test_markup_sends_each_script_to_its_font():
    register_fonts()
    out = markup(f"Quote: {ARABIC} / {HINDI} / {HEBREW}")
    assert f'<font name="ReportArabic">{ARABIC}</font>' in out
    assert f'<font name="ReportDevanagari">{HINDI}</font>' in out
    assert f'<font name="ReportHebrew">{HEBREW}</font>' in out
    # Direction marks only matter beside right-to-left text.
    assert "\u200e" not in markup("plain\u200e English")
    # Joiners inside Indic words survive (they choose half forms), elsewhere they go.
    assert "\u200d" in markup("क्\u200dष")


def test_text_no_bundled_font_has_is_named_not_dropped():
    register_fonts()
    from evidence_app.core.report.fonts import plain

    syriac = "\u0710\u0712"  # no bundled font draws Syriac
    assert plain(f"He wrote {syriac} and \U0001F621") == (
        "He wrote [characters no report font has: syriac letter alaph, syriac letter beth]"
        " and [emoji: enraged face]")
    out = markup(f"{AMHARIC} {THAI} {syriac}")
    assert '<font name="ReportEthiopic">' in out and '<font name="ReportThai">' in out
    assert '<font color="#6b7280">[characters no report font has: syriac letter alaph' in out


def test_scripts_stay_byte_identical(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1742000000")
    fill_scripts_case(case)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    list(build_report(case, ReportOptions.for_profile("court"), first))
    list(build_report(case, ReportOptions.for_profile("court"), second))
    assert first.read_bytes() == second.read_bytes()
