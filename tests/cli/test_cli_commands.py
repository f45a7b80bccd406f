"""Every headless command, run the way a person or a script runs it: output, JSON, exit codes."""

import hashlib
import json
import os
import stat

import pytest
from fixtures.media_factory import phone_jpeg

IMPORT_KEYS = {"path", "status", "reason", "id", "sha256", "exhibit", "captured_at",
               "captured_from", "preview"}


def one_line_error(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- init
def test_init_creates_a_case_and_says_how_exhibits_are_marked(tmp_path, cli):
    folder = tmp_path / "my case"
    code, out, err = cli("--case", folder, "init", "--owner", "Jane Smith", "--initials", "js",
                         "--name", "Harassment by M.T.")
    assert code == 0 and err == ""
    assert out.strip() == (f"Created case 'Harassment by M.T.' in {folder} "
                           "(exhibits marked JS/1, JS/2, ...)")
    assert (folder / "case.db").is_file()


def test_init_json(tmp_path, cli):
    code, out, _ = cli("--case", tmp_path / "c", "init", "--owner", "Jane Smith", "--initials",
                       "JS", "--timezone", "Europe/Belfast", "--json")
    assert code == 0
    assert json.loads(out) == {"case": str(tmp_path / "c"), "case_name": "Jane Smith",
                               "owner": "Jane Smith", "initials": "JS",
                               "timezone": "Europe/Belfast", "encrypted": False}


def test_init_without_case_uses_the_default_case_folder(cli, app_home):
    code, out, _ = cli("init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0
    assert (app_home / "data" / "cases" / "My case" / "case.db").is_file()
    code, out, _ = cli("incident", "list", "--json")
    assert (code, json.loads(out)) == (0, {"incidents": []})


@pytest.mark.parametrize(("args", "message"), [
    (["--initials", "J5", "--owner", "Jane"], "Initials must be 1 to 6 letters"),
    (["--initials", "JS", "--owner", " "], "name of the person"),
    (["--initials", "JS", "--owner", "Jane", "--timezone", "London"], "Unknown time zone"),
])
def test_init_refuses_bad_values_in_one_line(tmp_path, cli, args, message):
    code, out, err = cli("--case", tmp_path / "c", "init", *args)
    assert code == 2 and out == ""
    assert one_line_error(err).startswith("error: ")
    assert message in err
    assert not (tmp_path / "c").exists()


def test_init_twice_is_refused(case_dir, cli):
    code, _, err = cli("--case", case_dir, "init", "--owner", "X", "--initials", "X")
    assert code == 2
    assert one_line_error(err) == f"error: There is already a case in {case_dir}. Open it instead."


# --------------------------------------------------------------------------- incidents
def test_incident_add_prints_the_new_id(case_dir, cli):
    code, out, err = cli("--case", case_dir, "incident", "add", "--when", "2025-03-01T14:30",
                         "--title", "Car outside", "--category", "loitering", "--location", "Home",
                         "--description", "Silver Astra, engine running")
    assert (code, out, err) == (0, "1\n", "")
    code, out, _ = cli("--case", case_dir, "incident", "add", "--title", "Second", "--json")
    assert (code, json.loads(out)) == (0, {"id": 2})


def test_incident_add_with_every_field_then_show_json(case_dir, cli):
    code, out, _ = cli(
        "--case", case_dir, "incident", "add", "--when", "12/03/2025 21:00", "--until",
        "12/03/2025 23:30", "--title", "Waiting outside", "--category", "turned up",
        "--location", "Outside 4 Elm Road", "--suspect-appearance", "Tall, beard",
        "--suspect-voice", "Shouting", "--suspect-clothing", "Black hoodie",
        "--witnesses", "Neighbour at no. 6", "--impact", "Could not sleep; changed my route",
        "--police-reference", "CR/12345/25", "--police-officer", "PC 123 Smith",
        "--tag", "astra", "--tag", "night")
    assert code == 0
    incident = int(out)
    code, out, _ = cli("--case", case_dir, "note", "add", incident, "--text", "Rang 101")
    assert code == 0 and int(out) >= 1
    cli("--case", case_dir, "note", "add", incident, "--text", "Private thought", "--private")
    code, out, _ = cli("--case", case_dir, "incident", "show", incident, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["when"] == "12 Mar 2025, between 21:00 and 23:30"
    assert data["precision"] == "between"
    assert data["occurred_at"] == "2025-03-12T21:00:00+00:00"
    assert data["occurred_end"] == "2025-03-12T23:30:00+00:00"
    assert data["category"] == "loitering"
    assert data["tags"] == ["astra", "night"] and data["amendments"] == []
    for key, value in [("suspect_appearance", "Tall, beard"), ("suspect_voice", "Shouting"),
                       ("suspect_clothing", "Black hoodie"), ("witnesses", "Neighbour at no. 6"),
                       ("impact", "Could not sleep; changed my route"),
                       ("police_reference", "CR/12345/25"), ("police_officer", "PC 123 Smith"),
                       ("location", "Outside 4 Elm Road"), ("title", "Waiting outside")]:
        assert data[key] == value
    assert [(n["text"], n["private"]) for n in data["notes"]] == [
        ("Rang 101", False), ("Private thought", True)]
    for key in ("recorded_at", "updated_at", "timezone", "attachments", "people", "vehicles",
                "tags", "amendments", "reported_on", "deleted_at", "description"):
        assert key in data
    code, out, _ = cli("--case", case_dir, "incident", "show", incident)
    assert "Incident 1: Waiting outside" in out
    assert "Note" in out and "(private): Private thought" in out


def test_incident_list_is_chronological_with_undated_last(case_dir, cli):
    for when, title in [("", "Undated letter"), ("15/03/2025 09:00", "Later"),
                        ("March 2025", "Sometime in March"), ("01/03/2025", "Earlier")]:
        assert cli("--case", case_dir, "incident", "add", "--when", when, "--title", title)[0] == 0
    code, out, _ = cli("--case", case_dir, "incident", "list", "--json")
    rows = json.loads(out)["incidents"]
    assert [r["title"] for r in rows] == ["Sometime in March", "Earlier", "Later", "Undated letter"]
    assert [r["when"] for r in rows] == ["March 2025", "1 Mar 2025", "15 Mar 2025, 09:00", "Undated"]
    code, out, _ = cli("--case", case_dir, "incident", "list")
    lines = out.strip().splitlines()
    assert lines[0].split() == ["ID", "WHEN", "CATEGORY", "EXH", "TITLE"]
    assert lines[-1].endswith("Undated letter") and "Undated" in lines[-1]


def test_incident_list_columns_stay_in_line_with_a_long_when(case_dir, cli):
    """A 'between' over two days is longer than the WHEN column: it wraps under WHEN, and
    CATEGORY, EXH and TITLE start in the same place on every row; --json is untouched."""
    for args in [("--when", "12/03/2025 21:00", "--until", "14/03/2025 23:30", "--title", "Long",
                  "--category", "contact_text"),
                 ("--when", "15/03/2025 09:00", "--title", "Short", "--category", "other")]:
        code, _, err = cli("--case", case_dir, "incident", "add", *args)
        assert code == 0, err
    code, out, _ = cli("--case", case_dir, "incident", "list")
    header, *lines = out.rstrip("\n").splitlines()
    col = header.index("CATEGORY")
    long_row = next(n for n, line in enumerate(lines) if line.endswith("Long"))
    short_row = next(n for n, line in enumerate(lines) if line.endswith("Short"))
    for n in (long_row, short_row):
        assert lines[n][col - 1] == " " and lines[n][col] != " ", lines[n]
        assert lines[n].index("  Long" if n == long_row else "  Short") == header.index(
            "  TITLE")
    # The whole date and category are there (never cut), their ends on the next line
    # under their own columns.
    first, more = lines[long_row], lines[long_row + 1]
    assert first[7:col].strip() + " " + more[:col].strip() == (
        "between 12 Mar 2025, 21:00 and 14 Mar 2025, 23:30")
    assert more.index(more.strip()) == header.index("WHEN")
    assert first[col:].split("  ")[0] + " " + more[col:] == "Unwanted contact: texts / messages"
    data = json.loads(cli("--case", case_dir, "incident", "list", "--json")[1])["incidents"]
    assert [r["when"] for r in data] == ["between 12 Mar 2025, 21:00 and 14 Mar 2025, 23:30",
                                         "15 Mar 2025, 09:00"]


def test_incident_list_on_an_empty_case(case_dir, cli):
    assert cli("--case", case_dir, "incident", "list") == (0, "No incidents yet.\n", "")


@pytest.mark.parametrize(("args", "message"), [
    (["--when", "31/02/2025", "--title", "x"], "not a real date"),
    (["--when", "next tuesday", "--title", "x"], "cannot read the date"),
    (["--when", "01/03/2025", "--precision", "exact", "--title", "x"], "needs a time"),
    (["--when", "01/03/2025", "--title", "x", "--category", "nonsense"], "unknown category"),
    # The date used to be dropped without a word.
    (["--when", "12/03/2025", "--precision", "undated", "--title", "x"], "precision says undated"),
])
def test_incident_add_refuses_bad_values_in_one_line(case_dir, cli, args, message):
    code, out, err = cli("--case", case_dir, "incident", "add", *args)
    assert (code, out) == (2, "")
    assert message in one_line_error(err)
    assert json.loads(cli("--case", case_dir, "incident", "list", "--json")[1]) == {"incidents": []}


def test_incident_delete_moves_it_to_the_trash(case_dir, cli):
    cli("--case", case_dir, "incident", "add", "--title", "Mistake")
    code, out, _ = cli("--case", case_dir, "incident", "delete", "1", "--json")
    assert (code, json.loads(out)) == (0, {"id": 1, "trashed": True})
    code, _, err = cli("--case", case_dir, "incident", "show", "1")
    assert code == 2 and one_line_error(err) == "error: There is no incident 1."


# --------------------------------------------------------------------------- import
def test_import_json_gives_one_result_per_input(case_dir, cli, sample, tmp_path):
    photo = sample("IMG_20240715_201530.jpg")
    shot = sample("Screenshot_20240312-081530.png")
    bomb = sample("bomb.png")
    code, out, err = cli("--case", case_dir, "import", photo.path, shot.path, bomb.path,
                         tmp_path / "missing.jpg", photo.path, "--json")
    assert code == 1  # something was rejected
    results = json.loads(out)
    # What cannot be imported first; then the rest in the order of their marks, which
    # follow capture time: the bomb (no date of its own: last changed in November 2023),
    # the screenshot (March 2024), the photo (July 2024).
    assert [(r["status"], r["path"]) for r in results] == [
        ("rejected", str(tmp_path / "missing.jpg")), ("imported", str(bomb.path)),
        ("imported", str(shot.path)), ("imported", str(photo.path)),
        ("duplicate", str(photo.path))]
    for r in results:
        assert set(r) >= IMPORT_KEYS
    missing, big, second, first, dup = results
    assert first["sha256"] == hashlib.sha256(photo.path.read_bytes()).hexdigest()
    assert (first["exhibit"], first["id"], first["reason"]) == ("JS/3", 3, "")
    assert first["captured_at"] == "2024-07-15T19:15:30.123000+00:00"
    assert (first["captured_from"], first["preview"]) == ("exif", True)
    assert (second["captured_from"], second["exhibit"]) == ("filename", "JS/2")
    assert second["captured_at"] == "2024-03-12T08:15:30+00:00"
    assert big["preview"] is False and "too large" in big["reason"]
    assert big["exhibit"] == "JS/1"
    assert missing["reason"] == "file or folder not found"
    assert missing["id"] is None and missing["exhibit"] == ""
    assert (dup["exhibit"], dup["id"], dup["reason"]) == ("JS/3", 3, "same file as exhibit JS/3")
    assert dup["captured_at"] == first["captured_at"] and dup["preview"] is True
    assert err == ""  # --json keeps stderr quiet


def test_import_text_output_and_summary(case_dir, cli, sample):
    photo = sample("DSC_0008.JPG")
    code, out, err = cli("--case", case_dir, "import", photo.path)
    assert code == 0
    assert out.strip() == (f"imported  JS/1     {photo.path}  captured "
                           "Sun 21 Jan 2024, 04:05:10 GMT, from the camera metadata (EXIF)")
    assert err.strip() == "1 imported, 0 duplicate(s), 0 rejected"


def test_import_into_an_incident_and_a_missing_one(case_dir, cli, tmp_path):
    cli("--case", case_dir, "incident", "add", "--title", "Car outside")
    photo = phone_jpeg(tmp_path / "car.jpg", seed=1)
    code, out, _ = cli("--case", case_dir, "import", photo, "--incident", "1", "--json")
    assert code == 0 and json.loads(out)[0]["incident_id"] == 1
    data = json.loads(cli("--case", case_dir, "incident", "show", "1", "--json")[1])
    assert [a["exhibit_mark"] for a in data["attachments"]] == ["JS/1"]
    assert data["attachments"][0]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    code, _, err = cli("--case", case_dir, "import", photo, "--incident", "9")
    assert code == 2 and one_line_error(err) == "error: There is no incident 9."


def test_import_of_a_file_named_like_an_option(case_dir, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    phone_jpeg(tmp_path / "-rf.jpg", seed=3)
    code, out, _ = cli("--case", case_dir, "import", "--json", "--", "-rf.jpg")
    assert code == 0 and json.loads(out)[0]["status"] == "imported"


def test_a_newline_in_a_file_name_stays_on_one_output_line(case_dir, cli, tmp_path):
    odd = phone_jpeg(tmp_path / "two\nlines.jpg", seed=4)
    code, out, _ = cli("--case", case_dir, "import", odd)
    assert code == 0
    assert len(out.strip().splitlines()) == 1 and "two\\nlines.jpg" in out
    code, out, _ = cli("--case", case_dir, "import", odd, "--json")
    assert json.loads(out)[0]["path"] == str(odd)  # JSON keeps the exact name



def test_a_file_name_that_is_not_utf8_is_imported_with_the_rest(case_dir, cli, tmp_path):
    # Linux file names are bytes; a name copied from an old camera card or a zip made on
    # Windows may not be UTF-8. It once stopped the whole import with a traceback.
    folder = tmp_path / "card"
    folder.mkdir()
    odd = phone_jpeg(folder / os.fsdecode(b"IMG_\xe9t\xe9.jpg"), seed=5)
    phone_jpeg(folder / "IMG_0002.jpg", seed=6)
    code, out, err = cli("--case", case_dir, "import", folder, "--json")
    assert code == 0, err
    results = json.loads(out)
    assert [r["status"] for r in results] == ["imported", "imported"]
    (result,) = [r for r in results if r["path"].endswith("IMG_\\xE9t\\xE9.jpg")]
    code, out, _ = cli("--case", case_dir, "attachment", "show", result["id"], "--json")
    assert json.loads(out)["original_name"] == "IMG_\\xE9t\\xE9.jpg"  # the bytes, visibly
    code, out, _ = cli("--case", case_dir, "import", folder)
    assert code == 0 and "IMG_\\xE9t\\xE9.jpg" in out and "duplicate" in out
    dest = tmp_path / "copy.jpg"
    assert cli("--case", case_dir, "attachment", "extract", result["id"], "--out", dest)[0] == 0
    assert dest.read_bytes() == odd.read_bytes()
    assert cli("--case", case_dir, "verify")[0] == 0


# --------------------------------------------------------------------------- attachments
def test_attachment_extract_writes_the_exact_bytes(case_dir, cli, sample, tmp_path):
    s = sample("IMG_4821.HEIC")
    cli("--case", case_dir, "import", s.path)
    out_file = tmp_path / "exhibit JS-1.heic"
    code, out, _ = cli("--case", case_dir, "attachment", "extract", "1", "--out", out_file)
    assert (code, out.strip()) == (0, str(out_file))
    assert out_file.read_bytes() == s.path.read_bytes()
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, _ = cli("--case", case_dir, "attachment", "extract", "1", "--out", folder)
    assert (folder / "IMG_4821.HEIC").read_bytes() == s.path.read_bytes()


def test_attachment_extract_errors(case_dir, cli, sample, tmp_path):
    code, _, err = cli("--case", case_dir, "attachment", "extract", "7", "--out", tmp_path / "x")
    assert code == 2 and one_line_error(err) == "error: There is no attachment 7."
    s = sample("DSC_0008.JPG")
    cli("--case", case_dir, "import", s.path)
    code, _, err = cli("--case", case_dir, "attachment", "extract", "1", "--out",
                       tmp_path / "no such folder" / "x.jpg")
    assert code == 2 and "Cannot write" in one_line_error(err)
    sha = hashlib.sha256(s.path.read_bytes()).hexdigest()
    original = case_dir / "originals" / sha[:2] / sha
    code, _, err = cli("--case", case_dir, "attachment", "extract", "1", "--out", original)
    assert code == 2 and "outside the case folder" in one_line_error(err)
    assert original.read_bytes() == s.path.read_bytes()
    # A folder that does not exist yet, written with a slash: not a file named like it.
    code, _, err = cli("--case", case_dir, "attachment", "extract", "1", "--out",
                       f"{tmp_path / 'exhibits'}/")
    assert code == 2 and "does not exist" in one_line_error(err)
    assert not (tmp_path / "exhibits").exists()


def test_attachment_extract_never_replaces_a_file_unless_asked(case_dir, cli, sample, tmp_path):
    s = sample("DSC_0008.JPG")
    cli("--case", case_dir, "import", s.path)
    mine = tmp_path / "statement.docx"
    mine.write_bytes(b"my own statement")
    code, _, err = cli("--case", case_dir, "attachment", "extract", "1", "--out", mine)
    assert code == 2 and "already exists and was left as it is" in one_line_error(err)
    assert mine.read_bytes() == b"my own statement"
    # The same inside a folder: the original's name is taken already.
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / s.name).write_bytes(b"an earlier copy")
    code, _, err = cli("--case", case_dir, "attachment", "extract", "1", "--out", tmp_path / "out")
    assert code == 2 and (tmp_path / "out" / s.name).read_bytes() == b"an earlier copy"
    code, out, _ = cli("--case", case_dir, "attachment", "extract", "1", "--out", mine, "--force")
    assert (code, out.strip()) == (0, str(mine))
    assert mine.read_bytes() == s.path.read_bytes()


def test_attachment_show_and_inbox(case_dir, cli, sample):
    s = sample("PXL_20240301_093000123.jpg")
    cli("--case", case_dir, "import", s.path)
    code, out, _ = cli("--case", case_dir, "attachment", "show", "1", "--json")
    data = json.loads(out)
    assert (data["exhibit_mark"], data["camera_make"], data["orientation"]) == ("JS/1", "Google", 6)
    assert data["gps_lat"] == pytest.approx(-33.8567844)
    code, out, _ = cli("--case", case_dir, "attachment", "inbox", "--json")
    assert [a["original_name"] for a in json.loads(out)["attachments"]] == [s.name]
    code, out, _ = cli("--case", case_dir, "attachment", "inbox")
    assert "JS/1" in out and s.name in out



def test_a_date_only_file_name_reads_as_a_date_everywhere(case_dir, cli, tmp_path):
    # WhatsApp names a photo by day only: stored as midnight, never shown as "00:00".
    path = phone_jpeg(tmp_path / "IMG-20240715-WA0004.jpg")
    code, out, _ = cli("--case", case_dir, "import", path)
    assert code == 0
    assert out.strip().endswith("captured Mon 15 Jul 2024, time not known, "
                                "from the date in the file name")
    code, out, _ = cli("--case", case_dir, "attachment", "show", "1")
    assert "captured_at: Mon 15 Jul 2024, time not known" in out
    code, out, _ = cli("--case", case_dir, "attachment", "inbox")
    assert "15 Jul 2024 " in out and "00:00" not in out


# --------------------------------------------------------------------------- verify
def test_verify_passes_on_a_sound_case(case_dir, cli, samples):
    cli("--case", case_dir, "import", *(s.path for s in samples[:5]))
    code, out, _ = cli("--case", case_dir, "verify")
    assert code == 0
    assert out.strip().splitlines()[-1] == "Everything holds."
    code, out, _ = cli("--case", case_dir, "verify", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["ok"] is True and data["problems"] == [] and data["originals_checked"] == 5
    # The case's creation and the import, each followed by its unit's full records.
    assert data["audit_events"] == 8
    assert data["records_checked"] == 6  # five exhibits and the case settings


def _original(case_dir, sha):
    return case_dir / "originals" / sha[:2] / sha


def test_verify_finds_a_modified_and_a_missing_original(case_dir, cli, tmp_path):
    a = phone_jpeg(tmp_path / "a.jpg", seed=1)
    b = phone_jpeg(tmp_path / "b.jpg", seed=2)
    results = json.loads(cli("--case", case_dir, "import", a, b, "--json")[1])
    changed = _original(case_dir, results[0]["sha256"])
    os.chmod(changed, stat.S_IRUSR | stat.S_IWUSR)
    with open(changed, "r+b") as fh:  # one flipped byte
        fh.seek(500)
        byte = fh.read(1)
        fh.seek(500)
        fh.write(bytes([byte[0] ^ 1]))
    _original(case_dir, results[1]["sha256"]).unlink()
    code, out, _ = cli("--case", case_dir, "verify", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert any(p.startswith("exhibit JS/1 (attachment 1): original has changed") for p in data["problems"])
    assert "exhibit JS/2 (attachment 2): original file is missing" in data["problems"]
    code, out, _ = cli("--case", case_dir, "verify")
    assert code == 1
    assert "PROBLEM: exhibit JS/2 (attachment 2): original file is missing" in out
    assert out.strip().endswith("2 problem(s) found.")


def test_verify_mentions_leftover_files_without_failing(case_dir, cli, tmp_path):
    from evidence_app.core.store.originals import Originals

    sha, _, _ = Originals(case_dir / "originals").put_bytes(b"left by a crash")
    code, out, _ = cli("--case", case_dir, "verify", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True
    assert len(data["notices"]) == 1 and sha in data["notices"][0]


# --------------------------------------------------------------------------- errors
def test_no_case_yet_says_how_to_make_one(cli, tmp_path):
    code, out, err = cli("--case", tmp_path / "nowhere", "incident", "list")
    assert (code, out) == (2, "")
    line = one_line_error(err)
    assert "There is no case in" in line and "init --owner" in line
    code, _, err = cli("incident", "list")
    assert code == 2 and "init --owner" in one_line_error(err)


@pytest.mark.parametrize("args", [
    ["incident", "show", "abc"],
    ["frobnicate"],
    ["incident", "add"],  # no --title
    ["import"],
    ["incident", "add", "--title", "x", "--precision", "roughly"],
])
def test_usage_mistakes_are_one_line_with_exit_2(case_dir, cli, args):
    code, out, err = cli("--case", case_dir, *args)
    assert (code, out) == (2, "")
    line = one_line_error(err)
    assert "error:" in line and "--help" in line


def test_an_unexpected_failure_is_one_line_pointing_at_the_log(case_dir, cli, monkeypatch,
                                                               app_home):
    import evidence_app.core.incidents as incidents

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk exploded")

    monkeypatch.setattr(incidents, "list_incidents", broken)
    code, out, err = cli("--case", case_dir, "incident", "list")
    assert (code, out) == (1, "")
    line = one_line_error(err)
    assert "unexpected problem (RuntimeError: disk exploded)" in line
    log = app_home / "logs" / "evidence-app.log"
    assert "Traceback" in log.read_text()


def test_help_lists_every_command(cli):
    code, out, _ = cli("--help")
    assert code == 0
    for name in ("init", "incident", "import", "attachment", "note", "verify"):
        assert name in out
