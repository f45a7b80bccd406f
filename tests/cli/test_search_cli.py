"""`evidence-app search`, `ocr` and `verify --repair`, run as a person would."""

import json

import pytest
from fixtures.screens import chat_screenshot

from evidence_app.cli import main
from evidence_app.core import incidents as inc
from evidence_app.core import people
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files


@pytest.fixture
def folder(case, tmp_path):
    when = lambda t: parse_when(t, "Europe/London")  # noqa: E731
    a = inc.create_incident(case, when=when("03/03/2025 08:30"), title="Turned up at my work",
                            description="Silver Astra AB12 CDE in the car park",
                            category="loitering")
    b = inc.create_incident(case, when=when("10/03/2025 23:10"), title="Texts at night",
                            description="Messages about my sister", category="contact_text")
    inc.create_incident(case, when=when("12/03/2025"), title="Astra again at Tesco")
    mark = people.create_person(case, "Mark Jones", "suspect")
    people.link_person(case, b, mark)
    people.link_vehicle(case, a, people.create_vehicle(case, model="Astra", plate="AB12 CDE"))
    inc.set_tags(case, b, ["night"])
    list(import_files(case, [chat_screenshot(tmp_path / "Screenshot_20250310-231000.png")], b))
    folder = case.folder
    case.close()
    return str(folder)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_search_prints_results_with_highlights(folder, capsys):
    code, out, _ = run(capsys, "--case", folder, "search", "astra", "--order", "oldest")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 result(s):"
    assert lines[1].startswith("incident 1") and "3 Mar 2025, 08:30" in lines[1]
    assert "Silver [Astra] AB12 CDE" in lines[2]
    assert lines[3].startswith("incident 3")


def test_search_json_shape_and_filters(folder, capsys):
    code, out, _ = run(capsys, "--case", folder, "search", "--json", "--", "ab12cde", "-tesco")
    data = json.loads(out)
    assert code == 0 and data["total"] == 1
    [hit] = data["results"]
    assert {"id", "kind", "title", "when", "snippet"} <= set(hit)
    assert (hit["id"], hit["kind"], hit["title"]) == (1, "incident", "Turned up at my work")
    code, out, _ = run(capsys, "--case", folder, "search", "--person", "mark", "--json")
    assert [h["id"] for h in json.loads(out)["results"]] == [2]
    code, out, _ = run(capsys, "--case", folder, "search", "astra", "--from", "2025-03-05",
                       "--json")
    assert [h["id"] for h in json.loads(out)["results"]] == [3]
    code, out, _ = run(capsys, "--case", folder, "search", "--tag", "night", "--vehicle",
                       "ab12cde", "--json")
    assert json.loads(out)["results"] == []
    code, out, _ = run(capsys, "--case", folder, "search", "astra", "--category", "loitering",
                       "--json")
    assert [h["id"] for h in json.loads(out)["results"]] == [1]


@pytest.mark.parametrize("query", ['"unclosed', "NEAR(", "*", "AND", "🙂", "o'brien)"])
def test_any_typed_query_is_fine(folder, capsys, query):
    code, _out, err = run(capsys, "--case", folder, "search", query)
    assert code == 0 and err == ""


def test_search_errors_are_one_line(folder, capsys):
    code, _out, err = run(capsys, "--case", folder, "search", "--person", "nobody")
    assert code == 2 and err.startswith("error: No single person matches 'nobody'")
    code, _out, err = run(capsys, "--case", folder, "search", "x", "--from", "soon")
    assert code == 2 and "Cannot read the date" in err
    code, _out, err = run(capsys, "--case", folder, "search")
    assert code == 2 and "Give some words" in err


@pytest.mark.needs_tool("tesseract")
def test_ocr_works_through_the_queue(folder, capsys):
    code, out, _ = run(capsys, "--case", folder, "ocr", "--status", "--json")
    assert json.loads(out)["pending"] == 1
    code, out, _ = run(capsys, "--case", folder, "ocr")
    assert code == 0
    assert out.splitlines()[0].startswith("done    JS/1")
    assert out.splitlines()[-1] == "1 read, 0 could not be read; 0 waiting."
    code, out, _ = run(capsys, "--case", folder, "search", "hide", "forever", "--json")
    assert [h["field"] for h in json.loads(out)["results"]] == ["ocr"]


def test_ocr_without_tesseract_says_so(folder, capsys, monkeypatch):
    monkeypatch.setenv("EVIDENCE_APP_TESSERACT", "")
    code, _out, err = run(capsys, "--case", folder, "ocr")
    assert code == 2 and "Tesseract is not installed" in err
    code, out, _ = run(capsys, "--case", folder, "ocr", "--status")
    assert code == 0 and out.startswith("1 waiting, 0 read")


def test_verify_notices_and_repair_rebuilds_the_index(folder, capsys):
    import sqlite3

    db = sqlite3.connect(f"{folder}/case.db")
    db.execute("DELETE FROM search_index WHERE rowid = 1")
    db.commit()
    db.close()
    code, out, _ = run(capsys, "--case", folder, "verify")
    assert code == 1 and "incident 1 is missing from the search index" in out
    code, out, err = run(capsys, "--case", folder, "verify", "--repair")
    assert code == 0 and "Rebuilt the search index (3 record(s))" in err
    assert "Everything holds." in out
    code, out, _ = run(capsys, "--case", folder, "search", "astra", "--json")
    assert json.loads(out)["total"] == 2


def test_very_many_matches_say_more_than(folder, capsys, monkeypatch):
    import evidence_app.core.search.find as search_module

    monkeypatch.setattr(search_module, "RANK_LIMIT", 1)
    code, out, _ = run(capsys, "--case", folder, "search", "astra")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "more than 1 result(s):"
    assert lines[1].startswith("incident 3")  # most recently recorded first
    assert lines[-1].startswith("More than 1 matches")
