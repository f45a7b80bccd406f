"""`make appimage`: the bundle `make dist` built, as one AppImage file, smoke-tested.

    .venv/bin/python packaging/build_appimage.py

An AppImage (type 2) is the AppImage runtime (a small static program) followed by a
squashfs image of an AppDir: the one-folder bundle with `AppRun` (here a link to
`evidence-app`), the `.desktop` entry and the icon at its top. Started, the runtime
mounts the image with FUSE and runs AppRun; `--appimage-extract-and-run` unpacks it
instead where FUSE is missing.

Needs `mksquashfs` (squashfs-tools) and the runtime: APPIMAGE_RUNTIME, else
build/appimage/runtime-<machine>, which packaging/appimage/build_runtime.sh builds from
the AppImage project's type2-runtime source (no runtime binary is downloaded or kept in
this repository). Then packaging/smoke_test.sh runs the AppImage itself with no Python.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from build_dist import make_samples  # noqa: E402

from evidence_app import APP_NAME, DESKTOP_ID, __version__  # noqa: E402

BUNDLE = ROOT / "build" / "dist" / "evidence-organiser"


def main() -> int:
    machine = platform.machine()
    runtime = Path(os.environ.get("APPIMAGE_RUNTIME")
                   or ROOT / "build" / "appimage" / f"runtime-{machine}")
    missing = []
    if not (BUNDLE / "evidence-app").is_file() or not (BUNDLE / "licences").is_dir():
        missing.append(f"the bundle {BUNDLE} (make dist builds it)")
    if not shutil.which("mksquashfs"):
        missing.append("mksquashfs (apt-get install squashfs-tools)")
    if not runtime.is_file():
        missing.append(f"the AppImage runtime {runtime} (packaging/appimage/build_runtime.sh "
                       "builds it from the type2-runtime and squashfuse sources)")
    elif runtime.read_bytes()[8:11] != b"AI\x02":
        missing.append(f"{runtime} is not an AppImage type 2 runtime (no AI\\x02 at byte 8)")
    licences = Path(f"{runtime}.licences")
    if runtime.is_file() and not (licences / "README.txt").is_file():
        missing.append(f"the runtime's licences {licences} (build_runtime.sh writes them)")
    if missing:
        print("make appimage: missing " + "; ".join(missing), file=sys.stderr)
        return 2
    out = ROOT / "dist" / f"{APP_NAME.replace(' ', '_')}-{__version__}-{machine}.AppImage"
    with tempfile.TemporaryDirectory(prefix="evidence-appimage-") as tmp:
        appdir = Path(tmp) / "AppDir"
        shutil.copytree(BUNDLE, appdir, symlinks=True)
        (appdir / "AppRun").symlink_to("evidence-app")
        shutil.copytree(licences, appdir / "licences" / "appimage-runtime")
        shutil.copy2(ROOT / "resources" / f"{DESKTOP_ID}.desktop", appdir)
        shutil.copy2(ROOT / "resources" / "icons" / "hicolor" / "256x256" / "apps" /
                     f"{DESKTOP_ID}.png", appdir)
        (appdir / ".DirIcon").symlink_to(f"{DESKTOP_ID}.png")
        # Where AppStream looks for it inside an AppImage.
        meta = appdir / "usr" / "share" / "metainfo"
        meta.mkdir(parents=True)
        shutil.copy2(ROOT / "resources" / f"{DESKTOP_ID}.metainfo.xml",
                     meta / f"{DESKTOP_ID}.appdata.xml")
        image = Path(tmp) / "image.squashfs"
        subprocess.run(["mksquashfs", str(appdir), str(image), "-root-owned", "-noappend",
                        "-comp", "zstd", "-quiet", "-no-progress"], check=True)
        out.parent.mkdir(exist_ok=True)
        with out.open("wb") as fh:
            fh.write(runtime.read_bytes())
            with image.open("rb") as src:
                shutil.copyfileobj(src, fh)
        out.chmod(0o755)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size / 2**20:.1f} MiB")
        samples = make_samples(Path(tmp) / "samples")
        subprocess.run(["bash", str(ROOT / "packaging" / "smoke_test.sh"), str(appdir),
                        __version__, str(samples)], check=True,
                       env={**os.environ, "SMOKE_PROGRAM": str(out)})
    print(f"\nmake appimage: {out.relative_to(ROOT)} built and smoke-tested")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
