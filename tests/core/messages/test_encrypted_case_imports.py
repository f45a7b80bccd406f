"""Message exports imported into an ENCRYPTED case: the pictures sent in them are
unpacked into the in-memory work folder (/dev/shm when XDG_RUNTIME_DIR is not set) and
must still be kept as exhibits and shown with their messages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from evidence_app.core import conversations as api
from evidence_app.core.cases import create_case
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.messages import import_messages
from evidence_app.core.store.verify import run_verify
from tests.fixtures import message_exports as fx

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def encrypted(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)  # as on a desktop without one
    case = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS",
                       passphrase=PASSPHRASE)
    yield case
    case.close()


def exports(folder):
    chat = fx.whatsapp_zip(folder / "WhatsApp Chat with Mark.zip", fx.ANDROID_WITH_MEDIA,
                           "WhatsApp Chat with Mark.txt",
                           {"IMG-20250314-WA0003.jpg": fx.jpeg_bytes()})
    sms = folder / "sms-20250316.xml"
    sms.write_text(fx.sms_backup_xml(fx.jpeg_bytes("#2040c0")), encoding="utf-8")
    box = folder / "mail.mbox"
    box.write_bytes(fx.mbox([fx.mail("Mark <mark@example.com>", "Jane <jane@example.com>",
                                     "You", datetime(2025, 3, 14, 22, 30, tzinfo=UTC),
                                     "I saw you", ("p.jpg", fx.jpeg_bytes("#20c040")))]))
    return [chat, sms, box]


def test_pictures_sent_in_messages_are_kept_in_an_encrypted_case(encrypted, tmp_path):
    for path in exports(tmp_path):
        [got] = [e.item for e in import_messages(encrypted, path)
                 if isinstance(e.item, ConversationImport)]
        assert got.problems == [], (path.name, got.problems)
        assert got.files == 1, path.name
        with_files = [m for m in api.messages_page(encrypted, got.conversation_id,
                                                    limit=100) if m.attachments]
        assert len(with_files) == 1, path.name
    assert run_verify(encrypted).ok
