#!/usr/bin/env python3
"""Latency of the opportunity pipeline and the who-met-whom network on a large store, over HTTP on
127.0.0.1, with one client and with several at once.

    PYTHONPATH=src .venv/bin/python benchmarks/pipeline_network_latency.py --seed-db STORE
        [--articles 100000] [--db /tmp/parley-places-bench.db] [--repeat 5] [--concurrency 1 4] [--cache]
        [--spread COPIES]

The store is the one `places_latency.py` fills (the same default path, reused when it holds
--articles already): the seed store's analyses replicated with new ids and published dates spread
over 2015-2025, with the summary tables the writer keeps. Replicas of a few dozen seed articles
repeat each opportunity and edge thousands of times; --spread COPIES makes each seed article COPIES
templates first, its parties renamed per copy (names tagged with the copy's number, countries moved
along the list of codes), so a 100,000-article store holds as many stories as a real one might
(its default --db: /tmp/parley-spread-bench.db). A server (`parley serve`) is started
without a cache (PARLEY_WEB_CACHE_SIZE=0, unless --cache), so every request computes its answer:
what a first visitor waits. With --cache, the server's start-up warming (the overview, the network's
default, the pipeline's first page) is waited for before the clock starts; repeats are then cache hits. Asked, each --repeat times, shuffled: the pipeline page unfiltered, by
each stage, a sector, a country, a period, a later page, and its JSON twin; the network page as it
opens (engagement types), with every type, with one more type, and its graph's JSON; the network
filtered by a country, by a type and by a year; both dated to the day (the months a day cuts read
event by event). A server started by `parley serve` freezes its warm-up's objects out of the garbage
collector's passes (`web/settle.py`), as a long-running one does. Reported per kind and per number of clients: requests, median,
p95 and max milliseconds, and the largest answer's size; any answer other than 200 is printed. The
pipeline's rows show each stage's newest pieces of evidence with a link to the rest
(`/pipeline/evidence`, `/api/pipeline/evidence`): the first rows' links are asked too.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx
from places_latency import run
from web_latency import figures, fill, free_port, seed_documents, serve, stocked

from parley import filters
from parley.document import Document
from parley.store import Store


URLS: dict[str, list[str]] = {
    "pipeline": ["/pipeline", "/pipeline?stage=intent", "/pipeline?stage=agreement", "/pipeline?stage=under_way",
                 "/pipeline?sector=investment", "/pipeline?country=CHN", "/pipeline?since=2020&until=2021",
                 "/pipeline?offset=50"],
    "pipeline api": ["/api/pipeline", "/api/pipeline?stage=agreement&country=CHN"],
    "network default": ["/network"],
    "network api": ["/api/aggregates/network"],
    "network more types": ["/network?add=all", "/network?add=ACCUSE"],
    "network filtered": ["/network?country=CHN", "/network?type=AGREE", "/network?since=2024"],
    # dates to the day: the whole months summed from the summaries by month (read off their indexes,
    # migration 19), the months a day cuts counted from their events, both ranked by the database
    "pipeline by day": ["/pipeline?since=2020-03-15&until=2021-06-30", "/pipeline?since=2024-03-15&country=CHN"],
    "network by day": ["/network?since=2024-03-15", "/network?since=2020-03-15&until=2021-06-30&country=CHN"],
}


def spread(docs: list[Document], copies: int) -> list[Document]:
    """Each seed document `copies` times, its parties renamed per copy: every entity's name tagged
    with the copy's number and its country moved along the list of codes by the copy's number."""
    codes = sorted(filters.country_codes())
    at = {c: i for i, c in enumerate(codes)}

    def moved(country: str | None, k: int) -> str | None:
        return codes[(at[country] + 37 * k) % len(codes)] if country in at else country

    return [replace(d, entities=[replace(e, name=f"{e.name} {k}" if k else e.name, country=moved(e.country, k))
                                 for e in d.entities]) for k in range(copies) for d in docs]


def evidence_urls(base: str) -> dict[str, list[str]]:
    """The first pipeline rows' links to the rest of their evidence, as JSON and as pages."""
    with httpx.Client(base_url=base, timeout=600) as client:
        rows = client.get("/api/pipeline", params={"limit": 10}).json()["items"]
    api = [link for r in rows for link in r["evidence_next"].values() if link][:4]
    paths = [urlsplit(u) for u in api]
    if not paths:  # no row has more than it shows (a small or spread store)
        print("no pipeline row links to more evidence: its pages are not asked")
        return {}
    return {"pipeline evidence": [f"/pipeline/evidence?{u.query}" for u in paths],
            "pipeline evidence api": [f"{u.path}?{u.query}" for u in paths]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-db", type=Path, required=True, help="a store of real analyses to replicate")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "parley-places-bench.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--cache", action="store_true", help="keep the server's cache on (repeats are then hits)")
    parser.add_argument("--kinds", nargs="+", choices=sorted([*URLS, "pipeline evidence"]),
                        default=[*URLS, "pipeline evidence"], help="the pages to ask")
    parser.add_argument("--spread", type=int, metavar="COPIES",
                        help="rename each seed article's parties in COPIES ways before replicating")
    args = parser.parse_args()
    if args.spread:
        if args.db == parser.get_default("db"):
            args.db = str(Path(tempfile.gettempdir()) / "parley-spread-bench.db")
        with Store(args.db) as store:  # opening it applies the migrations an older bench store lacks
            have = store.counts()["articles"]
        if have < args.articles:
            fill(args.db, args.articles, spread(seed_documents(args.seed_db, []), args.spread))
    counts = stocked(args.db, args.articles, args.seed_db)
    rng = random.Random(7)
    port = free_port()
    proc = serve(args.db, port, cache=args.cache)
    kinds = {k: URLS[k] for k in args.kinds if k in URLS}
    if "pipeline evidence" in args.kinds:
        kinds.update(evidence_urls(f"http://127.0.0.1:{port}"))
    plan = [(kind, url) for kind, urls in kinds.items() for url in urls for _ in range(args.repeat)]
    print(f"store: {counts}; parley serve {'with' if args.cache else 'without'} a cache")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            # the process's start-up is not a page's cost; with the cache, this waits for its warming too
            client.get("/pipeline?stage=intent&limit=1" if args.cache else "/static/app.css")
        sizes: dict[str, int] = {}
        for clients in args.concurrency:
            rng.shuffle(plan)
            started = time.perf_counter()
            times = run(f"http://127.0.0.1:{port}", plan, clients)
            wall = time.perf_counter() - started
            print(f"\n{clients} client(s): {len(plan)} requests in {wall:.1f} s")
            print(f"{'page':<22} {'urls':>5} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
                  f"{'max KB':>8}")
            for kind, urls in kinds.items():
                row = figures(times[kind])
                print(f"{kind:<22} {len(urls):>5} {len(times[kind]):>8} {row['median_ms']:>10} {row['p95_ms']:>8} "
                      f"{row['max_ms']:>8} {sizes.setdefault(kind, largest(port, urls)):>8}")
    finally:
        proc.terminate()
        proc.wait(10)


def largest(port: int, urls: list[str]) -> int:
    """The largest answer among `urls`, in kilobytes (asked once each, after the timing)."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
        return max(len(client.get(u).content) for u in urls) // 1024


if __name__ == "__main__":
    main()
