"""The visits listing read off its summary (`visits_summary.py`) gives what the computation before it
(`visits_scan.visits_scan`, every article before the page split into visits) gives: for many filter
combinations and offsets, after writes, after an article's rows are deleted and counted again, and
after a resolution pass, on SQLite and PostgreSQL. The invented articles hold several visits each,
tours whose host country depends on which event meets the filters, engagements that are no visit
(they still order their article), undated and planned events, sectors in intents, near-duplicates."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from parley.analysis.places import lookup
from parley.document import (
    Article,
    Document,
    Entity,
    Event,
    EventDate,
    Mention,
    Span,
    Trigger,
)
from parley.store import Store, visits_summary
from parley.store import schema as s
from parley.store.visits import check_place, page_and_total, visits
from parley.store.visits_scan import visits_scan

PLACES = ["Mianyang", "Chengdu", "Wuhan", "Yichang", "Mombasa", "Nairobi", "Santiago", "Osaka"]
PARTIES = [("Ruritanian trade delegation", "GROUP", "CHL"), ("Minister Ana Velde", "PERSON", "CHL"),
           ("Governor Tao Min", "PERSON", "CHN"), ("Mayor Lin Qiao", "PERSON", "CHN"),
           ("Envoy Kamau Njeri", "PERSON", "KEN"), ("Acme Freight", "ORG", None),
           ("Consul Hiro Tanabe", "PERSON", "JPN"), ("Zyx Holdings", "ORG", "JPN")]
ACTS = [("CONSULT", "visit", "visited"), ("CONSULT", None, "met"), ("SUPPORT", None, "signed"),
        ("CONSULT", "visit", "called on"), ("CONSULT", "multilateral", "attended"), ("AGREE", None, "hopes"),
        ("CONSULT", "phone", "phoned"), ("SUPPORT", None, "praised")]
SECTORS = [[], ["energy"], ["ports", "energy"], ["agriculture"], []]
DATES = [None, "2023", "2024-05", "2024-05-06", "2024-11-20", "2025", "2025-02-14", "2025-09"]


def article(n: int, rng: random.Random, near_copy: bool = False) -> Document:
    """Article n: two to six events among a few invented parties at real places of the gazetteer."""
    parties = rng.sample(PARTIES, rng.randint(2, 4))
    places = rng.sample(PLACES, rng.randint(1, 2))
    sentences, events = [], []
    names = [p[0] for p in parties] + places
    text = "Report. " + " ".join(f"{x} was named." for x in names) + " "
    ents = []
    for i, (name, type_, country) in enumerate(parties):
        at = text.index(name)
        ents.append(Entity(id=f"p{i}", type=type_, name=name, country=country,
                           mentions=[Mention(at, at + len(name), name)]))
    for i, name in enumerate(places):
        at = text.index(name)
        geo = lookup(name).geo()
        ents.append(Entity(id=f"g{i}", type="GPE", name=name, country=geo.get("country"), geo=geo,
                           mentions=[Mention(at, at + len(name), name)]))
    for j in range(rng.randint(2, 6)):
        type_, mode, trigger = rng.choice(ACTS)
        actor = rng.sample(range(len(parties)), rng.randint(1, min(2, len(parties))))
        others = [k for k in range(len(parties)) if k not in actor]
        recipient = [f"p{k}" for k in rng.sample(others, min(len(others), rng.randint(0, 1)))]
        where = rng.choice([None, *range(len(places))])
        if where is not None and rng.random() < 0.3:
            recipient.append(f"g{where}")  # went to a place
            where = None
        sentence = f"They {trigger} there (item {j})."
        start = len(text)
        text += sentence + " "
        t = start + sentence.index(trigger)
        day = rng.choice(DATES)
        sentences.append(sentence)
        events.append(Event(id=f"v{j}", type=type_, mode=mode, trigger=Trigger(trigger, t, t + len(trigger)),
                            sentence=Span(start, start + len(sentence)), actor=[f"p{k}" for k in actor],
                            recipient=recipient, location=None if where is None else f"g{where}",
                            sectors=rng.choice(SECTORS), hypothetical=rng.random() < 0.2,
                            negated=rng.random() < 0.08,
                            date=EventDate(day, day, day, "day") if day else None, confidence=0.9))
    if near_copy:
        text += "Updated."
    published = None if n % 17 == 0 else f"{2023 + n % 3}-{n % 12 + 1:02d}-{n % 27 + 1:02d}"
    return Document(article=Article(id=f"{n:040d}", text=text, published=published, headline=f"Report {n}",
                                    source="Invented Wire"), entities=ents, events=events)


N = 60


@pytest.fixture
def db(store_url: str) -> str:
    rng = random.Random(5)
    docs = [article(n, rng) for n in range(N)]
    with Store(store_url) as store:
        store.add_many(docs[:40])
        for d in docs[40:]:  # one at a time, as `parley ingest` does batch by batch
            store.add(d)
        rng = random.Random(5)
        for n in range(3):  # near-duplicates: the same text, another id, a line more
            copy = article(n, rng, near_copy=True)
            copy.article.id = f"{900 + n:040d}"
            store.add(copy)
    return store_url


FILTERS = [{}, {"place": "China"}, {"place": "Sichuan"}, {"place": "Mianyang"}, {"place": "Kenya"},
           {"place": "Asia"}, {"place": "Hubei", "since": "2024"}, {"visitor_country": "CHL"},
           {"visitor_country": "jpn"}, {"visitor_country": "KEN", "place": "China"}, {"sector": "energy"},
           {"sector": "agriculture", "since": "2024-06"}, {"since": "2025"}, {"until": "2024-05"},
           {"since": "2024-05-06", "until": "2024-12"}, {"place": "China", "visitor_country": "CHL", "since": "2024",
                                                          "until": "2025"},
           {"include_duplicates": True}, {"include_duplicates": True, "place": "Wuhan"},
           {"place": "Santiago", "sector": "energy"}]
PAGES = [(None, 0), (5, 0), (5, 3), (3, 7), (10, 10), (50, 0)]


def same(store: Store, filters: dict) -> None:
    kwargs = {**filters}
    if isinstance(kwargs.get("place"), str):
        kwargs["place"] = check_place("place", kwargs["place"])
    for limit, offset in PAGES:
        new = store.read(visits, limit=limit, offset=offset, **kwargs)
        old = store.read(visits_scan, limit=limit, offset=offset, **kwargs)
        assert new == old, (filters, limit, offset)
    whole = store.read(visits_scan, limit=None, **kwargs)
    for limit, offset in PAGES[1:]:  # a page and the list's total, counted to a cap, in one pass
        for cap in (None, 1, 4, len(whole), len(whole) + 1):
            rows, n = store.read(page_and_total, limit=limit, offset=offset, count_to=cap, **kwargs)
            assert rows == whole[offset:offset + limit], (filters, limit, offset, cap)
            assert n == (len(whole) if cap is None else min(len(whole), max(cap, offset + limit))), (filters, cap)


def test_every_filter_and_page_as_before(db: str):
    with Store(db) as store:
        assert len(store.visits(limit=None)) > 40  # the fixtures hold visits enough to page through
        for filters in FILTERS:
            same(store, filters)


def test_the_summary_rows_are_the_articles_rows(db: str):
    """Counting every article again gives the rows the writer added, article by article."""
    with Store(db) as store:
        written = store.read(lambda c: sorted(tuple(r) for r in c.execute(select(visits_summary.visit_events))))
        assert written
        with store.engine.begin() as conn:
            visits_summary.refresh(conn, None)
        again = store.read(lambda c: sorted(tuple(r) for r in c.execute(select(visits_summary.visit_events))))
        assert again == written


def test_an_article_deleted_leaves_the_listing_when_counted_again(db: str):
    with Store(db) as store:
        gone = store.visits(limit=1)[0]["article_id"]
        with store.engine.begin() as conn:
            for t in reversed(s.metadata.sorted_tables):
                if "article_id" in t.c:
                    conn.execute(delete(t).where(t.c.article_id == gone))
            conn.execute(delete(s.articles).where(s.articles.c.id == gone))
            visits_summary.refresh(conn, [gone])
            assert conn.execute(select(func.count()).select_from(visits_summary.visit_events)
                                .where(visits_summary.visit_events.c.article_id == gone)).scalar() == 0
        assert gone not in {v["article_id"] for v in store.visits(limit=None)}
        for filters in FILTERS[:8]:
            same(store, filters)


def test_as_before_after_a_resolution_pass(db: str):
    from parley.resolve.persist import update

    with Store(db) as store:
        update(store)
        for filters in FILTERS[::3]:
            same(store, filters)


def test_a_near_duplicate_s_visit_is_found_by_visitor_country_when_asked(tmp_path: Path):
    """A difference from the computation before (`visits_scan` says both): it narrowed a visitor
    country or a sector through canonical articles' keys only, so it never found a near-duplicate's
    visit by them."""
    rng = random.Random(5)
    found = False
    for n in range(N):
        doc = article(n, rng)
        with Store(str(tmp_path / f"store-{n}.db")) as store:
            store.add(doc)
            rows = store.visits(limit=None)
            if not rows or not rows[0]["visitor_countries"]:
                continue
            country = rows[0]["visitor_countries"][0]
            copy = Document(article=Article(id="f" * 40, text=doc.article.text + " Updated.",
                                            published=doc.article.published, headline="copy"),
                            entities=doc.entities, events=doc.events)
            assert store.add(copy).status == "near-duplicate"
            ids = {v["article_id"] for v in store.visits(visitor_country=country, include_duplicates=True,
                                                         limit=None)}
            assert ids == {doc.article.id, "f" * 40}
            assert {v["article_id"] for v in store.visits(visitor_country=country, limit=None)} == {doc.article.id}
            found = True
            break
    assert found


@pytest.mark.parametrize("filters", [{}, {"place": "China"}, {"visitor_country": "CHL"}])
def test_pages_follow_each_other(db: str, filters: dict):
    """Pages of 4 laid end to end are the whole list (no visit twice, none missed)."""
    with Store(db) as store:
        whole = store.visits(limit=None, **filters)
        pages = list(itertools.chain.from_iterable(store.visits(limit=4, offset=k, **filters)
                                                   for k in range(0, len(whole) + 4, 4)))
        assert pages == whole


def test_filters_of_many_rows_read_newest_first_as_before(db: str, monkeypatch: pytest.MonkeyPatch):
    """A place, a visitor country or a sector above `FEW_ROWS` / `FEW_ARTICLES` is read off the
    newest-first index and checked row by row."""
    monkeypatch.setattr(visits_summary, "FEW_ROWS", 2)
    monkeypatch.setattr(visits_summary, "FEW_ARTICLES", 2)
    monkeypatch.setattr(visits_summary, "FIRST_BATCH", 3)
    with Store(db) as store:
        for filters in FILTERS:
            same(store, filters)


def test_migration_17_counts_a_store_written_before_it(store_url: str, monkeypatch: pytest.MonkeyPatch):
    """A store at migration 16 whose summary rows are missing gets them all from migration 17."""
    from parley.store import migrations

    before = [m for m in migrations.MIGRATIONS if m[0] < 17]
    rng = random.Random(9)
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", before)
        m.setattr(migrations, "LATEST", 16)
        with Store(store_url) as store:
            store.add_many([article(n, rng) for n in range(25)])
            with store.engine.begin() as conn:
                conn.execute(delete(visits_summary.visit_events))
                conn.execute(delete(visits_summary.visit_keys))
    with Store(store_url) as store:
        assert store.version == migrations.LATEST
        assert store.read(lambda c: c.execute(select(func.count()).select_from(visits_summary.visit_events)).scalar())
        for filters in FILTERS[::2]:
            same(store, filters)


def test_a_place_read_newest_first_sorts_the_rest_past_its_floor(db: str, monkeypatch: pytest.MonkeyPatch):
    """A place read newest first reads no further back than `SORTED_ROW_COST` times its rows down the
    index (`_floor`); the articles not met by then are sorted (`_sorted`) and follow those met: the
    same visits in the same order."""
    plan = visits_summary._plan
    monkeypatch.setattr(visits_summary, "_plan", lambda conn, check, want: (False, plan(conn, check, None)[1]))
    monkeypatch.setattr(visits_summary, "SORTED_ROW_COST", 1)
    monkeypatch.setattr(visits_summary, "FIRST_BATCH", 3)
    sorted_after = []
    real = visits_summary._sorted

    def spy(conn, check, include_duplicates, seen):
        sorted_after.append(len(seen))
        return real(conn, check, include_duplicates, seen)

    monkeypatch.setattr(visits_summary, "_sorted", spy)
    with Store(db) as store:
        for filters in FILTERS:
            same(store, filters)
    assert any(n > 0 for n in sorted_after)  # some page went on sorted after meeting articles newest first


def test_the_plan_weighs_a_page_read_newest_first_against_the_place_sorted(db: str):
    """`_plan`: every visit of a place is read sorted; a short page of a place of many rows newest
    first, a deep one sorted."""
    with Store(db) as store:
        def plan(conn, want):
            return visits_summary._plan(conn, visits_summary.VisitCheck(check_place("place", "China"), None, None,
                                                                        None, None), want)
        total = store.read(lambda c: c.execute(select(func.count()).select_from(visits_summary.visit_events)).scalar())
        few, rows = store.read(plan, want=None)
        assert few and 0 < rows < total
        assert store.read(plan, want=1) == (visits_summary.SORTED_ROW_COST * rows * rows <= total, rows)
        assert store.read(plan, want=10**6) == (True, rows)
