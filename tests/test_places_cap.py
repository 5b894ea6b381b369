"""The map's places: the most eventful first, at most `limit`, and the total said (X-Total-Count,
the map page's status line) so a cut list is never taken for all there is."""

from __future__ import annotations

import pytest

from parley.document import Article, Document, Entity, Event, Mention, Span, Trigger
from parley.store import Store

TOWNS = [("Strelsau", 2), ("Zenda", 3), ("Tarlenheim", 1)]  # name, events there


def doc(n: int, town: str) -> Document:
    text = f"Ruritania met Freedonia in {town} on day {n} of the long talks about grain and timber."
    at = text.index(town)
    return Document(
        article=Article(id=f"{n:040d}", text=text, published="2025-03-21"),
        entities=[Entity(id="e1", type="GPE", name=town, country="RUR", mentions=[Mention(at, at + len(town), town)],
                         geo={"name": town, "lat": 50.0 + n, "lon": 14.0, "country": "RUR", "kind": "city"})],
        events=[Event(id="v1", type="CONSULT", trigger=Trigger("met", 10, 13), sentence=Span(0, len(text)),
                      location="e1")])


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "places.db")
    with Store(path) as store:
        n = 0
        for town, events in TOWNS:
            for _ in range(events):
                n += 1
                store.add(doc(n, town))
    return path


def test_the_api_cuts_at_limit_and_says_how_many_there_are(db: str) -> None:
    from fastapi.testclient import TestClient

    from parley.web.app import create_app

    client = TestClient(create_app(db))
    response = client.get("/api/aggregates/places", params={"limit": 2})
    assert [p["name"] for p in response.json()] == ["Zenda", "Strelsau"]
    assert response.headers["X-Total-Count"] == "3"
    filtered = client.get("/api/aggregates/places", params={"limit": 1, "type": "CONSULT"})
    assert len(filtered.json()) == 1 and filtered.headers["X-Total-Count"] == "3"
    assert client.get("/api/aggregates/places", params={"limit": 0}).status_code == 422
    assert "3 places." in client.get("/map").text  # all shown: no "of"
