#!/usr/bin/env python3
"""Latency of every page issue 16 added, in one run under one load, over HTTP on 127.0.0.1: the
visits listing (page and JSON), the country pages, the place pages (page, JSON and map), the
opportunity pipeline (pages, JSON, dated to the day) and the who-met-whom network (as it opens,
filtered, dated to the day).

    PYTHONPATH=src .venv/bin/python benchmarks/workbench_pages_latency.py --db STORE [--seed-db SEED]
        [--articles 100000] [--repeat 3] [--concurrency 1 4] [--kinds visits pipeline ...] [--per-url]
        [--server-workers 1]

The store is one `places_latency.py` or `pipeline_network_latency.py` filled (reused as it is; with
--seed-db and fewer than --articles articles, it is filled up first the way they fill it). A server
(`parley serve`) is started without a cache (PARLEY_WEB_CACHE_SIZE=0), so every request computes its
answer, and before the clock starts nothing is asked but one page that waits for the server's
start-up (the gazetteer it loads in the background): the first request of each URL, cold, counts
as much as its repeats. Each URL is asked --repeat times, all URLs shuffled
together, from one client and then from --concurrency clients at once. Reported per kind and, with
--per-url, per URL: requests, p50, p95 and max milliseconds; any answer other than 200 is printed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx
from pipeline_network_latency import URLS as PIPELINE_NETWORK
from places_latency import run, urls as place_urls
from visits_latency import QUERIES as VISIT_QUERIES
from web_latency import figures, free_port, serve, stocked

from parley.store import Store


def visit_urls() -> dict[str, list[str]]:
    """`visits_latency.py`'s queries as pages and as JSON (a page of 50, as the CLI asks)."""
    args = [urlencode({"limit": 50, **kw}) for _, kw in VISIT_QUERIES]
    return {"visits": [f"/visits?{a}" for a in args], "visits api": [f"/api/visits?{a}" for a in args]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a benchmark store of --articles articles")
    parser.add_argument("--seed-db", type=Path, help="a store of real analyses to fill --db with, if short")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=4, help="countries and places with most events (and as many others)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--kinds", nargs="+", help="only these kinds of page (default: every kind)")
    parser.add_argument("--server-workers", type=int, default=1, help="`parley serve --workers N` processes")
    parser.add_argument("--per-url", action="store_true", help="a line per URL, not only per kind")
    args = parser.parse_args()
    if args.seed_db:
        counts = stocked(args.db, args.articles, args.seed_db)
    else:
        with Store(args.db) as store:
            counts = store.counts()
    rng = random.Random(11)
    kinds = {**visit_urls(), **place_urls(args.db, args.places, rng, n_countries=args.places), **PIPELINE_NETWORK}
    if args.kinds:
        kinds = {k: v for k, v in kinds.items() if k in args.kinds}
    plan = [(kind, url) for kind, urls in kinds.items() for url in urls for _ in range(args.repeat)]
    port = free_port()
    proc = serve(args.db, port, cache=False, workers=args.server_workers)
    print(f"store {args.db}: {counts['articles']} articles; parley serve without a cache, {args.server_workers} process(es); "
          f"{sum(map(len, kinds.values()))} URLs x {args.repeat}")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            # the process's one-off start-up is not a page's cost: `parley serve` loads the gazetteer
            # and freezes its objects out of the collector's reach in a thread of its own
            # (`web/settle.py`, about a second), which a first request would wait on; a place filter
            # waits for the gazetteer, and its collection and freeze are given a few seconds more
            client.get("/visits", params={"place": "Kenya", "limit": 1})
            time.sleep(5)
        for clients in args.concurrency:
            rng.shuffle(plan)
            started = time.perf_counter()
            times = run(f"http://127.0.0.1:{port}", [(f"{k}\t{u}", u) for k, u in plan], clients)
            wall = time.perf_counter() - started
            print(f"\n{clients} client(s): {len(plan)} requests in {wall:.1f} s")
            print(f"{'page':<72} {'n':>3} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
            for kind, urls in kinds.items():
                row = figures([t for u in urls for t in times[f"{kind}\t{u}"]])
                print(f"{kind:<72} {len(urls) * args.repeat:>3} {row['median_ms']:>7} {row['p95_ms']:>7} "
                      f"{row['max_ms']:>7}")
                if args.per_url:
                    for u in urls:
                        row = figures(times[f"{kind}\t{u}"])
                        print(f"  {u[:70]:<70} {args.repeat:>3} {row['median_ms']:>7} {row['p95_ms']:>7} "
                              f"{row['max_ms']:>7}")
            worst = max(((figures(ts)["p95_ms"], key) for key, ts in times.items()), default=(0, ""))
            print(f"slowest URL by p95: {worst[1].split(chr(9))[1]} ({worst[0]} ms)")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
