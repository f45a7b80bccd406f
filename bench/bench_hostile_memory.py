"""Peak memory of importing hostile and odd pictures: Pillow's and pillow-heif's own test
images (about 1,130 files: truncated, malformed, huge-claiming, every mode and codec).

The folders are given on the command line (copies of python-pillow/Pillow Tests/images
and bigcat88/pillow_heif tests/images). `evidence-app import` runs in a child process on
a fresh case; the resident memory of it and of every process it starts (the picture
readers) is summed every 20 ms, and the peak of that sum is reported, with the time taken
and how many lines reached the terminal's error stream.

Target: the peak under 500 MB.

    .venv/bin/python bench/bench_hostile_memory.py PILLOW_IMAGES HEIF_IMAGES [--src DIR]

`--src` runs the app from another source tree (e.g. `git archive` of an older commit),
to measure before and after in the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 500


def _tree_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants (Linux /proc), and of the
    process alone."""
    total = own = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    own = own or int(line.split()[1]) * 1024
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total, own


def measure(folders: list[Path], src: Path | None) -> tuple[int, int, float, int, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        env["EVIDENCE_APP_HOME"] = str(Path(tmp) / "home")
        case = Path(tmp) / "case"
        # Run from the temporary folder: `-m` puts the working folder first on the path,
        # before PYTHONPATH, so this checkout would otherwise shadow `--src`.
        subprocess.run([sys.executable, "-m", "evidence_app", "--case", str(case), "init",
                        "--owner", "Jane Smith", "--initials", "JS"], env=env, check=True,
                       capture_output=True, cwd=tmp)
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "evidence_app", "--case", str(case),
                                 "import", *map(str, folders)], env=env, cwd=tmp,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = own_peak = 0
        while proc.poll() is None:
            total, own = _tree_rss(proc.pid)
            peak, own_peak = max(peak, total), max(own_peak, own)
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        proc.wait()
    lines = err.strip().splitlines()
    return peak, own_peak, elapsed, len(lines), lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=lambda p: Path(p).resolve())
    parser.add_argument("--src", type=Path, default=None,
                        help="run the app from this source tree instead")
    args = parser.parse_args()
    files = sum(1 for f in args.folders for p in f.rglob("*") if p.is_file())
    peak, own, elapsed, lines, last = measure(args.folders, args.src)
    print(f"{files} files from {', '.join(f.name for f in args.folders)}")
    print(f"peak memory (app and its readers): {peak / 2**20:.0f} MB "
          f"(target < {TARGET_MB} MB: {'met' if peak < TARGET_MB * 2**20 else 'NOT met'}); "
          f"the app's own process alone: {own / 2**20:.0f} MB")
    print(f"time: {elapsed:.1f} s; lines on the error stream: {lines} (last: {last})")


if __name__ == "__main__":
    main()
