"""The names inside a case folder, and whether a folder holds a case.

Only names and a file check: cheap to import (no database code), so the GUI can ask
before it loads the database layer on a worker.
"""

from __future__ import annotations

from pathlib import Path

DB_NAME = "case.db"
ORIGINALS = "originals"
CACHE = "cache"
KEY_FILE = "case.key"  # only in an encrypted case (keys.py)


def is_case_folder(folder: Path, *, if_unknown: bool = False) -> bool:
    """Whether `folder` holds a case database (not whether it opens); `if_unknown` when
    the folder cannot even be looked at (no permission, a failing drive)."""
    try:
        return (Path(folder) / DB_NAME).is_file()
    except OSError:
        return if_unknown


def has_case_database(folder: Path) -> bool:
    """Whether anything by the case database's name is there, even a damaged one."""
    return (Path(folder) / DB_NAME).exists()


def has_key_file(folder: Path) -> bool:
    """Whether the folder holds an encrypted case's key file (a name check only: cheap
    enough for the GUI thread, no cryptography loaded)."""
    try:
        return (Path(folder) / KEY_FILE).is_file()
    except OSError:
        return False
