"""What the desktop sees of the app (resources/): the icon and its copies, the .desktop
entry and the AppStream metainfo, validated by the freedesktop tools; one version
everywhere; and `make install-desktop` into a fresh account's data folder.

The validators are system programs (.ci/run installs desktop-file-utils and appstream).
A developer without them sees the tests skipped; on CI a missing one fails."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from evidence_app import APP_NAME, DESKTOP_ID, __version__

ROOT = Path(__file__).resolve().parent.parent
RES = ROOT / "resources"
DESKTOP = RES / f"{DESKTOP_ID}.desktop"
METAINFO = RES / f"{DESKTOP_ID}.metainfo.xml"
SVG = RES / f"{DESKTOP_ID}.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_the_desktop_entry_passes_desktop_file_validate():
    done = subprocess.run([tool("desktop-file-validate"), str(DESKTOP)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_the_metainfo_passes_appstreamcli_validate():
    done = subprocess.run([tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower().replace("errors: 0", "")


def test_desktop_entry_and_metainfo_name_the_same_app():
    entry = desktop_entry(DESKTOP)
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == DESKTOP_ID
    assert entry["Exec"] == "evidence-app"  # the command pyproject's gui-scripts installs
    meta = ET.parse(METAINFO).getroot()
    assert meta.findtext("id") == DESKTOP_ID
    assert meta.findtext("name") == APP_NAME
    assert meta.findtext("launchable") == DESKTOP.name
    assert meta.findtext("project_license") == "GPL-3.0-or-later"
    assert meta.findtext("metadata_license") == "CC0-1.0"
    assert meta.find("content_rating").get("type").startswith("oars-")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "GPL-3.0-or-later"
    assert pyproject["project"]["gui-scripts"]["evidence-app"] == "evidence_app.cli:entry"


def test_metainfo_screenshots_are_pictures_in_docs():
    shots = ET.parse(METAINFO).getroot().findall("screenshots/screenshot/image")
    assert shots
    for image in shots:
        match = re.search(r"/docs/([\w./-]+\.png)$", image.text or "")
        assert match, image.text
        assert (ROOT / "docs" / match.group(1)).is_file(), match.group(1)


def test_one_version_everywhere(capsys):
    """__version__ is the only place the version is written; the rest read it or agree."""
    from evidence_app.cli import main

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "evidence_app.__version__"}
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"evidence-app {__version__}"
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases[0].get("version") == __version__  # newest first, as AppStream wants
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\S+) \((\d{4}-\d\d-\d\d)\)", changelog, re.MULTILINE)
    assert newest and newest.group(1) == __version__
    assert releases[0].get("date") == newest.group(2)


def test_every_icon_file_is_made_from_the_one_drawing():
    """resources/make_icons.py --check: the PNGs, .ico, .icns and the copy the app reads
    (evidence_app/resources/app.svg) all match what the SVG draws today."""
    from PIL import Image

    assert (ROOT / "evidence_app" / "resources" / "app.svg").read_bytes() == SVG.read_bytes()
    for size in SIZES:
        png = RES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        with Image.open(png) as im:
            assert im.size == (size, size) and im.mode == "RGBA"
    done = subprocess.run([sys.executable, str(RES / "make_icons.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_a_changed_drawing_is_caught(qapp, tmp_path, monkeypatch):
    # qapp: the test run's QApplication, which make_icons then draws with (it would
    # otherwise make a QGuiApplication of its own, which later Qt tests cannot use).
    sys.path.insert(0, str(RES))
    try:
        import make_icons
    finally:
        sys.path.remove(str(RES))
    changed = tmp_path / "icon.svg"
    changed.write_text(SVG.read_text().replace("#f2b45a", "#ff0000"))
    monkeypatch.setattr(make_icons, "SVG", changed)
    assert make_icons.main(["--check"]) == 1


def test_install_desktop_puts_the_app_in_a_fresh_accounts_menu(tmp_path):
    """`make install-desktop` against an empty XDG_DATA_HOME: icons, entry, metainfo, an
    Exec line that starts this checkout's app, and --uninstall takes it all out."""
    data = tmp_path / "a new user" / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)}
    # -o: the .venv is taken as it is (the test must not reinstall anything).
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.runtime-installed",
                           "install-desktop"], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    for size in SIZES:
        png = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        assert png.read_bytes() == (RES / "icons" / "hicolor" / f"{size}x{size}" / "apps"
                                    / f"{DESKTOP_ID}.png").read_bytes()
    assert (data / "icons/hicolor/scalable/apps" / f"{DESKTOP_ID}.svg").read_bytes() == \
        SVG.read_bytes()
    assert (data / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").read_bytes() == \
        METAINFO.read_bytes()
    installed = data / "applications" / f"{DESKTOP_ID}.desktop"
    entry = desktop_entry(installed)
    argv = shlex.split(entry["Exec"])
    assert argv == [str(ROOT / ".venv" / "bin" / "evidence-app")]
    assert entry["TryExec"] == argv[0]
    run = subprocess.run([*argv, "--version"], capture_output=True, text=True, env=env)
    assert run.returncode == 0 and run.stdout.strip() == f"evidence-app {__version__}"
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)],
                               capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout

    done = subprocess.run(["make", "--no-print-directory", "uninstall-desktop"], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    left = [p for p in data.rglob("*") if p.is_file() and DESKTOP_ID in p.name]
    assert left == []


def test_install_desktop_refuses_a_relative_or_missing_program(tmp_path):
    script = ROOT / "packaging" / "linux" / "install-desktop.sh"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    for program in (".venv/bin/evidence-app", str(tmp_path / "nowhere")):
        done = subprocess.run(["sh", str(script), str(RES), program], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 1 and "error:" in done.stderr
    assert not (tmp_path / "share" / "applications").exists()


def test_a_path_with_spaces_and_symbols_is_quoted_in_the_entry(tmp_path):
    folder = tmp_path / "my apps & things | 2"
    folder.mkdir()
    program = folder / "evidence-app"
    program.write_text("#!/bin/sh\necho started\n")
    program.chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run(["sh", str(ROOT / "packaging/linux/install-desktop.sh"), str(RES),
                           str(program)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    entry = desktop_entry(tmp_path / "share" / "applications" / f"{DESKTOP_ID}.desktop")
    assert shlex.split(entry["Exec"]) == [str(program)]
    assert subprocess.run(shlex.split(entry["Exec"]), capture_output=True,
                          text=True).stdout == "started\n"
