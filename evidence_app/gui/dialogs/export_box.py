"""The Report dialog's "Export bundle" box: what goes in, and what the originals reveal.

Before anything is exported the box reads the originals the report's options include
(on a worker, through `scan_exports`) and says in plain words how many record where they
were taken, a camera serial number or a person's name, so the person can choose the
originals (what the police need), shareable copies with those details removed, or both.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from evidence_app.core.report.bundle import scan_exports
from evidence_app.core.report.options import ExportContents
from evidence_app.gui.tasks import CaseOps, TaskHandle

_NOTICE_STYLE = ("QLabel#exportFound { background: #fff8e1; border: 1px solid #e0c060; "
                 "border-radius: 4px; padding: 6px; }")


def found_text(found: ExportContents) -> str:
    """What the originals reveal, for the box and the question before exporting."""
    if not found.originals:
        return "There are no exhibits in this report."
    lines = []
    identifying = found.identifying_text()
    if identifying:
        lines.append(f"{identifying}. Anyone given the original files can read this, even "
                     "though the report does not print it.")
    elif found.unchecked < found.originals:
        lines.append(f"No place, camera serial number or name was found in the "
                     f"original{'' if found.originals == 1 else 's'}.")
    if found.with_maker_notes:
        n = found.with_maker_notes
        lines.append(f"{n} original{' carries' if n == 1 else 's carry'} the camera maker's "
                     "own notes, "
                     "which may hold the camera's serial number or its owner's name.")
    if found.unchecked:
        n = found.unchecked
        lines.append(f"{n} {'file' if n == 1 else 'files'} (documents, recordings) could not "
                     "be checked.")
    return "\n".join(lines)


class ExportBox(QGroupBox):
    """Choose originals and/or shareable copies, and one zip; shows what originals reveal."""

    def __init__(self, ops: CaseOps, parent: QWidget | None = None) -> None:
        super().__init__("Export bundle", parent)
        self.ops = ops
        self.found: ExportContents | None = None
        self._scanned_options: Any = None
        self._pending: Any = None
        self._handle: TaskHandle | None = None
        self.originals = QCheckBox("Original files, exactly as recorded\n"
                                   "(what the police need to show they are unchanged)")
        self.originals.setChecked(True)
        self.shareable = QCheckBox("Shareable copies of the pictures, with hidden\n"
                                   "details (place, camera, names) removed")
        self.zip = QCheckBox("Make one zip file")
        self.found_label = QLabel("Checking what the original files reveal...")
        self.found_label.setObjectName("exportFound")
        self.found_label.setWordWrap(True)
        self.found_label.setStyleSheet(_NOTICE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.found_label)
        layout.addWidget(self.originals)
        layout.addWidget(self.shareable)
        layout.addWidget(self.zip)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._scan_now)

    @property
    def checking(self) -> bool:
        return self._handle is not None and self._handle.running

    def choice(self) -> tuple[bool, bool]:
        """(originals, shareable copies) as ticked."""
        return self.originals.isChecked(), self.shareable.isChecked()

    def scan(self, options: Any) -> None:
        """Read the originals these options include (soon, and only the latest asked)."""
        if options is None or options == self._scanned_options:
            return
        self._pending = options
        self._timer.start()

    def _scan_now(self) -> None:
        if self.checking:
            self._timer.start()  # one at a time: the newest options are read next
            return
        options, self._pending = self._pending, None
        if options is None:
            return
        self.found = None
        self.found_label.setText("Checking what the original files reveal...")
        handle = self.ops.task(scan_exports, options)
        self._handle = handle

        def finished(items: list[Any]) -> None:
            if not items or handle.token.cancelled:
                return
            self.found, self._scanned_options = items[-1], options
            self.found_label.setText(found_text(items[-1]))

        def failed(exc: BaseException) -> None:
            self.found_label.setText(f"The original files could not be checked: {exc}")

        handle.finished.connect(finished)
        handle.failed.connect(failed)

    def stop(self) -> None:
        """Stop reading (the dialog is closing)."""
        self._timer.stop()
        if self._handle is not None and self._handle.running:
            self._handle.cancel()
