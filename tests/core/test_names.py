"""Readable file names from whatever the file system hands over."""

import os

import pytest

from evidence_app.core.names import readable_name


@pytest.mark.parametrize(("name", "shown"), [
    ("IMG_0001.jpg", "IMG_0001.jpg"),
    (os.fsdecode(b"IMG_\xe9t\xe9.jpg"), "IMG_\ufffdt\ufffd.jpg"),  # Latin-1 bytes on Linux
    ("IMG_\ud83d.jpg", "IMG_\ufffd.jpg"),  # half a UTF-16 pair, as a Windows name can hold
    ("\udc00" + os.fsdecode(b"\xff"), "\ufffd\ufffd"),
])
def test_every_name_becomes_text_that_can_be_stored_and_printed(name, shown):
    readable = readable_name(name)
    assert readable == shown
    readable.encode("utf-8")  # what SQLite, JSON and the terminal need
