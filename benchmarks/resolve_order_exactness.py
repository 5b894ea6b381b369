#!/usr/bin/env python3
"""How often resolving in batches leaves another result than resolving all articles at once.

    PYTHONPATH=src:. .venv/bin/python benchmarks/resolve_order_exactness.py [--seeds 100] [--articles 60]

For each seed, invented articles (the generator of tests/test_resolve_window.py: three people each
over three years, one mention in five a bare surname, a population with spelling variants of
several names) are ingested into a fresh SQLite store in batches of four to seven, forward or
reversed, each batch resolved by `parley resolve`'s pass; the store's identities and stories are
compared with `resolve` of all the articles at once. Prints one JSON object: how many seeds
differ, and which. A stress test of the incremental paths (`resolve/quick.py`, `window.py`,
`variants.py`): denser in namesakes and spelling variants than news.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from parley.resolve import resolve
from parley.resolve.persist import update
from parley.store import Store
from tests.test_resolve_store import _copies, _exported, _strip
from tests.test_resolve_window import PEOPLE, VARIANTS, _random_docs

MORE_VARIANTS = [("Grete", "Holm", "BOR"), ("Ana", "Varga", "RUR")]


def differs(seed: int, articles: int, folder: Path) -> bool:
    """Whether batches give another result than one resolution of all, for this seed."""
    docs = _random_docs(seed, articles, 3 * 365, PEOPLE + VARIANTS + MORE_VARIANTS)
    order = docs[::-1] if seed % 2 else docs
    step = 4 + seed % 4
    url = str(folder / f"seed-{seed}.db")
    with Store(url) as store:
        for k in range(0, len(order), step):
            store.add_many(order[k:k + step])
            update(store)
        stories, people = _exported(store, "stories"), _exported(store, "identities")
    found = resolve(docs, _copies(url))
    want_people = sorted(found.identity_records(), key=lambda r: r["id"])
    want_stories = sorted(found.story_records(), key=lambda r: r["id"])
    return people != want_people or [_strip(s) for s in stories] != want_stories


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--first", type=int, default=10)
    ap.add_argument("--articles", type=int, default=60)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bad = [s for s in range(a.first, a.first + a.seeds) if differs(s, a.articles, Path(tmp))]
    print(json.dumps({"seeds": a.seeds, "articles": a.articles, "differ": len(bad), "which": bad}))


if __name__ == "__main__":
    main()
