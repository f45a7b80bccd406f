"""Reports read right in every script: joined Arabic, right-to-left lines, Indic syllables.

The PDF is checked the way a reader meets it: the text pypdf and poppler's pdftotext
extract (what search and copy give), where words sit on the page (pdftotext -bbox),
and the glyphs actually drawn.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from evidence_app.core.report import ReportOptions, build_report
from evidence_app.core.report.fonts import markup, register_fonts
from evidence_app.core.report.paragraph import embedding_levels
from evidence_app.core.report.scripts import SCRIPTS
from tests.report.scripts_case import (
    ALONE,
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
    fill_alone_case,
    fill_scripts_case,
)

needs_poppler = pytest.mark.needs_tool("pdftotext")


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


@pytest.fixture
def alone_report(case, tmp_path) -> Path:
    fill_alone_case(case)
    out = tmp_path / "alone.pdf"
    list(build_report(case, ReportOptions.for_profile("police"), out))
    return out


def test_each_script_alone_and_all_mixed_build_and_read_back(alone_report):
    # Gujarati alone used to stop the report with an IndexError from reportlab.
    squeezed = re.sub(r"\s", "", _pypdf_text(alone_report))
    for lang, sample in ALONE.items():
        # Word by word: a reader puts an Arabic line's sentences in its own order.
        for word in re.findall(r"[^\s.।]+", sample):
            assert word in squeezed, (lang, word)
    assert squeezed.count("[kitchenknife]") >= len(ALONE)


def test_a_report_in_every_script_is_pdf_a(alone_report):
    # Widths of shaped glyphs are the font program's own (PDF/A-2 6.2.11.5).
    import pikepdf.pdfa

    report = pikepdf.pdfa.validate_written(alone_report, "2b")
    assert report.passed, "\n".join(str(f) for f in report.findings)


@pytest.mark.parametrize("lang", list(ALONE))
def test_each_script_alone_is_shaped(lang):
    # A paragraph in one script alone (Telugu, Thai...) is shaped like a mixed one.
    register_fonts()
    from reportlab.lib.styles import ParagraphStyle

    from evidence_app.core.report.fonts import SANS
    from evidence_app.core.report.paragraph import ScriptParagraph

    para = ScriptParagraph(markup(ALONE[lang]), ParagraphStyle("t", fontName=SANS))
    codes = "".join(getattr(f, "text", "") for f in para.frags)
    assert re.search("[\U000f0000-\U000ffffd]", codes), lang
    # No letter or mark left unshaped (punctuation and digits are drawn as they are).
    assert not [c for c in codes if unicodedata.category(c)[0] in "LM"], lang


def _drawn_glyphs(pdf: bytes) -> tuple[list[tuple[float, float]], float, float]:
    """(x, rise) of every glyph shown on the first page, from the content stream and
    the fonts' /Widths, as a PDF reader places them (no character or word spacing),
    and where the pen and the rise are at the end."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        fonts = page.Resources.Font
        out: list[tuple[float, float]] = []
        x = end = size = rise = 0.0
        widths: list[float] = []
        first = 0
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "Tf":
                font = fonts[str(operands[0])]
                # (The canvas's initial Helvetica, never drawn with, has no /Widths.)
                widths = [float(w) for w in font.get("/Widths", [])]
                first = int(font.get("/FirstChar", 0))
                size = float(operands[1])
            elif name == "Ts":
                rise = float(operands[0])
            elif name in ("Td", "Tm", "BT"):
                x = 0.0  # each test line is drawn from its own origin
            elif name in ("Tj", "TJ"):
                items = operands[0] if name == "TJ" else [operands[0]]
                for item in items:
                    if isinstance(item, pikepdf.String):
                        for byte in bytes(item):
                            out.append((x, rise))
                            x += widths[byte - first] * size / 1000
                    else:
                        x -= float(item) * size / 1000
                end = x
        return out, end, rise


@pytest.mark.parametrize("word", ["तुम्हें", "હું", "તુમ્હેં", "قَالَ", "شَدَّة", "لا", "שֶׁיִּמְצָא",
                                  "கண்டுபிடிப்பேன்", "నిన్ను", "ให้"])
def test_shaped_glyphs_are_drawn_where_harfbuzz_places_them(word):
    """Each glyph at HarfBuzz's pen position plus offset, the pen at HarfBuzz's total
    advance, the text rise back at the baseline after the word: with /Widths being
    the font program's widths (not HarfBuzz's advances), the moves are all in TJ."""
    import uharfbuzz
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfgen.canvas import Canvas

    from evidence_app.core.report.fonts import FONT_DIR, SANS
    from evidence_app.core.report.paragraph import ScriptParagraph
    from evidence_app.core.report.scripts import script_of

    register_fonts()
    script = script_of(ord(word[0]))
    assert script is not None
    font = getFont(script.font)
    size = 20
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    para = ScriptParagraph(markup(word), ParagraphStyle("t", fontName=SANS, fontSize=size))
    para.wrap(500, 100)
    para.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    drawn, end, rise_after = _drawn_glyphs(buffer.getvalue())
    # What HarfBuzz makes of the word, straight from the font file.
    hb_font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(
        str(FONT_DIR / script.regular_file))))
    buf = uharfbuzz.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
    em = size / hb_font.face.upem
    pen = 0.0
    expected = []
    for pos in buf.glyph_positions:
        expected.append(((pen + pos.x_offset) * em, pos.y_offset * em))
        pen += pos.x_advance
    glyphs = [font.glyph(ord(c)) for c in font.shape(word)]
    if script.rtl:
        glyphs.reverse()
    assert len(drawn) == len(glyphs)
    # The invisible glyphs that carry a ligature's further letters are drawn too;
    # leave them out to compare with HarfBuzz.
    shown = [value for (x, rise), g in zip(drawn, glyphs, strict=True)
             if g is None or g.advance or g.gid != font._space for value in (x, rise)]
    assert shown == pytest.approx([v for pair in expected for v in pair], abs=0.01)
    assert end == pytest.approx(pen * em, abs=0.01)
    assert rise_after == 0


_SCRIPT_PIECES = st.one_of(
    *[st.text(st.characters(min_codepoint=lo, max_codepoint=hi), min_size=1, max_size=10)
      for script in SCRIPTS for lo, hi in script.ranges],
    st.sampled_from([" ", "\n", "🔪", "😡", "abc", "(", ")", "07700", "\u200d", "\u200c",
                     "\u202e", "\u200f", *ALONE.values()]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_SCRIPT_PIECES, min_size=1, max_size=12).map("".join),
       st.booleans(), st.integers(30, 400))
def test_any_letters_and_marks_of_any_script_draw(text, bold, width):
    """Letters and marks of every shaped script in any order (a lowered vowel sign first,
    marks on marks), alone or mixed, as any paragraph of the report, split or whole."""
    register_fonts()
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from evidence_app.core.report.fonts import SANS, SANS_BOLD
    from evidence_app.core.report.paragraph import ScriptParagraph

    style = ParagraphStyle("t", fontName=SANS_BOLD if bold else SANS, fontSize=10)
    canvas = Canvas(io.BytesIO())
    para = ScriptParagraph(markup(text), style)
    para.wrap(width, 800)
    for part in para.split(width, 30) or [para]:
        part.wrap(width, 800)
        part.drawOn(canvas, 10, 10)
    canvas.showPage()
    canvas.save()
