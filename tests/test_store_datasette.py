"""The store opened with datasette itself (not a copy of its SQL): its `?_search=` finds articles through
the full-text index Parley keeps, by word stems, and its views list events with names and articles."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from .test_store import make_doc, other_doc
from .test_store_tables import db  # noqa: F401  (the fixture: a store of two articles)

datasette_app = pytest.importorskip("datasette.app")


def _get(db: Path, path: str) -> Any:
    async def go() -> Any:
        ds = datasette_app.Datasette([str(db)])
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.json()

    return asyncio.run(go())


def test_datasette_search_finds_articles_by_their_words_and_stems(db: Path) -> None:
    def found(q: str) -> list[str]:
        return sorted(r["id"] for r in _get(db, f"/parley/articles.json?_search={q}&_shape=array&_col=id"))

    a, b = make_doc().article.id, other_doc().article.id
    assert found("Odhiambo") == [b]  # a word of the body
    assert found("mayors") == [a]  # of the headline
    assert found("visits") == sorted([a, b])  # "visited", by its stem
    assert found("xylophone") == []


def test_datasette_lists_events_with_names_through_the_view(db: Path) -> None:
    rows = _get(db, "/parley/events_view.json?_shape=array&event_id=v1&_sort=headline")
    assert [(r["id"], r["type"], r["actors"], r["headline"]) for r in rows] == [
        (f"{make_doc().article.id}:v1", "CONSULT", "Richard Parker", "British Mayors Seek Deals"),
        (f"{other_doc().article.id}:v1", "CONSULT", "Amina Odhiambo", "Kenyan Farmers Visit Ports")]
