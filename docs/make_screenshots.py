"""Render the app's windows to PNG for the README (offscreen, from the sample case).

    .venv/bin/python docs/make_screenshots.py [OUT_DIR]   (default: docs/)

Uses the sample case (evidence_app.demo.case), as `evidence-app --demo` shows it. Writes
main-window.png, incident-editor.png, viewer.png, inbox.png, search.png and
conversation.png to OUT_DIR, and welcome, people, vehicles, trash, case settings, the
editor's exhibits, group-by-time, group-by-day and an incident's messages to
OUT_DIR/more/ for review. A WhatsApp chat with the sample case's suspect is added to it
first (through core's importer API), so the conversation pictures have one to show. The
pictures of the user guide (docs/user-guide.md) go to OUT_DIR/guide/, taken while doing
what the guide says (the date typed and Enter pressed, pictures chosen in the Inbox, a
search typed).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# The screen of a small laptop (1366x768), as a newcomer has it: every window is sized
# from the screen it is on.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen:configfile=" + os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
    "laptop-screen.json"))
WORK = tempfile.mkdtemp(prefix="evidence-shots-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ["EVIDENCE_APP_HOME"] = os.path.join(WORK, "app")
os.environ["HOME"] = WORK  # so the status bar shows a home-relative folder, as people see it

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from evidence_app.gui.app import build_window, make_application  # noqa: E402
from evidence_app.gui.screen_fit import fit_to_screen  # noqa: E402


def pump(app: QApplication, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def richest_incident(case) -> int:
    """The incident with the most filled in (fields, notes, exhibits, people), to show off."""
    from evidence_app.core import incidents as inc

    def score(incident_id: int) -> int:
        d = inc.get_incident(case, incident_id)
        texts = [d.description, d.suspect_appearance, d.suspect_voice, d.suspect_clothing,
                 d.witnesses, d.impact, d.police_reference, d.police_officer]
        pictures = sum(a.preview for a in d.attachments)
        return (sum(bool(t) for t in texts) * 3 + len(d.notes) + 4 * min(pictures, 1)
                + len(d.people) + len(d.vehicles) + len(d.tags))

    return max((s.id for s in inc.list_incidents(case)), key=score)


def gps_photo(case) -> tuple[int, int]:
    """(incident, row in its gallery) of the first exhibit with a location."""
    from evidence_app.core.attachments import incident_attachments
    from evidence_app.core.incidents import list_incidents

    for incident in list_incidents(case):
        for row, att in enumerate(incident_attachments(case, incident.id)):
            if att.has_gps:
                return incident.id, row
    raise SystemExit("the sample case has no photo with a location")


DEMO_CHAT = [  # (day, "HH:MM", sender, text); "call" is a missed call, "photo" a picture
    (0, "21:40", "Daniel", "Why have you blocked me on Instagram?"),
    (0, "21:41", "Daniel", "I only want to talk"),
    (0, "21:52", "Sarah", "Please stop messaging me. I have said it is over."),
    (0, "22:05", "Daniel", "call"),
    (0, "22:06", "Daniel", "call"),
    (0, "22:09", "Daniel", "Pick up. You owe me that much 😡"),
    (2, "07:58", "Daniel", "Nice coat today"),
    (2, "07:59", "Daniel", "photo"),
    (2, "08:01", "Daniel", "This message was deleted"),
    (2, "08:15", "Daniel", "Don't ignore me Sarah"),
    (2, "23:47", "Daniel", "call"),
    (5, "19:30", "Daniel", "I drove past yours. Your light was on"),
    (5, "19:31", "Daniel", "I know you're home"),
    (5, "19:33", "Daniel", "call"),
    (5, "19:35", "Daniel", "call"),
    (5, "19:40", "Sarah", "If you contact me again I will go to the police."),
    (5, "19:41", "Daniel", "Go on then 😂 they won't do anything"),
    (5, "23:12", "Daniel", "I'll be waiting for you after work tomorrow"),
]


def add_demo_chat(case, folder: Path) -> None:
    """A WhatsApp chat with the sample case's suspect, saved through core's importer API
    as an import would, with Daniel marked a suspect and linked to People."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from evidence_app.core import conversations as conv
    from evidence_app.core.importers.chat import ChatExport, ChatMessage, save_exports
    from evidence_app.core.incidents import list_incidents
    from evidence_app.core.people import list_people
    from evidence_app.demo.media import car_at_night, photo_exif
    from evidence_app.demo.story import OWNER, PLATE

    zone = ZoneInfo(case.settings().timezone)
    last = max(i.occurred_at for i in list_incidents(case) if i.occurred_at is not None)
    start = last.astimezone(zone).date() - timedelta(days=12)
    folder.mkdir(parents=True, exist_ok=True)
    msgs, files = [], {}
    for n, (day, hm, who, text) in enumerate(DEMO_CHAT, 1):
        local = datetime.combine(start + timedelta(days=day),
                                 datetime.strptime(hm, "%H:%M").time(), zone)
        sender = OWNER if who == "Sarah" else "Daniel Hargreaves"
        if text == "call":
            msgs.append(ChatMessage(sender, local, "exact", n, kind="call",
                                    call_direction="incoming", call_status="missed"))
            continue
        names = []
        if text == "photo":
            name = f"IMG-{local:%Y%m%d}-WA0007.jpg"
            car_at_night(PLATE).save(folder / name, "JPEG", quality=85,
                                     exif=photo_exif(local.replace(tzinfo=None)))
            files[name] = folder / name
            names, text = [name], "Thought you'd like to see this"
        msgs.append(ChatMessage(sender, local, "case_zone", n, text=text, files=names))
    path = folder / "WhatsApp Chat with Daniel Hargreaves.txt"
    path.write_text("\n".join(f"{m.sent_at:%d/%m/%Y, %H:%M} - {m.sender}: {m.text}"
                               for m in msgs), encoding="utf-8")
    export = ChatExport("whatsapp", "Daniel Hargreaves", "Daniel Hargreaves", msgs,
                        files=files, owner_names={OWNER})
    list(save_exports(case, path, [export], "whatsapp"))
    [chat] = conv.list_conversations(case)
    dan = next(p for p in list_people(case) if p.name == "Daniel Hargreaves")
    them = next(p for p in chat.participants if not p.is_owner)
    conv.set_participant(case, them.id, is_suspect=True, person_id=dan.id)


def save(widget: QWidget, *paths: Path) -> None:
    picture = widget.grab()
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        picture.save(str(path))
        print("wrote", path)


def show(app: QApplication, window, incident_id: int) -> None:
    view = window.view
    view.timeline.select_incident(incident_id)
    while view.editor.incident_id != incident_id or view.editor.detail is None:
        pump(app, 0.05)
    pump(app, 1.0)


def main() -> None:
    from evidence_app.demo.case import create_demo_case

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    more = out / "more"
    guide = out / "guide"
    app = make_application()
    window = build_window()
    fit_to_screen(window, 1366, 768)
    window.show()
    pump(app, 0.5)
    save(window, more / "welcome.png", guide / "welcome.png")
    folder = Path(WORK) / "Documents" / "Harassment case"
    demo = create_demo_case(folder)
    add_demo_chat(demo, Path(WORK) / "Downloads")
    demo.close()
    window.session.open(folder)
    while window.view is None or not window.view.model.ready:
        pump(app, 0.05)
    view = window.view
    hookup = window.exhibits  # type: ignore[attr-defined]
    case = window.session.case

    # The main window and the editor, on the incident with the most written down.
    show(app, window, richest_incident(case))
    pump(app, 1.5)  # thumbnails arrive from workers
    save(window, out / "main-window.png")
    editor = view.editor.form
    # Thumbnails load for the tiles on screen: show the exhibits first, then the top.
    view.editor.scroll_area.ensureWidgetVisible(editor.notes)
    pump(app, 2.0)
    view.editor.scroll_area.verticalScrollBar().setValue(0)
    pump(app, 0.2)
    save(editor, out / "incident-editor.png", guide / "incident.png")

    # The viewer, on a phone photo that records where it was taken (the GPS warning).
    incident_id, row = gps_photo(case)
    show(app, window, incident_id)
    view.editor.scroll_area.ensureWidgetVisible(hookup.gallery, 0, 40)
    pump(app, 1.0)
    save(window, more / "editor-exhibits.png")
    hookup.gallery.open_viewer(row)
    viewer = hookup.gallery.viewer
    fit_to_screen(viewer, 1366, 768)
    pump(app, 1.5)
    save(viewer, out / "viewer.png")
    viewer.close()

    # Search: the results above the narrowed timeline, the match marked in the editor.
    bar = window.search_bar
    bar.focus_field()
    bar.field.setText("silver astra")
    search = window.case_search()
    while search.controller.results is None:
        pump(app, 0.05)
    pump(app, 0.8)
    results = search.results.list
    items = [results.item(r) for r in range(results.count())]
    # Open a result found in the details, so the editor shows the words marked.
    chosen = next((i for i in items if i.data(Qt.ItemDataRole.UserRole).field == "details"),
                  items[0] if items else None)
    if chosen is not None:
        results.setCurrentItem(chosen)
        results.scrollToItem(chosen)
        results.itemActivated.emit(chosen)
    pump(app, 1.2)
    save(window, out / "search.png", guide / "search.png")
    search.clear()
    pump(app, 0.8)

    # The Inbox, two screenshots chosen; then what "Group by time" proposes.
    from evidence_app.gui.models.timeline import IncidentRole

    show(app, window, view.model.index(1).data(IncidentRole).id)  # the newest, at the top
    hookup.show_inbox(True)
    pump(app, 1.5)
    inbox = hookup.inbox
    model = inbox.model
    for r in range(min(2, model.rowCount())):
        inbox.view.selectionModel().select(model.index(r),
                                           inbox.view.selectionModel().SelectionFlag.Select)
    pump(app, 0.3)
    save(window, out / "inbox.png", guide / "inbox.png")
    inbox.view.clearSelection()
    inbox.group_by_time()
    pump(app, 1.0)
    save(inbox.review, more / "group-by-time.png", guide / "group-by-time.png")
    inbox.review.reject()
    hookup.show_inbox(False)

    # Conversations: the chat as the phone shows it, a day's messages chosen; then
    # Group by day's review, and the incident made from the chosen messages.
    chats = window.conversations  # type: ignore[attr-defined]
    chats.show_page(True)
    page = chats.page
    while not page.view.model.ready or not page.view.chart.days:
        pump(app, 0.05)
    pump(app, 1.0)
    chat = page.view
    rows = [r for r in range(chat.model.rowCount()) if chat.model.message_at(r) is not None]
    chosen = [r for r in rows if chat.model.message_at(r).day == chat.model.message_at(
        rows[0]).day]
    selection = chat.list.selectionModel()
    for r in chosen:
        selection.select(chat.model.index(r), selection.SelectionFlag.Select)
    chat.list.scrollTo(chat.model.index(chosen[0]))
    pump(app, 0.8)
    save(window, out / "conversation.png")
    chat.group_button.click()
    while chats.dialog is None or chats.dialog.tree.topLevelItemCount() == 0:
        pump(app, 0.05)
    pump(app, 0.3)
    save(chats.dialog, more / "group-by-day.png")
    chats.dialog.reject()
    chat.new_button.click()
    while view.editor.incident_id is None or not chats.panel.isVisible():
        pump(app, 0.05)
    pump(app, 1.0)
    view.editor.scroll_area.ensureWidgetVisible(chats.panel, 0, 40)
    pump(app, 0.5)
    save(window, more / "incident-messages.png")

    # Typing a date as people write it, understood in words.
    show(app, window, richest_incident(case))
    pump(app, 0.5)
    # As the guide says: type it, press Enter, and the pickers show what was understood.
    from PySide6.QtTest import QTest

    when = view.editor.form.when
    when.typed.setFocus()
    QTest.keyClicks(when.typed, "yesterday 9pm")
    QTest.keyClick(when.typed, Qt.Key.Key_Return)
    pump(app, 0.5)
    save(when, more / "typed-date.png", guide / "typed-date.png")
    window.act_undo.trigger()  # the incident keeps its date for the pictures that follow
    pump(app, 0.5)
    when.typed.clear()

    # The report window: options, the preview, and every button on screen.
    window.report()
    from PySide6.QtPdf import QPdfDocument

    from evidence_app.gui.dialogs.report_dialog import ReportDialog

    report = next(w for w in app.topLevelWidgets() if isinstance(w, ReportDialog))
    deadline = time.time() + 120
    while report.document.status() != QPdfDocument.Status.Ready and time.time() < deadline:
        pump(app, 0.2)
    pump(app, 1.0)
    save(report, more / "report-dialog.png", guide / "report.png")
    report.reject()

    # The other windows, for review.
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
