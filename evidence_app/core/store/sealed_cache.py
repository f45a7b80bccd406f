"""The cache of an encrypted case: the `CacheStore` of seam.py, sealed.

Thumbnails and renditions are kept as in `cache.Cache`, but sealed (sealed.py, with the
case's cache key) under names that are HMACs of what they are, so nothing in
`<case>/cache/` can be read or even matched to an original without the key.

Work files a program must be given by name (a report being written, a pasted picture
on its way in, a report preview, a copy for the system viewer) are never written to
disk in the clear: they go to a private folder (mode 0700) in memory, on the tmpfs that
Linux keeps at $XDG_RUNTIME_DIR or /dev/shm, removed when their block ends and when the
case closes; a folder left by a process that died is removed at the next open. Where no
memory-backed folder exists (Windows, macOS), they go to the case's cache folder and
are overwritten before they are removed (see `wipe_file` for what that can and cannot
promise). `viewer_copy` hands a decrypted file to another program: the app says so
first (`Case.encrypted`), and it is removed at close.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from evidence_app.core.store.cache import _TMP, Cache, _safe_name
from evidence_app.core.store.keys import CaseKeys, closed_keys, name_for
from evidence_app.core.store.sealed import SealedDamaged, seal_bytes, unseal_bytes
from evidence_app.core.store.seam import OriginalStore

WORK_PREFIX = "evidence-app-"


def memory_folder() -> Path | None:
    """A folder whose files live in memory only (tmpfs), private to this user, or None."""
    if not os.path.exists("/proc/self/mounts"):
        return None
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
            mounts = {line.split()[1]: line.split()[2] for line in fh if len(line.split()) > 2}
    except OSError:
        return None
    for candidate in (os.environ.get("XDG_RUNTIME_DIR", ""), "/dev/shm"):
        if candidate and mounts.get(candidate) in ("tmpfs", "ramfs") and os.path.isdir(
                candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return None


def wipe_file(path: Path) -> None:
    """Overwrite a file's bytes with zeros, fsync, then unlink it.

    On a hard disk this replaces the bytes where they were. On an SSD (which writes
    elsewhere and maps the old blocks out) or a copy-on-write file system (btrfs, APFS,
    ZFS) the old bytes may survive until the drive reuses them: only full-disk
    encryption protects those. It still removes every way of reaching them through the
    file system."""
    with contextlib.suppress(OSError):
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            block = bytes(min(size, 1 << 20))
            left = size
            while left > 0:
                n = min(left, len(block))
                fh.write(block[:n])
                left -= n
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def wipe_tree(folder: Path) -> None:
    """`wipe_file` every file under `folder`, then remove it."""
    if not folder.exists():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_symlink():
            path.unlink(missing_ok=True)
        elif path.is_file():
            wipe_file(path)
        elif path.is_dir():
            with contextlib.suppress(OSError):
                os.chmod(path, stat.S_IRWXU)
                path.rmdir()
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class SealedCache(Cache):
    """Sealed thumbnails and renditions; work files in memory (see module docstring)."""

    def __init__(self, root: Path, originals: OriginalStore, keys: CaseKeys) -> None:
        super().__init__(root, originals)
        self._keys = keys
        self._work: Path | None = None

    def __repr__(self) -> str:
        return "SealedCache(<encrypted>)"

    def forget_keys(self) -> None:
        """The case closed: drop this store's reference to its keys."""
        self._keys = closed_keys()

    # -- kept files: sealed, under names that reveal nothing ----------------------------
    def _thumb(self, sha256: str) -> Path:
        name = name_for(self._keys.names, "thumbnail:" + sha256)
        return self._root / "thumbs" / name[:2] / name

    def _renditions_of(self, sha256: str) -> Path:
        return self._root / "renditions" / name_for(self._keys.names, "renditions:" + sha256)

    def _rendition_path(self, sha256: str, kind: str) -> Path:
        super()._rendition_path(sha256, kind)  # checks the key
        return self._renditions_of(sha256) / name_for(self._keys.names,
                                                      f"rendition:{sha256}:{kind}")

    def remove_thumbnail(self, sha256: str) -> None:
        """Forget an original's thumbnail and its renditions."""
        self._thumb(sha256).unlink(missing_ok=True)
        shutil.rmtree(self._renditions_of(sha256), ignore_errors=True)

    def _load(self, path: Path) -> bytes | None:
        raw = super()._load(path)
        if raw is None:
            return None
        try:
            return unseal_bytes(self._keys.cache, raw)
        except SealedDamaged:
            path.unlink(missing_ok=True)  # rebuilt when next needed
            return None

    def _sealed(self, data: bytes) -> bytes:
        return seal_bytes(self._keys.cache, data)

    # -- work files: in memory ----------------------------------------------------------
    def _work_root(self) -> Path:
        """This open case's private work folder (made when first needed)."""
        if self._work is None or not self._work.is_dir():
            base = memory_folder()
            if base is None:
                base = self._root
            self._work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-",
                                               dir=base))
        return self._work

    def _remove(self, path: Path) -> None:
        """Remove a work file or folder: overwritten first unless it lives in memory."""
        in_memory = memory_folder() is not None and self._work is not None and \
            not self._work.is_relative_to(self._root)
        if path.is_dir():
            if in_memory:
                shutil.rmtree(path, ignore_errors=True)
            else:
                wipe_tree(path)
        elif in_memory:
            path.unlink(missing_ok=True)
        else:
            wipe_file(path)

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """An empty private folder in memory, removed with its contents afterwards."""
        folder = Path(tempfile.mkdtemp(prefix=_TMP, dir=self._work_root()))
        try:
            yield folder
        finally:
            self._remove(folder)

    def preview_file(self, name: str) -> Path:
        """A place in memory for a preview the app shows, removed at close."""
        folder = self._work_root() / "reports"
        folder.mkdir(exist_ok=True)
        return folder / f"preview-{Path(name).name}"

    def clear_previews(self, partial: bool = False) -> None:
        """Remove the previews handed out (and, with `partial`, anything beside them)."""
        if self._work is None:
            return
        folder = self._work / "reports"
        for path in folder.glob("*" if partial else "preview-*"):
            self._remove(path)

    def viewer_copy(self, sha256: str, name: str, media_type: str) -> Path:
        """A decrypted, read-only copy of an original for the system viewer, in memory
        where the system allows (see module docstring); removed at close. The app tells
        the person first: the viewer itself may remember the file."""
        folder = self._work_root() / "open" / sha256[:16]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _safe_name(name, media_type, sha256[:16])
        if not target.exists():
            self._originals.link_into(sha256, target)
        return target

    def clear_viewer_copies(self) -> int:
        """Remove every decrypted copy made for the system viewer; how many folders."""
        if self._work is None:
            return 0
        root = self._work / "open"
        folders = [f for f in root.iterdir() if f.is_dir()] if root.is_dir() else []
        for folder in folders:
            self._remove(folder)
        return len(folders)

    def close(self) -> None:
        """The case is closing: every work file goes, viewer copies included."""
        if self._work is not None:
            self._remove(self._work)
            self._work = None

    def sweep(self) -> None:
        """Remove what a crash left: half-written cache files, and the work folders of
        processes that have ended (in memory, or in the cache where there is none)."""
        super().sweep()
        for base in {memory_folder(), self._root} - {None}:
            assert base is not None
            for folder in base.glob(WORK_PREFIX + "*"):
                pid = folder.name[len(WORK_PREFIX):].split("-", 1)[0]
                if folder.is_dir() and pid.isdigit() and not _alive(int(pid)) and (
                        folder.stat().st_uid == os.getuid() if hasattr(os, "getuid") else True):
                    wipe_tree(folder) if base == self._root else shutil.rmtree(
                        folder, ignore_errors=True)
