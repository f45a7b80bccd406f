"""Readable file names from whatever the file system hands over."""

import os

import pytest

from evidence_app.core.names import name_bytes, readable_name


@pytest.mark.parametrize(("name", "shown"), [
    ("IMG_0001.jpg", "IMG_0001.jpg"),
    (os.fsdecode(b"IMG_\xe9t\xe9.jpg"), "IMG_\\xE9t\\xE9.jpg"),  # Latin-1 bytes on Linux
    ("IMG_\ud83d.jpg", "IMG_\ufffd.jpg"),  # half a UTF-16 pair, as a Windows name can hold
    ("\udc00" + os.fsdecode(b"\xff"), "\ufffd\\xFF"),
])
def test_every_name_becomes_text_that_can_be_stored_and_printed(name, shown):
    readable = readable_name(name)
    assert readable == shown
    readable.encode("utf-8")  # what SQLite, JSON and the terminal need


def test_the_bytes_of_a_name_that_is_not_utf8_can_be_read_back():
    raw = b"caf\xe9 \xff\xfe \xe2\x80.jpg"
    shown = readable_name(os.fsdecode(raw))
    assert shown == "caf\\xE9 \\xFF\\xFE \\xE2\\x80.jpg"
    assert name_bytes(shown) == raw
    assert name_bytes("caf\u00e9.jpg") == "caf\u00e9.jpg".encode()


def test_names_inside_json_text_stay_valid_json():
    import json

    text = json.dumps({"path": os.fsdecode(b"IMG_\xe9.jpg")}, ensure_ascii=False)
    assert json.loads(readable_name(text, within_json=True)) == {"path": "IMG_\\xE9.jpg"}
