"""Benchmark: the evidence report for 300 incidents with 600 phone photos, against img2pdf.

    .venv/bin/python bench/bench_report.py [--incidents 300] [--photos 600] [--keep DIR]
                                           [--before TREE]

Builds a case of 300 incidents with 600 twelve-megapixel JPEGs (4032x3024, camera EXIF,
half of them rotated; each with its own mark drawn on it, made on every core), then
runs each of these in a fresh process, so that peak memory is its own:

0. with `--before TREE` (a checkout of the code to compare with, e.g. `git archive main`):
   that code's `build_report`, "today";
1. the first build: `build_report` (police profile, A4) with no renditions kept;
2. the second build: the same, renditions kept from the first;
3. the typesetting floor: the second build with every picture drawn as an empty box
   of its size (the same pages and layout, no picture embedded);
4. the cost of hashing every original again (what checking each original on every build
   would add);
5. the baseline: img2pdf placing the same renditions (the JPEGs the second build
   embedded, taken from its PDF and written as files first) at 150 dpi, one per page.

Targets (issue 10): second build <= 2x baseline, first build no slower than today,
size <= 1.15x baseline, peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_TREE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

PHOTO_SIZE = (4032, 3024)


def _base_photos(n: int) -> list[bytes]:
    """A few distinct photo-like JPEGs (smooth gradients, shapes and grain)."""
    from PIL import Image, ImageDraw, ImageFilter

    out = []
    for i in range(n):
        small = Image.new("RGB", (504, 378))
        draw = ImageDraw.Draw(small)
        for y in range(378):
            draw.line([(0, y), (504, y)], fill=(40 + (i * 23 + y // 3) % 160, 90 + y // 4,
                                                150 - (i * 11) % 90))
        draw.rectangle([60 + i * 7, 200, 300 + i * 5, 330], fill=(170, 170, 180))  # a car
        draw.ellipse([90 + i * 3, 300, 150 + i * 3, 360], fill=(20, 20, 20))
        draw.ellipse([230 + i * 3, 300, 290 + i * 3, 360], fill=(20, 20, 20))
        big = small.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
        noise = Image.effect_noise(PHOTO_SIZE, 18).convert("RGB")
        big = Image.blend(big, noise, 0.08).filter(ImageFilter.SMOOTH)
        buf = io.BytesIO()
        big.save(buf, "JPEG", quality=90)
        out.append(buf.getvalue())
    return out


_BASES: list[object] = []


def _unique(job: tuple[list[bytes], int, Path]) -> None:
    """Photo `serial` as its own file: a base photo with its own mark drawn on it (so no
    two pictures, and no two report renditions, are the same) and its own EXIF."""
    from PIL import Image, ImageDraw

    bases, serial, path = job
    if not _BASES:  # decoded once per worker process
        _BASES.extend(Image.open(io.BytesIO(b)) for b in bases)
    img = _BASES[serial % len(_BASES)].copy()  # type: ignore[attr-defined]
    draw = ImageDraw.Draw(img)
    x, y = 200 + (serial * 37) % 3400, 200 + (serial * 53) % 2400
    draw.rectangle([x, y, x + 400, y + 300], fill=((serial * 7) % 255, (serial * 13) % 255, 90))
    draw.text((x + 20, y + 20), f"photo {serial}", fill="white")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    path.write_bytes(_with_exif(buf.getvalue(), serial))


def _with_exif(jpeg: bytes, serial: int) -> bytes:
    """The same pixels with their own camera EXIF."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    exif[0x0112] = 6 if serial % 2 else 1
    day, minute = 1 + serial // 48 % 28, serial % 60
    exif[0x8769] = {0x9003: f"2025:{1 + serial // 96 % 12:02d}:{day:02d} 12:{minute:02d}:00"}
    payload = b"Exif\x00\x00" + exif.tobytes()
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


# With --scripts, every incident also quotes messages in Arabic, Urdu, Hebrew, Hindi and
# Bengali (about 600 characters of shaped, partly right-to-left text).
QUOTES = (" He wrote: \"سأجدك أينما ذهبت، لا تخبري الشرطة\" and \"میں تمہیں ڈھونڈ لوں گا\"."
          " Also: \"אני יודע איפה את גרה\", \"मैं तुम्हें ढूंढ लूंगा\", \"আমি তোমাকে খুঁজে পাব\".")


def make_case(folder: Path, incidents: int, photos: int, scripts: bool = False) -> Path:
    from evidence_app.core.cases import create_case
    from evidence_app.core.dates import parse_when
    from evidence_app.core.importers.files import import_files
    from evidence_app.core.incidents import create_incident

    files = folder / "photos"
    files.mkdir(parents=True)
    import multiprocessing

    bases = _base_photos(6)
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        pool.map(_unique, [(bases, n, files / f"IMG_{n:04d}.jpg") for n in range(photos)],
                 chunksize=8)
    case_dir = folder / "case"
    per = max(1, photos // incidents)
    with create_case(case_dir, owner_name="Jane Smith", initials="JS",
                     case_name="Benchmark case") as case:
        for i in range(incidents):
            when = parse_when(f"{1 + i % 28:02d}/{1 + i // 28 % 12:02d}/2025 18:{i % 60:02d}",
                              "Europe/London")
            inc = create_incident(
                case, when=when, title=f"Silver car outside the house ({i + 1})",
                category="loitering", location="Outside home",
                description="The car was parked opposite for about an hour. " * 4
                + (QUOTES * 3 if scripts else ""),
                impact="I stayed inside and kept the curtains closed.")
            batch = [files / f"IMG_{n:04d}.jpg" for n in range(i * per, min(photos, (i + 1) * per))]
            for event in import_files(case, batch, inc):
                if event.item is not None and event.item.status != "imported":
                    raise SystemExit(f"import failed: {event.item}")
    return case_dir


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process, every thread (the report lays out on its own)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_report(case_dir: Path, out: Path) -> dict:
    from evidence_app.core.cases import open_case
    from evidence_app.core.report import ReportOptions, build_report

    start, cpu = time.perf_counter(), _cpu()
    with open_case(case_dir) as case:
        result = None
        for event in build_report(case, ReportOptions.for_profile("police"), out):
            result = event.item or result
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu": _cpu() - cpu, "bytes": out.stat().st_size,
            "pages": result.pages, "peak_mb": _peak_mb()}


def child_typeset(case_dir: Path, out: Path) -> dict:
    """The second build with every picture drawn as an empty box of its size: the same
    pages, text and layout, no picture read or embedded (the typesetting floor)."""
    from evidence_app.core.report.images import ExhibitPicture
    from evidence_app.core.report.styles import RULE

    def empty_box(self: ExhibitPicture) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)

    ExhibitPicture.draw = empty_box  # type: ignore[method-assign]
    return child_report(case_dir, out)


def child_hash(case_dir: Path, out: Path) -> dict:
    """Every exhibit's original read and hashed again, as `verify` does."""
    from evidence_app.core.cases import open_case
    from evidence_app.core.report.data import load_incidents
    from evidence_app.core.report.options import ReportOptions

    with open_case(case_dir) as case:
        atts = [a for inc in load_incidents(case, ReportOptions()) for a in inc.attachments]
        start, cpu = time.perf_counter(), _cpu()
        problems = [a for a in atts if case.originals.verify(a.sha256)]
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu": _cpu() - cpu, "bytes": sum(a.size for a in atts), "pages": len(atts),
            "peak_mb": _peak_mb(), "problems": len(problems)}


def child_baseline(report_pdf: Path, out: Path) -> dict:
    """img2pdf placing the JPEGs the report embedded, as files, at 150 dpi."""
    import img2pdf
    import pikepdf

    folder = out.parent / "renditions"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    files = []
    seen: set[tuple[int, int]] = set()

    def collect(resources: pikepdf.Object) -> None:
        for xobj in (resources.get("/XObject") or {}).values():
            if xobj.objgen in seen:
                continue
            seen.add(xobj.objgen)
            if xobj.get("/Subtype") == pikepdf.Name.Image:
                if "/DCTDecode" in str(xobj.get("/Filter")):
                    files.append(folder / f"{len(files):04d}.jpg")
                    files[-1].write_bytes(xobj.read_raw_bytes())
            elif "/Resources" in xobj:  # reportlab wraps each picture in a form
                collect(xobj.Resources)

    with pikepdf.open(report_pdf) as pdf:
        for page in pdf.pages:
            collect(page.Resources)
    start, cpu = time.perf_counter(), _cpu()
    layout = img2pdf.get_fixed_dpi_layout_fun((150, 150))
    out.write_bytes(img2pdf.convert([str(f) for f in files], layout_fun=layout))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu": _cpu() - cpu, "bytes": out.stat().st_size, "pages": len(files),
            "peak_mb": _peak_mb()}


def _run_child(kind: str, case_dir: Path, out: Path, tree: Path | None = None) -> dict:
    env = dict(os.environ)
    if tree is not None:
        env["BENCH_TREE"] = str(tree)
        env["PYTHONPATH"] = str(tree)
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(case_dir), str(out)],
                          capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _clear_renditions(case_dir: Path) -> int:
    from evidence_app.core.cases import open_case

    with open_case(case_dir) as case:
        return case.cache.clear_renditions()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--photos", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="build the case here and keep it")
    parser.add_argument("--scripts", action="store_true",
                        help="descriptions also quote Arabic, Urdu, Hebrew and Indic text")
    parser.add_argument("--before", type=Path,
                        help="also build with the code in this tree (e.g. main's), first")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, case_dir, out = args.child
        fn = {"report": child_report, "typeset": child_typeset, "hash": child_hash,
              "baseline": child_baseline}[kind]
        print(json.dumps(fn(Path(case_dir), Path(out))))
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        case_dir = work / "case"
        if not (case_dir / "case.db").exists():
            t = time.perf_counter()
            make_case(work, args.incidents, args.photos, args.scripts)
            print(f"case: {args.incidents} incidents, {args.photos} photos "
                  f"({time.perf_counter() - t:.0f} s to build)")
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        rows: list[tuple[str, dict]] = []
        if args.before is not None:
            rows.append(("today (--before)", _run_child("report", case_dir, work / "before.pdf",
                                                        args.before.resolve())))
        _clear_renditions(case_dir)
        first = _run_child("report", case_dir, work / "first.pdf")
        second = _run_child("report", case_dir, work / "second.pdf")
        typeset = _run_child("typeset", case_dir, work / "typeset.pdf")
        hashing = _run_child("hash", case_dir, work / "unused")
        base = _run_child("baseline", work / "second.pdf", work / "img2pdf.pdf")
        rows += [("first build", first), ("second build", second),
                 ("typesetting only", typeset), ("img2pdf", base)]
        for name, r in rows:
            print(f"{name:17} {r['seconds']:6.1f} s (CPU {r.get('cpu', 0):5.1f} s)  "
                  f"{r['bytes'] / 1e6:6.1f} MB  "
                  f"{r['pages']} pages  peak {r['peak_mb']:.0f} MB")
        print(f"re-hashing every original: {hashing['seconds']:.1f} s "
              f"(CPU {hashing['cpu']:.1f} s) for "
              f"{hashing['bytes'] / 1e9:.2f} GB ({hashing['pages']} originals)")
        ratio_t = second["seconds"] / base["seconds"]
        ratio_cpu = second["cpu"] / base["cpu"]
        ratio_s = second["bytes"] / base["bytes"]
        peak = max(first["peak_mb"], second["peak_mb"])
        ok = ratio_t <= 2 and ratio_s <= 1.15 and peak < 500
        line = (f"ratio: second build {ratio_t:.2f}x img2pdf (CPU {ratio_cpu:.2f}x; target <= 2;"
                f" typesetting alone {typeset['cpu'] / second['cpu']:.2f}x the second build's"
                " CPU)"
                f"  size "
                f"{ratio_s:.3f}x (target <= 1.15)  peak {peak:.0f} MB (target < 500)")
        if args.before is not None:
            today = rows[0][1]
            ok = ok and first["cpu"] <= today["cpu"] * 1.05
            line += (f"  first build {first['seconds'] / today['seconds']:.2f}x today "
                     f"(CPU {first['cpu'] / today['cpu']:.2f}x; target <= 1)")
        print(f"{line}  {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
