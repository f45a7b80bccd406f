"""Every message importer: a photo a message names by an absolute path, by `..`, through
a link (a symbolic link on disk, or a URL) is never read from outside the export, and
is said as the zip checks say it; a file name an export gives ("../../x.jpg") never
places a file outside the case's scratch folder. The rest of the export comes in."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence_app.core import conversations as api
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.messages import import_messages
from tests.fixtures import message_exports as fx

SECRET = b"not a photo: a private file elsewhere on the computer"


def run(case, path, **kw) -> list[ConversationImport]:
    return [e.item for e in import_messages(case, path, **kw)
            if isinstance(e.item, ConversationImport)]


def msgs(case, conversation_id):
    return api.messages_page(case, conversation_id, limit=1000)


def problems(got: list[ConversationImport]) -> str:
    return "\n".join(p for c in got for p in c.problems)


@pytest.fixture
def outside(tmp_path) -> Path:
    """A private file beside (outside) the export folder."""
    path = tmp_path / "secret.jpg"
    path.write_bytes(SECRET)
    return path


def no_secret_kept(case) -> None:
    for root, _, files in os.walk(case.folder):
        for name in files:
            full = Path(root) / name
            if full.is_file() and full.stat().st_size == len(SECRET):
                assert full.read_bytes() != SECRET, full


def test_whatsapp_names_outside_the_export_are_refused(case, tmp_path, outside):
    chat = ("14/03/2025, 22:15 - Mark: ../secret.jpg (file attached)\n"
            "14/03/2025, 22:16 - Mark: /home/jane/secret.jpg (file attached)\n"
            "14/03/2025, 22:17 - Mark: IMG-20250314-WA0003.jpg (file attached)\n")
    path = fx.whatsapp_zip(tmp_path / "chat.zip", chat, "WhatsApp Chat with Mark.txt",
                           {"secret.jpg": SECRET, "hostname": SECRET,
                            "IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    got = run(case, path)
    text = problems(got)
    assert "line 1: ../secret.jpg: its path points outside the export; not read" in text
    assert "line 2: /home/jane/secret.jpg: its path points outside the export; not read" in text
    m = msgs(case, got[0].conversation_id)
    assert [len(x.attachments) for x in m] == [0, 0, 1]
    no_secret_kept(case)


def _telegram(folder: Path, photos: list[str]) -> Path:
    folder.mkdir()
    messages = [{"id": 100 + n, "type": "message", "date": "2025-03-14T22:15:00",
                 "date_unixtime": str(1741990500 + n), "from": "Mark", "from_id": "user5",
                 "photo": photo, "text": f"photo {n}", "text_entities": []}
                for n, photo in enumerate(photos)]
    path = folder / "result.json"
    path.write_text(json.dumps({"name": "Mark", "type": "personal_chat", "id": 5,
                                "messages": messages}), encoding="utf-8")
    return path


def test_telegram_photos_outside_through_links_or_urls_are_refused(case, tmp_path, outside):
    path = _telegram(tmp_path / "export", [
        "../secret.jpg", str(outside), "photos/link.jpg", "https://example.com/x.jpg",
        "photos/real.jpg", "linked/inner.jpg"])
    (path.parent / "photos").mkdir()
    (path.parent / "photos" / "link.jpg").symlink_to(outside)
    (path.parent / "photos" / "real.jpg").write_bytes(fx.jpeg_bytes())
    (path.parent / "linked").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "inner.jpg").write_bytes(SECRET)
    got = run(case, path)
    text = problems(got)
    assert "message 1: ../secret.jpg: its path points outside the export; not read" in text
    assert f"message 2: {outside}: its path points outside the export; not read" in text
    assert "message 3: photos/link.jpg: a link, not a file of the export; not read" in text
    assert ("message 4: https://example.com/x.jpg: a link, not a file of the export; not "
            "read") in text
    assert "message 6: linked/inner.jpg: a link, not a file of the export; not read" in text
    m = msgs(case, got[0].conversation_id)
    assert [len(x.attachments) for x in m] == [0, 0, 0, 0, 1, 0]
    no_secret_kept(case)


def test_a_meta_chat_file_on_disk_refuses_links_and_outside_paths(case, tmp_path, outside):
    chat = tmp_path / "download" / "messages" / "inbox" / "mark_1"
    (chat / "photos").mkdir(parents=True)
    (chat / "photos" / "link.jpg").symlink_to(outside)
    (chat / "photos" / "real.jpg").write_bytes(fx.jpeg_bytes())
    data = {"participants": [{"name": "Mark"}, {"name": "Jane Smith"}], "title": "Mark",
            "thread_path": "inbox/mark_1", "messages": [
                {"sender_name": "Mark", "timestamp_ms": 1742100003000,
                 "photos": [{"uri": "messages/inbox/mark_1/photos/real.jpg"}]},
                {"sender_name": "Mark", "timestamp_ms": 1742100002000,
                 "photos": [{"uri": "messages/inbox/mark_1/photos/link.jpg"}]},
                {"sender_name": "Mark", "timestamp_ms": 1742100001000,
                 "photos": [{"uri": "../../../../secret.jpg"}]},
                {"sender_name": "Mark", "timestamp_ms": 1742100000000,
                 "photos": [{"uri": str(outside)}]}]}
    path = chat / "message_1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    got = run(case, path)
    text = problems(got)
    assert ("messages/inbox/mark_1/photos/link.jpg: a link, not a file of the export; not "
            "read") in text
    assert "../../../../secret.jpg: its path points outside the export; not read" in text
    assert f"{outside}: its path points outside the export; not read" in text
    m = msgs(case, got[0].conversation_id)
    assert [len(x.attachments) for x in m] == [0, 0, 0, 1]
    no_secret_kept(case)


def test_a_meta_download_zip_refuses_uris_outside_or_links(case, tmp_path):
    bad = json.dumps({
        "participants": [{"name": "Mark"}, {"name": "Jane Smith"}], "title": "Mark",
        "thread_path": "inbox/x_1", "messages": [
            {"sender_name": "Mark", "timestamp_ms": 1742100002000,
             "photos": [{"uri": "/your_instagram_activity/messages/inbox/x_1/photos/a.jpg"}]},
            {"sender_name": "Mark", "timestamp_ms": 1742100001000,
             "photos": [{"uri": "https://scontent.cdninstagram.com/a.jpg"}]},
            {"sender_name": "Mark", "timestamp_ms": 1742100000000,
             "photos": [{"uri": "your_instagram_activity/messages/inbox/x_1/photos/a.jpg"}]},
        ]}).encode()
    path = tmp_path / "instagram.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("your_instagram_activity/messages/inbox/x_1/message_1.json", bad)
        zf.writestr("your_instagram_activity/messages/inbox/x_1/photos/a.jpg",
                    fx.jpeg_bytes())
        link = zipfile.ZipInfo("your_instagram_activity/messages/inbox/x_1/photos/b.jpg")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    got = run(case, path)
    text = problems(got)
    assert ("/your_instagram_activity/messages/inbox/x_1/photos/a.jpg: its path points "
            "outside the export; not read") in text
    assert ("https://scontent.cdninstagram.com/a.jpg: a link, not a file of the export; "
            "not read") in text
    assert "photos/b.jpg: a link, not a file; not unpacked" in text
    assert [len(x.attachments) for x in msgs(case, got[0].conversation_id)] == [1, 0, 0]


def test_mail_and_mms_file_names_with_paths_stay_inside(case, tmp_path):
    when = datetime(2025, 3, 14, 22, 15, tzinfo=UTC)
    mbox = tmp_path / "mail.mbox"
    mbox.write_bytes(fx.mbox([
        fx.mail("Mark <mark@example.com>", "Jane <jane@example.org>", "one", when, "a\n",
                ("../../../evil.jpg", fx.jpeg_bytes())),
        fx.mail("Mark <mark@example.com>", "Jane <jane@example.org>", "two", when, "b\n",
                ("..", fx.jpeg_bytes("#00ff00")))]))
    got = run(case, mbox)
    names = [a.name for m in msgs(case, got[0].conversation_id) for a in m.attachments]
    assert names == ["evil.jpg", "file"]
    xml = tmp_path / "sms.xml"
    xml.write_text(fx.sms_backup_xml(fx.jpeg_bytes("#0000ff")).replace(
        'cl="image000000.jpg"', 'cl="../../../evil2.jpg"'), encoding="utf-8")
    got = run(case, xml)
    names = [a.name for m in msgs(case, got[0].conversation_id) for a in m.attachments]
    assert names == ["evil2.jpg"]
    for up in (tmp_path, tmp_path.parent, case.folder.parent):
        assert not (up / "evil.jpg").exists() and not (up / "evil2.jpg").exists()


def test_a_refused_name_is_said_once_not_again_as_missing(case, tmp_path, outside):
    chat = ("14/03/2025, 22:15 - Mark: ../secret.jpg (file attached)\n"
            "14/03/2025, 22:17 - Mark: IMG-20250314-WA0003.jpg (file attached)\n")
    path = fx.whatsapp_zip(tmp_path / "chat.zip", chat, "WhatsApp Chat with Mark.txt",
                           {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    assert problems(run(case, path)) == (
        "line 1: ../secret.jpg: its path points outside the export; not read")
    tg = _telegram(tmp_path / "export", ["../secret.jpg", "photos/real.jpg"])
    (tg.parent / "photos").mkdir()
    (tg.parent / "photos" / "real.jpg").write_bytes(fx.jpeg_bytes())
    assert problems(run(case, tg)) == (
        "message 1: ../secret.jpg: its path points outside the export; not read")


def test_telegram_files_missing_from_the_export_are_said_once(case, tmp_path):
    tg = _telegram(tmp_path / "export", ["photos/gone.jpg", "photos/real.jpg"])
    (tg.parent / "photos").mkdir()
    (tg.parent / "photos" / "real.jpg").write_bytes(fx.jpeg_bytes())
    assert run(case, tg)[0].problems == ["message 1: photos/gone.jpg was not in the export"]
    # None of its files there (the folders not copied with result.json): one line.
    none = _telegram(tmp_path / "bare", ["photos/a.jpg", "photos/b.jpg"])
    none.write_text(none.read_text().replace('"id": 5', '"id": 6'))
    assert run(case, none)[0].problems == [
        "2 files named in the chat are not in this export (no file it names was found "
        "beside result.json): messages 1-2."]


def test_a_meta_chat_says_refused_and_missing_files_once_each(case, tmp_path):
    chat = tmp_path / "download" / "messages" / "inbox" / "mark_1"
    (chat / "photos").mkdir(parents=True)
    (chat / "photos" / "real.jpg").write_bytes(fx.jpeg_bytes())
    data = {"participants": [{"name": "Mark"}, {"name": "Jane Smith"}], "title": "Mark",
            "thread_path": "inbox/mark_1", "messages": [
                {"sender_name": "Mark", "timestamp_ms": 1742100003000,
                 "photos": [{"uri": "messages/inbox/mark_1/photos/real.jpg"}]},
                {"sender_name": "Mark", "timestamp_ms": 1742100001000,
                 "photos": [{"uri": "../../../../secret.jpg"}]},
                {"sender_name": "Mark", "timestamp_ms": 1742100000000,
                 "photos": [{"uri": "messages/inbox/mark_1/photos/gone.jpg"}]}]}
    path = chat / "message_1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    [got] = run(case, path)
    assert got.problems == [
        "../../../../secret.jpg: its path points outside the export; not read",
        "message 1: messages/inbox/mark_1/photos/gone.jpg was not in the export"]
