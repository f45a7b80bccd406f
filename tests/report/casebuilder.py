"""A case with everything a report must cope with, filled the way a person would fill it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import (
    add_note,
    create_incident,
    finish_recording,
    set_tags,
    update_incident,
)
from evidence_app.core.people import create_person, create_vehicle, link_person, link_vehicle
from evidence_app.core.settings import update_settings

TZ = "Europe/London"
PRIVATE_NOTE = "Private: I am staying at my sister's flat on Elm Road"
PUBLIC_NOTE = "Called 101 and gave the registration number"
ADDRESS = "14 Acacia Avenue, Swindon SN1 1AA"
GREEK = "Ελληνικά: Θα σε βρω"
CYRILLIC = "Кириллица: Я знаю, где ты живёшь"
POLISH = "Zażółć gęślą jaźń"
CHINESE = "我知道你住在哪里"
ARABIC = "أعرف أين تعيش"
LONG_WORD = "https://example.invalid/" + "x" * 300


def _exif(make: str = "", model: str = "", when: str = "", orientation: int | None = None,
          gps: tuple[float, float] | None = None) -> Image.Exif:
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
        exif[0x0110] = model
    if orientation:
        exif[0x0112] = orientation
    if when:
        exif[0x8769] = {0x9003: when, 0x9011: "+00:00"}
    if gps:
        lat, lon = gps
        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: (abs(lat), 0.0, 0.0),
                        3: "E" if lon >= 0 else "W", 4: (abs(lon), 0.0, 0.0)}
    return exif


def photo(path: Path, size: tuple[int, int], colour: str, label: str, **exif: object) -> Path:
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    # A white bar along the top edge shows which way up the picture is.
    draw.rectangle([0, 0, size[0], size[1] // 10], fill="white")
    draw.text((10, size[1] // 2), label, fill="black")
    img.save(path, exif=_exif(**exif))  # type: ignore[arg-type]
    return path


@dataclass
class RichCase:
    case: object
    ids: dict[str, int] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)
    sha: dict[str, str] = field(default_factory=dict)


def _import(case, path: Path, incident: int, rich: RichCase, key: str) -> None:
    results = [e.item for e in import_files(case, [path], incident) if e.item]
    assert results[0].status == "imported", results[0]
    rich.marks[key] = results[0].exhibit
    rich.sha[key] = results[0].sha256


def fill_case(case, folder: Path) -> RichCase:
    """Incidents entered out of order, vague and undated, amended, with every kind of file."""
    folder.mkdir(parents=True, exist_ok=True)
    update_settings(case, address=ADDRESS, contact="07700 900123")
    rich = RichCase(case)
    w = lambda text, **kw: parse_when(text, TZ, **kw)  # noqa: E731
    # Entered out of order: the latest first.
    rich.ids["threat"] = create_incident(
        case, when=w("20/03/2025 22:15"), title="Threatening messages " + GREEK,
        category="threats", description=f"{CYRILLIC}\n{POLISH}\n{CHINESE}\n{ARABIC}\n"
        "He wrote 😡🔪 and 👍🏽 then 😀.", impact="I no longer go out after dark.",
        police_reference="WP-2025-00123", police_officer="PC 1234 Jones")
    rich.ids["car"] = create_incident(
        case, when=w("03/03/2025 07:40"), title="Silver Astra outside the house",
        category="loitering", location="Outside home", description="Parked for an hour. "
        + LONG_WORD, suspect_appearance="Grey hoodie, beard", witnesses="Neighbour at no. 16")
    rich.ids["circa"] = create_incident(
        case, when=w("c. 10/02/2025 18:00"), title="Followed from the bus stop",
        category="following", location="Station Road")
    rich.ids["month"] = create_incident(case, when=w("January 2025"), title="Flowers left on doorstep",
                                        category="gifts_letters")
    rich.ids["between"] = create_incident(
        case, when=w("14/02/2025 09:00", end_text="14/02/2025 17:00"),
        title="Car tyre slashed while at work", category="property_damage")
    rich.ids["undated"] = create_incident(case, title="Card with no postmark", category="gifts_letters")
    rich.ids["text"] = create_incident(case, when=w("05/03/2025 23:02"), title="Text messages",
                                       category="contact_text")
    # An amendment after recording: the person left the incident, then came back to it.
    finish_recording(case, rich.ids["car"])
    update_incident(case, rich.ids["car"], location="Outside home, Acacia Avenue")
    set_tags(case, rich.ids["car"], ["vehicle", "sighting"])
    add_note(case, rich.ids["car"], PUBLIC_NOTE)
    add_note(case, rich.ids["car"], PRIVATE_NOTE, private=True)
    person = create_person(case, "John Doe", role="suspect", description="Former partner")
    link_person(case, rich.ids["car"], person)
    vehicle = create_vehicle(case, make="Vauxhall", model="Astra", colour="Silver", plate="AB12 CDE")
    link_vehicle(case, rich.ids["car"], vehicle)

    _import(case, photo(folder / "IMG_2041.jpg", (800, 600), "steelblue", "GPS car",
                         make="Apple", model="iPhone 13", when="2025:03:03 07:41:10",
                         gps=(51.5, -1.75)), rich.ids["car"], rich, "gps")
    _import(case, photo(folder / "IMG_2042.jpg", (800, 600), "darkgreen", "rotated",
                         make="Apple", model="iPhone 13", when="2025:03:03 07:42:00",
                         orientation=6), rich.ids["car"], rich, "rotated")
    heic = folder / "IMG_3001.heic"
    Image.new("RGB", (640, 480), "darkred").save(heic)
    _import(case, heic, rich.ids["between"], rich, "heic")
    shot = folder / "Screenshot_20250305-230200.png"
    img = Image.new("RGB", (540, 1170), "white")
    ImageDraw.Draw(img).text((20, 100), "I know where you live", fill="black")
    img.save(shot)
    _import(case, shot, rich.ids["text"], rich, "screenshot")
    pdf = folder / "letter.pdf"
    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(str(pdf))
    canv.drawString(100, 700, "A letter")
    canv.save()
    _import(case, pdf, rich.ids["undated"], rich, "pdf")
    return rich
