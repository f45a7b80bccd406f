"""Import any message export: the importer is picked from what the file holds, never
from its name (a WhatsApp chat renamed `notes.txt` is still a chat; an `.xml` that is
not an SMS backup is refused).

`sniff_export(path)` says which importer reads a file (or None); `import_messages` runs
it: the export and the files sent with its messages become exhibits, the messages are
added to their conversations (a longer export of the same conversation adds only what
is new), and each conversation's outcome comes back as a `ConversationImport`.
"""

from __future__ import annotations

import contextlib
import gc
import json
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_app.core.importers import email as email_importer
from evidence_app.core.importers import meta_dyi, sms_backup, telegram, whatsapp
from evidence_app.core.importers.chat import (
    ChatExport,
    ConversationImport,
    ImportProblem,
    save_exports,
)
from evidence_app.core.importers.phone_numbers import country_for_zone
from evidence_app.core.importers.whatsapp import DATE_ORDERS, AmbiguousDateOrder
from evidence_app.core.progress import CancelToken, Progress
from evidence_app.core.store.case import Case

__all__ = ["DATE_ORDERS", "IMPORTER_LABELS", "AmbiguousDateOrder", "ConversationImport",
           "ExportJob", "ImportProblem", "import_messages", "plan_imports", "sniff_export"]

HEAD = 64 * 1024
IMPORTER_LABELS = {
    "whatsapp": "WhatsApp chat export",
    "sms_backup": "SMS Backup & Restore file (texts and calls)",
    "mbox": "mailbox (mbox)",
    "eml": "email (.eml)",
    "meta_dyi": "Instagram / Facebook Messenger download (JSON)",
    "telegram": "Telegram Desktop export (JSON)",
}


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD)


def _text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.decode("utf-8-sig", errors="replace")


def _sniff_json(text: str) -> str | None:
    start = text.lstrip()[:1]
    if start != "{":
        return None
    if '"participants"' in text and '"sender_name"' in text and '"timestamp_ms"' in text:
        return "meta_dyi"
    # Telegram's whole-account export opens with "about" and "personal_information";
    # its chats may come after more than the sniffed head of contacts and sessions.
    if '"about"' in text[:4096] and '"personal_information"' in text[:4096]:
        return "telegram"
    if '"messages"' in text and ('"date_unixtime"' in text or '"from_id"' in text
                                 or '"personal_information"' in text
                                 or '"chats"' in text or '"type": "personal_chat"' in text):
        return "telegram"
    return None


def sniff_bytes(head: bytes, is_zip: bool = False, zip_names: tuple[str, ...] = ()) -> str | None:
    """Which importer reads a file whose first bytes are `head` (see `sniff_export`)."""
    if is_zip:
        return "whatsapp" if any(n.lower().endswith(".txt") for n in zip_names) else None
    text = _text(head)
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith("<?xml") or stripped.startswith("<smses") or stripped.startswith(
            "<calls"):
        if "<smses" in text or "<calls" in text:
            return "sms_backup"
        return None
    kind = _sniff_json(text)
    if kind:
        return kind
    if whatsapp.looks_like_whatsapp(text):
        return "whatsapp"
    if email_importer.looks_like_mbox(text):
        return "mbox"
    if email_importer.looks_like_eml(text):
        return "eml"
    return None


def sniff_export(path: Path) -> str | None:
    """The importer (a key of `IMPORTER_LABELS`) that reads this file, from its
    content; None when it is no message export this app reads (nor a file it can read:
    the file importer then says why). Only regular files with a size are opened, so a
    pipe, a device or a system file reporting size 0 is never read here."""
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
            return None
        return _sniff(path)
    except OSError:  # unreadable: the file importer says why
        return None


def _is_meta_download(zf: zipfile.ZipFile) -> bool:
    """A Meta "Download your information" zip: it holds chat files
    (`.../messages/inbox/<chat>/message_1.json`) that read as such (JSON, not HTML)."""
    infos = {i.filename.replace("\\", "/"): i for i in zf.infolist()[:meta_dyi.MAX_SNIFFED]}
    chats = meta_dyi.zip_parts(list(infos))
    for name in chats[:3]:
        info = infos[name]
        if info.file_size > meta_dyi.MAX_PART_BYTES:
            continue
        with zf.open(info) as fh:
            if _sniff_json(_text(fh.read(HEAD))) == "meta_dyi":
                return True
    # A later part of a download may hold only the pictures sent in its chats, or
    # posts and settings: still a part, read with the others.
    return not chats and meta_dyi.looks_like_part(list(infos))


def _sniff(path: Path) -> str | None:
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                names = tuple(zf.namelist()[:5000])
                if _is_meta_download(zf):
                    return "meta_dyi"
                for info in zf.infolist()[:5000]:
                    if info.filename.lower().endswith(".txt") and info.file_size < 512 * 1024**2:
                        with zf.open(info) as fh:
                            if whatsapp.looks_like_whatsapp(_text(fh.read(8192))):
                                return "whatsapp"
        except (zipfile.BadZipFile, OSError, RuntimeError):
            return None
        return sniff_bytes(b"", True, ()) if not names else None
    try:
        head = _head(path)
    except OSError:
        return None
    return sniff_bytes(head)


def _zone(timezone: str | None, fallback: str) -> tuple[str, bool]:
    if not timezone:
        return fallback, False
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportProblem(f"{timezone!r} is not a time zone this app knows "
                            "(use a name such as Europe/London).") from exc
    return timezone, True


Reader = Callable[[Path, Path], list[ChatExport]]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a chat is read and saved: it would walk
    the hundreds of thousands of objects a long chat makes again and again (a third of
    the time of a 100,000-message import), and they hold no cycles to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reader(kind: str, *, tz: str, zone_given: bool, date_order: str | None,
            owner: str | None, me: str) -> Reader:
    if kind == "whatsapp":
        return lambda path, scratch: whatsapp.read_export(
            path, scratch, tz=tz, date_order=date_order, owner=owner, timezone_given=zone_given,
            me=me)
    if kind == "sms_backup":
        return lambda path, scratch: sms_backup.read_backup(
            path, scratch, owner=owner, me=me, country=country_for_zone(tz))
    if kind in ("mbox", "eml"):
        return lambda path, scratch: email_importer.read_mail(path, scratch, owner=owner,
                                                              me_name=me)
    if kind == "meta_dyi":
        return lambda path, scratch: meta_dyi.read_messages(path, scratch, owner=owner)
    if kind == "telegram":
        return lambda path, scratch: telegram.read_export(path, scratch, owner=owner, tz=tz)
    raise ImportProblem(f"No importer called {kind!r}.")


@dataclass(frozen=True)
class ExportJob:
    """One message export to import: a file, or the parts of one Meta download given
    together (read as one: see `meta_dyi.read_download`)."""

    paths: tuple[Path, ...]
    importer: str

    @property
    def name(self) -> str:
        """The file's name, or the parts' names ("a.zip, b.zip")."""
        return ", ".join(p.name for p in self.paths)


def plan_imports(paths: Sequence[Path]) -> tuple[list[ExportJob], list[Path]]:
    """Split what the person chose (files, folders) into message exports, picked by
    content, and everything else (for the file importer). Zips that are parts of one
    Instagram or Facebook download (named alike but for the part) become one job, in
    part order; the CLI's `import` and the window's import and drops both use this."""
    exports: list[tuple[Path, str]] = []
    others: list[Path] = []
    kinds: dict[Path, str | None] = {}
    for path in (Path(p) for p in paths):
        if path not in kinds:
            kind = kinds[path] = sniff_export(path) if path.is_file() else None
            if kind is not None:  # an export chosen twice is read once
                exports.append((path, kind))
        if kinds[path] is None:  # other files go on as given: the file importer says
            others.append(path)  # "duplicate" of one chosen twice
    downloads = [p for p, kind in exports if kind == "meta_dyi" and zipfile.is_zipfile(p)]
    groups = meta_dyi.group_parts(downloads)
    # Zips whose names say no part may still be pieces of one download (renamed).
    alone = [g[0] for g in groups if len(g) == 1 and not meta_dyi.part_of(g[0])]
    groups = [g for g in groups if g[0] not in alone] + meta_dyi.group_renamed(alone)
    group_of = {p: tuple(g) for g in groups for p in g}
    jobs: list[ExportJob] = []
    seen: set[Path] = set()
    for path, kind in exports:
        if path in seen:
            continue
        group = group_of.get(path, (path,))
        seen.update(group)
        jobs.append(ExportJob(group, kind))
    return jobs, others


def _names(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _missing_parts(paths: Sequence[Path]) -> list[str]:
    """The sentence that names the parts of a download not given (none when none are)."""
    missing = meta_dyi.missing_parts(paths)
    if not missing:
        return []
    given, one = len(paths), len(missing) == 1
    exact = any((meta_dyi.part_of(p) or ("", 0, None))[2] for p in paths)
    return [f"The download came in {given + len(missing)}{'' if exact else ' or more'} "
            f"parts and only {given} {'was' if given == 1 else 'were'} given: "
            f"{_names(missing)} {'is' if one else 'are'} missing. Chats or pictures in "
            f"{'it' if one else 'them'} are not here; import {'it' if one else 'them'} with "
            "the others (nothing is added twice)."]


def import_messages(case: Case, path: Path | Sequence[Path], *, importer: str | None = None,
                    date_order: str | None = None, timezone: str | None = None,
                    owner: str | None = None, cancel: CancelToken | None = None,
                    ) -> Iterator[Progress]:
    """Import one export file (or the parts of one Meta download, given as a list:
    see `plan_imports`); yields Progress like `import_files`, the last events carrying
    a `ConversationImport` each.

    `importer` overrides what the content says (see `sniff_export`); `date_order`
    ("dmy", "mdy", "ymd") settles a WhatsApp chat whose dates read more than one way
    (otherwise `AmbiguousDateOrder` says which orders fit); `timezone` is the zone the
    exporting phone was set to (default: the case's zone, said on every message);
    `owner` is the name (or number, address) the person goes by in the export.
    """
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    if not paths:
        raise ImportProblem("No export file was given.")
    for one in paths:
        if not one.is_file():
            raise ImportProblem(f"{one} is not a file that can be read.")
    kinds = {importer or sniff_export(one) for one in paths}
    kind = kinds.pop() if len(kinds) == 1 else None
    if len(paths) > 1 and (kind != "meta_dyi" or not all(zipfile.is_zipfile(p) for p in paths)):
        raise ImportProblem(
            "Only the parts of one Instagram or Facebook download (its .zip files) can be "
            "imported together; import other exports one at a time.")
    path = paths[0]
    label = ", ".join(p.name for p in paths)
    if kind is None:
        raise ImportProblem(
            f"{path.name} is not a message export this app can read. It reads WhatsApp "
            "chat exports (.txt or .zip), SMS Backup & Restore files (.xml), email (.eml, "
            ".mbox), Instagram and Facebook Messenger downloads (the .zip, or a "
            "message_1.json) and Telegram Desktop exports (result.json).")
    tz, zone_given = _zone(timezone, case.settings().timezone)
    yield Progress(0, 1, f"Reading {IMPORTER_LABELS.get(kind, kind)}")
    reader = _reader(kind, tz=tz, zone_given=zone_given, date_order=date_order, owner=owner,
                     me=case.settings().owner_name or "Me")
    with case.cache.scratch() as scratch, _collector_paused():
        try:
            if kind == "meta_dyi" and zipfile.is_zipfile(path):
                exports = meta_dyi.read_download(paths, scratch, owner=owner)
                if exports:
                    exports[0].problems = _missing_parts(paths) + exports[0].problems
            else:
                exports = reader(path, scratch)
        except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ImportProblem(f"{label} could not be read as a "
                                f"{IMPORTER_LABELS.get(kind, kind)}: {exc}") from exc
        except ImportProblem as exc:
            missing = meta_dyi.missing_parts(paths) if kind == "meta_dyi" else []
            if not missing:
                raise
            raise ImportProblem(f"{exc} Not given: {_names(missing)}.") from exc
        if not exports or not any(e.messages for e in exports):
            problems = [p for e in exports for p in e.problems][:5]
            raise ImportProblem(f"No messages could be read from {label}."
                                + (" " + "; ".join(problems) if problems else ""))
        yield Progress(1, 1, f"Read {sum(len(e.messages) for e in exports)} messages")
        yield from save_exports(case, paths, [e for e in exports if e.messages], kind, cancel)
