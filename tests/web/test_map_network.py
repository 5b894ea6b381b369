"""The network shows engagements unless asked for more, with a legend and the types it shows; the map
fits its places, lists regions as areas, and draws the world without antimeridian streaks.
Hand-built documents with invented places (no spaCy), on SQLite and PostgreSQL (tests/stores.py)."""

from __future__ import annotations

from typing import Any

import pytest

from parley.document import Article, Document, Entity, Event, Mention, Span, Trigger
from parley.store import Store
from parley.store import aggregates as ag
from parley.store.aggregates import EventFilter
from parley.web import create_app

from ..test_store_events import make_doc, other_doc
from .conftest import call

TEXT = ("Ruritania shelled Freedonia at dawn. Ruritania accused Freedonia of spying. "
        "Ruritania met Freedonia in Strelsau. Europe hosted Ruritania.")


def _at(piece: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(piece, start)
    return i, i + len(piece)


def _event(eid: str, type_: str, word: str, sentence_start: str, actor: str, recipient: str,
           location: str | None = None) -> Event:
    s = TEXT.index(sentence_start)
    end = TEXT.index(".", s) + 1
    return Event(id=eid, type=type_, trigger=Trigger(word, *_at(word, s)), sentence=Span(s, end),
                 actor=[actor], recipient=[recipient], location=location)


def conflict_doc() -> Document:
    """Ruritania attacks, accuses and meets Freedonia; a meeting in a city and one in a region."""
    def ent(eid: str, type_: str, name: str, country: str | None, geo: dict | None = None) -> Entity:
        return Entity(id=eid, type=type_, name=name, country=country, geo=geo, mentions=[Mention(*_at(name), name)])

    return Document(
        article=Article(id="c" * 40, text=TEXT, published="2025-05-01", headline="Ruritania and Freedonia"),
        entities=[
            ent("e1", "GPE", "Ruritania", "RUR"), ent("e2", "GPE", "Freedonia", "FRE"),
            ent("e3", "GPE", "Strelsau", None, {"name": "Strelsau", "lat": 50.1, "lon": 14.4, "kind": "city"}),
            ent("e4", "LOC", "Europe", None, {"name": "Europe", "lat": 48.69, "lon": 9.14, "kind": "continent"}),
        ],
        events=[
            _event("v1", "ASSAULT", "shelled", "Ruritania shelled", "e1", "e2"),
            _event("v2", "ACCUSE", "accused", "Ruritania accused", "e1", "e2"),
            _event("v3", "CONSULT", "met", "Ruritania met", "e1", "e2", "e3"),
            _event("v4", "CONSULT", "hosted", "Europe hosted", "e4", "e1", "e4"),
        ],
    )


@pytest.fixture()
def filled(store_url: str) -> str:
    with Store(store_url) as store:
        store.add_many([make_doc(), other_doc(), conflict_doc()])
    return store_url


@pytest.fixture()
def app(filled: str) -> Any:
    application = create_app(filled)
    yield application
    application.state.workbench.store.close()


def q(url: str, fn: Any, **kwargs: Any) -> Any:
    with Store(url) as store:
        return store._query(fn, **kwargs)


def edges(graph: dict) -> dict[tuple[str, str], Any]:
    return {(e["source"], e["target"]): (e["events"], e.get("types")) for e in graph["edges"]}


# --- the network ----------------------------------------------------------------------------------

def test_engagement_types_come_from_the_resource() -> None:
    assert list(ag.engagement_types()) == ["CONSULT", "AGREE", "COOPERATE", "AID", "SUPPORT"]


def test_network_by_types(filled: str) -> None:
    everything = edges(q(filled, ag.network))
    assert everything[("Ruritania", "Freedonia")] == (3, None)  # the summary: every type, unsplit
    engaged = edges(q(filled, ag.network, types=tuple(ag.engagement_types())))
    assert engaged[("Ruritania", "Freedonia")] == (1, {"CONSULT": 1})
    assert engaged[("Jo Smith", "Li Wei")] == (2, {"AGREE": 1, "CONSULT": 1})
    with_accuse = edges(q(filled, ag.network, types=(*ag.engagement_types(), "ACCUSE")))
    assert with_accuse[("Ruritania", "Freedonia")] == (2, {"ACCUSE": 1, "CONSULT": 1})
    # a type filter is narrower than the types and wins
    only = edges(q(filled, ag.network, filters=EventFilter(type="ASSAULT"), types=tuple(ag.engagement_types())))
    assert only == {("Ruritania", "Freedonia"): (1, {"ASSAULT": 1})}
    # counted live, every type: the same counts as the summary
    live = edges(q(filled, ag.live_network, by_type=True))
    assert {k: v[0] for k, v in live.items()} == {k: v[0] for k, v in everything.items()}


def test_network_api_defaults_to_engagements(app: Any) -> None:
    default = call(app, "GET", "/api/aggregates/network").json()
    assert edges(default)[("Ruritania", "Freedonia")] == (1, {"CONSULT": 1})
    every = call(app, "GET", "/api/aggregates/network?add=all").json()
    assert edges(every)[("Ruritania", "Freedonia")][0] == 3
    one_more = call(app, "GET", "/api/aggregates/network?add=ASSAULT").json()
    assert edges(one_more)[("Ruritania", "Freedonia")] == (2, {"ASSAULT": 1, "CONSULT": 1})
    bad = call(app, "GET", "/api/aggregates/network?add=MEETING")
    assert bad.status_code == 422 and "add" in bad.json()["detail"] and "ASSAULT" in bad.json()["detail"]


def test_network_page_says_what_it_shows(app: Any) -> None:
    page = call(app, "GET", "/network").text
    assert "Shown: engagements" in page and "meetings and visits" in page
    assert '<select id="network-add" name="add">' in page and '<option value="all"' in page
    assert 'value="ASSAULT">Engagements and ASSAULT' in page
    assert 'id="network-legend"' in page and "organisation (brown rectangle)" in page
    assert "add=" not in page.split('data-src="')[1].split('"')[0]  # the graph reads the default too
    # the edge's count links to its events of that one type; the type column splits them
    assert "recipient_is=GPE%3AFreedonia&amp;type=CONSULT" in page
    every = call(app, "GET", "/network?add=all").text
    assert "events of every type" in every and "add=all" in every.split('data-src="')[1].split('"')[0]
    assert '<option value="all" selected>' in every
    added = call(app, "GET", "/network?add=ACCUSE").text
    assert "; and <span class=\"tag\">ACCUSE</span>" in added
    typed = call(app, "GET", "/network?type=ASSAULT").text
    assert "<strong>ASSAULT</strong> events only" in typed and 'id="network-add"' not in typed
