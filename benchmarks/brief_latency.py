#!/usr/bin/env python3
"""Time to gather and render a briefing (`parley brief`) on a large store, by period length.

    .venv/bin/python benchmarks/brief_latency.py --seed-db STORE [--articles 100000] [--db /tmp/parley-brief-bench.db]
        [--repeat 3] [--until 2025-06-30] [--pdf] [--rebuild]

The store is filled as `web_latency.py` fills its own: the seed store's analyses (a store built with
`parley ingest` from engagement news) replicated with new ids and published dates spread over
2015-2025, with the summary tables the writer keeps. The replicas are not resolved into stories (a
bulk fill skips resolution), so the stories section reads the seed's few stories: its cost is
`list_stories` on an indexed table, not measured at scale here. For a week, a month, a quarter and a
year ending --until, each run gathers (`parley.brief.gather`, the store's reads for the period and
the one before) and renders the HTML (and with --pdf prints it); reported: median and max seconds
of each step, and the period's events.
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

from parley.brief import gather, period_from
from parley.brief.render import html
from parley.store import Store

SPANS = ("7d", "1m", "3m", "1y")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-db", type=Path, required=True, help="a store of real analyses to replicate")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "parley-brief-bench.db"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--until", default="2025-06-30")
    parser.add_argument("--pdf", action="store_true", help="also print each briefing with WeasyPrint")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild and "://" not in args.db:
        Path(args.db).unlink(missing_ok=True)
    fill(args.db, args.articles, seed_documents(args.seed_db, []))
    if args.pdf:
        from parley.brief.pdf import pdf_bytes
    print(f"{'period':6} {'events':>7} {'gather s':>9} {'max':>6} {'html s':>7} {'max':>6}" + (f" {'pdf s':>6} {'max':>6}" if args.pdf else ""))
    for span in SPANS:
        period = period_from(span, args.until)
        took: dict[str, list[float]] = {"gather": [], "html": [], "pdf": []}
        events = 0
        for _ in range(args.repeat):
            with Store(args.db) as store:  # a fresh connection pool each time
                t0 = time.perf_counter()
                b = gather(store, period, resolve=False)
                t1 = time.perf_counter()
            text = html(b)
            t2 = time.perf_counter()
            took["gather"].append(t1 - t0)
            took["html"].append(t2 - t1)
            if args.pdf:
                pdf_bytes(text)
                took["pdf"].append(time.perf_counter() - t2)
            events = len(b.events)
        cells = [f"{statistics.median(took[k]):>{w}.2f} {max(took[k]):>6.2f}"
                 for k, w in (("gather", 9), ("html", 7)) + ((("pdf", 6),) if args.pdf else ())]
        print(f"{span:6} {events:>7} " + " ".join(cells), flush=True)


if __name__ == "__main__":
    main()
