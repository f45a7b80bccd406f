"""Done-when of issue 10: every case a person can make gives a report. Cases are drawn
by hypothesis: incidents over up to 30 years (undated and vague ones too), up to 300
exhibits in one incident (phone screenshots, photos, small pictures, files that are
not pictures), fields up to 1 MB, text in every script, emoji, controls and
combining marks. Kept affordable: few examples, and the big cases are drawn rarely."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from evidence_app.core import incidents as inc
from evidence_app.core.cases import create_case
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.report import ReportOptions, ReportResult, build_report
from evidence_app.core.report.options import ImageLayout, Profile
from evidence_app.core.report.scripts import SCRIPTS

TZ = "Europe/London"
FIELDS = ("title", "location", "description", "impact", "witnesses", "suspect_appearance")
SNIPPETS = (
    "أعرف أين تعيش", "میں تمہیں ڈھونڈ لوں گا", "אני יודע איפה את גרה", "मैं तुम्हें ढूंढ लूंगा",
    "আমি তোমাকে খুঁজে পাব", "ฉันรู้ว่าคุณอยู่ที่ไหน", "我知道你住在哪里", "あなたの家を知っている",
    "너 어디 사는지 알아", "Я знаю, где ты живёшь", "Θα σε βρω", "Zażółć gęślą jaźń",
    "ሰላም", "ქართული", "Հայերեն", "தமிழ்", "ಕನ್ನಡ", "සිංහල", "ລາວ", "ខ្មែរ", "ᐃᓄᒃᑎᑐᑦ",
    "ਮੈਂ ਤੈਨੂੰ ਲੱਭ ਲਵਾਂਗਾ", "હું તને શોધી લઈશ", "నేను నిన్ను కనుగొంటాను", "ഞാൻ നിന്നെ കണ്ടെത്തും",
    "ମୁଁ ତୁମକୁ ଖୋଜିବି", "မင်းကို ငါရှာမယ်", "قَالَ إِنَّهُ سَيَقْتُلُنِي", "שֶׁיִּמְצָא אוֹתִי",
    "🔪", "😡", "👍🏽", "👩‍👩‍👧", "🏳️‍🌈", "🇬🇧", "❤️", "1️⃣", "🫠", "\u200d", "\u202e",
    "e\u0301\u0301\u0301", "\t", "\n", "\r\n", " ", "https://example.invalid/" + "x" * 300,
)
# Any letters and marks of each script the report shapes, in any order (a vowel sign
# first, marks stacked on marks), as a person's text or a garbled message may hold.
script_text = st.one_of(*[st.text(st.characters(min_codepoint=lo, max_codepoint=hi),
                                  min_size=1, max_size=12)
                          for script in SCRIPTS for lo, hi in script.ranges])
# Short text: snippets of every script mixed with any Unicode character at all.
short_text = st.lists(st.one_of(st.sampled_from(SNIPPETS), script_text,
                                st.text(st.characters(codec="utf-8"), max_size=12)),
                      max_size=8).map("".join)
# Field sizes and exhibit counts, the large ones rare; 1 MB and 300 exhibits are tried
# on every run, below (a drawn 1 MB of dense emoji and shaped scripts alone would take
# half a minute of CI).
SIZES = (0, 0, 0, 20, 200, 2_000, 20_000, 200_000)
COUNTS = (0, 0, 1, 2, 3, 5, 7)

KINDS = ("screenshot", "photo", "small", "wide", "file")


def _exhibit_file(folder: Path, n: int, kind: str) -> Path:
    """A distinct file of the given kind (each has its own pixels, so its own hash)."""
    colour = (n * 37 % 256, n * 11 % 256, n // 7 % 256)
    if kind == "file":
        path = folder / f"note_{n}.txt"
        path.write_text(f"file {n}")
        return path
    name, size = {"screenshot": (f"Screenshot_2025{n:08d}.png", (72, 156)),
                  "photo": (f"IMG_{n:04d}.jpg", (120, 90)),
                  "small": (f"tiny_{n}.png", (16, 12)),
                  "wide": (f"panorama_{n}.png", (400, 40))}[kind]
    Image.new("RGB", size, colour).save(folder / name)
    return folder / name


@st.composite
def cases(draw):
    """A description of a case: incidents with fields, when, and exhibits."""
    incidents = []
    crowded = draw(st.sampled_from((-1, -1, -1, -1, -1, 0)))  # rarely, 300 in the first
    for number in range(draw(st.integers(1, 4))):
        fields = {f: draw(short_text) for f in draw(st.sets(st.sampled_from(FIELDS)))}
        form = draw(st.sampled_from(("%d/%m/%Y 12:%M", "c. %d/%m/%Y", "%B %Y", None)))
        when = draw(st.datetimes(datetime(1996, 1, 1), datetime(2026, 1, 1)))
        exhibits = 300 if number == crowded else draw(st.sampled_from(COUNTS))
        kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
        incidents.append((fields, None if form is None else when.strftime(form),
                          [kinds[k % len(kinds)] for k in range(exhibits)]))
    big = draw(st.sampled_from(SIZES))  # the last incident's account this long
    seed = draw(short_text.filter(lambda t: t.strip()))
    profile = draw(st.sampled_from(list(Profile)))
    layout = draw(st.sampled_from(list(ImageLayout)))
    return incidents, big, seed, profile, layout


# The extremes, every run: 30 years apart, 300 exhibits of every kind in one incident
# titled in every script, a 1 MB account with every script in it, the court copy (with
# its audit appendix). (The 1 MB account is not under the long title in every script:
# the running header shapes the title again on each of its 400 pages, 40 s here.)
ACCOUNT = "He parked opposite the house again and watched the door for an hour. " * 1400
EXTREME = ([({"title": "".join(SNIPPETS), "location": "".join(SNIPPETS[:20])},
             "01/01/1996 12:00", list(KINDS) * 60),
            ({"description": "🔪"}, "31/12/2025 12:00", ["screenshot"] * 4)],
           1_000_000, ACCOUNT + " ".join(SNIPPETS), Profile.COURT, ImageLayout.FULL)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
@example(EXTREME)
def test_every_generated_case_gives_a_report(drawn):
    incidents, big, seed, profile, layout = drawn
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "files").mkdir()
        case = create_case(folder / "case", owner_name="Jane Smith", initials="JS",
                           case_name="Generated")
        try:
            expected_exhibits = 0
            serial = 0
            for number, (fields, when, kinds) in enumerate(incidents):
                if number == len(incidents) - 1 and big:
                    fields = {**fields, "description": (seed * (big // len(seed) + 1))[:big]}
                if "title" in fields and not fields["title"].replace("\x00", "").strip():
                    # An empty title is refused; an incident without one is the app's
                    # blank New incident.
                    fields = {k: v for k, v in fields.items() if k != "title"}
                incident = inc.create_incident(
                    case, when=parse_when(when, TZ) if when else None, **fields)
                files = []
                for kind in kinds:
                    files.append(_exhibit_file(folder / "files", serial, kind))
                    serial += 1
                done = [e.item for e in import_files(case, files, incident) if e.item]
                assert all(r.status == "imported" for r in done), done
                expected_exhibits += len(files)
            options = ReportOptions.for_profile(profile).with_changes(image_layout=layout)
            out = folder / "report.pdf"
            events = list(build_report(case, options, out))
            result = events[-1].item
            assert isinstance(result, ReportResult)
            assert result.incidents == len(incidents)
            assert result.exhibits == expected_exhibits
            reader = PdfReader(out)
            assert len(reader.pages) == result.pages >= 3
            if big < 100_000:  # reading a few hundred pages back costs more than the build
                text = "\n".join(page.extract_text() for page in reader.pages)
                # Whole hashes; not the log's head (on the cover in groups of eight, in
                # the audit appendix after "EVENTS:").
                hashes = {a for a in re.findall(r"(?<![:0-9a-f])[0-9a-f]{64}", text)}
                assert len(hashes) == expected_exhibits  # every exhibit, its hash whole
        finally:
            case.close()
