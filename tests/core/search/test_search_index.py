"""The index follows every write path in the same transaction, and can be rebuilt."""

import sqlite3

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from evidence_app.core import attachments as atts
from evidence_app.core import incidents as inc
from evidence_app.core import ocr, people
from evidence_app.core.cases import create_case, open_case
from evidence_app.core.importers.diary_csv import import_diary, read_diary
from evidence_app.core.importers.files import import_files
from evidence_app.core.search.find import search
from evidence_app.core.search.index import differences, pending, rebuild
from evidence_app.core.store.schema import alembic_config
from evidence_app.core.trash import empty_trash


def in_step(case) -> list[str]:
    with case.read() as session:
        return differences(session.connection())


def ids(case, query, **kw):
    return [(h.kind, h.id) for h in search(case, query, **kw).hits]


def image(path, colour="white"):
    Image.new("RGB", (40, 30), colour).save(path)
    return path


def test_every_write_path_keeps_the_index_in_step(case, tmp_path):
    a = inc.create_incident(case, title="Parcel on doorstep", description="A box of roses")
    b = inc.create_incident(case, title="Phone call")
    assert ids(case, "roses") == [("incident", a)] and in_step(case) == []

    inc.update_incident(case, a, description="Lilies this time")
    assert ids(case, "roses") == [] and ids(case, "lilies") == [("incident", a)]

    note = inc.add_note(case, b, "He withheld his number")
    assert ids(case, "withheld") == [("incident", b)]
    inc.update_note(case, note, text="Number was withheld again")
    assert ids(case, "again") == [("incident", b)]
    inc.delete_note(case, note)
    assert ids(case, "withheld") == []
    inc.restore_note(case, note)
    assert ids(case, "withheld") == [("incident", b)]

    inc.set_tags(case, a, ["flowers"])
    assert ids(case, "flowers") == [("incident", a)]
    inc.set_tags(case, a, [])
    assert ids(case, "flowers") == []

    p = people.create_person(case, "Mark Jones", "suspect")
    people.link_person(case, b, p)
    assert ids(case, "jones") == [("incident", b)]
    people.update_person(case, p, name="Marcus Jones")
    assert ids(case, "marcus") == [("incident", b)]
    people.unlink_person(case, b, p)
    assert ids(case, "marcus") == []
    people.link_person(case, b, p)
    people.delete_person(case, p)
    assert ids(case, "marcus") == []

    v = people.create_vehicle(case, make="Vauxhall", model="Astra", plate="AB12 CDE")
    people.link_vehicle(case, a, v)
    assert ids(case, "12 cd") == [("incident", a)]
    people.update_vehicle(case, v, plate="XY99 ZZZ")
    assert ids(case, "12 cd") == [] and ids(case, "xy99zzz") == [("incident", a)]
    people.delete_vehicle(case, v)
    assert ids(case, "astra") == []

    shot = image(tmp_path / "Screenshot_20240312-081530.png")
    [att] = [e.item.id for e in import_files(case, [shot], a) if e.item]
    atts.set_caption(case, att, "Card with the flowers")
    assert ids(case, "card") == [("incident", a)]
    ocr.correct_text(case, att, "see you soon darling")
    assert ids(case, "darling") == [("incident", a)]
    atts.move_attachments(case, [att], None)  # back to the inbox: its own result
    assert ids(case, "darling") == [("attachment", att)]
    atts.move_attachments(case, [att], b)
    assert ids(case, "darling") == [("incident", b)]
    atts.delete_attachments(case, [att])
    assert ids(case, "darling") == []
    assert ids(case, "darling", filters=_trash()) == [("attachment", att)]
    atts.restore_attachment(case, att)
    assert ids(case, "darling") == [("incident", b)]

    inc.delete_incident(case, b)
    assert ids(case, "darling") == [] and ids(case, "withheld") == []
    assert ids(case, "withheld", filters=_trash()) == [("incident", b)]
    inc.restore_incident(case, b)
    assert ids(case, "withheld") == [("incident", b)]
    inc.delete_incident(case, b)
    empty_trash(case)
    assert ids(case, "withheld", filters=_trash()) == []
    assert ids(case, "darling", filters=_trash()) == []
    assert in_step(case) == []


def _trash():
    from evidence_app.core.search.find import SearchFilters

    return SearchFilters(include_trash=True)


def test_bulk_diary_import_is_indexed_in_the_same_transaction(case, tmp_path):
    diary = tmp_path / "diary.csv"
    rows = ["date,title,description,tags,notes"] + [
        f"0{1 + i % 9}/03/2024,Sighting {i},He drove past in a silver Astra {i},car,note{i}"
        for i in range(300)]
    diary.write_text("\n".join(rows), encoding="utf-8")
    result = import_diary(case, read_diary(diary, "Europe/London"))
    assert result.imported == 300
    assert search(case, "silver astra").total == 300
    assert ids(case, "note299") == [("incident", result.incident_ids[-1])]
    assert in_step(case) == []


def test_writes_made_outside_the_app_are_indexed_when_the_case_opens(tmp_path):
    folder = tmp_path / "case"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    db = sqlite3.connect(folder / "case.db")
    db.execute("INSERT INTO incidents (timezone, precision, title, description, location, "
               "category, suspect_appearance, suspect_voice, suspect_clothing, witnesses, "
               "impact, police_reference, police_officer, recorded_at, updated_at) VALUES "
               "('Europe/London', 'undated', 'Graffiti on the garage', '', '', 'other', '', '', "
               "'', '', '', '', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')")
    db.commit()
    db.close()
    with open_case(folder) as case:
        assert [h.title for h in search(case, "graffiti").hits] == ["Graffiti on the garage"]
        assert in_step(case) == []


def test_an_old_case_gets_its_index_when_upgraded(tmp_path):
    folder = tmp_path / "case"
    with create_case(folder, owner_name="Jane Smith", initials="JS") as case:
        a = inc.create_incident(case, title="Followed home", description="Blue hoodie")
        inc.add_note(case, a, "Neighbour saw him")
        shot = image(tmp_path / "IMG_20240312_081530.jpg", "red")
        [att] = [e.item.id for e in import_files(case, [shot]) if e.item]
        atts.set_caption(case, att, "Hoodie man on the corner")
    engine = __import__("sqlalchemy").create_engine(f"sqlite:///{folder / 'case.db'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    db = sqlite3.connect(folder / "case.db")
    assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'search_index'").fetchone()
    db.close()
    with open_case(folder) as case:
        assert case.migration_backup is not None and case.migration_backup.is_file()
        assert ids(case, "neighbour hoodie") == [("incident", a)]
        assert ids(case, "corner") == [("attachment", att)]
        assert in_step(case) == []


def test_rebuild_repairs_a_damaged_index(case):
    a = inc.create_incident(case, title="Letter through the door")
    inc.create_incident(case, title="Car outside")
    with case.write() as (session, _audit):
        conn = session.connection()
        conn.exec_driver_sql("DELETE FROM search_index WHERE rowid = ?", (a,))
        conn.exec_driver_sql("UPDATE search_index SET title = 'nonsense' WHERE rowid != ?", (a,))
    problems = in_step(case)
    assert any("missing" in p for p in problems) and any("out of date" in p for p in problems)
    assert ids(case, "letter") == []
    with case.write() as (session, _audit):
        assert rebuild(session.connection()) == 2
    assert in_step(case) == [] and ids(case, "letter") == [("incident", a)]
    with case.read() as session:
        assert pending(session.connection()) == 0


ops = st.lists(st.tuples(
    st.sampled_from(["create", "update", "note", "trash", "restore", "tag", "person", "vehicle",
                     "unlink", "att_caption", "att_move", "att_trash", "empty"]),
    st.integers(0, 5), st.sampled_from(["Astra", "café", "AB12 CDE", "roses", "Ünïcode", ""])),
    min_size=1, max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops)
def test_any_sequence_of_writes_leaves_the_index_in_step(case, tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("files")
    for n, (op, k, word) in enumerate(steps):
        live = [i.id for i in inc.list_incidents(case)]
        target = live[k % len(live)] if live else None
        try:
            if op == "create" or target is None:
                inc.create_incident(case, title=f"t{n} {word}")
            elif op == "update":
                inc.update_incident(case, target, description=word, location=f"loc{n}")
            elif op == "note":
                inc.add_note(case, target, f"note {word or 'x'}")
            elif op == "trash":
                inc.delete_incident(case, target)
            elif op == "restore":
                trashed = inc.list_incidents(case, trashed=True)
                if trashed:
                    inc.restore_incident(case, trashed[k % len(trashed)].id)
            elif op == "tag":
                inc.set_tags(case, target, [word or "plain"])
            elif op == "person":
                people.link_person(case, target, people.create_person(case, f"P {word} {n}"))
            elif op == "vehicle":
                people.link_vehicle(case, target, people.create_vehicle(case, plate=f"{word} {n}"))
            elif op == "unlink":
                for v in people.list_vehicles(case):
                    people.unlink_vehicle(case, target, v.id)
            elif op == "att_caption":
                shot = image(folder / f"s{n}.png", (n * 7 % 256, k * 40, 9))
                for e in import_files(case, [shot], target if k % 2 else None):
                    if e.item is not None and e.item.id:
                        atts.set_caption(case, e.item.id, word)
            elif op == "att_move":
                inbox = atts.list_inbox(case)
                if inbox:
                    atts.move_attachments(case, [inbox[0].id], target)
            elif op == "att_trash":
                inbox = atts.list_inbox(case)
                if inbox:
                    atts.delete_attachments(case, [inbox[0].id])
            elif op == "empty":
                empty_trash(case)
        except Exception as exc:  # noqa: BLE001 - only the app's own refusals are fine
            from evidence_app.core.errors import UserError

            assert isinstance(exc, UserError), exc
    assert in_step(case) == []
