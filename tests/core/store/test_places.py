"""Risky places for a case: network file systems, cloud-sync folders, removable media."""

from __future__ import annotations

import pytest

from evidence_app.core.store.places import parse_mountinfo, risky_place

MOUNTINFO = r"""22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
25 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
40 22 8:1 / /boot/efi rw,relatime shared:30 - vfat /dev/sda1 rw,fmask=0077
88 22 0:50 / /mnt/nas rw,relatime shared:40 - nfs4 192.168.1.10:/export/home rw,vers=4.2
89 22 0:51 / /home/jane/work\040share rw,relatime shared:41 - cifs //fileserver/share rw
90 22 0:52 / /home/jane/remote rw,nosuid shared:42 - fuse.sshfs jane@host:/srv rw
91 22 8:17 / /media/jane/KINGSTON rw,nosuid,nodev shared:43 - vfat /dev/sdb1 rw
92 22 8:33 / /run/media/jane/BACKUP rw,nosuid,nodev shared:44 - ext4 /dev/sdc1 rw
93 22 8:49 / /mnt/card rw,nosuid,nodev shared:45 - exfat /dev/sdd1 rw
"""


@pytest.mark.parametrize("folder, kind, words", [
    ("/mnt/nas/cases/mine", "network", "192.168.1.10:/export/home"),
    ("/home/jane/work share/case", "network", "cifs"),
    ("/home/jane/remote/case", "network", "fuse.sshfs"),
    ("/media/jane/KINGSTON/case", "removable", "/media/jane/KINGSTON"),
    ("/run/media/jane/BACKUP/Evidence", "removable", "/run/media/jane/BACKUP"),
    ("/mnt/card/case", "removable", "/mnt/card"),
    ("/home/jane/Dropbox/Evidence", "cloud", "Dropbox"),
    ("/home/jane/OneDrive - Personal/case", "cloud", "OneDrive"),
    ("/home/jane/Google Drive/case", "cloud", "Google Drive"),
])
def test_risky_places_on_linux_are_named_with_what_to_do(folder, kind, words):
    risk = risky_place(folder, mountinfo=MOUNTINFO, platform="linux")
    assert risk is not None and risk.kind == kind and words in risk.where
    message = risk.message()
    assert "backup file" in message and "own disk" in message and "File \u203a Back up now\u2026" in message


@pytest.mark.parametrize("folder", ["/home/jane/Evidence", "/home/jane/Documents/case",
                                    "/mnt/nasty", "/boot/efi/case"])
def test_ordinary_folders_are_not_risky(folder):
    assert risky_place(folder, mountinfo=MOUNTINFO, platform="linux") is None


def test_mountinfo_is_parsed_with_escapes():
    mounts = {m.point: m for m in parse_mountinfo(MOUNTINFO + "garbage line\n")}
    assert mounts["/home/jane/work share"].fstype == "cifs"
    assert mounts["/mnt/nas"].source == "192.168.1.10:/export/home"


@pytest.mark.parametrize("platform, folder, kind", [
    ("darwin", "/Users/jane/Library/Mobile Documents/com~apple~CloudDocs/case", "cloud"),
    ("darwin", "/Users/jane/Library/CloudStorage/GoogleDrive-jane@example.com/case", "cloud"),
    ("darwin", "/Volumes/USB STICK/case", "removable"),
    ("darwin", "/Users/jane/Documents/case", None),
    ("win32", r"\\server\share\case", "network"),
    ("win32", r"C:\Users\jane\OneDrive\Documents\case", "cloud"),
    ("win32", r"C:\Users\jane\iCloudDrive\case", "cloud"),
])
def test_risky_places_on_macos_and_windows_by_path(platform, folder, kind):
    risk = risky_place(folder, mountinfo="", platform=platform)
    assert (risk.kind if risk else None) == kind


def test_a_fat32_stick_is_known_to_stop_at_4_gb():
    from evidence_app.core.store.places import FAT_LIMIT, largest_file

    assert largest_file("/media/jane/KINGSTON/backups", mountinfo=MOUNTINFO) == FAT_LIMIT
    assert largest_file("/mnt/card", mountinfo=MOUNTINFO) is None  # exFAT has no such limit
    assert largest_file("/home/jane", mountinfo=MOUNTINFO) is None
