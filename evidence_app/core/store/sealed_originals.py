"""The originals of an encrypted case: the `OriginalStore` of seam.py, sealed.

Each original is kept sealed (sealed.py: AES-256-GCM in 64 KiB chunks) under
`<case>/originals/<aa>/<name>`, where the name is an HMAC of its SHA-256 under a key
only the case has, so a listing of the folder reveals neither the files' hashes nor
anything else about them. The plain SHA-256 is sealed inside the file (its meta block):
`open` refuses a file kept under another original's name, and `all_hashes` reads it
back without decrypting the rest.

Writing follows `originals.Originals`: a temporary file in the store's folder, fsync,
rename, fsync of the folder. Nothing is ever written in the clear: `as_file` refuses
(a program that needs a file name gets the bytes some other way, e.g. Tesseract reads
standard input), and `link_into` writes a decrypted copy only where the case's cache
asks (its private folder in memory, see sealed_cache.py).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from evidence_app.core.errors import PlainFileRefused
from evidence_app.core.store.keys import CaseKeys, closed_keys, name_for
from evidence_app.core.store.originals import (
    CHUNK,
    TEMP_PREFIX,
    Cancelled,
    OriginalChanged,
    StoreError,
    _store_problem,
    fsync_folder,
    remove_stored,
    sweep_temp_files,
)
from evidence_app.core.store.sealed import SealedDamaged, SealedReader, SealedWriter, open_sealed


class SealedOriginals:
    """Sealed originals (see module docstring)."""

    def __init__(self, root: Path, keys: CaseKeys) -> None:
        self._root = root
        self._keys = keys
        root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return "SealedOriginals(<encrypted>)"

    def forget_keys(self) -> None:
        """The case closed: drop this store's reference to its keys."""
        self._keys = closed_keys()

    def _path(self, sha256: str) -> Path:
        name = name_for(self._keys.names, "original:" + sha256)
        return self._root / name[:2] / name

    def exists(self, sha256: str) -> bool:
        """Whether the original with this hash is stored."""
        return self._path(sha256).is_file()

    def put(self, source: BinaryIO, cancelled: Callable[[], bool] | None = None,
            limit: int | None = None) -> tuple[str, int, bool]:
        """Seal a stream into the store; (sha256, size, newly stored?). As
        `Originals.put`: whole or not at all, not written again when already intact."""
        digest = hashlib.sha256()
        size = 0
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self._root)
        except OSError as exc:
            raise StoreError(exc.errno, _store_problem(exc)) from exc
        tmp = Path(tmp_name)
        reading = False
        try:
            with os.fdopen(fd, "w+b") as out:
                writer = SealedWriter(out, self._keys.files)
                while True:
                    reading = True
                    chunk = source.read(CHUNK if limit is None else min(CHUNK, limit - size))
                    reading = False
                    if not chunk:
                        break
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    digest.update(chunk)
                    writer.write(chunk)
                    size += len(chunk)
                sha = digest.hexdigest()
                final = self._path(sha)
                if self.verify(sha) is None:
                    out.close()
                    tmp.unlink()
                    return sha, size, False
                writer.finish(bytes.fromhex(sha))
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
            if reading or isinstance(exc, StoreError):
                raise
            raise StoreError(exc.errno, _store_problem(exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def put_file(self, path: Path, cancelled: Callable[[], bool] | None = None,
                 ) -> tuple[str, int, bool]:
        """Seal a file as it was when opened (see `Originals.put_file`)."""
        with open(path, "rb") as fh:
            at_open = os.fstat(fh.fileno()).st_size
            return self.put(fh, cancelled, at_open if at_open > 0 else None)

    def put_bytes(self, data: bytes) -> tuple[str, int, bool]:
        """Seal bytes (a pasted picture)."""
        return self.put(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        """A seekable stream of the original's plain bytes, decrypted as it is read.
        FileNotFoundError when missing; OriginalChanged when the file kept under this
        name is another original; SealedDamaged (an OSError) when it fails its check."""
        raw = open(self._path(sha256), "rb")  # noqa: SIM115 - closed with the stream
        try:
            reader = SealedReader(raw, self._keys.files, "the stored original")
            if reader.meta() != bytes.fromhex(sha256):
                raise OriginalChanged(errno.EIO, "the stored file is another original")
            reader.seek(0)
        except BaseException:
            raw.close()
            raise
        return io.BufferedReader(reader, buffer_size=CHUNK)

    def read_bytes(self, sha256: str) -> bytes:
        """The original's exact bytes."""
        with self.open(sha256) as fh:
            return fh.read()

    def open_verified(self, sha256: str) -> BinaryIO:
        """The bytes, in memory, only if they hash to `sha256` (else OriginalChanged)."""
        try:
            data = self.read_bytes(sha256)
        except SealedDamaged as exc:
            raise OriginalChanged(errno.EIO, f"the stored file is damaged ({exc.strerror})"
                                  ) from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise OriginalChanged(errno.EIO, "the stored file no longer matches its SHA-256")
        return io.BytesIO(data)

    def verified_opener(self, sha256: str) -> Callable[[], BinaryIO]:
        """Like `opener`, through `open_verified`."""
        return lambda: self.open_verified(sha256)

    def opener(self, sha256: str) -> Callable[[], BinaryIO]:
        """A function opening the original afresh each time (a `core.media` source)."""
        return lambda: self.open(sha256)

    @contextlib.contextmanager
    def as_file(self, sha256: str) -> Iterator[Path]:
        """Refused: an encrypted case never writes an original in the clear for another
        program (give it the bytes: `read_bytes`, or `case.cache.viewer_copy`, which the
        app announces first)."""
        raise PlainFileRefused("This case is encrypted, so its files are not handed to "
                               "other programs as plain files.")
        yield Path()  # pragma: no cover - makes this a generator

    def link_into(self, sha256: str, target: Path) -> None:
        """Write a decrypted, read-only copy at `target` (the cache's private folder in
        memory: see `SealedCache.viewer_copy`)."""
        with self.open(sha256) as src, open(target, "xb") as dst:
            while chunk := src.read(CHUNK):
                dst.write(chunk)
        os.chmod(target, stat.S_IRUSR)

    def identity(self, sha256: str) -> str:
        """The stored file's state as the file system records it (see Originals)."""
        st = os.stat(self._path(sha256))
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"

    def verify(self, sha256: str) -> str | None:
        """Decrypt and re-hash one original; None when intact, else what is wrong."""
        path = self._path(sha256)
        if not path.is_file():
            return "original file is missing"
        digest = hashlib.sha256()
        try:
            with open_sealed(open(path, "rb"), self._keys.files, "the encrypted original") as fh:
                if fh.raw.meta() != bytes.fromhex(sha256):  # type: ignore[attr-defined]
                    return "the encrypted file kept under its name is another original"
                fh.seek(0)
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except SealedDamaged as exc:
            return f"original is damaged: {exc.strerror}"
        except OSError as exc:
            return f"original cannot be read ({exc.strerror or exc})"
        actual = digest.hexdigest()
        return None if actual == sha256 else f"original has changed (now hashes to {actual})"

    def remove(self, sha256: str) -> None:
        """Delete an original (emptying the trash, undoing an uncommitted import)."""
        remove_stored(self._path(sha256))

    def sweep_temp(self) -> int:
        """Remove temporary files left by an interrupted copy; return how many."""
        return sweep_temp_files(self._root)

    def all_hashes(self) -> Iterator[str]:
        """Every stored original's hash, read from the sealed meta blocks (a file that
        fails its check is listed by its stored name, so verify still mentions it)."""
        for sub in self._root.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for f in sub.iterdir():
                    if len(f.name) != 64:
                        continue
                    try:
                        with open(f, "rb") as raw:
                            yield SealedReader(raw, self._keys.files).meta().hex()
                    except OSError:
                        yield f"(unreadable encrypted file {f.name[:12]}...)"
