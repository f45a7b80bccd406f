"""Render the app's windows to PNG for the README (offscreen, from a realistic case).

    .venv/bin/python docs/make_screenshots.py [OUT_DIR]   (default: docs/)

Uses the sample case (evidence_app.core.demo) when this build has it, otherwise builds a
small realistic case here. Writes main-window.png and incident-editor.png to OUT_DIR, and
welcome/people/trash/settings/diary pictures to OUT_DIR/more/ for review.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WORK = tempfile.mkdtemp(prefix="evidence-shots-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ["EVIDENCE_APP_HOME"] = os.path.join(WORK, "home")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from evidence_app.gui.app import build_window, make_application  # noqa: E402

INCIDENTS = [
    # when (local), precision, end, title, category, location, description, impact
    ("2025-01-04 21:40", "exact", "", "Silver Astra parked opposite the house", "loitering",
     "Outside home, Elm Road, Swindon",
     "A silver Vauxhall Astra was parked opposite my house with the engine running. I could "
     "see Mark in the driver's seat looking at my front window. He stayed about twenty "
     "minutes and drove off slowly when I opened the curtains.",
     "I did not sleep that night. I now check the street before I leave the house."),
    ("2025-01-11", "day", "", "Flowers left on the doorstep with a card", "gifts_letters",
     "Home", "A bunch of white roses on the doorstep with a card saying 'I'll always be "
     "here'. No name, but it is his handwriting.", "Frightened that he comes to the door."),
    ("2025-01-19 08:15", "circa", "", "Followed from the bus stop to work", "following",
     "Station Road to Commercial Road", "He walked about twenty metres behind me from the "
     "bus stop all the way to the office door. When I turned round he looked away.",
     "I have started taking a taxi to work."),
    ("2025-02-02 23:10", "exact", "", "17 missed calls from a withheld number", "contact_call",
     "", "Between 23:10 and 00:40 my phone rang 17 times from a withheld number.",
     "Phone now on silent at night; I miss calls from family."),
    ("2025-02-01", "month", "", "Fake Instagram account messaging my friends",
     "contact_social", "Online", "An account called jane.s.real messaged six of my friends "
     "asking where I live now.", "Embarrassed and scared; I closed my own account."),
    ("2025-02-14 18:00", "between", "2025-02-14 19:30", "Car seen again outside the gym",
     "loitering", "PureGym car park, Swindon", "The same silver Astra, AB12 CDE, parked "
     "facing the entrance for my whole class.", "I cancelled my gym membership."),
    ("2025-02-22 16:05", "exact", "", "Message through my sister", "third_party",
     "", "My sister received a message from him asking her to 'make Jane see sense'.",
     "Worried for my family."),
    ("2025-03-01 14:30", "exact", "", "Threatening voicemail", "threats", "",
     "Voicemail, 48 seconds: 'You can't hide from me, I know where you are.'",
     "I reported it to the police the same day."),
    ("2025-03-08 07:50", "exact", "", "Tyre slashed on my car", "property_damage",
     "Driveway, Elm Road", "Front left tyre cut on the side wall overnight.",
     "Had to take a day off work; I feel watched."),
    ("2025-03-15 22:30", "circa", "", "Someone tried the back gate", "loitering",
     "Back garden", "Heard the latch rattle; the motion light came on. Someone ran off.",
     "Staying at my mum's this week."),
    ("2025-03-21 12:10", "exact", "", "AirTag found in my coat pocket", "monitoring",
     "Work", "A colleague's phone warned of an unknown AirTag moving with me. Found it "
     "sewn into the lining of my coat.", "Terrified: he has known where I am."),
    ("", "undated", "", "Letter pushed through the door (date unknown)", "gifts_letters",
     "Home", "Found behind the door mat when I moved it. Unsigned, his handwriting.", ""),
]


def pump(app: QApplication, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def build_case(folder: Path):
    from evidence_app.core import incidents as inc
    from evidence_app.core import people as ppl
    from evidence_app.core.case import Case
    from evidence_app.core.dates import parse_when

    try:
        from evidence_app.core.demo import create_demo_case  # type: ignore[import-not-found]
    except ImportError:
        create_demo_case = None
    if create_demo_case is not None:
        return create_demo_case(folder)
    case = Case.create(folder, owner_name="Jane Smith", initials="JS",
                       case_name="Jane Smith: harassment by Mark Davies")
    tz = "Europe/London"
    ids = []
    for when, prec, end, title, cat, loc, desc, impact in INCIDENTS:
        w = parse_when(when, tz, end_text=end,
                       precision=prec if prec in ("month", "between") else None)
        ids.append(inc.create_incident(case, when=w, title=title, category=cat, location=loc,
                                       description=desc, impact=impact))
    suspect = ppl.create_person(case, "Mark Davies", role="suspect",
                                description="Ex-partner. 6ft, short dark hair, beard.")
    witness = ppl.create_person(case, "Mrs Anita Patel", role="witness",
                                description="Neighbour at no. 12")
    officer = ppl.create_person(case, "PC Sarah Hughes 4412", role="officer")
    car = ppl.create_vehicle(case, make="Vauxhall", model="Astra", colour="Silver",
                             plate="AB12 CDE")
    for i in ids[:-1]:
        ppl.link_person(case, i, suspect)
    for i in (ids[0], ids[5]):
        ppl.link_vehicle(case, i, car)
    ppl.link_person(case, ids[0], witness)
    ppl.link_person(case, ids[7], officer)
    inc.update_incident(case, ids[0], suspect_appearance="Grey hoodie, hood up, dark beard",
                        suspect_clothing="Grey hoodie, dark jeans",
                        witnesses="Mrs Patel (no. 12) saw the car from her window",
                        police_reference="54250012345", police_officer="PC Sarah Hughes 4412",
                        reported_on=datetime(2025, 1, 5, tzinfo=UTC).date())
    inc.set_tags(case, ids[0], ["car", "night", "home"])
    inc.add_note(case, ids[0], "Mrs Patel says she is willing to give a statement.")
    inc.add_note(case, ids[0], "Told my mum; she wants me to stay with her.", private=True)
    inc.delete_incident(case, inc.create_incident(case, title="Duplicate entry"))
    return case


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
    pump(app, 0.3)
    save(window, more / "welcome.png")
    folder = Path(WORK) / "case"
    build_case(folder).close()
    window.session.open(folder)
    while window.view is None or not window.view.model.ready:
        pump(app, 0.05)
    view = window.view
    first = next(i for i in view.model.incident_ids()
                 if "Astra" in (view.model.index_of(i).data() or ""))
    view.timeline.select_incident(first)
    pump(app, 0.8)
    save(window, out / "main-window.png")
    editor = view.editor.form
    save(editor, out / "incident-editor.png")
    window.people()
    pump(app, 0.6)
    people = window._tools["people"]
    people.people.list.setCurrentItem(people.people.list.topLevelItem(0))
    pump(app, 0.5)
    save(people, more / "people.png")
    people.tabs.setCurrentIndex(1)
    people.vehicles.list.setCurrentItem(people.vehicles.list.topLevelItem(0))
    pump(app, 0.5)
    save(people, more / "vehicles.png")
    people.close()
    window.trash()
    pump(app, 0.5)
    save(window._tools["trash"], more / "trash.png")
    window._tools["trash"].close()
    window.case_settings()
    pump(app, 0.5)
    from evidence_app.gui.dialogs.case_settings import CaseSettingsDialog

    dialog = next(w for w in app.topLevelWidgets() if isinstance(w, CaseSettingsDialog))
    save(dialog, more / "case-settings.png")
    dialog.close()
    window.session.close()
    window.close()


if __name__ == "__main__":
    main()
