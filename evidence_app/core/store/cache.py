"""`<case>/cache/`: what can be rebuilt from the originals and may be deleted any time.

Thumbnails are read and written as bytes. Renditions (an original's picture made ready
for a report page) are made once from bytes whose hash was checked while they were read,
kept with a checksum of their own and the original's file-system identity at that
moment, and handed out again only while the original is untouched (see `rendition`).
Work files that a program must be given by
name (a report preview, a copy for the system viewer, a pasted picture on its way in)
are handed out inside the cache and removed by the store: when their block ends, when
the case closes, or by the sweep at the next open after a crash. Nothing is ever put
outside the case folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mimetypes
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from evidence_app.core.store.seam import OriginalStore

STALE_AFTER_S = 12 * 3600
_TMP = ".tmp-"
_PREVIEW = "preview-"
_RENDITION = b"EVR1"  # a rendition file: magic, SHA-256 of the rest, identity, payload
_KIND = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}")


class Cache:
    """The case's rebuildable files (see module docstring)."""

    def __init__(self, root: Path, originals: OriginalStore, read_only: bool = False) -> None:
        self._root = root
        self._originals = originals
        # A case on a medium that cannot be written: nothing is kept, and work files go
        # to a private temporary folder outside the case, removed when done.
        self._read_only = read_only
        if not read_only:
            root.mkdir(exist_ok=True)

    # -- thumbnails --------------------------------------------------------------------
    def _thumb(self, sha256: str) -> Path:
        return self._root / "thumbs" / sha256[:2] / f"{sha256}.jpg"

    def thumbnail(self, sha256: str) -> bytes | None:
        """The cached thumbnail (JPEG bytes) of an original, or None if there is none."""
        return self._load(self._thumb(sha256))

    def save_thumbnail(self, sha256: str, data: bytes) -> None:
        """Keep a thumbnail (written whole or not at all)."""
        dest = self._thumb(sha256)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP, suffix=".jpg", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._sealed(data))
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # How a kept file's bytes are stored: as they are here; the encrypted case's cache
    # (sealed_cache.py) seals them instead.
    def _load(self, path: Path) -> bytes | None:
        """A kept file's bytes, or None when it is missing (or, sealed, damaged)."""
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def _sealed(self, data: bytes) -> bytes:
        """The bytes to write for `data`."""
        return data

    def remove_thumbnail(self, sha256: str) -> None:
        """Forget an original's thumbnail and renditions (its original was removed)."""
        self._thumb(sha256).unlink(missing_ok=True)
        folder = self._root / "renditions" / sha256[:2]
        if folder.is_dir():
            for path in folder.glob(f"{sha256}-*"):
                path.unlink(missing_ok=True)

    # -- renditions ----------------------------------------------------------------------
    def _rendition_path(self, sha256: str, kind: str) -> Path:
        if not _KIND.fullmatch(kind) or not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(f"not a rendition key: {sha256!r}, {kind!r}")
        return self._root / "renditions" / sha256[:2] / f"{sha256}-{kind}"

    def rendition(self, sha256: str, kind: str,
                  make: Callable[[Callable[[], BinaryIO]], bytes]) -> bytes:
        """The `kind` rendition of an original (a report's page picture), made at most once.

        A rendition is only ever made from bytes that hashed to `sha256` while they were
        read: `make` is given a function opening those checked bytes. A kept rendition is
        handed out only while the original is the file it was made from: when its
        file-system identity has changed since (written, replaced, restored from a
        copy), the original is hashed again first. So a swapped original raises
        `OriginalChanged`, and a missing one FileNotFoundError, whether or not a
        rendition is kept. A kept rendition that is damaged (checksum) is made again.
        Errors from `make` pass through and nothing is kept.
        """
        path = self._rendition_path(sha256, kind)
        try:
            raw = self._load(path)
        except OSError:
            raw = None
        kept = _read_rendition(path, raw)
        identity = self._originals.identity(sha256)  # before reading: see above
        if kept is not None:
            was, data = kept
            if was != identity:
                self._originals.open_verified(sha256).close()  # OriginalChanged if swapped
                self._write_rendition(path, identity, data)
            return data
        with self._originals.open_verified(sha256) as fh:
            raw = fh.read()
        data = make(lambda: io.BytesIO(raw))
        self._write_rendition(path, identity, data)
        return data

    def _write_rendition(self, path: Path, identity: str, data: bytes) -> None:
        """Written whole or not at all; not fsynced (a torn file fails its checksum)."""
        if self._read_only:
            return
        ident = identity.encode()
        body = len(ident).to_bytes(2, "big") + ident + data
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._sealed(_RENDITION + hashlib.sha256(body).digest() + body))
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)  # a full disk: the report still builds
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def clear_renditions(self) -> int:
        """Remove every kept rendition (they are made again when next needed)."""
        root = self._root / "renditions"
        count = sum(1 for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0
        shutil.rmtree(root, ignore_errors=True)
        return count

    # -- work files ----------------------------------------------------------------------
    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """An empty private folder in the cache, removed with everything in it when the
        block ends (or, after a crash, at the next open)."""
        folder = Path(tempfile.mkdtemp(prefix=_TMP, dir=None if self._read_only else self._root))
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

    def close(self) -> None:
        """The case is closing: remove the previews handed out."""
        self.clear_previews()

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


def _read_rendition(path: Path, raw: bytes | None) -> tuple[str, bytes] | None:
    """(identity, payload) of a kept rendition (`raw`, read from `path`); None, and the
    file removed, if damaged."""
    if raw is None:
        return None
    body = raw[len(_RENDITION) + 32:]
    if (raw[:len(_RENDITION)] == _RENDITION and len(body) >= 2
            and hashlib.sha256(body).digest() == raw[len(_RENDITION):len(_RENDITION) + 32]):
        n = int.from_bytes(body[:2], "big")
        with contextlib.suppress(UnicodeDecodeError):
            return body[2:2 + n].decode(), body[2 + n:]
    path.unlink(missing_ok=True)
    return None


def _safe_name(name: str, media_type: str, fallback: str) -> str:
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    cleaned = cleaned.strip(" .") or fallback
    if not Path(cleaned).suffix:
        cleaned += mimetypes.guess_extension(media_type or "") or ""
    return cleaned[:150]
