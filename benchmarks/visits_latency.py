#!/usr/bin/env python3
"""Latency of `Store.visits` (`parley visits`, GET /api/visits) on a large store.

    .venv/bin/python benchmarks/visits_latency.py --seed-db STORE [--articles 100000] [--db /tmp/parley-visits-bench.db]
        [--repeat 5] [--rebuild]

The store is filled as `web_latency.py` fills its own: the seed store's analyses (a store built with
`parley ingest` from engagement news) replicated with new ids and published dates spread over
2015-2025, with the summary tables the writer keeps. Each query (no filter; a country; a province;
a city; a continent in a year; a visitor country; a sector; a place with a period and a visitor
country; a deep page) runs --repeat times in a fresh connection pool; reported: median and max
milliseconds and the rows returned (a page of 50, as the CLI and the API ask).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_latency import fill, seed_documents

from parley.store import Store
from parley.store.visits import check_place

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
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-db", type=Path, required=True, help="a store of real analyses to replicate")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "parley-visits-bench.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild and "://" not in args.db:
        Path(args.db).unlink(missing_ok=True)
    fill(args.db, args.articles, seed_documents(args.seed_db, []))
    check_place("place", "Kenya")  # the gazetteer, built once per process, is not the query's cost
    print(f"{'query':40} {'median ms':>10} {'max ms':>8} {'rows':>5}")
    for name, kwargs in QUERIES:
        times, rows = [], 0
        for _ in range(args.repeat):
            with Store(args.db) as store:
                started = time.perf_counter()
                rows = len(store.visits(**{"limit": 50, **kwargs}))
                times.append((time.perf_counter() - started) * 1000)
        print(f"{name:40} {statistics.median(times):10.1f} {max(times):8.1f} {rows:5d}", flush=True)


if __name__ == "__main__":
    main()
