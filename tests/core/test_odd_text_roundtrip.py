"""Odd names and text survive import, edit and the report unchanged: very long names,
line breaks, right-to-left overrides (shown visibly where a name is printed), names
Windows reserves, 100,000-character notes."""

import io
import os
import re

import pytest
from fixtures.media_factory import phone_jpeg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from evidence_app.core.attachments import get_attachment, move_attachments, set_caption
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import add_note, create_incident, get_incident, update_incident
from evidence_app.core.names import shown_name
from evidence_app.core.report.document import build_report
from evidence_app.core.report.options import ReportOptions
from evidence_app.core.store.verify import run_verify

RTL_OVERRIDE = "\u202e"
# Pieces that have broken other programs: Windows' reserved device names, direction
# overrides and isolates, zero-width characters, line breaks, combining marks, emoji,
# right-to-left scripts, trailing dots and spaces.
PIECES = ["CON", "PRN", "AUX", "NUL", "COM1", "LPT9", "con.txt", "aux.jpg", RTL_OVERRIDE,
          "\u202d", "\u2066", "\u2069", "\u200b", "\u200f", "\n", "\r\n", "\t", "e\u0301",
          "😡🔪", "👍🏽", "שלום", "مرحبا", "日本語", "..", " .", "~$", "%20", "&amp;", "<b>",
          "'\"", "\\", ":", "*?|"]
NAME_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="/\x00")


@st.composite
def file_names(draw):
    parts = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.text(NAME_CHARS, max_size=12)),
                          min_size=1, max_size=8))
    name = "".join(parts).lstrip(".") or "x"
    if draw(st.booleans()):  # as long as the file system allows
        name = name + "y" * (255 - len((name + ".jpg").encode()))
    name += draw(st.sampled_from([".jpg", ".JPG", "", ".jpg.", ".jpg "]))
    while len(name.encode()) > 255:
        name = name[1:]
    return name.lstrip(".") or "x.jpg"


# Text as typed or pasted: any script, emoji, direction marks, line breaks; never blank
# (a blank note is refused) and no control characters but line breaks and tabs (others
# are removed on the way in, as NUL is).
TEXT = st.text(st.one_of(st.characters(exclude_categories=("Cs", "Cc")),
                         st.sampled_from(["\n", "\t", RTL_OVERRIDE, "\u2066"])),
               max_size=300).map(lambda t: t + " end")


@pytest.mark.skipif(os.name != "posix", reason="names with any character but / need POSIX")
def test_odd_names_and_text_round_trip_through_import_and_edit(tmp_path, case):
    photo = phone_jpeg(tmp_path / "seed.jpg", size=(64, 48), seed=1).read_bytes()
    counter = iter(range(10**9))

    @settings(max_examples=20, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(file_names(), TEXT, TEXT)
    def run(name, caption, words):
        n = next(counter)
        folder = tmp_path / f"f{n}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(photo + n.to_bytes(4, "big"))  # trailing bytes: a new file each time
        [result] = [e.item for e in import_files(case, [path]) if e.item]
        assert result.status == "imported", result
        att = get_attachment(case, result.id)
        assert att.original_name == name
        shown = shown_name(name)
        assert "\n" not in shown and RTL_OVERRIDE not in shown
        assert (RTL_OVERRIDE in name) == ("[U+202E]" in shown)
        set_caption(case, result.id, caption)
        iid = create_incident(case, when=parse_when("12/03/2025 21:00", "Europe/London"),
                              title=words, description=words)
        update_incident(case, iid, location=caption)
        add_note(case, iid, words)
        move_attachments(case, [result.id], iid)
        def kept(stored, typed):  # exactly, or without the spaces around it
            return stored in (typed, typed.strip())

        assert kept(get_attachment(case, result.id).caption, caption)
        incident = get_incident(case, iid)
        assert kept(incident.title, words) and kept(incident.description, words)
        assert kept(incident.location, caption) and kept(incident.notes[-1].text, words)
        assert incident.attachments[0].original_name == name

    run()
    report = run_verify(case)
    assert report.ok, report.problems


def _pdf_text(path):
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_odd_names_and_a_100000_character_note_reach_the_report(tmp_path, case):
    names = [f"invoice{RTL_OVERRIDE}gpj.exe", "CON", "aux.jpg", "first line\nsecond.jpg",
             "x" * 200 + ".jpg", "صورة الباب.jpg", "\u2066hidden\u2069.png"]
    folder = tmp_path / "odd"
    folder.mkdir()
    paths = []
    for i, name in enumerate(names):
        paths.append(phone_jpeg(folder / name, size=(64, 48), seed=10 + i))
    iid = create_incident(case, when=parse_when("12/03/2025 21:00", "Europe/London"),
                          title="Car outside again")
    results = [e.item for e in import_files(case, paths, incident_id=iid) if e.item]
    assert [r.status for r in results] == ["imported"] * len(names)
    words = [f"word{i:05}" for i in range(10_001)]
    note = " ".join(words)[:99_999] + "."
    assert len(note) == 100_000
    add_note(case, iid, note)
    assert get_incident(case, iid).notes[-1].text == note
    out = tmp_path / "report.pdf"
    events = list(build_report(case, ReportOptions.for_profile("police"), out))
    assert events[-1].item is not None
    text = _pdf_text(out)
    flat = re.sub(r"\s+", "", text)
    # Names are printed as they are stored, with what hides or reorders them made visible.
    assert "invoice[U+202E]gpj.exe" in flat
    assert RTL_OVERRIDE not in text
    assert "[U+2066]hidden[U+2069].png" in flat
    assert "first line\\nsecond.jpg".replace(" ", "") in flat
    assert "CON" in text and "aux.jpg" in text
    assert "x" * 200 + ".jpg" in flat
    # The whole note, first word to last.
    assert "word00000" in flat and words[len(note) // 10 - 1][:9] in flat
    assert note[-20:].replace(" ", "") in flat
    assert len(PdfReader(out).pages) > 10
    assert io.BytesIO(out.read_bytes()).getbuffer().nbytes > 0
