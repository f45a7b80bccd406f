"""Render the app's windows to PNG for the README (offscreen, from a realistic case).

    .venv/bin/python docs/make_screenshots.py [OUT_DIR]   (default: docs/)

Uses the sample case (evidence_app.core.demo). Writes main-window.png and
incident-editor.png to OUT_DIR, and welcome/people/vehicles/trash/settings pictures to
OUT_DIR/more/ for review.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WORK = tempfile.mkdtemp(prefix="evidence-shots-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ["EVIDENCE_APP_HOME"] = os.path.join(WORK, "app")
os.environ["HOME"] = WORK  # so the status bar shows a home-relative folder, as people see it

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from evidence_app.gui.app import build_window, make_application  # noqa: E402


def pump(app: QApplication, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def build_case(folder: Path):
    from evidence_app.core.demo import create_demo_case

    return create_demo_case(folder)


def richest_incident(case) -> int:
    """The incident with the most filled in (fields, notes, exhibits, people), to show off."""
    from evidence_app.core import incidents as inc

    def score(incident_id: int) -> int:
        d = inc.get_incident(case, incident_id)
        texts = [d.description, d.suspect_appearance, d.suspect_voice, d.suspect_clothing,
                 d.witnesses, d.impact, d.police_reference, d.police_officer]
        pictures = sum(a.preview for a in d.attachments)
        return (sum(bool(t) for t in texts) * 2 + len(d.notes) + 10 * min(pictures, 2)
                + len(d.people) + len(d.vehicles) + len(d.tags))

    return max((s.id for s in inc.list_incidents(case)), key=score)


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
    folder = Path(WORK) / "Documents" / "Harassment case"
    build_case(folder).close()
    window.session.open(folder)
    while window.view is None or not window.view.model.ready:
        pump(app, 0.05)
    view = window.view
    shown = richest_incident(window.session.case)
    view.timeline.select_incident(shown)
    while view.editor.incident_id != shown or view.editor.detail is None:
        pump(app, 0.05)
    pump(app, 2.0)  # thumbnails arrive from workers
    save(window, out / "main-window.png")
    editor = view.editor.form
    # thumbnails load for the tiles on screen: show the exhibits first, then the top
    view.editor.scroll.ensureWidgetVisible(editor.notes)
    pump(app, 2.5)
    view.editor.scroll.verticalScrollBar().setValue(0)
    pump(app, 0.2)
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
