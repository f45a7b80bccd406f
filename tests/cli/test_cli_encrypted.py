"""The command line on encrypted cases: init --encrypt, the passphrase on every command,
unlock with the recovery key, passphrase changes, encrypting a plain case, verify."""

from __future__ import annotations

import io
import json
import os

import pytest
from PIL import Image

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def stdin(monkeypatch):
    """Give the command these lines on standard input (as a pipe: not a terminal)."""
    def feed(*lines: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    feed()
    return feed


@pytest.fixture
def encrypted_dir(tmp_path, cli, stdin):
    folder = tmp_path / "case"
    stdin(PASSPHRASE)
    code, out, err = cli("--case", folder, "--passphrase-stdin", "init", "--encrypt",
                         "--owner", "Jane Smith", "--initials", "JS", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["encrypted"] is True
    return folder, data["recovery_key"]


def test_init_encrypt_prints_the_recovery_key_once_in_groups(tmp_path, cli, stdin):
    stdin(PASSPHRASE)
    code, out, err = cli("--case", tmp_path / "c", "--passphrase-stdin", "init", "--encrypt",
                         "--owner", "Jane Smith", "--initials", "JS")
    assert code == 0, err
    assert "Recovery key:" in out and "shown only now" in out
    key = next(line.strip() for line in out.splitlines() if line.count("-") == 7)
    assert [len(g) for g in key.split("-")] == [5] * 8
    assert key not in (tmp_path / "c" / "case.key").read_text()


def test_every_command_needs_the_passphrase(encrypted_dir, cli, stdin):
    folder, _key = encrypted_dir
    stdin(PASSPHRASE)
    code, out, err = cli("--case", folder, "--passphrase-stdin", "incident", "add",
                         "--title", "Car outside the house", "--when", "01/03/2025 10:00")
    assert code == 0, err
    stdin(PASSPHRASE)
    code, out, _ = cli("--case", folder, "--passphrase-stdin", "search", "car")
    assert code == 0 and "Car outside the house" in out
    stdin()
    code, out, err = cli("--case", folder, "search", "car")  # no terminal, no option
    assert code == 2 and "--passphrase-stdin" in err and out == ""


def test_a_wrong_passphrase_exits_2_with_one_line_and_changes_nothing(encrypted_dir, cli, stdin):
    folder, _key = encrypted_dir
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    stdin("Correct Horse Battery Staple")
    code, out, err = cli("--case", folder, "--passphrase-stdin", "verify")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "does not open this case" in err
    assert "Correct Horse" not in err
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_unlock_with_the_recovery_key_sets_a_new_passphrase(encrypted_dir, cli, stdin):
    folder, key = encrypted_dir
    stdin("a new passphrase now")
    code, out, err = cli("--case", folder, "--passphrase-stdin", "unlock", "--recovery-key",
                         key.lower().replace("-", " "))
    assert code == 0, err
    assert "new passphrase is set" in out
    stdin(PASSPHRASE)
    assert cli("--case", folder, "--passphrase-stdin", "verify")[0] == 2
    stdin("a new passphrase now")
    code, out, err = cli("--case", folder, "--passphrase-stdin", "verify")
    assert code == 0 and "Everything holds." in out, err
    stdin("another new one")
    code, _, err = cli("--case", folder, "--passphrase-stdin", "unlock", "--recovery-key",
                       key[:-1] + ("0" if key[-1] != "0" else "1"))
    assert code == 2 and "typing mistake" in err


def test_passphrase_changes_it(encrypted_dir, cli, stdin):
    folder, _key = encrypted_dir
    stdin(PASSPHRASE, "the changed passphrase")
    code, out, err = cli("--case", folder, "--passphrase-stdin", "passphrase")
    assert code == 0 and "Passphrase changed" in out, err
    stdin("the changed passphrase")
    assert cli("--case", folder, "--passphrase-stdin", "verify")[0] == 0
    stdin("wrong one here", "whatever else")
    code, _, err = cli("--case", folder, "--passphrase-stdin", "passphrase")
    assert code == 2 and "does not open" in err


def test_encrypt_converts_a_plain_case(case_dir, cli, stdin, tmp_path):
    assert cli("--case", case_dir, "incident", "add", "--title", "Flowers left")[0] == 0
    stdin(PASSPHRASE)
    code, out, err = cli("--case", case_dir, "--passphrase-stdin", "encrypt", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["encrypted"] and "SSD" in data["message"] and len(data["recovery_key"]) == 47
    assert b"Flowers left" not in (case_dir / "case.db").read_bytes()
    stdin(PASSPHRASE)
    code, out, _ = cli("--case", case_dir, "--passphrase-stdin", "search", "flowers")
    assert code == 0 and "Flowers left" in out
    stdin(PASSPHRASE)
    code, _, err = cli("--case", case_dir, "--passphrase-stdin", "encrypt")
    assert code == 2 and "already encrypted" in err


def test_verify_reports_a_flipped_byte_in_an_encrypted_original(encrypted_dir, cli, stdin,
                                                                 tmp_path):
    folder, _key = encrypted_dir
    photo = tmp_path / "photo.png"
    Image.new("RGB", (200, 150), "green").save(photo)
    stdin(PASSPHRASE)
    code, _, err = cli("--case", folder, "--passphrase-stdin", "import", photo)
    assert code == 0, err
    stored = [p for p in (folder / "originals").rglob("*") if p.is_file()]
    assert len(stored) == 1
    os.chmod(stored[0], 0o600)
    data = bytearray(stored[0].read_bytes())
    data[-20] ^= 0x80
    stored[0].write_bytes(bytes(data))
    stdin(PASSPHRASE)
    code, out, _ = cli("--case", folder, "--passphrase-stdin", "verify")
    assert code == 1
    assert "PROBLEM: exhibit JS/1" in out and "damaged" in out


def test_demo_encrypt_needs_demo(cli):
    code, _, err = cli("--encrypt")
    assert code == 2 and "--demo" in err


def test_a_report_from_an_encrypted_case_says_it_is_not_encrypted(encrypted_dir, cli, stdin,
                                                                  tmp_path):
    folder, _key = encrypted_dir
    stdin(PASSPHRASE)
    assert cli("--case", folder, "--passphrase-stdin", "incident", "add", "--title",
               "Parcel left")[0] == 0
    stdin(PASSPHRASE)
    code, out, err = cli("--case", folder, "--passphrase-stdin", "report", "--out",
                         tmp_path / "report.pdf")
    assert code == 0, err
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "is not encrypted" in err


def test_at_a_terminal_a_new_passphrase_is_asked_twice(tmp_path, cli, monkeypatch):
    typed = iter(["correct horse battery", "correct horse batery"])
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    code, out, err = cli("--case", tmp_path / "c", "init", "--encrypt", "--owner", "Jane Smith",
                         "--initials", "JS")
    assert code == 2 and "not the same" in err and out == ""
    assert len(prompts) == 2 and not (tmp_path / "c" / "case.db").exists()
    typed = iter(["correct horse battery", "correct horse battery"])
    code, out, err = cli("--case", tmp_path / "c", "init", "--encrypt", "--owner", "Jane Smith",
                         "--initials", "JS")
    assert code == 0 and "Recovery key:" in out, err
    typed = iter(["correct horse battery"])
    code, out, err = cli("--case", tmp_path / "c", "verify")
    assert code == 0 and "Everything holds." in out, err
    assert "Passphrase for the case" in prompts[-1]
