"""Backup and restore speed beside a plain `cp -r` of the same case folder, in the same
run, and an incremental backup after 10 new photos beside a full one.

Case: --photos phone-sized JPEGs (noise-heavy, about 3.2 MB each, so they do not
compress) imported with `import_files` into a fresh case (so restore's check re-hashes
real exhibits). The photos are generated once into bench/out/backup-set/ and reused.
The default, 500 photos (1.6 GB), is the case of a person who has kept evidence for a
year or more; `--photos 150` is the earlier, smaller bench case.

Fair comparison: the case folder and the backup file are read once before timing, so
`cp -r` and restore both start from a warm page cache; then --pairs interleaved pairs
(cp first in even pairs, ours first in odd ones), and the MEDIAN of the pairs' ratios.
Two baselines, both timed in each pair:
- `cp -r CASE DEST` alone: leaves the copy in the page cache, nothing yet on disk;
- `cp -r CASE DEST; sync -f DEST`: the same copy made durable. Restore and backup both
  promise durability (everything fsynced before the case or backup file appears), so
  this is the like-for-like baseline and the one the 2x target is judged on.

Measured:
- `restore_backup(file, NEWDIR)`: every entry checked against its manifest hash while
  unpacked, all files fsynced together, the case opened and verified;
- `backup_case(case, folder, full=True)`: SQLite backup API snapshot, every original
  hashed while written into one stored zip, fsync, rename;
- per round, a full backup into a new folder, 10 new photos imported, and the next
  (incremental) backup into the same folder: its time as a share of that full one's.

Targets: backup and restore MB/s at least half of the baseline's (within 2x); the
incremental backup under 5% of the full one's time and size.

    .venv/bin/python bench/bench_backup.py [--photos 500] [--pairs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OUT = ROOT / "bench" / "out"
SET = OUT / "backup-set"
SPEED_TARGET = 0.5   # ours at least half cp -r's MB/s
INCREMENTAL_TARGET = 0.05


def _photo(path: Path, seed: int) -> None:
    from fixtures.media_factory import make_exif
    from PIL import Image

    rnd = random.Random(seed)
    img = Image.effect_noise((2400, 1800), 60 + seed % 20).convert("RGB")
    tint = Image.new("RGB", img.size, (rnd.randrange(256), rnd.randrange(256),
                                       rnd.randrange(256)))
    img = Image.blend(img, tint, 0.3)
    exif = make_exif(when=f"2024:{rnd.randint(1, 12):02}:{rnd.randint(1, 28):02} 12:00:00",
                     make="Apple", model="iPhone 13")
    img.save(path, "JPEG", quality=93, exif=exif.tobytes())


def photos(n: int, start: int = 0) -> list[Path]:
    SET.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        path = SET / f"IMG_{i:04}.jpg"
        if not path.exists():
            _photo(path, i)
        out.append(path)
    return out


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def warm(path: Path) -> None:
    """Read every file under `path` once (so the timed runs start from the page cache)."""
    for p in [path] if path.is_file() else path.rglob("*"):
        if p.is_file():
            with open(p, "rb") as fh:
                while fh.read(8 << 20):
                    pass


def copy_pair(folder: Path, dest: Path) -> tuple[float, float]:
    """(cp -r alone, cp -r then sync -f of the copy) in seconds; the copy removed."""
    start = time.perf_counter()
    subprocess.run(["cp", "-r", str(folder), str(dest)], check=True)
    copied = time.perf_counter() - start
    subprocess.run(["sync", "-f", str(dest)], check=True)
    synced = time.perf_counter() - start
    shutil.rmtree(dest)
    return copied, synced


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args(argv)

    from evidence_app.core.cases import DERIVED, create_case, open_case
    from evidence_app.core.importers.files import import_files
    from evidence_app.core.store.backup import backup_case
    from evidence_app.core.store.restore import restore_backup

    work = Path(tempfile.mkdtemp(prefix="bench-backup-", dir=OUT if OUT.exists() else None))
    try:
        files = photos(args.photos)
        extras = [photos(10, start=100_000 + 10 * r) for r in range(args.pairs)]
        folder = work / "case"
        with create_case(folder, owner_name="Bench Mark", initials="BM") as case:
            for _ in import_files(case, files):
                pass
        size = folder_size(folder)
        print(f"case: {len(files)} photos, {size / 1e6:.0f} MB on disk "
              f"(originals, database, thumbnails); load average {os.getloadavg()[0]:.1f}")
        (work / "first").mkdir()
        with open_case(folder) as case:
            backup_file = list(backup_case(case, work / "first", full=True))[-1].item.path
        bsize = backup_file.stat().st_size
        warm(folder)
        warm(backup_file)
        rows: dict[str, list[float]] = {k: [] for k in (
            "cp", "cp+sync", "restore", "restore/cp", "restore/cp+sync",
            "bcp", "bcp+sync", "backup", "backup/cp", "backup/cp+sync")}
        for r in range(args.pairs):
            order = ["cp", "ours"] if r % 2 == 0 else ["ours", "cp"]
            for step in order:  # restore beside cp -r
                if step == "cp":
                    cp, cps = copy_pair(folder, work / "cp")
                else:
                    dest = work / "restored"
                    ours, _ = timed(lambda dest=dest: list(
                        restore_backup(backup_file, dest, derived=DERIVED)))
                    shutil.rmtree(dest)
            rows["cp"].append(cp)
            rows["cp+sync"].append(cps)
            rows["restore"].append(ours)
            rows["restore/cp"].append((bsize / ours) / (size / cp))
            rows["restore/cp+sync"].append((bsize / ours) / (size / cps))
            print(f"pair {r + 1} ({' then '.join(order)}): cp -r {cp:.2f} s, "
                  f"+ sync -f {cps:.2f} s, restore {ours:.2f} s", flush=True)
            for step in reversed(order):  # backup beside cp -r
                if step == "cp":
                    cp, cps = copy_pair(folder, work / "cp")
                else:
                    usb = work / "usb-full"
                    usb.mkdir()
                    with open_case(folder) as case:
                        ours, result = timed(lambda case=case, usb=usb: list(
                            backup_case(case, usb, full=True))[-1].item)
                    made = result.size  # type: ignore[attr-defined]
                    shutil.rmtree(usb)
            rows["bcp"].append(cp)
            rows["bcp+sync"].append(cps)
            rows["backup"].append(ours)
            rows["backup/cp"].append((made / ours) / (size / cp))
            rows["backup/cp+sync"].append((made / ours) / (size / cps))
            print(f"pair {r + 1}: cp -r {cp:.2f} s, + sync -f {cps:.2f} s, "
                  f"full backup {ours:.2f} s", flush=True)
        # Incremental: per round, a full backup into a new folder, 10 new photos, then
        # the next backup into that folder; its share of that round's full backup.
        fulls, incs, shares, sizes = [], [], [], []
        with open_case(folder) as case:
            for r in range(args.pairs):
                usb = work / f"usb-{r}"
                usb.mkdir()
                full_s, full = timed(lambda usb=usb: list(backup_case(case, usb))[-1].item)
                for _ in import_files(case, extras[r]):
                    pass
                inc_s, inc = timed(lambda usb=usb: list(backup_case(case, usb))[-1].item)
                fulls.append(full_s)
                incs.append(inc_s)
                shares.append(inc_s / full_s)
                sizes.append(inc.size / full.size)  # type: ignore[attr-defined]
                print(f"round {r + 1}: full {full_s:.2f} s, incremental {inc_s:.3f} s "
                      f"({inc_s / full_s:.1%} of the time, {sizes[-1]:.1%} of the size)",
                      flush=True)
                shutil.rmtree(usb)
        print()
        print(f"Medians of {args.pairs} interleaved pairs (warm page cache for both):")
        print("| | median time | MB | vs cp -r | vs cp -r + sync -f |")
        print("|---|---|---|---|---|")
        print(f"| cp -r of the case folder | {median(rows['cp']):.2f} s | {size / 1e6:.0f} "
              f"| 1.00x | |")
        print(f"| cp -r, then sync -f | {median(rows['cp+sync']):.2f} s | {size / 1e6:.0f} "
              f"| | 1.00x |")
        print(f"| restore | {median(rows['restore']):.2f} s | {bsize / 1e6:.0f} | "
              f"{median(rows['restore/cp']):.2f}x | {median(rows['restore/cp+sync']):.2f}x |")
        print(f"| full backup | {median(rows['backup']):.2f} s | {bsize / 1e6:.0f} | "
              f"{median(rows['backup/cp']):.2f}x | {median(rows['backup/cp+sync']):.2f}x |")
        print(f"(backup's own pairs: cp -r {median(rows['bcp']):.2f} s, + sync -f "
              f"{median(rows['bcp+sync']):.2f} s)")
        print(f"| incremental after 10 new photos | {median(incs):.3f} s | | "
              f"{median(shares):.1%} of the full backup's time (median), "
              f"{median(sizes):.1%} of its size | |")
        ok = True
        for k in ("restore", "backup"):
            ratio = median(rows[f"{k}/cp+sync"])
            met = ratio >= SPEED_TARGET
            ok &= met
            print(f"{k}: {ratio:.2f}x the MB/s of cp -r + sync -f (target >= {SPEED_TARGET}x): "
                  f"{'met' if met else 'NOT met'}; {median(rows[f'{k}/cp']):.2f}x cp -r alone "
                  f"(per pair: {', '.join(f'{v:.2f}' for v in rows[f'{k}/cp'])})")
        met = median(shares) < INCREMENTAL_TARGET and median(sizes) < INCREMENTAL_TARGET
        ok &= met
        print(f"incremental: {median(shares):.1%} time, {median(sizes):.1%} size "
              f"(target < 5%): {'met' if met else 'NOT met'}")
        print(f"(load average {os.getloadavg()[0]:.1f}; a shared machine)")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
