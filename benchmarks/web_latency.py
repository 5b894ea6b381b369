#!/usr/bin/env python3
"""Latency of the web workbench's pages on a store of 100,000+ articles, under load, on 127.0.0.1.

    .venv/bin/python benchmarks/web_latency.py [--articles 100000] [--db /tmp/parley-web-bench.db | postgresql://...]
        [--seed-db STORE | --seed SOURCE...] [--concurrency 4] [--requests 300] [--server-workers N] [--rebuild]

1. Fill: real analyses (a seed store, by default the examples plus the PolNeAR dev texts from
   ../shared/data ingested once with `parley ingest`) are replicated with new ids and published
   dates spread over 2015-2025 until the store holds --articles articles. Rows go in with bulk
   inserts (the store's own row builder, `writer._child_rows`, then executemany), not one
   `Store.add` per article: near-duplicate detection would link every replica to its original.
   The full-text index is filled too. A store already at the size is reused unless --rebuild.
   The summary tables the writer keeps (entity pages, facets, totals) are filled for the replicas
   in the same transactions.
2. Serve: `parley serve --db STORE` in a subprocess (uvicorn; --server-workers N processes, one by default) on a free port; the
   overview, the unfiltered events list and its counts, the network and the map are precomputed
   at start (reported: warm-up, and when the home page first answered); the run waits for them.
3. First visits: every distinct URL once, one at a time, nothing cached for it: 3 home URLs,
   60 searches, 100 entity pages (the 50 most named entities and 50 others), 40 filtered event
   lists, and the facet counts the events page loads after itself (htmx).
4. Load: --concurrency client threads send --requests requests per page kind, kinds interleaved,
   drawn at random from a URL space far larger than the server's cache: every entity page, a few
   hundred search words, every combination of event type, country or sector, year and page, so
   most requests are answered cold. Run twice: with the cache, then with a server started with
   PARLEY_WEB_CACHE_SIZE=0 (no cache: every request computes its answer). Reported per kind:
   median, p95 and max, and how many distinct URLs were asked.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import httpx
from sqlalchemy import Column, MetaData, Table, Text

from parley.document import Document
from parley.store import (
    Store,
    dialect,
    schema,
    summary,
    visits_summary,
)
from parley.store.writer import _child_rows

KINDS = ("home", "search", "entity", "events", "facets")
# The pages whose figures `parley serve` computes at start (Workbench.warm); asking for them waits
# for that to finish, so the first visits below start from a server that is ready.
WARM_URLS = ("/", "/?by=sector", "/?by=country", "/events", "/events/facets", "/network", "/map")
BATCH = 1000


# --- fill ----------------------------------------------------------------------------------------

def seed_documents(seed_db: Path | None, seeds: list[str]) -> list[Document]:
    if seed_db is None:
        seed_db = Path(tempfile.gettempdir()) / "parley-web-bench-seed.db"
        if not seed_db.exists():
            print(f"analysing the seed articles into {seed_db} (once) ...", flush=True)
            subprocess.run([sys.executable, "-m", "parley.cli", "ingest", *seeds, "--db", str(seed_db), "--quiet"],
                           check=True)
    with Store(seed_db) as store:
        docs = list(store.iter_documents(include_duplicates=False))
    if not docs:
        sys.exit(f"no seed articles in {seed_db}")
    return docs


class Template:
    """One seed article's rows, built once; a replica is a copy with a new id and published date."""

    ID, PUB = "@@ID@@", "@@PUBLISHED@@"

    def __init__(self, doc: Document) -> None:
        d = doc.to_dict()
        d["article"]["id"], d["article"]["published"] = self.ID, self.PUB
        self.document = json.dumps(d, ensure_ascii=False)  # the JSON column's text, filled in per replica
        a = doc.article
        self.article = {"file": a.file, "url": a.url, "source": a.source, "headline": a.headline,
                        "dateline": a.dateline, "language": a.language, "text": a.text,
                        "captions": json.dumps(list(a.captions)), "duplicate_of": None, "minhash": None}
        stand_in = Document.from_dict(d)  # the store's own row builder, with the stand-in id and date
        self.children = {table: rows for table, rows in _rows_of(stand_in).items()
                         if rows and table is not schema.minhash_bands}
        self.fts = (a.headline or "", a.text, "\n".join(q.text for q in doc.quotes))

    def rows(self, article_id: str, published: str, ingested_at: str) -> tuple[dict, dict]:
        article = dict(self.article, id=article_id, published=published, ingested_at=ingested_at,
                       document=self.document.replace(self.ID, article_id).replace(self.PUB, published))
        children = {}
        for table, rows in self.children.items():
            out = []
            for r in rows:
                r = dict(r, article_id=article_id)
                for key in ("when_start", "when_end"):
                    if r.get(key) == self.PUB:
                        r[key] = published
                out.append(r)
            children[table] = out
        return article, children


def _rows_of(doc: Document) -> dict:
    """The writer's child rows for `doc` (its signature has varied: with or without a MinHash)."""
    params = inspect.signature(_child_rows).parameters
    return _child_rows(doc) if len(params) == 1 else _child_rows(doc, None)


# The articles table with its JSON columns as plain text: replicas carry ready-made JSON.
_RAW_ARTICLES = Table("articles", MetaData(), *[
    Column(c.name, Text if c.name in ("document", "captions") else c.type) for c in schema.articles.columns])


def stocked(db: str, articles: int, seed_db: str) -> dict[str, int]:
    """The store at `db` brought to this schema and filled up to `articles` from the seed store's
    documents (when it holds fewer); its counts."""
    with Store(db) as store:  # opening it applies the migrations an older bench store lacks
        have = store.counts()["articles"]
    if have < articles:
        fill(db, articles, seed_documents(seed_db, []))
    with Store(db) as store:
        return store.counts()


def fill(db: str, total: int, seeds: list[Document]) -> None:
    rng = random.Random(7)
    templates = [Template(d) for d in seeds]
    with Store(db) as store:
        have = store.counts()["articles"]
        print(f"filling {db}: {have} articles, adding {total - have} replicas of {len(seeds)} seed articles",
              flush=True)
        started = time.perf_counter()
        n = have
        while n < total:
            batch = range(n, min(total, n + BATCH))
            _bulk_insert(store, [(templates[i % len(templates)], i, rng) for i in batch])
            n += len(batch)
            if n % 10_000 < BATCH:
                print(f"  {n} articles, {time.perf_counter() - started:.0f} s", flush=True)
        counts = store.counts()
    print(f"filled in {time.perf_counter() - started:.0f} s: {counts}", flush=True)


def _bulk_insert(store: Store, items: list[tuple[Template, int, random.Random]]) -> None:
    now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    articles, children, fts, docs = [], defaultdict(list), [], []
    for template, n, rng in items:
        aid = hashlib.sha1(f"replica/{n}".encode()).hexdigest()
        day = (date(2015, 1, 1) + timedelta(days=rng.randrange(11 * 365))).isoformat()
        article, rows = template.rows(aid, day, f"{now}.{n % 1_000_000:06d}+00:00")
        articles.append(article)
        docs.append((json.loads(article["document"]), False))
        for table, r in rows.items():
            children[table] += r
        fts.append((aid, *template.fts))
    with dialect.write_connection(store.engine) as conn, conn.begin():
        if conn.dialect.name == "postgresql":  # its JSON columns take no text: the parsed values
            rows = [dict(a, document=d, captions=json.loads(a["captions"])) for a, (d, _) in zip(articles, docs)]
            conn.execute(schema.articles.insert(), rows)
        else:
            conn.execute(_RAW_ARTICLES.insert(), articles)
        for table in schema.CHILD_TABLES:
            if children[table]:
                conn.execute(table.insert(), children[table])
        for aid, headline, body, quotes in fts:
            dialect.index_text(conn, aid, headline, body, quotes)
        summary.record(conn, docs)
        visits_summary.add(conn, [a["id"] for a in articles])  # as the writer keeps it: /visits reads it


# --- urls ----------------------------------------------------------------------------------------

def url_pools(db: str, rng: random.Random) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(first-visit URLs, the load phase's URL space): a sample of each page kind, and every URL of
    each kind the benchmark can name, far more than the server's cache holds."""
    with Store(db) as store:
        every = store.entities(limit=None)
        sample = store.events(limit=2000)
        heads = [a["headline"] or "" for a in store.articles(limit=3000)]
    types = sorted({e["type"] for e in sample})
    sectors = sorted({x for e in sample for x in e["sectors"]})
    countries = sorted({c for e in sample for c in e["countries"]})
    top = every[:400]
    entities = top[:50] + rng.sample(top[50:], min(50, len(top) - 50))
    vocabulary = sorted({w.lower() for h in heads for w in re.findall(r"[A-Za-z]{4,}", h)})
    words = [e["name"].split()[-1] for e in top[:30]] + ["trade", "investment", "police", "election", "visit",
                                                          "economy", "\"white house\"", "minister", "talks", "agree*"]
    words += rng.sample(vocabulary, min(20, len(vocabulary)))
    filters = [{}] + [{"type": t} for t in types] + [{"sector": x} for x in sectors[:10]] + \
              [{"country": c} for c in countries[:10]] + [{"offset": 50 * k} for k in range(1, 6)] + \
              [{"type": "CONSULT", "since": "2020-01-01"}, {"actor": top[0]["name"]}]
    first = {
        "home": ["/", "/?by=sector", "/?by=country"],
        "search": [_search_url(w) for w in words[:60]],
        "entity": [_entity_url(e) for e in entities],
        "events": [_events_url("/events", f) for f in filters[:40]],
        # the counts beside the events list, which the page loads after itself (htmx)
        "facets": [_events_url("/events/facets", f) for f in filters[:40] if "offset" not in f],
    }
    one = [{}] + [{"country": c} for c in countries] + [{"sector": x} for x in sectors]
    combos = [{**f, **t, **y} for f in one for t in [{}] + [{"type": t} for t in types]
              for y in [{}] + [{"since": f"{y}-01-01", "until": f"{y}-12-31"} for y in range(2015, 2026)]]
    space = {
        "home": first["home"],
        "search": sorted({_search_url(w) for w in [*words, *vocabulary, *(w[:4] + "*" for w in vocabulary)]}),
        "entity": [_entity_url(e) for e in every],
        "events": [_events_url("/events", {**f, **({"offset": 50 * k} if k else {})}) for f in combos for k in range(3)],
        "facets": [_events_url("/events/facets", f) for f in combos],
    }
    return first, space


def _search_url(word: str) -> str:
    return "/search?" + urlencode({"q": word})


def _entity_url(e: dict) -> str:
    return f"/entities/{e['type']}/{quote(e['name'], safe='')}"


def _events_url(path: str, f: dict) -> str:
    return path + (("?" + urlencode(f)) if f else "")


# --- serve and load ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: str, port: int, cache: bool = True, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, **({} if cache else {"PARLEY_WEB_CACHE_SIZE": "0"})}
    proc = subprocess.Popen([sys.executable, "-m", "parley.cli", "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("the server did not start")


def timed_get(client: httpx.Client, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    r = client.get(url, headers={"HX-Request": "true"} if url.startswith("/events/facets") else {})
    return (time.perf_counter() - start) * 1000, r.status_code


def first_visits(base: str, pools: dict[str, list[str]]) -> dict[str, list[float]]:
    """Each distinct URL once, one at a time: what its first visitor waits (nothing cached for it)."""
    out: dict[str, list[float]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=600) as client:
        for kind in KINDS:
            for url in pools[kind]:
                ms, status = timed_get(client, url)
                if status != 200:
                    print(f"{status} {url}")
                out[kind].append(ms)
    return out


def load(base: str, space: dict[str, list[str]], requests: int, concurrency: int,
         rng: random.Random) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """`requests` per page kind from `concurrency` clients at once, kinds interleaved, each URL drawn
    at random from its kind's URL space; with how many distinct URLs each kind asked, and the seconds."""
    plan = [(kind, rng.choice(space[kind])) for kind in KINDS for _ in range(requests)]
    rng.shuffle(plan)
    distinct = {kind: len({u for k, u in plan if k == kind}) for kind in KINDS}
    started = time.perf_counter()
    all_ms: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    errors: list[str] = []

    def worker(items: list[tuple[str, str]]) -> None:
        with httpx.Client(base_url=base, timeout=600) as client:
            for kind, url in items:
                ms, status = timed_get(client, url)
                with lock:
                    if status != 200:
                        errors.append(f"{status} {url}")
                    all_ms[kind].append(ms)

    threads = [threading.Thread(target=worker, args=(plan[i::concurrency],)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return all_ms, distinct, time.perf_counter() - started


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1] if len(xs) > 1 else xs[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "parley-web-bench.db"),
                        help="a SQLite path or a postgresql:// URL")
    parser.add_argument("--seed-db", type=Path, help="a store of real analyses to replicate")
    parser.add_argument("--seed", nargs="*", default=[str(ROOT / "examples"),
                                                       str(ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text")])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind")
    parser.add_argument("--server-workers", type=int, default=1, help="parley serve --workers")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    if args.rebuild and "://" not in args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    with Store(args.db) as store:
        have = store.counts()["articles"]
    if have < args.articles:
        fill(args.db, args.articles, seed_documents(args.seed_db, args.seed))
    with Store(args.db) as store:
        counts = store.counts()
    rng = random.Random(11)
    pools, space = url_pools(args.db, rng)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = serve(args.db, port, workers=args.server_workers)
    try:
        with httpx.Client(base_url=base, timeout=900) as client:  # what the server precomputes at start
            client.get("/")
            home_s = time.perf_counter() - started
            for url in WARM_URLS:
                client.get(url)
        warm_s = time.perf_counter() - started
        first = first_visits(base, pools)
        loads = {"cache": load(base, space, args.requests, args.concurrency, rng)}
    finally:
        proc.terminate()
        proc.wait(10)
    proc = serve(args.db, port, cache=False, workers=args.server_workers)
    try:
        loads["no cache"] = load(base, space, args.requests, args.concurrency, rng)
    finally:
        proc.terminate()
        proc.wait(10)
    report = {"store": counts, "server_workers": args.server_workers, "home_ready_s": round(home_s, 1), "warm_up_s": round(warm_s, 1),
              "concurrency": args.concurrency, "requests_per_kind": args.requests, "first_visit": {}, "under_load": {}}
    print(f"store: {counts}; parley serve --workers {args.server_workers}")
    print(f"server up: home page answered after {home_s:.1f} s; all precomputed in {warm_s:.1f} s "
          f"({', '.join(WARM_URLS)})")
    print("first visit of each distinct URL, one at a time (nothing cached for it):")
    print(f"{'page':<8} {'urls':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for kind in KINDS:
        row = figures(first[kind])
        report["first_visit"][kind] = {"urls": len(first[kind]), **row}
        print(f"{kind:<8} {len(first[kind]):>5} {row['median_ms']:>10} {row['p95_ms']:>8} {row['max_ms']:>8}")
    for name, (all_ms, distinct, wall) in loads.items():
        print(f"under load, {name}: {args.concurrency} clients, {args.requests} requests per page kind drawn at random "
              f"from {sum(len(v) for v in space.values())} URLs, {wall:.1f} s "
              f"({len(KINDS) * args.requests / wall:.0f} requests/s):")
        print(f"{'page':<8} {'urls':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
        report["under_load"][name] = {}
        for kind in KINDS:
            row = figures(all_ms[kind])
            report["under_load"][name][kind] = {"urls": distinct[kind], **row}
            print(f"{kind:<8} {distinct[kind]:>5} {row['median_ms']:>10} {row['p95_ms']:>8} {row['max_ms']:>8}")
    if args.json:
        print(json.dumps(report))


def figures(xs: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(xs), 1), "p95_ms": round(p95(xs), 1), "max_ms": round(max(xs), 1)}


if __name__ == "__main__":
    main()
