#!/usr/bin/env python3
"""What saved searches and alerts cost as the store grows: saving a search (its baseline), the
"new since you last looked" counts (`parley saved`, the overview page), and a run of
`deliver_alerts` after a batch of new articles (to a local webhook receiver), then one with nothing new.

    PYTHONPATH=src .venv/bin/python benchmarks/saved_alerts.py [--sizes 1000 5000] [--batch 50]

The articles are invented (tests/resolve_builders.py): envoys visiting and meeting in invented
places, two events each, one story per envoy and week. Each figure is wall-clock seconds on a fresh
SQLite store in a temporary folder; two saved searches (every event; every story) are timed.
Prints one JSON object per size.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from parley.alerts import add, deliver_alerts, listing
from parley.resolve.persist import update
from parley.store import Store
from tests.resolve_builders import doc, person

PLACES = ["Strelsau", "Tarlenheim", "Hentzau"]


def article(i: int) -> object:
    envoy, host = person(f"Envoy Number{i % 97}", "RUR"), person(f"Host Number{i % 13}", "ZEN")
    place = PLACES[i % 3]
    day = (date(2024, 1, 1) + timedelta(days=i // 5)).isoformat()
    text = f"{envoy['name']} visited {place} and met {host['name']}. Item {i} of the wire, filed on {day}."
    return doc(f"art{i:06d}", text, [envoy, host], [place], published=day, events=[
        {"trigger": "visited", "mode": "visit", "actor": [envoy["name"]], "recipient": [place], "location": place,
         "date": day},
        {"trigger": "met", "actor": [envoy["name"]], "recipient": [host["name"]], "location": place, "date": day}])


def receiver() -> tuple[str, ThreadingHTTPServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, round(time.perf_counter() - start, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--batch", type=int, default=50)
    a = ap.parse_args()
    url, server = receiver()
    for size in a.sizes:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db", near_duplicate_threshold=1.01) as store:
            store.add_many(article(i) for i in range(size))
            update(store)
            _, add_events = timed(add, store, "events", "events", {}, webhook=url)
            _, add_stories = timed(add, store, "stories", "stories", {}, webhook=url)
            rows, listing_s = timed(listing, store)
            store.add_many(article(i) for i in range(size, size + a.batch))
            update(store)
            rows, listing_new_s = timed(listing, store)
            summary, deliver_s = timed(deliver_alerts, store, sleep=lambda s: None)
            again, deliver_again_s = timed(deliver_alerts, store, sleep=lambda s: None)
            print(json.dumps({
                "articles": size, "events": store.counts()["events"], "batch": a.batch,
                "save_events_s": add_events, "save_stories_s": add_stories, "new_counts_s": listing_s,
                "new_counts_after_batch_s": listing_new_s, "new": {r["name"]: r["new"] for r in rows},
                "deliver_s": deliver_s, "delivered": {d.search: d.items for d in summary.deliveries},
                "deliver_nothing_new_s": deliver_again_s, "sent_again": len(again.deliveries)}), flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
