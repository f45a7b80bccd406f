"""Search benchmark: a case with 100,000 incidents and 100,000 attachments with OCR text.

For each kind of query (one word, two words, phrase, prefix, filtered) it reports the
median and 95th-percentile latency of `core.search.find.search` (a page of 50 hits with
snippets, as the GUI asks) beside the same FTS5 query issued directly through `sqlite3`
in the same run, and the time to count all matches. Then OCR throughput: our queue
runner per screenshot beside Tesseract's own command-line time on the same image.

    .venv/bin/python bench/bench_search.py [--incidents N] [--keep DIR] [--rounds R]

Targets (issue 5): 95th percentile under 50 ms and under 1.5x the direct query.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from evidence_app.core.cases import create_case, open_case  # noqa: E402
from evidence_app.core.search.find import SearchFilters, search  # noqa: E402
from evidence_app.core.search.index import TABLE  # noqa: E402
from evidence_app.core.store.models import (  # noqa: E402
    Attachment,
    Incident,
    Note,
    Person,
    Vehicle,
    incident_people,
    incident_vehicles,
)
from evidence_app.core.vocab import Category  # noqa: E402


def _split(text: str) -> list[str]:
    return text.split()


COMMON = _split("the he was at my me and to in of it a on that i for with his said this "
          "again outside house work car phone message called saw told")
WORDS = _split("silver astra corsa van bike hoodie jacket cap gloves sister mother friend "
         "neighbour manager school gym station tesco asda park bus train window garden "
         "fence gate letter parcel flowers card gift threat angry shouting crying scared "
         "afraid police officer report statement witness camera photo screenshot "
         "whatsapp instagram facebook snapchat email voicemail withheld number blocked "
         "account profile comment tagged location tracker airtag laptop password bank "
         "money debt keys spare lock broken scratched paint tyre slashed smashed glass "
         "drunk late early midnight lunchtime weekend monday tuesday wednesday thursday "
         "friday saturday sunday january february march april june july august parked "
         "swindon bristol reading oxford cardiff london bath chippenham devizes followed "
         "marlborough corner junction roundabout carpark alley footpath hospital waiting "
         "pharmacy café pub restaurant library church texted door night morning")
NAMES = _split("mark jones priya patel sarah o'brien david smith amy chen tom wilson "
         "zoë müller josé garcía")
SYLLABLES = _split("ba be bi bo bu ca co cu da de di do fa fe fi fo ga ge go ha he hi ho ja jo "
             "ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re "
             "ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi ya yo za ze zo "
             "ch sh th st tr pl br gr")


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    """A Zipf-ranked vocabulary like real English: a few very common words, the
    case's words of interest among the ranks of ordinary content words (100-3,000,
    each in roughly 0.5-10% of records), and a long tail of rarer words."""
    tail: dict[str, None] = {}
    while len(tail) < size:
        tail["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))] = None
    vocab = COMMON + list(tail)
    interesting = WORDS + NAMES
    ranks = sorted(rng.sample(range(100, 3000), len(interesting)))
    for word, rank in zip(interesting, ranks, strict=True):
        vocab.insert(rank, word)
    return vocab


_VOCAB: list[str] = []
_WEIGHTS: list[float] = []


def zipf_words(rng: random.Random, n: int) -> list[str]:
    if not _VOCAB:
        _VOCAB.extend(vocabulary(random.Random(1)))
        _WEIGHTS.extend(itertools.accumulate(1.0 / (i + 1) for i in range(len(_VOCAB))))
    return rng.choices(_VOCAB, cum_weights=_WEIGHTS, k=n)


def plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXY"
    return (rng.choice(letters) + rng.choice(letters) + f"{rng.randint(10, 74):02d} "
            + "".join(rng.choice(letters) for _ in range(3)))


def build_case(folder: Path, n: int, seed: int = 5) -> dict[str, float]:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    case = create_case(folder, owner_name="Bench Person", initials="BP")
    start = datetime(2023, 1, 1, tzinfo=UTC)
    cats = [c.value for c in Category]
    plates = [plate(rng) for _ in range(300)]
    now = datetime.now(UTC)
    incidents, notes, atts, links_p, links_v = [], [], [], [], []
    for i in range(1, n + 1):
        text = " ".join(zipf_words(rng, rng.randint(15, 60)))
        if rng.random() < 0.03:
            text += f" reg {rng.choice(plates)}"
        incidents.append(dict(
            id=i, occurred_at=start + timedelta(minutes=7 * i + rng.randint(0, 5)),
            timezone="Europe/London", precision="exact",
            title=" ".join(zipf_words(rng, rng.randint(3, 7))).capitalize(),
            description=text, location=rng.choice(WORDS), category=rng.choice(cats),
            impact=" ".join(zipf_words(rng, rng.randint(0, 12))),
            recorded_at=now, updated_at=now))
        if rng.random() < 0.5:
            notes.append(dict(incident_id=i, text=" ".join(zipf_words(rng, 12)), private=False,
                              created_at=now, updated_at=now))
        if rng.random() < 0.3:
            links_p.append(dict(incident_id=i, person_id=rng.randint(1, 40)))
        if rng.random() < 0.05:
            links_v.append(dict(incident_id=i, vehicle_id=rng.randint(1, len(plates))))
    for a in range(1, n + 1):
        ocr = " ".join(zipf_words(rng, rng.randint(20, 120)))
        atts.append(dict(
            id=a, incident_id=None if a % 20 == 0 else rng.randint(1, n),
            sha256=f"{a:064x}", exhibit_serial=a, exhibit_mark=f"BP/{a}",
            original_name=f"Screenshot_{20230101 + a % 28}-{a:06d}.png", size=100_000,
            media_type="image/png", kind="screenshot", captured_at=start + timedelta(minutes=7 * a),
            captured_offset="", captured_from="filename", captured_note="", camera_make="",
            camera_model="", caption="", preview=True, preview_error="", imported_at=now,
            ocr_status="done", ocr_text=ocr, ocr_corrected=False))
    t1 = time.perf_counter()
    with case.write() as (session, _audit):
        session.execute(insert(Person), [dict(id=p, name=" ".join(rng.sample(NAMES, 2)).title(),
                                              role="other", description="", contact="",
                                              created_at=now) for p in range(1, 41)])
        session.execute(insert(Vehicle), [dict(
            id=v, make="Vauxhall", model=rng.choice(["Astra", "Corsa"]), colour="silver",
            plate=p, plate_key=p.replace(" ", ""), description="", created_at=now)
            for v, p in enumerate(plates, 1)])
        session.execute(insert(Incident), incidents)
        session.execute(insert(Note), notes)
        session.execute(insert(incident_people), links_p)
        session.execute(insert(incident_vehicles), links_v)
        session.execute(insert(Attachment), atts)
    t2 = time.perf_counter()
    case.close()
    return {"generate_s": t1 - t0, "insert_and_index_s": t2 - t1}


def queries(rng: random.Random) -> dict[str, list[tuple[str, str, SearchFilters | None, str]]]:
    """kind -> [(typed query, hand-written FTS5 query, filters, extra direct SQL)]."""
    one = ["astra", "hoodie", "withheld", "airtag", "scared", "tesco", "slashed", "parked",
           "night", "café"]
    two = [("silver", "astra"), ("parked", "outside"), ("broken", "window"),
           ("withheld", "number"), ("mark", "jones"), ("angry", "shouting"),
           ("spare", "keys"), ("bus", "station"), ("parcel", "door"), ("photo", "garden")]
    phrases = ["outside my house", "silver astra", "withheld number", "spare keys",
               "bus station", "he was", "at work", "broken window", "parked outside",
               "told me"]
    prefixes = ["ast", "hood", "withh", "scre", "neighb", "tesc", "slas", "airt", "pho", "inst"]
    out: dict[str, list[tuple[str, str, SearchFilters | None, str]]] = {
        "one word": [(w, f'"{w}"', None, "") for w in one],
        "two words": [(f"{a} {b}", f'"{a}" AND "{b}"', None, "") for a, b in two],
        "phrase": [(f'"{p}"', f'"{p}"', None, "") for p in phrases],
        "prefix": [(p, f'"{p}" *', None, "") for p in prefixes],
        # Words in most records ("car", "phone"): ranking every match is the cost.
        "common word": [(w, f'"{w}"', None, "") for w in ("car", "phone", "house", "work")],
    }
    filtered = []
    cats = [c.value for c in Category]
    for w in one:
        cat = rng.choice(cats)
        filtered.append((w, f'"{w}"', SearchFilters(categories=(cat,)),
                         f" AND i.category = '{cat}'"))
    out["filtered"] = filtered
    return out


DIRECT = (f"SELECT s.rowid, snippet({TABLE}, -1, '[', ']', '…', 24) FROM {TABLE} s "
          f"JOIN incidents i ON i.id = s.rowid WHERE {TABLE} MATCH ? AND i.deleted_at IS NULL"
          "{extra} ORDER BY rank LIMIT 50")
DIRECT_COUNT = (f"SELECT count(*) FROM {TABLE} s JOIN incidents i ON i.id = s.rowid "
                f"WHERE {TABLE} MATCH ? AND i.deleted_at IS NULL{{extra}}")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def run_queries(folder: Path, rounds: int) -> list[tuple[str, float, float, float, float, float, float]]:
    """Per kind: ours p50/p95, direct p50/p95, p95 ratio, mean number of matches.

    Ours is what the search box asks for: a page of 50 hits with snippets and the
    number of matches. Direct is the same FTS5 query by hand through sqlite3: the page
    ranked by bm25 with FTS5's own snippet(), and a count(*).
    """
    rng = random.Random(11)
    case = open_case(folder)
    direct = sqlite3.connect(f"file:{folder / 'case.db'}?mode=ro", uri=True)
    rows = []
    for kind, items in queries(rng).items():
        ours, theirs, found = [], [], []
        for _ in range(rounds):
            for typed, fts, filters, extra in items:
                t0 = time.perf_counter()
                direct.execute(DIRECT.format(extra=extra), (fts,)).fetchall()
                n = direct.execute(DIRECT_COUNT.format(extra=extra), (fts,)).fetchone()[0]
                t1 = time.perf_counter()
                search(case, typed, filters, limit=50, count=True)
                t2 = time.perf_counter()
                theirs.append((t1 - t0) * 1000)
                ours.append((t2 - t1) * 1000)
                found.append(n)
        rows.append((kind, pct(ours, 50), pct(ours, 95), pct(theirs, 50), pct(theirs, 95),
                     pct(ours, 95) / max(pct(theirs, 95), 1e-9), statistics.mean(found)))
    direct.close()
    case.close()
    return rows


def bench_ocr(tmp: Path, runs: int = 10) -> dict[str, float] | None:
    from evidence_app.core import ocr

    if ocr.tesseract_version() is None:
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from fixtures.screens import chat_screenshot  # type: ignore[import-not-found]

    shot = chat_screenshot(tmp / "Screenshot_20250310-231000.png")
    cli, cli_one = [], []
    one_thread = dict(os.environ, OMP_THREAD_LIMIT="1")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(["tesseract", str(shot), "stdout", "-l", "eng"], check=True,
                       capture_output=True)
        t1 = time.perf_counter()
        subprocess.run(["tesseract", str(shot), "stdout", "-l", "eng"], check=True,
                       capture_output=True, env=one_thread)
        cli.append(t1 - t0)
        cli_one.append(time.perf_counter() - t1)
    folder = tmp / "ocr-case"
    with create_case(folder, owner_name="Bench Person", initials="BP") as case:
        from evidence_app.core.importers.files import import_files

        copies = []
        for k in range(runs):
            copy = tmp / f"shot{k}.png"
            from PIL import Image

            with Image.open(shot) as img:
                img.putpixel((0, 0), (k, k, k))  # a distinct file each time
                img.save(copy)
            copies.append(copy)
        list(import_files(case, copies))
        t0 = time.perf_counter()
        done = [e for e in ocr.run_queue(case) if e.item is not None]
        ours = (time.perf_counter() - t0) / max(len(done), 1)
    return {"tesseract_cli_s": statistics.median(cli),
            "tesseract_cli_one_thread_s": statistics.median(cli_one), "ours_per_image_s": ours,
            "images": float(len(done))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the case in this folder")
    ap.add_argument("--no-ocr", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        folder = args.keep or tmp / "case"
        if not (folder / "case.db").exists():
            built = build_case(folder, args.incidents)
            print(f"built {args.incidents} incidents + {args.incidents} attachments: "
                  f"generate {built['generate_s']:.1f} s, insert + index "
                  f"{built['insert_and_index_s']:.1f} s; case.db "
                  f"{(folder / 'case.db').stat().st_size / 1e6:.0f} MB")
        print(f"{'query':<11} {'ours p50':>9} {'ours p95':>9} {'direct p50':>11} "
              f"{'direct p95':>11} {'p95 ratio':>9} {'matches':>8}  (ms)")
        missed = []
        for kind, o50, o95, d50, d95, ratio, hits in run_queries(folder, args.rounds):
            print(f"{kind:<11} {o50:>9.1f} {o95:>9.1f} {d50:>11.1f} {d95:>11.1f} "
                  f"{ratio:>8.2f}x {hits:>8.0f}")
            if kind != "common word" and (o95 >= 50 or ratio >= 1.5):
                missed.append(kind)
        if not args.no_ocr:
            result = bench_ocr(tmp)
            if result is None:
                print("OCR: Tesseract is not installed; skipped")
            else:
                print(f"OCR per screenshot (720x1280): ours {result['ours_per_image_s'] * 1000:.0f}"
                      f" ms (queue of {result['images']:.0f}, stored and indexed); tesseract "
                      f"CLI alone {result['tesseract_cli_s'] * 1000:.0f} ms (default threads), "
                      f"{result['tesseract_cli_one_thread_s'] * 1000:.0f} ms (one thread, "
                      "as the app runs it)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if missed:
        print(f"missed the targets (p95 < 50 ms and < 1.5x direct) for: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
