"""Turning a plain case into an encrypted one.

The encrypted copy is made beside the case (a hidden sibling folder), checked against
the plain case record by record and original by original, and only then put in its
place; the plain files are then overwritten and removed. Until the swap, the plain case
is untouched and held locked (so nothing writes to it meanwhile); cancelling, a failure
or a crash before the swap leaves it exactly as it was, and the half-made copy is
removed (or, after a crash, at the next conversion).

What overwriting can promise depends on the disk: see `SSD_NOTE`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from evidence_app.core.errors import CaseError
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store import database
from evidence_app.core.store.anchor import HEAD_NAME
from evidence_app.core.store.cache import Cache
from evidence_app.core.store.case import Case, DerivedData
from evidence_app.core.store.encryption import NewKeys, is_encrypted
from evidence_app.core.store.folder import CACHE, DB_NAME, ORIGINALS, is_case_folder
from evidence_app.core.store.lock import CaseLock
from evidence_app.core.store.originals import Originals
from evidence_app.core.store.sealed_cache import SealedCache, wipe_tree
from evidence_app.core.store.sealed_originals import SealedOriginals

SSD_NOTE = (
    "The plain files were overwritten before they were removed. On a hard disk that "
    "destroys them. On an SSD or a copy-on-write file system (btrfs, APFS, ZFS), and in "
    "any backup or cloud copy made earlier, the old bytes may survive until the drive "
    "reuses the space: only the computer's own full-disk encryption (BitLocker, "
    "FileVault, LUKS) protects those, so turn it on if you can.")
STAGING = ".encrypting-"
PLAIN = ".plain-"
# What a case folder holds; anything else is left where it is, and named.
KNOWN = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", ORIGINALS, CACHE,
         "backups", "case.lock", HEAD_NAME, f".{HEAD_NAME}.tmp"}


@dataclass(frozen=True, repr=False)
class EncryptResult:
    """What the conversion made: the recovery key (show it once) and what to say."""

    folder: Path
    recovery_key: str
    originals: int
    records: int
    message: str
    left_alone: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"EncryptResult({str(self.folder)!r}, originals={self.originals})"


def encrypt_folder(folder: Path, passphrase: str, *, derived: Sequence[DerivedData],
                   cancel: CancelToken | None = None) -> Iterator[Progress]:
    """Convert the plain case in `folder`; yields Progress, the last with an
    EncryptResult. The case must not be open (CaseLockedError)."""
    folder = Path(folder).expanduser().resolve()
    if not is_case_folder(folder):
        raise CaseError(f"{folder} is not a case folder (it has no {DB_NAME}).")
    if is_encrypted(folder):
        raise CaseError(f"The case in {folder} is already encrypted.")
    token = cancel or CancelToken()
    new_keys = NewKeys.make(passphrase)  # checks the passphrase before any work
    lock = CaseLock(folder)
    lock.acquire()
    staging = folder.parent / f".{folder.name}{STAGING}{os.getpid()}"
    plain = folder.parent / f".{folder.name}{PLAIN}{os.getpid()}"
    left: tuple[str, ...] = ()
    try:
        for old in folder.parent.glob(f".{folder.name}{STAGING}*"):
            shutil.rmtree(old, ignore_errors=True)  # encrypted leftovers of a crash
        staging.mkdir(mode=stat.S_IRWXU)
        result = yield from _build(folder, staging, new_keys, derived, token)
        if result is None:
            shutil.rmtree(staging, ignore_errors=True)
            return
        originals, records = result
        yield Progress(originals + 2, originals + 3, "Putting the encrypted case in place")
        left = tuple(sorted(p.name for p in folder.iterdir() if p.name not in KNOWN))
        left += tuple(f"backups/{p.name}" for p in sorted((folder / "backups").glob("*"))
                      if not _is_database_copy(p)) if (folder / "backups").is_dir() else ()
        for name in left:  # not the store's: it stays in the case folder as it was
            os.replace(folder / name, staging / name)
        os.replace(folder, plain)
        os.replace(staging, folder)
        _fsync(folder.parent)
    except BaseException:
        if not folder.exists() and plain.is_dir():
            os.replace(plain, folder)  # the swap failed half-way: the plain case goes back
        if folder.is_dir():
            for name in left:
                if (staging / name).exists() and not (folder / name).exists():
                    os.replace(staging / name, folder / name)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        lock.release()
    yield Progress(originals + 2, originals + 3, "Overwriting and removing the plain files")
    wipe_tree(plain)
    with contextlib.closing(Case.open(folder, derived=derived, keys=new_keys.keys)) as case, \
            case.write() as (_session, audit):
        audit.log("encrypt", "case", 1, originals=originals, records=records,
                  database="SQLCipher 4", files="AES-256-GCM")
    message = (f"The case is now encrypted ({originals} original(s) and {records} "
               f"record(s) checked against the plain copy). {SSD_NOTE}")
    if left:
        message += (" These were not part of the case's records and were left as they "
                    f"were, not encrypted: {', '.join(left)}.")
    yield Progress(originals + 3, originals + 3, "Done",
                   EncryptResult(folder, new_keys.recovery_key, originals, records, message,
                                 left))


def finish_interrupted(folder: Path) -> None:
    """Complete a conversion a crash interrupted, so no plain copy stays behind.

    Only a checked encrypted copy is ever swapped in, so a plain sibling means the copy
    beside it passed every check: if the case folder itself is missing (the crash came
    between the two renames), the encrypted copy takes its place; a plain sibling left
    over (the crash came while it was being overwritten) is overwritten and removed.
    """
    folder = Path(folder).expanduser().absolute()
    parent = folder.parent
    if not parent.is_dir():
        return
    plains = sorted(parent.glob(f".{glob_escape(folder.name)}{PLAIN}*"))
    if not plains:
        return
    if not folder.exists():
        staged = sorted(parent.glob(f".{glob_escape(folder.name)}{STAGING}*"))
        if len(staged) != 1 or not (staged[0] / DB_NAME).is_file():
            return  # not a state this code leaves: touch nothing
        os.replace(staged[0], folder)
        _fsync(parent)
    if is_case_folder(folder) and is_encrypted(folder):
        for plain in plains:
            wipe_tree(plain)


def glob_escape(name: str) -> str:
    """A folder name with glob's special characters taken literally."""
    import glob

    return glob.escape(name)


def _build(folder: Path, staging: Path, new_keys: NewKeys, derived: Sequence[DerivedData],
           token: CancelToken) -> Generator[Progress, None, tuple[int, int] | None]:
    """Make and check the encrypted copy; (originals, records), or None if cancelled."""
    keys = new_keys.keys
    plain_db = folder / DB_NAME
    with database.raw_connection(plain_db) as con:  # fold the log in: one file to copy
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain = Originals(folder / ORIGINALS)
    hashes = sorted(plain.all_hashes())
    total = len(hashes) + 3
    yield Progress(0, total, "Encrypting the database")
    new_keys.write(staging)
    database.export_encrypted(plain_db, staging / DB_NAME, keys.database)
    backups = folder / "backups"
    if backups.is_dir():
        (staging / "backups").mkdir()
        for copy in sorted(backups.glob("*")):
            if _is_database_copy(copy):  # anything else moves across as it is (named)
                database.export_encrypted(copy, staging / "backups" / copy.name, keys.database)
    sealed = SealedOriginals(staging / ORIGINALS, keys)
    plain_cache = Cache(folder / CACHE, plain)
    sealed_cache = SealedCache(staging / CACHE, sealed, keys)
    for i, sha in enumerate(hashes, start=1):
        if token.cancelled:
            return None
        with plain.open(sha) as fh:
            got, _size, _new = sealed.put(fh)
        if got != sha:
            raise CaseError(f"A stored original ({sha[:12]}...) no longer matches its "
                            "SHA-256, so the case was not converted (nothing was changed). "
                            "Run verify to see which exhibit it is.")
        thumb = plain_cache.thumbnail(sha)
        if thumb is not None:
            sealed_cache.save_thumbnail(sha, thumb)
        yield Progress(i, total, f"Encrypting original {i} of {len(hashes)}")
    yield Progress(len(hashes) + 1, total, "Checking the encrypted copy")
    plain_rows = database.table_digests(plain_db)
    sealed_rows = database.table_digests(staging / DB_NAME, keys.database)
    if plain_rows != sealed_rows:
        differ = sorted(t for t in set(plain_rows) | set(sealed_rows)
                        if plain_rows.get(t) != sealed_rows.get(t))
        raise CaseError("The encrypted copy did not match the case (tables: "
                        f"{', '.join(differ)}), so nothing was changed.")
    for sha in hashes:
        problem = sealed.verify(sha)
        if problem:
            raise CaseError(f"The encrypted copy of an original failed its check ({problem}), "
                            "so nothing was changed.")
    if set(sealed.all_hashes()) != set(hashes):
        raise CaseError("The encrypted copy holds other originals than the case, so "
                        "nothing was changed.")
    # Open it as the app will (schema, search index, settings) before the swap.
    with contextlib.closing(Case.open(staging, derived=derived, keys=keys)) as case:
        case.settings()
    return len(hashes), sum(n for t, (n, _d) in plain_rows.items() if t != "(schema)")


def _is_database_copy(path: Path) -> bool:
    """A plain SQLite copy of the database (made before an upgrade)."""
    return path.is_file() and path.suffix == ".db" and database.is_plain_sqlite(path) is True


def _fsync(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
