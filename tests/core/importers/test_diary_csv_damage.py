"""Diaries damaged in the ways real files are: a huge cell, one byte from another
encoding in a UTF-8 file, NUL characters. Later rows are never silently dropped."""

import csv

from evidence_app.core.importers import diary_csv
from evidence_app.core.importers.diary_csv import import_diary, read_diary
from evidence_app.core.incidents import get_incident, list_incidents
from evidence_app.core.store.verify import run_verify

TZ = "Europe/London"


def test_a_cell_over_128_kib_is_read_and_the_rows_after_it_imported(tmp_path, case):
    account = "He followed me again. " * 10_000  # 220 KB, past the csv module's default
    path = tmp_path / "diary.csv"
    path.write_text("date,title,description\n01/04/2025,First,short\n"
                    f'02/04/2025,Long account,"{account}"\n03/04/2025,After,short\n'
                    "04/04/2025,Last,short\n", encoding="utf-8")
    preview = read_diary(path, TZ)
    assert [r.error for r in preview.rows] == ["", "", "", ""]
    result = import_diary(case, preview)
    assert result.imported == 4
    titles = [i.title for i in list_incidents(case)]
    assert titles == ["First", "Long account", "After", "Last"]
    assert get_incident(case, result.incident_ids[1]).description == account.strip()


def test_a_cell_over_the_limit_is_named_and_later_rows_still_import(tmp_path, case,
                                                                     monkeypatch):
    monkeypatch.setattr(diary_csv, "CELL_LIMIT", 1000)
    old = csv.field_size_limit()
    csv.field_size_limit(1000)
    try:
        path = tmp_path / "diary.csv"
        path.write_text("date,title,description\n01/04/2025,First,short\n"
                        f"02/04/2025,Too long,{'x' * 5000}\n03/04/2025,After,short\n"
                        "04/04/2025,Last,short\n", encoding="utf-8")
        preview = read_diary(path, TZ)
    finally:
        csv.field_size_limit(old)
    assert [(r.line, r.error) for r in preview.invalid] == [
        (3, "the file is malformed here: a cell holds more than 0 MB of text")]
    result = import_diary(case, preview, skip_invalid=True)
    assert result.imported == 3
    assert [r.line for r in result.skipped] == [3]
    assert [i.title for i in list_incidents(case)] == ["First", "After", "Last"]


def test_a_utf8_file_with_one_windows_byte_stays_utf8_and_names_the_line(tmp_path, case):
    path = tmp_path / "diary.csv"
    path.write_bytes("date,title,description\n01/04/2025,Café meeting,He sat by the café\n"
                     .encode() + b"02/04/2025,Caf\xe9 again,At the door\n"
                     + "03/04/2025,Naïve note,fine\n".encode())
    preview = read_diary(path, TZ)
    titles = [r.values["title"] for r in preview.rows]
    assert titles == ["Café meeting", "Café again", "Naïve note"]  # never "CafÃ©"
    assert preview.rows[0].warnings == [] and preview.rows[2].warnings == []
    [warning] = preview.rows[1].warnings
    assert warning.startswith("line 3 held a character that is not UTF-8")
    assert "'é'" in warning
    import_diary(case, preview)
    assert [i.title for i in list_incidents(case)][1] == "Café again"


def test_a_windows_file_is_still_read_as_windows_1252(tmp_path):
    path = tmp_path / "diary.csv"
    path.write_bytes("date,title\n01/04/2025,Café – £20 taken\n".encode("cp1252"))
    [row] = read_diary(path, TZ).rows
    assert row.values["title"] == "Café – £20 taken" and row.warnings == []


def test_nul_characters_are_removed_from_every_column_with_a_warning(tmp_path, case):
    path = tmp_path / "diary.csv"
    # Past the first 4 KB, where a NUL does not make the file binary.
    filler = "".join(f"0{1 + i % 9}/03/2025,Row {i},,\n" for i in range(200))
    path.write_text("date,title,notes,tags\n" + filler
                    + "01/04/2025,Shout\x00ing,a no\x00te,wo\x00rk; ho\x00me\n",
                    encoding="utf-8")
    preview = read_diary(path, TZ)
    row = preview.rows[-1]
    assert row.values["title"] == "Shouting"
    assert row.note == "a note" and row.tags == ["work", "home"]
    assert any("NUL characters" in w and "tags" in w and "a note on the incident" in w
               for w in row.warnings), row.warnings
    result = import_diary(case, preview)
    last = result.incident_ids[-1]
    incident = get_incident(case, last)
    assert incident.title == "Shouting" and sorted(incident.tags) == ["home", "work"]
    assert [n.text for n in incident.notes] == ["a note"]
    assert run_verify(case).ok
