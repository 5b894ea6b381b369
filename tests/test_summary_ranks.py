"""Migration 22 (`store/summary_ranks.py`): the covering indexes of the summaries by month that the
pipeline and the network dated to the day read. A store made before it gets them, and its dated pages
stay what counting the events gives. Invented fixtures, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from parley.store import Store, migrations, pipeline, summary_ranks
from parley.store import aggregates as ag
from parley.store.aggregates import EventFilter
from parley.store.summary import pipeline_month_folds

from .test_pipeline_summary import article
from .web.test_summaries import documents


def _indexes(store: Store) -> set[str]:
    tables = sorted({table for table, _ in summary_ranks.INDEXES.values()})
    return store.read(lambda c: {i["name"] for t in tables for i in inspect(c).get_indexes(t)})


def test_migration_22_indexes_a_store_made_before_it(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", [t for t in migrations.MIGRATIONS if t[0] < 22])
        m.setattr(migrations, "LATEST", 21)
        with Store(store_url) as store:
            assert {r.status for r in store.add_many(documents())} <= {"stored", "near-duplicate"}
            for n in range(12):
                store.add(article(n))
            assert not set(summary_ranks.INDEXES) & _indexes(store)
            before_pipeline = [store.read(pipeline.page_and_total, **f, limit=None) for f in PIPELINE_DATES]
            before_network = [store.read(ag.network, filters=f, types=tuple(ag.engagement_types()))
                              for f in NETWORK_DATES]
    with Store(store_url) as store:
        assert store.version == migrations.LATEST >= 22
        assert set(summary_ranks.INDEXES) <= _indexes(store)
        for f, before in zip(PIPELINE_DATES, before_pipeline):
            expected = store.read(pipeline.grouped, **f, limit=None)
            assert store.read(pipeline.page_and_total, **f, limit=None) == before == (expected, len(expected)), f
        for f, before in zip(NETWORK_DATES, before_network):
            types = tuple(ag.engagement_types())
            assert store.read(ag.network, filters=f, types=types) == before == store.read(
                ag.live_network, filters=f, types=types, by_type=True), f
        assert sum(len(p[0]) for p in before_pipeline) > 5
        assert sum(len(n["edges"]) for n in before_network) > 5


PIPELINE_DATES = [{"since": "2025-02-10"}, {"since": "2025-01-31", "until": "2025-05-20"},
                  {"since": "2025-01-31", "until": "2025-12-31", "country": "RUR"}]
NETWORK_DATES = [EventFilter(since="2024-01-15"), EventFilter(since="2024-02-29", until="2025-03-31", country="CHN"),
                 EventFilter(since="2023-12-31", until="2025-05-20")]


def test_sqlite_seeks_a_page_s_folds_by_month_on_the_index_that_holds_them(tmp_path) -> None:
    """The folds of a page's opportunities are read off `ix_pipeline_month_folds_key` alone (named to
    SQLite, which without statistics chose worse), the months' sums off their primary key."""
    with Store(str(tmp_path / "s.db")) as store:
        store.add(article(1))
        plan = store.read(lambda c: pipeline._by_primary_key(c, pipeline_month_folds))
        assert plan == f" INDEXED BY {summary_ranks.FOLDS_BY_KEY}"
        assert store.read(lambda c: pipeline._by_primary_key(c, pipeline.M)).startswith(" INDEXED BY sqlite_autoindex")
        sql = (f"EXPLAIN QUERY PLAN SELECT fold, reports, published FROM {pipeline_month_folds.name}{plan} "
               "WHERE scope = 0 AND country = '' AND side_a = 'a' AND side_b = 'b' AND sector = ''")
        assert "COVERING INDEX ix_pipeline_month_folds_key" in " ".join(
            str(r) for r in store.read(lambda c: c.exec_driver_sql(sql).all()))
