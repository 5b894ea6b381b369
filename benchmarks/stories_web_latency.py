#!/usr/bin/env python3
"""Latency of the web's story and entity pages on a resolved store (e.g. the 100,000-article store
`resolve_store_scale.py --keep DIR` leaves), on 127.0.0.1.

    .venv/bin/python benchmarks/stories_web_latency.py STORE [--sample 60] [--json]

Starts `parley serve --db STORE` (as `web_latency.py` does), waits for the pages it precomputes
at start, then asks each URL once, one at a time (nothing cached for it), per kind:
- stories: the Stories page unfiltered, by type, by country, with --min-reports, further pages;
- story: /stories/ID of the most reported stories and of others drawn at random;
- identities: /api/identities by part of a name (a substring: every identity's names are read);
- identity: /api/identities/ID (a page of mentions) of the identities in most articles (a head
  of state's) and of others at random;
- entity: /entities/PERSON/NAME of the same people.
Prints median, p95 and max per kind.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from sqlalchemy import func, select
from web_latency import WARM_URLS, figures, free_port, serve, timed_get

from parley.store import Store
from parley.store import resolved as T


def urls(db: str, sample: int, rng: random.Random) -> dict[str, list[str]]:
    def read(conn):
        s, i = T.stories, T.identities
        top = list(conn.execute(select(s.c.id).order_by(s.c.reports.desc(), s.c.id).limit(sample // 2)).scalars())
        n = conn.execute(select(func.count()).select_from(s)).scalar_one()
        some = [conn.execute(select(s.c.id).order_by(s.c.id).offset(rng.randrange(n)).limit(1)).scalar_one()
                for _ in range(sample - len(top))]
        people = list(conn.execute(select(i.c.id, i.c.name).where(i.c.type == "PERSON")
                                   .order_by(i.c.articles.desc(), i.c.id).limit(sample // 2)))
        m = conn.execute(select(func.count()).select_from(i).where(i.c.type == "PERSON")).scalar_one()
        people += [conn.execute(select(i.c.id, i.c.name).where(i.c.type == "PERSON").order_by(i.c.id)
                                .offset(rng.randrange(m)).limit(1)).one() for _ in range(sample // 2)]
        types = list(conn.execute(select(s.c.type).distinct()).scalars())
        return top + some, people, types

    with Store(db) as store:
        stories, people, types = store.read(read)
    lists = ["/stories", "/stories?min_reports=3", *[f"/stories?type={t}" for t in types[:8]],
             *[f"/stories?country={c}" for c in ("USA", "DEU", "NLD", "SDN", "TUR", "ISR")],
             *[f"/stories?offset={50 * k}" for k in range(1, 6)]]
    return {
        "stories": lists,
        "story": [f"/stories/{sid}" for sid in stories],
        "identities": [f"/api/identities?{urlencode({'name': n.split()[-1]})}" for _, n in people[:sample // 2]],
        "identity": [f"/api/identities/{pid}" for pid, _ in people],
        "entity": [f"/entities/PERSON/{quote(n, safe='')}" for _, n in people],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--sample", type=int, default=60, help="stories and people asked for, half the most named")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    pools = urls(a.store, a.sample, random.Random(3))
    port = free_port()
    started = time.perf_counter()
    proc = serve(a.store, port)
    report: dict = {"store": a.store}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=900) as client:
            for url in WARM_URLS:
                client.get(url)
            report["warm_up_s"] = round(time.perf_counter() - started, 1)
            print(f"server ready (precomputed pages) after {report['warm_up_s']} s")
            print(f"{'page':<11} {'urls':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
            for kind, pool in pools.items():
                ms = []
                for url in pool:
                    took, status = timed_get(client, url)
                    if status != 200:
                        print(f"{status} {url}")
                    ms.append(took)
                row = figures(ms)
                report[kind] = {"urls": len(pool), **row}
                print(f"{kind:<11} {len(pool):>5} {row['median_ms']:>10} {row['p95_ms']:>8} {row['max_ms']:>8}")
    finally:
        proc.terminate()
        proc.wait(10)
    if a.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
