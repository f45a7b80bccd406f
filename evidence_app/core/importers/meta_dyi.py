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
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from evidence_app.core.importers.chat import (
    ChatExport,
    ChatMessage,
    from_epoch_ms,
    scratch_file,
)

_MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs")


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


def read_messages(path: Path, scratch: Path, *, owner: str | None = None) -> list[ChatExport]:
    """Read one chat's `message_N.json` (the other parts of the chat beside it too)."""
    parts = sorted(path.parent.glob("message_*.json")) if path.name.startswith(
        "message_") else [path]
    if path not in parts:
        parts = [path]
    data_all: list[tuple[Path, dict[str, Any]]] = []
    for part in parts:
        with open(part, encoding="utf-8") as fh:
            data_all.append((part, _fix(json.load(fh))))
    first = next(d for p, d in data_all if p == path)
    source = _platform(first, path)
    names = [p.get("name", "") for p in first.get("participants", []) if isinstance(p, dict)]
    title = first.get("title") or ", ".join(names[:-1]) or path.parent.name
    key = first.get("thread_path") or title
    ex = ChatExport(source, title, key, options={"parts": [p.name for p, _ in data_all]})
    # The person is the participant listed last in one-to-one chats; `owner` overrides.
    me = owner or (names[-1] if len(names) == 2 else "")
    ex.owner_names = {me} if me else set()
    for part, data in data_all:
        entries = data.get("messages", [])
        for n, msg in enumerate(entries, 1):
            line = n if part == path else None
            if not isinstance(msg, dict) or "timestamp_ms" not in msg:
                ex.problems.append(f"{part.name} entry {n}: not a message; left out")
                continue
            try:
                when = from_epoch_ms(int(msg["timestamp_ms"]))
            except (TypeError, ValueError, OverflowError, OSError):
                ex.problems.append(f"{part.name} entry {n}: no readable time; left out")
                continue
            content = str(msg.get("content") or "")
            share = msg.get("share") or {}
            if isinstance(share, dict) and share.get("link") and share["link"] not in content:
                content = f"{content}\n{share['link']}".strip()
            files: list[str] = []
            for key_name in _MEDIA_KEYS:
                for media in msg.get(key_name) or []:
                    uri = media.get("uri", "") if isinstance(media, dict) else ""
                    found = _find_media(uri, path) if uri else None
                    if found is None:
                        if uri:
                            files.append(uri)
                        continue
                    target = scratch_file(scratch, f"{part.stem}-{n}", found.name)
                    shutil.copyfile(found, target)
                    ex.files[uri] = target
                    files.append(uri)
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
    return [ex]
