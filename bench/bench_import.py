"""Import speed: our importer beside a plain baseline, measured in the same run.

Files: 300 phone photos (4032x3024 JPEG, about 5 MB, with EXIF time, camera and GPS)
and 300 phone screenshots (1170x2532 PNG with message bubbles, text and a photo).
They are generated once into bench/out/import-set/ and reused.

Baseline: what any script would do with the same files and a 2-process pool: read,
SHA-256, copy, and a 256 px JPEG thumbnail. No database, no EXIF, no fsync.
Ours: `import_files` into a fresh case (atomic fsynced originals, EXIF and capture
time, orientation-aware thumbnails, one committed row and audit event per file).

Target: our files/s at least 70% of the baseline's. The two alternate every 50 files
(so both meet the same background load on a shared machine); each does every file once
per round, and the best round of each is kept.

    .venv/bin/python bench/bench_import.py [--photos 300] [--screenshots 300] [--rounds 2]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import shutil
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OUT = ROOT / "bench" / "out"
SET_VERSION = "1"
TARGET = 0.70


# --------------------------------------------------------------------------- the files
def _photo(job: tuple[Path, int]) -> None:
    from fixtures.media_factory import LONDON, make_exif
    from PIL import Image, ImageDraw

    path, seed = job
    rnd = random.Random(seed)
    noise = Image.effect_noise((1008, 756), 40).convert("RGB").resize((4032, 3024))
    base = Image.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    img = Image.blend(base, noise, 0.35)
    detail = Image.effect_noise((4032, 3024), 25).convert("RGB")
    img = Image.blend(img, detail, 0.3)
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y = rnd.randrange(4000), rnd.randrange(3000)
        draw.rectangle((x, y, x + rnd.randrange(100, 900), y + rnd.randrange(100, 700)),
                       fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    exif = make_exif(when=f"2024:{rnd.randint(1, 12):02}:{rnd.randint(1, 28):02} "
                          f"{rnd.randint(0, 23):02}:{rnd.randint(0, 59):02}:00",
                     offset="+01:00", subsec="120", make="Apple", model="iPhone 13",
                     orientation=rnd.choice([1, 6]), gps=LONDON, altitude=20.0)
    img.save(path, "JPEG", quality=90, exif=exif.tobytes())


def _screenshot(job: tuple[Path, int]) -> None:
    from PIL import Image, ImageDraw, ImageFont

    path, seed = job
    rnd = random.Random(seed)
    img = Image.new("RGB", (1170, 2532), (246, 246, 246))
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.load_default(size=40)
    except TypeError:  # Pillow without FreeType
        font = ImageFont.load_default()
    draw.rectangle((0, 0, 1170, 140), fill=(28, 28, 30))
    draw.text((60, 60), f"{rnd.randint(0, 23):02}:{rnd.randint(0, 59):02}", fill="white", font=font)
    photo = Image.effect_noise((300, 225), 60).convert("RGB").resize((900, 675))
    img.paste(photo, (135, 900 + rnd.randrange(400)))
    y = 200
    words = ["why", "are", "you", "ignoring", "me", "I", "saw", "you", "at", "the", "station", "today", "answer", "the", "phone"]
    while y < 2350:
        left = rnd.random() < 0.5
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 8)))
        width = min(900, 40 + 22 * len(text))
        x0 = 40 if left else 1130 - width
        draw.rounded_rectangle((x0, y, x0 + width, y + 110), radius=36,
                               fill=(229, 229, 234) if left else (10, 132, 255))
        draw.text((x0 + 30, y + 30), text, fill="black" if left else "white", font=font)
        y += 150
        if 900 < y < 1700:
            y = 1700
    img.save(path, "PNG")


def ensure_files(photos: int, screenshots: int) -> Path:
    folder = OUT / "import-set"
    marker = folder / f".complete-v{SET_VERSION}-{photos}-{screenshots}"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"generating {photos} photos and {screenshots} screenshots in {folder} (once)...",
          flush=True)
    start = time.perf_counter()
    jobs_p = [(folder / f"IMG_{i:04}.JPG", i) for i in range(photos)]
    jobs_s = [(folder / f"Screenshot_202403{i % 28 + 1:02}-{i % 24:02}{i % 60:02}00.png", 10_000 + i)
              for i in range(screenshots)]
    with Pool(2) as pool:
        pool.map(_photo, jobs_p, chunksize=4)
        pool.map(_screenshot, jobs_s, chunksize=4)
    marker.touch()
    print(f"  generated in {time.perf_counter() - start:.0f} s", flush=True)
    return folder


# --------------------------------------------------------------------------- baseline
def _baseline_one(job: tuple[str, str]) -> str:
    from PIL import Image

    src, out = job
    data = Path(src).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    Path(out, sha).write_bytes(data)
    with Image.open(io.BytesIO(data)) as img:
        img.thumbnail((256, 256))
        img.convert("RGB").save(Path(out, sha + ".jpg"), "JPEG", quality=85)
    return sha


def run_round(files: list[Path], work: Path, chunk: int, workers: int | None,
              ) -> tuple[float, float]:
    """One pass over every file by both, alternating chunk by chunk so that both meet
    the same background load. Returns (baseline seconds, importer seconds)."""
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.files import import_files

    out = work / "baseline"
    out.mkdir()
    base = ours = 0.0
    results = []
    with Pool(2) as pool, create_case(work / "case", owner_name="Bench Mark",
                                      initials="BM") as case:
        pool.map(_baseline_one, [], chunksize=1)  # workers started before timing
        for i in range(0, len(files), chunk):
            part = files[i:i + chunk]
            start = time.perf_counter()
            hashes = pool.map(_baseline_one, [(str(f), str(out)) for f in part], chunksize=2)
            base += time.perf_counter() - start
            assert len(set(hashes)) == len(part)
            start = time.perf_counter()
            results += [e.item for e in import_files(case, part, workers=workers) if e.item]
            ours += time.perf_counter() - start
    bad = [r for r in results if r.status != "imported" or not r.preview]
    assert len(results) == len(files) and not bad, bad[:3]
    shutil.rmtree(out)
    shutil.rmtree(work / "case")
    return base, ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--screenshots", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="importer threads")
    parser.add_argument("--chunk", type=int, default=50, help="files per alternation")
    args = parser.parse_args()
    folder = ensure_files(args.photos, args.screenshots)
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    size = sum(p.stat().st_size for p in files)
    for f in files:  # same page-cache state for both: everything read once first
        f.read_bytes()
    # Photos and screenshots mixed, in a fixed order, so every chunk holds both.
    random.Random(7).shuffle(files)
    base_times, our_times = [], []
    with tempfile.TemporaryDirectory(prefix="bench-import-", dir=OUT) as tmp:
        for _ in range(args.rounds):
            base_s, ours_s = run_round(files, Path(tmp), args.chunk, args.workers)
            base_times.append(base_s)
            our_times.append(ours_s)
    n = len(files)
    base, ours = n / min(base_times), n / min(our_times)
    ratio = ours / base
    print(f"import: {n} files ({args.photos} photos 4032x3024 JPEG, {args.screenshots} "
          f"screenshots 1170x2532 PNG; {size / 1e6:.0f} MB), {os.cpu_count()} CPUs")
    print(f"  baseline (hash+copy+thumbnail, 2 processes): {base:6.1f} files/s  "
          f"(runs: {', '.join(f'{t:.1f}' for t in base_times)} s)")
    print(f"  importer (evidence_app.core.importers.files)      : {ours:6.1f} files/s  "
          f"(runs: {', '.join(f'{t:.1f}' for t in our_times)} s)")
    print(f"  ratio: {ratio:.0%} of the baseline (target {TARGET:.0%})")
    if ratio < TARGET:
        print("FAIL: below target")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
