#!/usr/bin/env python3
"""What the incremental resolution pass (`parley resolve`) costs per new article as the store grows.

    PYTHONPATH=src .venv/bin/python benchmarks/resolve_store_scale.py DOCS.jsonl [--sizes 1000 10000] [--batch 100]

For each size, a fresh SQLite store (in a temporary folder) is filled with that many articles made
from DOCS.jsonl as `resolve_scale.py` makes them (dates moved on, names changed in two copies of
three; ids hashed as the store's are; near-duplicate detection off, so every copy is an article of
its own), and resolved. Then the `--batch` next (newest) articles are stored and the pass that
resolves them is timed:
ms per new article should stay flat as the store grows (it reads only the articles that share a
name key, or an identity and a week, with the new ones). Prints one JSON object per size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path

from resolve_scale import copies

from parley.resolve.persist import update
from parley.store import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", type=Path)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--batch", type=int, default=100)
    a = ap.parse_args()
    base = [json.loads(line) for line in a.docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    for size in a.sizes:
        n = -(-(size + a.batch) // len(base))
        docs = copies(base, n)
        for d in docs:  # ids as the store makes them: hashes, in no order
            d.article.id = hashlib.sha1(d.article.id.encode()).hexdigest()
        old, new = docs[:size], docs[size:size + a.batch]  # the new batch: the newest articles
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db", near_duplicate_threshold=1.01) as store:
            store.add_many(old)
            start = time.perf_counter()
            update(store)
            full = time.perf_counter() - start
            store.add_many(new)
            start = time.perf_counter()
            update(store)
            inc = time.perf_counter() - start
        print(json.dumps({"stored": len(old), "new": len(new), "first_pass_ms_per_article": round(1000 * full / len(old), 2),
                          "new_ms_per_article": round(1000 * inc / len(new), 2)}), flush=True)


if __name__ == "__main__":
    main()
