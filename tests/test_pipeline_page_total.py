"""`pipeline.page_and_total` gives what `pipeline.pipeline` and `pipeline.total` give apart, for every
filter of the pipeline's summary tests (dated by years, months and days, or not), whole and in
pages, on SQLite and PostgreSQL; a page dated by months sums its months once."""

from __future__ import annotations

import itertools

import pytest

from parley.store import Store, pipeline

from .test_pipeline_summary import FILTERS, db  # noqa: F401  (the invented store and its filters)


def test_page_and_total_as_apart(db: str) -> None:  # noqa: F811
    with Store(db) as store:
        for f in FILTERS:
            for limit, offset in [(None, 0), *itertools.product((1, 3), (0, 2, 5))]:
                rows, total = store.read(pipeline.page_and_total, **f, limit=limit, offset=offset)
                assert rows == store.read(pipeline.pipeline, **f, limit=limit, offset=offset), f
                assert total == store.read(pipeline.total, **f), f


def test_a_page_dated_by_months_sums_them_once(db: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Without a stage the database ranks the opportunities and counts them (no summing in Python);
    with one, every opportunity's months are summed once for the page and its total."""
    calls = []
    real = pipeline._month_groups
    monkeypatch.setattr(pipeline, "_month_groups", lambda *a: calls.append(a) or real(*a))
    with Store(db) as store:
        rows, total = store.read(pipeline.page_and_total, since="2025-02", until="2025-06", limit=2)
        assert not calls and total >= len(rows) > 0
        rows, total = store.read(pipeline.page_and_total, since="2025-02", until="2025-06", limit=2, stage="intent")
        assert len(calls) == 1 and total >= len(rows) > 0
        assert store.read(pipeline.page_and_total, since="2025-02", until="2025-06", limit=2, offset=500) == (
            [], store.read(pipeline.total, since="2025-02", until="2025-06"))  # past the end: the total still
