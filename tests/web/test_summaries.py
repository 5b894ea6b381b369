"""The summary tables (`parley.store.summary`) count exactly what the live queries count: facets and
timelines from the event cube, entity pages, totals; kept up to date by every stored article and
rebuilt the same by the migration. On SQLite and on PostgreSQL (where PARLEY_TEST_PG_URL is set)."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from parley.document import Document, EventDate, Role
from parley.store import Store, queries, summary
from parley.store import aggregates as ag
from parley.store import profile as pr
from parley.store.aggregates import BY, EventFilter
from parley.store.dialect import write_connection

from ..test_store_events import make_doc, other_doc
from . import live_reference as live

WORDS = ["river", "stone", "quiet", "lantern", "harbour", "meadow", "copper", "violet", "thunder", "orchard", "canvas"]


def _filler(seed: int) -> str:
    """A paragraph of its own, so a variant is not a near-duplicate of the article it was made from."""
    rng = random.Random(seed)
    return "\n\n" + " ".join(f"{rng.choice(WORDS)}{rng.randrange(10_000)}" for _ in range(400)) + "."


def variant(n: int, published: str | None, dates: list[EventDate | None], sectors: list[list[str]]) -> Document:
    """make_doc() with its own id and text, published date, event dates and sectors, and a role."""
    doc = make_doc()
    events = [replace(v, date=d if d is not None else None, sectors=sec)
              for v, d, sec in zip(doc.events, dates, sectors)]
    entities = list(doc.entities)
    entities[0] = replace(entities[0], roles=[Role(title="mayor", of=f"City {n % 2}")])
    if n % 3 == 0:
        entities[1] = replace(entities[1], country="JPN", name="Li Wei")  # a second country for one name
    article = replace(doc.article, id=f"{n:040d}", published=published, text=doc.article.text + _filler(n))
    return replace(doc, article=article, entities=entities, events=events)


def documents() -> list[Document]:
    day, month, year = (EventDate("2024-02-29", "2024-03-02", "", "day"), EventDate("2024-03", "2024-03", "", "month"),
                        EventDate("2023", "2023", "", "year"))
    docs = [make_doc(), other_doc()]
    plan = [("2024-03-01", [day, None, month, year, None]), (None, [None, year, None, day, month]),
            ("2023-12-31", [month, month, day, None, None]), ("2024-01-15", [None, None, None, None, year])]
    for n, (published, dates) in enumerate(plan, start=1):
        docs.append(variant(n, published, dates, [["trade", "investment"], [], ["trade"], ["automotive"], []]))
    near = replace(make_doc(), article=replace(make_doc().article, id="c" * 40))  # same text: a near-duplicate
    return [*docs, near]


FILTERS = [
    EventFilter(), EventFilter(type="agree"), EventFilter(country="chn"), EventFilter(country="PER"),
    EventFilter(sector="trade"), EventFilter(sector="investment", type="AGREE"),
    EventFilter(since="2024"), EventFilter(since="2024-03"), EventFilter(since="2024-03-01"),
    EventFilter(until="2024-02"), EventFilter(until="2024-02-29"), EventFilter(until="2023"),
    EventFilter(since="2024-01-01", until="2024-03-31", country="CHN"),
    EventFilter(since="2023-12", until="2024", sector="trade", type="CONSULT"),
]


def _q(store: Store, fn: Any, **kwargs: Any) -> Any:
    return store.read(fn, **kwargs)


def check_all(store: Store) -> None:
    """Every summary-backed answer equals the live one."""
    assert _q(store, ag.counts) == _q(store, queries.counts)
    for f in FILTERS:
        assert summary_facets(store, f) == _q(store, ag.live_facets, filters=f), f
        for by in BY:
            for bucket in ("month", "year"):
                assert _q(store, ag.timeline, by=by, filters=f, bucket=bucket) == _q(
                    store, ag.live_timeline, by=by, filters=f, bucket=bucket), (f, by, bucket)
    assert _q(store, ag.network) == _q(store, ag.live_network)
    assert _q(store, ag.network, limit=2) == _q(store, ag.live_network, limit=2)
    for types in (tuple(ag.engagement_types()), ("CONSULT",), ("AGREE", "ACCUSE")):  # from `network_types`
        for limit in (150, 2):
            assert _q(store, ag.network, types=types, limit=limit) == _q(
                store, ag.live_network, types=types, limit=limit, by_type=True), (types, limit)
    summed = 0
    for f in [*FILTERS, EventFilter(country="CHN", type="CONSULT"), EventFilter(country="CHN", until="2024-02"),
              EventFilter(since="2024-02-10", until="2024-03-05", type="AGREE"), EventFilter(until="2024-01-20")]:
        summed += f != EventFilter() and ag.by_month(f)  # the network of a country, type or months: `network_months`
        assert _q(store, ag.type_counts, filters=f) == _q(store, ag.live_facets, filters=f)["type"], f
        for types in (None, tuple(ag.engagement_types()), ("CONSULT",)):
            for limit in (150, 2):
                assert _q(store, ag.network, filters=f, types=types, limit=limit) == _q(
                    store, ag.live_network, filters=f, types=None if f.type else types, limit=limit,
                    by_type=f != EventFilter() or types is not None), (f, types, limit)
    assert summed >= 12
    assert _q(store, ag.places) == _q(store, ag.live_places)
    for f in FILTERS:  # a list of one sector or country is read off `event_keys`: the same rows
        if f.sector or f.country:
            listed = store.events(**{k: v for k, v in f.as_kwargs().items() if not k.endswith("_is")}, limit=None)
            assert _q(store, ag.events_page, filters=f, limit=1000) == _with_types(store, listed), f
            assert _q(store, ag.events_page, filters=f, limit=2, offset=1) == _with_types(store, listed[1:3]), f
    names = {(e["type"], e["name"]) for e in store.entities(limit=None, include_duplicates=True)}
    assert len(names) >= 8
    for type_, name in sorted(names):
        assert _q(store, pr.profile, type=type_, name=name) == _q(store, live.entity_profile, type=type_, name=name)


def _with_types(store: Store, rows: list[dict]) -> list[dict]:
    store.read(ag.add_entity_types, events=rows)
    return rows


def summary_facets(store: Store, f: EventFilter) -> dict:
    from parley.store import cube

    assert cube.answerable(f)
    return _q(store, ag.facets, filters=f)


def test_summaries_equal_the_live_counts_and_follow_each_new_article(store_url: str) -> None:
    docs = documents()
    with Store(store_url) as store:
        results = store.add_many(docs[:-2])
        assert {r.status for r in results} == {"stored"}
        check_all(store)
        before = _q(store, ag.facets)
        later = store.add_many(docs[-2:])  # one more article, and a near-duplicate
        assert [r.status for r in later] == ["stored", "near-duplicate"]
        check_all(store)
        assert _q(store, ag.facets) != before
        assert _q(store, ag.counts)["near_duplicates"] == 1


def test_the_migration_rebuilds_the_same_tables(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_many(documents())
        kept = dump(store)
        with write_connection(store.engine) as conn, conn.begin():
            assert summary.rebuild(conn) == len(documents())
        assert dump(store) == kept
        assert kept["_summary_entity_stats"] and kept["_summary_event_counts"]


def test_migration_12_counts_the_network_by_type_as_the_writer_does(store_url: str) -> None:
    from parley.store import migrations

    with Store(store_url) as store:
        store.add_many(documents())
        kept = dump(store)["_summary_network_types"]
        assert kept and {row[4] for row in kept} >= {"CONSULT", "AGREE"}
        with write_connection(store.engine) as conn, conn.begin():
            conn.execute(summary.network_types.delete())
            migrations._network_by_type(conn)
        assert dump(store)["_summary_network_types"] == kept


def test_migration_15_counts_the_network_by_month_and_country_as_the_writer_does(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_many(documents())
        kept = dump(store)["_summary_network_months"]
        assert {row[0] for row in kept} >= {"", "CHN"} and len({row[1] for row in kept}) >= 3
        with write_connection(store.engine) as conn, conn.begin():
            conn.execute(summary.network_months.delete())
            ag.create_network_months(conn)
        assert dump(store)["_summary_network_months"] == kept


def dump(store: Store) -> dict[str, list[tuple]]:
    with store.engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in summary.TABLES}


def test_exact_entity_filters_select_only_that_entity(store_url: str) -> None:
    """"Li" as text matches "Li Wei" and "Lima"; the exact key only the entity itself."""
    with Store(store_url) as store:
        store.add_many([make_doc(), other_doc()])
        graph = _q(store, ag.network)
        for edge in graph["edges"]:
            f = EventFilter(actor_is=f"{edge['source_type']}:{edge['source']}",
                            recipient_is=f"{edge['target_type']}:{edge['target']}")
            assert len(_q(store, ag.events_page, filters=f)) == edge["events"]
        for place in _q(store, ag.places):
            f = EventFilter(place_is=f"{place['type']}:{place['name']}")
            assert len(_q(store, ag.events_page, filters=f)) == place["events"]
        loose = _q(store, ag.events_page, filters=EventFilter(place="li"))
        exact = _q(store, ag.events_page, filters=EventFilter(place_is="GPE:Li"))
        assert loose and exact == []


@pytest.mark.parametrize("bad", ["GPE", "", ":", "PERSON:"])
def test_a_malformed_key_selects_nothing(store_url: str, bad: str) -> None:
    with Store(store_url) as store:
        store.add_many([make_doc()])
        assert _q(store, ag.events_page, filters=EventFilter(actor_is=bad or "x")) == []


def test_the_workbench_shows_a_new_article_at_once(store_url: str) -> None:
    """The web's cached figures and the summaries both move with the next stored article."""
    from parley.web.service import ALL, Workbench

    docs = documents()
    with Store(store_url) as store:
        store.add(docs[0])
        bench = Workbench(store)
        counts, facets = bench.counts(), bench.facets(ALL)
        smith = bench.entity("PERSON", "Jo Smith")
        store.add(docs[2])
        assert bench.counts()["events"] == counts["events"] + len(docs[2].events)
        assert bench.entity("PERSON", "Jo Smith")["articles"] == smith["articles"] + 1
        assert sum(f["events"] for f in bench.facets(ALL)["type"]) == sum(f["events"] for f in facets["type"]) + 5
