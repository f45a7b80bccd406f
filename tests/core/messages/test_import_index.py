"""The fast path of a message import: search documents written by SQLite for plain
messages and by Python for the rest come out exactly as the index rebuilds them; the
queueing trigger paused during the insert is back afterwards, also after a failure."""

from __future__ import annotations

import pytest

from evidence_app.core.importers import chat
from evidence_app.core.importers.chat import ConversationImport
from evidence_app.core.importers.messages import import_messages
from evidence_app.core.search import messages as search
from evidence_app.core.store.verify import run_verify

CHAT = (
    "14/03/2025, 21:58 - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
    "14/03/2025, 22:15 - Mark: Why are you ignoring me?\n"
    "14/03/2025, 22:16 - +44 7700 900123: who is this\n"
    "14/03/2025, 22:17 - Mark: Silver Astra AB12 CDE outside\n"
    "14/03/2025, 22:18 - Jane Smith: Leave me alone\n"
    "14/03/2025, 22:19 - Mark: Missed voice call\n"
    "14/03/2025, 22:20 - +44 7700 900123: again\n"
    "14/03/2025, 22:21 - Mark: plain words only\n"
)


def _read(case, fn):
    with case.read() as session:
        return fn(session)


def test_documents_of_an_import_equal_what_the_index_rebuilds(case, tmp_path):
    path = tmp_path / "WhatsApp Chat with Mark.txt"
    path.write_text(CHAT, encoding="utf-8")
    before = _read(case, lambda s: s.connection().exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE name = ?", (search.INSERT_TRIGGER,)).scalar())
    [got] = [e.item for e in import_messages(case, path)
             if isinstance(e.item, ConversationImport)]
    assert got.messages_added == 8
    with case.read() as session:
        conn = session.connection()
        assert search.differences(conn) == []
        assert search.pending(conn) == 0
        assert conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = ?",
            (search.INSERT_TRIGGER,)).scalar() == before is not None
        docs = dict(conn.exec_driver_sql(
            "SELECT rowid, sender || '|' || numbers || '|' || plates FROM message_index").all())
    assert any("447700900123" in d for d in docs.values())  # the number, spelled out
    assert any("AB12" in d.upper() for d in docs.values())  # the plate's keys
    hits, total = search.search_messages(case, "07700900123")
    assert total == 2
    hits, total = search.search_messages(case, "ignoring")
    assert total == 1
    report = run_verify(case)
    assert report.ok, report.problems


def test_a_failed_import_leaves_the_trigger_and_no_messages(case, tmp_path, monkeypatch):
    path = tmp_path / "WhatsApp Chat with Mark.txt"
    path.write_text(CHAT, encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(chat, "index_plain", broken)
    with pytest.raises(RuntimeError):
        list(import_messages(case, path))
    with case.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("SELECT count(*) FROM messages").scalar() == 0
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = ?",
            (search.INSERT_TRIGGER,)).scalar() == 1
    monkeypatch.undo()
    [got] = [e.item for e in import_messages(case, path)
             if isinstance(e.item, ConversationImport)]
    assert got.messages_added == 8
    with case.read() as session:
        assert search.differences(session.connection()) == []


@pytest.mark.parametrize("tz", ["Europe/London", "Asia/Kolkata", "America/St_Johns",
                                "America/New_York", "Australia/Lord_Howe", "UTC"])
def test_whatsapp_times_read_by_the_hour_equal_the_clock_rules(tz):
    """Times on days without a clock change are read with the day's offset (once an
    hour); they must equal what `LocalClock` gives every message, and clock-change
    nights, half-hour zones and impossible times are read as before."""
    from datetime import datetime, timedelta

    from evidence_app.core.importers import whatsapp
    from evidence_app.core.importers.chat import LocalClock
    from evidence_app.core.store.bulk import stored_datetime

    when = datetime(2024, 1, 1, 0, 7)
    lines = []
    while when.year == 2024:
        lines.append(f"{when:%d/%m/%Y, %H:%M} - Mark: at {when:%H:%M}")
        when += timedelta(hours=5, minutes=13)
    lines += ["27/10/2024, 01:30 - Mark: first", "27/10/2024, 01:10 - Mark: second",
              "31/03/2024, 01:30 - Mark: skipped hour", "30/02/2024, 10:00 - Mark: no day",
              "01/03/2024, 10:75 - Mark: no minute"]
    ex = whatsapp.parse_chat("\n".join(lines) + "\n", tz=tz, basis="case_zone")
    assert len(ex.messages) == len(lines) - 2 and len(ex.problems) == 2
    clock = LocalClock(tz, "case_zone")
    for m in ex.messages:
        want, note = clock.utc(datetime.fromisoformat(m.wall))
        assert (m.sent_at, m.time_note) == (want, note), m.wall
        stamp = m.stamp if m.stamp is not None else stored_datetime(m.sent_at)
        assert stamp == stored_datetime(want), m.wall


def _stored_rows(case):
    with case.read() as session:
        return session.connection().exec_driver_sql(
            f"SELECT {', '.join(chat.MESSAGE_COLUMNS)} FROM messages ORDER BY id").all()


def test_rows_grouped_by_shared_values_are_stored_as_whole_rows_are(tmp_path, monkeypatch):
    """Messages that share their kind, time basis, call fields and export are inserted
    by one statement per set of shared values; rows beyond `MAX_SHAPES` sets go whole.
    Both give the same stored rows, field for field."""
    from evidence_app.core.cases import create_case

    calls = "".join(f"14/03/2025, 22:{30 + n} - Mark: Voice call, {n + 1} min\n"
                    for n in range(20))  # 20 durations: 20 sets of shared values
    path = tmp_path / "WhatsApp Chat with Mark.txt"
    path.write_text(CHAT + calls + "14/03/2025, 22:55 - Mark: it's O'Brien's \"car\"\n",
                    encoding="utf-8")
    stored = []
    for limit in (chat.MAX_SHAPES, 0):  # grouped (then whole past 16 sets); all whole
        monkeypatch.setattr(chat, "MAX_SHAPES", limit)
        case = create_case(tmp_path / f"case{limit}", owner_name="Jane Smith", initials="JS")
        try:
            list(import_messages(case, path))
            stored.append(_stored_rows(case))
            assert run_verify(case).ok
        finally:
            case.close()
    grouped, whole = stored
    assert len(grouped) == 29
    assert grouped == whole
    kinds = [row[chat.MESSAGE_COLUMNS.index("kind")] for row in grouped]
    seconds = [row[chat.MESSAGE_COLUMNS.index("call_seconds")] for row in grouped]
    assert kinds.count("call") == 21 and seconds[-21:-1] == [60 * (n + 1) for n in range(20)]
    assert grouped[-1][chat.MESSAGE_COLUMNS.index("text")] == "it's O'Brien's \"car\""


def test_shared_values_are_stored_exactly_quotes_and_nul_included():
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine

    from evidence_app.core.store.bulk import bulk_insert_shared

    engine = create_engine("sqlite://")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("a", Text),
                  Column("b", Text), Column("n", Integer))
    table.metadata.create_all(engine)
    odd = "O'Brien'); DROP TABLE t; --"
    with engine.begin() as conn:
        bulk_insert_shared(conn, table, ("id", "a"), [(1, "x"), (2, "it's")],
                           {"b": odd, "n": None})
        bulk_insert_shared(conn, table, ("id", "a"), [(3, "y")], {"b": "nul\x00in", "n": 7})
        bulk_insert_shared(conn, table, ("id", "a"), [], {"b": "none", "n": 1})
        rows = conn.exec_driver_sql("SELECT id, a, b, n FROM t ORDER BY id").all()
    assert rows == [(1, "x", odd, None), (2, "it's", odd, None), (3, "y", "nul\x00in", 7)]
