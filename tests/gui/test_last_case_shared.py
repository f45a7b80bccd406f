"""The app and the command line share one default case: the one the app last opened."""

import json

import pytest
from PySide6.QtCore import QSettings, Qt

from evidence_app import paths
from evidence_app.cli import main
from evidence_app.gui.settings import AppSettings
from tests.gui.helpers import make_case, wait_open


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_uses_the_case_the_welcome_made(qtbot, window, settings, capsys):
    welcome = window.welcome
    qtbot.keyClicks(welcome.owner, "Jane Mary Smith")
    qtbot.keyClicks(welcome.case_name, "Harassment 2025")
    target = welcome.target_folder()
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    wait_open(qtbot, window)
    window.session.close()  # the command line may open it once the app lets go
    capsys.readouterr()
    code, out, err = cli(capsys, "incident", "add", "--title", "Car outside", "--json")
    assert code == 0, err
    assert err == (f"Using the case 'Harassment 2025' at {target.resolve()}, the one the "
                   "app last opened (choose another with --case DIR).\n")
    code, out, _ = cli(capsys, "--case", target, "incident", "list", "--json")
    assert [i["title"] for i in json.loads(out)["incidents"]] == ["Car outside"]
    assert settings.last_case == target.resolve()  # the app itself still sees it


def test_opening_another_case_in_the_app_moves_the_command_line_too(
        qtbot, window, settings, tmp_path, capsys):
    first = make_case(tmp_path / "first", case_name="First")
    second = make_case(tmp_path / "second", case_name="Second")
    for folder in (first, second):
        window.session.open(folder)
        wait_open(qtbot, window)
        window.session.close()
        capsys.readouterr()
        code, _, err = cli(capsys, "incident", "list")
        assert code == 0
        assert f"Using the case '{folder.name.title()}' at {folder.resolve()}" in err


def test_a_case_the_app_must_not_remember_is_not_used_either(qtbot, window, settings, tmp_path,
                                                              capsys):
    folder = make_case(tmp_path / "Private case", case_name="Private case")
    window.session.open(folder)
    wait_open(qtbot, window)
    window.recent_menu.aboutToShow.emit()
    remember = next(a for a in window.recent_menu.actions()
                    if a.text() == "Remember cases on this computer")
    remember.trigger()  # untick
    window.session.close()
    assert "Private case" not in paths.last_case_file().read_text(encoding="utf-8")
    capsys.readouterr()
    code, out, err = cli(capsys, "incident", "list")
    assert code == 2 and "There is no case in" in err and "Private case" not in err
    # Nor does `init` start remembering behind the person's back.
    code, _, _ = cli(capsys, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0 and paths.last_opened_case() is None


def test_a_last_case_kept_by_an_older_version_is_still_opened(qtbot, tmp_path):
    folder = make_case(tmp_path / "old", case_name="Old")
    ini = paths.config_dir() / "settings.ini"
    old = QSettings(str(ini), QSettings.Format.IniFormat)  # as an older version kept it
    old.setValue("cases/last", str(folder))
    old.setValue("cases/remember", "true")
    old.sync()
    settings = AppSettings()
    assert not paths.last_case_file().exists()
    assert settings.last_case == folder
    settings.last_case = folder  # the next open moves it to the shared file
    settings.sync()
    assert paths.last_opened_case() == folder and paths.cases_remembered() is True
    assert "cases/last" not in QSettings(str(ini), QSettings.Format.IniFormat).allKeys()


@pytest.mark.parametrize("name", ["Harassment 2025", 'Ünïcode, "quoted" @x; y=z\\b'])
def test_the_command_line_reads_a_last_case_an_older_version_kept(tmp_path, capsys, name):
    """Until the app runs again, the last case is still where an older version kept it:
    the command line reads that (without Qt) rather than losing the person's case, and
    `init` does not take over from it."""
    folder = make_case(tmp_path / name, case_name="Older")
    ini = paths.config_dir() / "settings.ini"
    old = QSettings(str(ini), QSettings.Format.IniFormat)
    old.setValue("cases/last", str(folder))
    old.setValue("cases/recent", [str(folder), "/elsewhere, too"])
    old.sync()
    assert paths.last_opened_case() == folder
    code, _, err = cli(capsys, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0
    code, _, err = cli(capsys, "incident", "list")
    assert code == 0 and f"Using the case 'Older' at {folder}, the one the app" in err
    assert AppSettings().last_case == folder


def test_the_choice_not_to_remember_kept_by_an_older_version_holds(tmp_path, capsys):
    ini = paths.config_dir() / "settings.ini"
    old = QSettings(str(ini), QSettings.Format.IniFormat)
    old.setValue("cases/remember", "false")
    old.sync()
    assert paths.cases_remembered() is False
    code, _, _ = cli(capsys, "init", "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0 and paths.last_opened_case() is None
