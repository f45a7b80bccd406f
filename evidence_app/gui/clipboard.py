"""The clipboard, as far as this app touches it: text the app copies is noted, so locking
can take it off the clipboard again (nothing from a case is left there for someone else
to paste), while leaving alone whatever the person copied from other programs since."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication

_ours: list[str] = []  # the last text this app put on the clipboard


def copy_text(text: str) -> None:
    """Put `text` on the clipboard, remembered as the app's own."""
    QGuiApplication.clipboard().setText(text)
    _ours[:] = [text]


def clear_ours() -> bool:
    """Empty the clipboard if what it holds came from this app: text it copied, or
    anything copied inside its windows (Ctrl+C in a field). True when it was emptied."""
    board = QGuiApplication.clipboard()
    mine = bool(_ours) and board.text() == _ours[0]
    owned = board.ownsClipboard() or board.ownsSelection()
    _ours.clear()
    if not (mine or owned):
        return False
    for mode in _modes(board):
        board.clear(mode)
    return True


def _modes(board: QClipboard) -> list[QClipboard.Mode]:
    modes = [QClipboard.Mode.Clipboard]
    if board.supportsSelection():  # X11's middle-click selection holds copied text too
        modes.append(QClipboard.Mode.Selection)
    return modes
