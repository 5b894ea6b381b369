#!/usr/bin/env python3
"""Latency of the country and place pages on a large store, over HTTP on 127.0.0.1.

    .venv/bin/python benchmarks/places_latency.py --seed-db STORE [--articles 100000]
        [--db /tmp/parley-places-bench.db] [--places 60] [--repeat 3] [--concurrency 1] [--rebuild]

The store is filled as `web_latency.py` fills its own (the seed store's analyses replicated with new
ids and published dates spread over 2015-2025, with the summary tables the writer keeps). A server
(`parley serve`) is started with its cache off (PARLEY_WEB_CACHE_SIZE=0), so every request computes
its answer: what a first visitor waits. Asked, each --repeat times, one at a time (or from
--concurrency clients at once): /countries; every country's page and its JSON twin; the --places
places with most articles (GPE, LOC, FAC) and as many drawn at random among the rest, as pages, as
JSON and as their maps' JSON. Reported per kind: requests, median, p95 and max milliseconds; any
answer other than 200 is printed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx
from web_latency import figures, free_port, serve, stocked

from parley.store import Store

KINDS = ("countries", "country", "country api", "place", "place api", "place map")


def urls(db: str, n_places: int, rng: random.Random, n_countries: int | None = None) -> dict[str, list[str]]:
    """/countries, every country (or, with `n_countries`, that many with most events of the codes
    ISO knows -- a replicated store's invented codes answer 404, as they should -- and as many
    others), as pages and JSON; the `n_places` places (GPE, LOC, FAC) with most articles and as
    many others, as pages, JSON and maps."""
    from parley import filters
    from parley.store.countries import countries

    with Store(db) as store:
        codes = [r["code"] for r in store.read(countries)]
        every = [e for t in ("GPE", "LOC", "FAC") for e in store.entities(type=t, limit=None)]
    every.sort(key=lambda e: -e["articles"])
    if n_countries is not None:
        codes = [c for c in codes if c in filters.country_codes()]
        codes = codes[:n_countries] + rng.sample(codes[n_countries:], min(n_countries, max(0, len(codes) - n_countries)))
    chosen = every[:n_places] + rng.sample(every[n_places:], min(n_places, max(0, len(every) - n_places)))
    paths = [f"{e['type']}/{quote(e['name'], safe='')}" for e in chosen]
    return {"countries": ["/countries"], "country": [f"/countries/{c}" for c in codes],
            "country api": [f"/api/countries/{c}" for c in codes],
            "place": [f"/entities/{p}" for p in paths], "place api": [f"/api/places/{p}" for p in paths],
            "place map": [f"/api/places/{p}/map" for p in paths]}


def run(base: str, plan: list[tuple[str, str]], concurrency: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()

    def worker(items: list[tuple[str, str]]) -> None:
        with httpx.Client(base_url=base, timeout=600) as client:
            for kind, url in items:
                started = time.perf_counter()
                r = client.get(url)
                ms = (time.perf_counter() - started) * 1000
                if r.status_code != 200:
                    print(f"{r.status_code} {url}", flush=True)
                with lock:
                    times[kind].append(ms)

    threads = [threading.Thread(target=worker, args=(plan[i::concurrency],)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-db", type=Path, required=True, help="a store of real analyses to replicate")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "parley-places-bench.db"))
    parser.add_argument("--places", type=int, default=60, help="places with most articles (and as many others)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild and "://" not in args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    counts = stocked(args.db, args.articles, args.seed_db)
    rng = random.Random(5)
    pool = urls(args.db, args.places, rng)
    plan = [(kind, url) for kind in KINDS for url in pool[kind] for _ in range(args.repeat)]
    rng.shuffle(plan)
    port = free_port()
    proc = serve(args.db, port, cache=False)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            client.get("/countries/CHN")  # the process's one-off start-up (templates, gazetteer) is not a page's cost
        started = time.perf_counter()
        times = run(f"http://127.0.0.1:{port}", plan, args.concurrency)
        wall = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"store: {counts}; parley serve without a cache; {args.concurrency} client(s); {len(plan)} requests "
          f"in {wall:.1f} s")
    print(f"{'page':<12} {'urls':>5} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for kind in KINDS:
        row = figures(times[kind])
        print(f"{kind:<12} {len(pool[kind]):>5} {len(times[kind]):>8} {row['median_ms']:>10} {row['p95_ms']:>8} "
              f"{row['max_ms']:>8}")


if __name__ == "__main__":
    main()
