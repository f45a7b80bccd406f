"""The names inside a case folder, and whether a folder holds a case.

Only names and a file check: cheap to import (no database code), so the GUI can ask
before it loads the database layer on a worker.
"""

from __future__ import annotations

from pathlib import Path

DB_NAME = "case.db"
ORIGINALS = "originals"
CACHE = "cache"


def is_case_folder(folder: Path) -> bool:
    """Whether `folder` holds a case database (not whether it opens)."""
    return (Path(folder) / DB_NAME).is_file()
