"""Qt's own file chooser remembers the folders it visited (its "history" and the last
folder, in Qt's user settings, `QtProject.conf`, shared by every Qt program). For a case
protected by a passphrase whose place the person chose not to have remembered, the app
takes that folder back out of that memory, so the chooser does not offer it to whoever
opens it next. (What a system file chooser of the desktop remembers is outside the app's
reach; the README says so.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl

GROUP = "FileDialog"


def _inside(url: str, folder: Path) -> bool:
    local = QUrl(url).toLocalFile() if "://" in url else url
    if not local:
        return False
    try:
        Path(local).resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True


def forget_folder(folder: Path) -> int:
    """Remove `folder` and anything inside it from Qt's file-chooser memory; returns how
    many entries went."""
    folder = Path(folder).resolve()
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.beginGroup(GROUP)
    removed = 0
    history = settings.value("history", [])
    if isinstance(history, str):
        history = [history] if history else []
    if isinstance(history, list):
        kept = [str(h) for h in history if not _inside(str(h), folder)]
        removed += len(history) - len(kept)
        if removed:
            settings.setValue("history", kept)
    last = settings.value("lastVisited", "")
    if last and _inside(str(last), folder):
        settings.setValue("lastVisited", QUrl.fromLocalFile(str(folder.parent)).toString())
        removed += 1
    settings.endGroup()
    settings.sync()
    return removed
