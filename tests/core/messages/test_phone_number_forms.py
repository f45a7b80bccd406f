"""One number written two ways is one conversation and one participant: a UK number as
07700 900123 and +44 7700 900123; in an American case (555) 123-4567, 1 555 123 4567 and
+1 555 123 4567. The numbers stay stored and shown as written. The backups below are in
the shape SMS Backup & Restore writes (a <sms> per text, a <call> per call)."""

from __future__ import annotations

import pytest

from evidence_app.core import conversations as api
from evidence_app.core.cases import create_case
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.messages import import_messages
from evidence_app.core.importers.phone_numbers import (
    country_for_zone,
    looks_like_number,
    number_key,
)

HEAD = ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        "<!--File Created By SMS Backup & Restore v10.20.002 on 16/03/2025 09:00:00-->\n")


def sms(address, when_ms, body, kind="1", name="(Unknown)"):
    return (f'  <sms protocol="0" address="{address}" date="{when_ms}" type="{kind}" '
            f'subject="null" body="{body}" toa="null" sc_toa="null" service_center="null" '
            f'read="1" status="-1" locked="0" date_sent="0" sub_id="1" '
            f'readable_date="" contact_name="{name}" />\n')


def call(number, when_ms, kind="3", name="(Unknown)"):
    return (f'  <call number="{number}" duration="0" date="{when_ms}" type="{kind}" '
            f'presentation="1" subscription_id="1" post_dial_digits="" '
            f'subscription_component_name="" readable_date="" contact_name="{name}" />\n')


def backup(tmp_path, name, *entries):
    path = tmp_path / name
    body = "".join(entries)
    path.write_text(HEAD + f'<smses count="{len(entries)}">\n{body}</smses>\n'
                    if "<sms " in body else
                    HEAD + f'<calls count="{len(entries)}">\n{body}</calls>\n', encoding="utf-8")
    return path


def run(case, path):
    return [e.item for e in import_messages(case, path) if isinstance(e.item, ConversationImport)]


@pytest.fixture
def us_case(tmp_path):
    c = create_case(tmp_path / "us-case", owner_name="Jane Smith", initials="JS",
                    timezone="America/New_York")
    yield c
    c.close()


def test_an_american_number_with_and_without_the_leading_1_is_one_person(us_case, tmp_path):
    path = backup(tmp_path, "sms.xml",
                  sms("+15551234567", 1741990500000, "Why are you ignoring me?"),
                  sms("(555) 123-4567", 1741990560000, "I know you're home"),
                  sms("15551234567", 1741990620000, "Answer me"),
                  sms("555-123-4567", 1741990680000, "Stop", kind="2"))
    [got] = run(us_case, path)
    conv = api.get_conversation(us_case, got.conversation_id)
    others = [p for p in conv.participants if not p.is_owner]
    assert len(others) == 1
    assert others[0].address == "+15551234567"  # as first written, not rewritten
    msgs = api.messages_page(us_case, conv.id)
    assert [m.sender_id for m in msgs[:3]] == [others[0].id] * 3
    # A later backup of calls, the number written the other way, joins the same chat.
    calls = backup(tmp_path, "calls.xml", call("5551234567", 1741990900000))
    [again] = run(us_case, calls)
    assert again.conversation_id == conv.id
    [missed] = api.messages_in_range(us_case, conv.id, 5, 5)
    assert missed.call_number == "5551234567" and missed.sender_id == others[0].id
    assert len(api.list_conversations(us_case)) == 1


def test_a_uk_number_national_and_international_is_one_person(case, tmp_path):
    path = backup(tmp_path, "sms.xml",
                  sms("+447700900123", 1741990500000, "Why are you ignoring me?"),
                  sms("07700 900123", 1741990560000, "I'm outside"))
    [got] = run(case, path)
    conv = api.get_conversation(case, got.conversation_id)
    assert len([p for p in conv.participants if not p.is_owner]) == 1
    calls = backup(tmp_path, "calls.xml", call("0044 7700 900123", 1741990900000))
    [again] = run(case, calls)
    assert again.conversation_id == conv.id
    assert [m.call_number for m in api.messages_page(case, conv.id) if m.kind == "call"] \
        == ["0044 7700 900123"]


def test_the_same_digits_in_another_country_stay_apart(case, tmp_path):
    # In a UK case, +1 555 123 4567 and 555 123 4567 cannot be told to be one number.
    path = backup(tmp_path, "sms.xml", sms("+15551234567", 1741990500000, "one"),
                  sms("5551234567", 1741990560000, "two"))
    assert len(run(case, path)) == 2


@pytest.mark.parametrize(("written", "country", "key"), [
    ("07700 900123", "GB", "07700900123"), ("+44 7700 900123", "GB", "07700900123"),
    ("447700900123", "GB", "07700900123"), ("0044 7700 900123", "GB", "07700900123"),
    ("+44 7700 900123", "US", "+447700900123"), ("011 44 7700 900123", "US", "+447700900123"),
    ("(555) 123-4567", "US", "5551234567"), ("1-555-123-4567", "US", "5551234567"),
    ("+1 555 123 4567", "US", "5551234567"), ("+1 555 123 4567", "GB", "+15551234567"),
    ("06 12 34 56 78", "FR", "0612345678"), ("+33 6 12 34 56 78", "FR", "0612345678"),
    ("+33 6 12 34 56 78", "GB", "+33612345678"), ("612 345 678", "ES", "612345678"),
    ("+34 612 345 678", "ES", "612345678"),
])
def test_number_keys(written, country, key):
    assert number_key(written, country) == key


def test_country_from_the_case_zone_and_what_is_a_number():
    assert [country_for_zone(z) for z in ("Europe/London", "America/New_York",
                                          "America/Toronto", "Australia/Sydney",
                                          "Europe/Paris")] == ["GB", "US", "CA", "AU", "FR"]
    assert looks_like_number("+44 7700 900123") and looks_like_number("(555) 123-4567")
    assert not looks_like_number("mark@example.com") and not looks_like_number("Mark")
    assert not looks_like_number("123")
