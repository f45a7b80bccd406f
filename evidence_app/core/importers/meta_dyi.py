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
<thread>/message_N.json`, is its own conversation, its files read in order (a
message's `source_line` is then its entry number counted through message_1, message_2...
of its chat), and the pictures and videos its `uri`s name are taken from the zip with
the checks every export zip gets (`chat.safe_members`, `chat.unpack`); a `uri` that is
absolute, climbs out with `..` or is a URL is refused and said.

Meta sends a large download as several zips (`...-part-1-of-3.zip`, or `...-1.zip`,
`-2.zip`): `read_download` reads them as one, a chat's files merged whichever part holds
them and its pictures found in any part; each message keeps its part
(`ChatMessage.part`) and its entry number counted through its chat's files in that part.
`group_parts` and `missing_parts` tell the parts of one download from their names.
"""

from __future__ import annotations

import contextlib
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
    file_beside,
    from_epoch_ms,
    read_json_bytes,
    safe_members,
    scratch_file,
    unpack,
    unsafe_reference,
)

_FILE_NUMBER = re.compile(r"message_(\d+)\.json$")
# "sticker" is one {"uri"} rather than a list of them.
_MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs", "sticker")
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


def _find_media(uri: str, path: Path, refused: list[str]) -> Path | None:
    """The file a `uri` names, under the folder of the chat file or one of its parents
    (the download's top); a path or link pointing outside is refused and said."""
    for root in [path.parent, *path.parents]:
        found, why = file_beside(root, uri)
        if why:
            if why not in refused:
                refused.append(why)
            return None
        if found is not None:
            return found
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
            zips: Sequence[int] = ()) -> ChatExport:
    """One chat from its files (`(name, data)`, data repaired); `numbered` gives each
    file's first entry number less one (None: its entries get no line number); `zips`
    the export file (part of a download) each was read from; `media(uri, place)` gives
    a picture's file in the scratch space, or None."""
    first = parts[0][1]
    source = _platform(first, Path(where))
    names = [p.get("name", "") for p in first.get("participants", []) if isinstance(p, dict)]
    title = first.get("title") or ", ".join(names[:-1]) or folder
    key = first.get("thread_path") or title
    ex = ChatExport(source, title, key, options={"parts": [name for name, _ in parts]})
    # The person is the participant listed last in one-to-one chats; `owner` overrides.
    me = owner or (names[-1] if len(names) == 2 else "")
    ex.owner_names = {me} if me else set()
    zips = list(zips) or [0] * len(parts)
    # Where each message stood (its file's place among the chat's files, its entry in
    # it): a chat's files and entries run newest first, which settles equal times.
    place: dict[int, tuple[int, int]] = {}
    for fi, ((part, data), offset, export_file) in enumerate(
            zip(parts, numbered, zips, strict=True)):
        entries = data.get("messages", [])
        stem = PurePosixPath(part).stem
        numbered_as = _FILE_NUMBER.search(part)
        number = int(numbered_as[1]) if numbered_as else fi
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
                items = msg.get(key_name) or []
                for item in [items] if isinstance(items, dict) else items:
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
                            from_owner=(sender == me) if me else None, part=export_file)
            # "is_unsent": the sender took it back (message_marks.py records it).
            m.unsent = bool(msg.get("is_unsent"))
            call = _call(msg, content)
            if call is not None:
                m.kind = "call"
                m.call_status, m.call_seconds = call
                m.call_direction = "outgoing" if sender == me else "incoming"
            ex.messages.append(m)
            place[id(m)] = (number, n)
    # The files named but not found are said once, by message number, when the messages
    # are stored (chat.py's missing_files_text).
    ex.messages.sort(key=lambda m: (m.sent_at, -place[id(m)][0], -place[id(m)][1]))  # type: ignore[arg-type, return-value]
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
    refused: list[str] = []
    for part in parts:
        data, damage = read_json_bytes(part.read_bytes(), part.name)
        refused += damage
        data_all.append((part.name, _fix(data)))

    refused_names: set[str] = set()

    def media(uri: str, place: str) -> Path | None:
        said = len(refused)
        found = _find_media(uri, path, refused)
        if found is None:
            if len(refused) > said or unsafe_reference(uri):  # refused: said once there
                refused_names.add(uri)
            return None
        target = scratch_file(scratch, place, found.name)
        shutil.copyfile(found, target)
        return target

    ex = _thread(data_all, where=str(path), folder=path.parent.name,
                 numbered=[0 if p == path else None for p in parts], media=media,
                 owner=owner)
    ex.problems = refused + ex.problems
    ex.refused = refused_names
    return [ex]


def _part_number(name: str) -> int:
    m = _ZIP_PART.match(name.replace("\\", "/"))
    return int(m["n"]) if m else 0


def _load_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[dict[str, Any], list[str]]:
    if info.file_size > MAX_PART_BYTES:
        raise ImportProblem(f"{info.filename} holds {info.file_size:,} bytes, more than any "
                            "chat file of a download; it was not read.")
    with zf.open(info) as fh:
        raw = fh.read(MAX_PART_BYTES + 1)  # never more than the limit, whatever it says
    if len(raw) > MAX_PART_BYTES:
        raise ImportProblem(f"{info.filename} unpacks to more than it says; refused")
    data, damage = read_json_bytes(raw, info.filename)
    if not isinstance(data, dict):
        raise ImportProblem(f"{info.filename} is not a chat file (no messages in it)")
    return _fix(data), damage


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
    return read_download([path], scratch, owner=owner)


def _media_key(name: str) -> str:
    """A member's path from the download's own top (`your_instagram_activity/...` or
    `messages/...`), whatever folder the download sits in: how `uri`s name files."""
    parts = name.replace("\\", "/").lstrip("/").split("/")
    for i, part in enumerate(parts):
        if part in _TOPS:
            return "/".join(parts[i:])
    return "/".join(parts)


def _from_messages(key: str) -> str:
    """A member's path from its `messages/` folder: older `uri`s name files so even
    where the download keeps them under `your_activity_across_facebook/`."""
    at = key.find("messages/")
    return key[at:] if at >= 0 else key


_TOPS = {"your_instagram_activity", "your_activity_across_facebook", "your_facebook_activity",
         "messages"}


def _chat_files(zf: zipfile.ZipFile, part: int, path: Path, many: bool,
                ) -> tuple[dict[str, tuple[int, zipfile.ZipInfo]], dict[str, list[str]], list[str]]:
    """One zip's safe members by their key from the download's top, its chat files by
    chat folder, and what was refused in it (naming the zip when there are `many`)."""
    members, refused = safe_members(zf)
    index: dict[str, tuple[int, zipfile.ZipInfo]] = {}
    chats: dict[str, list[str]] = {}
    for info in members:
        name = info.filename.replace("\\", "/")
        index.setdefault(_media_key(name), (part, info))
        if _ZIP_PART.match(name):
            key = _media_key(name)
            chats.setdefault(key.rsplit("/", 1)[0], []).append(key)
    return index, chats, [f"{path.name}: {r}" if many else r for r in refused]


def read_download(paths: Sequence[Path], scratch: Path, *, owner: str | None = None,
                  ) -> list[ChatExport]:
    """Every chat in a "Download your information" that came as one zip or as several
    (its parts, given in order): a chat's `message_N.json` files are merged whichever
    part holds them, and its pictures taken from whichever part has them. Each message
    keeps the part it was read from (`ChatMessage.part`) and its entry number counted
    through its chat's files in that part. What is not in the parts given (a chat file
    or a picture) is said, never guessed."""
    many = len(paths) > 1
    with contextlib.ExitStack() as stack:
        zips = [stack.enter_context(zipfile.ZipFile(p)) for p in paths]
        index: dict[str, tuple[int, zipfile.ZipInfo]] = {}
        chats: dict[str, dict[str, int]] = {}
        problems: list[str] = []
        for part, (zf, path) in enumerate(zip(zips, paths, strict=True)):
            own, own_chats, refused = _chat_files(zf, part, path, many)
            problems += refused
            for key, found in own.items():
                index.setdefault(key, found)
                index.setdefault(_from_messages(key), found)
            for folder, keys in own_chats.items():
                files = chats.setdefault(folder, {})
                for key in keys:
                    if key in files:
                        problems.append(f"{key} is in both {paths[files[key]].name} and "
                                        f"{path.name}; read from {paths[files[key]].name}")
                        continue
                    files[key] = part
        if not chats:
            names = list(index)
            given = " and ".join(p.name for p in paths)
            if not looks_like_part(names):
                raise ImportProblem(
                    f"{given} {'hold' if many else 'holds'} no Instagram or Messenger chats "
                    "(no messages/inbox/<chat>/message_1.json in it). Download your "
                    "information again with the format set to JSON, not HTML.")
            raise ImportProblem(
                f"{given} {'are parts' if many else 'is a part'} of an Instagram or Facebook "
                f"download with no chats in {'them' if many else 'it'}: Meta sends a large "
                "download in several files, and the chats are in another. Import all the "
                "files of the download together.")
        threads: list[tuple[str, str, list[tuple[str, dict[str, Any]]], list[int]]] = []
        for folder in sorted(chats):
            keys = sorted(chats[folder], key=_part_number)
            parts: list[tuple[str, dict[str, Any]]] = []
            where: list[int] = []
            for key in keys:
                part, info = index[key]
                try:
                    data, damage = _load_part(zips[part], info)
                    parts.append((PurePosixPath(key).name, data))
                    problems += damage
                    where.append(part)
                except (json.JSONDecodeError, UnicodeDecodeError, ImportProblem) as exc:
                    problems.append(f"{info.filename}: could not be read ({exc}); its "
                                    "messages were left out")
            numbers = {_part_number(k) for k in keys}
            absent = [n for n in range(1, max(numbers) + 1) if n not in numbers]
            if absent:
                problems.append(
                    f"{folder}: message_{absent[0]}.json"
                    + (f" and {len(absent) - 1} more of its files" if len(absent) > 1 else "")
                    + f" {'are' if len(absent) > 1 else 'is'} in none of the files given; "
                    "its messages are missing here" + (" (in a part of the download not "
                                                      "given?)" if many else ""))
            if parts:
                threads.append((folder, keys[0], parts, where))
        if not threads:
            raise ImportProblem(f"No chat in {', '.join(p.name for p in paths)} could be "
                                "read: " + "; ".join(problems[:3]))
        me = owner or _common_owner([parts for _, _, parts, _ in threads])
        found_in: dict[Path, int] = {}

        refused_names: set[str] = set()

        def media(uri: str, place: str) -> Path | None:
            why = unsafe_reference(uri)
            if why:
                if why not in problems:
                    problems.append(why)
                refused_names.add(uri)  # said once, not again as missing (chat.py)
                return None
            found = index.get(_media_key(uri)) or index.get(_from_messages(uri))
            if found is None:
                return None
            part, info = found
            dest = scratch_file(scratch, place, "x").parent
            target = unpack(zips[part], info, dest)
            found_in[target] = part
            return target

        exports: list[ChatExport] = []
        for folder, first_key, parts, where in threads:
            offsets: list[int | None] = []
            totals: dict[int, int] = {}
            for (_, data), part in zip(parts, where, strict=True):
                offsets.append(totals.get(part, 0))
                entries = data.get("messages")
                totals[part] = totals.get(part, 0) + (
                    len(entries) if isinstance(entries, list) else 0)
            first_part = paths[where[0]].name
            ex = _thread(parts, where=f"{first_part} {first_key}",
                         folder=PurePosixPath(folder).name, numbered=offsets, media=media,
                         owner=me, zips=where)
            ex.file_parts = {uri: found_in.get(p, 0) for uri, p in ex.files.items()}
            ex.refused = refused_names
            if many:
                for part in sorted(set(where)):
                    ex.part_options[part] = {"chat_files": [
                        f"{folder}/{name}" for (name, _), p in zip(parts, where, strict=True)
                        if p == part]}
            exports.append(ex)
    if exports:
        exports[0].problems = problems + exports[0].problems
    return exports


# --------------------------------------------------------------------------- parts
# Meta sends a large download as several zips, named alike but for the part:
# `instagram-<user>-<date>-<id>-part-1-of-3.zip` or `facebook-<user>-<date>-<id>-1.zip`,
# `-2.zip`... (a lone download has no part in its name).
_PART_OF = re.compile(r"^(?P<stem>.+?)(?P<sep>[-_ ]part[-_ ]?)(?P<n>\d{1,3})"
                      r"(?P<of_sep>[-_ ]?of[-_ ]?)(?P<of>\d{1,3})$", re.IGNORECASE)
_DASH_N = re.compile(r"^(?P<stem>.+)-(?P<n>\d{1,3})$")
_BROWSER_COPY = re.compile(r" \(\d{1,3}\)$")  # "...-part-2-of-3 (1).zip", saved twice
_ENDS_IN_MONTH = re.compile(r"\d{4}-\d{2}$")  # "...-2025-03-14": a date, not part 14
# Chat pictures in a part that holds no chat file of its own.
_MEDIA_MEMBER = re.compile(
    r"^(?:[^/]+/)*?(?:your_instagram_activity/|your_activity_across_facebook/"
    r"|your_facebook_activity/)?messages/(?:(?:inbox|archived_threads|filtered_threads|"
    r"message_requests|e2ee_cutover)/[^/]+/)?(?:photos|videos|audio|files|gifs|"
    r"stickers_used)/[^/]+$")
# Folders only Meta's downloads have (a part may hold posts or settings, no chats).
_META_FOLDER = re.compile(r"^(?:[^/]+/)?(?:your_instagram_activity|your_facebook_activity|"
                          r"your_activity_across_facebook)/")
_HTML_CHAT = re.compile(r"(?:^|/)messages/[^/]+/[^/]+/message_\d+\.html$")


def looks_like_part(names: Sequence[str]) -> bool:
    """A zip with no chat file that is still a part of a Meta download: it holds the
    pictures sent in chats, or folders only Meta's downloads have."""
    clean = [n.replace("\\", "/") for n in names]
    if any(_HTML_CHAT.search(n) for n in clean):
        return False  # a download in HTML, which this app does not read
    return any(_MEDIA_MEMBER.match(n) or _META_FOLDER.match(n) for n in clean)


def part_of(path: Path) -> tuple[str, int, int | None] | None:
    """(the download's name without the part, the part's number, how many parts when the
    name says) for a zip named as a part of a download; None for any other name."""
    if path.suffix.lower() != ".zip":
        return None
    stem = _BROWSER_COPY.sub("", path.stem)
    m = _PART_OF.match(stem)
    if m:
        return m["stem"].lower(), int(m["n"]), int(m["of"])
    m = _DASH_N.match(stem)
    if m and not (_ENDS_IN_MONTH.search(m["stem"]) and int(m["n"]) <= 31):
        return m["stem"].lower(), int(m["n"]), None
    return None


def group_parts(paths: Sequence[Path]) -> list[list[Path]]:
    """Downloads among these zips: parts of one download (same name but for the part)
    together, in part order; every other zip alone. In the order first given."""
    groups: dict[str, list[Path]] = {}
    for path in paths:
        named = part_of(path)
        key = f"part:{named[0]}" if named else f"file:{path}"
        groups.setdefault(key, []).append(path)
    out: list[list[Path]] = []
    for key, members in groups.items():
        if key.startswith("part:"):
            if len(members) == 1 and (part_of(members[0]) or ("", 0, None))[2] is None:
                out.append(members)  # "x-1.zip" alone: maybe no part at all
                continue
            members.sort(key=lambda p: (part_of(p) or ("", 0, None))[1])
        out.append(members)
    return out


def chat_files(path: Path) -> set[str]:
    """The chat files of a download zip, by their path from the download's top."""
    with zipfile.ZipFile(path) as zf:
        return {_media_key(n) for n in zip_parts(zf.namelist()[:MAX_SNIFFED])}


def group_renamed(paths: Sequence[Path]) -> list[list[Path]]:
    """Downloads among zips whose names say no part (renamed, or saved under other
    names): together when no chat file is in two of them (so they are pieces of one
    download, not two downloads of the same chats); otherwise each alone."""
    if len(paths) < 2:
        return [[p] for p in paths]
    seen: set[str] = set()
    for path in paths:
        try:
            keys = chat_files(path)
        except (zipfile.BadZipFile, OSError):
            return [[p] for p in paths]
        if keys & seen:
            return [[p] for p in paths]
        seen |= keys
    # The zip with the first chat files first (its title and numbering lead).
    return [sorted(paths, key=lambda p: (not chat_files(p), p.name))]


def missing_parts(paths: Sequence[Path]) -> list[str]:
    """The names of the parts of this download that were not given (as Meta would have
    named them): every part up to the count its names give, or up to the highest
    part given."""
    named = [(p, part_of(p)) for p in paths]
    known = [(p, n) for p, n in named if n is not None]
    if not known or (len(paths) == 1 and known[0][1][2] is None and known[0][1][1] < 2):
        return []  # "x-1.zip" alone: maybe a download in one file
    numbers = {n[1] for _, n in known}
    total = max([n[2] or 0 for _, n in known] + list(numbers))
    sample, (_, first_n, _) = known[0]
    stem = _BROWSER_COPY.sub("", sample.stem)
    out = []
    for n in range(1, total + 1):
        if n in numbers:
            continue
        m = _PART_OF.match(stem)
        if m:
            name = f"{m['stem']}{m['sep']}{n}{m['of_sep']}{m['of']}"
        else:
            name = f"{stem[:-len(str(first_n))]}{n}"
        out.append(name + sample.suffix)
    return out
