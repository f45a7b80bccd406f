"""The `.evidence-backup` file: a zip archive whose entries are stored, not compressed,
with a `manifest.json` describing every entry (docs/backup-format.md).

This module holds what writing and reading share: the names, the manifest, the limits
and the checks that make an archive safe to unpack. A backup file may come from anywhere
(a USB stick found in a drawer, a file someone sends), so reading trusts nothing in it:
every name, size, kind of entry and hash is checked against the manifest and the limits
below before a byte is written to disk, and again while it is written.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.core.errors import UserError

SUFFIX = ".evidence-backup"
FORMAT = "evidence-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "case.db"
# A backup being written is named so nothing takes it for a finished one.
PARTIAL_PREFIX = ".evidence-backup-"
PARTIAL_SUFFIX = ".partial"

# Limits for reading an archive from anywhere.
MAX_MANIFEST = 64 * 1024 * 1024
MAX_ENTRIES = 1_000_000
MAX_ENTRY_SIZE = 64 * 1024**3  # one file (a long video)
MAX_TOTAL_SIZE = 2 * 1024**4
MAX_RATIO = 100  # uncompressed / compressed, for an entry some other tool compressed
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$")
# What a case folder may hold that never goes into a backup (and so may never come out).
_NEVER = {"case.lock", "cache", "backups"}


class BackupError(UserError):
    """A backup could not be made; nothing was left that looks like a backup."""


class UnsafeBackup(UserError):
    """A backup file that is damaged, incomplete or made to harm: nothing was unpacked."""


@dataclass(frozen=True)
class Entry:
    """One file the backup describes: its name in the archive, size and SHA-256, and
    (for an incremental backup) the earlier backup file that holds it, if not this one."""

    name: str
    size: int
    sha256: str
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "size": self.size, "sha256": self.sha256}
        if self.file is not None:
            data["file"] = self.file
        return data


@dataclass
class Manifest:
    """What `manifest.json` says (see docs/backup-format.md)."""

    app_version: str
    case_id: str
    case_name: str
    created: str
    chain_events: int
    chain_hash: str
    entries: list[Entry] = field(default_factory=list)      # held in this file
    elsewhere: list[Entry] = field(default_factory=list)    # held in earlier files
    # An encrypted case's backup: its database and files are as encrypted as the case,
    # `case.key` is among the entries, and the case's name is not written here.
    encrypted: bool = False

    @property
    def needs(self) -> list[str]:
        """The earlier backup files (names, same folder) this one cannot be restored without."""
        return sorted({e.file for e in self.elsewhere if e.file})

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "app_version": self.app_version, "case_id": self.case_id,
            "case_name": self.case_name, "created": self.created,
            "chain_head": {"events": self.chain_events, "hash": self.chain_hash},
            "entries": [e.to_json() for e in self.entries],
            "elsewhere": [e.to_json() for e in self.elsewhere],
            "needs": self.needs, "encrypted": self.encrypted,
        }

    def encode(self) -> bytes:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1,
                          sort_keys=True).encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> Manifest:
        """Read a manifest, refusing one that is not ours or not understood."""
        try:
            raw = json.loads(data.decode("utf-8"))
            if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                raise UnsafeBackup("This file is not an evidence backup (its manifest is not one).")
            version = raw.get("format_version")
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise UnsafeBackup("This backup was made by a newer version of the app; "
                                   "update the app to restore it.")
            head = raw["chain_head"]
            manifest = cls(str(raw["app_version"]), str(raw["case_id"]),
                           str(raw.get("case_name", "")), str(raw["created"]),
                           int(head["events"]), str(head["hash"]))
            manifest.entries = [_entry(e, in_file=True) for e in raw["entries"]]
            manifest.elsewhere = [_entry(e, in_file=False) for e in raw.get("elsewhere", [])]
            encrypted = raw.get("encrypted", False)
            if not isinstance(encrypted, bool):
                raise ValueError("'encrypted' is neither true nor false")
            manifest.encrypted = encrypted
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UnsafeBackup(f"The backup's manifest cannot be read ({exc}); the file is "
                               "damaged or not an evidence backup.") from exc
        return manifest


def _entry(raw: Any, in_file: bool) -> Entry:
    name, size, sha = str(raw["name"]), int(raw["size"]), str(raw["sha256"])
    file = raw.get("file")
    if not in_file and (not isinstance(file, str) or not safe_file_name(file)):
        raise ValueError(f"entry {name!r} names no usable earlier backup file")
    if not re.fullmatch(r"[0-9a-f]{64}", sha) or not 0 <= size <= MAX_ENTRY_SIZE:
        raise ValueError(f"entry {name!r} has an impossible size or hash")
    check_name(name)
    return Entry(name, size, sha, None if in_file else file)


def safe_file_name(name: str) -> bool:
    """A backup file's own name as another backup may refer to it (no folder parts)."""
    return (name.endswith(SUFFIX) and len(name) < 256 and name not in (".", "..")
            and not any(ch in name for ch in "/\\\x00:"))


def check_name(name: str) -> None:
    """Refuse an entry name that could land outside the folder it is unpacked into, or
    that names something a backup never holds."""
    parts = name.split("/")
    bad = (not name or "\\" in name or "\x00" in name or name.startswith("/")
           or any(not _PART.match(p) or p in (".", "..") for p in parts)
           or ":" in name or parts[0] in _NEVER)
    if bad:
        raise UnsafeBackup(f"The backup holds an entry with an unsafe name ({name!r}); "
                           "nothing was unpacked.")


def check_archive(zf: zipfile.ZipFile, manifest: Manifest) -> dict[str, zipfile.ZipInfo]:
    """Check every entry of an archive against the manifest and the limits; the entries
    to unpack by name. Raises UnsafeBackup naming the first thing wrong."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeBackup(f"The backup holds {len(infos)} entries, more than any case; "
                           "nothing was unpacked.")
    expected = {e.name: e for e in manifest.entries}
    found: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    folded: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise UnsafeBackup(f"The backup holds two entries named {name!r}; nothing was "
                               "unpacked.")
        if name.casefold() in folded:
            raise UnsafeBackup(f"The backup holds two entries whose names differ only in "
                               f"capitals ({name!r}); nothing was unpacked.")
        seen.add(name)
        folded.add(name.casefold())
        if name == MANIFEST:
            continue
        check_name(name)
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise UnsafeBackup(f"The backup holds {name!r} as a link or folder, not a file; "
                               "nothing was unpacked.")
        if info.flag_bits & 0x1:
            raise UnsafeBackup(f"The backup's entry {name!r} is encrypted by zip; nothing "
                               "was unpacked.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeBackup(f"The backup's entry {name!r} uses a kind of compression "
                               "this app does not read; nothing was unpacked.")
        if info.file_size > MAX_ENTRY_SIZE or (
                info.compress_type != zipfile.ZIP_STORED
                and info.file_size > max(info.compress_size, 1) * MAX_RATIO):
            raise UnsafeBackup(f"The backup's entry {name!r} would unpack to "
                               f"{info.file_size} bytes, beyond the limits; nothing was "
                               "unpacked.")
        want = expected.get(name)
        if want is None:
            raise UnsafeBackup(f"The backup holds {name!r}, which its manifest does not "
                               "list; nothing was unpacked.")
        if want.size != info.file_size:
            raise UnsafeBackup(f"The backup's entry {name!r} is {info.file_size} bytes but "
                               f"its manifest says {want.size}; nothing was unpacked.")
        total += info.file_size
        found[name] = info
    if total > MAX_TOTAL_SIZE:
        raise UnsafeBackup("The backup would unpack to more than any case holds; nothing "
                           "was unpacked.")
    missing = [name for name in expected if name not in found]
    if missing:
        raise UnsafeBackup(f"The backup's manifest lists {len(missing)} file(s) the backup "
                           f"does not hold (first: {missing[0]!r}); it is incomplete.")
    return found


def read_manifest(zf: zipfile.ZipFile) -> Manifest:
    """The manifest of an open archive (UnsafeBackup if absent, too big or unreadable)."""
    infos = [i for i in zf.infolist() if i.filename == MANIFEST]
    if len(infos) != 1:
        raise UnsafeBackup("This file is not an evidence backup (it has no manifest, or "
                           "more than one).")
    info = infos[0]
    if info.file_size > MAX_MANIFEST or info.compress_type not in (zipfile.ZIP_STORED,
                                                                    zipfile.ZIP_DEFLATED):
        raise UnsafeBackup("The backup's manifest is beyond the limits; nothing was unpacked.")
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MANIFEST + 1)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise UnsafeBackup(f"The backup's manifest is damaged ({exc}); nothing was "
                           "unpacked.") from exc
    if len(data) > MAX_MANIFEST:
        raise UnsafeBackup("The backup's manifest is beyond the limits; nothing was unpacked.")
    return Manifest.decode(data)


def open_archive(path: Path) -> zipfile.ZipFile:
    """Open a backup file for reading, in words when it is not a whole zip archive."""
    try:
        return zipfile.ZipFile(path, "r")
    except FileNotFoundError as exc:
        raise UnsafeBackup(f"There is no backup file at {path}.") from exc
    except IsADirectoryError as exc:
        raise UnsafeBackup(f"{path} is a folder; choose a backup file "
                           f"(its name ends in {SUFFIX}).") from exc
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UnsafeBackup(f"{path.name} is not a complete backup file: it may have been cut "
                           "short while it was copied, or is not a backup at all.") from exc
    except OSError as exc:
        raise UnsafeBackup(f"{path} cannot be read ({exc.strerror or exc}).") from exc


def try_lock(fd: int) -> bool:
    """Take an OS lock on an open file without waiting: a backup or restore still running
    holds one on its partial file, so a sweep never removes work in progress. (Windows
    refuses to delete a file another program has open, which does the same there.)"""
    if os.name != "posix":
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def describe_write_error(exc: OSError, where: str) -> str:
    """What stopped writing to `where`, for a person."""
    import errno

    if exc.errno == errno.EFBIG:
        return (f"{where} cannot hold a file this large (a USB stick formatted as FAT32 "
                "stops at 4 GB); use a drive formatted as exFAT or NTFS")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"{where} is full"
    if exc.errno == errno.EROFS:
        return f"{where} is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"this account may not write to {where}"
    if exc.errno in (errno.EIO, errno.ENODEV, errno.ENXIO, errno.ENOENT, errno.ESTALE):
        return f"{where} could not be written ({exc.strerror}); was it unplugged?"
    return f"{where} could not be written ({exc.strerror or exc})"
