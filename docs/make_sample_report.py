"""Make docs/sample-report.pdf and docs/report-page-*.png from a sample case.

    .venv/bin/python docs/make_sample_report.py

Uses the app's demo case (evidence_app.core.demo) when it exists; otherwise builds a
small sample case here. Needs `pdftoppm` (poppler-utils) for the page images.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs"
FONT = ROOT / "evidence_app" / "resources" / "fonts" / "DejaVuSans.ttf"


def _photo(path: Path, when: str, scene: str) -> Path:
    img = Image.new("RGB", (1600, 1200), (120, 140, 160))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 700, 1600, 1200], fill=(70, 70, 75))  # road
    d.rectangle([0, 0, 1600, 320], fill=(170, 195, 220))  # sky
    if scene == "car":
        d.rounded_rectangle([380, 520, 1220, 820], 60, fill=(185, 188, 195))
        d.rectangle([520, 430, 1060, 560], fill=(160, 165, 175))
        for x in (520, 1080):
            d.ellipse([x - 80, 760, x + 80, 920], fill=(25, 25, 25))
        d.rectangle([720, 740, 880, 790], fill=(250, 215, 40))
        d.text((735, 750), "AB12 CDE", fill="black", font=ImageFont.truetype(str(FONT), 26))
    else:
        d.ellipse([500, 380, 1100, 980], fill=(30, 30, 30))
        d.ellipse([680, 560, 920, 800], fill=(140, 140, 140))
        d.polygon([(780, 390), (820, 390), (830, 520), (770, 520)], fill=(200, 40, 40))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    exif[0x8769] = {0x9003: when}
    exif[0x8825] = {1: "N", 2: (51.0, 33.0, 30.0), 3: "W", 4: (1.0, 47.0, 10.0)}
    img.save(path, quality=88, exif=exif)
    return path


def _screenshot(path: Path, messages: list[tuple[str, str]]) -> Path:
    img = Image.new("RGB", (1080, 1900), (236, 229, 221))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 38)
    d.rectangle([0, 0, 1080, 170], fill=(7, 94, 84))
    d.text((40, 70), "Unknown number", fill="white", font=font)
    y = 230
    for time_text, text in messages:
        lines = [text[i:i + 30] for i in range(0, len(text), 30)]
        h = 60 + 48 * len(lines)
        d.rounded_rectangle([40, y, 900, y + h], 24, fill="white")
        for n, line in enumerate(lines):
            d.text((70, y + 20 + 48 * n), line, fill="black", font=font)
        d.text((760, y + h - 40), time_text, fill=(120, 120, 120),
               font=ImageFont.truetype(str(FONT), 26))
        y += h + 30
    img.save(path)
    return path


def build_sample_case(folder: Path):  # type: ignore[no-untyped-def]
    from evidence_app.core.case import Case
    from evidence_app.core.dates import parse_when
    from evidence_app.core.importer import import_files
    from evidence_app.core.incidents import add_note, create_incident, set_tags, update_incident
    from evidence_app.core.people import create_person, create_vehicle, link_person, link_vehicle

    case = Case.create(folder / "case", owner_name="Jane Smith", initials="JS",
                       case_name="Jane Smith: harassment by a former partner",
                       address="14 Acacia Avenue, Swindon SN1 1AA")
    files = folder / "files"
    files.mkdir()
    w = lambda text, **kw: parse_when(text, "Europe/London", **kw)  # noqa: E731
    suspect = create_person(case, "Mark Doe", role="suspect",
                            description="Former partner; 1.80 m, short dark hair")
    car = create_vehicle(case, make="Vauxhall", model="Astra", colour="Silver", plate="AB12 CDE")

    def incident(when, title, category, files_=(), **fields):  # type: ignore[no-untyped-def]
        inc = create_incident(case, when=when, title=title, category=category, **fields)
        if files_:
            list(import_files(case, list(files_), inc))
        return inc

    incident(w("January 2025"), "Flowers left on the doorstep with an unsigned card",
             "gifts_letters", description="A bunch of white lilies, which he always bought me. "
             "The card said \u201cWe are not finished\u201d.", impact="I felt sick and checked "
             "the locks twice.")
    i2 = incident(w("c. 10/02/2025 18:00"), "Followed from the bus stop to my road", "following",
                  location="Station Road to Acacia Avenue", suspect_appearance="Dark coat, hood up",
                  description="He walked about 20 metres behind me and stopped when I stopped.",
                  impact="I now take a taxi home from work.")
    link_person(case, i2, suspect)
    incident(w("14/02/2025 09:00", end_text="14/02/2025 17:00"),
             "Car tyre slashed while I was at work", "property_damage",
             files_=[_photo(files / "IMG_2040.jpg", "2025:02:14 17:20:00", "tyre")],
             location="Staff car park, Westfield Business Park", witnesses="Security guard (Tom)",
             police_reference="WP-2025-004211", police_officer="PC 2231 Khan")
    i4 = incident(w("03/03/2025 07:40"), "Silver Astra parked outside the house", "loitering",
                  files_=[_photo(files / "IMG_2041.jpg", "2025:03:03 07:41:10", "car")],
                  location="Outside home", description="Parked opposite for about an hour with "
                  "the engine running. He was in the driver's seat looking at the house.",
                  suspect_clothing="Grey hoodie", witnesses="Neighbour at no. 16 (Mrs Patel)",
                  impact="I did not take the children to school; I called in sick.")
    link_person(case, i4, suspect)
    link_vehicle(case, i4, car)
    set_tags(case, i4, ["car"])
    add_note(case, i4, "Rang 101 at 08:45 and gave the registration number.")
    add_note(case, i4, "Staying at my sister's until this stops.", private=True)
    update_incident(case, i4, description="Parked opposite for about an hour with the engine "
                    "running. He was in the driver's seat looking at the house. Left at 08:40.")
    incident(w("05/03/2025 23:02"), "Messages from an unknown number", "contact_text",
             files_=[_screenshot(files / "Screenshot_20250305-230200.png", [
                 ("22:58", "I saw you at the window this morning"),
                 ("23:00", "You can't hide at your sister's forever"),
                 ("23:02", "Answer me")])],
             description="Three messages in four minutes. The number is not saved; the way he "
             "writes is the same as before.", police_reference="WP-2025-004211")
    incident(w("20/03/2025 22:15"), "Threat on social media", "threats",
             description="Comment under my sister's photo: \u201cShe'll regret it\u201d.",
             impact="I have stopped going out after dark.")
    incident(None, "Letter pushed through the door, no postmark", "gifts_letters",
             description="Found it behind the door when I came back from my sister's. Handwriting "
             "like his.")
    return case


def main() -> int:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1743465600")  # 1 Apr 2025: a stable sample
    from evidence_app.core.report import ReportOptions, build_report

    work = Path(tempfile.mkdtemp(prefix="sample-report-"))
    try:
        try:
            demo = importlib.import_module("evidence_app.core.demo")
            case = demo.create_demo_case(work / "case")  # type: ignore[attr-defined]
        except (ImportError, AttributeError):
            case = build_sample_case(work)
        out = DOCS / "sample-report.pdf"
        with case:
            for _ in build_report(case, ReportOptions.for_profile("police"), out):
                pass
        for old in DOCS.glob("report-page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(DOCS / "report-page")],
                       check=True)
        print(f"wrote {out} and {len(list(DOCS.glob('report-page-*.png')))} page images")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
