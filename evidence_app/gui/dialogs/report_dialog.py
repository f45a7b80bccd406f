"""The Report dialog (Ctrl+P): options, a page preview, Print, Save as PDF, Export, Open.

Every build, and printing, runs off the GUI thread through `CaseOps.task`, with
progress and Cancel.
Preview files live in the case folder's cache (never in a shared temp folder) and are
removed when the dialog closes.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import UserError
from evidence_app.core.report import ReportResult, build_report
from evidence_app.core.report.bundle import BundleResult, export_bundle
from evidence_app.core.report.document import clear_previews, preview_file
from evidence_app.gui.alive import while_alive
from evidence_app.gui.dialogs.export_box import ExportBox, found_text
from evidence_app.gui.dialogs.print_queue import Outcome
from evidence_app.gui.dialogs.report_options import ReportOptionsPanel
from evidence_app.gui.dialogs.report_printing import (
    Printed,
    job_name,
    page_range,
    prepare_printer,
    print_pages,
)
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import CaseOps, TaskHandle
from evidence_app.gui.text import plural


def _to_describe(case: Any) -> int:
    """How many live incidents have no title yet or are typed Other."""
    from evidence_app.core.search.find import SearchFilters, count

    return count(case, "", SearchFilters(to_describe=True))


class ReportDialog(QDialog):
    """Build, preview, print, save and export the evidence report."""

    def __init__(self, ops: CaseOps, selected_ids: list[int] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("Evidence report")
        fit_to_screen(self, 1150, 780)
        self.preview_path: Path | None = None
        self.preview_options: Any = None
        self.preview_result: ReportResult | None = None
        self.handle: TaskHandle | None = None
        self._serial = 0
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)

        self.panel = ReportOptionsPanel(selected_ids)
        ops.read(_to_describe, on_done=while_alive(self, self.panel.show_to_describe))
        self.export_box = ExportBox(ops)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(self.panel)
        ll.addWidget(self.export_box)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(380)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its choices take the focus, not it
        self.panel.profile.setFocus()  # step 1 of the guide: Prepared for

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel("Preparing the preview...")
        self.status.setWordWrap(True)  # a printer's trouble takes a sentence or two
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.cancel_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(status_row)
        rl.addWidget(self.view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 750])

        self.update_button = QPushButton("Update preview")
        self.print_button = QPushButton("Print\u2026")
        self.save_button = QPushButton("Save as PDF\u2026")
        self.export_button = QPushButton("Export bundle\u2026")
        self.open_button = QPushButton("Open in PDF viewer")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        for button in (self.update_button, self.print_button, self.save_button,
                       self.export_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.update_button.clicked.connect(self.update_preview)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_pdf)
        self.export_button.clicked.connect(self.export)
        self.open_button.clicked.connect(self.open_in_viewer)
        self.close_button.clicked.connect(self.reject)
        self.panel.changed.connect(self._options_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        if ops.case.encrypted:
            # The case is protected; what leaves it is an ordinary file.
            plain = QLabel("A saved report or export bundle is an ordinary file, not protected "
                           "by your passphrase: keep it somewhere safe and delete it when it "
                           "is no longer needed.")
            plain.setObjectName("muted")
            plain.setWordWrap(True)
            self.plain_note = plain
            layout.addWidget(plain)
        layout.addLayout(buttons)
        self._set_busy(False)
        QTimer.singleShot(0, self.update_preview)
        QTimer.singleShot(0, self._scan_exports)

    # -- state -------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.handle is not None and self.handle.running

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        has_preview = self.preview_path is not None and not busy
        for button in (self.update_button, self.save_button, self.export_button):
            button.setEnabled(not busy)
        self.print_button.setEnabled(has_preview)
        self.open_button.setEnabled(has_preview)

    def _options_changed(self) -> None:
        if self.preview_path is not None and not self.busy:
            self.status.setText("Options changed: press Update preview to see them.")
        self._scan_exports()

    def _scan_exports(self) -> None:
        # Options that are not valid yet are said when the person acts on them.
        with contextlib.suppress(UserError):
            self.export_box.scan(self.panel.options())

    def _options(self) -> Any:
        try:
            return self.panel.options()
        except UserError as exc:
            QMessageBox.warning(self, "Report options", str(exc))
            return None

    def _run(self, gen_fn: Any, *args: Any, on_result: Any, message: str,
             cancelled: str = "Cancelled. Nothing was saved.",
             failure: str = "The report could not be made.", report_late: bool = False,
             **kwargs: Any) -> None:
        self.status.setText(message)
        self.progress.setRange(0, 0)
        handle = self.ops.task(gen_fn, *args, **kwargs)
        self.handle = handle
        self._set_busy(True)

        def progress(event: Any) -> None:
            if event.total:
                self.progress.setRange(0, event.total)
                self.progress.setValue(event.done)
            if event.message:
                self.status.setText(str(event.message))

        def finished(items: list[Any]) -> None:
            self._set_busy(False)
            # A result that came although Cancel was pressed is real (the pages did go
            # to the printer): say so, rather than that nothing happened.
            if not items or (handle.token.cancelled and not report_late):
                self.status.setText(cancelled)
                return
            on_result(items[-1])

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.status.setText(failure)
            if not self.isVisible():  # closed with its case: nobody is waiting for it
                return
            QMessageBox.warning(self, "Evidence report", str(exc) if isinstance(exc, UserError)
                                else f"Something went wrong: {exc}")

        handle.progress.connect(progress)
        handle.finished.connect(finished)
        handle.failed.connect(failed)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.status.setText("Cancelling...")

    # -- preview -----------------------------------------------------------------
    def update_preview(self) -> None:
        """Build the report with the current options and show it."""
        if self.busy:
            return
        options = self._options()
        if options is None:
            return
        self._serial += 1
        target = preview_file(self.ops.case, f"{self._serial}.pdf")

        def show(result: ReportResult) -> None:
            old = self.preview_path
            self.document.close()
            self.document.load(str(result.path))
            self.preview_path, self.preview_options, self.preview_result = result.path, options, result
            if old is not None and old != result.path:
                old.unlink(missing_ok=True)
            self._set_busy(False)
            self.panel.show_personal(result.personal)
            self.status.setText(f"{plural(result.pages, 'page')}, "
                                f"{plural(result.incidents, 'incident')}, "
                                f"{plural(result.exhibits, 'exhibit')}.")

        self._run(build_report, options, target, on_result=show, message="Building the report...")

    # -- actions -----------------------------------------------------------------
    def save_pdf(self) -> None:
        """Save the report where the person chooses (rebuilt if the options changed)."""
        options = self._options()
        if options is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save the evidence report",
                                              str(Path.home() / "evidence-report.pdf"),
                                              "PDF documents (*.pdf)")
        if not name:
            return
        target = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        if self._inside_case(target, "Save as PDF"):
            return
        if self.preview_path is not None and options == self.preview_options:
            source = self.preview_path

            def failed(exc: BaseException) -> None:
                QMessageBox.warning(self, "Save as PDF", f"Cannot save to {target}: {exc}")

            self.ops.call(lambda: shutil.copyfile(source, target),
                          on_done=lambda _: self.status.setText(f"Saved to {target}"),
                          on_error=failed)
            return
        def saved(result: ReportResult) -> None:
            self.panel.show_personal(result.personal)
            self.status.setText(f"Saved to {result.path} ({result.pages} pages)")

        self._run(build_report, options, target, message="Building the report...",
                  on_result=saved)

    def export(self) -> None:
        """Export the report with the originals and/or shareable copies, and SHA256SUMS, to
        a new folder or zip; first say what the originals reveal and ask."""
        options = self._options()
        if options is None:
            return
        originals, shareable = self.export_box.choice()
        if not originals and not shareable:
            QMessageBox.warning(self, "Export", "Tick what to export: the original files, "
                                "shareable copies, or both.")
            return
        as_zip = self.export_box.zip.isChecked()
        name, _ = QFileDialog.getSaveFileName(
            self, "Export bundle: name of the new " + ("zip file" if as_zip else "folder"),
            str(Path.home() / "evidence-export"), options=QFileDialog.Option.DontConfirmOverwrite)
        if not name or self._inside_case(Path(name), "Export"):
            return
        target = Path(name)
        if as_zip and target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        force = False
        if target.exists() and (target.is_file() or any(target.iterdir())):
            answer = QMessageBox.question(
                self, "Export", f"{target} already exists.\n\nReplace it? Only a zip file or "
                "an earlier export can be replaced; anything else is left as it is.")
            if answer != QMessageBox.StandardButton.Yes:
                return
            force = True
        found = self.export_box.found
        if originals and found is not None and (found.identifying or found.with_maker_notes):
            answer = QMessageBox.question(
                self, "Export the original files?",
                found_text(found) + "\n\nThe police need the originals. For anyone else, "
                "untick the originals and export shareable copies.\n\nExport the original "
                "files?")
            if answer != QMessageBox.StandardButton.Yes:
                return

        def done(result: BundleResult) -> None:
            self.panel.show_personal(result.report.personal)
            self.status.setText(f"Exported to {result.path}")
            QMessageBox.information(
                self, "Export finished",
                f"The report and its files are in\n{result.path}\n\n"
                + "\n".join(result.contents.statements()) + "\n\n"
                "SHA256SUMS lets anyone check that no file has changed "
                "(see README.txt inside).")

        self._run(export_bundle, options, Path(name), message="Exporting...", on_result=done,
                  failure="The export could not be made.", originals=originals,
                  shareable=shareable, as_zip=as_zip, force=force)

    def _inside_case(self, target: Path, title: str) -> bool:
        """Refuse a place inside the case folder: a file saved there could replace the
        case's own records or originals, or be swept away as a preview."""
        if not self.ops.case.contains(target):
            return False
        QMessageBox.warning(self, title, "Choose a place outside the case folder. The case "
                            "folder holds only the case's own files.")
        return True

    def open_in_viewer(self) -> None:
        """Open the previewed report in the system's PDF viewer."""
        from evidence_app.gui.widgets.exhibit_actions import copy_allowed

        if self.preview_path is not None and copy_allowed(self.ops, self):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.preview_path)))

    def print_report(self) -> None:
        """The system print dialog (real printers and print to file), then print in the
        background: the window stays responsive and says which page is being sent."""
        if self.preview_path is None or self.busy:
            return
        if self.preview_result is not None and self.preview_options is not None:
            options = self.preview_options
            prepare_printer(self.printer, self.document.pagePointSize(0),
                            job_name(self.preview_result.case_name, options.title,
                                     options.profile.short))
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle("Print the evidence report")
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = page_range(self.printer, self.document.pageCount())

        def done(result: Printed) -> None:
            if result.stopped:
                self.status.setText(f"Printing stopped. {plural(result.pages, 'page')} had "
                                    "already gone to the printer and could not be called "
                                    "back.")
            else:
                self.status.setText(result.message)
                if result.outcome in (Outcome.PAUSED, Outcome.REFUSED, Outcome.GONE):
                    # Not only in the status line: the person may be walking to the printer.
                    QMessageBox.warning(self, "Printing", result.message)

        self._run(print_pages, self.preview_path, self.printer, first, last,
                  message="Printing...", on_result=done,
                  cancelled="Printing cancelled. Nothing was sent to the printer.",
                  failure="The report could not be printed.", report_late=True)

    # -- closing -----------------------------------------------------------------
    def done(self, result: int) -> None:  # noqa: D401 - QDialog's name
        if self.handle is not None and self.handle.running:
            self.handle.cancel()
        self.export_box.stop()
        self.document.close()
        clear_previews(self.ops.case)  # one still open for a cancelled print goes at close
        super().done(result)
