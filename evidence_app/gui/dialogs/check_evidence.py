"""Tools › Check my evidence: the same check as `evidence-app verify`, in the
background, with the result in words a person can repeat to a police officer."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.messages import show_error
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.tasks import Background, CaseOps, TaskHandle

INTRO = ("This reads every exhibit again and compares it with the fingerprint (a SHA-256 "
         "hash) recorded when it was added, and checks the case's records and its audit "
         "trail. Nothing is changed. The result is kept in the audit trail and shown in "
         "your next report.")

DAMAGED_INTRO = ("The case could not be opened because the file that holds its records is "
                 "damaged. This check makes a repaired copy of that file in a temporary "
                 "place and reads it, then checks every exhibit against its fingerprint. "
                 "Nothing in your case folder is changed.")


class CheckEvidenceDialog(QDialog):
    """Runs the check as soon as it is shown; Stop ends it early."""

    def __init__(self, ops: CaseOps | None, parent: QWidget | None = None, *,
                 damaged: Path | None = None) -> None:
        """`damaged`: instead of the open case (`ops` None), the folder of a case whose
        database SQLite will not open; it is checked on a repaired copy made aside."""
        super().__init__(parent)
        self.ops = ops
        self.damaged = damaged
        self.background: Background | None = None
        self.handle: TaskHandle | None = None
        self.result: Any = None
        self.setWindowTitle("Check my evidence")
        fit_to_screen(self, 620, 440)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        intro = QLabel(INTRO if damaged is None else DAMAGED_INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Check progress")
        layout.addWidget(self.bar)
        self.status = QLabel("Starting…")
        self.status.setObjectName("muted")
        layout.addWidget(self.status)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.details)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox()
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.close)
        layout.addWidget(buttons)

    def start(self) -> None:
        """Begin the check on a worker (the same one `evidence-app verify` runs)."""
        from evidence_app.core.evidence_check import check_evidence

        self.result = None
        self.headline.clear()
        self.details.clear()
        self.bar.setRange(0, 0)
        self.stop_button.setEnabled(True)
        if self.damaged is not None:
            from evidence_app.core.cases import check_damaged_folder

            self.background = self.background or Background(self)
            handle = self.handle = self.background.task(check_damaged_folder, self.damaged)
        else:
            assert self.ops is not None
            handle = self.handle = self.ops.task(check_evidence)
        handle.progress.connect(self._progress)
        handle.finished.connect(self._finished)
        handle.failed.connect(self._failed)

    def stop(self) -> None:
        if self.handle is not None and self.handle.running:
            self.handle.cancel()
            self.status.setText("Stopping…")

    def _progress(self, event: Any) -> None:
        if event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(event.done)
        self.status.setText(str(event.message))

    def _finished(self, items: list[Any]) -> None:
        from evidence_app.core.evidence_check import CheckResult

        self.stop_button.setEnabled(False)
        self._ready_to_close()
        results = [i for i in items if isinstance(i, CheckResult)]
        if not results:
            self.status.setText("The check was stopped before it finished; nothing was changed.")
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            return
        result = self.result = results[-1]
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.status.setText("Stopped." if result.cancelled else
                            "Finished. Nothing was written to the case." if self.damaged
                            else "Finished. The result has been added to the audit trail.")
        self.headline.setText(("\u2714 " if result.ok else "\u26a0 ") + result.headline)
        self.headline.setStyleSheet("" if result.ok else "color: #b3261e;")
        parts = [f"<p>{escape(result.summary)}</p>"]
        for finding in result.findings:
            parts.append(f"<p><b>{escape(finding.title)}</b><br>{escape(finding.meaning)}"
                         f"<br><i>What to do:</i> {escape(finding.action)}</p>")
        if result.never_added:
            from evidence_app.core.evidence_check import NEVER_ADDED

            parts.append(f"<p><b>{escape(NEVER_ADDED)}</b><br>{escape(result.never_added)}</p>")
        self.details.setText("".join(parts))

    def _ready_to_close(self) -> None:
        """Once the check has ended, Enter (or Esc) closes the window."""
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.stop_button.setEnabled(False)
        self._ready_to_close()
        self.bar.setRange(0, 1)
        self.status.setText("The check could not run.")
        show_error(self, "The check could not run", exc)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.stop()
        super().closeEvent(event)
