"""What to tell a person when a case cannot be opened, and what they can do next.

Core raises one `CaseError` with a precise (often technical) sentence; here the folder
itself is looked at to put the reason in plain words. The core sentence is kept as the
details, for whoever helps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence_app.core.errors import CaseLockedError, UserError
from evidence_app.core.store.folder import DB_NAME, ORIGINALS, is_case_folder
from evidence_app.logs import log_exception


@dataclass(frozen=True)
class Explanation:
    title: str
    text: str  # what happened, in a sentence
    advice: str  # what to do next
    details: str = ""  # the exact reason, for whoever helps them
    forget: bool = False  # the folder is not a case (any more): drop it from recent cases
    damaged: bool = False  # SQLite refuses its database: Check my evidence reads a copy


def explain_open_failure(exc: BaseException, folder: Path) -> Explanation:
    """Plain words for why `folder` did not open."""
    name = f"\u201c{folder.name}\u201d" if folder.name else "This folder"
    details = str(exc) if isinstance(exc, UserError) else f"Details are in the log: {log_exception(exc)}"
    if isinstance(exc, CaseLockedError):
        return Explanation(
            "This case is already open",
            f"{name} is open in another window of this app, perhaps on another account "
            "on this computer.",
            "Close it there, then open it here again. Only one window at a time can change "
            "a case, so that nothing is lost.", details)
    try:
        there = folder.exists()
    except OSError as err:  # no permission to look, a name too long, a drive that fails
        return Explanation(
            "The case folder cannot be reached",
            f"{name} could not be looked at: {err.strerror or err}.",
            "If it is on a drive or belongs to another account, check that it is plugged in "
            "and that you may open it, then try again.", details)
    if not there:
        return Explanation(
            "The case folder cannot be found",
            f"{name} is no longer at {folder.parent}. It may have been moved, renamed or "
            "deleted, or it is on a USB stick or drive that is not plugged in.",
            "If it is on a drive, plug it in and try again. If you moved it, choose "
            "\u201cOpen case folder\u2026\u201d and find it in its new place.", details,
            forget=not _on_removable_drive(folder))
    # Not known to be missing when it cannot be looked at: then it is not "not a case".
    if not is_case_folder(folder, if_unknown=True):
        return Explanation(
            "This folder is not a case",
            f"{name} does not hold a case made by this app.",
            "A case folder is the one you chose when you created the case; it holds a "
            f"file called {DB_NAME} and a folder called \u201c{ORIGINALS}\u201d. Choose that "
            "folder, or start a new case.", details, forget=True)
    from evidence_app.core.cases import database_refused

    if database_refused(folder, exc):
        return Explanation(
            "The case could not be read",
            f"The file that holds the records of {name} ({DB_NAME}) is damaged, so the case "
            "cannot be opened. Nothing in the folder was changed.",
            "Choose \u201cCheck what can still be read\u201d: the app repairs a copy of the "
            "file in a temporary place and tells you what is left. Keep the folder exactly as "
            "it is and do not add anything to it: your original photos and screenshots are "
            f"still in its \u201c{ORIGINALS}\u201d folder. If you have a backup file, "
            "restore it into a new folder (File \u203a Restore a backup\u2026).", details,
            damaged=True)
    if isinstance(exc, UserError) and "cannot be read" in str(exc):
        return Explanation(
            "The case could not be read",
            f"The log of {name} ({DB_NAME}) is damaged or is not a case file. Nothing in "
            "the folder was changed.",
            "Keep the folder exactly as it is: your original photos and screenshots are "
            f"still in its \u201c{ORIGINALS}\u201d folder. If you have a backup or a copy of "
            "the case, open that instead; otherwise ask someone you trust (or your "
            "advocate) to look at it.", details)
    return Explanation("The case could not be opened", str(exc) if isinstance(exc, UserError)
                       else "Something went wrong while opening it. Nothing in the folder "
                       "was changed.", "Try again; if it keeps happening, the log file says why.",
                       details)


def _on_removable_drive(folder: Path) -> bool:
    """Whether the folder may come back: it was under a place where drives are mounted, or
    the folder it was in is missing too (a drive that is not plugged in, such as E: on
    Windows, where the mount-point names above never appear)."""
    parts = folder.parts
    if len(parts) > 1 and parts[1] in ("media", "mnt", "run", "Volumes"):
        return True
    try:
        return not folder.parent.exists()
    except OSError:  # a drive that cannot be asked
        return True

