"""Help › What protection does and does not do: said plainly, so nobody relies on a
passphrase or the lock for more than they can give."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

DOES = [
    "<b>A passphrase</b> keeps a case unreadable to anyone who opens its folder, copies it or "
    "takes the laptop while the case is closed or locked: the log, the notes, the photos and "
    "their small previews are all scrambled on disk.",
    "<b>The recovery key</b> is the only other way in. Keep it somewhere the other person "
    "cannot reach (with a friend, a solicitor, a support worker).",
    "<b>Locking</b> (Ctrl+L, or after the time you chose) takes the case off the screen; a case "
    "with a passphrase also closes until the passphrase is typed again.",
    "<b>Quick hide</b> ({key}) hides every window of the app at once and locks it.",
    "<b>Backups</b> (File \u203a Back up now) of a case with a passphrase stay scrambled "
    "too: they open only with the passphrase the case had when the backup was made, or "
    "the recovery key.",
]

DOES_NOT = [
    "<b>Someone watching the screen</b>, or looking over your shoulder, sees what is on it "
    "while the case is open.",
    "<b>A keylogger or spying app</b> on this computer can record your passphrase and what "
    "you type. If you think the computer is being monitored, use another one.",
    "<b>A monitored phone</b>: photos and messages are still on the phone they came from, "
    "and may be copied from there.",
    "<b>A passphrase written down beside the laptop</b>, or one the other person can guess "
    "(a birthday, a pet\u2019s name), opens the case for them.",
    "<b>Files you take out of the case</b>: a report, an export, or an original opened in "
    "another program are ordinary files outside the protection. Keep them safe, delete them "
    "when done.",
    "<b>Knowing the app is there</b>: the app itself is installed on the computer, and the "
    "lock does not make it disappear. A neutral name (File \u203a Privacy and lock) only makes "
    "the window less obvious.",
    "<b>Forgetting both</b>: without the passphrase or the recovery key nobody, including "
    "the makers of this app, can open a protected case.",
]


def protection_text(quick_key: str) -> str:
    """The help text as rich text (also used by tests and the About box)."""
    def items(rows: list[str]) -> str:
        return "".join(f"<li style='margin-bottom:6px'>{r}</li>" for r in rows)

    return ("<h3>What it protects</h3><ul>" + items([r.format(key=quick_key) for r in DOES])
            + "</ul><h3>What it does not protect against</h3><ul>" + items(DOES_NOT) + "</ul>")


class ProtectionHelpDialog(QDialog):
    def __init__(self, quick_key: str, parent: QWidget | None = None) -> None:
        """`quick_key`: the quick-hide key in words (`lock.describe_key`)."""
        super().__init__(parent)
        self.setWindowTitle("What protection does and does not do")
        self.setMinimumWidth(640)
        self.resize(680, 580)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 16, 22, 16)
        self.text = QLabel(protection_text(quick_key))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.addWidget(self.text)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
