"""Instagram and Facebook Messenger's "Download your information" zip imported as it
is: every chat in it a conversation, its parts merged in order, its photos kept, the
mis-encoded text repaired, and the zip checked as every export zip is."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import UTC, datetime

import pytest

from evidence_app.core import conversations as api
from evidence_app.core.importers.chat import ConversationImport, ImportProblem
from evidence_app.core.importers.messages import import_messages, sniff_export
from tests.fixtures import message_exports as fx


def run(case, path, **kw) -> list[ConversationImport]:
    return [e.item for e in import_messages(case, path, **kw)
            if isinstance(e.item, ConversationImport)]


def msgs(case, conversation_id):
    return api.messages_page(case, conversation_id, limit=1000)


def test_instagram_download_zip_gives_each_chat_with_its_parts_and_photo(case, tmp_path):
    path = fx.meta_download_zip(tmp_path / "instagram-janesmith-2025-03-20-abc.zip")
    assert sniff_export(path) == "meta_dyi"
    got = {c.title: c for c in run(case, path)}
    assert set(got) == {"Mark Jonés", "Sam"}
    mark = got["Mark Jonés"]
    assert mark.source == "instagram" and mark.messages_added == 5
    m = msgs(case, mark.conversation_id)
    # message_2.json (older) and message_1.json merged, oldest first.
    assert [x.text for x in m] == [
        "Leave me alone", "Saw you at the café 👀",
        "Why are you ignoring me? ☺️ I’m outside 🚗", "", "Stop"]
    assert [x.sender_name for x in m] == ["Jane Smith", "Mark Jonés", "Mark Jonés",
                                          "Mark Jonés", "Jane Smith"]
    assert [x.outgoing for x in m] == [True, False, False, False, True]
    assert m[1].sent_at == datetime.fromtimestamp(1741900000, UTC)
    # Entry numbers count through the chat's parts: message_1 holds 1-3, message_2 4-5.
    assert [x.source_line for x in m] == [5, 4, 3, 2, 1]
    [photo] = m[3].attachments
    assert len(m[0].attachments) == 0
    sam = msgs(case, got["Sam"].conversation_id)
    assert [x.text for x in sam] == ["He asked me where you live 😟"]
    assert not got["Sam"].problems and not mark.problems
    # The zip itself is the export exhibit of both conversations; the photo one of its own.
    assert mark.export_exhibit == got["Sam"].export_exhibit
    assert (photo.name, photo.kind) == ("1.jpg", "image")
    assert photo.sha256 == hashlib.sha256(fx.jpeg_bytes("#3050c0")).hexdigest()
    assert photo.exhibit_mark != mark.export_exhibit
    # The same download again adds nothing.
    again = {c.title: c for c in run(case, path)}
    assert again["Mark Jonés"].messages_added == 0 and again["Sam"].messages_added == 0


def test_facebook_download_in_a_top_folder_and_e2ee_chats(case, tmp_path):
    e2ee = ('{"participants": [{"name": "Mark"}, {"name": "Jane Smith"}], "messages": '
            '[{"sender_name": "Mark", "timestamp_ms": 1742100000000, "content": "Answer"}],'
            ' "title": "Mark", "thread_path": "e2ee_cutover/mark_9", "thread_type": "Regular"}')
    path = fx.meta_download_zip(
        tmp_path / "facebook-janesmith-2025.zip", instagram=False, top="facebook-jane/",
        extra={"your_activity_across_facebook/messages/e2ee_cutover/mark_9/message_1.json":
               e2ee.encode()})
    assert sniff_export(path) == "meta_dyi"
    got = {c.title: c for c in run(case, path)}
    assert set(got) == {"Mark Jonés", "Sam", "Mark"}
    assert {c.source for c in got.values()} == {"messenger"}
    # The photo's uri is relative to the download's top, inside the top folder here.
    assert len(msgs(case, got["Mark Jonés"].conversation_id)[3].attachments) == 1
    assert [x.text for x in msgs(case, got["Mark"].conversation_id)] == ["Answer"]


def test_old_layout_without_the_activity_folder(case, tmp_path):
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("messages/inbox/mark_1/message_1.json", fx.meta_message_json())
    assert sniff_export(path) == "meta_dyi"
    [got] = run(case, path)
    assert got.title == "Mark Jonés" and got.messages_added == 3
    # The photo it names is not in this download: said once, not guessed.
    assert len(got.problems) == 1 and got.problems[0].endswith(" was not in the export")


def test_download_zip_is_checked_like_every_export_zip(case, tmp_path):
    bad_uri = ('{"participants": [{"name": "Mark"}, {"name": "Jane Smith"}], "messages": '
               '[{"sender_name": "Mark", "timestamp_ms": 1742100000000, "photos": '
               '[{"uri": "../evil.jpg"}]}, {"sender_name": "Mark", "timestamp_ms": '
               '1742100001000, "photos": [{"uri": "your_instagram_activity/messages/inbox/'
               'x_1/photos/bomb.jpg"}]}], "title": "Mark", "thread_path": "inbox/x_1"}')
    path = fx.meta_download_zip(tmp_path / "instagram.zip", extra={
        "your_instagram_activity/messages/inbox/x_1/message_1.json": bad_uri.encode(),
        "../evil.jpg": fx.jpeg_bytes(),
        "your_instagram_activity/messages/inbox/x_1/photos/bomb.jpg": b"\0" * (5 * 1024**2),
        "your_instagram_activity/messages/inbox/broken_2/message_1.json": b'{"participants": [',
    })
    got = {c.title: c for c in run(case, path)}
    text = "\n".join(p for c in got.values() for p in c.problems)
    assert "../evil.jpg: its path points outside the export" in text
    assert "bomb.jpg: compressed" in text
    assert "broken_2/message_1.json: could not be read" in text
    assert not (tmp_path.parent / "evil.jpg").exists()
    assert [x.attachments for x in msgs(case, got["Mark"].conversation_id)] == [(), ()]
    assert got["Sam"].messages_added == 1  # the rest of the download still comes in


def test_a_zip_with_no_chats_or_html_chats_is_not_a_download(case, tmp_path):
    path = tmp_path / "instagram-html.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("your_instagram_activity/messages/inbox/mark_1/message_1.html",
                    "<html><body>Mark</body></html>")
    assert sniff_export(path) is None
    with pytest.raises(ImportProblem, match="not a message export"):
        run(case, path)
    with pytest.raises(ImportProblem, match="format set to JSON"):
        run(case, path, importer="meta_dyi")
