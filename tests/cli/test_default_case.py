"""Without --case, the command line works on the case the desktop app last opened, says
so on stderr, and --help says how it chooses. It reads that without Qt."""

import json
import subprocess
import sys

from evidence_app import paths


def make(cli, folder, name, initials="JS"):
    code, _, err = cli("--case", folder, "init", "--owner", "Jane Smith", "--initials",
                       initials, "--name", name)
    assert code == 0, err
    return folder


def test_the_case_the_app_last_opened_is_used_and_named(cli, tmp_path, app_home):
    folder = make(cli, tmp_path / "Harassment 2025", "Harassment 2025")
    assert paths.last_opened_case() is None  # a case made with --case is not remembered
    paths.remember_last_case(folder)  # what the app does when it opens a case
    code, out, err = cli("incident", "add", "--title", "Car outside", "--json")
    assert code == 0
    new_id = json.loads(out)["id"]
    assert err == (f"Using the case 'Harassment 2025' at {folder}, the one the app last "
                   "opened (choose another with --case DIR).\n")
    code, out, _ = cli("--case", folder, "incident", "list", "--json")
    assert [i["id"] for i in json.loads(out)["incidents"]] == [new_id]
    assert not (app_home / "data" / "cases" / "My case").exists()


def test_with_nothing_remembered_the_default_case_is_used(cli, app_home):
    code, _, err = cli("init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0, err
    default = app_home / "data" / "cases" / "My case"
    # The default case made here is the one the app will open too.
    assert paths.last_opened_case() == default
    code, out, err = cli("incident", "list")
    assert (code, out) == (0, "No incidents yet.\n")
    assert "Using the case 'Jane Smith' at " in err and "made with init" in err


def test_init_does_not_take_over_from_the_case_the_app_opened(cli, tmp_path, app_home):
    mine = make(cli, tmp_path / "mine", "Harassment 2025")
    paths.remember_last_case(mine)
    code, _, _ = cli("init", "--owner", "Someone Else", "--initials", "SE")
    assert code == 0
    assert paths.last_opened_case() == mine
    _, _, err = cli("incident", "list")
    assert "'Harassment 2025'" in err and "the one the app last opened" in err


def test_a_case_the_app_opened_that_has_gone_falls_back_to_the_default(cli, tmp_path, app_home):
    gone = make(cli, tmp_path / "stick" / "case", "On a memory stick")
    paths.remember_last_case(gone)
    (gone / "case.db").rename(gone / "elsewhere.db")  # the stick is not plugged in
    code, out, err = cli("incident", "list")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"The case the app last opened ({gone}) is not there any more" in err
    code, _, _ = cli("init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0
    code, _, err = cli("incident", "list")
    assert code == 0
    assert f"the default case; the one the app last opened ({gone}) is not there" in err


def test_help_says_how_the_case_is_chosen_and_which_it_is_now(cli, tmp_path):
    folder = make(cli, tmp_path / "Harassment 2025", "Harassment 2025")
    paths.remember_last_case(folder)
    code, out, _ = cli("--help")
    assert code == 0
    text = " ".join(out.split())
    assert "without it, the case the desktop app last opened" in text
    assert str(paths.last_case_file()) in text
    assert f"Now that is the case last opened, {folder}." in text


def test_a_damaged_memory_file_is_ignored(cli, tmp_path, app_home):
    paths.last_case_file().parent.mkdir(parents=True, exist_ok=True)
    paths.last_case_file().write_text("{not json", encoding="utf-8")
    assert paths.last_opened_case() is None
    code, _, err = cli("incident", "list")
    assert code == 2 and "There is no case in" in err


def test_commands_start_without_qt(tmp_path, app_home):
    """The command line reads the remembered case without loading Qt."""
    folder = tmp_path / "case"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from evidence_app import paths\n"
        "from evidence_app.cli import main\n"
        f"assert main(['--case', {str(folder)!r}, 'init', '--owner', 'Jane Smith', "
        "'--initials', 'JS']) == 0\n"
        f"paths.remember_last_case(Path({str(folder)!r}))\n"
        "assert main(['incident', 'list']) == 0\n"
        "assert main(['person', 'add', '--name', 'Dan', '--role', 'suspect']) == 0\n"
        "assert main(['case', 'settings', '--phone', '07700 900123']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert "the one the app last opened" in proc.stderr
