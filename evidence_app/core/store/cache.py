"""`<case>/cache/`: what can be rebuilt from the originals and may be deleted any time.

Thumbnails are read and written as bytes. Work files that a program must be given by
name (a report preview, a copy for the system viewer, a pasted picture on its way in)
are handed out inside the cache and removed by the store: when their block ends, when
the case closes, or by the sweep at the next open after a crash. Nothing is ever put
outside the case folder.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from evidence_app.core.store.seam import OriginalStore

STALE_AFTER_S = 12 * 3600
_TMP = ".tmp-"
_PREVIEW = "preview-"


class Cache:
    """The case's rebuildable files (see module docstring)."""

    def __init__(self, root: Path, originals: OriginalStore) -> None:
        self._root = root
        self._originals = originals
        root.mkdir(exist_ok=True)

    # -- thumbnails --------------------------------------------------------------------
    def _thumb(self, sha256: str) -> Path:
        return self._root / "thumbs" / sha256[:2] / f"{sha256}.jpg"

    def thumbnail(self, sha256: str) -> bytes | None:
        """The cached thumbnail (JPEG bytes) of an original, or None if there is none."""
        try:
            return self._thumb(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def save_thumbnail(self, sha256: str, data: bytes) -> None:
        """Keep a thumbnail (written whole or not at all)."""
        dest = self._thumb(sha256)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP, suffix=".jpg", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def remove_thumbnail(self, sha256: str) -> None:
        """Forget an original's thumbnail (its original was removed)."""
        self._thumb(sha256).unlink(missing_ok=True)

    # -- work files ----------------------------------------------------------------------
    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """An empty private folder in the cache, removed with everything in it when the
        block ends (or, after a crash, at the next open)."""
        folder = Path(tempfile.mkdtemp(prefix=_TMP, dir=self._root))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def preview_file(self, name: str) -> Path:
        """A place for a preview the app shows, named `preview-<name>`; previews are
        removed by `clear_previews`, when the case closes and at the next open."""
        folder = self._root / "reports"
        folder.mkdir(exist_ok=True)
        return folder / f"{_PREVIEW}{Path(name).name}"

    def clear_previews(self, partial: bool = False) -> None:
        """Remove the previews handed out. Anything else in their folder (a preview still
        being written under a temporary name) stays unless `partial` (at open, when
        nothing can be writing)."""
        for path in (self._root / "reports").glob("*" if partial else _PREVIEW + "*"):
            with contextlib.suppress(OSError):
                path.unlink()

    def viewer_copy(self, sha256: str, name: str, media_type: str) -> Path:
        """A read-only file with the original's exact bytes, named like the original
        (stored originals have no extension, which system viewers need)."""
        self._sweep_open_copies(older_than=STALE_AFTER_S)
        folder = self._root / "open" / sha256[:16]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _safe_name(name, media_type, sha256[:16])
        if not target.exists():
            self._originals.link_into(sha256, target)
        return target

    def clear_viewer_copies(self) -> int:
        """Remove every copy made for the system viewer; returns how many folders."""
        return self._sweep_open_copies(older_than=0)

    def _sweep_open_copies(self, older_than: float) -> int:
        root = self._root / "open"
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

    def sweep(self) -> None:
        """Remove half-written files and work folders left by a crash, and old previews."""
        for tmp in self._root.rglob(_TMP + "*"):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        for paste in self._root.glob(".paste-*"):  # left by versions before 0.2
            shutil.rmtree(paste, ignore_errors=True)
        self.clear_previews(partial=True)


def _safe_name(name: str, media_type: str, fallback: str) -> str:
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    cleaned = cleaned.strip(" .") or fallback
    if not Path(cleaned).suffix:
        cleaned += mimetypes.guess_extension(media_type or "") or ""
    return cleaned[:150]
