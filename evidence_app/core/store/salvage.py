"""A case database whose start is damaged: a repaired COPY, to read what is left.

The first 100 bytes of an SQLite file (its header: the "SQLite format 3" mark, the page
size, where the free pages are) and the rest of its first page (the list of tables) are
all SQLite needs before it can read anything; if they are overwritten (a failing disk, a
program writing into the wrong file, a copy cut short) the whole file is refused, though
every record may still be there. Here a scratch copy of the file gets a header rebuilt
from a fresh database of the same page size (each likely page size is tried, and
checked with PRAGMA quick_check), the list of free pages found again, and, when the
first page's list of tables is lost too, that list rebuilt from its other pages. The
person's own case.db is only ever read.

An encrypted case (SQLCipher) cannot be repaired like this: its header and first page
are encrypted with the rest, and the first 16 bytes are the salt every page's key is
derived from.

File format: https://www.sqlite.org/fileformat2.html (sections 1.3, 1.5, 1.6, 2.1, 4).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = b"SQLite format 3\x00"
HEADER = 100
WAL_MAGIC = (0x377F0682, 0x377F0683)
PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)
SCHEMA_TYPES = {"table", "index", "trigger", "view"}


@dataclass
class Salvage:
    """What a repaired copy holds: `copy` is None when nothing could be read."""

    copy: Path | None
    damage: str  # what is wrong with the person's file, in words
    repaired: list[str] = field(default_factory=list)  # what was rebuilt in the copy
    page_size: int = 0
    problems: list[str] = field(default_factory=list)  # SQLite's check of the copy


def _start_byte(db: Path, at: int) -> int | None:
    try:
        with open(db, "rb") as fh:
            fh.seek(at)
            found = fh.read(1)
    except OSError:
        return None
    return found[0] if found else None


def _start(db: Path) -> tuple[int, bytes]:
    """The file's size and its first 100 bytes (0 and none when it cannot be read)."""
    try:
        size = db.stat().st_size
        with open(db, "rb") as fh:
            return size, fh.read(HEADER)
    except OSError:
        return 0, b""


def header_damage(db: Path) -> str | None:
    """What is wrong with the start of a plain database file, in words; None when its
    header looks sound (or the file is missing or empty: other checks name those)."""
    size, head = _start(db)
    if size == 0:
        return None
    if size < HEADER:
        return (f"the file is only {size} bytes long, so even its header (the first "
                f"{HEADER} bytes, which SQLite needs before anything else) is cut short")
    if head[:16] != MAGIC:
        if not any(head):
            return "its first bytes have been overwritten with zeros"
        return ("its first bytes have been overwritten (the mark \u201cSQLite format 3\u201d "
                "that starts every such file is gone)")
    if _page_size(head) is None:
        return "the page size written in its header is not a possible one"
    # (Schema format and text encoding are 0 in a new file whose first writes are all
    # still in its write-ahead log.)
    if head[21:24] != b"\x40\x20\x20" or not 0 <= int.from_bytes(head[44:48], "big") <= 4 \
            or not 0 <= int.from_bytes(head[56:60], "big") <= 3:
        return "fields of its header that never change have been overwritten"
    return None


def _cut_short(db: Path) -> str | None:
    """Words for a file shorter than its (sound) header says it is."""
    size, head = _start(db)
    page_size = _page_size(head)
    if page_size is None or len(head) < HEADER or head[24:28] != head[92:96]:
        return None
    pages = int.from_bytes(head[28:32], "big")
    if pages * page_size <= size:
        return None
    return (f"the file has been cut short: it holds {size // page_size} of the {pages} "
            "pages its header says it has")


def _page_size(head: bytes) -> int | None:
    raw = int.from_bytes(head[16:18], "big")
    size = 65536 if raw == 1 else raw
    return size if 512 <= size <= 65536 and size & (size - 1) == 0 else None


def salvage(db: Path, scratch: Path) -> Salvage:
    """Make a repaired copy of `db` in the folder `scratch`; `db` itself, and its
    write-ahead log, are only read. Each likely page size is tried: the first whose copy
    passes SQLite's quick check is kept, else the first whose list of tables can be read
    (the check then names what cannot)."""
    damage = header_damage(db) or _cut_short(db) or ("the list of its tables (on its "
                                                     "first page) cannot be read")
    size = db.stat().st_size
    if size < HEADER:
        return Salvage(None, damage)
    with open(db, "rb") as fh:
        head = fh.read(HEADER)
    readable: tuple[int, list[str]] | None = None
    first_page_type = _start_byte(db, HEADER)
    for page_size in _candidates(head, size, db.with_name(db.name + "-wal")):
        if first_page_type not in (5, 13) and not _schema_entries(db, page_size):
            # The first page's list of tables is gone and no page of this size holds
            # any of it: not worth a copy of the file.
            continue
        target = scratch / f"try-{page_size}"
        target.mkdir()
        repaired = _attempt(db, target / "case.db", head, page_size)
        if repaired is None:
            shutil.rmtree(target, ignore_errors=True)
            continue
        found = _quick_check(target / "case.db")
        # Pages no table uses are the lost list of free pages (found again in _kept).
        if found is not None and all(never_used(line) for line in found):
            return _kept(scratch, target, _wrong_size(db, head, page_size) or damage,
                         repaired, page_size)
        if readable is None:
            readable = (page_size, repaired)
        else:
            shutil.rmtree(target, ignore_errors=True)
    if readable is not None:
        page_size, repaired = readable
        return _kept(scratch, scratch / f"try-{page_size}",
                     _wrong_size(db, head, page_size) or damage, repaired, page_size)
    return Salvage(None, damage)


def _wrong_size(db: Path, head: bytes, page_size: int) -> str | None:
    """Words for a sound-looking header whose page size is not the file's."""
    if header_damage(db) is not None or _page_size(head) == page_size:
        return None
    return (f"the page size written in its header ({_page_size(head)} bytes) has been "
            f"overwritten: its pages are {page_size} bytes")


def _kept(scratch: Path, target: Path, damage: str, repaired: list[str], page_size: int,
          ) -> Salvage:
    for other in scratch.glob("try-*"):
        if other != target:
            shutil.rmtree(other, ignore_errors=True)
    copy = target / "case.db"
    if _find_freelist(copy, page_size):
        repaired.append("its list of free pages was found again")
    _fold_log(copy)
    return Salvage(copy, damage, repaired, page_size, _integrity(copy))


def _attempt(db: Path, copy: Path, head: bytes, page_size: int) -> list[str] | None:
    """Copy `db` (and its log) to `copy` and repair it for this page size: what was
    rebuilt, or None when its list of tables still cannot be read."""
    size = db.stat().st_size
    shutil.copyfile(db, copy)
    wal = db.with_name(db.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    if size % page_size:  # cut short: the last page is made whole with zeros
        with open(copy, "r+b") as fh:
            fh.truncate(size + page_size - size % page_size)
    repaired = []
    if header_damage(db) is not None or _page_size(head) != page_size:
        _write_header(copy, _fresh_header(copy.parent, page_size, size))
        repaired.append(f"its header was rebuilt (page size {page_size} bytes)")
    elif _cut_short(db) is not None:
        _write_header(copy, _patched_header(head, page_size, size))
        repaired.append("its header was made to state the pages that are left")
    if not _has_tables(copy):
        if not _rebuild_schema(copy, page_size) or not _has_tables(copy):
            return None
        repaired.append("the list of its tables was rebuilt from the rest of the file")
    return repaired


def _candidates(head: bytes, size: int, wal: Path) -> list[int]:
    """Page sizes to try, likeliest first: the write-ahead log's (it states its own),
    the header's when it is a possible one, then those that divide the file's size."""
    found = []
    with contextlib.suppress(OSError), open(wal, "rb") as fh:
        wal_head = fh.read(32)
        if len(wal_head) == 32 and int.from_bytes(wal_head[:4], "big") in WAL_MAGIC:
            size_in_wal = int.from_bytes(wal_head[8:12], "big")
            if size_in_wal in PAGE_SIZES:
                found.append(size_in_wal)
    stated = _page_size(head)
    if stated is not None:
        found.append(stated)
    found += [p for p in PAGE_SIZES if size % p == 0]
    found += list(PAGE_SIZES)  # a file cut short is no multiple of its page size
    return list(dict.fromkeys(found))


def _fresh_header(scratch: Path, page_size: int, size: int) -> bytes:
    """The header of a new, empty database with this page size (write-ahead log mode,
    as the app's are), stating the damaged file's page count and no free pages."""
    fresh = scratch / "fresh.db"
    fresh.unlink(missing_ok=True)
    con = sqlite3.connect(fresh)
    try:
        con.execute(f"PRAGMA page_size = {int(page_size)}")
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("CREATE TABLE t (x)")
        con.commit()
    finally:
        con.close()
    head = fresh.read_bytes()[:HEADER]
    for name in ("fresh.db", "fresh.db-wal", "fresh.db-shm"):
        (scratch / name).unlink(missing_ok=True)
    return _patched_header(head, page_size, size)


def _patched_header(head: bytes, page_size: int, size: int) -> bytes:
    """`head` stating the file's page count (valid for change counter 1) and no free
    pages (found again afterwards)."""
    out = bytearray(head.ljust(HEADER, b"\0"))
    pages = -(-size // page_size)
    out[24:28] = (1).to_bytes(4, "big")  # file change counter
    out[28:32] = pages.to_bytes(4, "big")
    out[32:40] = bytes(8)  # first free-list trunk page, number of free pages
    out[92:96] = (1).to_bytes(4, "big")  # version-valid-for: the page count holds
    return bytes(out)


def _write_header(copy: Path, head: bytes) -> None:
    with open(copy, "r+b") as fh:
        fh.write(head)


def _fold_log(copy: Path) -> None:
    """Fold the copy's write-ahead log into it, so that it reads the same when opened
    read-only without one."""
    with contextlib.suppress(sqlite3.DatabaseError):
        con = sqlite3.connect(copy)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode = DELETE")
        finally:
            con.close()


def never_used(problem: str) -> bool:
    """Whether an integrity-check line only says that a page holds nothing (a repaired
    copy's pages that the damaged list of tables or of free pages named)."""
    lines = [line for line in problem.removeprefix("database integrity: ").splitlines()
             if line.strip() and not line.startswith("*** in database")]
    return bool(lines) and all(line.startswith("Page ") and line.endswith(" is never used")
                               for line in lines)


def _connect(copy: Path) -> sqlite3.Connection:
    con = sqlite3.connect(copy)
    con.execute("PRAGMA query_only = ON")
    return con


def _check(copy: Path, pragma: str = "quick_check") -> list[str] | None:
    """SQLite's quick (or integrity) check of the copy, a line a finding ([] when it
    holds); None when the copy cannot be read at all."""
    try:
        con = _connect(copy)
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    return [] if rows == ["ok"] else [line for r in rows for line in r.splitlines()
                                      if not line.startswith("*** in database")]


def _quick_check(copy: Path) -> list[str] | None:
    return _check(copy)


def _integrity(copy: Path) -> list[str]:
    found = _check(copy, "integrity_check")
    return found if found is not None else ["the repaired copy cannot be read to the end"]


def _has_tables(copy: Path) -> bool:
    try:
        con = _connect(copy)
        try:
            return bool(con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                    ).fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _never_used(copy: Path) -> set[int] | None:
    """The pages the integrity check finds no use for (None on any other damage)."""
    rows = _integrity(copy)
    pages = set()
    for row in rows:
        words = row.split()
        if row.endswith("is never used") and len(words) == 5 and words[0] == "Page":
            pages.add(int(words[1]))
        else:
            return None  # other damage: leave the free pages unlisted
    return pages


def _find_freelist(copy: Path, page_size: int) -> bool:
    """Find the chain of free-list trunk pages that lists exactly the pages no table
    uses, and write its start and length into the copy's header."""
    unused = _never_used(copy)
    if not unused:
        return False
    with open(copy, "rb") as fh:
        def page(n: int) -> bytes:
            fh.seek((n - 1) * page_size)
            return fh.read(page_size)

        for first in sorted(unused):
            listed: set[int] = set()
            trunk = first
            while trunk and trunk in unused and trunk not in listed and len(listed) <= len(unused):
                data = page(trunk)
                listed.add(trunk)
                count = int.from_bytes(data[4:8], "big")
                if 8 + 4 * count > len(data):
                    break
                listed.update(int.from_bytes(data[8 + 4 * i:12 + 4 * i], "big")
                              for i in range(count))
                trunk = int.from_bytes(data[:4], "big")
            else:
                if trunk == 0 and listed == unused:
                    with open(copy, "r+b") as out:
                        out.seek(32)
                        out.write(first.to_bytes(4, "big") + len(unused).to_bytes(4, "big"))
                    if _never_used(copy) == set():
                        return True
                    with open(copy, "r+b") as out:
                        out.seek(32)
                        out.write(bytes(8))
    return False


def _rebuild_schema(copy: Path, page_size: int) -> bool:
    """The first page's list of tables (sqlite_master) is unreadable: make page 1 an
    empty table and put back the entries found on the file's other pages (a list of
    tables longer than one page keeps its entries on pages of their own)."""
    pages = copy.stat().st_size // page_size
    # Entries whose table starts on a page the file no longer has are left out (the
    # check then names that table as unreadable).
    entries = [e for e in _schema_entries(copy, page_size)
               if isinstance(e[3], int) and 0 <= e[3] <= pages]
    if not any(e[0] == "table" for e in entries):
        return False
    with open(copy, "r+b") as fh:
        fh.seek(HEADER)
        # An empty table leaf: type 13, no free blocks, no cells, content from the end.
        fh.write(bytes([13, 0, 0, 0, 0]) + (page_size % 65536).to_bytes(2, "big") + b"\0"
                 + bytes(page_size - HEADER - 8))
    for stale in ("case.db-wal", "case.db-shm"):
        # A log written before the damage would put back the damaged page.
        copy.with_name(stale).unlink(missing_ok=True)
    try:
        con = sqlite3.connect(copy)
        try:
            con.execute("PRAGMA journal_mode = DELETE")
            con.execute("PRAGMA writable_schema = ON")
            con.executemany("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) "
                            "VALUES (?, ?, ?, ?, ?)", entries)
            con.commit()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    return True


def _schema_entries(copy: Path, page_size: int) -> list[tuple[object, ...]]:
    """sqlite_master rows found on table leaf pages other than the first, in rowid order.
    A page of them holds nothing else, so a page whose first cell is not one is passed
    over (the file is mapped, not read into memory: a case's database may be large)."""
    found: dict[int, tuple[object, ...]] = {}
    with open(copy, "rb") as fh:
        if os.fstat(fh.fileno()).st_size < 2 * page_size:
            return []
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for n in range(2, len(data) // page_size + 1):
                base = (n - 1) * page_size
                if data[base] != 13:
                    continue
                cells = int.from_bytes(data[base + 3:base + 5], "big")
                for i in range(min(cells, page_size // 4)):
                    row = _schema_cell(data, base, i, page_size)
                    if row is None:
                        break
                    found[row[0]] = row[1]
    return [found[k] for k in sorted(found)]


def _schema_cell(data: mmap.mmap, base: int, i: int, page_size: int,
                 ) -> tuple[int, tuple[object, ...]] | None:
    """The `i`-th cell of the table leaf page at `base` as (rowid, sqlite_master row), or
    None when it is not one."""
    try:
        at = base + int.from_bytes(data[base + 8 + 2 * i:base + 10 + 2 * i], "big")
        payload_size, at = _varint(data, at)
        rowid, at = _varint(data, at)
        row = _record(_payload(data, at, payload_size, page_size, page_size))
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    if len(row) == 5 and row[0] in SCHEMA_TYPES and isinstance(row[1], str) \
            and isinstance(row[3], int) and (row[4] is None or (
                isinstance(row[4], str) and row[4].upper().startswith("CREATE"))):
        return rowid, tuple(row)
    return None


def _payload(data: bytes | mmap.mmap, at: int, size: int, usable: int, page_size: int) -> bytes:
    """A table leaf cell's payload, following its overflow pages (file format 1.6)."""
    most = usable - 35
    if size <= most:
        return data[at:at + size]
    least = ((usable - 12) * 32 // 255) - 23
    local = least + (size - least) % (usable - 4)
    if local > most:
        local = least
    out = bytearray(data[at:at + local])
    following = int.from_bytes(data[at + local:at + local + 4], "big")
    seen = set()
    while len(out) < size and following and following not in seen:
        seen.add(following)
        base = (following - 1) * page_size
        following = int.from_bytes(data[base:base + 4], "big")
        out += data[base + 4:base + usable]
    if len(out) < size:
        raise ValueError("overflow chain cut short")
    return bytes(out[:size])


def _varint(data: bytes | mmap.mmap, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise ValueError("varint")


def _record(payload: bytes) -> list[object]:
    """The values of a record (file format 2.1)."""
    header_size, at = _varint(payload, 0)
    types = []
    while at < header_size:
        kind, at = _varint(payload, at)
        types.append(kind)
    values: list[object] = []
    at = header_size
    for kind in types:
        if kind == 0:
            values.append(None)
        elif 1 <= kind <= 6:
            width = (1, 2, 3, 4, 6, 8)[kind - 1]
            values.append(int.from_bytes(payload[at:at + width], "big", signed=True))
            at += width
        elif kind in (8, 9):
            values.append(kind - 8)
        elif kind >= 12:
            width = (kind - 12) // 2
            chunk = payload[at:at + width]
            if len(chunk) < width:
                raise ValueError("record cut short")
            values.append(chunk.decode("utf-8") if kind % 2 else chunk)
            at += width
        else:
            raise ValueError("not a schema record")
    return values
