"""Thumbnails of very large pictures stay cheap, and hostile files cost nothing.

    .venv/bin/python bench/bench_media.py

1. A 50-megapixel JPEG (8660x5774, EXIF orientation 6) and the same picture as a PNG:
   time and peak memory (Linux VmHWM, reset before each step) to make the 256 px
   thumbnail (`media.analyse`) and a 1600 px page picture (`media.load_display_image`),
   each in a fresh process.
2. Four 50 MP PNGs imported at once (`import_files`, its default worker threads): peak
   memory beside one alone. Decodes over 96 MB take turns, so four cost about one.
3. Every file of the test corpus (devices, formats, damaged and hostile files, videos and
   voice notes): analysed one by one; the total and the slowest file.

Targets: the JPEG thumbnail under 40 MB; four PNGs at once under 1.6x one alone; no
corpus file over 2 s. Exits non-zero when one is missed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OUT = ROOT / "bench" / "out" / "media-set"
SIZE = (8660, 5774)

PROBE = textwrap.dedent("""
    import json, sys, time, tempfile
    from pathlib import Path
    def mb(field):
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    def reset():
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    from evidence_app.core.media.analysis import analyse, load_display_image
    from evidence_app.core.cases import Case, create_case, open_case
    from evidence_app.core.importers.files import import_files
    paths = [Path(p) for p in sys.argv[2:]]
    out = {}
    if sys.argv[1] == "one":
        for step in ("thumb", "page"):
            reset(); base = mb("VmRSS"); start = time.perf_counter()
            if step == "thumb":
                analyse(paths[0], paths[0].name, thumbnail=True)
            else:
                load_display_image(paths[0], max_side=1600)
            out[step] = [time.perf_counter() - start, mb("VmHWM") - base]
    else:
        case = create_case(Path(tempfile.mkdtemp()) / "case", owner_name="Bench", initials="BB")
        reset(); base = mb("VmRSS"); start = time.perf_counter()
        results = [e.item for e in import_files(case, paths) if e.item]
        out["import"] = [time.perf_counter() - start, mb("VmHWM") - base,
                         sum(r.preview for r in results)]
        case.close()
    print(json.dumps(out))
""")


def _probe(mode: str, *paths: Path) -> dict[str, list[float]]:
    done = subprocess.run([sys.executable, "-c", PROBE, mode, *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _make_set() -> tuple[Path, list[Path]]:
    from fixtures.marked import stored_pixels, upright_scene
    from fixtures.media_factory import make_exif

    OUT.mkdir(parents=True, exist_ok=True)
    jpeg = OUT / "PXL_50mp.jpg"
    pngs = [OUT / f"screen_50mp_{i}.png" for i in range(4)]
    if not jpeg.exists() or not all(p.exists() for p in pngs):
        upright = upright_scene(SIZE)
        stored_pixels(upright, 6).save(jpeg, "JPEG", quality=85, exif=make_exif(
            orientation=6, make="Google", model="Pixel 8 Pro").tobytes())
        for i, p in enumerate(pngs):
            upright.putpixel((i, 0), (i, i, i))  # four distinct files, not duplicates
            upright.save(p, "PNG", compress_level=1)
    return jpeg, pngs


def _corpus() -> tuple[float, float, str, int]:
    from fixtures.corpus_av import build_av_samples
    from fixtures.corpus_devices import build_device_samples
    from fixtures.corpus_formats import build_format_samples
    from fixtures.corpus_hostile import build_hostile_samples

    from evidence_app.core.media.analysis import analyse

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        samples = (build_device_samples(folder / "d") + build_format_samples(folder / "f")
                   + build_hostile_samples(folder / "h") + build_av_samples(folder / "a"))
        total, slowest, name = 0.0, 0.0, ""
        for s in samples:
            start = time.perf_counter()
            analyse(s.path, s.name, thumbnail=True)
            took = time.perf_counter() - start
            total += took
            if took > slowest:
                slowest, name = took, s.name
    return total, slowest, name, len(samples)


def main() -> int:
    if not Path("/proc/self/clear_refs").exists():
        print("needs Linux /proc to measure peak memory")
        return 1
    jpeg, pngs = _make_set()
    print(f"{'step':<44} {'seconds':>8} {'peak MB':>8}")
    ok = True
    figures = {}
    for label, path in (("50 MP JPEG", jpeg), ("50 MP PNG", pngs[0])):
        got = _probe("one", path)
        figures[label] = got
        for step, words in (("thumb", "256 px thumbnail"), ("page", "1600 px page picture")):
            seconds, peak = got[step]
            print(f"{label + ', ' + words:<44} {seconds:8.2f} {peak:8.1f}")
    ok &= figures["50 MP JPEG"]["thumb"][1] < 40
    one = _probe("many", pngs[0])["import"]
    four = _probe("many", *pngs)["import"]
    print(f"{'import 1 x 50 MP PNG':<44} {one[0]:8.2f} {one[1]:8.1f}")
    print(f"{'import 4 x 50 MP PNG at once':<44} {four[0]:8.2f} {four[1]:8.1f}")
    ok &= four[1] < 1.6 * one[1] and four[2] == 4
    total, slowest, name, count = _corpus()
    print(f"corpus: {count} files analysed in {total:.2f} s; slowest {slowest:.3f} s ({name})")
    ok &= slowest < 2.0
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
