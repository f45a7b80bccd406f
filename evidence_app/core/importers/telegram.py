"""Telegram Desktop exports ("Export chat history", JSON): `result.json`.

One chat: `{"name", "type": "personal_chat", "id", "messages": [...]}`; the whole
account: `{"personal_information", "chats": {"list": [chat, ...]}}`. A message:
`{"id", "type": "message", "date": "2025-03-14T22:15:03" (local), "date_unixtime":
"1741990503", "from", "from_id", "text": "plain" or ["plain", {"type": "bold", "text":
"x"}, ...], "photo"/"file": "photos/photo_1@14-03-2025_22-15-03.jpg" or "(File not
included. ...)"}`; calls are service messages `{"type": "service", "action":
"phone_call", "actor", "duration_seconds", "discard_reason": "missed"|"busy"|...}`.

Text is the concatenation of its pieces (formatting is not kept; links and mentions
keep their text). Times are exact when `date_unixtime` is there, else the local `date`
read in the case's zone. `source_line` is the message's `id` in the chat. A forwarded
message carries `"forwarded_from": "Name"` (null when hidden) and an edited one
`"edited": "2025-03-14T22:20:00", "edited_unixtime": "..."`: both are recorded with
the message (message_marks.py); the text stays as exported.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence_app.core.importers.chat import (
    ChatExport,
    ChatMessage,
    LocalClock,
    file_beside,
    from_epoch_ms,
    read_json_bytes,
    scratch_file,
)

SOURCE = "telegram"
_MISSED = {"missed", "busy"}
_SERVICE_TEXT = {"create_group": "created the group", "invite_members": "added members",
                 "remove_members": "removed members", "pin_message": "pinned a message",
                 "clear_history": "cleared the history", "join_group_by_link": "joined"}


def plain_text(text: Any) -> str:
    """The text of a message: a string, or a list of strings and {"type", "text"}."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in text
                       if isinstance(p, str | dict))
    return ""


def _when(msg: dict[str, Any], clock: LocalClock) -> tuple[datetime | None, str, str, str]:
    """(UTC time, how it is known, clock-change note, the local time as written when
    the export gives no instant: the message's identity uses it, importers/chat.py)."""
    unix = msg.get("date_unixtime")
    if unix not in (None, ""):
        try:
            return from_epoch_ms(int(unix) * 1000), "exact", "", ""
        except (TypeError, ValueError, OverflowError, OSError):
            pass
    try:
        naive = datetime.fromisoformat(str(msg.get("date", "")))
    except ValueError:
        return None, "", "", ""
    naive = naive.replace(tzinfo=None)
    when, note = clock.utc(naive)
    return when, clock.basis, note, naive.replace(microsecond=0).isoformat(" ")


def _edited(msg: dict[str, Any], clock: LocalClock) -> datetime | None:
    """When the message was last edited (UTC), from "edited_unixtime" or else the local
    "edited" time; None when the export says it was not edited (or gives no time)."""
    if not msg.get("edited") and not msg.get("edited_unixtime"):
        return None
    when = _when({"date_unixtime": msg.get("edited_unixtime"),
                  "date": msg.get("edited", "")}, clock)[0]
    return when


def _file(msg: dict[str, Any], root: Path, scratch: Path, n: int, refused_names: set[str],
          ) -> tuple[list[str], dict[str, Path], list[str]]:
    """The files a message names, those found beside the export (copied to the scratch
    space) and sentences for those refused (a path or link pointing outside; their names
    go in `refused_names`, so they are not said again as missing)."""
    names: list[str] = []
    found: dict[str, Path] = {}
    refused: list[str] = []
    for key in ("photo", "file"):
        value = msg.get(key)
        if not isinstance(value, str) or not value or value.startswith("(File"):
            continue
        names.append(value)
        source, why = file_beside(root, value)
        if why:
            refused.append(f"message {n}: {why}")
            refused_names.add(value)
        if source is not None:
            target = scratch_file(scratch, f"message{n}", source.name)
            shutil.copyfile(source, target)
            found[value] = target
    return names, found, refused


def _chat(chat: dict[str, Any], root: Path, scratch: Path, tz: str, me: str) -> ChatExport:
    name = str(chat.get("name") or "Telegram chat")
    ex = ChatExport(SOURCE, name, f"{chat.get('id', '')}:{name}",
                    options={"type": chat.get("type", "")})
    clock = LocalClock(tz, "case_zone")
    senders: dict[str, str] = {}
    left_out: list[int] = []
    if not me and chat.get("type") == "personal_chat":
        # A chat with one other person: the sender who is not the chat is the person.
        others = {str(m.get("from") or "") for m in chat.get("messages") or []
                  if isinstance(m, dict) and m.get("type") == "message"} - {name, ""}
        me = next(iter(others)) if len(others) == 1 else ""
    for n, msg in enumerate(chat.get("messages") or [], 1):
        if not isinstance(msg, dict):
            ex.problems.append(f"entry {n}: not a message; left out")
            continue
        line = msg.get("id") if isinstance(msg.get("id"), int) else n
        when, basis, note, wall = _when(msg, clock)
        if when is None:
            ex.problems.append(f"message {line}: no readable date; left out")
            continue
        if msg.get("type") == "service":
            actor = str(msg.get("actor") or "")
            if msg.get("action") == "phone_call":
                reason = str(msg.get("discard_reason") or "")
                seconds = msg.get("duration_seconds")
                ex.messages.append(ChatMessage(
                    actor, when, basis, line, kind="call",
                    text=f"Call ({reason})" if reason else "Call", time_note=note, wall=wall,
                    address=str(msg.get("actor_id") or ""),
                    call_status="missed" if reason in _MISSED else "answered",
                    call_seconds=int(seconds) if isinstance(seconds, int) else None,
                    from_owner=(actor == me) if me else None))
                continue
            action = str(msg.get("action") or "")
            ex.messages.append(ChatMessage(
                "", when, basis, line, kind="system", time_note=note, wall=wall,
                text=f"{actor} {_SERVICE_TEXT.get(action, action.replace('_', ' '))}".strip()))
            continue
        # Telegram writes "from": null for an account deleted since.
        sender = str(msg.get("from") or "Deleted Account")
        sender_id = str(msg.get("from_id") or "")
        senders.setdefault(sender_id or sender, sender)
        names, found, refused = _file(msg, root, scratch, n, ex.refused)
        if any(str(msg.get(k) or "").startswith("(File") for k in ("photo", "file")):
            # "(File not included. Change data exporting settings to download.)",
            # "(File exceeds maximum size. ...)": the export left the file out.
            left_out.append(line if isinstance(line, int) else n)
        ex.files.update(found)
        ex.problems += refused
        text = plain_text(msg.get("text"))
        if not text and msg.get("sticker_emoji"):
            text = str(msg["sticker_emoji"])
        edited_at = _edited(msg, clock)
        ex.messages.append(ChatMessage(
            sender, when, basis, line, text=text, address=sender_id, time_note=note, wall=wall,
            files=names, from_owner=(sender == me) if me else None,
            # "forwarded_from": null when the original sender hid their name.
            forwarded_from=(str(msg.get("forwarded_from") or "")
                            if "forwarded_from" in msg else None),
            edited=edited_at is not None or bool(msg.get("edited")), edited_at=edited_at))
    for m in ex.messages:
        if m.kind == "call":
            m.call_direction = "outgoing" if me and m.sender == me else "incoming"
    if left_out:
        shown = ", ".join(str(n) for n in left_out[:20]) + (" ..." if len(left_out) > 20
                                                           else "")
        ex.problems.append(f"{len(left_out)} file(s) sent in the chat were not included "
                           f"in this export (Telegram's export settings); messages {shown}")
    # The files named but not beside the export are said once, by message number, when
    # the messages are stored (chat.py's missing_files_text), as for WhatsApp; in one
    # line with the reason when none of them is there (its folders were not copied).
    if not ex.files and any(f not in ex.refused for m in ex.messages for f in m.files):
        ex.media_note = "no file it names was found beside result.json"
    ex.owner_names = {me} if me else set()
    return ex


def read_export(path: Path, scratch: Path, *, owner: str | None = None,
                tz: str = "Europe/London") -> list[ChatExport]:
    """Read a Telegram Desktop `result.json` (one chat or the whole account)."""
    data, damage = read_json_bytes(path.read_bytes(), path.name)
    me = owner or ""
    info = data.get("personal_information") if isinstance(data, dict) else None
    if not me and isinstance(info, dict):
        me = " ".join(str(info.get(k) or "") for k in ("first_name", "last_name")).strip()
    chats = (data.get("chats") or {}).get("list") if "chats" in data else [data]
    exports = [_chat(chat, path.parent, scratch, tz, me) for chat in chats or []
               if isinstance(chat, dict) and chat.get("type") != "saved_messages"]
    if exports and damage:  # said with the chat it cut short (the last one read)
        exports[-1].problems += damage
    return exports
