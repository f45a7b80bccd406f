"""Every sentence an export says about its files is checked against the files' bytes.

The bundle's README, the report's cover and the command line say what the originals
reveal (a place, a serial number, a name) and what the shareable copies do not. Here
each sentence is matched to a pattern and its numbers are recounted with ExifTool, an
independent reader, over every file in the bundle: a sentence no pattern knows fails.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from fixtures.identifying import needs_exiftool, reveals, write_samples
from pypdf import PdfReader

from evidence_app.cli import main
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import create_incident

pytestmark = needs_exiftool


@pytest.fixture
def camera_case(case, tmp_path):
    """Two incidents entered latest first (so report numbers differ from database ids),
    with every sample file as exhibits."""
    files = tmp_path / "files"
    expected = write_samples(files)
    later = create_incident(case, title="Car outside the house", category="loitering",
                            when=parse_when("02/04/2025 08:00", "Europe/London"))
    earlier = create_incident(case, title="Followed home", category="following",
                              when=parse_when("01/03/2025 18:00", "Europe/London"))
    names = sorted(expected)
    for n, name in enumerate(names):
        target = later if n % 2 else earlier
        results = [e.item for e in import_files(case, [files / name], target) if e.item]
        assert results[0].status == "imported", results[0]
    folder = case.folder
    case.close()  # the CLI opens the case itself
    return folder, expected, {"later": later, "earlier": earlier}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def flat(text: str) -> str:
    return " ".join(text.split())


def readme_statements(bundle: Path) -> list[str]:
    """The sentences under "What the files reveal" in README.txt, one per bullet."""
    text = (bundle / "README.txt").read_text(encoding="utf-8")
    section = text.split("What the files reveal:\n", 1)[1].split("\n\n", 1)[0]
    return [flat(b) for b in re.split(r"^  - ", section, flags=re.M) if b.strip()]


def check_statement(sentence: str, bundle: Path, found: dict[str, tuple[bool, bool, bool]],
                    manifest: dict) -> None:
    """Recount what one sentence claims, from the files themselves."""
    originals = sorted((bundle / "exhibits").iterdir()) if (bundle / "exhibits").is_dir() else []
    copies = sorted((bundle / "shareable").iterdir()) if (bundle / "shareable").is_dir() else []
    # A document is said to be unchecked; what it may hold is not counted.
    checked = [p for p in originals if p.suffix.lower() != ".pdf"]
    count = {what: sum(found[f"exhibits/{p.name}"][i] for p in checked)
             for i, what in enumerate(("where", "serial", "name"))}
    if m := re.fullmatch(r"This bundle holds the original files of (\d+) exhibits?, exactly "
                         r"as recorded \(.*\)\.", sentence):
        assert int(m[1]) == len(originals)
    elif m := re.fullmatch(r"(\d+) of (\d+) originals? records? (.*): anyone given the "
                           r"files can read this, even where the report does not print it\.",
                           sentence):
        assert int(m[2]) == len(originals)
        parts = re.split(r", | and (?=\d)", m[3])
        claims = {"where": 0, "serial": 0, "name": 0}
        first = True
        for part in parts:
            n, what = (int(m[1]), part) if first else (int(part.split()[0]), part.split(" ", 1)[1])
            first = False
            key = ("where" if what.startswith("where") else
                   "serial" if "serial" in what else "name" if "name" in what else what)
            claims[key] = n
        assert claims == count, (sentence, count)
    elif sentence == ("This app found no place, camera serial number or person's name in the "
                      "originals it could check."):
        assert originals and count == {"where": 0, "serial": 0, "name": 0}
    elif m := re.fullmatch(r"(\d+) originals? \(.*\) could not be checked for such "
                           r"details\.", sentence):
        unchecked = [p for p in originals if p.suffix.lower() == ".pdf"]
        assert int(m[1]) == len(unchecked)
    elif m := re.fullmatch(r"shareable/ holds (\d+) cop(?:y|ies) of pictures with hidden "
                           r"details \(.*\) removed; they are not the evidence itself\.",
                           sentence):
        assert int(m[1]) == len(copies)
        for p in copies:
            assert found[f"shareable/{p.name}"] == (False, False, False), p.name
    elif sentence.startswith("The original files are not in this bundle."):
        assert not originals
    elif m := re.fullmatch(r"(\d+) exhibits? (?:is|are) in neither form .*", sentence):
        assert int(m[1]) == manifest["exhibits_in_report"] - len(copies)
    else:
        raise AssertionError(f"a sentence no check knows: {sentence!r}")


def check_bundle(bundle: Path, stdout: str) -> dict:
    """Every statement of README, cover and command line, checked against the bytes."""
    found = {p.relative_to(bundle).as_posix(): reveals(p)
             for p in bundle.rglob("*") if p.is_file() and p.parent != bundle}
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["exhibits_in_report"] = _exhibits_in_report(bundle)
    statements = readme_statements(bundle)
    assert statements == [flat(s) for s in manifest["statements"]]
    for sentence in statements:
        check_statement(sentence, bundle, found, manifest)
    cover = flat(PdfReader(bundle / "evidence-report.pdf").pages[0].extract_text()
                 + PdfReader(bundle / "evidence-report.pdf").pages[1].extract_text())
    assert "Files given with this report" in cover
    for sentence in statements:
        assert sentence in cover, sentence
        assert sentence in flat(stdout), sentence
    # "Left out ... GPS" only when no file in the bundle records a place.
    any_place = any(v[0] for v in found.values())
    left_out = cover.split("Left out of this report", 1)[1].split("Files given", 1)[0]
    assert ("GPS" in left_out) is (not any_place)
    assert ("GPS" in stdout.split("About the report's pages", 1)[1]) is (not any_place)
    return manifest


def _exhibits_in_report(bundle: Path) -> int:
    text = flat(PdfReader(bundle / "evidence-report.pdf").pages[0].extract_text())
    return int(re.search(r"Exhibits (\d+)", text)[1])


def test_originals_and_copies_say_exactly_what_their_bytes_hold(camera_case, tmp_path,
                                                                  capsys):
    folder, expected, ids = camera_case
    out = tmp_path / "bundle"
    code, stdout, err = run(capsys, "--case", str(folder), "export", "--out", str(out),
                            "--files", "both")
    assert code == 0, err
    manifest = check_bundle(out, stdout)
    # The counts the person reads are the ones the samples were written with.
    places = sum(v[0] for v in expected.values())
    serials = sum(v[1] for v in expected.values())
    names = sum(v[2] for v in expected.values())
    total = len(expected)
    assert f"{places} of {total} originals record where they were taken, {serials} a camera " \
           f"serial number and {names} a person's name: anyone" in flat(stdout)
    assert manifest["contents"]["with_location"] == places == 6
    assert "1 original (documents, sound recordings or damaged files) could not be checked" \
        in flat(stdout)  # the PDF letter
    # Every picture has a copy, none of which reveals anything.
    assert len(list((out / "shareable").iterdir())) == total - 2  # not the video or PDF
    # Incident numbers as the report prints them, beside the database ids.
    numbers = {e["incident_id"]: e["incident_number"] for e in manifest["exhibits"]}
    assert numbers == {ids["earlier"]: 1, ids["later"]: 2}
    assert ids["earlier"] != 1
    subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out, check=True)


def test_shareable_copies_only_leave_out_the_originals_and_say_so(camera_case, tmp_path,
                                                                  capsys):
    folder, expected, _ = camera_case
    out = tmp_path / "to-share"
    code, stdout, err = run(capsys, "--case", str(folder), "export", "--out", str(out),
                            "--files", "shareable")
    assert code == 0, err
    assert not (out / "exhibits").exists()
    check_bundle(out, stdout)
    text = flat(stdout)
    assert "The original files are not in this bundle." in text
    assert "2 exhibits are in neither form" in text  # the video and the PDF letter
    assert "About the report's pages: Left out" in text
    assert "GPS" in text.split("report's pages: Left out")[1]


def test_the_report_of_a_bundle_without_places_may_say_gps_was_left_out(camera_case,
                                                                         tmp_path, capsys):
    folder, _, ids = camera_case
    out = tmp_path / "few"
    # Only the earlier incident; pick it by number from the case as the CLI does.
    code, stdout, err = run(capsys, "--case", str(folder), "export", "--out", str(out),
                            "--files", "original", "--incident", str(ids["earlier"]))
    assert code == 0, err
    check_bundle(out, stdout)
