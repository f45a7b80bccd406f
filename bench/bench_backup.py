"""Backup and restore speed beside a plain `cp -r` of the same case folder, in the same
run, and an incremental backup after 10 new photos beside a full one.

Case: --photos phone-sized JPEGs (noise-heavy, about 2.5 MB each, so they do not
compress) imported with `import_files` into a fresh case (so restore's check re-hashes
real exhibits). The photos are generated once into bench/out/backup-set/ and reused.

Measured, alternating, best of --rounds:
- `cp -r CASE DEST` (no fsync: the baseline any person would use);
- `backup_case(case, folder, full=True)`: SQLite backup API snapshot, every original
  hashed while written into one stored zip, fsync, rename;
- `restore_backup(file, NEWDIR)`: every entry checked against its manifest hash while
  unpacked, all files fsynced together, the case opened and verified (an original whose
  unpacked bytes hashed to its stored name is not re-read; everything else is checked);
- an incremental backup into the same folder after 10 new photos are imported.

Targets: backup and restore MB/s at least half of cp -r's (within 2x); the incremental
backup under 5% of the full one's time and size.

    .venv/bin/python bench/bench_backup.py [--photos 150] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
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


def fsync_tree(folder: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def sync(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(sync, [p for p in folder.rglob("*")] + [folder]))


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    from evidence_app.core.cases import DERIVED, create_case, open_case
    from evidence_app.core.importers.files import import_files
    from evidence_app.core.store.backup import backup_case
    from evidence_app.core.store.restore import restore_backup

    work = Path(tempfile.mkdtemp(prefix="bench-backup-", dir=OUT if OUT.exists() else None))
    try:
        files = photos(args.photos)
        extra = photos(10, start=100_000)
        folder = work / "case"
        with create_case(folder, owner_name="Bench Mark", initials="BM") as case:
            for _ in import_files(case, files):
                pass
        size = folder_size(folder)
        print(f"case: {len(files)} photos, {size / 1e6:.0f} MB on disk "
              f"(originals, database, thumbnails)")
        best: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for r in range(args.rounds):
            steps = ["cp", "backup", "restore"]
            if r % 2:
                steps.reverse()
            backup_file: Path | None = None
            for step in steps:
                dest = work / f"{step}-{r}"
                if step == "cp":
                    seconds, _ = timed(lambda dest=dest: subprocess.run(
                        ["cp", "-r", str(folder), str(dest)], check=True))
                    sizes["cp"] = sizes["cp+fsync"] = folder_size(dest)
                    # What durability costs: the same copy's files then made durable as
                    # restore makes its own (fsynced together, 8 at a time).
                    synced, _ = timed(lambda dest=dest: fsync_tree(dest))
                    best["cp+fsync"] = min(best.get("cp+fsync", seconds + synced),
                                           seconds + synced)
                    shutil.rmtree(dest)
                elif step == "backup":
                    dest.mkdir()
                    with open_case(folder) as case:
                        seconds, result = timed(lambda case=case, dest=dest: list(
                            backup_case(case, dest, full=True))[-1].item)
                    backup_file = result.path  # type: ignore[attr-defined]
                    sizes["backup"] = backup_file.stat().st_size
                else:
                    if backup_file is None:  # restore first this round: make one
                        (work / "pre").mkdir(exist_ok=True)
                        with open_case(folder) as case:
                            backup_file = list(backup_case(case, work / "pre",
                                                           full=True))[-1].item.path
                    seconds, _ = timed(lambda dest=dest, f=backup_file: list(
                        restore_backup(f, dest, derived=DERIVED)))
                    sizes["restore"] = backup_file.stat().st_size
                    shutil.rmtree(dest)
                best[step] = min(best.get(step, seconds), seconds)
                print(f"round {r + 1}: {step:8} {seconds:6.2f} s", flush=True)
            for leftover in ("pre", f"backup-{r}"):
                shutil.rmtree(work / leftover, ignore_errors=True)
        # Incremental: a full backup into each of --rounds folders, 10 new photos, then
        # the next backup into each folder; the best of each kind.
        usbs = [work / f"usb-{r}" for r in range(args.rounds)]
        fulls, incs = [], []
        with open_case(folder) as case:
            for usb in usbs:
                usb.mkdir()
                fulls.append(timed(lambda usb=usb: list(backup_case(case, usb))[-1].item))
            for _ in import_files(case, extra):
                pass
            for usb in usbs:
                incs.append(timed(lambda usb=usb: list(backup_case(case, usb))[-1].item))
        (full_s, full), (inc_s, inc) = min(fulls, key=lambda t: t[0]), min(incs,
                                                                          key=lambda t: t[0])
        print("full backups into a folder: " + ", ".join(f"{t:.2f} s" for t, _ in fulls))
        print("incremental after 10 new photos: " + ", ".join(f"{t:.2f} s" for t, _ in incs))
        mbps = {k: sizes[k] / 1e6 / best[k] for k in best}
        print()
        print("| | time | MB | MB/s | vs cp -r |")
        print("|---|---|---|---|---|")
        for k, label in (("cp", "cp -r of the case folder"),
                         ("cp+fsync", "cp -r, then every file fsynced"),
                         ("backup", "backup (full)"),
                         ("restore", "restore (unpack, check, verify)")):
            print(f"| {label} | {best[k]:.2f} s | {sizes[k] / 1e6:.0f} | {mbps[k]:.0f} | "
                  f"{mbps[k] / mbps['cp']:.2f}x |")
        fs, isz = full.size, inc.size  # type: ignore[attr-defined]
        print(f"| full backup into the folder | {full_s:.2f} s | {fs / 1e6:.1f} | | |")
        print(f"| incremental after 10 new photos | {inc_s:.2f} s | {isz / 1e6:.1f} | | "
              f"{inc_s / full_s:.1%} of the time, {isz / fs:.1%} of the size |")
        ok = True
        for k in ("backup", "restore"):
            met = mbps[k] >= SPEED_TARGET * mbps["cp"]
            ok &= met
            print(f"{k}: {mbps[k] / mbps['cp']:.2f}x cp -r's MB/s "
                  f"(target >= {SPEED_TARGET}x): {'met' if met else 'NOT met'}")
        met = inc_s / full_s < INCREMENTAL_TARGET and isz / fs < INCREMENTAL_TARGET
        ok &= met
        print(f"incremental: {inc_s / full_s:.1%} time, {isz / fs:.1%} size (target < 5%): "
              f"{'met' if met else 'NOT met'}")
        print(f"(load average {os.getloadavg()[0]:.1f}; a shared machine)")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
