"""Locking the app and the quick-hide key.

`LockController` watches the whole application's input through one event filter:

- the quick-hide key (Escape pressed twice within `DOUBLE_PRESS_S` by default, or one
  key chosen in the privacy settings) hides every window of the app at once and locks it;
- no input for the chosen idle time locks it; Ctrl+L (`MainWindow.act_lock`) locks on
  demand.

Escape keeps its own uses: the first press passes through untouched (it still closes the
viewer, clears the search, cancels a dialog); only a second press soon after is taken.

Locking hides every other window of the app, shows the lock screen in the main window
(no case name in the title or taskbar; the neutral name if one was chosen), empties the
clipboard of what the app put there, and, for a case protected by a passphrase, cancels
running work (an import keeps every file it finished), waits for it and closes the case,
so its keys leave memory. A plain case stays open behind the lock screen; windows hidden
by the lock come back when it is shown again.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from evidence_app.gui.clipboard import clear_ours
from evidence_app.gui.messages import show_info
from evidence_app.gui.settings import DOUBLE_ESCAPE

if TYPE_CHECKING:
    from evidence_app.gui.main_window import MainWindow

log = logging.getLogger(__name__)

DOUBLE_PRESS_S = 0.6  # the second Escape must come this soon after the first
IDLE_CHECK_MS = 1000

_PRESS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress})
_POINTER = _INPUT - {QEvent.Type.KeyPress}
_DROPS = frozenset({QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop})
_WATCHED = frozenset({*_PRESS, QEvent.Type.KeyRelease, QEvent.Type.Shortcut, QEvent.Type.Show,
                      *_INPUT, *_DROPS})
_NOT_WINDOWS = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


def key_of(event: QKeyEvent) -> QKeyCombination:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeyCombination(mods, Qt.Key(event.key()))


def describe_key(value: str) -> str:
    """The quick-hide key in words for the settings and help."""
    if value == DOUBLE_ESCAPE:
        return "Esc pressed twice quickly"
    if not value:
        return "no key chosen"
    return QKeySequence(value).toString(QKeySequence.SequenceFormat.NativeText)


class LockController(QObject):
    """Locks and unlocks one main window (see module docstring). `locked_changed(bool)`."""

    locked_changed = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.hidden_windows: list[QWidget] = []  # shown again when a plain case is shown
        self.stopped_work = 0  # tasks a protected case's lock stopped (said after unlocking)
        self.shown_state = Qt.WindowState.WindowNoState  # the window's state before hiding
        self._key: QKeyCombination | None = None
        self._double = False
        self._armed = True  # the key was released since the last press we counted
        self._first_press = -1.0
        self._last_counted = -1.0
        self._swallow_press = False
        self._last_input = time.monotonic()
        self._idle_s = 0.0
        self._idle = QTimer(self, interval=IDLE_CHECK_MS)
        self._idle.timeout.connect(self._check_idle)
        self.apply_settings()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- settings ------------------------------------------------------------------------
    def apply_settings(self) -> None:
        """Take up the quick-hide key and the idle time from the settings (call after they
        change, and when a case opens: the idle time depends on its kind)."""
        value = self.window.settings.quick_hide_key
        self._double = value == DOUBLE_ESCAPE
        if self._double:
            self._key = QKeyCombination(Qt.KeyboardModifier.NoModifier, Qt.Key.Key_Escape)
        else:
            seq = QKeySequence(value) if value else QKeySequence()
            self._key = seq[0] if seq.count() else None  # type: ignore[index]
        minutes = self.window.settings.lock_after_minutes(self.window.session.encrypted)
        self.set_idle_seconds(minutes * 60)

    def set_idle_seconds(self, seconds: float) -> None:
        """Lock after this long without input while a case is open (0: never)."""
        self._idle_s = max(0.0, seconds)
        self._last_input = time.monotonic()
        if self._idle_s:
            self._idle.setInterval(max(1, int(min(IDLE_CHECK_MS, self._idle_s * 500))))
            self._idle.start()
        else:
            self._idle.stop()

    # -- watching input ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind not in _WATCHED:
            return False
        if kind in _POINTER:  # the commonest: only noted for the idle lock
            self._last_input = time.monotonic()
            return False
        if not self.window.isVisible():  # a closed window: nothing to guard
            return False
        if kind == QEvent.Type.KeyPress:
            self._last_input = time.monotonic()
        if isinstance(event, QKeyEvent):
            return self._key_event(event)
        if self.locked:
            if kind == QEvent.Type.Shortcut:
                return self._blocked_shortcut(watched)
            if kind in _DROPS:
                event.ignore()
                return True
            if kind == QEvent.Type.Show:
                self._window_shown(watched)
        return False

    def _key_event(self, event: QKeyEvent) -> bool:
        if self._key is None or event.isAutoRepeat():
            return False
        ours = key_of(event) == self._key
        if event.type() == QEvent.Type.KeyRelease:
            if ours:
                self._armed = True
            return False
        if not ours:
            if event.type() == QEvent.Type.KeyPress:
                self._first_press = -1.0  # another key between the two presses
            return False
        if self._swallow_press and event.type() == QEvent.Type.KeyPress:
            self._swallow_press = False
            return True
        now = time.monotonic()
        # One press reaches us more than once (the shortcut check, then the key press,
        # and again for each parent it travels up to): count it once, until released.
        if not self._armed and now - self._last_counted <= DOUBLE_PRESS_S:
            return False
        self._armed = False
        self._last_counted = now
        if self._double and now - self._first_press > DOUBLE_PRESS_S:
            self._first_press = now
            return False
        self._first_press = -1.0
        # Taken: the press that follows this shortcut check is swallowed too.
        self._swallow_press = event.type() == QEvent.Type.ShortcutOverride
        event.accept()
        QTimer.singleShot(0, self.quick_hide)
        return True

    def _blocked_shortcut(self, receiver: QObject) -> bool:
        """While locked, the window's shortcuts (new incident, paste, report…) do nothing;
        those of the lock screen and the unlock dialog still work."""
        if receiver in (self.window.act_quit, self.window.act_lock):
            return False
        if isinstance(receiver, (QAction, QShortcut)):
            return True
        return (isinstance(receiver, QWidget) and receiver.window() is self.window
                and not self.window.lock_screen.isAncestorOf(receiver))

    def _window_shown(self, watched: QObject) -> None:
        """A window opening while locked (an import's summary, an error) waits hidden."""
        if (isinstance(watched, QWidget) and watched.isWindow() and watched is not self.window
                and not watched.property("showsWhileLocked") and _is_real_window(watched)):
            if watched not in self.hidden_windows:
                self.hidden_windows.append(watched)
            QTimer.singleShot(0, watched.hide)

    def _check_idle(self) -> None:
        if (self.locked or not self._idle_s or self.window.session.case is None
                or not self.window.isVisible()
                or QApplication.activePopupWidget() is not None):
            return
        if time.monotonic() - self._last_input >= self._idle_s:
            log.info("locking after %.0f s without use", self._idle_s)
            self.lock()

    # -- locking -------------------------------------------------------------------------
    def quick_hide(self) -> None:
        """Hide every window of the app at once and lock it; the main window is left
        minimised under its neutral name (or the app's name), never the case's."""
        log.info("quick hide")
        self.lock()
        if not self.window.isMinimized():
            self.shown_state = self.window.windowState()  # maximised stays maximised
        self.window.showMinimized()

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        window = self.window
        for widget in QApplication.topLevelWidgets():
            if widget is window or not widget.isVisible():
                continue
            if _is_real_window(widget) and not widget.property("showsWhileLocked"):
                self.hidden_windows.append(widget)
            widget.hide()
        if window.view is not None:
            window.view.editor.flush()  # what was being typed is saved, not left on screen
        if clear_ours():
            log.info("cleared the clipboard of what the app had put there")
        window.show_locked()
        self.locked_changed.emit(True)
        if window.session.encrypted and window.session.case is not None:
            self.stopped_work = window.session.lock_case()
            # What the hidden windows showed belongs to the case just closed; only one
            # that must outlive it (the recovery key, shown once) comes back.
            kept = []
            for widget in self.hidden_windows:
                if not shiboken6.isValid(widget):
                    continue
                if widget.property("keepThroughLock"):
                    kept.append(widget)
                else:
                    widget.close()
            self.hidden_windows = kept

    def unlocked(self) -> None:
        """The case is back (shown again, or opened with the passphrase)."""
        if not self.locked:
            return
        self.locked = False
        self._last_input = time.monotonic()
        self.window.show_unlocked()
        for widget in self.hidden_windows:
            if shiboken6.isValid(widget):
                widget.show()
        self.hidden_windows.clear()
        self.locked_changed.emit(False)
        if self.stopped_work:
            self.stopped_work = 0
            show_info(self.window, "Work stopped when the app locked",
                      "Something was still running when the app locked (an import, reading "
                      "text in pictures, or a report), so it was stopped before the case "
                      "closed.",
                      "Everything that was saved is kept. An import that was stopped adds "
                      "no half-copied files: import those files again (files already in the "
                      "case are recognised). Reading text in pictures carries on by itself.")


def _is_real_window(widget: QWidget) -> bool:
    """A window to bring back later, not a menu or tooltip left open."""
    kind = widget.windowType()
    return kind not in _NOT_WINDOWS and not widget.inherits("QMenu")
