"""The main window: menus, toolbar, the welcome screen or the open case, the status bar.

Other parts plug in through what this exposes, per open case:
- `case_opened(ops)` after a case is shown (`self.view` is its CaseView), `case_closed()`;
- `self.menus["file" | "edit" | "incident" | "view" | "help"]`, `self.toolbar`;
- `self.search_bar` (the toolbar's search field) and the exhibit actions and buttons
  (`act_import`, `act_import_folder`, `act_inbox`, `act_paste`, `act_to_describe`,
  `import_button`, `inbox_button`) and `act_conversations` / `conversations_button`. They are drawn, disabled, with the window itself, and the features
  that load a moment later (search, exhibits) give them their behaviour: so nothing pops
  into the toolbar after the window appears.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from evidence_app import APP_NAME
from evidence_app.gui.case_session import CaseSession
from evidence_app.gui.icons import icon
from evidence_app.gui.lock import LockController
from evidence_app.gui.messages import show_error
from evidence_app.gui.protection import ProtectionActions
from evidence_app.gui.screen_fit import fit_to_screen
from evidence_app.gui.settings import AppSettings
from evidence_app.gui.tasks import CaseOps
from evidence_app.gui.widgets.lock_screen import LockScreen
from evidence_app.gui.widgets.search_bar import SearchBar
from evidence_app.gui.widgets.welcome import WelcomeScreen

if TYPE_CHECKING:
    from evidence_app.gui.widgets.case_view import CaseView

DEFAULT_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    case_opened = Signal(object)  # CaseOps
    case_closed = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None,
                 opening: bool = False) -> None:
        super().__init__(parent)
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.view: CaseView | None = None
        self._tools: dict[str, QWidget] = {}  # windows that belong to the open case
        self._reports: list[QWidget] = []  # Report dialogs of the open case
        self.session = CaseSession(self, settings)
        self.session.opened.connect(self._show_case)
        self.session.closing.connect(self._closing_case)
        self.session.closed.connect(self._closed_case)
        self.session.status_changed.connect(self._update_status)
        self.setWindowTitle(APP_NAME)
        self._default_size()

        self._welcome: WelcomeScreen | None = None  # made when first needed
        welcome_page = QScrollArea()
        welcome_page.setWidgetResizable(True)
        welcome_page.setFrameShape(QScrollArea.Shape.NoFrame)
        # Only a frame for the welcome screen: never a stop for Tab or the first focus.
        welcome_page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.busy_page = QLabel()
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_page.setObjectName("emptyHint")
        self.pages = QStackedWidget()
        self.pages.addWidget(welcome_page)
        self.pages.addWidget(self.busy_page)
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.lock_screen.quit_requested.connect(self.close)
        self.pages.addWidget(self.lock_screen)
        self._page_after_lock: QWidget | None = None
        self.setCentralWidget(self.pages)
        self.welcome_page = welcome_page

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.case_label = QLabel()
        self.save_label = QLabel()
        self.statusBar().addWidget(self.case_label, 1)
        self.statusBar().addPermanentWidget(self.save_label)
        self._update_actions()
        self.lock = LockController(self)
        self.protection = ProtectionActions(self)
        self.session.opened.connect(lambda _ops: self.lock.apply_settings())
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
            # Qt itself brings a geometry remembered on a larger screen back onto this
            # one (tests/gui/test_fits_screen.py checks it).
        if settings.window_state is not None:
            self.restoreState(settings.window_state)
        if opening:  # a case is about to open: no need to build the welcome screen
            self.show_busy("Opening your case…")
        else:
            self.show_welcome()

    def _default_size(self) -> None:
        """1280x800, or what a smaller screen has room for."""
        fit_to_screen(self, *DEFAULT_SIZE)

    # -- actions -------------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "",
                icon_name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if icon_name:
            action.setIcon(icon(icon_name))
            action.setData(icon_name)  # redrawn by this name on a theme change
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even where no menu shows the action
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_new_case = a("&New case…", self.new_case, "Ctrl+Shift+N", "Start a new case")
        self.act_open_case = a("&Open case…", self.browse_case, QKeySequence.StandardKey.Open,
                               "Open a case folder", "folder")
        self.act_save = a("&Save", self.save_now, QKeySequence.StandardKey.Save,
                           "Changes save by themselves; this saves what you are typing now")
        self.act_close_case = a("&Close case", self.session.close, None,
                                "Close this case and go back to the start screen")
        self.act_settings = a("Case &settings…", self.case_settings, None,
                              "Names, initials, contact details and time zone", "settings")
        self.act_diary = a("Import &diary from spreadsheet (CSV)…", self.import_diary, None,
                           "Bring in a diary you kept in a spreadsheet, with a preview first")
        self.act_report = a("&Report…", self.report, "Ctrl+P",
                             "Print, save or export the evidence report (Ctrl+P)", "report")
        self.act_quit = a("&Quit", self.close, QKeySequence.StandardKey.Quit, "Close the app")
        self.act_lock = a("&Lock now", lambda: self.lock.lock(), "Ctrl+L",
                          "Hide your case at once; a protected case also closes until you "
                          "type its passphrase (Ctrl+L)", "lock")
        # Works from every window of the app (the viewer, People…), not only this one.
        self.act_lock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.act_protect = a("Protect with a &passphrase…",
                             lambda: self.protection.protect_case(), None,
                             "Scramble everything in this case so that only your passphrase "
                             "(or a recovery key) opens it", "lock")
        self.act_change_passphrase = a("C&hange passphrase…",
                                       lambda: self.protection.change_passphrase(), None,
                                       "Set a new passphrase for this case")
        self.act_privacy = a("&Privacy and lock…", self.privacy_settings, None,
                             "The quick-hide key, locking after a time, a neutral name")
        self.act_protection_help = a("What &protection does and does not do", self.protection_help,
                                     None, "What locking and a passphrase protect against, "
                                     "and what they cannot")
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.setIcon(icon("undo"))
        self.act_undo.setData("undo")
        self.act_undo.triggered.disconnect()
        self.act_undo.triggered.connect(self.undo)
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.act_delete = a("&Delete incident", self.delete_incident, QKeySequence.StandardKey.Delete,
                            "Move the selected incident to the trash (you can restore it)", "trash")
        # The Delete key deletes an incident only from the timeline, never while typing.
        self.removeAction(self.act_delete)
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_new = a("&New incident", self.new_incident, "Ctrl+N",
                         "Write down something that happened (Ctrl+N)", "new")
        self.act_people = a("&People and vehicles…", self.people, None,
                            "Suspects, witnesses, officers and vehicles", "people")
        self.act_trash = a("&Trash…", self.trash, None, "Restore deleted items, or empty the trash",
                           "trash")
        self.act_about = a(f"&About {APP_NAME}", self.about, None, "Version and where data is kept")
        self.act_guide = a("&User guide", self.user_guide, QKeySequence.StandardKey.HelpContents,
                           "How to use the app, step by step (F1)")
        self._build_exhibit_actions()
        group = QActionGroup(self)
        self.act_newest = a("&Newest first", lambda: self.set_newest_first(True), None,
                            "Show the most recent incidents at the top")
        self.act_oldest = a("&Oldest first", lambda: self.set_newest_first(False), None,
                            "Show the first incidents at the top, like the report")
        for act in (self.act_newest, self.act_oldest):
            act.setCheckable(True)
            group.addAction(act)
        (self.act_newest if self.settings.newest_first else self.act_oldest).setChecked(True)

    def _build_exhibit_actions(self) -> None:
        """Import, Inbox and paste: shown from the start, disabled; exhibits_hookup connects
        them and enables them once a case is open."""
        def make(text: str, shortcut: Any, tip: str = "", icon_name: str = "") -> QAction:
            action = self._action(text, None, shortcut, tip, icon_name)
            action.setEnabled(False)
            return action

        self.act_import = make("&Import photos and screenshots\u2026", "Ctrl+I",
                               "Copy photos, screenshots or a whole folder into the Inbox "
                               "(Ctrl+I)", "import")
        self.act_import.setIconText("Import\u2026")
        self.act_import_folder = make("Import a whole &folder\u2026", QKeySequence())
        self.act_inbox = make("Inbox", "Ctrl+Shift+I", "Files imported but not yet part of an "
                              "incident (Ctrl+Shift+I)", "inbox")
        self.act_inbox.setCheckable(True)
        self.act_conversations = make("&Conversations", "Ctrl+Shift+M",
                                      "Chats, texts, calls and emails you imported, as the "
                                      "phone shows them (Ctrl+Shift+M)", "chat")
        self.act_conversations.setCheckable(True)
        self.act_to_describe = make("Show incidents to &describe", None,
                                    "List the incidents with no title yet or with the type "
                                    "Other, to describe them")
        self.act_paste = make("&Paste picture as exhibit", QKeySequence.StandardKey.Paste,
                              "Store a screenshot or files from the clipboard as exhibits "
                              "(Print Screen, then Ctrl+V)")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        m = self.menus["file"] = bar.addMenu("&File")
        m.addActions([self.act_new_case, self.act_open_case])
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addActions([self.act_save, self.act_close_case])
        m.addSeparator()
        m.addActions([self.act_settings, self.act_import, self.act_import_folder,
                      self.act_diary])
        m.addSeparator()
        m.addAction(self.act_report)
        m.addSeparator()
        m.addActions([self.act_protect, self.act_change_passphrase, self.act_lock,
                      self.act_privacy])
        m.addSeparator()
        m.addAction(self.act_quit)
        m = self.menus["edit"] = bar.addMenu("&Edit")
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_paste, self.act_delete])
        m.addSeparator()
        m.addActions([self.act_people, self.act_trash])
        m = self.menus["incident"] = bar.addMenu("&Incident")
        m.addActions([self.act_new, self.act_delete])
        m.addSeparator()
        m.addAction(self.act_to_describe)
        m = self.menus["view"] = bar.addMenu("&View")
        m.addActions([self.act_inbox, self.act_conversations])
        m.addSeparator()
        m.addActions([self.act_newest, self.act_oldest])
        m = self.menus["help"] = bar.addMenu("&Help")
        m.addAction(self.act_guide)
        m.addAction(self.act_protection_help)
        m.addSeparator()
        m.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.import_button = QToolButton()
        self.import_button.setDefaultAction(self.act_import)
        self.import_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.import_button.setAccessibleName("Import photos and screenshots")
        menu = QMenu(self.import_button)
        menu.addActions([self.act_import, self.act_import_folder])
        self.import_button.setMenu(menu)
        self.inbox_button = QToolButton()
        self.inbox_button.setDefaultAction(self.act_inbox)
        self.inbox_button.setAccessibleName("Show the Inbox")
        self.conversations_button = QToolButton()
        self.conversations_button.setDefaultAction(self.act_conversations)
        self.conversations_button.setAccessibleName("Show the conversations")
        bar.addAction(self.act_new)
        for button in (self.import_button, self.inbox_button, self.conversations_button):
            button.setToolButtonStyle(bar.toolButtonStyle())
            button.setIconSize(bar.iconSize())
            button.setAutoRaise(True)
            bar.addWidget(button)
        bar.addAction(self.act_report)
        bar.addSeparator()
        bar.addActions([self.act_people, self.act_trash])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        slot = QWidget()
        self.search_slot = QHBoxLayout(slot)
        self.search_slot.setContentsMargins(0, 0, 6, 0)
        self.search_bar = SearchBar()
        self.search_bar.setEnabled(False)  # until a case is open and search has loaded
        self.search_slot.addWidget(self.search_bar)
        bar.addWidget(slot)
        self.addToolBar(bar)
        self.toolbar = bar

    def refresh_icons(self) -> None:
        """Redraw icons in the current palette (after a light/dark switch)."""
        for action in self.findChildren(QAction):
            name = action.data()
            if isinstance(name, str) and name:
                action.setIcon(icon(name))

    def _update_actions(self) -> None:
        has_case = self.session.ops is not None
        for act in (self.act_save, self.act_close_case, self.act_settings, self.act_diary,
                    self.act_new, self.act_report, self.act_people, self.act_trash,
                    self.act_newest, self.act_oldest):
            act.setEnabled(has_case)
        self.act_delete.setEnabled(has_case and self.current_incident() is not None)
        protected = self.session.encrypted
        self.act_protect.setEnabled(has_case and not protected and not self.session.is_demo)
        self.act_change_passphrase.setEnabled(has_case and protected)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_cases()
        for folder in recent:
            act = self.recent_menu.addAction(folder.name)
            act.setToolTip(str(folder))
            act.setStatusTip(str(folder))
            act.triggered.connect(lambda _=False, f=folder: self.session.open(f))
        if not recent:
            self.recent_menu.addAction("No recent cases").setEnabled(False)
        self.recent_menu.addSeparator()
        if recent:
            self.recent_menu.addAction("Clear list", self._clear_recent)
        remember = self.recent_menu.addAction("Remember cases on this computer")
        remember.setCheckable(True)
        remember.setChecked(self.settings.remember_cases)
        remember.setToolTip("Untick so that nobody using this computer can see where your "
                            "cases are; you then open your case with File › Open case")
        remember.setStatusTip(remember.toolTip())
        remember.toggled.connect(self._remember_cases)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self.settings.last_case = None
        self.settings.sync()
        self.welcome.set_recent([])

    def _remember_cases(self, on: bool) -> None:
        self.settings.remember_cases = on
        if not on:
            self._clear_recent()
        elif self.session.case is not None and not self.session.is_demo:
            self.settings.last_case = self.session.case.folder
            self.settings.add_recent(self.session.case.folder)
        self.settings.sync()

    # -- pages ---------------------------------------------------------------------------
    @property
    def welcome(self) -> WelcomeScreen:
        """The first screen (built on first use: a start that opens a case never needs it)."""
        if self._welcome is None:
            welcome = self._welcome = WelcomeScreen()
            welcome.create_requested.connect(self._create_case)
            welcome.open_requested.connect(self.session.open)
            welcome.browse_requested.connect(self.browse_case)
            welcome.restore_requested.connect(self._restore_backup)
            welcome.demo_requested.connect(self.session.open_demo)
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.addWidget(welcome, 0, Qt.AlignmentFlag.AlignHCenter)
            self.welcome_page.setWidget(holder)
        return self._welcome

    def _restore_backup(self) -> None:
        """File › Restore a backup…, from the welcome screen (the command is plugged in by
        gui/safety_hookup.py)."""
        hookup = self.property("safety_hookup")
        if hookup is not None:
            hookup.restore()

    def _create_case(self, folder: Path, owner: str, initials: str, name: str) -> None:
        passphrase, listed = self.welcome.take_protection()
        self.session.create(folder, owner, initials, name, passphrase, listed)

    def show_welcome(self) -> None:
        self.welcome.set_recent(self.settings.recent_cases())
        self._show_page(self.welcome_page)
        if not self.lock.locked:  # typing starts in "Your full name", as the guide says
            self.welcome.owner.setFocus()
        self._set_title(APP_NAME)
        self.case_label.setText("")
        self.save_label.setText("")
        self._update_actions()

    def show_busy(self, text: str) -> None:
        self.busy_page.setText(text)
        self._show_page(self.busy_page)

    def _show_page(self, page: QWidget) -> None:
        """Show a page, or while locked, the page to show once unlocked."""
        if self.lock.locked:
            self._page_after_lock = page
        else:
            self.pages.setCurrentWidget(page)

    def _set_title(self, title: str) -> None:
        if not self.lock.locked:  # the lock's own title stays until it is unlocked
            self.setWindowTitle(title)

    # -- lock ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.lock.locked

    def show_locked(self) -> None:
        """The lock screen: no case name or path anywhere in the window or its title."""
        self._page_after_lock = self.pages.currentWidget()
        neutral = self.settings.neutral_title
        self.lock_screen.show_state(self.session.encrypted, self.session.case is not None,
                                    neutral)
        self.pages.setCurrentWidget(self.lock_screen)
        self.menuBar().hide()
        self.toolbar.hide()
        self.statusBar().hide()
        if neutral:
            # Window managers add the application's display name to titles: it goes too.
            QGuiApplication.setApplicationDisplayName(neutral)
            self.setWindowIcon(icon("note"))
        self.setWindowTitle(neutral or APP_NAME)
        self.lock_screen.unlock_button.setFocus()

    def show_unlocked(self) -> None:
        QGuiApplication.setApplicationDisplayName(APP_NAME)
        self.setWindowIcon(QIcon())  # the application's own icon again
        self.menuBar().show()
        self.toolbar.show()
        self.statusBar().show()
        page = self._page_after_lock
        self._page_after_lock = None
        if page is None or page is self.lock_screen or self.pages.indexOf(page) < 0:
            page = self.view if self.view is not None else self.welcome_page
        self.pages.setCurrentWidget(page)
        if self.session.case is not None:
            self._update_status()
        else:
            self.setWindowTitle(APP_NAME)
        if self.isMinimized():  # unlocked while still minimised by a quick hide
            self.setWindowState(self.lock.shown_state & ~Qt.WindowState.WindowMinimized)
            self.show()

    def unlock(self) -> None:
        """The lock screen's button: a plain case is simply shown again; a protected one
        asks for its passphrase."""
        folder = self.session.locked_folder
        if folder is not None and self.session.case is None:
            self.protection.ask_passphrase(folder)
        else:
            self.lock.unlocked()

    def privacy_settings(self) -> None:
        from evidence_app.gui.dialogs.privacy import PrivacyDialog

        dialog = PrivacyDialog(self.settings, self)
        dialog.accepted.connect(self.lock.apply_settings)
        dialog.open()

    def protection_help(self) -> None:
        from evidence_app.gui.dialogs.protection_help import ProtectionHelpDialog
        from evidence_app.gui.lock import describe_key

        ProtectionHelpDialog(describe_key(self.settings.quick_hide_key), self).open()

    def _show_case(self, ops: CaseOps) -> None:
        from evidence_app.gui.widgets.case_view import CaseView

        self.undo_stack.clear()
        self.view = CaseView(ops, self.undo_stack, self.settings.newest_first)
        self.view.editor.case_tz = self.session.timezone
        if self.settings.splitter is not None:
            self.view.restoreState(self.settings.splitter)
        self.pages.addWidget(self.view)
        self._show_page(self.view)
        self.view.timeline.incident_selected.connect(lambda _id: self._update_actions())
        self.view.editor.loaded.connect(lambda _d: self._update_actions())
        ops.writing_changed.connect(self._writing)
        # Right-click on the timeline offers these too (Delete works there only).
        self.view.timeline.addActions([self.act_new, self.act_delete])
        self.view.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        ops.error.connect(lambda exc: show_error(self, "Something could not be done", exc))
        self._update_status()
        self.save_label.setText("All changes saved")
        self._update_actions()
        self.case_opened.emit(ops)
        self.protection.case_shown()

    def _closing_case(self) -> None:
        if self.view is not None:
            self.view.editor.flush()
            self.settings.splitter = self.view.saveState()
        # A Report dialog works on this case: it goes with it (a build or print still
        # running is cancelled), so it can never print or save one case's report while
        # another case is open, nor call into a closed one.
        for dialog in self._reports:
            dialog.close()

    def _closed_case(self) -> None:
        for dialog in self._reports:
            dialog.deleteLater()
        self._reports.clear()
        for tool in self._tools.values():
            tool.close()
            tool.deleteLater()
        self._tools.clear()
        if self.view is not None:
            self.pages.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        self.undo_stack.clear()
        self.case_closed.emit()

    def _update_status(self) -> None:
        if self.session.case is None:
            return
        name = self.session.title()
        if self.view is not None:
            self.view.editor.case_tz = self.session.timezone
        self._set_title(f"{name} — {APP_NAME}")
        self.case_label.setText(self.session.status_text())

    def _writing(self, busy: bool) -> None:
        self.save_label.setText("Saving…" if busy else "All changes saved")

    # -- commands ------------------------------------------------------------------------
    def current_incident(self) -> int | None:
        return self.view.editor.incident_id if self.view is not None else None

    def new_case(self) -> None:
        self.session.close()
        self.welcome.reset()
        self.welcome.owner.setFocus()

    def browse_case(self) -> None:
        start = str(self.settings.last_case.parent) if self.settings.last_case else ""
        folder = QFileDialog.getExistingDirectory(self, "Open a case folder", start)
        if folder:
            self.session.open(Path(folder))

    def new_incident(self) -> None:
        if self.view is not None and self.session.ops is not None:
            self.view.new_incident(self.session.timezone)

    def delete_incident(self) -> None:
        if self.view is not None:
            title = self.view.delete_current()
            if title is not None:
                self.statusBar().showMessage(
                    f"Moved “{title}” to the trash. Edit › Undo (Ctrl+Z) brings it back.", 8000)

    def save_now(self) -> None:
        if self.view is not None:
            self.view.editor.flush()
        self.statusBar().showMessage("Everything is saved. Changes also save by themselves "
                                     "a moment after you stop typing.", 6000)

    def undo(self) -> None:
        if self.view is not None:
            self.view.editor.undo()
        else:
            self.undo_stack.undo()

    def set_newest_first(self, newest: bool) -> None:
        self.settings.newest_first = newest
        (self.act_newest if newest else self.act_oldest).setChecked(True)
        if self.view is not None:
            self.view.model.set_newest_first(newest)
            incident_id = self.current_incident()
            if incident_id is not None:
                self.view.timeline.select_incident(incident_id)

    def case_settings(self) -> None:
        from evidence_app.gui.dialogs.case_settings import CaseSettingsDialog

        if self.session.ops is not None:
            CaseSettingsDialog(self.session.ops, self).open()

    def import_diary(self) -> None:
        from evidence_app.gui.dialogs.diary_import import choose_and_import_diary

        if self.session.ops is not None:
            choose_and_import_diary(self.session.ops, self.session.timezone, self, self.settings)

    def _tool(self, name: str, make: Any) -> QWidget | None:
        """Show the case's `name` window, made once per open case."""
        if self.session.ops is None:
            return None
        tool = self._tools.get(name)
        if tool is None:
            tool = self._tools[name] = make(self.session.ops)
        tool.show()
        tool.raise_()
        tool.activateWindow()
        return tool

    def people(self) -> None:
        from evidence_app.gui.dialogs.people import PeopleDialog

        def make(ops: CaseOps) -> PeopleDialog:
            dialog = PeopleDialog(ops, self)
            dialog.show_incident.connect(self.show_incident)
            return dialog

        self._tool("people", make)

    def report(self) -> None:
        from evidence_app.gui.dialogs.report_dialog import ReportDialog

        if self.session.ops is not None:
            current = self.current_incident()
            dialog = ReportDialog(self.session.ops, [current] if current else [], self)
            self._reports.append(dialog)
            dialog.show()

    def trash(self) -> None:
        from evidence_app.gui.dialogs.trash import TrashDialog

        tool = self._tool("trash", lambda ops: TrashDialog(ops, self.session.timezone, self))
        if isinstance(tool, TrashDialog):
            tool.refresh()

    def about(self) -> None:
        from evidence_app.gui.dialogs.about import AboutDialog

        AboutDialog(self.session.case_folder, self).open()

    def user_guide(self) -> None:
        """Help › User guide: one window, raised if it is already open."""
        from evidence_app.gui.dialogs.user_guide import UserGuide

        guide = getattr(self, "guide", None)
        if not isinstance(guide, UserGuide):
            guide = self.guide = UserGuide(self)
        guide.show()
        guide.raise_()
        guide.activateWindow()

    def show_incident(self, incident_id: int) -> None:
        if self.view is not None:
            self.view.editor.set_incident(incident_id)
            self.view.timeline.select_incident(incident_id)
            self.raise_()
            self.activateWindow()

    # -- closing -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.settings.geometry = self.saveGeometry()
        if not self.lock.locked:  # locked, the toolbar is hidden: not a layout to keep
            self.settings.window_state = self.saveState()
        self.session.close()
        self.settings.sync()
        event.accept()

