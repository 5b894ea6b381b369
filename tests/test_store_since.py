"""`since` keeps a date whose period overlaps it: an event dated by its year or month only is not
dropped by a since inside that year or month (`queries.since_clause`), in the live queries and the cube."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parley.document import EventDate
from parley.store import Store
from parley.store.aggregates import EventFilter

from .test_store_events import make_doc

DATES = {"v1": EventDate("2025", "2025", "this year", "year"), "v2": EventDate("2025-03", "2025-03", "March", "month"),
         "v4": EventDate("2024", "2024", "last year", "year"), "v5": EventDate("--04-20", "--04-20", "April 20", "day")}


@pytest.fixture
def store(store_url: str):
    """On SQLite and on PostgreSQL (the `store_url` fixture; skipped without a server)."""
    doc = make_doc()
    doc = replace(doc, events=[replace(v, date=DATES.get(v.id, v.date)) for v in doc.events])
    with Store(store_url) as s:
        s.add(doc)
        yield s


@pytest.mark.parametrize(("since", "kept"), [
    ("2025-01-01", ["v1", "v2", "v3", "v5"]), ("2025", ["v1", "v2", "v3", "v5"]), ("2025-03-31", ["v1", "v2"]),
    ("2025-03", ["v1", "v2", "v3", "v5"]), ("2025-04-01", ["v1"]), ("2025-12-31", ["v1"]), ("2026-01-01", []),
    ("2024-06-01", ["v1", "v2", "v3", "v4", "v5"]),
])
# v3 (no date) and v5 (no year) are dated by the article, published 2025-03-21, as Store.events says.
def test_since_keeps_a_year_or_month_it_falls_in(store: Store, since: str, kept: list[str]) -> None:
    assert sorted(e["id"] for e in store.events(since=since, limit=None)) == kept


def test_until_and_since_together_select_by_overlap(store: Store) -> None:
    assert sorted(e["id"] for e in store.events(since="2025-02-01", until="2025-02-28", limit=None)) == ["v1"]


def test_the_cube_counts_what_the_live_query_lists(store: Store) -> None:
    from parley.store import aggregates as ag

    for since in ("2025-01-01", "2025-03", "2025-04-01", "2025"):
        f = EventFilter(since=since)
        facets = store.read(ag.facets, filters=f)
        assert sum(r["events"] for r in facets["type"]) == len(store.events(since=since, limit=None)), since
