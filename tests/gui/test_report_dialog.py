"""The Report dialog driven like a person: tick boxes, press buttons, print to a file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit, QMessageBox

from evidence_app.core.dates import parse_when
from evidence_app.core.incidents import create_incident
from evidence_app.gui.dialogs.report_dialog import ReportDialog
from evidence_app.gui.dialogs.report_printing import queue_of
from evidence_app.gui.tasks import CaseOps
from tests.gui.helpers import make_case, report_dialog, wait_open
from tests.report.casebuilder import PRIVATE_NOTE, fill_case

LEFT = Qt.MouseButton.LeftButton


def tick(qtbot, box) -> None:
    """Click a check box on its indicator, where a person clicks."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


@pytest.fixture
def dialog(qtbot, case, tmp_path):
    fill_case(case, tmp_path / "files")
    yield from report_dialog(qtbot, case)


def text_of(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def wait_built(qtbot, dlg, previous: Path | None = None) -> None:
    qtbot.waitUntil(lambda: not dlg.busy and dlg.preview_path != previous, timeout=30000)


def test_opens_with_a_preview_and_the_disclosure_warning(dialog, tmp_path):
    assert "may be shown to the person you are reporting" in dialog.panel.notice.text()
    assert dialog.document.pageCount() == dialog.preview_result.pages >= 8
    assert dialog.preview_path.parent == dialog.ops.case.folder / "cache" / "reports"
    assert not dialog.panel.include_private.isChecked()
    assert PRIVATE_NOTE not in text_of(dialog.preview_path)
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    dialog.grab().save(str(tmp_path / "report-dialog.png"))


def test_ticking_private_notes_and_updating_shows_them(qtbot, dialog):
    previous = dialog.preview_path
    tick(qtbot, dialog.panel.include_private)
    assert "press Update preview" in dialog.status.text()
    qtbot.mouseClick(dialog.update_button, LEFT)
    wait_built(qtbot, dialog, previous)
    assert PRIVATE_NOTE in text_of(dialog.preview_path)
    assert not previous.exists()  # old previews do not pile up in the cache


def test_profile_sets_defaults(qtbot, dialog):
    dialog.panel.profile.setCurrentIndex(dialog.panel.profile.findData("personal"))
    panel = dialog.panel
    assert panel.include_private.isChecked() and panel.include_gps.isChecked()
    assert panel.include_address.isChecked() and panel.layout_two.isChecked()
    assert "not for disclosure" in panel.profile_note.text()
    dialog.panel.profile.setCurrentIndex(dialog.panel.profile.findData("court"))
    assert not panel.include_private.isChecked() and panel.include_audit.isChecked()
    assert "declaration of truth for you to sign and date" in panel.profile_note.text()


def accept_printing_to_file(out, title="Print the evidence report"):
    """Accept the print dialog with "Print to File (PDF)" chosen explicitly, never the
    machine's printers: on a computer with a default printer the dialog would otherwise
    offer that printer, and the test would print on it."""
    box = QApplication.activeModalWidget()
    assert box is not None and box.windowTitle() == title
    [printers] = [c for c in box.findChildren(QComboBox) if c.objectName() == "printers"]
    [to_file] = [i for i in range(printers.count()) if "PDF" in printers.itemText(i)]
    printers.setCurrentIndex(to_file)
    [name] = [e for e in box.findChildren(QLineEdit) if e.objectName() == "filename"]
    name.setText(str(out))
    box.accept()


def assert_printed_to(dialog, out):
    assert dialog.printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    assert dialog.printer.outputFileName() == str(out)
    assert queue_of(dialog.printer) is None  # no printer queue was ever given the job


def test_print_to_file(qtbot, dialog, tmp_path):
    out = tmp_path / "printed.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(out))

    QTimer.singleShot(300, lambda: accept_printing_to_file(out))
    qtbot.mouseClick(dialog.print_button, LEFT)
    assert_printed_to(dialog, out)
    # The pages are painted on a worker thread: the window says so and stays usable.
    assert dialog.busy and "Printing" in dialog.status.text()
    assert not dialog.print_button.isEnabled() and dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60000)
    pages = dialog.document.pageCount()
    assert dialog.status.text() == f"Printed {pages} pages to the file {out}."
    assert len(PdfReader(out).pages) == pages
    assert dialog.print_button.isEnabled()


def test_cancel_printing_sends_nothing(qtbot, dialog, tmp_path):
    out = tmp_path / "cancelled.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(out))
    # Both long-task threads are kept busy, so Cancel is surely pressed before the print
    # job starts painting (otherwise whether a page went out depends on timing).
    release = threading.Event()

    def hold(case, cancel=None):
        release.wait(30)
        yield from ()

    holders = [dialog.ops.task(hold) for _ in range(2)]
    QTimer.singleShot(300, lambda: accept_printing_to_file(out))
    qtbot.mouseClick(dialog.print_button, LEFT)
    assert_printed_to(dialog, out)
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    release.set()
    qtbot.waitUntil(lambda: not dialog.busy and not any(h.running for h in holders),
                    timeout=60000)
    assert dialog.status.text() == "Printing cancelled. Nothing was sent to the printer."
    assert not out.exists()  # not even an empty job
    assert dialog.print_button.isEnabled()


def test_save_as_pdf_copies_the_preview(qtbot, dialog, tmp_path, monkeypatch):
    target = tmp_path / "for the police.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: target.is_file() and "Saved" in dialog.status.text(), timeout=10000)
    assert target.read_bytes() == dialog.preview_path.read_bytes()


def test_saving_or_exporting_into_the_case_folder_is_refused(qtbot, dialog, monkeypatch):
    """Saving over case.db (or into the cache, where previews are swept) must be impossible."""
    case_folder = dialog.ops.case.folder
    db = case_folder / "case.db"
    before = db.read_bytes()
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    for button, target in ((dialog.save_button, db),
                           (dialog.export_button, case_folder / "cache" / "bundle")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, target=target, **k: (str(target), ""))
        qtbot.mouseClick(button, LEFT)
        assert not dialog.busy
    assert len(warned) == 2 and all("outside the case folder" in w for w in warned)
    assert db.read_bytes() == before
    assert not (case_folder / "cache" / "bundle").exists()


def test_save_after_changing_options_rebuilds(qtbot, dialog, tmp_path, monkeypatch):
    target = tmp_path / "personal"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tick(qtbot, dialog.panel.include_private)
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: Path(str(target) + ".pdf").is_file() and not dialog.busy,
                    timeout=30000)
    assert PRIVATE_NOTE in text_of(Path(str(target) + ".pdf"))


def test_export_bundle_from_the_dialog(qtbot, dialog, tmp_path, monkeypatch):
    import subprocess

    target = tmp_path / "bundle"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: dialog.export_box.found is not None, timeout=30000)
    # The photo JS/1 records where it was taken: said before exporting, and asked.
    said = "1 of 5 originals records where it was taken"
    assert said in dialog.export_box.found_label.text()
    tick(qtbot, dialog.export_box.shareable)
    qtbot.mouseClick(dialog.export_button, LEFT)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert len(asked) == 1 and said in asked[0]
    assert (target / "shareable").is_dir() and (target / "exhibits").is_dir()
    assert said in shown[0]
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=target, capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout


def test_export_shareable_copies_only(qtbot, dialog, tmp_path, monkeypatch):
    """Unticking the originals exports copies that reveal nothing, without a question;
    an existing folder is replaced only when the person says so."""
    target = tmp_path / "to-share"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown, asked = [], []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    tick(qtbot, dialog.export_box.originals)
    tick(qtbot, dialog.export_box.shareable)
    assert dialog.export_box.choice() == (False, True)
    qtbot.mouseClick(dialog.export_button, LEFT)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert asked == []
    assert not (target / "exhibits").exists()
    assert sorted(p.name for p in (target / "shareable").iterdir()) == [
        "JS-1_IMG_2041.jpg", "JS-2_IMG_2042.jpg", "JS-3_IMG_3001.jpg",
        "JS-4_Screenshot_20250305-230200.png"]
    from evidence_app.core.media.analysis import identifying

    assert not any(identifying(p).any for p in (target / "shareable").iterdir())
    assert "The original files are not in this bundle." in shown[0]
    # Again into the same folder: asked; "No" leaves it as it was.
    before = (target / "manifest.json").read_bytes()
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert len(asked) == 1 and "already exists" in asked[0] and not dialog.busy
    assert (target / "manifest.json").read_bytes() == before
    # "Yes" replaces it (an earlier export), with the originals this time.
    answer[0] = QMessageBox.StandardButton.Yes
    tick(qtbot, dialog.export_box.originals)
    qtbot.mouseClick(dialog.export_button, LEFT)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=30000)
    assert (target / "exhibits").is_dir()
    # Nothing ticked: said, nothing asked.
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    tick(qtbot, dialog.export_box.originals)
    tick(qtbot, dialog.export_box.shareable)
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert warned and "Tick what to export" in warned[0]


def test_open_in_viewer_opens_the_preview(qtbot, dialog, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(dialog.open_button, LEFT)
    assert [u.toLocalFile() for u in opened] == [str(dialog.preview_path)]


def test_period_filter_and_bad_period(qtbot, dialog, monkeypatch):
    from PySide6.QtCore import QDate

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    tick(qtbot, dialog.panel.limit_period)
    dialog.panel.date_from.setDate(QDate(2025, 3, 1))
    dialog.panel.date_to.setDate(QDate(2025, 2, 1))
    qtbot.mouseClick(dialog.update_button, LEFT)
    assert warnings and "before its start" in warnings[0]
    previous = dialog.preview_path
    dialog.panel.date_to.setDate(QDate(2025, 3, 31))
    qtbot.mouseClick(dialog.update_button, LEFT)
    wait_built(qtbot, dialog, previous)
    text = text_of(dialog.preview_path)
    assert "Silver Astra" in text and "Flowers left on doorstep" not in text


def test_cancel_stops_the_build(qtbot, dialog):
    for n in range(120):
        create_incident(dialog.ops.case, when=parse_when(f"{1 + n % 28}/01/2025 10:00",
                                                         "Europe/London"),
                        title=f"Call {n}", description="He rang again. " * 80)
    previous = dialog.preview_path
    qtbot.mouseClick(dialog.update_button, LEFT)
    assert dialog.cancel_button.isVisible()
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    assert "Cancelled" in dialog.status.text()
    assert dialog.preview_path == previous
    assert sorted(p.name for p in (dialog.ops.case.folder / "cache" / "reports").iterdir()) == \
        [previous.name]


def test_ctrl_p_in_the_main_window_opens_the_report(qtbot, window, tmp_path):
    folder = make_case(tmp_path / "case")
    window.session.open(folder)
    wait_open(qtbot, window)
    assert window.act_report.isEnabled() and window.act_report in window.toolbar.actions()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, ReportDialog) and w.isVisible()
                                for w in window.findChildren(ReportDialog)), timeout=5000)
    dialog = window.findChildren(ReportDialog)[0]
    qtbot.waitUntil(lambda: dialog.preview_path is not None and not dialog.busy, timeout=30000)
    assert dialog.preview_result.incidents == 0
    dialog.reject()


def test_the_report_dialog_goes_with_the_case_it_reports_on(qtbot, window, tmp_path):
    """Closing the case while its report is being built cancels the build and closes the
    dialog: it must never print or save one case's report once another case is open."""
    from tests.gui.helpers import make_case, wait_open

    first = make_case(tmp_path / "first", case_name="First case")
    window.session.open(first)
    wait_open(qtbot, window)
    window.act_report.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ReportDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.handle is not None, timeout=10000)  # building the preview
    window.session.close()
    assert not dialog.isVisible()
    assert not dialog.handle.running

    window.session.open(make_case(tmp_path / "second", case_name="Second case"))
    wait_open(qtbot, window)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, ReportDialog) and w.isVisible()]


def test_cancelling_a_print_says_truly_whether_pages_were_sent(qtbot, dialog, tmp_path):
    """Cancel pressed while the only page is being painted: the dialog never says
    "nothing was sent" about pages that were (a print to a PDF file, or through CUPS,
    cannot be aborted once painted)."""
    out = tmp_path / "printed.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(out))
    dialog.printer.setPrintRange(QPrinter.PrintRange.PageRange)
    dialog.printer.setFromTo(1, 1)
    QTimer.singleShot(300, lambda: accept_printing_to_file(out))
    qtbot.mouseClick(dialog.print_button, LEFT)
    assert_printed_to(dialog, out)
    assert dialog.busy
    dialog.handle.progress.connect(
        lambda event: qtbot.mouseClick(dialog.cancel_button, LEFT)
        if "Printing page 1" in str(event.message) else None)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60000)
    sent = out.exists() and out.stat().st_size > 0 and len(PdfReader(out).pages) > 0
    said_nothing = "Nothing was sent" in dialog.status.text()
    assert said_nothing == (not sent), dialog.status.text()
    if sent:  # a PDF file cannot be called back once its pages are painted
        assert dialog.status.text() in (
            "Printing stopped. 1 page had already gone to the printer and could not be "
            "called back.", f"Printed 1 page to the file {out}.")


def test_the_dialog_says_how_many_incidents_are_still_to_describe(qtbot, case):
    from evidence_app.core.incidents import update_incident

    when = parse_when("12/03/2025 08:20", "Europe/London")
    for title in ("3 screenshots", "Car outside the house", "Threat by text"):
        create_incident(case, when=when, title=title)
    last = create_incident(case, when=when, title="Followed to work")
    update_incident(case, last, category="following")
    ops = CaseOps(case)
    dlg = ReportDialog(ops)
    qtbot.addWidget(dlg)
    dlg.show()
    notice = dlg.panel.describe_notice
    # Three typed Other (one also titled only by its files); the fourth is described.
    qtbot.waitUntil(notice.isVisible, timeout=15000)
    assert notice.text().startswith("<b>3 incidents have no title yet or are typed Other,")
    assert "Show incidents to describe" in notice.text()
    dlg.reject()
    ops.wait_idle()


def test_the_buttons_are_named_as_the_user_guide_names_them(dialog):
    """Section 7 of the guide: **Update preview**, **Print…**, **Save as PDF…**,
    **Export bundle…**, with the same ellipsis as every other "asks more" button."""
    guide = " ".join((Path(__file__).resolve().parents[2] / "docs" / "user-guide.md")
                     .read_text(encoding="utf-8").split())
    for button in (dialog.update_button, dialog.print_button, dialog.save_button,
                   dialog.export_button):
        assert f"**{button.text()}**" in guide, button.text()
    assert not any(b.text().endswith("...") for b in (dialog.print_button,
                                                        dialog.save_button,
                                                        dialog.export_button))


def test_the_window_opens_at_prepared_for_and_tab_goes_through_the_choices(qtbot, dialog):
    from PySide6.QtWidgets import QScrollArea

    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.panel.profile, timeout=5000)
    stops = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
    assert not any(isinstance(w, QScrollArea) for w in stops)
    assert stops[0] is not dialog.panel.profile
