"""`evidence-app incident import diary.csv`: what a person sees, and the JSON a script gets."""

import json


def diary(tmp_path, rows):
    path = tmp_path / "diary.csv"
    path.write_text("Date,Time,Title,Category\n" + "".join(rows), encoding="utf-8")
    return path


def incidents(cli, case_dir):
    return json.loads(cli("--case", case_dir, "incident", "list", "--json")[1])["incidents"]


def test_a_clean_diary_imports(case_dir, cli, tmp_path):
    path = diary(tmp_path, ["01/04/2025,10:00,Car outside,loitering\n",
                            "02/04/2025,,Texts all day,Texts\n",
                            "03/04/2025,,Drone,Drone\n"])
    code, out, err = cli("--case", case_dir, "incident", "import", path)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Imported 3 incidents from {path}.",
        "The diary itself is kept as exhibit JS/1.",
        "line 4: category 'Drone' not recognised; recorded as Other"]
    assert [(i["title"], i["category"]) for i in incidents(cli, case_dir)] == [
        ("Car outside", "loitering"), ("Texts all day", "contact_text"), ("Drone", "other")]


def test_json_output(case_dir, cli, tmp_path):
    path = diary(tmp_path, ["01/04/2025,10:00,One,\n", "02/04/2025,,Two,\n"])
    code, out, _ = cli("--case", case_dir, "incident", "import", path, "--json")
    assert code == 0
    assert json.loads(out) == {"imported": 2, "exhibit": "JS/1", "first_id": 1, "last_id": 2, "skipped": [],
                               "already_in_case": [], "warnings": []}


def test_importing_the_diary_again_brings_in_only_new_rows(case_dir, cli, tmp_path):
    rows = ["01/04/2025,10:00,Car outside,loitering\n", "02/04/2025,,Texts all day,Texts\n"]
    path = diary(tmp_path, rows)
    assert cli("--case", case_dir, "incident", "import", path)[0] == 0
    # Kept up to date in the spreadsheet (one title retyped in another case), then again.
    path = diary(tmp_path, ["01/04/2025,10:00,car  OUTSIDE,loitering\n", rows[1],
                            "05/04/2025,18:30,Followed home,following\n"])
    code, out, _ = cli("--case", case_dir, "incident", "import", path)
    assert code == 0
    # The diary as it is now (a row added) is a new exhibit; the first is kept as it was.
    assert out.splitlines()[:3] == [
        f"Imported 1 incident from {path}.",
        "The diary itself is kept as exhibit JS/2.",
        "Left out 2 rows already in the case (same date, title and description; "
        "--allow-duplicates imports them anyway)."]
    assert [i["title"] for i in incidents(cli, case_dir)] == [
        "Car outside", "Texts all day", "Followed home"]
    code, out, _ = cli("--case", case_dir, "incident", "import", path, "--json",
                       "--allow-duplicates")
    assert json.loads(out)["imported"] == 3 and json.loads(out)["already_in_case"] == []
    assert len(incidents(cli, case_dir)) == 6


def test_bad_rows_stop_the_import_and_are_listed(case_dir, cli, tmp_path):
    path = diary(tmp_path, ["01/04/2025,10:00,One,\n", "31/04/2025,,Bad day,\n",
                            "02/04/2025,9am-ish,Bad time,\n"])
    code, out, err = cli("--case", case_dir, "incident", "import", path)
    assert (code, out) == (2, "")
    lines = err.strip().splitlines()
    assert lines[0].startswith("line 3: '31/04/2025' is not a real date")
    assert lines[1].startswith("line 4: cannot read the time '9am-ish'")
    assert lines[2] == ("error: 2 row(s) cannot be read; nothing was imported "
                        "(use --skip-invalid to import the readable rows)")
    assert incidents(cli, case_dir) == []
    code, out, err = cli("--case", case_dir, "incident", "import", path, "--json")
    assert code == 2
    data = json.loads(out)
    assert data["imported"] == 0 and [r["line"] for r in data["invalid"]] == [3, 4]


def test_skip_invalid(case_dir, cli, tmp_path):
    path = diary(tmp_path, ["01/04/2025,10:00,One,\n", "31/04/2025,,Bad day,\n"])
    code, out, _ = cli("--case", case_dir, "incident", "import", path, "--skip-invalid")
    assert code == 0
    assert out.splitlines()[:3] == [
        f"Imported 1 incident from {path}.",
        "The diary itself is kept as exhibit JS/1.",
        "skipped line 3: '31/04/2025' is not a real date (dates are read day first, as DD/MM/YYYY)"]
    code, out, _ = cli("--case", case_dir, "incident", "import", path, "--skip-invalid", "--json")
    data = json.loads(out)  # the same file again: its readable row is already in the case
    assert data["imported"] == 0 and data["skipped"][0]["line"] == 3
    assert data["already_in_case"] == [{"line": 2, "incident_id": 1}]
    assert len(incidents(cli, case_dir)) == 1


def test_many_bad_rows_are_summarised_on_a_terminal(case_dir, cli, tmp_path):
    path = diary(tmp_path, [f"99/04/2025,,Bad {i},\n" for i in range(30)])
    code, _, err = cli("--case", case_dir, "incident", "import", path)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 22
    assert lines[20] == "... and 10 more"


def test_a_file_that_is_not_a_diary(case_dir, cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,address\nx,y\n")
    code, out, err = cli("--case", case_dir, "incident", "import", path)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and "no 'date' column" in err
    code, _, err = cli("--case", case_dir, "incident", "import", tmp_path / "missing.csv")
    assert code == 2 and "Cannot read" in err
