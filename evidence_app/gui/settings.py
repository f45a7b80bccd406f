"""Application settings (never case content): last and recent cases, window layout, sort order,
the lock and quick-hide choices.

Stored with QSettings in INI format under `paths.config_dir()`, so `EVIDENCE_APP_HOME`
keeps tests and the demo away from the person's real settings; which case was last
opened is kept beside it in a small JSON file (`paths.last_case_file()`) that the
command line reads too.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from evidence_app import paths
from evidence_app.paths import config_dir

MAX_RECENT = 8
MAX_DIARY_LAYOUTS = 20  # column assignments remembered, newest kept
DOUBLE_ESCAPE = "Esc Esc"  # the default quick-hide key: Escape pressed twice quickly
IDLE_LOCK_ENCRYPTED = 5  # minutes; a protected case locks itself by default
IDLE_LOCK_PLAIN = 0  # a plain case never locks by itself unless the person asks


class AppSettings:
    """Typed access to the few things the app remembers between runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.ini"
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qs.sync()

    # -- cases ---------------------------------------------------------------------
    # The last case and the choice to remember cases live in `paths.last_case_file()`
    # (JSON), where the command line reads them without Qt; older versions kept them
    # here, read until the first change moves them there.
    @property
    def last_case(self) -> Path | None:
        if paths.case_memory_known():
            return paths.last_opened_case()
        value = self._qs.value("cases/last", "")
        return Path(str(value)) if value else None

    @last_case.setter
    def last_case(self, folder: Path | None) -> None:
        if not paths.case_memory_known():  # moving over: keep the choice made before
            paths.set_cases_remembered(self.remember_cases)
        paths.remember_last_case(folder)
        self._qs.remove("cases/last")

    def recent_cases(self) -> list[Path]:
        value = self._qs.value("cases/recent", [])
        if isinstance(value, str):  # QSettings returns a bare string for one item
            value = [value] if value else []
        return [Path(str(v)) for v in value if v] if isinstance(value, list) else []

    def add_recent(self, folder: Path) -> None:
        folder = Path(folder)
        items = [folder, *[p for p in self.recent_cases() if p != folder]][:MAX_RECENT]
        self._qs.setValue("cases/recent", [str(p) for p in items])

    def remove_recent(self, folder: Path) -> None:
        items = [p for p in self.recent_cases() if p != Path(folder)]
        self._qs.setValue("cases/recent", [str(p) for p in items])

    def clear_recent(self) -> None:
        self._qs.setValue("cases/recent", [])

    @property
    def remember_cases(self) -> bool:
        """Whether the last and recent case folders are kept (a privacy choice)."""
        chosen = paths.cases_remembered()
        if chosen is not None:
            return chosen
        return str(self._qs.value("cases/remember", "true")).lower() == "true"

    @remember_cases.setter
    def remember_cases(self, value: bool) -> None:
        paths.set_cases_remembered(value)
        self._qs.remove("cases/remember")

    # -- window layout -------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    @property
    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self._qs.setValue("window/splitter", value)

    # -- view ----------------------------------------------------------------------
    @property
    def backup_reminder_days(self) -> int:
        """Remind the person to back up when no backup has been made for this many days
        (0: never remind)."""
        try:
            return max(0, int(str(self._qs.value("backup/remind_days", "14"))))
        except ValueError:
            return 14

    @backup_reminder_days.setter
    def backup_reminder_days(self, days: int) -> None:
        self._qs.setValue("backup/remind_days", str(max(0, int(days))))

    @property
    def newest_first(self) -> bool:
        return str(self._qs.value("view/newest_first", "true")).lower() == "true"

    @newest_first.setter
    def newest_first(self, value: bool) -> None:
        self._qs.setValue("view/newest_first", "true" if value else "false")

    # -- privacy: lock and quick hide ------------------------------------------------
    @property
    def quick_hide_key(self) -> str:
        """The quick-hide key: `DOUBLE_ESCAPE` (the default), a key sequence in portable
        text (e.g. "F12", "Ctrl+Shift+H"), or "" for none."""
        return str(self._qs.value("privacy/quick_hide_key", DOUBLE_ESCAPE))

    @quick_hide_key.setter
    def quick_hide_key(self, value: str) -> None:
        self._qs.setValue("privacy/quick_hide_key", value)

    @property
    def neutral_title(self) -> str:
        """The window title and taskbar name shown while the app is hidden or locked
        ("" keeps the app's own name)."""
        return str(self._qs.value("privacy/neutral_title", ""))

    @neutral_title.setter
    def neutral_title(self, value: str) -> None:
        self._qs.setValue("privacy/neutral_title", value.strip()[:40])

    def lock_after_minutes(self, encrypted: bool) -> int:
        """Minutes without use before the app locks (0: never)."""
        key, default = (("privacy/idle_lock_encrypted", IDLE_LOCK_ENCRYPTED) if encrypted
                        else ("privacy/idle_lock_plain", IDLE_LOCK_PLAIN))
        try:
            return max(0, int(str(self._qs.value(key, default))))
        except ValueError:
            return default

    def set_lock_after_minutes(self, encrypted: bool, minutes: int) -> None:
        key = "privacy/idle_lock_encrypted" if encrypted else "privacy/idle_lock_plain"
        self._qs.setValue(key, max(0, int(minutes)))

    @property
    def remember_protected(self) -> bool:
        """Whether a case protected by a passphrase may be named in the last and recent
        cases (off unless the person allows it: the list itself says a case exists)."""
        return str(self._qs.value("privacy/remember_protected", "false")).lower() == "true"

    @remember_protected.setter
    def remember_protected(self, value: bool) -> None:
        self._qs.setValue("privacy/remember_protected", "true" if value else "false")

    # -- diary imports -------------------------------------------------------------
    def diary_layouts(self) -> dict[str, dict[str, str]]:
        """Column assignments last used, by the diary's column names (its header key)."""
        return {k: v for k, v in self._diary_columns().items() if isinstance(v, dict)}

    def remember_diary_columns(self, header_key: str, assignment: dict[str, str]) -> None:
        every = self._diary_columns()
        every.pop(header_key, None)
        every[header_key] = assignment
        kept = dict(list(every.items())[-MAX_DIARY_LAYOUTS:])
        self._qs.setValue("diary/columns", json.dumps(kept))

    def _diary_columns(self) -> dict[str, dict[str, str]]:
        try:
            value = json.loads(str(self._qs.value("diary/columns", "{}")))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
