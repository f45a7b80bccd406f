"""Whether a case folder sits somewhere known to damage an open SQLite database: a
network file system, a folder a cloud service syncs, or removable media.

SQLite relies on file locks and on writes reaching the disk in order. Network file
systems break the locks, sync services copy a database half-written (or bring back an
old copy), and a USB stick can be pulled out mid-write. The app still opens the case,
but says so once, calmly, with what to do: keep the case on this computer's own disk
and carry a backup file instead.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

NETWORK_TYPES = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs",
                 "coda", "9p", "davfs", "glusterfs", "ceph", "lustre", "gfs2", "ocfs2",
                 "fuse.sshfs", "sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse",
                 "fuse.gvfsd-fuse", "fuse.davfs2", "fuse.glusterfs", "fuse.cephfs"}
REMOVABLE_TYPES = {"vfat", "exfat", "msdos", "fuseblk", "udf", "iso9660"}
CLOUD_NAMES = {"dropbox": "Dropbox", "onedrive": "OneDrive", "google drive": "Google Drive",
               "googledrive": "Google Drive", "my drive": "Google Drive",
               "icloud drive": "iCloud Drive", "iclouddrive": "iCloud Drive",
               "mobile documents": "iCloud Drive", "cloudstorage": "a cloud service",
               "box sync": "Box", "pcloud drive": "pCloud", "nextcloud": "Nextcloud"}
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/Volumes/")


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    source: str


@dataclass(frozen=True)
class RiskyPlace:
    """Why the folder's place is risky: kind is "network", "cloud" or "removable"."""

    kind: str
    where: str

    def message(self, backup_hint: str = "File \u203a Back up now\u2026") -> str:
        """What to tell the person (calm, and what to do)."""
        risk = {"network": "Cases kept on a network drive can be damaged when the "
                           "connection drops or two computers use them at once.",
                "cloud": "Sync services can copy the case while it is being written, or "
                         "bring back an older copy over a newer one.",
                "removable": "A drive that is unplugged, or loses power, while the case "
                             "is open can damage it."}[self.kind]
        return (f"This case is kept {self.where}. {risk} Nothing is wrong now. To be safe, "
                "keep the case on this computer's own disk, and to carry it or keep a copy "
                f"elsewhere, make a backup file ({backup_hint}).")


def _unescape(field: str) -> str:
    """mountinfo escapes space, tab, newline and backslash as octal (\\040)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts listed by /proc/self/mountinfo (format: proc(5))."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        sep = fields.index("-")
        if sep < 5 or len(fields) < sep + 3:
            continue
        mounts.append(Mount(_unescape(fields[4]), fields[sep + 1], _unescape(fields[sep + 2])))
    return mounts


def _mount_of(folder: PurePosixPath, mounts: list[Mount]) -> Mount | None:
    best: Mount | None = None
    for mount in mounts:
        point = PurePosixPath(mount.point)
        if (folder == point or point in folder.parents) and (
                best is None or len(mount.point) >= len(best.point)):
            best = mount
    return best


def _cloud(path: PurePath) -> str | None:
    for part in path.parts:
        low = part.casefold()
        for key, service in CLOUD_NAMES.items():
            if low == key or (key in ("onedrive", "dropbox") and low.startswith(key)):
                return service
    return None


def risky_place(folder: Path | str, *, mountinfo: str | None = None,
                platform: str = sys.platform) -> RiskyPlace | None:
    """Where `folder` is kept, if that is a risky place for an open case (else None).

    `mountinfo` (Linux) is the text of /proc/self/mountinfo, read when not given.
    """
    if platform == "win32":
        path: PurePath = PureWindowsPath(str(folder))
        service = _cloud(path)
        if service:
            return RiskyPlace("cloud", f"in a folder that {service} syncs")
        if str(folder).startswith(("\\\\", "//")):
            return RiskyPlace("network", "on a network drive")
        kind = _windows_drive_type(str(path.drive)) if path.drive else None
        if kind == "remote":
            return RiskyPlace("network", f"on a network drive ({path.drive})")
        if kind == "removable":
            return RiskyPlace("removable", f"on a removable drive ({path.drive})")
        return None
    posix = PurePosixPath(os.path.abspath(folder))
    service = _cloud(posix)
    if service:
        return RiskyPlace("cloud", f"in a folder that {service} syncs")
    if platform == "darwin":
        if str(posix).startswith("/Volumes/"):
            return RiskyPlace("removable", f"on an external or network drive "
                                           f"(/Volumes/{posix.parts[2]})")
        return None
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8",
                                                               errors="replace")
        except OSError:
            mountinfo = ""
    mount = _mount_of(posix, parse_mountinfo(mountinfo))
    if mount is not None:
        if mount.fstype in NETWORK_TYPES or mount.fstype.startswith(("nfs", "smb")):
            return RiskyPlace("network", f"on a network drive ({mount.source}, "
                                         f"{mount.fstype})")
        if mount.point.startswith(REMOVABLE_ROOTS[:2]) or (
                mount.fstype in REMOVABLE_TYPES and not mount.point.startswith("/boot")):
            return RiskyPlace("removable", f"on a removable drive ({mount.point})")
    if str(posix).startswith(REMOVABLE_ROOTS[:2]):
        return RiskyPlace("removable", "on a removable drive")
    return None


def _windows_drive_type(drive: str) -> str | None:  # pragma: no cover - Windows only
    try:
        import ctypes

        kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    return {2: "removable", 4: "remote"}.get(kind)


FAT_LIMIT = 4 * 1024**3 - 1  # the largest file FAT32 can hold


def largest_file(folder: Path | str, *, mountinfo: str | None = None) -> int | None:
    """The largest file the file system holding `folder` can take, when it is known to
    be limited (FAT32: 4 GB less a byte); None otherwise. Linux only (mountinfo)."""
    if sys.platform != "linux" and mountinfo is None:
        return None
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8",
                                                               errors="replace")
        except OSError:
            return None
    mount = _mount_of(PurePosixPath(os.path.abspath(folder)), parse_mountinfo(mountinfo))
    if mount is not None and mount.fstype in ("vfat", "msdos"):
        return FAT_LIMIT
    return None

