"""Bringing in a diary kept in a spreadsheet: dates, headers, encodings, errors, one transaction."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.errors import UserError
from evidence_app.core.importers.diary_csv import DiaryRowsInvalid, import_diary, read_diary
from evidence_app.core.incidents import count_incidents, get_incident, list_incidents
from evidence_app.core.progress import CancelToken
from evidence_app.core.store.audit import entries
from evidence_app.core.store.verify import run_verify

TZ = "Europe/London"
LONDON = ZoneInfo(TZ)


def write(tmp_path, text, name="diary.csv", encoding="utf-8", newline="\r\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def local(incident):
    return incident.occurred_at.astimezone(LONDON).replace(tzinfo=None)


def audit_count(case):
    with case.read() as session:
        return len(list(entries(session)))


def test_uk_date_forms_and_times(tmp_path, case):
    path = write(tmp_path, """Date,Time,Title
12/03/2025,14:30,Slash date with time
12/3/25,2.30pm,Short year and pm
12 March 2025,,Day only
Wed 12th March 2025,about 9pm,Circa time
2025-03-12,21:15,ISO date
2025-03-12T08:00,,ISO with time in the date
12-Mar-25,09:05,Excel's d-mmm-yy
12.03.2025,noon,Dots
March 2025,,Month only
,,Undated memory
""")
    preview = read_diary(path, TZ)
    assert preview.invalid == []
    got = [(r.values["title"], r.values["precision"],
            r.values["occurred_at"] and r.values["occurred_at"].astimezone(LONDON).replace(tzinfo=None))
           for r in preview.rows]
    assert got == [
        ("Slash date with time", "exact", datetime(2025, 3, 12, 14, 30)),
        ("Short year and pm", "exact", datetime(2025, 3, 12, 14, 30)),
        ("Day only", "day", datetime(2025, 3, 12)),
        ("Circa time", "circa", datetime(2025, 3, 12, 21, 0)),
        ("ISO date", "exact", datetime(2025, 3, 12, 21, 15)),
        ("ISO with time in the date", "exact", datetime(2025, 3, 12, 8, 0)),
        ("Excel's d-mmm-yy", "exact", datetime(2025, 3, 12, 9, 5)),
        ("Dots", "exact", datetime(2025, 3, 12, 12, 0)),
        ("Month only", "month", datetime(2025, 3, 1)),
        ("Undated memory", "undated", None),
    ]
    result = import_diary(case, preview)
    assert result.imported == 10
    titles = [i.title for i in list_incidents(case)]
    assert titles[0] == "Month only" and titles[-1] == "Undated memory"


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31)))
def test_any_day_first_date_reads_back(tmp_path_factory, moment):
    moment = moment.replace(second=0, microsecond=0, fold=0)  # the app reads the first of a repeated hour
    path = tmp_path_factory.mktemp("d") / "d.csv"
    path.write_text(f"date,time,title\n{moment:%d/%m/%Y},{moment:%H:%M},x\n", encoding="utf-8")
    [row] = read_diary(path, TZ).rows
    assert not row.error
    start = row.values["occurred_at"]
    there = moment.replace(tzinfo=LONDON)
    if there.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == moment:  # not skipped
        assert start == there.astimezone(UTC)


def test_header_names_are_matched_loosely(tmp_path, case):
    path = write(tmp_path, "Date of incident,Approx. time,What happened,Details,Where,"
                           "Incident Type,How they looked,What they wore,Who saw it,"
                           "Effect on me,Crime Ref.,Officer in charge,Date reported,Labels,"
                           "Comments,My own column\n"
                           "01/04/2025,19:00,Followed home,From the station to my door,"
                           "Leeds station,followed,Tall; grey beard,Black coat,Bus driver,"
                           "Scared to go out,WY/1234/25,PC Jones,02/04/2025,\"bus; station\","
                           "Rang 101,ignored\n")
    preview = read_diary(path, TZ)
    assert preview.ignored == ["My own column"]
    assert set(preview.columns.values()) == {
        "date", "time", "title", "description", "location", "category", "suspect_appearance",
        "suspect_clothing", "witnesses", "impact", "police_reference", "police_officer",
        "reported_on", "tags", "notes"}
    import_diary(case, preview)
    [summary] = list_incidents(case)
    d = get_incident(case, summary.id)
    assert (d.title, d.description, d.location, d.category) == (
        "Followed home", "From the station to my door", "Leeds station", "following")
    assert (d.suspect_appearance, d.suspect_clothing, d.witnesses, d.impact) == (
        "Tall; grey beard", "Black coat", "Bus driver", "Scared to go out")
    assert (d.police_reference, d.police_officer, d.reported_on) == (
        "WY/1234/25", "PC Jones", date(2025, 4, 2))
    assert d.tags == ["bus", "station"]
    assert [n.text for n in d.notes] == ["Rang 101"]
    assert local(d) == datetime(2025, 4, 1, 19, 0)


def test_a_title_line_above_the_header_is_allowed(tmp_path):
    path = write(tmp_path, "My diary of what he did,,\nDate,Time,Title\n01/04/2025,10:00,One\n")
    [row] = read_diary(path, TZ).rows
    assert (row.line, row.values["title"]) == (3, "One")


def test_a_long_account_in_one_column_becomes_the_description(tmp_path):
    account = "He waited by the gate for an hour and then " * 6
    path = write(tmp_path, f'date,what happened\n01/04/2025,"{account}"\n')
    [row] = read_diary(path, TZ).rows
    assert row.values["description"] == account.strip()
    assert len(row.values["title"]) <= 80 and row.values["title"].endswith("...")


def test_unknown_categories_are_kept_in_words(tmp_path):
    path = write(tmp_path, "date,title,category\n01/04/2025,Odd thing,Drone over garden\n")
    [row] = read_diary(path, TZ).rows
    assert row.values["category"] == "other"
    assert "(Category in diary: Drone over garden)" in row.values["description"]
    assert row.warnings == ["category 'Drone over garden' not recognised; recorded as Other"]


def test_bad_rows_are_reported_with_their_line_numbers(tmp_path):
    path = write(tmp_path, """date,time,title,description,precision
01/04/2025,10:00,Fine,,
31/02/2025,10:00,Impossible date,,
"02/04/2025",25:00,"Impossible
time on a two-line title",,
03/04/2025,,,,
04/04/2025,10:00,Odd precision,,roughly
05/04/2025,10:00,Between without an end,,between
""")
    preview = read_diary(path, TZ)
    assert [(r.line, r.error.split(" (")[0][:40]) for r in preview.invalid] == [
        (3, "'31/02/2025' is not a real date"),
        (4, "'25:00' is not a real time"),
        (6, "no title or description"),
        (7, "precision 'roughly' is not one of: exact"),
        (8, "'between' needs an end date/time as well"),
    ]
    assert [r.line for r in preview.valid] == [2]


def test_nothing_is_imported_while_any_row_is_bad(tmp_path, case):
    path = write(tmp_path, "date,title\n01/04/2025,Fine\nnot a date,Bad\n02/04/2025,Also fine\n")
    before = audit_count(case)
    with pytest.raises(DiaryRowsInvalid) as info:
        import_diary(case, read_diary(path, TZ))
    assert "line 3: cannot read the date 'not a date'" in str(info.value)
    assert "nothing was imported" in str(info.value)
    assert count_incidents(case) == 0 and audit_count(case) == before


def test_skip_invalid_imports_the_readable_rows_in_one_go(tmp_path, case):
    path = write(tmp_path, "date,title,tags\n01/04/2025,Fine,a\nnot a date,Bad,b\n"
                           "02/04/2025,Also fine,a; c\n")
    result = import_diary(case, read_diary(path, TZ), skip_invalid=True)
    assert result.imported == 2
    assert [(r.line, r.error[:22]) for r in result.skipped] == [(3, "cannot read the date '")]
    assert [i.title for i in list_incidents(case)] == ["Fine", "Also fine"]
    assert [get_incident(case, i).tags for i in result.incident_ids] == [["a"], ["a", "c"]]
    with case.read() as session:
        created = [e for e in entries(session) if e.entity == "incident"]
    assert [(e.entity_id, e.details["line"], e.details["source"]) for e in created] == [
        (result.incident_ids[0], 2, "diary import"), (result.incident_ids[1], 4, "diary import")]
    assert run_verify(case).ok


def test_the_import_is_one_transaction(tmp_path, case, monkeypatch):
    from evidence_app.core.importers import diary_csv

    path = write(tmp_path, "date,title,notes,tags\n" + "".join(
        f"0{1 + i % 9}/04/2025,Row {i},note {i},t{i % 3}\n" for i in range(50)))
    preview = read_diary(path, TZ)
    before = audit_count(case)
    real = diary_csv.bulk_insert
    calls = []

    def fail_on_the_audit_rows(conn, table, rows):
        calls.append(table.name)
        if table.name == "audit_events":
            raise OSError("disk full")
        real(conn, table, rows)

    monkeypatch.setattr(diary_csv, "bulk_insert", fail_on_the_audit_rows)
    with pytest.raises(OSError, match="disk full"):
        import_diary(case, preview)
    assert calls == ["incidents", "notes", "incident_tags", "audit_events"]
    assert count_incidents(case) == 0 and audit_count(case) == before
    from evidence_app.core.incidents import all_tags

    assert all_tags(case) == []
    monkeypatch.undo()
    assert import_diary(case, preview).imported == 50


def test_a_cancelled_import_imports_nothing(tmp_path, case):
    path = write(tmp_path, "date,title\n" + "01/04/2025,Row\n" * 3000)
    token = CancelToken()
    token.cancel()
    with pytest.raises(UserError, match="cancelled"):
        import_diary(case, read_diary(path, TZ), cancel=token)
    assert count_incidents(case) == 0


@pytest.mark.parametrize(("encoding", "bom"), [
    ("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
])
def test_excel_encodings_and_byte_order_marks(tmp_path, encoding, bom):
    text = "Date,Title,Description\r\n01/04/2025,Café – £20 note,He said “I’ll be back”\r\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(bom + text.encode(encoding))
    [row] = read_diary(path, TZ).rows
    assert not row.error, row.error
    assert row.values["title"] == "Café – £20 note"
    assert row.values["description"] == "He said “I’ll be back”"


def test_semicolons_tabs_and_quoted_multi_line_cells(tmp_path):
    semi = write(tmp_path, 'Datum;Date;Title;Description\n;01/04/2025;"One, two";"Line one\n'
                           'Line two; still the same cell"\n;02/04/2025;Three;\n', name="semi.csv")
    preview = read_diary(semi, TZ)
    assert [r.values["title"] for r in preview.rows] == ["One, two", "Three"]
    assert preview.rows[0].values["description"] == "Line one\r\nLine two; still the same cell"
    assert [r.line for r in preview.rows] == [2, 4]
    tabs = write(tmp_path, "date\ttitle\n01/04/2025\tTabbed, with a comma\n", name="tab.csv",
                 newline="\n")
    assert read_diary(tabs, TZ).rows[0].values["title"] == "Tabbed, with a comma"


def test_a_quote_never_closed_does_not_swallow_the_rows_after_it(tmp_path):
    # Row 2 opens a quote and never closes it: read strictly, rows 3 and 4 would vanish
    # into its description (at the end of the file, or up to the next quote).
    for tail in ("", '05/04/2025,Fifth,"He said ""go away"" twice"\n'):
        path = write(tmp_path, 'date,title,description\n'
                               '01/04/2025,First,"He said hello\n'
                               '02/04/2025,Second,5\'10" tall\n'
                               '03/04/2025,Third,"Notes over\ntwo lines",\n' + tail)
        rows = read_diary(path, TZ).rows
        assert [r.values["title"] for r in rows] == ["First", "Second", "Third"] + (
            ["Fifth"] if tail else [])
        assert rows[0].values["description"] == "He said hello"
        assert rows[0].warnings == ["a quotation mark on line 2 is never closed; it was taken "
                                    "to end with that line, so check this row's columns"]
        assert rows[1].values["description"] == '5\'10" tall' and not rows[1].warnings
        assert rows[2].values["description"] == "Notes over\r\ntwo lines"
        assert not rows[2].warnings
        if tail:
            assert rows[3].values["description"] == 'He said "go away" twice'


def test_two_columns_for_the_same_field_are_joined_not_dropped(tmp_path):
    path = write(tmp_path, "Date,Title,Notes,Details,Account,Notes,Date,Tags,Labels\n"
                           "01/04/2025,At the gate,Rang 101,By the gate,He shouted,"
                           "Told my sister,02/04/2025,gate,night\n"
                           "02/04/2025,Texts,,,Twelve texts,,,,\n")
    preview = read_diary(path, TZ)
    assert preview.ignored == ["Date (a second date column)"]
    assert preview.columns == {"Date": "date", "Title": "title", "Notes": "notes",
                               "Details": "description", "Account": "description",
                               "Notes (2)": "notes", "Tags": "tags", "Labels": "tags"}
    first, second = preview.rows
    assert first.values["description"] == "By the gate\n\nHe shouted"
    assert first.note == "Rang 101\n\nTold my sister"
    assert first.tags == ["gate", "night"]
    assert local_start(first) == datetime(2025, 4, 1)
    assert (second.values["description"], second.note) == ("Twelve texts", "")


def local_start(row):
    return row.values["occurred_at"].astimezone(LONDON).replace(tzinfo=None)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"title,description\nx,y\n", "no 'date' column"),
    (b"date,location\n01/04/2025,home\n", "needs a 'title' or 'description' column"),
    (b"PK\x03\x04\x00\x00binary xlsx", "not a CSV file"),
])
def test_files_that_are_not_a_diary_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_diary(path, TZ)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="Cannot read"):
        read_diary(tmp_path / "nope.csv", TZ)


def test_a_second_import_continues_the_ids_and_reuses_tags(tmp_path, case):
    path = write(tmp_path, "date,title,tags\n01/04/2025,One,astra\n")
    first = import_diary(case, read_diary(path, TZ))
    again = import_diary(case, read_diary(path, TZ))  # the same row: already in the case
    assert (again.imported, [r.existing for r in again.already]) == (0, first.incident_ids)
    path = write(tmp_path, "date,title,tags\n01/04/2025,One,astra\n02/04/2025,Two,astra\n")
    second = import_diary(case, read_diary(path, TZ))
    assert second.incident_ids == [first.incident_ids[0] + 1]
    from evidence_app.core.incidents import all_tags

    assert all_tags(case) == ["astra"]
    assert run_verify(case).ok


def test_a_time_in_the_hour_repeated_in_autumn_is_read_as_the_first_and_flagged(tmp_path):
    path = write(tmp_path, "date,time,title\n26/10/2025,01:30,Knocking at night\n"
                           "26/10/2025,02:30,Later\n30/03/2025,01:30,Skipped hour\n")
    first, later, skipped = read_diary(path, TZ).rows
    assert first.values["occurred_at"] == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert first.warnings == ["01:30 on 26/10/2025 happened twice in Europe/London (the clocks "
                              "went back that night): it is recorded as the first, 01:30 BST."]
    assert later.warnings == [] and later.error == ""
    assert skipped.values is None and "did not exist" in skipped.error
