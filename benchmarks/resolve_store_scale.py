#!/usr/bin/env python3
"""What the incremental resolution pass (`parley resolve`) costs per new article as the store grows.

    PYTHONPATH=src .venv/bin/python benchmarks/resolve_store_scale.py DOCS.jsonl [--sizes 1000 10000 100000]
        [--batch 100] [--batches 3] [--keep DIR] [--fill-only] [--more | --again] [--copies]

DOCS.jsonl holds parley.article/1 documents (`parley export --format jsonl`), used as templates.
For each size, a fresh SQLite store (in a temporary folder, or DIR/store-SIZE.db with --keep) is
filled with that many generated articles, one template each in turn, written with bulk inserts
(the writer's own row builder; no spaCy, no near-duplicate test), and resolved in one pass. Then
`--batches` times, the `--batch` next (newest) articles are stored with `Store.add_many` and the
pass that resolves them (`persist.update`) is timed: ms per new article, wall and CPU (CPU is
this process's time, SQLite included: the figure to compare on a shared machine). With --keep,
the filled store before resolution is kept too (DIR/fill-SIZE.db) and reused by the next run of
that size (filling 100,000 articles takes most of an hour's run); --fill-only stops there; --more
times further batches on DIR/store-SIZE.db as the last run left it (no fill, no first pass); --again
times one batch there `--batches` times, each pass rolled back (stored first unless one is pending),
so that two versions of the code meet the very same store and batch, and prints the CPU of each
step of the pass (`phases`). The generator cycles through the templates, so a batch of 100 holds
other templates at each size: to compare sizes on the same composition, time `--more --batch N`
with N a multiple of the templates' number (140 for 70). It should stay
flat as the store grows: a new person is added to the stored identity of its name from the
stored rows (`resolve/quick.py`), or re-resolves its surname around the new articles' dates
(`resolve/window.py`: the mentions within three `bare_window_days` of them), or else its whole
surname; a new mention of a body or place adds to its sums and appends a row (`resolve/keyed.py`:
a place named in a quarter of the store is not read whole); a report meets the reports of its identities in its weeks (`resolve/persist.py`), and the
stories it joins are clustered again from their reports as stored (`resolve/report_rows.py`; a kept
store resolved before those rows has them filled first, untimed, as its passes would have).

Generated articles: the template's people renamed from a population with realistic frequencies
(six heads of state, each in about one article in ten; a long tail of people named once or
twice; surnames shared by many people; one mention in twenty a bare surname, "Mrs X"); 20
articles a day (--per-day), so a 100,000-article store spans fourteen years; the template's event dates moved
with the article's, a month or a year too (`resolve_scale.shift_date`: a store filled before that
holds every copy's "May" in one month, and stories that grow with the store); ids hashed as the store's are. With --copies, the older generator instead:
copies of the templates with every person renamed "NAME Xk" in two copies of three
(`resolve_scale.copies`). Prints one JSON object per size.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import hashlib
import json
import random
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from resolve_scale import shift_date, copies

from sqlalchemy import func, select

from parley.document import Document
from parley.resolve.persist import resolve_pending, store_reports, update
from parley.store import Store, dialect, schema, summary
from parley.store.writer import _child_rows

START = date(2015, 1, 1)
PER_DAY = 20
COUNTRIES = ("RUR", "ZEN", "GRA", "OST", "SYL", "BOR", "KRA", "VAL", "ELD", "MAR", "TOR", "QUA")
_SYLLABLES = ("ka", "ri", "to", "ma", "ne", "lo", "sa", "vi", "du", "pe", "ra", "mo", "li", "zu", "be", "no",
              "ta", "ge", "ko", "ha", "mi", "so", "fa", "ru", "de", "la", "vo", "ni", "te", "ba")


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(n)).capitalize()


class Population:
    """Invented people with realistic frequencies: six heads of state, each in about one article
    in ten; then ranks drawn by 1/(rank + 20) from 300,000 people, whose surnames come from
    8,000 by 1/(rank + 5), so common surnames are shared by many people."""

    HEADS = 6

    def __init__(self, seed: int = 5, size: int = 300_000) -> None:
        rng = random.Random(seed)
        givens = sorted({_word(rng, rng.choice((2, 3))) for _ in range(900)})
        surnames = sorted({_word(rng, rng.choice((2, 3, 3, 4))) for _ in range(9000)})[:8000]
        rng.shuffle(surnames)
        cum = list(accumulate(1 / (r + 5) for r in range(len(surnames))))
        self.people = []
        for _ in range(size):
            s = surnames[bisect.bisect(cum, rng.random() * cum[-1])]
            self.people.append((rng.choice(givens), s, rng.choice(COUNTRIES)))
        self.tail = list(accumulate(1 / (r + 20) for r in range(self.HEADS, size)))

    def draw(self, rng: random.Random) -> tuple[str, str, str]:
        if rng.random() < 0.12:  # a head of state: each in about one article of ten (4.5 people each)
            return self.people[rng.randrange(self.HEADS)]
        return self.people[self.HEADS + bisect.bisect(self.tail, rng.random() * self.tail[-1])]


def generate(templates: list[dict], n: int, seed: int = 7, per_day: int = PER_DAY, start: int = 0) -> list[Document]:
    """Articles start..n-1 of the n, oldest first (module docstring); the ones before `start` are
    drawn but not made."""
    rng = random.Random(seed)
    people = Population()
    out = []
    for i in range(n):
        if i < start:  # the same draws as below, without the copy
            taken = set()
            for e in templates[i % len(templates)]["entities"]:
                if e["type"] == "PERSON":
                    while (who := people.draw(rng)) in taken:
                        pass
                    taken.add(who)
                    rng.random()
            continue
        d = copy.deepcopy(templates[i % len(templates)])
        art = d["article"]
        day = START + timedelta(days=i // per_day)
        was = date.fromisoformat(art["published"]) if art.get("published") else date(2020, 1, 1)
        moved = (day - was).days
        art["id"] = hashlib.sha1(f"generated/{i}".encode()).hexdigest()
        art["published"] = day.isoformat()
        taken = set()
        for e in d["entities"]:
            if e["type"] != "PERSON":
                continue
            while (who := people.draw(rng)) in taken:
                pass
            taken.add(who)
            given, surname, country = who
            e["name"] = surname if rng.random() < 0.05 else f"{given} {surname}"
            e["aliases"], e["country"] = [], country
        for v in d["events"]:
            if v.get("date"):
                v["date"]["start"] = shift_date(v["date"]["start"], moved)
                v["date"]["end"] = shift_date(v["date"]["end"], moved)
        out.append(Document.from_dict(d))
    return out


def bulk_insert(store: Store, docs: list[Document], batch: int = 1000) -> None:
    """Articles with their child rows, full-text index and summary rows, as the writer makes them,
    in executemany batches (as `web_latency.py` fills its store)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    for k in range(0, len(docs), batch):
        articles, children, parsed = [], defaultdict(list), []
        for doc in docs[k:k + batch]:
            a, data = doc.article, doc.to_dict()
            articles.append({"id": a.id, "file": a.file, "url": a.url, "source": a.source, "published": a.published,
                             "headline": a.headline, "dateline": a.dateline, "language": a.language, "text": a.text,
                             "captions": list(a.captions), "document": data, "duplicate_of": None, "minhash": None,
                             "ingested_at": now})
            parsed.append((data, False))
            for table, rows in _child_rows(doc).items():
                if table is not schema.minhash_bands:
                    children[table] += rows
        with dialect.write_connection(store.engine) as conn, conn.begin():
            conn.execute(schema.articles.insert(), articles)
            for table in schema.CHILD_TABLES:
                if children[table]:
                    conn.execute(table.insert(), children[table])
            for doc in docs[k:k + batch]:
                dialect.index_text(conn, doc.article.id, doc.article.headline or "", doc.article.text,
                                   "\n".join(q.text for q in doc.quotes))
            summary.record(conn, parsed)


def fill(db: Path, old: list[Document], snapshot: Path | None = None) -> float:
    """Fill the store at `db` with `old` (copied from `snapshot` when it holds them already, and
    kept there otherwise); returns the seconds it took."""
    started = time.perf_counter()
    if snapshot is not None and snapshot.exists():
        shutil.copy(snapshot, db)
        with Store(db, near_duplicate_threshold=1.01) as store:
            if store.read(lambda conn: conn.execute(select(func.count()).select_from(schema.articles)).scalar()) == len(old):
                return time.perf_counter() - started
        db.unlink()
    with Store(db, near_duplicate_threshold=1.01) as store:
        bulk_insert(store, old)
    if snapshot is not None:
        shutil.copy(db, snapshot)
    return time.perf_counter() - started


def measure(db: Path, old: list[Document], news: list[list[Document]], snapshot: Path | None = None) -> dict:
    filled = fill(db, old, snapshot)
    with Store(db, near_duplicate_threshold=1.01) as store:
        started = time.perf_counter()
        store.write(lambda conn: resolve_pending(conn, full=True))
        first = time.perf_counter() - started
        wall, cpu = [], []
        for batch in news:
            store.add_many(batch)
            w, c = time.perf_counter(), time.process_time()
            update(store)
            wall.append(1000 * (time.perf_counter() - w) / len(batch))
            cpu.append(1000 * (time.process_time() - c) / len(batch))
    return {"stored": len(old), "new": [len(b) for b in news], "fill_s": round(filled, 1),
            "first_pass_ms_per_article": round(1000 * first / max(1, len(old)), 2),
            "new_ms_per_article": [round(x, 1) for x in wall], "new_cpu_ms_per_article": [round(x, 1) for x in cpu],
            "median_cpu_ms": round(statistics.median(cpu), 1)}


def fill_reports(store: Store) -> None:
    """Store the reports of every resolved article that has none (a store resolved by a version
    before `resolve_reports`), as passes would have: not timed."""
    while store.write(lambda conn: store_reports(conn, 5000)):
        pass


def more(db: Path, base: list[dict], batch: int, batches: int, per_day: int) -> dict:
    """Time `batches` more batches on a kept, resolved store (the generator's next articles)."""
    with Store(db, near_duplicate_threshold=1.01) as store:
        fill_reports(store)
        stored = store.read(lambda conn: conn.execute(select(func.count()).select_from(schema.articles)).scalar())
        docs = generate(base, stored + batch * batches, per_day=per_day, start=stored)
        wall, cpu = [], []
        for k in range(batches):
            store.add_many(docs[k * batch:(k + 1) * batch])
            w, c = time.perf_counter(), time.process_time()
            update(store)
            wall.append(1000 * (time.perf_counter() - w) / batch)
            cpu.append(1000 * (time.process_time() - c) / batch)
    return {"stored": stored, "new": [batch] * batches, "new_ms_per_article": [round(x, 1) for x in wall],
            "new_cpu_ms_per_article": [round(x, 1) for x in cpu], "median_cpu_ms": round(statistics.median(cpu), 1)}


PHASES = {"people (whole surname)": ("persist", "_Region._people"), "bodies and places": ("persist", "_Region._keyed"),
          "stories": ("persist", "_Region._stories"), "people (stored rows)": ("quick", "plan", "write"),
          "people (date window)": ("window", "select_keys", "apply")}


def phases() -> dict[str, float]:
    """Wrap the pass's steps so that each adds its CPU seconds to the dict returned (nested
    calls count in each step that holds them)."""
    from parley.resolve import persist, quick, window

    spent: dict[str, float] = {name: 0.0 for name in PHASES}
    modules = {"persist": persist, "quick": quick, "window": window}
    for name, (module, *functions) in PHASES.items():
        for dotted in functions:
            owner = modules[module]
            *path, attr = dotted.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, attr)

            def timed(*args, _f=original, _name=name, **kwargs):
                started = time.process_time()
                try:
                    return _f(*args, **kwargs)
                finally:
                    spent[_name] += time.process_time() - started

            setattr(owner, attr, timed)
    return spent


class _Undo(Exception):
    """Raised inside a timed pass to roll it back (`again`)."""


def again(db: Path, base: list[dict], batch: int, batches: int, per_day: int) -> dict:
    """Time one batch's pass `batches` times on a kept, resolved store, each pass rolled back:
    the generator's next `batch` articles are stored first unless some are pending already, so
    two versions of the code can be timed on the very same store and batch."""
    from parley.resolve.persist import pending, resolve_pending

    with Store(db, near_duplicate_threshold=1.01) as store:
        fill_reports(store)
        stored = store.read(lambda conn: conn.execute(select(func.count()).select_from(schema.articles)).scalar())
        if not pending(store):
            store.add_many(generate(base, stored + batch, per_day=per_day, start=stored))
            stored += batch
        wall, cpu, n = [], [], [0]
        spent = phases()

        def timed(conn) -> None:
            w, c = time.perf_counter(), time.process_time()
            n[0] = resolve_pending(conn)
            wall.append(1000 * (time.perf_counter() - w) / max(1, n[0]))
            cpu.append(1000 * (time.process_time() - c) / max(1, n[0]))
            raise _Undo

        for _ in range(batches):
            try:
                store.write(timed)
            except _Undo:
                pass
    return {"stored": stored - n[0], "new": [n[0]] * batches, "new_ms_per_article": [round(x, 1) for x in wall],
            "new_cpu_ms_per_article": [round(x, 1) for x in cpu], "median_cpu_ms": round(statistics.median(cpu), 1),
            "phase_cpu_ms_per_article": {k: round(1000 * v / max(1, n[0] * batches), 1) for k, v in spent.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", type=Path)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--batches", type=int, default=3, help="new batches timed one after another")
    ap.add_argument("--keep", type=Path, help="keep each store as DIR/store-SIZE.db (for web_latency-style checks)")
    ap.add_argument("--fill-only", action="store_true", help="with --keep: fill (or find) DIR/fill-SIZE.db and stop")
    ap.add_argument("--more", action="store_true",
                    help="with --keep: time --batches more batches on DIR/store-SIZE.db as an earlier run left it")
    ap.add_argument("--again", action="store_true",
                    help="with --keep: time the same batch --batches times on DIR/store-SIZE.db, each pass rolled back")
    ap.add_argument("--per-day", type=int, default=PER_DAY, help="generated articles per day")
    ap.add_argument("--copies", action="store_true", help="the older generator (resolve_scale.copies)")
    a = ap.parse_args()
    base = [json.loads(line) for line in a.docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    for size in a.sizes:
        if a.again:
            print(json.dumps(again(a.keep / f"store-{size}.db", base, a.batch, a.batches, a.per_day)), flush=True)
            continue
        if a.more:
            print(json.dumps(more(a.keep / f"store-{size}.db", base, a.batch, a.batches, a.per_day)), flush=True)
            continue
        total = size + a.batch * a.batches
        if a.copies:
            docs = copies(base, -(-total // len(base)))
            for d in docs:  # ids as the store makes them: hashes, in no order
                d.article.id = hashlib.sha1(d.article.id.encode()).hexdigest()
        else:
            docs = generate(base, total, per_day=a.per_day)
        old = docs[:size]
        news = [docs[size + k * a.batch:size + (k + 1) * a.batch] for k in range(a.batches)]
        if a.keep:
            a.keep.mkdir(parents=True, exist_ok=True)
            db = a.keep / f"store-{size}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            snapshot = a.keep / f"fill-{size}.db"
            if a.fill_only:
                print(json.dumps({"stored": size, "fill_s": round(fill(db, old, snapshot), 1)}), flush=True)
                continue
            print(json.dumps(measure(db, old, news, snapshot)), flush=True)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                print(json.dumps(measure(Path(tmp) / "s.db", old, news)), flush=True)


if __name__ == "__main__":
    main()
