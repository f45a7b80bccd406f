"""`evidence-app backup` and `evidence-app restore`."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.media_factory import phone_jpeg


def test_backup_then_restore_from_the_command_line(case_dir, cli, tmp_path):
    photo = phone_jpeg(tmp_path / "IMG_0001.jpg", size=(120, 90), seed=1)
    assert cli("--case", case_dir, "import", photo)[0] == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = cli("--case", case_dir, "backup", "--out", usb)
    assert code == 0, err
    assert "The backup needs about" in err and "free there" in err
    assert out.startswith(f"Backed up to {usb}")
    made = list(usb.glob("*.evidence-backup"))
    assert len(made) == 1
    code, out, err = cli("--case", case_dir, "backup", "--out", usb, "--json")
    second = json.loads(out)
    assert code == 0 and second["needs"] == [made[0].name] and second["reused"] == 1
    code, out, err = cli("restore", second["file"], "--case", tmp_path / "restored")
    assert code == 0, err
    assert "incremental backup" in err and made[0].name in err
    assert "Restored the case 'Jane Smith'" in out and "1 exhibit(s)" in out
    code, out, _ = cli("--case", tmp_path / "restored", "verify")
    assert code == 0 and "Everything holds." in out
    # Refusals are one line and exit 2.
    code, _, err = cli("restore", second["file"], "--case", tmp_path / "restored")
    assert code == 2 and err.startswith("error: There is already something")
    code, _, err = cli("restore", tmp_path / "none.evidence-backup", "--case", tmp_path / "x")
    assert code == 2 and "There is no backup file" in err
    code, _, err = cli("restore", second["file"])
    assert code == 2 and "--case NEW_FOLDER" in err
    code, _, err = cli("--case", case_dir, "backup", "--out", tmp_path / "nowhere")
    assert code == 2 and "There is no folder" in err and len(err.splitlines()) == 1


def test_a_case_in_a_cloud_sync_folder_gets_one_calm_line_on_stderr(cli, tmp_path):
    folder = tmp_path / "OneDrive" / "case"
    assert cli("--case", folder, "init", "--owner", "Jane Smith", "--initials", "JS")[0] == 0
    code, out, err = cli("--case", folder, "verify")
    assert code == 0 and "Everything holds." in out
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "in a folder that OneDrive syncs" in warnings[0]
    assert "evidence-app backup --out FOLDER" in warnings[0]
    code, _, err = cli("--case", tmp_path / "plain", "init", "--owner", "J S", "--initials", "JS")
    code, _, err = cli("--case", tmp_path / "plain", "verify")
    assert "warning:" not in err


def test_an_encrypted_case_backs_up_and_restores_only_with_its_passphrase(tmp_path, cli,
                                                                          monkeypatch):
    import io

    def stdin(*lines: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))

    secret = "correct horse battery staple"
    folder = tmp_path / "case"
    stdin(secret)
    assert cli("--case", folder, "--passphrase-stdin", "init", "--encrypt", "--owner",
               "Jane Smith", "--initials", "JS")[0] == 0
    stdin(secret)
    assert cli("--case", folder, "--passphrase-stdin", "incident", "add", "--title",
               "Car outside QUOKKAMARMALADE", "--when", "01/03/2025 10:00")[0] == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    stdin(secret)
    code, out, err = cli("--case", folder, "--passphrase-stdin", "backup", "--out", usb,
                         "--json")
    assert code == 0, err
    assert json.loads(out)["encrypted"] is True
    backup = json.loads(out)["file"]
    stdin(secret)
    code, out, err = cli("--case", folder, "--passphrase-stdin", "backup", "--out", usb)
    assert code == 0 and "It is encrypted like the case" in out
    assert b"QUOKKAMARMALADE" not in Path(backup).read_bytes()
    places = tmp_path / "places"
    places.mkdir()
    stdin()
    code, out, err = cli("restore", backup, "--case", places / "restored")
    assert code == 2 and "--passphrase-stdin" in err and out == ""
    assert "Backup of a case protected by a passphrase (encrypted)" in err
    stdin("not the passphrase")
    code, out, err = cli("--passphrase-stdin", "restore", backup, "--case",
                         places / "restored")
    assert code == 2 and out == ""
    assert err.splitlines()[-1].startswith("error: That passphrase does not open this case")
    assert list(places.iterdir()) == []
    stdin(secret)
    code, out, err = cli("--passphrase-stdin", "restore", backup, "--case",
                         places / "restored")
    assert code == 0, err
    assert "Restored the case" in out and "opens with the same passphrase" in out
    stdin(secret)
    code, out, _ = cli("--case", places / "restored", "--passphrase-stdin", "verify")
    assert code == 0 and "Everything holds." in out
    stdin(secret)
    code, out, _ = cli("--case", places / "restored", "--passphrase-stdin", "search", "quokka")
    assert code == 0 and "QUOKKAMARMALADE" in out
