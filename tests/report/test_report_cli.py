"""`evidence-app report` and `export`, run as a person would, and the bundle checked."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from evidence_app.cli import main
from evidence_app.core.media.analysis import analyse
from tests.report.casebuilder import PRIVATE_NOTE


@pytest.fixture
def case_folder(rich_case, case) -> Path:
    folder = case.folder
    case.close()  # the CLI opens the case itself
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_command_writes_the_pdf(case_folder, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    code, stdout, _ = run(capsys, "--case", str(case_folder), "report", "--out", str(out),
                          "--from", "01/02/2025", "--to", "March 2025", "--profile", "police")
    assert code == 0
    assert re.search(rf"^Wrote {re.escape(str(out))} \(\d+ pages, \d+ incidents?, "
                     r"\d+ exhibits?\)\.$", stdout, re.M)
    assert "Left out: private notes" in stdout
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Silver Astra" in text and "Flowers left on doorstep" not in text
    assert PRIVATE_NOTE not in text


def test_report_json_and_include_private(case_folder, tmp_path, capsys):
    out = tmp_path / "mine.pdf"
    code, stdout, _ = run(capsys, "--case", str(case_folder), "report", "--out", str(out),
                          "--include-private", "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["pages"] >= 5 and data["exhibits"] == 5 and data["options"]["include_private"]
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert PRIVATE_NOTE in text


def test_report_rejects_bad_input_clearly(case_folder, tmp_path, capsys):
    code, _, err = run(capsys, "--case", str(case_folder), "report", "--out",
                       str(tmp_path / "r.pdf"), "--from", "32/13/2025")
    assert code == 2 and "not a real date" in err
    code, _, err = run(capsys, "--case", str(case_folder), "report", "--out",
                       str(tmp_path / "r.pdf"), "--from", "2025-03-01", "--to", "2025-02-01")
    assert code == 2 and "before its start" in err
    code, _, err = run(capsys, "--case", str(case_folder), "report", "--out",
                       str(tmp_path / "r.pdf"), "--category", "aliens")
    assert code == 2 and "unknown category" in err
    assert not (tmp_path / "r.pdf").exists()


def test_export_folder_passes_sha256sum(case_folder, tmp_path, capsys, rich_case):
    out = tmp_path / "bundle"
    code, stdout, _ = run(capsys, "--case", str(case_folder), "export", "--out", str(out),
                          "--stripped")
    assert code == 0 and "sha256sum -c SHA256SUMS" in stdout
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len((out / "SHA256SUMS").read_text().splitlines())
    names = sorted(p.name for p in (out / "exhibits").iterdir())
    assert names == ["JS-1_IMG_2041.jpg", "JS-2_IMG_2042.jpg", "JS-3_IMG_3001.heic",
                     "JS-4_Screenshot_20250305-230200.png", "JS-5_letter.pdf"]
    # The originals are byte-exact; the shareable copy has no GPS or camera.
    for key, mark in rich_case.marks.items():
        exported = next((out / "exhibits").glob(mark.replace("/", "-") + "_*"))
        assert hashlib.sha256(exported.read_bytes()).hexdigest() == rich_case.sha[key]
    original = analyse(out / "exhibits" / "JS-1_IMG_2041.jpg", "x.jpg")
    shared = analyse(out / "shareable" / "JS-1_IMG_2041.jpg", "x.jpg")
    assert original.gps_lat is not None and shared.gps_lat is None and not shared.camera_make
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["mark"] for e in manifest["exhibits"]] == ["JS/1", "JS/2", "JS/3", "JS/4", "JS/5"]
    assert manifest["exhibits"][4]["shareable_copy"] is None  # a PDF is not a picture
    assert manifest["report"]["pages"] == len(PdfReader(out / "evidence-report.pdf").pages)
    # The photo was taken at 51.5 N, 1.75 W; no number in the manifest may give that away
    # (a time's seconds, such as 10:31:51.5, are not coordinates).
    numbers = re.findall(r"(?<![\d:.])-?\d+\.\d+", json.dumps(manifest))
    assert "gps_lat" not in json.dumps(manifest)
    assert not {"51.5", "-1.75", "1.75"} & set(numbers), numbers
    assert "sha256sum -c SHA256SUMS" in (out / "README.txt").read_text()


def test_export_zip(case_folder, tmp_path, capsys):
    code, stdout, _ = run(capsys, "--case", str(case_folder), "export", "--out",
                          str(tmp_path / "for-police"), "--zip", "--json")
    assert code == 0
    target = Path(json.loads(stdout)["path"])
    assert target == tmp_path / "for-police.zip" and not (tmp_path / "for-police").exists()
    with zipfile.ZipFile(target) as zf:
        zf.extractall(tmp_path / "unzipped")
    folder = tmp_path / "unzipped" / "for-police"
    assert (folder / "exhibits" / "JS-5_letter.pdf").is_file()
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []


def test_export_refuses_a_damaged_original_and_a_full_folder(case_folder, tmp_path, capsys,
                                                            rich_case):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something.txt").write_text("keep me")
    code, _, err = run(capsys, "--case", str(case_folder), "export", "--out", str(busy))
    assert code == 2 and "is not empty" in err and "--force" in err
    assert sorted(p.name for p in busy.iterdir()) == ["something.txt"]

    blob = next(p for p in (case_folder / "originals").rglob(rich_case.sha["heic"] + "*"))
    blob.chmod(0o600)
    blob.write_bytes(b"tampered")
    code, _, err = run(capsys, "--case", str(case_folder), "export", "--out",
                       str(tmp_path / "bad"))
    assert code == 2 and "JS/3" in err and "no longer matches" in err
    assert not (tmp_path / "bad").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []


def test_the_report_states_the_log_head_it_was_built_on(case_folder, tmp_path, capsys):
    """The cover and the audit appendix say the head; verify --head with it shows the log
    only grew, and names a rewrite."""
    out = tmp_path / "court.pdf"
    code, _, err = run(capsys, "--case", str(case_folder), "report", "--out", str(out),
                       "--profile", "court")
    assert code == 0, err
    pages = [p.extract_text() for p in PdfReader(out).pages]
    cover = pages[0]
    found = re.search(r"(\d+) events, the last with hash\s*((?:[0-9a-f]{8}\s?){8})", cover)
    assert found, cover
    head = f"{found[1]}:{''.join(found[2].split())}"
    assert len(head.split(":")[1]) == 64
    assert any(f"evidence-app verify --head {head}" in " ".join(p.split("\n"))
               for p in pages[1:]), "the audit appendix states the head"
    run(capsys, "--case", str(case_folder), "incident", "add", "--title", "Later")
    code, stdout, _ = run(capsys, "--case", str(case_folder), "verify", "--head", head)
    assert code == 0 and "only grown since" in stdout
    # As printed on the cover, in groups of eight, it is read the same.
    grouped = f"{found[1]}:{found[2].strip()}"
    code, stdout, _ = run(capsys, "--case", str(case_folder), "verify", "--head", grouped)
    assert code == 0 and "only grown since" in stdout
