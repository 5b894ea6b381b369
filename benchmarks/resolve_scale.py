#!/usr/bin/env python3
"""What resolution (stories and identities, `parley.resolve`) costs per article as the store grows.

    PYTHONPATH=src .venv/bin/python benchmarks/resolve_scale.py DOCS.jsonl [--copies 1 10 40 160]

DOCS.jsonl holds parley.article/1 documents (`parley export --format jsonl`). Each size is made of
that many copies of them, each copy its own articles: ids suffixed, dates moved 40 days on per copy
(an article with no date gets one), and in two copies of three every person's name changed, so
copies are other events with partly other people, as a growing store has. Resolution runs from
scratch over the whole set; the figure that matters is ms per article, which should stay flat
(blocking by identity and week keeps each report's candidates to its neighbours).
Prints one JSON object per size.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from datetime import date, timedelta
from pathlib import Path

from parley.document import Document
from parley.resolve import resolve


def shift_date(value: str | None, days: int) -> str | None:
    """An event date moved `days` on: a day as it is, a month ("2019-05") or a year ("2019") by its
    middle, so that it keeps its place beside the article's date. A month or year left as it was
    ("May", read beside the template's date) put every copy of the template, over fourteen years
    of generated articles, in the same weeks: one signing story of 1,362 reports at 100,000
    articles, re-clustered by every batch with a copy of that template. A date with no year
    ("--05") is read beside the article's date and stays."""
    if not value or value.startswith("--"):
        return value
    try:
        if len(value) == 10:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        if len(value) == 7:
            return (date.fromisoformat(value + "-15") + timedelta(days=days)).isoformat()[:7]
        if len(value) == 4:
            return (date.fromisoformat(value + "-07-01") + timedelta(days=days)).isoformat()[:4]
    except ValueError:
        return value
    return value


def copies(base: list[dict], n: int) -> list[Document]:
    docs = []
    for k in range(n):
        for d in base:
            d = copy.deepcopy(d)
            art = d["article"]
            art["id"] = f"{art['id']}-{k}"
            art["published"] = shift_date(art["published"] or "2020-01-01", 40 * k)
            for e in d["entities"]:
                if e["type"] == "PERSON" and k % 3:
                    e["name"] = f"{e['name']} X{k}"
            for v in d["events"]:
                if v.get("date"):
                    v["date"]["start"] = shift_date(v["date"]["start"], 40 * k)
                    v["date"]["end"] = shift_date(v["date"]["end"], 40 * k)
            docs.append(Document.from_dict(d))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", type=Path)
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 10, 40, 160])
    a = ap.parse_args()
    base = [json.loads(line) for line in a.docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    for n in a.copies:
        docs = copies(base, n)
        start = time.perf_counter()
        res = resolve(docs)
        seconds = time.perf_counter() - start
        print(json.dumps({"articles": len(docs), "seconds": round(seconds, 2),
                          "ms_per_article": round(1000 * seconds / len(docs), 2),
                          "stories": len(res.stories), "identities": len(res.identities)}), flush=True)


if __name__ == "__main__":
    main()
