"""Handing an original to the system's own viewer, under its real file name.

Originals are stored under their SHA-256 with no extension, which system viewers cannot
recognise. `openable_path` gives a read-only hard link (a copy where links are not
possible) named like the original, inside the case's `cache/open/`, so nothing is left
outside the case folder. `clear_open_copies` removes them when the case closes.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import stat
import time
from pathlib import Path

from evidence_app.core.attachments import get_attachment
from evidence_app.core.errors import NotFoundError
from evidence_app.core.store.case import Case

STALE_AFTER_S = 12 * 3600


def _safe_name(name: str, media_type: str, fallback: str) -> str:
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    cleaned = cleaned.strip(" .") or fallback
    if not Path(cleaned).suffix:
        cleaned += mimetypes.guess_extension(media_type or "") or ""
    return cleaned[:150]


def _open_dir(case: Case) -> Path:
    return case.cache_dir / "open"


def openable_path(case: Case, attachment_id: int) -> Path:
    """A read-only path to the original's exact bytes, named like the original file."""
    att = get_attachment(case, attachment_id, allow_deleted=True)
    source = case.blobs.path(att.sha256)
    if not source.is_file():
        raise NotFoundError(f"The original of exhibit {att.exhibit_mark} is missing from the case.")
    _sweep(case, older_than=STALE_AFTER_S)
    folder = _open_dir(case) / att.sha256[:16]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _safe_name(att.original_name, att.media_type, att.sha256[:16])
    if target.exists():
        return target
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)
    return target


def _sweep(case: Case, older_than: float) -> int:
    root = _open_dir(case)
    if not root.is_dir():
        return 0
    removed = 0
    cutoff = time.time() - older_than
    for folder in root.iterdir():
        try:
            if older_than and folder.stat().st_mtime > cutoff:
                continue
            for f in folder.iterdir():
                # A hard link shares the original's read-only mode; unlinking needs
                # only write access to the folder, so the original's mode is untouched.
                f.unlink()
            folder.rmdir()
            removed += 1
        except OSError:
            continue
    return removed


def clear_open_copies(case: Case) -> int:
    """Remove every link or copy made for the system viewer; returns how many."""
    return _sweep(case, older_than=0)
