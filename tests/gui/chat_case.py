"""A real conversation in a case, saved through core's importer API (as an import
would), for the GUI tests of conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from evidence_app.core import conversations as conv
from evidence_app.core.importers.chat import ChatExport, ChatMessage, save_exports
from tests.sample_images import photo

LINES = ["where are you", "I know you're home, the lights are on", "answer me",
         "why are you ignoring me?? 😡", "I saw you with him today at AB12 CDE",
         "You can't hide forever", "pick up the phone", "لماذا لا تردين؟", "I'm outside"]


def chat_export(folder: Path, days: int = 3, per_day: int = 6, picture: bool = True,
                ) -> tuple[Path, ChatExport]:
    """Mark's messages and missed calls over `days` evenings, Jane's replies, a deleted
    message, the encryption notice and (with `picture`) a photo Mark sent."""
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2025, 3, 14, 19, 0, tzinfo=UTC)
    msgs = [ChatMessage("", start - timedelta(hours=1), "case_zone", 1, kind="system",
                        text="Messages and calls are end-to-end encrypted.")]
    files = {}
    line = 2
    for d in range(days):
        for i in range(per_day):
            at = start + timedelta(days=d, minutes=9 * i)
            text = LINES[(d * per_day + i) % len(LINES)]
            names: list[str] = []
            if picture and d == 0 and i == 2:
                name = "IMG-20250314-WA0003.jpg"
                files[name] = photo(folder / name, at.replace(tzinfo=None))
                names = [name]
                text = ""
            if d == 1 and i == 3:
                text = "This message was deleted"
            msgs.append(ChatMessage("Mark Jones", at, "case_zone", line, text=text, files=names))
            line += 1
        msgs.append(ChatMessage("Mark Jones", start + timedelta(days=d, hours=2), "exact",
                                line, kind="call", call_direction="incoming",
                                call_status="missed", call_number=""))
        line += 1
        msgs.append(ChatMessage("Jane Smith", start + timedelta(days=d, hours=2, minutes=5),
                                "case_zone", line, text="Please stop contacting me."))
        line += 1
    path = folder / "WhatsApp Chat with Mark Jones.txt"
    path.write_text("\n".join(m.text for m in msgs), encoding="utf-8")
    export = ChatExport("whatsapp", "Mark Jones", "Mark Jones", msgs, files=files,
                        owner_names={"Jane Smith"})
    return path, export


def add_chat(case, folder: Path, suspect: bool = True, **kwargs) -> conv.ConversationView:
    """Import the chat into `case` and mark Mark a suspect; returns the conversation."""
    path, export = chat_export(folder, **kwargs)
    list(save_exports(case, path, [export], "test"))
    [view] = [c for c in conv.list_conversations(case) if c.title == "Mark Jones"]
    if suspect:
        mark = next(p for p in view.participants if p.name == "Mark Jones")
        conv.set_participant(case, mark.id, is_suspect=True)
        view = conv.get_conversation(case, view.id)
    return view
