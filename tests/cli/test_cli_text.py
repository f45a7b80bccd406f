"""Text typed at the command line: an empty title is refused (in core, so the app
agrees), escape codes in stored text never reach the terminal raw, and a time in the
hour the clocks repeat gets the warning the diary import gives."""

import json

import pytest

from evidence_app.core.errors import ValidationError
from evidence_app.core.incidents import create_incident, get_incident, update_incident

ESCAPES = "Car\x1b[2J\x1b]0;owned\x07 outside\u202eevil\x85"


@pytest.mark.parametrize("title", ["", "   ", "\x00"])
def test_an_empty_title_is_refused_by_core(case, title):
    with pytest.raises(ValidationError, match="needs a title"):
        create_incident(case, title=title)
    inc = create_incident(case, title="Car outside")
    with pytest.raises(ValidationError, match="needs a title"):
        update_incident(case, inc, title=title)
    assert get_incident(case, inc).title == "Car outside"


def test_a_new_blank_incident_from_the_app_is_still_allowed(case):
    inc = create_incident(case)  # the app's New incident: the person types the title next
    assert get_incident(case, inc).title == ""
    update_incident(case, inc, title="Car outside")
    update_incident(case, inc, title="")  # the app's Undo takes it back to the blank draft
    assert get_incident(case, inc).title == ""


def test_an_empty_title_at_the_command_line_gets_one_clear_line(case_dir, cli):
    code, out, err = cli("--case", case_dir, "incident", "add", "--title", "  ")
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "needs a title" in lines[0]


def test_escape_codes_in_titles_are_shown_escaped(case_dir, cli):
    code, out, err = cli("--case", case_dir, "incident", "add", "--title", ESCAPES,
                         "--description", "line one\nline two")
    assert code == 0, err
    for command in (("incident", "list"), ("incident", "show", "1"), ("search", "car")):
        code, out, err = cli("--case", case_dir, *command)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "\x85" not in out
        assert r"Car\x1b[2J\x1b]0;owned\x07 outside\u202eevil\x85" in out, out
    code, out, _ = cli("--case", case_dir, "incident", "show", "1")
    assert "line one\n" in out  # line breaks in text stay line breaks
    code, out, _ = cli("--case", case_dir, "incident", "show", "1", "--json")
    assert "\x1b" not in out and "\u202e" not in out and "\x85" not in out
    assert json.loads(out)["title"] == ESCAPES  # the JSON still holds the text exactly


def test_an_ambiguous_autumn_time_is_warned_about(case_dir, cli):
    code, _, err = cli("--case", case_dir, "incident", "add", "--title", "Knock at the door",
                       "--when", "26/10/2025 01:30")
    assert code == 0
    assert "warning: 01:30 on 26/10/2025 happened twice in Europe/London" in err
    assert "recorded as the first, 01:30 BST" in err
    code, _, err = cli("--case", case_dir, "incident", "edit", "1", "--when", "27/10/2024 01:15")
    assert code == 0 and "happened twice" in err
    code, _, err = cli("--case", case_dir, "incident", "edit", "1", "--when", "26/10/2025 03:30")
    assert code == 0 and "warning" not in err
