"""`--from` and `--to` read a day the same way in `search` and `report`: one helper, so
one wording for a date that cannot be used, and `--to` a month means its last day."""

import json

import pytest

COMMANDS = [["search", "x"], ["report", "--out", "r.pdf"]]


@pytest.mark.parametrize("command", COMMANDS, ids=["search", "report"])
@pytest.mark.parametrize(("date", "said"), [
    ("soon", "error: Cannot read the date 'soon'; use a form such as 12/03/2025, "
             "12 March 2025 or 2025-03-12"),
    ("32/13/2025", "error: '32/13/2025' is not a real date (dates are read day first, "
                   "as DD/MM/YYYY)"),
    ("01/03/2025 14:30", "error: Cannot read the date '01/03/2025 14:30'; give a day or a "
                         "month, not a time"),
])
def test_a_date_that_cannot_be_used_is_one_line_and_the_same_for_both(
        case_dir, cli, tmp_path, monkeypatch, command, date, said):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("--case", case_dir, *command, "--from", date)
    assert (code, out, err) == (2, "", said + "\n")
    assert not (tmp_path / "r.pdf").exists()


def test_to_a_month_takes_in_its_last_day(case_dir, cli):
    for day in ("01/03/2025", "31/03/2025", "01/04/2025"):
        assert cli("--case", case_dir, "incident", "add", "--title", f"Car {day}",
                   "--when", day)[0] == 0
    code, out, _ = cli("--case", case_dir, "search", "car", "--from", "March 2025",
                       "--to", "March 2025", "--order", "oldest", "--json")
    assert code == 0
    assert [r["title"] for r in json.loads(out)["results"]] == ["Car 01/03/2025",
                                                                "Car 31/03/2025"]
