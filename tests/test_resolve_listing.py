"""The stored stories listing's filters and order (`store/resolved.py`), on SQLite and PostgreSQL:
the country and sector filters read `story_facets` rows and select exactly the stories whose
participants have that country (sector); migration 11 builds those rows for a store made before."""

from __future__ import annotations

from sqlalchemy import delete

from parley.resolve.persist import update
from parley.store import Store, resolved

from .test_resolve_store import _documents


def _check(store: Store) -> None:
    every = store.read(resolved.list_stories, limit=None)
    assert [s["reports"] for s in every] == sorted((s["reports"] for s in every), reverse=True)  # most reported first
    countries = {c for s in every for c in s["countries"]}
    sectors = {x for s in every for x in s["sectors"]}
    assert countries
    for kind, values in (("country", countries), ("sector", sectors)):
        for value in values:
            got = [s["id"] for s in store.read(resolved.list_stories, limit=None, **{kind: value})]
            field = "countries" if kind == "country" else "sectors"
            assert got == [s["id"] for s in every if value in s[field]]
            assert store.read(resolved.count_stories, **{kind: value}) == len(got)
    assert store.read(resolved.list_stories, country="XXX") == []


def test_country_and_sector_filters_read_the_facet_rows(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        _check(store)
        store.write(lambda conn: conn.execute(delete(resolved.story_facets)))
        assert store.read(resolved.list_stories, country=next(iter(
            {c for s in store.read(resolved.list_stories, limit=None) for c in s["countries"]}))) == []
        store.write(resolved.index_story_order)  # migration 11 on a store made before
        _check(store)
