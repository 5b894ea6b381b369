"""Pages dated to the day read the whole months from the summaries and only the months a day cuts
from the events (`aggregates._month_network`, `pipeline._month_sums`): for many day ranges and
filters they give what counting every event gives (`live_network`, `pipeline.grouped`). Invented
fixtures, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from parley.document import Document, Entity, Mention
from parley.store import Store, pipeline
from parley.store import aggregates as ag
from parley.store.aggregates import EventFilter

from .test_pipeline_summary import article
from .web.test_summaries import documents

# days on, before and after the fixtures' dates (2023-12-31, 2024-01-15, 2024-02-29..03-02, months of 2024-2025)
DAYS = ["2023-12-31", "2024-01-01", "2024-02-29", "2024-03-01", "2024-03-02", "2024-03-15", "2025-02-10",
        "2025-03-31", "2025-05-20"]
RANGES = [(None, d) for d in DAYS] + [(d, None) for d in DAYS] + [
    (a, b) for a, b in itertools.combinations(DAYS, 2)][::3] + [("2024-03", "2024-03-01"), ("2024-02-29", "2024")]


@pytest.fixture
def network_store(store_url: str) -> str:
    with Store(store_url) as store:
        assert {r.status for r in store.add_many(documents())} <= {"stored", "near-duplicate"}
    return store_url


def test_the_network_dated_to_the_day_is_the_live_network(network_store: str) -> None:
    checked = nonempty = 0
    with Store(network_store) as store:
        for (since, until), rest in itertools.product(RANGES, [{}, {"country": "CHN"}, {"type": "AGREE"},
                                                                {"country": "PER", "type": "CONSULT"}]):
            f = EventFilter(since=since, until=until, **rest)
            assert ag.by_month(f)
            for types, limit in itertools.product((None, tuple(ag.engagement_types()), ("CONSULT", "AGREE")),
                                                  (150, 2)):
                got = store.read(ag.network, filters=f, types=types, limit=limit)
                assert got == store.read(ag.live_network, filters=f, types=None if f.type else types, limit=limit,
                                         by_type=True), (f, types, limit)
                checked += 1
                nonempty += bool(got["edges"])
            assert store.read(ag.type_counts, filters=f) == store.read(ag.live_facets, filters=f)["type"], f
    assert checked > 400 and nonempty > checked // 3  # the ranges part the fixtures' events


@pytest.fixture
def pipeline_store(store_url: str) -> str:
    with Store(store_url) as store:
        for n in range(40):
            store.add(article(n))
        for n in (7, 14):
            store.add(article(100 + n, near_copy_of=n))
        for n in (41, 42, 43):
            store.add(with_third_party(article(n)))
    return store_url


def with_third_party(doc: Document) -> Document:
    """`doc` with a third party first among its first event's actors, its id after theirs (`e0` < `e1`
    sorts the other way), so parties listed in another order than stored would show."""
    text = doc.article.text + " Osterlich Mills joined."
    at = text.index("Osterlich Mills")
    third = Entity(id="e9", type="ORG", name="Osterlich Mills", country=None,
                   mentions=[Mention(at, at + len("Osterlich Mills"), "Osterlich Mills")])
    zero = replace(doc.entities[0], id="e0")
    events = [replace(doc.events[0], actor=["e9", "e0"], recipient=[*doc.events[0].recipient])] + [
        replace(v, actor=["e0" if a == "e1" else a for a in v.actor],
                recipient=["e0" if a == "e1" else a for a in v.recipient]) for v in doc.events[1:]]
    return replace(doc, article=replace(doc.article, text=text), entities=[zero, *doc.entities[1:], third],
                   events=events)


PIPELINE_DAYS = ["2025-01-31", "2025-02-01", "2025-02-10", "2025-03-15", "2025-05-20", "2025-07-01", "2025-12-31"]


def test_the_pipeline_dated_to_the_day_is_the_grouped_pipeline(pipeline_store: str) -> None:
    ranges = [(None, d) for d in PIPELINE_DAYS] + [(d, None) for d in PIPELINE_DAYS] + list(
        itertools.combinations(PIPELINE_DAYS, 2))[::2]
    rests = [{}, {"stage": "intent"}, {"sector": "energy"}, {"country": "RUR"}, {"include_duplicates": True},
             {"country": "GFW", "stage": "agreement", "include_duplicates": True}]
    shown = several = 0
    with Store(pipeline_store) as store:
        for (since, until), rest in itertools.product(ranges, rests):
            f = {"since": since, "until": until, **rest}
            expected = store.read(pipeline.grouped, **f, limit=None)
            assert store.read(pipeline.page_and_total, **f, limit=None) == (expected, len(expected)), f
            page = store.read(pipeline.page_and_total, **f, limit=2, offset=1)
            assert page == (expected[1:3], len(expected)), f
            shown += len(expected)
            several += sum(len(e["actors"]) > 1 for r in expected for es in r["evidence"].values() for e in es)
    assert shown > 200 and several > 20


def test_migration_19_indexes_a_store_made_before_it(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store made before migration 19 gets the covering index of the folds by month, and its dated
    pipeline stays what the grouped computation gives."""
    from sqlalchemy import inspect

    from parley.store import migrations
    from parley.store.summary import pipeline_month_folds

    def indexes(store: Store) -> set[str]:
        return store.read(lambda c: {i["name"] for i in inspect(c).get_indexes(pipeline_month_folds.name)})

    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", [t for t in migrations.MIGRATIONS if t[0] < 19])
        m.setattr(migrations, "LATEST", 17)
        with Store(store_url) as store:
            for n in range(12):
                store.add(article(n))
            assert "ix_pipeline_month_folds_cover" not in indexes(store)
    with Store(store_url) as store:
        assert store.version == migrations.LATEST >= 19
        assert "ix_pipeline_month_folds_cover" in indexes(store)
        for f in ({"since": "2025-02-10"}, {"since": "2025-01-31", "until": "2025-05-20", "stage": "intent"}):
            expected = store.read(pipeline.grouped, **f, limit=None)
            assert expected and store.read(pipeline.page_and_total, **f, limit=None) == (expected, len(expected))
