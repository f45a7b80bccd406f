"""An Instagram or Facebook "Download your information" that Meta sent in several zips,
imported together: a chat's files merged whichever part holds them, its photo found in
another part, every message traceable to its own part (an exhibit with its hash) and
its entry in it, missing parts named, and nothing added twice on a second import."""

from __future__ import annotations

import hashlib
import json
import random
import zipfile

import pytest

from evidence_app.core import conversations as api
from evidence_app.core.attachments import count_inbox
from evidence_app.core.importers.chat import ConversationImport, ImportProblem
from evidence_app.core.importers.messages import import_messages, plan_imports, sniff_export
from evidence_app.core.store.models import Attachment
from tests.fixtures import message_exports as fx


def run(case, paths, **kw) -> dict[str, ConversationImport]:
    return {e.item.title: e.item for e in import_messages(case, paths, **kw)
            if isinstance(e.item, ConversationImport)}


def msgs(case, conversation_id):
    return api.messages_page(case, conversation_id, limit=1000)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attachment_count(case) -> int:
    with case.read() as session:
        return session.query(Attachment).count()


@pytest.mark.parametrize("instagram", [True, False])
def test_all_parts_given_together_are_one_download(case, tmp_path, instagram):
    parts = fx.meta_download_parts(tmp_path, instagram=instagram)
    # Every part is recognised as a download, the one with only a photo too.
    assert [sniff_export(p) for p in parts] == ["meta_dyi"] * 3
    shuffled = random.Random(4).sample(parts, 3)
    [job], others = plan_imports(shuffled)
    assert others == [] and job.paths == tuple(parts) and job.importer == "meta_dyi"

    got = run(case, list(job.paths))
    assert set(got) == {"Mark Jonés", "Sam"}
    mark = got["Mark Jonés"]
    assert mark.source == ("instagram" if instagram else "messenger")
    assert mark.messages_added == 5 and mark.problems == []
    m = msgs(case, mark.conversation_id)
    # message_2.json (part 2, older) and message_1.json (part 1) merged, oldest first,
    # the mis-encoded text of both parts repaired.
    assert [x.text for x in m] == [
        "Leave me alone", "Saw you at the café 👀",
        "Why are you ignoring me? ☺️ I’m outside 🚗", "", "Stop"]
    assert [x.sender_name for x in m] == ["Jane Smith", "Mark Jonés", "Mark Jonés",
                                          "Mark Jonés", "Jane Smith"]
    # Each part is an exhibit of its own with its own hash, and each message names the
    # part it was read from and its entry number in that part.
    marks = [p["exhibit"] for p in mark.parts]
    assert [p["file"] for p in mark.parts] == [p.name for p in parts]
    assert [p["sha256"] for p in mark.parts] == [sha(p) for p in parts]
    assert [(p["messages_read"], p["messages_added"]) for p in mark.parts] == [
        (3, 3), (2, 2), (0, 0)]
    assert len(set(marks)) == 3
    assert [(x.export_mark, x.source_line) for x in m] == [
        (marks[1], 2), (marks[1], 1), (marks[0], 3), (marks[0], 2), (marks[0], 1)]
    # The photo sent in part 1's chat file was found in part 3, and says so.
    [photo] = m[3].attachments
    assert (photo.name, photo.kind) == ("1.jpg", "image")
    assert photo.sha256 == hashlib.sha256(fx.jpeg_bytes("#3050c0")).hexdigest()
    with case.read() as session:
        origin = session.get(Attachment, photo.attachment_id).original_path
    assert origin.startswith(str(parts[2]))
    # The conversation lists the three parts as its export files.
    view = api.get_conversation(case, mark.conversation_id)
    assert sorted((e.exhibit_mark, e.sha256) for e in view.exports) == sorted(
        zip(marks, [sha(p) for p in parts], strict=True))
    # Sam's chat came only from part 1.
    sam = got["Sam"]
    assert [p["file"] for p in sam.parts] == [parts[0].name]
    assert [x.export_mark for x in msgs(case, sam.conversation_id)] == [marks[0]]
    assert count_inbox(case) == 0


def test_the_same_parts_again_add_nothing(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    run(case, parts)
    files = attachment_count(case)
    again = run(case, parts[::-1])
    assert {t: c.messages_added for t, c in again.items()} == {"Mark Jonés": 0, "Sam": 0}
    assert {t: c.messages_read for t, c in again.items()} == {"Mark Jonés": 5, "Sam": 1}
    assert attachment_count(case) == files  # no part nor the photo kept twice
    [conv] = [c for c in api.list_conversations(case) if c.title == "Mark Jonés"]
    assert conv.message_count == 5


def test_a_missing_part_is_named_and_its_photo_listed(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    got = run(case, parts[:2])
    mark = got["Mark Jonés"]
    assert mark.messages_added == 5
    text = "\n".join(mark.problems)
    assert (f"only 2 were given: {parts[2].name} is missing" in text)
    assert ("message 4: your_instagram_activity/messages/inbox/markjones_123/photos/1.jpg "
            "was in none of the parts given") in text
    assert msgs(case, mark.conversation_id)[3].attachments == ()
    # All the parts given later: the messages are already there, so nothing is added
    # twice, but the photo the earlier import lacked now comes with its message.
    late = run(case, parts)
    assert late["Mark Jonés"].messages_added == 0 and late["Mark Jonés"].problems == []
    m = msgs(case, mark.conversation_id)
    [photo] = m[3].attachments
    assert photo.name == "1.jpg" and [len(x.attachments) for x in m] == [0, 0, 0, 1, 0]
    again = run(case, parts)  # and only once
    assert [len(x.attachments) for x in msgs(case, mark.conversation_id)] == [0, 0, 0, 1, 0]
    assert again["Mark Jonés"].files == 0


def test_a_missing_middle_part_leaves_out_a_chat_file_and_says_so(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path, instagram=False)
    [job], _ = plan_imports([parts[2], parts[0]])
    assert job.paths == (parts[0], parts[2])
    got = run(case, list(job.paths))
    mark = got["Mark Jonés"]
    assert mark.messages_added == 3
    text = "\n".join(mark.problems)
    assert f"{parts[1].name} is missing" in text
    assert "is in none of the files given" not in text  # no gap in what was given
    m = msgs(case, mark.conversation_id)
    assert len(m[1].attachments) == 1  # the photo, from part 3
    # The missing part imported later adds just its two older messages.
    later = run(case, [parts[1]])
    assert later["Mark Jonés"].messages_added == 2
    assert (f"The download came in 2 or more parts and only 1 was given: {parts[0].name} "
            "is missing.") in later["Mark Jonés"].problems[0]
    texts = sorted(x.text for x in msgs(case, mark.conversation_id))
    assert "Saw you at the café 👀" in texts and len(texts) == 5


def test_a_missing_first_part_leaves_a_gap_in_a_chat_that_is_said(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    got = run(case, parts[1:])
    assert set(got) == {"Mark Jonés"}  # Sam's chat is all in part 1
    mark = got["Mark Jonés"]
    assert mark.messages_added == 2
    text = "\n".join(mark.problems)
    assert (f"only 2 were given: {parts[0].name} is missing" in text)
    assert ("your_instagram_activity/messages/inbox/markjones_123: message_1.json is in "
            "none of the files given; its messages are missing here (in a part of the "
            "download not given?)") in text
    assert [x.text for x in msgs(case, mark.conversation_id)] == [
        "Leave me alone", "Saw you at the café 👀"]


def test_a_part_with_only_photos_given_alone_says_where_the_chats_are(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    with pytest.raises(ImportProblem) as err:
        run(case, [parts[2]])
    said = str(err.value)
    assert "is a part of an Instagram or Facebook download with no chats in it" in said
    assert "Import all the files of the download together" in said
    assert said.endswith(f"Not given: {parts[0].name} and {parts[1].name}.")


def test_a_part_with_nothing_from_the_chats_is_read_but_not_kept(case, tmp_path):
    parts = [p.rename(p.with_name(p.name.replace("-of-3", "-of-4")))
             for p in fx.meta_download_parts(tmp_path)]
    likes = tmp_path / parts[0].name.replace("part-1-of-4", "part-4-of-4")
    with zipfile.ZipFile(likes, "w") as zf:
        zf.writestr("your_instagram_activity/likes/liked_posts.json", '{"likes_media_likes": []}')
    assert sniff_export(likes) == "meta_dyi"
    [job], others = plan_imports([likes, *parts])
    assert job.paths == (*parts, likes) and others == []
    files = attachment_count(case)
    got = run(case, list(job.paths))
    assert got["Mark Jonés"].messages_added == 5
    assert (f"{likes.name} holds no chat file and no picture sent in a chat (only other "
            "parts of the download); it was not kept") in got["Mark Jonés"].problems
    assert attachment_count(case) == files + 4  # three parts and the photo
    assert count_inbox(case) == 0


def test_parts_of_different_downloads_and_other_exports_are_not_mixed(case, tmp_path):
    ig = fx.meta_download_parts(tmp_path)
    fb = fx.meta_download_parts(tmp_path, instagram=False)
    single = fx.meta_download_zip(tmp_path / "instagram-janesmith-2025-03-14-Zz1.zip")
    day = fx.meta_download_zip(tmp_path / "instagram-janesmith-2025-03-15.zip")
    chat = tmp_path / "WhatsApp Chat with Mark.txt"
    chat.write_text(fx.ANDROID_UK, encoding="utf-8")
    jobs, others = plan_imports([ig[1], fb[0], chat, single, ig[0], fb[1], day, ig[2], ig[1]])
    assert [j.paths for j in jobs] == [tuple(ig), (fb[0], fb[1]), (chat,), (single,), (day,)]
    assert others == []
    with pytest.raises(ImportProblem, match="Only the parts of one Instagram or Facebook"):
        run(case, [chat, single])


def test_a_renamed_part_is_still_read_and_a_duplicate_chat_file_said(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    copy = tmp_path / "copy.zip"
    with zipfile.ZipFile(parts[1]) as src, zipfile.ZipFile(copy, "w") as out:
        for name in src.namelist():
            out.writestr(name, src.read(name))
    got = run(case, [*parts, copy])
    text = "\n".join(got["Mark Jonés"].problems)
    assert f"message_2.json is in both {parts[1].name} and copy.zip" in text
    assert got["Mark Jonés"].messages_added == 5


def test_messages_of_the_same_millisecond_keep_their_order_across_parts(case, tmp_path):
    def chat(entries):
        return json.dumps({"participants": [{"name": "Mark"}, {"name": "Jane Smith"}],
                           "title": "Mark", "thread_path": "inbox/mark_1", "messages": entries})

    inbox = "your_instagram_activity/messages/inbox/mark_1"
    same = 1742100000000
    newer = [{"sender_name": "Mark", "timestamp_ms": same + 5, "content": "4"},
             {"sender_name": "Mark", "timestamp_ms": same, "content": "3"}]
    older = [{"sender_name": "Mark", "timestamp_ms": same, "content": "2"},
             {"sender_name": "Mark", "timestamp_ms": same, "content": "1"}]
    paths = []
    for n, (name, entries) in enumerate([("message_1.json", newer), ("message_2.json", older)], 1):
        path = tmp_path / f"instagram-mark-2025-03-16-Zx-part-{n}-of-2.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(f"{inbox}/{name}", chat(entries))
        paths.append(path)
    got = run(case, paths[::-1])
    m = msgs(case, got["Mark"].conversation_id)
    assert [x.text for x in m] == ["1", "2", "3", "4"]
    assert [x.source_line for x in m] == [2, 1, 2, 1]


def test_renamed_parts_are_still_read_as_one_download(case, tmp_path):
    parts = fx.meta_download_parts(tmp_path)
    renamed = [parts[0].rename(tmp_path / "photos.zip"),
               parts[1].rename(tmp_path / "older chats.zip"),
               parts[2].rename(tmp_path / "Instagram from Meta (1).zip")]
    [job], _ = plan_imports(renamed[::-1])
    # The part holding chat files leads; the rest by name.
    assert job.paths == (renamed[1], renamed[0], renamed[2])
    got = run(case, list(job.paths))
    mark = got["Mark Jonés"]
    assert mark.messages_added == 5 and mark.problems == []
    assert len(msgs(case, mark.conversation_id)[3].attachments) == 1
    # A part saved twice by the browser ("... (1).zip") is still that part.
    again = tmp_path / "again"
    again.mkdir()
    copy = fx.meta_download_parts(again)
    second = copy[1].rename(copy[1].with_name(copy[1].stem + " (1).zip"))
    [job], _ = plan_imports([copy[0], second, copy[2]])
    assert job.paths == (copy[0], second, copy[2])
    [job], _ = plan_imports([second])
    assert job.paths == (second,)
    alone = run(case, [second])["Mark Jonés"]  # its parts named without the " (1)"
    assert alone.messages_added == 0
    assert f"{copy[0].name} and {copy[2].name} are missing" in alone.problems[0]
