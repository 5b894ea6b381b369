#!/usr/bin/env python3
"""Latency of `Store.visits` (`parley visits`, GET /api/visits) on a large store.

    .venv/bin/python benchmarks/visits_latency.py --seed-db STORE [--articles 100000] [--db /tmp/parley-visits-bench.db]
        [--repeat 5] [--rebuild] [--before] [--freeze]

The store is filled as `web_latency.py` fills its own: the seed store's analyses (a store built with
`parley ingest` from engagement news) replicated with new ids and published dates spread over
2015-2025, with the summary tables the writer keeps. Each query (no filter; a country; a province;
a city; a continent in a year; a visitor country; a sector; a place with a period and a visitor
country; a deep page) runs --repeat times in a fresh connection pool; reported: median and max
milliseconds and the rows returned (a page of 50, as the CLI and the API ask). With --before, each
query also runs as computed before the visits' summary (`visits_scan.py`), in the same session, and
the two answers are compared (`same`: equal rows, in the same order). The gazetteer holds a few
hundred thousand objects, so a full pass of Python's collector that falls within a query adds
~100-150 ms to it (most maxima above the medians); --freeze moves the objects alive after the
warm-up out of the collector's reach (`gc.freeze()`, as a server could after loading the gazetteer).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_latency import fill, seed_documents

from parley.store import Store, visits_summary
from parley.store.visits import check_place
from parley.store.visits_scan import visits_scan

QUERIES = [
    ("all", {}),
    ("place=China", {"place": "China"}),
    ("place=Punjab", {"place": "Punjab"}),
    ("place=Sichuan since=2020", {"place": "Sichuan", "since": "2020"}),
    ("place=Lahore", {"place": "Lahore"}),
    ("place=Asia 2019", {"place": "Asia", "since": "2019", "until": "2019"}),
    ("visitor_country=JPN", {"visitor_country": "JPN"}),
    ("sector=investment", {"sector": "investment"}),
    ("place=Pakistan visitor=CHN 2016-2018", {"place": "Pakistan", "visitor_country": "CHN", "since": "2016",
                                              "until": "2018"}),
    ("all offset=1000", {"offset": 1000}),
    ("place=China visitor=KEN", {"place": "China", "visitor_country": "KEN"}),
    ("place=Lahore offset=200", {"place": "Lahore", "offset": 200}),
    ("visitor_country=CHN offset=1000", {"visitor_country": "CHN", "offset": 1000}),
    ("sector=investment offset=1000", {"sector": "investment", "offset": 1000}),
    ("since=2024 offset=500", {"since": "2024", "offset": 500}),
    ("place=Kenya", {"place": "Kenya"}),  # a country of a few thousand rows
    ("place=Japan offset=200", {"place": "Japan", "offset": 200}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-db", type=Path, required=True, help="a store of real analyses to replicate")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "parley-visits-bench.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--before", action="store_true", help="also time the computation before the summary")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after the warm-up")
    args = parser.parse_args()
    if args.rebuild and "://" not in args.db:
        Path(args.db).unlink(missing_ok=True)
    with Store(args.db) as store:
        had = store.counts()["articles"]
    fill(args.db, args.articles, seed_documents(args.seed_db, []))
    with Store(args.db) as store:
        if store.counts()["articles"] != had:  # the replicas bypass the writer: count their visits
            with store.engine.begin() as conn:
                visits_summary.refresh(conn, None)
    check_place("place", "Kenya")  # the gazetteer, built once per process, is not the query's cost
    if args.freeze:
        gc.collect()
        gc.freeze()
    print(f"{'query':40} {'median ms':>10} {'max ms':>8} {'rows':>5}"
          + (f" {'before median':>14} {'before max':>11} {'same':>5}" if args.before else ""))
    for name, kwargs in QUERIES:
        new, line = run(args.db, args.repeat, lambda store, kw: store.visits(**kw), kwargs)
        if args.before:
            place = check_place("place", kwargs["place"]) if "place" in kwargs else None
            old, before = run(args.db, args.repeat, lambda store, kw, place=place: store.read(
                visits_scan, **{**kw, "place": place}), kwargs)
            line += f" {before[:-6]:>26} {new == old!s:>5}"
        print(f"{name:40} {line}", flush=True)


def run(db: str, repeat: int, query, kwargs: dict) -> tuple[list[dict], str]:
    """The rows of `query` and its median and max milliseconds over `repeat` runs, each in a fresh
    connection pool."""
    times, rows = [], []
    for _ in range(repeat):
        with Store(db) as store:
            started = time.perf_counter()
            rows = list(query(store, {"limit": 50, **kwargs}))
            times.append((time.perf_counter() - started) * 1000)
    return rows, f"{statistics.median(times):10.1f} {max(times):8.1f} {len(rows):5d}"


if __name__ == "__main__":
    main()
