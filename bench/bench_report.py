"""Benchmark: the evidence report for 300 incidents with 600 phone photos, against img2pdf.

    .venv/bin/python bench/bench_report.py [--incidents 300] [--photos 600] [--keep DIR]

Builds a case of 300 incidents with 600 twelve-megapixel JPEGs (4032x3024, camera EXIF,
half of them rotated), then, each in a fresh process so peak memory is its own:

1. `build_report` (police profile, one picture per row, A4);
2. the baseline: the same pictures downscaled by the same function to the same pixel
   size, placed one per page by img2pdf.

Targets (issue 4): report time <= 2x baseline, size <= 1.15x baseline, peak RSS < 500 MB.
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

ROOT = Path(__file__).resolve().parent.parent
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


def _unique(base: object, serial: int) -> bytes:
    """A base photo with its own small mark, so no two pictures are the same."""
    from PIL import ImageDraw

    img = base.copy()  # type: ignore[attr-defined]
    draw = ImageDraw.Draw(img)
    x, y = 200 + (serial * 37) % 3400, 200 + (serial * 53) % 2400
    draw.rectangle([x, y, x + 400, y + 300], fill=((serial * 7) % 255, (serial * 13) % 255, 90))
    draw.text((x + 20, y + 20), f"photo {serial}", fill="white")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return _with_exif(buf.getvalue(), serial)


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
    from PIL import Image

    bases = [Image.open(io.BytesIO(data)) for data in _base_photos(6)]
    for n in range(photos):
        (files / f"IMG_{n:04d}.jpg").write_bytes(_unique(bases[n % len(bases)], n))
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


def child_report(case_dir: Path, out: Path) -> dict:
    from evidence_app.core.cases import open_case
    from evidence_app.core.report import ReportOptions, build_report

    start = time.perf_counter()
    with open_case(case_dir) as case:
        result = None
        for event in build_report(case, ReportOptions.for_profile("police"), out):
            result = event.item or result
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": out.stat().st_size, "pages": result.pages,
            "peak_mb": _peak_mb()}


def child_baseline(case_dir: Path, out: Path) -> dict:
    """Same pictures, same downscaling, same pixel size, placed by img2pdf."""
    import img2pdf

    from evidence_app.core.cases import open_case
    from evidence_app.core.report.data import load_incidents
    from evidence_app.core.report.figures import GAP
    from evidence_app.core.report.images import PHOTO_DPI, downscaled_jpeg, oriented_size
    from evidence_app.core.report.incident_pages import CAPTION_BESIDE, FULL_BOX, is_portrait
    from evidence_app.core.report.options import ReportOptions
    from evidence_app.core.report.styles import MARGIN, page_size

    start = time.perf_counter()
    text_width = page_size(ReportOptions().paper)[0] - 2 * MARGIN
    # The box the report fits each photo into before shrinking a row to fit the rest of
    # a page: full width, or beside its caption when portrait. The report's pictures
    # are this size or smaller, so the baseline's are never the smaller ones.
    max_h = FULL_BOX["photo"][0]
    with open_case(case_dir) as case:
        atts = [a for inc in load_incidents(case, ReportOptions()) for a in inc.attachments]
        jpegs = []
        for att in atts:
            w, h = oriented_size(att.width, att.height, att.orientation)  # type: ignore[misc]
            width = text_width - CAPTION_BESIDE - GAP if is_portrait(att) else text_width
            scale = min(width / w, max_h / h)
            wanted = round(max(w * scale, h * scale) * PHOTO_DPI / 72)
            data, _, _ = downscaled_jpeg(case.originals.opener(att.sha256), wanted)
            jpegs.append(data)
    layout = img2pdf.get_fixed_dpi_layout_fun((PHOTO_DPI, PHOTO_DPI))
    out.write_bytes(img2pdf.convert(jpegs, layout_fun=layout))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": out.stat().st_size, "pages": len(jpegs),
            "peak_mb": _peak_mb()}


def _run_child(kind: str, case_dir: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(case_dir), str(out)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--photos", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="build the case here and keep it")
    parser.add_argument("--scripts", action="store_true",
                        help="descriptions also quote Arabic, Urdu, Hebrew and Indic text")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, case_dir, out = args.child
        fn = child_report if kind == "report" else child_baseline
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
        report = _run_child("report", case_dir, work / "report.pdf")
        base = _run_child("baseline", case_dir, work / "img2pdf.pdf")
        ratio_t = report["seconds"] / base["seconds"]
        ratio_s = report["bytes"] / base["bytes"]
        print(f"report:   {report['seconds']:6.1f} s  {report['bytes'] / 1e6:6.1f} MB  "
              f"{report['pages']} pages  peak {report['peak_mb']:.0f} MB")
        print(f"img2pdf:  {base['seconds']:6.1f} s  {base['bytes'] / 1e6:6.1f} MB  "
              f"{base['pages']} pages  peak {base['peak_mb']:.0f} MB")
        ok = ratio_t <= 2 and ratio_s <= 1.15 and report["peak_mb"] < 500
        print(f"ratio:    time {ratio_t:.2f}x (target <= 2)  size {ratio_s:.3f}x (target <= 1.15)"
              f"  peak {report['peak_mb']:.0f} MB (target < 500)  {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
