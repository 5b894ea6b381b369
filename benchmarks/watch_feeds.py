#!/usr/bin/env python3
"""`parley watch` following many local feeds for an hour of simulated time (issue 17's closing figures).

    PYTHONPATH=src .venv/bin/python benchmarks/watch_feeds.py [--feeds 200] [--servers 10] [--every 5m] [--hours 1]

Feed servers on 127.0.0.1 (`--servers`, each its own port, i.e. its own host for the per-host
limits) serve `--feeds` RSS feeds whose contents follow the watcher's own fake clock: each feed
opens with 3 items and publishes more at random moments through the hour; one feed in ten answers
500 for a stretch and one in twenty hangs (longer than the 0.3 s request timeout) for a stretch, and
all recover before the end. The feeds of one host (`--busy-host`, the sixth) carry teasers only, so
each entry's linked page is fetched; for ten minutes from minute 20 that host answers its pages 429
with `Retry-After: 600`: the watcher must rest the whole host (no page, no poll) until then, and
still store each of those entries once afterwards. A watcher polls them every `--every` of simulated time (the clock jumps
from one due poll to the next; fetches, timeouts and writes take real time), with the light
analysis (documents with nothing found: the loop is measured, not spaCy; `--spacy` for the real
one), then one last round after the hour. Printed as one JSON object: polls, 200s, 304s, failures
by reason and the feeds that survived them, the busy host's 429s and the polls put off while it
rested, items published and items stored (each must be stored once), wall seconds, peak Python
memory (tracemalloc) and the process's peak RSS. A timeout beyond the planned hangs is the machine
being too busy to answer within 0.3 s.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import logging
import random
import resource
import tempfile
import threading
import time
import tracemalloc
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from parley.ingest.records import IngestOptions
from parley.store import Store
from parley.watch import FakeClock, Watcher, WatchOptions, parse_duration, state

_WORDS = ["the", "minister", "delegation", "trade", "talks", "port", "rail", "energy", "visit", "signed", "agreement", "with", "of", "and", "in", "for", "on", "Ruritania", "Zenda", "Strelsau", "Freedonia", "envoy", "chamber", "investment", "plant", "factory", "mayor", "council", "week", "new"]


def text_of(seed: str) -> str:
    """Eighty words drawn at random (seeded): every item its own text, none a near-duplicate of another."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_WORDS) for _ in range(80)) + "."


class Plan:
    """Every feed's items (guid, publish time) and its failing and hanging stretches, by simulated time."""

    def __init__(self, feeds: int, start: float, hours: float, seed: int = 17, teasers: set[int] | None = None,
                 busy: tuple[float, float] | None = None) -> None:
        rng = random.Random(seed)
        end = start + hours * 3600
        self.teasers = teasers or set()  # feeds whose entries are teasers: their pages are fetched
        self.busy = busy  # (from, to): the teaser feeds' host answers its pages 429 then
        self.items: list[list[tuple[str, float]]] = []
        self.fails: dict[int, tuple[float, float]] = {}
        self.hangs: dict[int, tuple[float, float]] = {}
        for f in range(feeds):
            times = [start - 3600] * 3 + sorted(rng.uniform(start, end - 60) for _ in range(rng.randint(1, 6)))
            self.items.append([(f"f{f}-i{n}", t) for n, t in enumerate(times)])
            if f % 10 == 3:
                s = rng.uniform(start, end - 1800)
                self.fails[f] = (s, s + rng.uniform(600, 1500))
            elif f % 20 == 7:
                s = rng.uniform(start, end - 1800)
                self.hangs[f] = (s, s + rng.uniform(600, 1200))

    def total(self) -> int:
        return sum(len(i) for i in self.items)


def serve(plan: Plan, clock: FakeClock, hang_s: float, stats: dict[str, int]) -> ThreadingHTTPServer:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            with lock:
                stats[str(status)] = stats.get(str(status), 0) + 1
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            now = clock.now()
            if self.path.startswith("/page/"):
                if plan.busy and plan.busy[0] <= now < plan.busy[1]:
                    return self.reply(429, headers={"Retry-After": "600"})
                guid = self.path.removeprefix("/page/")
                html = f"<html><head><title>{guid}</title></head><body><article><h1>Zenda talks {guid}</h1>" \
                       f"<p>{text_of(guid)}</p><p>{text_of(guid + 'b')}</p></article></body></html>"
                with lock:
                    stats["pages"] = stats.get("pages", 0) + 1
                return self.reply(200, html.encode(), {"Content-Type": "text/html; charset=utf-8"})
            f = int(self.path.strip("/").split(".")[0].removeprefix("feed"))
            if f in plan.fails and plan.fails[f][0] <= now < plan.fails[f][1]:
                return self.reply(500)
            if f in plan.hangs and plan.hangs[f][0] <= now < plan.hangs[f][1]:
                with lock:
                    stats["hung"] = stats.get("hung", 0) + 1
                time.sleep(hang_s)
                return
            items = [(g, t) for g, t in plan.items[f] if t <= now]
            etag = '"' + hashlib.sha1(f"{f}:{len(items)}".encode()).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self.reply(304, headers={"ETag": etag})
            port = self.server.server_address[1]
            entries = "".join(
                f"<item><guid>{g}</guid><title>Zenda talks {g}</title><link>http://127.0.0.1:{port}/page/{g}</link>"
                f"<description>{'A teaser.' if f in plan.teasers else text_of(g)}</description>"
                f"<pubDate>{formatdate(t, usegmt=True)}</pubDate></item>" for g, t in items)
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>{entries}'
                    "</channel></rss>").encode()
            self.reply(200, body, {"Content-Type": "application/rss+xml", "ETag": etag})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def light(articles, failed):  # type: ignore[no-untyped-def]
    from parley.document import Document

    for article in articles:
        yield Document(article=article)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--servers", type=int, default=10)
    ap.add_argument("--every", default="5m")
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--busy-host", type=int, default=5,
                    help="the host whose feeds are teasers and whose pages ask for a rest (-1: none)")
    ap.add_argument("--db", help="store (default: a SQLite file in a temporary folder)")
    ap.add_argument("--spacy", action="store_true", help="the real analysis instead of the light one")
    ap.add_argument("--log", action="store_true", help="print the watcher's log line per poll")
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO if a.log else logging.ERROR, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    reasons: collections.Counter[str] = collections.Counter()
    rests: list[str] = []

    class Failures(logging.Handler):
        """Counts the watcher's failed polls by reason (its warning lines), and the hosts it rested."""

        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if ": failed: " in message:
                reason = message.split(": failed: ", 1)[1].split(";")[0]
                reasons["timed out" if reason.startswith("timed out") else reason] += 1
            elif "Retry-After" in message and message.startswith("host "):
                rests.append(message)

    watch_log = logging.getLogger("parley.watch")
    watch_log.addHandler(Failures(logging.WARNING))
    if not a.log:
        watch_log.setLevel(logging.WARNING)
        watch_log.propagate = False

    tracemalloc.start()
    clock = FakeClock()
    start = clock.now()
    teasers = {f for f in range(a.feeds) if a.busy_host >= 0 and f % a.servers == a.busy_host}
    plan = Plan(a.feeds, start, a.hours, teasers=teasers, busy=(start + 1200, start + 1800) if teasers else None)
    stats: dict[str, int] = {}
    servers = [serve(plan, clock, 1.0, stats) for _ in range(a.servers)]
    folder = tempfile.TemporaryDirectory()
    db = a.db or str(Path(folder.name) / "watch.db")
    began = time.perf_counter()
    with Store(db) as store:
        watcher = Watcher(store, clock=clock, analyzer=None if a.spacy else light,
                          ingest_options=IngestOptions(timeout=0.3),
                          options=WatchOptions(every=parse_duration(a.every), concurrency=a.concurrency, per_host=2,
                                               host_gap=0.5, max_backoff=1800, resolve=False))
        for f in range(a.feeds):
            port = servers[f % a.servers].server_address[1]
            watcher.add(f"http://127.0.0.1:{port}/feed{f}.xml")
        rounds = watcher.run(until=start + a.hours * 3600)
        rounds += watcher.run(once=True)  # after the hour: everything published must now be stored
        watcher.close()
        health = store.read(lambda c: state.health(c, clock.now()))
        stored_marks = store.read(lambda c: c.exec_driver_sql(
            "SELECT count(*), count(DISTINCT article_id) FROM watch_items WHERE status = 'stored'").one())
        articles = store.counts()["articles"]
    wall = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    for server in servers:
        server.shutdown()
    failures = sum(r.failures for r in rounds)
    result = {
        "feeds": a.feeds, "hosts": a.servers, "every": a.every, "simulated_hours": a.hours,
        "simulated_seconds": round(clock.now() - start), "rounds": len(rounds),
        "polls": sum(r.polls for r in rounds), "answered_200": stats.get("200", 0) - stats.get("pages", 0),
        "answered_304": stats.get("304", 0), "not_modified_seen": sum(r.not_modified for r in rounds),
        "answered_500": stats.get("500", 0), "hung": stats.get("hung", 0), "failures": failures,
        "failures_by_reason": dict(reasons.most_common()),
        "teaser_feeds": len(teasers), "pages_fetched": stats.get("pages", 0), "answered_429": stats.get("429", 0),
        "host_rests": len(rests), "polls_put_off_while_host_rested": sum(r.deferred for r in rounds),
        "feeds_that_failed": sum(1 for h in health if h["failures_total"]),
        "feeds_failed_and_recovered": sum(1 for h in health if h["failures_total"] and h["failures"] == 0),
        "items_published": plan.total(), "items_stored": articles, "stored_marks": stored_marks[0],
        "stored_twice": stored_marks[0] - stored_marks[1], "duplicates_seen": sum(r.duplicates for r in rounds),
        "wall_seconds": round(wall, 1), "peak_python_mb": round(peak / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, indent=1))
    folder.cleanup()


if __name__ == "__main__":
    main()
