"""Content-addressed store of original files, named by SHA-256, never modified.

A file is copied into a temporary file in the store's own folder while it is hashed,
fsynced, renamed into place, made read-only, and the folder is fsynced. Only then may a
database row refer to it, so a crash leaves either nothing or a complete file.

Originals are read back as streams or bytes (`open`, `read_bytes`); no path leaves this
class except through `as_file` (for a program that must be given a file, such as the
OCR engine) and `link_into` (the system viewer's copy), which an encrypted store would
answer with a decrypted temporary copy it owns.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
TEMP_PREFIX = ".incoming-"
# A file that says it holds 0 bytes is read to its end, but no further than this.
UNKNOWN_SIZE_LIMIT = 256 * 1024 * 1024


class Cancelled(Exception):
    """Raised inside long copies when the caller's cancel check says stop."""


class OriginalChanged(OSError):
    """An original's bytes no longer hash to the SHA-256 it was stored under."""


class NotAFile(OSError):
    """The path is not a saved file that can be copied whole (a device, a pipe, a system
    file that never ends)."""


class StoreError(OSError):
    """The case's own folder cannot be written (the disk is full, or read-only): unlike a
    source file that cannot be read, this stops every further import."""


def fsync_folder(folder: Path) -> None:
    """Make a folder's new and renamed entries durable (a no-op on Windows)."""
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _store_problem(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return f"the disk holding the case is full ({exc.strerror})"
    if exc.errno == errno.EROFS:
        return "the disk holding the case is read-only"
    return f"the case folder cannot be written ({exc.strerror or exc})"


def sha256_file(path: Path) -> str:
    """Hash a file's bytes in chunks."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def remove_stored(path: Path) -> None:
    """Delete a stored file (read-only by design) durably; nothing if it is not there."""
    if path.exists():
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        path.unlink()
        fsync_folder(path.parent)


def sweep_temp_files(root: Path) -> int:
    """Remove temporary files an interrupted copy left in a store; return how many."""
    removed = 0
    for tmp in root.glob(TEMP_PREFIX + "*"):
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


class Originals:
    """Originals under `<case>/originals/<aa>/<sha256>`."""

    def __init__(self, root: Path) -> None:
        self._root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        """Where the original with this hash lives (whether or not it exists)."""
        return self._root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the original with this hash is stored."""
        return self._path(sha256).is_file()

    def put(self, source: BinaryIO, cancelled: Callable[[], bool] | None = None,
            limit: int | None = None, *, refuse_over: int | None = None,
            ) -> tuple[str, int, bool]:
        """Copy a stream into the store; return (sha256, size, newly stored?).

        At most `limit` bytes are copied when it is given; a stream longer than
        `refuse_over` bytes is not stored at all (`NotAFile`). Bytes already stored are not
        written again (and not fsynced again), unless the stored copy no longer matches
        its name, in which case the fresh copy replaces it.
        """
        digest = hashlib.sha256()
        size = 0
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self._root)
        except OSError as exc:
            raise StoreError(exc.errno, _store_problem(exc)) from exc
        tmp = Path(tmp_name)
        reading = False
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    reading = True
                    chunk = source.read(CHUNK if limit is None else min(CHUNK, limit - size))
                    reading = False
                    if not chunk:
                        break
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    size += len(chunk)
                    if refuse_over is not None and size > refuse_over:
                        raise NotAFile(errno.EFBIG, "the file reports no size but kept "
                                       f"producing bytes past {refuse_over // 2**20} MB "
                                       "(a system file, not a saved one)")
                    digest.update(chunk)
                    out.write(chunk)
                sha = digest.hexdigest()
                final = self._path(sha)
                if self._intact(final, sha, size):
                    tmp.unlink()
                    return sha, size, False
                out.flush()
                os.fsync(out.fileno())
            if not final.parent.is_dir():
                final.parent.mkdir(exist_ok=True)
                fsync_folder(self._root)
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP)
            os.replace(tmp, final)
            fsync_folder(final.parent)
            return sha, size, True
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if reading or isinstance(exc, (StoreError, NotAFile)):
                raise
            raise StoreError(exc.errno, _store_problem(exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @staticmethod
    def _intact(path: Path, sha256: str, size: int) -> bool:
        try:
            if not path.is_file() or path.stat().st_size != size:
                return False
            return sha256_file(path) == sha256
        except OSError:
            return False

    def put_file(self, path: Path, cancelled: Callable[[], bool] | None = None,
                 ) -> tuple[str, int, bool]:
        """Copy a file into the store; return (sha256, size, newly stored?).

        A file that is still growing (being downloaded or written by another program)
        is copied as it was when opened, so the copy always ends. A file reporting size
        0 is read to its end (some readable files do not know their size), but at most
        `UNKNOWN_SIZE_LIMIT` bytes: one that keeps producing bytes is refused. Only a
        regular file is read; it is opened without waiting, so a pipe or a device
        swapped in for a file cannot hang the copy (`NotAFile`).
        """
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise NotAFile(errno.EINVAL, "not a regular file (a device, pipe or socket "
                                             "cannot be evidence)")
            fh = open(fd, "rb")  # noqa: SIM115 - closed by the `with` below
        except BaseException:
            os.close(fd)
            raise
        with fh:
            if st.st_size > 0:
                return self.put(fh, cancelled, st.st_size)
            return self.put(fh, cancelled, UNKNOWN_SIZE_LIMIT + 1,
                            refuse_over=UNKNOWN_SIZE_LIMIT)

    def put_bytes(self, data: bytes) -> tuple[str, int, bool]:
        """Store bytes (e.g. a pasted image); return (sha256, size, newly stored?)."""
        import io

        return self.put(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        """Open an original for reading (a seekable stream; close it when done).
        Raises FileNotFoundError when it is missing."""
        return open(self._path(sha256), "rb")

    def read_bytes(self, sha256: str) -> bytes:
        """An original's exact bytes."""
        with self.open(sha256) as fh:
            return fh.read()

    def open_verified(self, sha256: str) -> BinaryIO:
        """The original's bytes, in memory, only if they still hash to `sha256`
        (OriginalChanged if not): for anything drawn or copied under that hash."""
        with self.open(sha256) as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise OriginalChanged(errno.EIO, "the stored file no longer matches its SHA-256")
        return io.BytesIO(data)

    def verified_opener(self, sha256: str) -> Callable[[], BinaryIO]:
        """Like `opener`, through `open_verified`."""
        return lambda: self.open_verified(sha256)

    def opener(self, sha256: str) -> Callable[[], BinaryIO]:
        """A function that opens this original afresh each time it is called (what
        `core.media` takes as a source)."""
        return lambda: self.open(sha256)

    @contextlib.contextmanager
    def as_file(self, sha256: str) -> Iterator[Path]:
        """A read-only file holding the original's bytes, for a program that can only be
        given a file name; valid until the block ends. Never write to it."""
        path = self._path(sha256)
        if not path.is_file():
            raise FileNotFoundError(errno.ENOENT, "original file is missing", sha256)
        yield path

    def link_into(self, sha256: str, target: Path) -> None:
        """Put a read-only copy of the original at `target` (a hard link where the file
        system allows: no extra space), for the system viewer."""
        source = self._path(sha256)
        if not source.is_file():
            raise FileNotFoundError(errno.ENOENT, "original file is missing", sha256)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
            os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)

    def identity(self, sha256: str) -> str:
        """The stored file's state as the file system records it (device, inode, size,
        change and modification times): any write to it, replacement or restore from
        elsewhere changes it, so an unchanged identity means bytes already checked were
        not touched since. FileNotFoundError when the original is missing."""
        st = os.stat(self._path(sha256))
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"

    def verify(self, sha256: str) -> str | None:
        """Re-hash one original; None when intact, else a description of the problem."""
        path = self._path(sha256)
        if not path.is_file():
            return "original file is missing"
        try:
            actual = sha256_file(path)
        except OSError as exc:
            return f"original cannot be read ({exc.strerror or exc})"
        return None if actual == sha256 else f"original has changed (now hashes to {actual})"

    def remove(self, sha256: str) -> None:
        """Delete an original (only when emptying the trash or undoing an uncommitted import)."""
        remove_stored(self._path(sha256))

    def sweep_temp(self) -> int:
        """Remove temporary files left by an interrupted copy; return how many."""
        return sweep_temp_files(self._root)

    def all_hashes(self) -> Iterator[str]:
        """Every original's hash (by name) currently in the store."""
        for sub in self._root.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for f in sub.iterdir():
                    if len(f.name) == 64:
                        yield f.name
