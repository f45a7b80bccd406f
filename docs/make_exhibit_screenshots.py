"""Render the exhibit viewer and the Inbox to PNG for the README (offscreen).

    .venv/bin/python docs/make_exhibit_screenshots.py [OUT_DIR]   (default: docs/)

Uses the sample case (evidence_app.core.demo.create_demo_case) when this build has it;
otherwise a small realistic case is made here with generated photos and message
screenshots. Writes viewer.png and inbox.png to OUT_DIR, and editor-exhibits.png,
group-by-time.png and import-summary.png to OUT_DIR/more/ for review.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["EVIDENCE_APP_HOME"] = tempfile.mkdtemp(prefix="evidence-shots-")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from evidence_app.gui.app import build_window, make_application  # noqa: E402

FONT_PATHS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf", "arial.ttf"]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def message_screenshot(path: Path, sender: str, lines: list[tuple[bool, str, str]]) -> Path:
    """A phone messaging screenshot: (from me?, text, time) bubbles."""
    w, h = 720, 1480
    img = Image.new("RGB", (w, h), "#eef1f4")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 150), fill="#24584b")
    d.text((40, 70), sender, fill="white", font=_font(40))
    y, body, small = 200, _font(30), _font(22)
    for mine, text, stamp in lines:
        words, rows, row = text.split(), [], ""
        for word in words:
            if d.textlength(row + " " + word, font=body) > 440:
                rows.append(row)
                row = word
            else:
                row = (row + " " + word).strip()
        rows.append(row)
        bh = 40 * len(rows) + 60
        x0 = w - 40 - 500 if mine else 40
        d.rounded_rectangle((x0, y, x0 + 500, y + bh), 26, fill="#d9f2df" if mine else "white")
        for i, r in enumerate(rows):
            d.text((x0 + 28, y + 22 + 40 * i), r, fill="#1b1e21", font=body)
        d.text((x0 + 500 - 90, y + bh - 34), stamp, fill="#6b7378", font=small)
        y += bh + 28
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")
    return path


def street_photo(path: Path, taken: datetime, gps: tuple[float, float] | None,
                 shift: int = 0) -> Path:
    """An evening street with terraced houses and a parked silver hatchback, with the
    EXIF a phone writes (time, camera, GPS)."""
    from PIL import ImageFilter

    from tests.sample_images import EXIF_IFD, GPS_IFD, _dms

    w, h = 1600, 1200
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h // 2):  # dusk sky
        t = y / (h / 2)
        d.line((0, y, w, y), fill=(int(70 + 90 * t), int(90 + 80 * t), int(130 + 60 * t)))
    for i, x in enumerate(range(-60 + shift, w, 260)):  # terraced houses
        top = 300 + (i % 2) * 30
        d.rectangle((x, top, x + 260, 720), fill=(120 + (i % 3) * 12, 86, 70))
        d.polygon([(x - 10, top), (x + 125, top - 110), (x + 260, top)], fill=(62, 58, 60))
        for wx in (x + 30, x + 150):
            d.rectangle((wx, top + 70, wx + 70, top + 160),
                        fill=(236, 210, 140) if (i + wx) % 3 == 0 else (58, 70, 84))
        d.rectangle((x + 100, 560, x + 150, 720), fill=(40, 52, 70))
    d.rectangle((0, 720, w, 800), fill=(150, 150, 146))  # pavement
    d.rectangle((0, 800, w, h), fill=(68, 70, 74))  # road
    cx = 560 + shift * 2
    d.rounded_rectangle((cx, 640, cx + 560, 860), 40, fill=(186, 190, 196))  # car body
    d.polygon([(cx + 90, 650), (cx + 170, 560), (cx + 420, 560), (cx + 500, 650)],
              fill=(172, 176, 182))
    d.polygon([(cx + 120, 645), (cx + 185, 575), (cx + 290, 575), (cx + 290, 645)],
              fill=(60, 72, 86))
    d.polygon([(cx + 305, 645), (cx + 305, 575), (cx + 410, 575), (cx + 470, 645)],
              fill=(60, 72, 86))
    for wx in (cx + 120, cx + 440):
        d.ellipse((wx - 55, 800, wx + 55, 910), fill=(28, 28, 30))
        d.ellipse((wx - 25, 830, wx + 25, 880), fill=(120, 120, 124))
    d.rectangle((cx + 230, 820, cx + 330, 846), fill=(236, 236, 220))  # number plate
    d.text((cx + 240, 821), "AB12 CDE", fill=(20, 20, 20), font=_font(20))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise((w, h), 18).convert("RGB")
    img = Image.blend(img, noise, 0.06)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    exif.get_ifd(EXIF_IFD)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(GPS_IFD).update({1: "N" if lat >= 0 else "S", 2: _dms(lat),
                                      3: "E" if lon >= 0 else "W", 4: _dms(lon)})
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", exif=exif.tobytes(), quality=88)
    return path


def add_exhibits(case, folder: Path) -> None:
    from evidence_app.core import incidents as inc
    from evidence_app.core.attachments import incident_attachments, set_caption
    from evidence_app.core.importer import import_files

    rows = inc.list_incidents(case)
    astra = next(i for i in rows if "Astra" in i.title)
    calls = next((i for i in rows if "missed calls" in i.title), rows[0])
    src = folder / "phone"
    car = [street_photo(src / "IMG_2041.jpg", datetime(2025, 1, 4, 21, 41), (51.5586, -1.7812)),
           street_photo(src / "IMG_2042.jpg", datetime(2025, 1, 4, 21, 43), (51.5586, -1.7812),
                        shift=40)]
    list(import_files(case, car, astra.id))
    atts = incident_attachments(case, astra.id)
    set_caption(case, atts[0].id, "Silver Astra AB12 CDE opposite my front door, engine running")
    set_caption(case, atts[1].id, "Same car two minutes later; driver looking at my window")
    log = message_screenshot(src / "Screenshot_20250203-004210.png", "Recent calls", [
        (False, "Withheld number - 17 missed calls", "00:40"),
        (False, "Withheld number - voicemail (0:48)", "00:41")])
    list(import_files(case, [log], calls.id))
    inbox = [
        message_screenshot(src / "Screenshot_20250322-231502.png", "+44 7700 900123", [
            (False, "Why did you change your number?", "23:14"),
            (False, "You can't hide from me Jane", "23:15")]),
        message_screenshot(src / "Screenshot_20250322-232740.png", "+44 7700 900123", [
            (False, "I know you're at your mum's", "23:26"),
            (True, "Leave me alone. I have told the police.", "23:27"),
            (False, "The police can't do anything", "23:27")]),
        message_screenshot(src / "Screenshot_20250322-234105.png", "+44 7700 900123", [
            (False, "Answer me", "23:40"), (False, "ANSWER ME", "23:41")]),
        message_screenshot(src / "Screenshot_20250325-080312.png", "Instagram", [
            (False, "jane.s.real: Hi, is this Jane's friend? Do you know where she lives "
             "now?", "08:02")]),
        street_photo(src / "IMG_2077.jpg", datetime(2025, 3, 26, 18, 12), (51.5601, -1.7790),
                     shift=-120),
        street_photo(src / "IMG_2078.jpg", datetime(2025, 3, 26, 18, 14), (51.5601, -1.7790),
                     shift=-90),
    ]
    list(import_files(case, inbox))


def gps_photo(case) -> tuple[int, int]:
    """(incident, row in its gallery) of the first exhibit with a location."""
    from evidence_app.core.attachments import incident_attachments
    from evidence_app.core.incidents import list_incidents

    for incident in list_incidents(case):
        for row, att in enumerate(incident_attachments(case, incident.id)):
            if att.has_gps:
                return incident.id, row
    raise SystemExit("the sample case has no photo with a location")


def pump(app: QApplication, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    print("wrote", path)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    more = out / "more"
    app = make_application()
    window = build_window()
    window.resize(1280, 800)
    window.show()
    work = Path(tempfile.mkdtemp(prefix="evidence-case-"))
    try:
        from evidence_app.core.demo import create_demo_case  # type: ignore[import-not-found]

        case = create_demo_case(work / "case")
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from make_screenshots import build_case

        case = build_case(work / "case")
        add_exhibits(case, work)
    case.close()
    window.session.open(work / "case")
    while window.view is None or not window.view.model.ready:
        pump(app, 0.05)
    hookup = window.exhibits  # type: ignore[attr-defined]
    view = window.view
    # The viewer shows a phone photo that records where it was taken (the GPS warning).
    incident_id, row = gps_photo(window.session.case)
    view.timeline.select_incident(incident_id)
    pump(app, 1.0)
    view.editor.scroll.ensureWidgetVisible(hookup.gallery, 0, 40)
    pump(app, 1.0)
    save(window, more / "editor-exhibits.png")

    hookup.gallery.open_viewer(row)
    viewer = hookup.gallery.viewer
    viewer.resize(1180, 760)
    pump(app, 1.5)
    save(viewer, out / "viewer.png")
    viewer.close()

    hookup.show_inbox(True)
    pump(app, 1.5)
    inbox = hookup.inbox
    model = inbox.model
    for row in range(min(2, model.rowCount())):
        inbox.view.selectionModel().select(model.index(row),
                                           inbox.view.selectionModel().SelectionFlag.Select)
    pump(app, 0.3)
    save(window, out / "inbox.png")
    inbox.view.clearSelection()
    inbox.group_by_time()
    pump(app, 1.0)
    save(inbox.review, more / "group-by-time.png")
    inbox.review.reject()
    window.session.close()
    window.close()


if __name__ == "__main__":
    main()
