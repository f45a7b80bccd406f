"""The desktop bundle's size and start-up time, against a bundle of a bare PySide6 window
built by the same spec in the same run (targets: under 1.5x the size, under 2x the time).

Builds four one-folder bundles with packaging/evidence-organiser.spec (BUNDLE_VARIANT):
the app; the app without its exclusions (what they save); the bare window built as the
spec builds any bundle; and the bare window with the app's trimming of Qt plugins and
translations too. Then starts the bare window and the app in turn, each a fresh process
offscreen with a fresh home folder, timed from spawn until it prints "shown" (the bare
window exposed; the app's window exposed with its welcome page, or with the sample case's
timeline showing and its features loaded: `evidence-app --exit-when-shown`). Run:

    .venv/bin/python bench/bench_bundle.py [--runs 5] [--no-build] [--variants app,bare]

Needs requirements-packaging.lock installed (`make dist` installs it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"
VARIANTS = ("bare", "bare-trimmed", "app", "unexcluded")


def build(variant: str) -> Path:
    dist, work = OUT / variant / "dist", OUT / variant / "work"
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "packaging" / "evidence-organiser.spec")],
                   check=True, env={**os.environ, "BUNDLE_VARIANT": variant},
                   stdout=subprocess.DEVNULL)
    return dist / ("bare-window" if variant.startswith("bare") else "evidence-organiser")


def program(bundle: Path) -> Path:
    return bundle / ("bare-window" if bundle.name == "bare-window" else "evidence-app")


def size(bundle: Path) -> int:
    return sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())


# What each part of a bundle's _internal folder is, by the start of its path there
# (first match wins); anything else is named by its first folder.
COMPONENTS = (
    ("PySide6/Qt/lib/libicu", "ICU (Qt's Unicode data)"),
    ("PySide6/Qt/plugins/", "Qt plugins"),
    ("PySide6/", "Qt and PySide6"),
    ("evidence_app/resources/fonts/NotoColorEmoji", "report font: Noto Color Emoji"),
    ("evidence_app/resources/fonts/", "report fonts, the rest"),
    ("evidence_app/", "the app (code, guide, icons, migrations)"),
    ("libpython", "Python"), ("python3", "Python"), ("base_library", "Python"),
    ("pillow.libs/libavif", "Pillow: AVIF (libavif)"), ("pillow.libs", "Pillow"),
    ("PIL/", "Pillow"), ("pi_heif", "HEIC decoder (pi-heif)"),
    ("_pi_heif", "HEIC decoder (pi-heif)"), ("pillow_heif", "HEIC (pillow-heif)"),
    ("_pillow_heif", "HEIC (pillow-heif)"), ("sqlcipher3", "SQLCipher (with OpenSSL)"),
    ("cryptography", "cryptography (with OpenSSL)"), ("pypdfium2", "PDFium (pypdfium2)"),
    ("pikepdf", "qpdf (pikepdf)"), ("lxml", "lxml"), ("uharfbuzz", "HarfBuzz (uharfbuzz)"),
    ("emoji", "emoji names"), ("sqlalchemy", "SQLAlchemy"), ("reportlab", "reportlab"),
    ("libcrypto", "system OpenSSL (Python's hashlib/ssl)"),
    ("lib", "other system libraries (X11, CUPS, GnuTLS, glib...)"),
)


def components(bundle: Path) -> dict[str, int]:
    """Bytes per part of the bundle (files only; links count nothing)."""
    inside = bundle / "_internal"
    out: dict[str, int] = {}
    for f in inside.rglob("*"):
        if not f.is_file() or f.is_symlink():
            continue
        rel = f.relative_to(inside).as_posix()
        label = next((name for prefix, name in COMPONENTS if rel.startswith(prefix)),
                     rel.split("/")[0].removesuffix(".libs"))
        out[label] = out.get(label, 0) + f.stat().st_size
    return out


def start(argv: list[str], home: Path) -> float:
    """Seconds from spawn to the "shown" line, in a fresh home with no Python about."""
    env = {"HOME": str(home), "EVIDENCE_APP_HOME": str(home / "app"), "PATH": "/usr/bin:/bin",
           "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(home)}
    began = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    took = time.perf_counter() - began
    proc.wait(timeout=120)
    if not line.startswith("shown") or proc.returncode != 0:
        raise SystemExit(f"{argv[0]} said {line!r} and exited {proc.returncode}")
    return took


def main() -> int:
    try:
        import PyInstaller  # noqa: F401 - only to see that it is installed
    except ImportError:
        print("skipped: PyInstaller is not installed (make dist installs it from "
              "requirements-packaging.lock)")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true", help="measure the last build")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help="which bundles (app and bare at least; default: all four)")
    args = parser.parse_args()
    variants = [v for v in VARIANTS if v in args.variants.split(",")]
    assert {"app", "bare"} <= set(variants), "app and bare are needed"
    bundles = {}
    for variant in variants:
        if not args.no_build:
            began = time.perf_counter()
            bundles[variant] = build(variant)
            print(f"built {variant} in {time.perf_counter() - began:.0f} s", flush=True)
        else:
            bundles[variant] = OUT / variant / "dist" / (
                "bare-window" if variant.startswith("bare") else "evidence-organiser")
    sizes = {v: size(b) for v, b in bundles.items()}
    mib = {v: s / 2**20 for v, s in sizes.items()}

    work = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    try:
        app = program(bundles["app"])
        sample = work / "Sample case"
        subprocess.run([str(app), "sample", str(sample)], check=True, stdout=subprocess.DEVNULL,
                       env={"HOME": str(work), "EVIDENCE_APP_HOME": str(work / "app-home"),
                            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        cases = {
            "bare window": [str(program(bundles["bare"])), "-"],
            "app, welcome page": [str(app), "--exit-when-shown"],
            "app, sample case open": [str(app), "--case", str(sample), "--exit-when-shown"],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for run in range(args.runs + 1):  # the first round warms the page cache; kept apart
            for n, (name, argv) in enumerate(cases.items()):
                home = work / f"home-{run}-{n}"
                home.mkdir()
                times[name].append(start([a for a in argv if a != "-"], home))
        first = {name: t[0] for name, t in times.items()}
        med = {name: statistics.median(t[1:]) for name, t in times.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    parts = {v: components(bundles[v]) for v in ("app", "bare")}
    print("\nWhat the app's and the bare window's bundles hold (MiB, largest first):")
    for label in sorted(set(parts["app"]) | set(parts["bare"]),
                        key=lambda k: -max(parts["app"].get(k, 0), parts["bare"].get(k, 0))):
        app_mib, bare_mib = (parts[v].get(label, 0) / 2**20 for v in ("app", "bare"))
        if max(app_mib, bare_mib) >= 0.5:
            print(f"  {label:52s} {app_mib:6.1f} {bare_mib:6.1f}")
    print("\nSize (MiB, files in the bundle folder):")
    for v in variants:
        print(f"  {v:14s} {mib[v]:7.1f}")
    print(f"  app / bare          {sizes['app'] / sizes['bare']:.2f}x (target < 1.5x)")
    if "bare-trimmed" in sizes:
        print(f"  app / bare-trimmed  {sizes['app'] / sizes['bare-trimmed']:.2f}x")
    if "unexcluded" in sizes:
        print(f"  exclusions save     {mib['unexcluded'] - mib['app']:.1f} MiB")
    print(f"\nStart to shown window (s; median of {args.runs}, first run apart):")
    for name in cases:
        print(f"  {name:24s} median {med[name]:.2f}  first {first[name]:.2f}  "
              f"all {' '.join(f'{t:.2f}' for t in times[name][1:])}")
    for name in ("app, welcome page", "app, sample case open"):
        print(f"  {name} / bare: {med[name] / med['bare window']:.2f}x (target < 2x)")
    met = sizes["app"] / sizes["bare"] < 1.5 and \
        med["app, welcome page"] / med["bare window"] < 2
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
