"""verify over a case holding about 2 GB of originals, beside `sha256sum` of the same
files, measured in the same run.

The case is made once in bench/out/verify-case/ (200 files of 10 MB of random bytes,
imported as any file would be) and reused. Each round runs `sha256sum` over the stored
originals (the baseline: the least any check of these files must do) and then the
app's full check (`verify_case`: database integrity, audit chain, every record against
the trail, the head, and every original re-hashed), one after the other, so both meet the
same page cache and background load. The best round of each is kept.

Target: verify no slower than sha256sum (ratio <= 1.0).

    .venv/bin/python bench/bench_verify.py [--files 200] [--mb 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


def make_case(folder: Path, files: int, mb: int) -> None:
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.files import import_files

    marker = folder / ".bench-complete"
    if marker.exists() and marker.read_text() == f"{files}x{mb}":
        return
    shutil.rmtree(folder, ignore_errors=True)
    src = OUT / "verify-src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for i in range(files):
        (src / f"recording-{i:04d}.bin").write_bytes(os.urandom(mb * 1024 * 1024))
    with create_case(folder, owner_name="Bench Person", initials="BP") as case:
        for _ in import_files(case, [src]):
            pass
    shutil.rmtree(src)
    marker.write_text(f"{files}x{mb}")


def originals_of(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "originals").glob("??/*") if p.is_file())


def time_sha256sum(paths: list[Path]) -> float:
    start = time.perf_counter()
    subprocess.run(["sha256sum", *map(str, paths)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_verify(folder: Path, workers: int | None = None) -> tuple[float, int, bool]:
    from evidence_app.core.cases import open_case
    from evidence_app.core.store import verify

    default = verify.hash_workers
    if workers is not None:
        verify.hash_workers = lambda: workers  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        with open_case(folder) as case:
            report = verify.run_verify(case)
        return time.perf_counter() - start, report.originals_checked, report.ok
    finally:
        verify.hash_workers = default  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = OUT / "verify-case"
    t0 = time.perf_counter()
    make_case(folder, args.files, args.mb)
    print(f"case ready in {time.perf_counter() - t0:.1f} s")
    paths = originals_of(folder)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} originals, {total / 1e9:.2f} GB; load before: {os.getloadavg()}")
    best_sum = best_verify = best_one = float("inf")
    for n in range(args.rounds):
        s = time_sha256sum(paths)
        v, checked, ok = time_verify(folder)
        assert ok and checked == len(paths), (ok, checked)
        one, _, _ = time_verify(folder, workers=1)
        best_sum, best_verify, best_one = min(best_sum, s), min(best_verify, v), min(best_one, one)
        print(f"round {n + 1}: sha256sum {s:.2f} s ({total / s / 1e6:.0f} MB/s), "
              f"verify {v:.2f} s ({total / v / 1e6:.0f} MB/s), "
              f"verify on one thread {one:.2f} s ({total / one / 1e6:.0f} MB/s)")
    print(f"best: sha256sum {best_sum:.2f} s, verify {best_verify:.2f} s (one thread "
          f"{best_one:.2f} s), ratio {best_verify / best_sum:.2f} (target <= 1.0); "
          f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
