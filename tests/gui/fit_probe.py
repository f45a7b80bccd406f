"""Open every window of the app on the screen this process was given, and say which
buttons lie outside it. Run by test_fits_screen.py in a process of its own, because a
Qt process keeps the screens it started with (QT_QPA_PLATFORM=offscreen:configfile=...).

Prints one JSON object: {window title: [problems]}.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QWidget,
)


def problems(window: QWidget) -> list[str]:
    """Buttons a person could not reach: outside the screen's free area, or hidden
    below the window's own edge."""
    app = QApplication.instance()
    for _ in range(5):
        app.processEvents()
    shots = os.environ.get("FIT_PROBE_SHOTS")  # a folder: also save what each looks like
    if shots:
        window.grab().save(str(Path(shots) / f"{window.windowTitle() or 'window'}.png"))
    avail = window.screen().availableGeometry()
    found = []
    inside = window.geometry()  # offscreen windows have no frame
    if inside.width() > avail.width() or inside.height() > avail.height():
        found.append(f"window {inside.width()}x{inside.height()} on {avail.width()}x"
                     f"{avail.height()}")
    for area in window.findChildren(QScrollArea):
        if area.isVisibleTo(window):
            corner = area.mapTo(window, area.rect().bottomRight())
            if corner.y() > window.height() or area.viewport().height() < 60:
                found.append(f"scroll area {area.objectName() or 'unnamed'} has no room")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text().strip():
            continue
        if button.window() is not window or _scrolled(button, window):
            continue  # a scroll area's content is reached by scrolling; the area is checked
        top_left = button.mapToGlobal(button.rect().topLeft())
        bottom_right = button.mapToGlobal(button.rect().bottomRight())
        name = button.text().replace("\n", " ")
        if not (avail.contains(top_left) and avail.contains(bottom_right)):
            found.append(f"button {name!r} at {top_left.x()},{top_left.y()} outside the screen")
        local = button.mapTo(window, button.rect().bottomRight())
        if local.y() > window.height() or local.x() > window.width():
            found.append(f"button {name!r} below or beside the window's edge")
    found += squashed(window)
    return found


def squashed(window: QWidget) -> list[str]:
    """Fields and buttons pressed flatter than they can be drawn, and wrapped text with
    its last lines cut off: what a window too short for its content does (a dialog Qt
    sizes itself gets at most two thirds of the screen)."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window \
                or _scrolled(widget, window):
            continue
        if isinstance(widget, QAbstractButton) and (
                not widget.text() or isinstance(widget.parentWidget(), QLineEdit)):
            continue  # an icon inside a field (the eye of a passphrase), drawn small
        if isinstance(widget, QComboBox | QLineEdit | QAbstractSpinBox | QAbstractButton):
            # (a pixel or two less is how some styles draw a combo box in a form)
            if widget.height() < widget.minimumSizeHint().height() * 0.8:
                name = getattr(widget, "text", lambda: "")() or widget.accessibleName() \
                    or type(widget).__name__
                found.append(f"{name!r} squashed to {widget.height()} pixels high")
        elif isinstance(widget, QLabel) and widget.wordWrap() and widget.text().strip() \
                and widget.height() < widget.heightForWidth(widget.width()) - 2:
            found.append(f"text {widget.text()[:40]!r} cut off")
    return found


def _answer_message_boxes(asked: list[str]) -> None:
    """A message box's exec() waits for a click nobody makes: say No/Cancel to it."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        asked.append(box.text()[:60])
        box.reject()


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent.parentWidget(), QScrollArea) and parent is parent.parentWidget().viewport():
            return True
        parent = parent.parentWidget()
    return False


def main() -> None:
    from evidence_app.core.attachments import incident_attachments, list_inbox
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.diary_csv import read_diary
    from evidence_app.core.importers.files import ImportResult, import_files
    from evidence_app.core.incidents import create_incident
    from evidence_app.gui.dialogs.about import AboutDialog
    from evidence_app.gui.dialogs.backup_dialog import BackupDialog
    from evidence_app.gui.dialogs.caption_dialog import CaptionDialog
    from evidence_app.gui.dialogs.case_settings import CaseSettingsDialog
    from evidence_app.gui.dialogs.check_evidence import CheckEvidenceDialog
    from evidence_app.gui.dialogs.describe import DescribeDialog
    from evidence_app.gui.dialogs.diary_import import DiaryImportDialog
    from evidence_app.gui.dialogs.group_by_day import GroupByDayDialog
    from evidence_app.gui.dialogs.group_review import GroupReviewDialog
    from evidence_app.gui.dialogs.import_dialog import ImportProgressDialog, ImportSummaryDialog
    from evidence_app.gui.dialogs.incident_picker import IncidentPickerDialog
    from evidence_app.gui.dialogs.passphrase import UnlockDialog
    from evidence_app.gui.dialogs.people import PeopleDialog
    from evidence_app.gui.dialogs.person_forms import PersonDialog, VehicleDialog
    from evidence_app.gui.dialogs.privacy import PrivacyDialog
    from evidence_app.gui.dialogs.protect import ChangePassphraseDialog, ProtectDialog
    from evidence_app.gui.dialogs.protection_help import ProtectionHelpDialog
    from evidence_app.gui.dialogs.recovery_key import RecoveryKeyDialog
    from evidence_app.gui.dialogs.report_dialog import ReportDialog
    from evidence_app.gui.dialogs.restore_dialog import RestoreDialog
    from evidence_app.gui.dialogs.trash import TrashDialog
    from evidence_app.gui.dialogs.user_guide import UserGuide
    from evidence_app.gui.settings import AppSettings
    from evidence_app.gui.tasks import CaseOps
    from evidence_app.gui.thumbs import ThumbnailLoader
    from evidence_app.gui.widgets.viewer import ExhibitViewer
    from tests.sample_images import photo

    _app = QApplication(sys.argv[:1])  # kept alive for the whole probe
    asked: list[str] = []  # message boxes that came up on their own: answered, reported
    watchdog = QTimer()
    watchdog.timeout.connect(lambda: _answer_message_boxes(asked))
    watchdog.start(200)
    folder = Path(tempfile.mkdtemp())
    case = create_case(folder / "case", owner_name="Jane Smith", initials="JS",
                       case_name="Harassment 2025")
    ops = CaseOps(case)
    incident = create_incident(case, when=None, title="Car outside")
    files = [photo(folder / f"IMG_{n}.jpg", datetime(2025, 3, 12, 8, n)) for n in range(1, 4)]
    list(import_files(case, files[:1], incident))
    imported = [r for r in import_files(case, files[1:], None) if isinstance(r, ImportResult)]
    diary = folder / "diary.csv"
    diary.write_text("Date,Time,What happened,Where,How it made me feel\n"
                     "15/03/2025,21:40,He waited outside,Outside work,Scared\n", "utf-8")
    tz = "Europe/London"
    attachment = incident_attachments(case, incident)[0]
    loader = ThumbnailLoader(ops)
    makers = {
        "report": lambda: ReportDialog(ops),
        "case settings": lambda: CaseSettingsDialog(ops),
        "diary import": lambda: DiaryImportDialog(ops, diary, read_diary(diary, tz)),
        "group by time": lambda: GroupReviewDialog(list_inbox(case), tz, loader, "inbox"),
        "people": lambda: PeopleDialog(ops),
        "trash": lambda: TrashDialog(ops, tz),
        "import progress": lambda: ImportProgressDialog("the inbox"),
        "import finished": lambda: ImportSummaryDialog(imported, False, "the Inbox"),
        "incident picker": lambda: IncidentPickerDialog(ops, "Move", "Move to which incident?"),
        "caption": lambda: CaptionDialog(attachment),
        "about": lambda: AboutDialog(folder / "case"),
        "user guide": lambda: UserGuide(),
        "privacy and lock": lambda: PrivacyDialog(AppSettings()),
        "protect": lambda: ProtectDialog(folder / "case"),
        "check my evidence": lambda: CheckEvidenceDialog(ops),
        "protection help": lambda: ProtectionHelpDialog("Esc pressed twice"),
        "back up now": lambda: BackupDialog(ops, AppSettings()),
        "restore a backup": lambda: RestoreDialog(),
        "recovery key": lambda: RecoveryKeyDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789",
                                                  "Harassment 2025"),
        "unlock": lambda: UnlockDialog("Harassment 2025", lambda *_: None, (ValueError,)),
        "change passphrase": lambda: ChangePassphraseDialog(folder / "case"),
        "describe": lambda: DescribeDialog(ops, [incident], loader),
        "person": lambda: PersonDialog(),
        "vehicle": lambda: VehicleDialog(),
        "group by day": lambda: GroupByDayDialog(ops, [(None, "Everyone")], lambda *_: [],
                                                 tz, "the conversation with Mark"),
    }
    report: dict[str, list[str]] = {}
    opened = []  # kept alive: late replies from worker threads still reach them
    for name, make in makers.items():
        window = make()
        opened.append(window)
        window.show()
        for _ in range(2):  # what the window reads (an incident, thumbnails) has arrived
            ops.wait_idle()
            _app.processEvents()
        report[name] = problems(window)
        # Not close(): some dialogs ask "close without ...?" in a QMessageBox, whose
        # exec() would wait for a click that never comes. QDialog.done hides it as Qt
        # would, without the question.
        QDialog.done(window, QDialog.DialogCode.Rejected)
        ops.wait_idle()
        report[name] += [f"a message box {text!r} came up" for text in asked]
        asked.clear()
    viewer = ExhibitViewer(ops, loader)
    viewer.show_items([attachment], 0, tz)
    report["exhibit viewer"] = problems(viewer)
    viewer.close()
    ops.wait_idle()
    case.close()
    report["main window"] = main_window(folder / "case", incident)
    print(json.dumps(report))


def main_window(folder: Path, incident: int) -> list[str]:
    """The main window with the case open and an incident in the editor."""
    import time

    from evidence_app.gui.app import add_features, bare_window
    from evidence_app.gui.settings import AppSettings

    app = QApplication.instance()
    window = bare_window(AppSettings())
    add_features(window)
    window.show()
    window.session.open(folder)
    deadline = time.monotonic() + 60
    while (window.view is None or not window.view.model.ready) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.show_incident(incident)
    editor = window.view.editor
    while editor.detail is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if os.environ.get("FIT_PROBE_TYPE"):  # for a picture of the typed date understood
        editor.form.when.typed.setText(os.environ["FIT_PROBE_TYPE"])
        editor.form.when.typed.returnPressed.emit()
    found = problems(window)
    window.session.close()
    return found


if __name__ == "__main__":
    main()
