"""Diary CSV import speed: 100,000 rows must import "well under a minute".

Writes a realistic diary (UK date forms, times, categories, tags, notes, multi-line
cells), then times reading+checking it and importing it into a fresh case in one
transaction, and checks the case afterwards.

    .venv/bin/python bench/bench_diary.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT_S = 60.0
HOURS = [h for h in range(24) if h != 1]


def write_diary(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    categories = ["following", "Loitering", "texts", "calls", "damage", "threats", "gift",
                  "social media", "other", "Drone"]
    places = ["Outside home", "Leeds station", "Work car park", "Tesco, Headingley", ""]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Date", "Time", "What happened", "Details", "Where", "Type",
                      "Witnesses", "Effect on me", "Crime ref", "Tags", "Notes"])
        for i in range(rows):
            year, month, day = rnd.randint(2019, 2025), rnd.randint(1, 12), rnd.randint(1, 28)
            form = i % 4
            when = (f"{day:02}/{month:02}/{year}", f"{day} March {year}",
                    f"{year}-{month:02}-{day:02}", f"{day}/{month}/{year % 100:02}")[form]
            # No 01:xx: in the hour the clocks skip each March such a time is refused.
            hour = rnd.choice(HOURS)
            clock = "" if i % 5 == 0 else f"{hour:02}:{rnd.randint(0, 59):02}"
            details = ("He was parked across the road again in the silver Astra.\n"
                       "Engine running, lights off. " * rnd.randint(1, 3))
            out.writerow([when, clock, f"Incident {i}", details, rnd.choice(places),
                          rnd.choice(categories), "Neighbour" if i % 7 == 0 else "",
                          "Could not sleep", "WY/1234/25" if i % 11 == 0 else "",
                          "astra; night" if i % 3 == 0 else "", "Rang 101" if i % 13 == 0 else ""])


def main() -> int:
    from evidence_app.core.cases import create_case
    from evidence_app.core.importers.diary_csv import import_diary, read_diary
    from evidence_app.core.incidents import count_incidents
    from evidence_app.core.store.verify import run_verify

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-diary-") as tmp:
        diary = Path(tmp) / "diary.csv"
        write_diary(diary, args.rows)
        size_mb = diary.stat().st_size / 1e6
        with create_case(Path(tmp) / "case", owner_name="Bench Mark", initials="BM") as case:
            t0 = time.perf_counter()
            preview = read_diary(diary, "Europe/London")
            t1 = time.perf_counter()
            result = import_diary(case, preview)
            t2 = time.perf_counter()
            assert result.imported == args.rows, result.imported
            assert count_incidents(case) == args.rows
            t3 = time.perf_counter()
            report = run_verify(case)
            t4 = time.perf_counter()
            assert report.ok, report.problems[:5]
    total = t2 - t0
    print(f"diary import: {args.rows} rows ({size_mb:.1f} MB CSV)")
    print(f"  read + check : {t1 - t0:6.2f} s")
    print(f"  import (1 tx): {t2 - t1:6.2f} s")
    print(f"  total        : {total:6.2f} s  ({args.rows / total:,.0f} rows/s; limit {LIMIT_S:.0f} s)")
    print(f"  verify after : {t4 - t3:6.2f} s")
    if total > LIMIT_S:
        print("FAIL: slower than the limit")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
