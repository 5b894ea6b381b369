"""The store: round trips, duplicates, search, filters, migrations, concurrency, crash safety, exports.

Tests that take `store_url` run on SQLite and on PostgreSQL (see stores.py); the others are about
SQLite files and paths.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

try:
    import parley  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from parley.document import (
    Article, Document, Entity, Event, EventDate, Mention, Quote, Role, Span, Trigger,
)
from parley.errors import StoreError
from parley.store import AddResult, ArticleNotFound, Store, export
from parley.store import migrations

WORDS = ("trade investment city delegation factory mayor visit cooperation energy market export "
         "vehicle battery port council minister talks agreement growth research partner school "
         "hospital bank railway summit culture tourism students engineers farmers bridge").split()


def long_text(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(n)) + "."


def make_doc(aid: str = "a" * 40, *, seed: int = 1, headline: str = "British Mayors Seek Deals",
             published: str | None = "2025-03-21", person: str = "Richard Parker",
             country: str = "GBR", extra: str = "") -> Document:
    """A hand-built document with entities, roles, mentions, quotes and events (no spaCy)."""
    lead = f"{person} visited Chongqing on Thursday. He said the zephyrine city is dynamic. {extra} "
    text = lead + long_text(seed)
    p_at = text.index(person)
    c_at = text.index("Chongqing")
    q_text = "the zephyrine city is dynamic"
    q_at = text.index(q_text)
    surname = person.split()[-1]
    return Document(
        article=Article(
            id=aid, text=text, file=f"{aid[:6]}.txt", source="APP", published=published,
            headline=headline, dateline="CHONGQING", captions=["=cmd|' /C calc'!A0 caption"],
        ),
        entities=[
            Entity(id="e1", type="PERSON", name=person, aliases=[surname], country=country, sector="GOV",
                   roles=[Role(title="mayor", of="West Midlands", start=0, end=5)],
                   mentions=[Mention(p_at, p_at + len(person), person),
                             Mention(p_at, p_at + len(surname), surname)]),
            Entity(id="e2", type="GPE", name="Chongqing", country="CHN",
                   geo={"lat": 29.56, "lon": 106.55, "admin1": None, "geonameid": 1814906},
                   mentions=[Mention(c_at, c_at + 9, "Chongqing")]),
            Entity(id="e3", type="ORG", name="Changan Automobile", country="CHN", sector="BUS"),
        ],
        quotes=[
            Quote(id="q1", text=q_text, start=q_at, end=q_at + len(q_text), speaker="e1",
                  speaker_text="He", cue="said", kind="indirect", stance=0.6),
            Quote(id="q2", text="We welcome partners", start=0, end=5, speaker=None,
                  speaker_text="an official", cue="told", kind="direct", stance=None),
        ],
        events=[
            Event(id="v1", type="CONSULT", mode="visit", actor=["e1"], recipient=["e2"], location="e2",
                  date=EventDate("2025-03-19", "2025-03-20", "on Thursday", "day"),
                  sectors=["investment", "trade"], trigger=Trigger("visited", 15, 22),
                  sentence=Span(0, 40), confidence=0.9),
            Event(id="v2", type="AGREE", actor=["e3"], recipient=["e1"],
                  date=EventDate(None, None, None, "unknown"), sectors=["automotive"],
                  trigger=Trigger("hope", 0, 4), sentence=Span(0, 10), hypothetical=True),
        ],
    )


def other_doc() -> Document:
    doc = make_doc("b" * 40, seed=2, headline="Kenyan Farmers Visit Ports", published="2024-11-02",
                   person="Amina Odhiambo", country="KEN")
    doc.events[0].date = EventDate("2024-10", None, "in October", "month")
    return doc


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        yield s


def sql(store: Store, query: str) -> list[tuple]:
    """Rows of a plain SQL query, on either database."""
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


# --- round trip, duplicates ----------------------------------------------------------------------

def test_round_trip_gives_back_the_same_document(store):
    doc = make_doc()
    result = store.add(doc)
    assert result == AddResult("stored", doc.article.id)
    assert store.get(doc.article.id) == doc
    assert store.get(doc.article.id[:6]) == doc  # unique prefix
    assert store.has(doc.article.id) and not store.has("nope")
    with pytest.raises(ArticleNotFound):
        store.get("zzzzzzzz")
    with pytest.raises(KeyError):
        store.get("aaaaa")  # prefix too short
    with pytest.raises(StoreError, match="no article"):
        store.get("missing-id")


def test_ambiguous_prefix(store):
    store.add_many([make_doc("abcdef1" + "0" * 33), make_doc("abcdef2" + "0" * 33, seed=9)])
    with pytest.raises(ArticleNotFound, match="ambiguous"):
        store.get("abcdef")


def test_adding_twice_changes_nothing(store):
    doc = make_doc()
    store.add(doc)
    before = store.counts()
    assert store.add(doc).status == "duplicate"
    assert [r.status for r in store.add_many([doc, doc])] == ["duplicate", "duplicate"]
    assert store.counts() == before
    assert before == {"articles": 1, "near_duplicates": 0, "entities": 3, "mentions": 3,
                      "quotes": 2, "events": 2}


def test_near_duplicate_is_linked_and_hidden(store):
    first = make_doc()
    words = first.article.text.split(" ")
    words[40], words[120] = "changed", "altered"
    near = make_doc("c" * 40)
    near.article.text = " ".join(words)
    different = other_doc()
    results = store.add_many([first, near, different])
    assert [r.status for r in results] == ["stored", "near-duplicate", "stored"]
    assert results[1].duplicate_of == first.article.id and results[2].duplicate_of is None
    counts = store.counts()
    assert counts["articles"] == 2 and counts["near_duplicates"] == 1 and counts["quotes"] == 4
    assert {a["id"] for a in store.articles()} == {first.article.id, different.article.id}
    every = store.articles(include_duplicates=True)
    assert {a["id"]: a["duplicate_of"] for a in every}[near.article.id] == first.article.id
    assert sorted(r["id"] for r in store.search("zephyrine")) == sorted([first.article.id, different.article.id])
    assert len(store.search("zephyrine", include_duplicates=True)) == 3
    assert store.entities(name="Richard Parker")[0]["articles"] == 1
    assert store.get(near.article.id) == near  # still stored, so it can be shown
    # a later copy of the near-duplicate points to the first copy, not to the near-duplicate
    again = make_doc("d" * 40)
    again.article.text = near.article.text.replace("changed", "modified")
    assert store.add(again) == AddResult("near-duplicate", "d" * 40, first.article.id)


# --- search --------------------------------------------------------------------------------------

def test_search_headline_text_quotes(store):
    a, b = make_doc(extra="We welcome quixotic partners."), other_doc()
    a.quotes[1].text = "We welcome quixotic partners"  # a quote is a span of the text: indexed with it
    store.add_many([a, b])
    assert [r["id"] for r in store.search("Mayors")] == [a.article.id]  # headline
    assert [r["id"] for r in store.search("Odhiambo")] == [b.article.id]  # text
    assert [r["id"] for r in store.search("quixotic")] == [a.article.id]  # quote text
    assert [r["id"] for r in store.search('"British Mayors"')] == [a.article.id]  # phrase
    assert store.search('"Mayors British"') == []
    assert [r["id"] for r in store.search("quixot*")] == [a.article.id]  # prefix
    assert [r["id"] for r in store.search("kenyan farmers")] == [b.article.id]  # all words
    hit = store.search("Odhiambo")[0]
    assert "[Odhiambo]" in hit["snippet"] and isinstance(hit["rank"], float)
    json.dumps(hit)
    assert len(store.search("zephyrine", limit=1)) == 1
    assert len(store.search("zephyrine", limit=1, offset=1)) == 1


@pytest.mark.parametrize("query", ['"', "AND OR", "a*b(", "NEAR(", "", "   ", "*", "-", '""', "(a OR",
                                   "headline:zephyrine", "^x", "NOT", "a + b", "'; DROP TABLE articles;--",
                                   '"unterminated phrase', "x AND", "\x00", "NEAR(a b, 3)", "é*"])
def test_search_survives_hostile_queries(store, query):
    store.add(make_doc())
    assert isinstance(store.search(query), list)
    assert store.counts()["articles"] == 1


# --- query filters -------------------------------------------------------------------------------

@pytest.fixture
def filled(store):
    a, b = make_doc(), other_doc()
    c = make_doc("f" * 40, seed=3, headline="Mayor returns", published="2025-04-02")  # Richard Parker again
    c.entities[0].roles = [Role(title="metro mayor", of="West Midlands")]
    c.entities[0].country = None
    store.add_many([a, b, c])
    return store


def test_articles_filters(filled):
    assert [a["published"] for a in filled.articles()] == ["2025-04-02", "2025-03-21", "2024-11-02"]
    assert len(filled.articles(since="2025-01-01")) == 2
    assert len(filled.articles(until="2025-03-21")) == 2
    assert len(filled.articles(until="2025-03")) == 2  # inclusive at its own precision
    assert len(filled.articles(since="2025-03-01", until="2025-03-31")) == 1
    assert len(filled.articles(limit=1, offset=1)) == 1
    row = filled.articles(limit=1)[0]
    assert row["entities"] == 3 and row["quotes"] == 2 and row["events"] == 2 and row["mentions"] == 3
    json.dumps(filled.articles())


def test_entities_aggregated(filled):
    parker = filled.entities(name="richard")[0]
    assert (parker["type"], parker["name"], parker["articles"], parker["mentions"]) == \
        ("PERSON", "Richard Parker", 2, 4)
    assert parker["country"] == "GBR" and parker["sector"] == "GOV"
    assert parker["titles"] == ["mayor", "metro mayor"] and parker["aliases"] == ["Parker"]
    assert filled.entities(name="parker")[0]["name"] == "Richard Parker"  # alias
    assert {e["name"] for e in filled.entities(type="gpe")} == {"Chongqing"}
    assert filled.entities(type="GPE")[0]["articles"] == 3
    assert {e["name"] for e in filled.people()} == {"Richard Parker", "Amina Odhiambo"}
    assert [e["name"] for e in filled.people(limit=1)] == ["Richard Parker"]
    assert filled.entities(name="%") == [] and filled.entities(name="_") == []
    json.dumps(filled.entities())


def test_quotes_filters(filled):
    assert len(filled.quotes()) == 6
    by_name = filled.quotes(speaker="richard")
    assert {q["id"] for q in by_name} == {"q1"} and len(by_name) == 2
    assert by_name[0]["speaker"] == "Richard Parker" and by_name[0]["speaker_text"] == "He"
    assert by_name[0]["speaker_id"] == "e1"
    assert filled.quotes(speaker="official")[0]["speaker"] == "an official"  # no entity: the span
    assert len(filled.quotes(speaker="PARKER")) == 2  # alias, any case
    assert len(filled.quotes(speaker="official")) == 3  # speaker_text
    assert len(filled.quotes(kind="direct")) == 3
    assert len(filled.quotes(cue="SAID")) == 3
    assert len(filled.quotes(article_id="b" * 40)) == 2
    assert len(filled.quotes(limit=2, offset=5)) == 1
    json.dumps(filled.quotes())


def test_events_filters(filled):
    assert len(filled.events()) == 6
    assert len(filled.events(type="consult")) == 3
    assert {e["article_id"] for e in filled.events(country="KEN")} == {"b" * 40}
    assert len(filled.events(country="CHN")) == 6  # Chongqing / Changan take part in every event
    assert len(filled.events(sector="automotive")) == 3
    assert len(filled.events(actor="odhiambo")) == 1
    # v1 has its own date (2025-03-19..20); v2 has none and falls back to the article's date
    march = filled.events(since="2025-03-01", until="2025-03-31")
    assert {(e["article_id"], e["id"]) for e in march} == {("a" * 40, "v1"), ("a" * 40, "v2"),
                                                           ("f" * 40, "v1")}
    assert {e["id"] for e in filled.events(since="2025-03-20", until="2025-03-20")} == {"v1"}
    v1 = filled.events(type="CONSULT", actor="Richard", limit=1)[0]
    assert v1["actors"] == ["Richard Parker"] and v1["recipients"] == ["Chongqing"]
    assert v1["actor_ids"] == ["e1"] and v1["recipient_ids"] == ["e2"] and v1["countries"] == ["CHN", "GBR"]
    assert v1["location"] == "Chongqing" and v1["location_id"] == "e2"
    assert v1["sectors"] == ["investment", "trade"]
    assert len(filled.events(limit=2, offset=5)) == 1
    json.dumps(filled.events())


def test_iter_documents(filled):
    docs = list(filled.iter_documents())
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    assert list(filled.iter_documents(batch_size=1)) == docs


# --- migrations, opening -------------------------------------------------------------------------

def _versions(store: Store) -> list[tuple]:
    return sql(store, "SELECT version, applied_at FROM schema_version ORDER BY version")


def test_migrations_on_fresh_store_and_reopen(store_url):
    with Store(store_url) as s:
        assert s.version == migrations.LATEST
        s.add(make_doc())
        applied = _versions(s)
    assert [v for v, _ in applied] == [m[0] for m in migrations.MIGRATIONS]
    with Store(store_url) as s:
        assert s.counts()["articles"] == 1
        assert _versions(s) == applied  # nothing re-run
    if not store_url.startswith("postgresql"):
        with sqlite3.connect(store_url) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_processes_opening_a_fresh_store_migrate_it_once(store_url):
    code = "import sys; from parley.store import Store; Store(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, store_url], env=_child_env(),
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read()
    with Store(store_url) as s:
        assert [v for v, _ in _versions(s)] == [m[0] for m in migrations.MIGRATIONS]


def test_store_from_newer_version_is_refused(store_url):
    with Store(store_url) as s, s.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version VALUES (999, 'future', '2099-01-01')"))
    with pytest.raises(StoreError, match="newer Parley"):
        Store(store_url)


def test_sqlite_url(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'u.db'}") as s:
        s.add(make_doc())
        assert s.counts()["articles"] == 1


def test_bad_locations_give_store_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "dir" / "p.db")
    (tmp_path / "plain").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        Store(tmp_path / "plain" / "p.db")
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(tmp_path / "junk.db")
    with pytest.raises(StoreError, match="does not exist"):
        Store(f"sqlite:///{tmp_path / 'nowhere' / 'p.db'}")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="not writable"):
            Store(locked / "p.db")
    finally:
        locked.chmod(0o700)


# --- concurrency and crashes ---------------------------------------------------------------------

def _docs(n: int, prefix: str = "") -> list[Document]:
    return [make_doc(f"{prefix}{i:040d}"[-40:], seed=1000 + i, headline=f"Story {i}") for i in range(n)]


def test_threads_adding_same_documents(store_url):
    docs = _docs(30)
    path = store_url
    shared = Store(path)
    errors, results = [], []

    def work(store):
        try:
            results.extend(store.add_many(docs, batch_size=3))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(shared,)) for _ in range(2)]
    others = [Store(path) for _ in range(2)]
    threads += [threading.Thread(target=work, args=(s,)) for s in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.status == "stored" for r in results) == 30
    assert {r.status for r in results} == {"stored", "duplicate"}
    # entities counts distinct (type, name): the same three names in every document
    assert shared.counts() == {"articles": 30, "near_duplicates": 0, "entities": 3, "mentions": 90,
                               "quotes": 60, "events": 60}
    for s in [shared, *others]:
        s.close()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(sys.modules["parley"].__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


CHILD = """
import sys, json
from parley.document import Document
from parley.store import Store
docs = [Document.from_json(line) for line in open(sys.argv[2], encoding="utf-8")]
with Store(sys.argv[1]) as s:
    res = s.add_many(docs, batch_size=int(sys.argv[3]))
print(json.dumps([r.status for r in res]))
"""


def _write_jsonl(path: Path, docs: list[Document]) -> None:
    path.write_text("".join(d.to_json() + "\n" for d in docs), encoding="utf-8")


@pytest.mark.slow
def test_processes_adding_same_documents(tmp_path, store_url):
    docs = _docs(40)
    src = tmp_path / "docs.jsonl"
    _write_jsonl(src, docs)
    db = store_url
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(src), "2"], env=_child_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    statuses = [s for out, _ in outs for s in json.loads(out)]
    assert statuses.count("stored") == 40 and statuses.count("duplicate") == 80
    with Store(db) as s:
        assert s.counts()["articles"] == 40 and s.counts()["quotes"] == 80


def _article_counts(store: Store) -> dict[str, tuple[int, ...]]:
    """Per stored article: its entities, quotes, mentions, events, full-text and band rows."""
    def per(table):
        return dict(sql(store, f"SELECT article_id, count(*) FROM {table} GROUP BY article_id"))
    ents, quotes, ments, evs = per("entities"), per("quotes"), per("mentions"), per("events")
    fts, bands = per("articles_fts") if store.engine.dialect.name == "postgresql" else dict(sql(
        store, "SELECT a.id, count(*) FROM articles_fts f JOIN articles a ON a.rowid = f.rowid GROUP BY a.id")), per("minhash_bands")
    ids = [r[0] for r in sql(store, "SELECT id FROM articles")]
    return {i: (ents.get(i, 0), quotes.get(i, 0), ments.get(i, 0), evs.get(i, 0), fts.get(i, 0),
                bands.get(i, 0)) for i in ids}


def _whole(doc: Document) -> tuple[int, ...]:
    return (len(doc.entities), len(doc.quotes), sum(len(e.mentions) for e in doc.entities),
            len(doc.events), 1, 20)


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_whole_articles(tmp_path, store_url):
    docs = _docs(1000)
    src = tmp_path / "docs.jsonl"
    _write_jsonl(src, docs)
    db = store_url
    watcher = Store(db)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(src), "7"], env=_child_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and child.poll() is None:
        stored = sql(watcher, "SELECT count(*) FROM articles")[0][0]
        if stored >= 50:
            break
        time.sleep(0.02)
    assert child.poll() is None, "the child finished before it could be killed; give it more work"
    child.send_signal(signal.SIGKILL)
    child.wait()
    if not db.startswith("postgresql"):
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    by_id = {d.article.id: d for d in docs}
    present = _article_counts(watcher)
    assert 50 <= len(present) < len(docs)
    assert len(present) % 7 == 0  # whole batches of 7 (one transaction each), never part of one
    for aid, got in present.items():
        assert got == _whole(by_id[aid]), aid
    watcher.close()
    with Store(db) as s:
        results = s.add_many(docs)
        assert sum(r.status == "stored" for r in results) == len(docs) - len(present)
        assert s.counts()["articles"] == len(docs)
        assert s.counts()["quotes"] == 2 * len(docs)
        assert len(_article_counts(s)) == len(docs)


# --- exports -------------------------------------------------------------------------------------

def test_export_jsonl(filled, tmp_path):
    buf = io.BytesIO()
    assert export(filled, "jsonl", buf) == 3
    lines = buf.getvalue().decode("utf-8").splitlines()
    docs = {Document.from_json(line).article.id: Document.from_json(line) for line in lines}
    assert docs["a" * 40] == make_doc()
    path = tmp_path / "out.jsonl"
    assert export(filled, "jsonl", path, since="2025-01-01") == 2
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


def test_export_csv_defuses_formulas(store, tmp_path):
    evil = make_doc(headline="=HYPERLINK(\"http://x\",\"click\")")
    evil.article.source = "+cmd"
    evil.article.dateline = "@SUM(A1)"
    evil.article.url = "-2+3"
    store.add_many([evil, other_doc()])
    buf = io.BytesIO()
    assert export(store, "csv", buf) == 2
    assert not buf.closed
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode("utf-8"))))
    row = next(r for r in rows if r["id"] == "a" * 40)
    assert row["headline"] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert row["source"] == "'+cmd" and row["dateline"] == "'@SUM(A1)" and row["url"] == "'-2+3"
    assert row["entity_count"] == "3" and row["quote_count"] == "2" and row["event_count"] == "2"
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    export(store, "csv", tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == buf.getvalue()


def test_export_parquet(filled, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "out.parquet"
    assert export(filled, "parquet", path) == 3
    table = pq.read_table(path)
    assert table.num_rows == 3
    row = next(r for r in table.to_pylist() if r["id"] == "a" * 40)
    assert row["headline"] == "British Mayors Seek Deals" and row["text"] == make_doc().article.text
    assert json.loads(row["entities"])[0]["name"] == "Richard Parker"
    assert len(json.loads(row["quotes"])) == 2 and len(json.loads(row["events"])) == 2
    buf = io.BytesIO()
    assert export(filled, "parquet", buf, include_duplicates=True, until="2024-12-31") == 1


def test_export_unknown_format(store):
    with pytest.raises(StoreError, match="unknown export format"):
        export(store, "xlsx", io.BytesIO())


# --- odd inputs, other databases -----------------------------------------------------------------

def test_bad_document_is_rolled_back_whole(store):
    good = other_doc()
    bad = make_doc()
    bad.entities[1].id = "e1"  # two entities with one id
    with pytest.raises(StoreError, match="a" * 40):
        store.add_many([good, bad])
    assert store.counts()["articles"] == 0  # the batch is one transaction
    assert store.add(good).status == "stored"
    assert sql(store, "SELECT count(*) FROM entities") == [(3,)]
    assert sql(store, "SELECT count(*) FROM articles_fts") == [(1,)]


def test_nul_characters_are_stored_and_filtered_like_any_other(store):
    doc = make_doc(headline="Nul\x00Headline", extra="zero\x00byte")
    doc.quotes[1].text = "We\x00welcome partners"
    assert store.add(doc).status == "stored"
    assert store.get(doc.article.id) == doc  # the document keeps the text exactly
    assert store.articles()[0]["id"] == doc.article.id
    for rows in (store.entities(name="a\x00b"), store.quotes(speaker="\x00"), store.search("zero\x00byte"),
                 store.events(actor="x\x00"), store.articles(since="2025\x00")):
        assert isinstance(rows, list)
    with pytest.raises(ArticleNotFound):
        store.get("aaaaaa\x00")


def test_urls_name_the_store_without_its_password(monkeypatch):
    from parley.store import store as store_module

    monkeypatch.setattr(store_module, "OPEN_ATTEMPTS", 1)  # nothing listens on port 1: fail at once
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as info:
        Store("postgres://parley:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        Store("mysql://someone@127.0.0.1/db")


def test_in_memory_store():
    with Store(":memory:") as s:
        assert s.add(make_doc()).status == "stored"
        assert s.get("a" * 40) == make_doc()
