"""Run every bench/bench_*.py script, one after another, and summarise.

    .venv/bin/python bench/run_all.py [NAME_PART ...]

Each script prints its own figures and exits non-zero when it misses its target. The
exit status here is non-zero if any script failed. Record the figures (and the exact
command) in bench/RESULTS.md.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(part in s.name for part in argv)]
    if not scripts:
        print("no benchmark scripts found")
        return 1
    outcomes: list[tuple[str, int, float]] = []
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        outcomes.append((script.name, code, time.perf_counter() - start))
        print(flush=True)
    print("=== summary")
    for name, code, seconds in outcomes:
        print(f"{'ok  ' if code == 0 else 'FAIL'} {name:<32} {seconds:7.1f} s")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
