"""`make dist`: build the Linux bundle, collect its licences, pack it and smoke-test the
packed copy.

    .venv/bin/python packaging/build_dist.py

1. checks the icons are up to date with their drawing (resources/make_icons.py --check);
2. builds the one-folder app with PyInstaller (packaging/evidence-organiser.spec);
3. collects the licence of every bundled component (packaging/licences.py; stops if
   one has none);
4. adds what the desktop needs (resources/: icons, .desktop, metainfo) and
   install-desktop.sh, and packs dist/evidence-organiser-<version>-linux-<machine>.tar.gz;
5. unpacks that tarball into a temporary folder and smoke-tests it there with no Python
   (packaging/smoke_test.sh), importing a HEIC, a TIFF, a PDF and a JPEG made here.

On Windows and macOS the same spec builds the app (with its .ico / .icns, and an .app on
macOS); this script's packing and smoke test are for Linux.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence_app import DESKTOP_ID, __version__  # noqa: E402

BUILD = ROOT / "build"
DIST = ROOT / "dist"
PY = sys.executable


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT,
                   env={**os.environ, **(env or {})})


def build_bundle(variant: str, distpath: Path, workpath: Path) -> Path:
    """Run PyInstaller on the spec for one variant; the bundle's folder."""
    run(PY, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", distpath, "--workpath", workpath,
        ROOT / "packaging" / "evidence-organiser.spec", env={"BUNDLE_VARIANT": variant})
    name = "bare-window" if variant.startswith("bare") else "evidence-organiser"
    return distpath / name


def make_samples(folder: Path) -> Path:
    """Files for the smoke test to import inside the bundle, made by the real encoders
    (libheif with x265, libtiff, libjpeg through Pillow; reportlab): an iPhone-style
    HEIC photo, a scanned letter as TIFF, a two-page PDF letter and a JPEG screenshot
    whose words Tesseract can read."""
    import pillow_heif
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.pdfgen import canvas

    pillow_heif.register_heif_opener()
    folder.mkdir(parents=True)
    font = ImageFont.truetype(str(ROOT / "evidence_app" / "resources" / "fonts" /
                                  "DejaVuSans.ttf"), 40)
    photo = Image.new("RGB", (640, 480), (40, 90, 160))
    ImageDraw.Draw(photo).rectangle((200, 150, 440, 330), fill=(230, 200, 40))
    photo.save(folder / "IMG_0001.HEIC", "HEIF", quality=70)
    scan = Image.new("L", (850, 1100), 255)
    ImageDraw.Draw(scan).text((80, 120), "Scanned letter", fill=0, font=font)
    scan.save(folder / "scan.tif", "TIFF", compression="tiff_deflate")
    shot = Image.new("RGB", (900, 300), "white")
    ImageDraw.Draw(shot).text((40, 110), "STOP FOLLOWING ME HOME", fill="black", font=font)
    shot.save(folder / "screenshot.jpg", "JPEG", quality=92)
    pdf = canvas.Canvas(str(folder / "letter.pdf"), pagesize=(595, 842))
    for text in ("A letter left on the doorstep", "Page two"):
        pdf.setFont("Helvetica", 18)
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return folder


def main() -> int:
    if not sys.platform.startswith("linux"):
        print("make dist packs and smoke-tests the Linux bundle; on this system run "
              "PyInstaller on packaging/evidence-organiser.spec", file=sys.stderr)
        return 2
    step("icons up to date with resources/" + DESKTOP_ID + ".svg")
    run(PY, ROOT / "resources" / "make_icons.py", "--check")
    step(f"PyInstaller: Evidence Organiser {__version__}")
    bundle = build_bundle("app", BUILD / "dist", BUILD / "pyinstaller")
    step("licences of every bundled component")
    run(PY, ROOT / "packaging" / "licences.py",
        BUILD / "pyinstaller" / "evidence-organiser" / "contents.json", bundle)
    step("desktop files and the tarball")
    res = bundle / "resources"
    shutil.rmtree(res, ignore_errors=True)
    res.mkdir()
    for name in (f"{DESKTOP_ID}.svg", f"{DESKTOP_ID}.desktop", f"{DESKTOP_ID}.metainfo.xml"):
        shutil.copy2(ROOT / "resources" / name, res / name)
    shutil.copytree(ROOT / "resources" / "icons" / "hicolor", res / "icons" / "hicolor")
    shutil.copy2(ROOT / "packaging" / "linux" / "install-desktop.sh", bundle / "install-desktop.sh")
    shutil.copy2(ROOT / "packaging" / "linux" / "README-bundle.txt", bundle / "README.txt")
    stem = f"evidence-organiser-{__version__}-linux-{platform.machine()}"
    DIST.mkdir(exist_ok=True)
    tarball = DIST / f"{stem}.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(bundle, arcname=stem)
    print(f"{tarball.relative_to(ROOT)}: {tarball.stat().st_size / 2**20:.1f} MiB packed, "
          f"{sum(f.stat().st_size for f in bundle.rglob('*') if f.is_file() and not f.is_symlink()) / 2**20:.1f} MiB unpacked")
    step("smoke test of the unpacked tarball")
    with tempfile.TemporaryDirectory(prefix="evidence-dist-") as tmp:
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="tar")
        samples = make_samples(Path(tmp) / "samples")
        run("bash", ROOT / "packaging" / "smoke_test.sh", Path(tmp) / stem, __version__,
            samples)
    print(f"\nmake dist: {tarball.relative_to(ROOT)} built and smoke-tested")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
