"""Instagram and Facebook Messenger chats from Meta's "Download your information" (JSON).

Each chat is a folder with `message_1.json` (and `message_2.json`... for long chats):
`{"participants": [{"name"}], "messages": [{"sender_name", "timestamp_ms", "content",
"photos"/"videos"/"audio_files"/"files": [{"uri", "creation_timestamp"}], "share":
{"link"}, "call_duration", "is_unsent", "reactions"}], "title", "thread_path"}`, the
newest message first. Meta writes every string as UTF-8 bytes each escaped as if it
were a Latin-1 character (`"\\u00e2\\u0098\\u00ba"` for one emoji), so text is repaired
(`repair_mojibake`) exactly when it is such a sequence, and left alone otherwise.

Times are exact (milliseconds since 1970). A message's `source_line` is its entry
number in the file (1 = the first in the file, which is the newest). Pictures are
found from their `uri` relative to the download's top folder (a parent of the file).

The download itself, a .zip, is read whole (`read_zip`): every chat folder in it,
`[your_instagram_activity/ | your_activity_across_facebook/ | your_facebook_activity/]
messages/<inbox | archived_threads | filtered_threads | message_requests | e2ee_cutover>/
<thread>/message_N.json`, is its own conversation, its parts read in order (a
message's `source_line` is then its entry number counted through message_1, message_2...
of its chat), and the pictures and videos its `uri`s name are taken from the zip with
the checks every export zip gets (`chat.safe_members`, `chat.unpack`).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from evidence_app.core.importers.chat import (
    ChatExport,
    ChatMessage,
    ImportProblem,
    from_epoch_ms,
    safe_members,
    scratch_file,
    unpack,
)

_MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs")
# One chat's part: Meta writes 10,000 messages a part, a few MB; 512 MB is no part.
MAX_PART_BYTES = 512 * 1024**2
# Members looked through when telling a download from other zips (a whole Facebook
# download holds tens of thousands of files; the chat files need not come first).
MAX_SNIFFED = 200_000
# A chat file inside a download: the folder above `messages/` (if any) is the top of
# the download, which the `uri`s of pictures are relative to.
_ZIP_PART = re.compile(
    r"^(?P<top>(?:[^/]+/)*?)(?:your_instagram_activity/|your_activity_across_facebook/"
    r"|your_facebook_activity/)?messages/(?P<section>inbox|archived_threads|"
    r"filtered_threads|message_requests|e2ee_cutover)/(?P<thread>[^/]+)/"
    r"message_(?P<n>\d+)\.json$")


def zip_parts(names: Sequence[str]) -> list[str]:
    """The members of a download that are chat files (`.../messages/inbox/x/message_1.json`)."""
    return [n for n in names if _ZIP_PART.match(n.replace("\\", "/"))]


def repair_mojibake(text: str) -> str:
    """Undo Meta's double encoding: a string whose characters are all below 256 and
    that reads as UTF-8 when taken as bytes is that UTF-8; anything else is kept."""
    if not text or all(ord(c) < 128 for c in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _fix(value: Any) -> Any:
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, list):
        return [_fix(v) for v in value]
    if isinstance(value, dict):
        return {k: _fix(v) for k, v in value.items()}
    return value


def _platform(data: dict[str, Any], path: Path) -> str:
    uris = [m.get("uri", "") for msg in data.get("messages", [])[:200]
            for key in _MEDIA_KEYS for m in msg.get(key, []) if isinstance(m, dict)]
    text = " ".join([str(path), *uris]).lower()
    if "instagram" in text:
        return "instagram"
    if "facebook" in text or "messenger" in text or "thread_type" in data:
        return "messenger"
    return "instagram" if "magic_words" in data and "thread_type" not in data else "messenger"


def _find_media(uri: str, path: Path) -> Path | None:
    rel = PurePosixPath(uri.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts:
        return None
    for root in [path.parent, *path.parents]:
        candidate = root.joinpath(*rel.parts)
        if candidate.is_file():
            return candidate
    return None


def _call(msg: dict[str, Any], content: str) -> tuple[str, int | None] | None:
    if "call_duration" not in msg:
        return None
    seconds = int(msg.get("call_duration") or 0)
    low = content.lower()
    missed = "missed" in low or (seconds == 0 and "ended" not in low)
    return ("missed" if missed else "answered"), seconds


MediaFinder = Callable[[str, str], Path | None]


def _thread(parts: Sequence[tuple[str, dict[str, Any]]], *, where: str, folder: str,
            numbered: Sequence[int | None], media: MediaFinder, owner: str | None,
            ) -> ChatExport:
    """One chat from its parts (`(name, data)`, data repaired); `numbered` gives each
    part's first entry number less one (None: its entries get no line number);
    `media(uri, place)` gives a picture's file in the scratch space, or None."""
    first = parts[0][1]
    source = _platform(first, Path(where))
    names = [p.get("name", "") for p in first.get("participants", []) if isinstance(p, dict)]
    title = first.get("title") or ", ".join(names[:-1]) or folder
    key = first.get("thread_path") or title
    ex = ChatExport(source, title, key, options={"parts": [name for name, _ in parts]})
    # The person is the participant listed last in one-to-one chats; `owner` overrides.
    me = owner or (names[-1] if len(names) == 2 else "")
    ex.owner_names = {me} if me else set()
    for (part, data), offset in zip(parts, numbered, strict=True):
        entries = data.get("messages", [])
        stem = PurePosixPath(part).stem
        for n, msg in enumerate(entries, 1):
            line = None if offset is None else offset + n
            if not isinstance(msg, dict) or "timestamp_ms" not in msg:
                ex.problems.append(f"{part} entry {n}: not a message; left out")
                continue
            try:
                when = from_epoch_ms(int(msg["timestamp_ms"]))
            except (TypeError, ValueError, OverflowError, OSError):
                ex.problems.append(f"{part} entry {n}: no readable time; left out")
                continue
            content = str(msg.get("content") or "")
            share = msg.get("share") or {}
            if isinstance(share, dict) and share.get("link") and share["link"] not in content:
                content = f"{content}\n{share['link']}".strip()
            files: list[str] = []
            for key_name in _MEDIA_KEYS:
                for item in msg.get(key_name) or []:
                    uri = item.get("uri", "") if isinstance(item, dict) else ""
                    if not uri or not isinstance(uri, str):
                        continue
                    files.append(uri)
                    if uri not in ex.files:
                        found = media(uri, f"{folder}-{stem}-{n}")
                        if found is not None:
                            ex.files[uri] = found
            sender = str(msg.get("sender_name") or "")
            m = ChatMessage(sender, when, "exact", line, text=content, files=files,
                            from_owner=(sender == me) if me else None)
            if msg.get("is_unsent"):
                m.time_note = "the sender unsent (deleted) this message"
            call = _call(msg, content)
            if call is not None:
                m.kind = "call"
                m.call_status, m.call_seconds = call
                m.call_direction = "outgoing" if sender == me else "incoming"
            ex.messages.append(m)
    missing = sorted({f for m in ex.messages for f in m.files if f not in ex.files})
    if missing:
        ex.problems.append(f"{len(missing)} picture(s) or file(s) named in the chat were not "
                           f"found beside it, e.g. {missing[0]}")
    ex.messages.sort(key=lambda m: (m.sent_at, -(m.line or 0)))  # type: ignore[arg-type, return-value]
    return ex


def read_messages(path: Path, scratch: Path, *, owner: str | None = None) -> list[ChatExport]:
    """Read one chat's `message_N.json` (the other parts of the chat beside it too);
    a whole download (.zip) goes to `read_zip`."""
    if zipfile.is_zipfile(path):
        return read_zip(path, scratch, owner=owner)
    parts = sorted(path.parent.glob("message_*.json")) if path.name.startswith(
        "message_") else [path]
    if path not in parts:
        parts = [path]
    parts.sort(key=lambda p: p != path)  # the file chosen first: its title, its lines
    data_all: list[tuple[str, dict[str, Any]]] = []
    for part in parts:
        with open(part, encoding="utf-8") as fh:
            data_all.append((part.name, _fix(json.load(fh))))

    def media(uri: str, place: str) -> Path | None:
        found = _find_media(uri, path)
        if found is None:
            return None
        target = scratch_file(scratch, place, found.name)
        shutil.copyfile(found, target)
        return target

    return [_thread(data_all, where=str(path), folder=path.parent.name,
                    numbered=[0 if p == path else None for p in parts], media=media,
                    owner=owner)]


def _part_number(name: str) -> int:
    m = _ZIP_PART.match(name.replace("\\", "/"))
    return int(m["n"]) if m else 0


def _load_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    if info.file_size > MAX_PART_BYTES:
        raise ImportProblem(f"{info.filename} holds {info.file_size:,} bytes, more than any "
                            "chat file of a download; it was not read.")
    with zf.open(info) as fh:
        raw = fh.read(MAX_PART_BYTES + 1)  # never more than the limit, whatever it says
    if len(raw) > MAX_PART_BYTES:
        raise ImportProblem(f"{info.filename} unpacks to more than it says; refused")
    data = json.loads(raw.decode("utf-8-sig"))
    if not isinstance(data, dict):
        raise ImportProblem(f"{info.filename} is not a chat file (no messages in it)")
    return _fix(data)  # type: ignore[no-any-return]


def _common_owner(threads: Sequence[Sequence[tuple[str, dict[str, Any]]]]) -> str | None:
    """In a download of several chats the person is in every one: the only name in all
    of them (None when that does not settle it)."""
    if len(threads) < 2:
        return None
    common: set[str] | None = None
    for parts in threads:
        names = {p.get("name", "") for p in parts[0][1].get("participants", [])
                 if isinstance(p, dict) and p.get("name")}
        common = names if common is None else common & names
    return next(iter(common)) if common and len(common) == 1 else None


def read_zip(path: Path, scratch: Path, *, owner: str | None = None) -> list[ChatExport]:
    """Every chat in a "Download your information" zip, a conversation each; members
    that point outside the download, links, zip bombs and oversized files are refused
    (and said) as in every export zip."""
    with zipfile.ZipFile(path) as zf:
        members, refused = safe_members(zf)
        by_name = {info.filename.replace("\\", "/"): info for info in members}
        groups: dict[str, list[zipfile.ZipInfo]] = {}
        for name in zip_parts(list(by_name)):
            groups.setdefault(name.rsplit("/", 1)[0], []).append(by_name[name])
        if not groups:
            raise ImportProblem(
                f"{path.name} holds no Instagram or Messenger chats (no "
                "messages/inbox/<chat>/message_1.json in it). Download your information "
                "again with the format set to JSON, not HTML.")
        threads: list[tuple[str, str, list[tuple[str, dict[str, Any]]]]] = []
        problems = list(refused)
        for folder_name in sorted(groups):
            infos = sorted(groups[folder_name], key=lambda i: _part_number(i.filename))
            parts: list[tuple[str, dict[str, Any]]] = []
            for info in infos:
                try:
                    parts.append((PurePosixPath(info.filename).name, _load_part(zf, info)))
                except (json.JSONDecodeError, UnicodeDecodeError, ImportProblem) as exc:
                    problems.append(f"{info.filename}: could not be read ({exc}); its "
                                    "messages were left out")
            if parts:
                threads.append((folder_name, infos[0].filename, parts))
        if not threads:
            raise ImportProblem(f"No chat in {path.name} could be read: "
                                + "; ".join(problems[:3]))
        me = owner or _common_owner([parts for _, _, parts in threads])
        exports: list[ChatExport] = []
        for folder_name, first_name, parts in threads:
            m = _ZIP_PART.match(first_name.replace("\\", "/"))
            top = m["top"] if m else ""
            thread = PurePosixPath(folder_name).name

            def media(uri: str, place: str, top: str = top) -> Path | None:
                rel = uri.replace("\\", "/").lstrip("/")
                info = by_name.get(top + rel) or by_name.get(rel)
                if info is None:
                    return None
                dest = scratch_file(scratch, place, "x").parent
                return unpack(zf, info, dest)

            offsets: list[int | None] = []
            total = 0
            for _, data in parts:
                offsets.append(total)
                entries = data.get("messages")
                total += len(entries) if isinstance(entries, list) else 0
            exports.append(_thread(parts, where=f"{path.name} {first_name}", folder=thread,
                                   numbered=offsets, media=media, owner=me))
    if exports:
        exports[0].problems = problems + exports[0].problems
    return exports
