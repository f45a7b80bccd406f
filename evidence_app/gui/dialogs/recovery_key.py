"""The recovery key, shown once: large grouped characters, a printable sheet, and a check
that it was written down (two groups typed back) before the dialog lets go of it.

The key itself comes from core (`create_case(..., passphrase=...)`, `encrypt_case`); this
dialog never stores it anywhere, and a printed or saved sheet is the person's own doing.
"""

from __future__ import annotations

import html
import secrets
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.look import NoticeBox, heading

_READ_AS = {"I": "1", "L": "1", "O": "0"}  # as core reads a typed key


def key_groups(key: str) -> list[str]:
    return [g for g in key.replace(" ", "-").split("-") if g]


def same_group(typed: str, group: str) -> bool:
    clean = "".join(_READ_AS.get(c, c) for c in typed.upper() if c.isalnum())
    return clean == group.upper()


def sheet_html(key: str, where: str) -> str:
    """The printable sheet: the key large, what it is for, and where to keep it."""
    groups = key_groups(key)
    today = date.today()
    rows = "<br>".join("&nbsp;&nbsp;".join(groups[i:i + 4]) for i in range(0, len(groups), 4))
    return (
        "<h1 style='font-size:20pt'>Recovery key</h1>"
        f"<p style='font-size:11pt'>For the protected case “{html.escape(where)}”, "
        f"made on {today.day} {today:%B %Y}.</p>"
        f"<p style='font-family:monospace; font-size:24pt; font-weight:bold; "
        f"white-space:nowrap; margin:18px 0'>{rows}</p>"
        "<p style='font-size:11pt'>If the passphrase is forgotten, this key opens the case "
        "and lets a new passphrase be set. It is the only other way in: nobody, including "
        "the makers of the app, can open the case without one of them.</p>"
        "<p style='font-size:11pt'><b>Keep this sheet away from the computer</b>, somewhere "
        "the person you are reporting cannot reach it: with a friend, a solicitor or a "
        "support worker. Anyone holding it can open the case.</p>"
        "<p style='font-size:11pt'>Letters and digits only; O and 0, I and 1 are read as "
        "the same. The dashes need not be typed.</p>")


class RecoveryKeyDialog(QDialog):
    """Shows `key` (e.g. "ABCDE-FGHJK-…") once; accepted only after two groups were typed
    back. `where` names the case on the printed sheet (its folder name)."""

    def __init__(self, key: str, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.where = where
        self.groups = key_groups(key)
        self.setWindowTitle("Your recovery key")
        self.setMinimumWidth(640)
        self.setProperty("keepThroughLock", True)  # shown once: a lock must not lose it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.pages.addWidget(self._show_page())
        self.pages.addWidget(self._check_page())

    # -- page 1: the key ---------------------------------------------------------------
    def _show_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addWidget(heading(QLabel("Write down your recovery key"), 1.3))
        intro = QLabel("If you ever forget your passphrase, this key is the only way into "
                       "your case. It is shown <b>only this once</b>.")
        intro.setWordWrap(True)
        box.addWidget(intro)
        groups = self.groups
        text = "\n".join("  ".join(groups[i:i + 4]) for i in range(0, len(groups), 4))
        self.key_label = QLabel(text)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 2.0)
        font.setWeight(QFont.Weight.Bold)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 2)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setStyleSheet("#recoveryKey { border: 1px solid palette(mid); "
                                     "border-radius: 8px; padding: 16px; }")
        box.addWidget(self.key_label)
        box.addWidget(NoticeBox(
            "Write it on paper, or print it, and keep it <b>away from this computer</b>, "
            "somewhere the person you are reporting cannot reach: with a friend, a solicitor "
            "or a support worker. Anyone with this key can open your case. Do not keep it in "
            "a file on this computer or in your email."))
        row = QHBoxLayout()
        self.print_button = QPushButton("Print\u2026")
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button = QPushButton("Save as PDF\u2026")
        self.pdf_button.setToolTip("For a USB stick you keep somewhere safe, then print it")
        self.pdf_button.clicked.connect(self.save_pdf)
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        self.written_button = QPushButton("I have written it down")
        self.written_button.setObjectName("primary")
        self.written_button.setDefault(True)
        self.written_button.clicked.connect(self._to_check)
        row.addWidget(self.written_button)
        box.addLayout(row)
        return page

    # -- page 2: typed back ------------------------------------------------------------
    def _check_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        box.addWidget(heading(QLabel("Check what you wrote down"), 1.3))
        # Two groups chosen at random, never the same two for everyone.
        self.asked = sorted(secrets.SystemRandom().sample(range(len(self.groups)), 2))
        self.ask = QLabel()
        self.ask.setWordWrap(True)
        box.addWidget(self.ask)
        self.fields: list[QLineEdit] = []
        form = QHBoxLayout()
        for index in self.asked:
            label = QLabel(f"Group {index + 1}")
            field = QLineEdit()
            field.setMaxLength(7)
            field.setMaximumWidth(130)
            field.setAccessibleName(f"Group {index + 1} of the recovery key")
            field.textChanged.connect(self._typed)
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.4)
            field.setFont(mono)
            form.addWidget(label)
            form.addWidget(field)
            form.addSpacing(16)
            self.fields.append(field)
        form.addStretch(1)
        box.addLayout(form)
        self.check_note = QLabel()
        self.check_note.setObjectName("muted")
        self.check_note.setWordWrap(True)
        box.addWidget(self.check_note)
        box.addStretch(1)
        row = QHBoxLayout()
        back = QPushButton("Show the key again")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        row.addWidget(back)
        row.addStretch(1)
        self.done_button = QPushButton("Done")
        self.done_button.setObjectName("primary")
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self._done)
        row.addWidget(self.done_button)
        box.addLayout(row)
        first, second = (i + 1 for i in self.asked)
        self.ask.setText(f"From the key you wrote down, type group {first} and group {second} "
                         f"(counting groups of five from the start). This checks that it was "
                         f"copied correctly while it can still be seen again.")
        return page

    def _to_check(self) -> None:
        self.pages.setCurrentIndex(1)
        self.fields[0].setFocus()

    def _typed(self) -> None:
        right = [same_group(f.text(), self.groups[i]) for f, i in zip(self.fields, self.asked,
                                                                       strict=True)]
        self.done_button.setEnabled(all(right))
        full = [len("".join(c for c in f.text() if c.isalnum())) >= 5 for f in self.fields]
        wrong = [n + 1 for n, (ok, whole) in enumerate(zip(right, full, strict=True))
                 if whole and not ok]
        if all(right):
            self.check_note.setText("That matches. Keep the key safe.")
        elif wrong:
            self.check_note.setText("That does not match the key. Check what you wrote down, "
                                    "or show the key again and correct it.")
        else:
            self.check_note.setText("")

    def _done(self) -> None:
        self.confirmed = True
        self.accept()

    confirmed = False

    def reject(self) -> None:
        if not self.confirmed:
            answer = QMessageBox.question(
                self, "Close without checking the recovery key?",
                "This key will not be shown again. Without it, a forgotten passphrase means "
                "nobody can open your case.\n\nClose anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    # -- the sheet ---------------------------------------------------------------------
    def _document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(sheet_html(self.key, self.where))
        return doc

    def print_sheet(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._document().print_(printer)

    def save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the recovery key sheet",
                                              "Recovery key.pdf", "PDF (*.pdf)")
        if name:
            self.write_pdf(Path(name))

    def write_pdf(self, path: Path) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                          QPageLayout.Orientation.Portrait,
                                          QMarginsF(20, 20, 20, 20),
                                          QPageLayout.Unit.Millimeter))
        self._document().print_(printer)
