"""The web's store aggregates on hand-built documents (no spaCy), on SQLite and on PostgreSQL
(the latter where PARLEY_TEST_PG_URL names a server: see tests/stores.py)."""

from __future__ import annotations

from typing import Any

import pytest

from parley.store import Store
from parley.store import aggregates as ag
from parley.store.aggregates import EventFilter
from parley.web import create_app

from ..test_store_events import make_doc, other_doc
from .conftest import call


@pytest.fixture()
def filled(store_url: str) -> str:
    with Store(store_url) as store:
        store.add_many([make_doc(), other_doc()])
    return store_url


def q(url: str, fn: Any, **kwargs: Any) -> Any:
    with Store(url) as store:
        return store.read(fn, **kwargs)


def test_timeline_and_facets(filled: str) -> None:
    assert q(filled, ag.timeline, by="type") == [
        {"period": "2025-01", "key": "COOPERATE", "events": 1}, {"period": "2025-03", "key": "AGREE", "events": 2},
        {"period": "2025-03", "key": "CONSULT", "events": 2}, {"period": "2025-04", "key": "AGREE", "events": 1}]
    assert q(filled, ag.timeline, by="sector", bucket="year") == [
        {"period": "2025", "key": "automotive", "events": 1}, {"period": "2025", "key": "investment", "events": 2}]
    assert {(r["key"], r["events"]) for r in q(filled, ag.timeline, by="country", bucket="year")} == {
        ("CHN", 3), ("GBR", 2), ("KEN", 3), ("PER", 2), ("USA", 1)}
    facets = q(filled, ag.facets)
    assert facets["type"] == [{"value": "AGREE", "events": 3}, {"value": "CONSULT", "events": 2},
                              {"value": "COOPERATE", "events": 1}]
    kenya = q(filled, ag.facets, filters=EventFilter(country="KEN"))
    assert {f["value"]: f["events"] for f in kenya["type"]} == {"AGREE": 1, "CONSULT": 1, "COOPERATE": 1}
    # filters that name the tables the aggregate itself joins (sector, place, country)
    assert q(filled, ag.timeline, by="sector", filters=EventFilter(sector="investment"))[0]["events"] == 1
    assert q(filled, ag.timeline, by="country", filters=EventFilter(place="lima", country="PER"))[0]["key"] in {
        "KEN", "PER"}


def test_network_places_and_entity(filled: str) -> None:
    graph = q(filled, ag.network)
    edges = {(e["source"], e["target"]): e["events"] for e in graph["edges"]}
    assert edges == {("Jo Smith", "Li Wei"): 2, ("Acme Corp", "Li Wei"): 1, ("Kenya", "Lima"): 1,
                     ("Kenya", "Peru"): 1}
    assert graph["nodes"][0]["name"] in {"Li Wei", "Jo Smith"}
    assert [(p["name"], p["events"]) for p in q(filled, ag.places)] == [("Chongqing", 1), ("Lima", 1)]
    smith = q(filled, ag.entity_profile, type="PERSON", name="Jo Smith")
    assert smith["articles"] == 1 and smith["aliases"] == ["Smith"] and smith["countries"] == ["GBR"]
    assert [x["text"] for x in smith["quotes"]] == ["We hope to deepen cooperation in automotive,"]
    assert smith["counterparts"] == [{"type": "PERSON", "name": "Li Wei", "events": 2}]
    assert {e["id"] for e in smith["events"]} == {"v1", "v2"}
    lima = q(filled, ag.entity_profile, type="GPE", name="Lima")
    assert [e["id"] for e in lima["events"]] == ["v4"]  # happened there
    assert q(filled, ag.entity_profile, type="PERSON", name="Nobody") is None


def test_the_app_serves_every_store(filled: str) -> None:
    app = create_app(filled)
    for url in ("/", "/?by=country", "/events?country=KEN&sector=investment", "/network?place=lima",
                "/map", "/entities/PERSON/Jo%20Smith", "/entities/ORG/Tab%09Co%0ALtd", "/search?q=Smith",
                "/api/search?q=Kenya&type=AGREE", "/export/events.csv?type=AGREE", "/opportunities"):
        r = call(app, "GET", url)
        assert r.status_code == 200, (url, r.text[:300])
    app.state.workbench.store.close()


def test_near_duplicates_are_left_out(store_url: str) -> None:
    import dataclasses

    doc = make_doc()
    twin = dataclasses.replace(doc, article=dataclasses.replace(doc.article, id="c" * 40))
    twin.article.text = doc.article.text.replace("Wednesday", "Wednesday.")
    with Store(store_url) as store:
        results = store.add_many([doc, other_doc(), twin])
        assert results[2].status == "near-duplicate"
        assert store.read(ag.counts) == store.counts()
        facets = store.read(ag.facets)
        events = store.events(limit=None)
    assert sum(f["events"] for f in facets["type"]) == len(events) == 6
    assert q(store_url, ag.timeline, by="type", bucket="year")[0]["events"] <= 6
