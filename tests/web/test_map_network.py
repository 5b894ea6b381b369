"""The network shows engagements unless asked for more, with a legend and the types it shows; the map
fits its places, lists regions as areas, and draws the world without antimeridian streaks.
Hand-built documents with invented places (no spaCy), on SQLite and PostgreSQL (tests/stores.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
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
        return store.read(fn, **kwargs)


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
    assert '<input type="hidden" name="add" value="all">' in every  # applying a filter keeps the types
    added = call(app, "GET", "/network?add=ACCUSE").text
    assert "; and <span class=\"tag\">ACCUSE</span>" in added
    typed = call(app, "GET", "/network?type=ASSAULT").text
    assert "<strong>ASSAULT</strong> events only" in typed and 'id="network-add"' not in typed


def _by_type(page: str) -> dict[str, tuple[str, str, str]]:
    """The network page's events-by-type table: type -> (events, the events link, the graph cell)."""
    table = page.split('id="network-by-type"')[1].split("</section>")[0]
    rows = re.findall(r'<span class="tag">(\w+)</span>.*?<a href="([^"]*)">(\d+)<.*?data-label="In the graph">(.*?)</td>',
                      table, re.S)
    return {t: (n, href, graph) for t, href, n, graph in rows}


def test_network_counts_its_events_by_type(app: Any) -> None:
    default = _by_type(call(app, "GET", "/network").text)
    assert default["ASSAULT"][0] == "1" and default["ACCUSE"][0] == "1"
    assert default["ASSAULT"][1] == "/events?type=ASSAULT"  # each count links to those events
    assert default["CONSULT"][2] == "shown"
    assert default["ASSAULT"][2] == '<a href="/network?add=ASSAULT">add ASSAULT</a>'  # the graph does not draw it
    added = _by_type(call(app, "GET", "/network?add=ACCUSE").text)
    assert added["ACCUSE"][2] == "shown"
    assert added["ASSAULT"][2] == '<a href="/network?add=ACCUSE%2CASSAULT">add ASSAULT</a>'  # one more, the first kept
    assert all(row[2] == "shown" for row in _by_type(call(app, "GET", "/network?add=all").text).values())
    # the current filters: counted and kept in every link
    there = _by_type(call(app, "GET", "/network?place=Strelsau").text)
    assert there == {"CONSULT": ("1", "/events?place=Strelsau&amp;type=CONSULT", "shown")}
    typed = _by_type(call(app, "GET", "/network?type=ACCUSE").text)
    assert set(typed) == {"ACCUSE"}
    assert "No events." in call(app, "GET", "/network?since=1800&until=1801").text.split('id="network-by-type"')[1]


# --- the map --------------------------------------------------------------------------------------

def test_places_carry_their_kind_and_areas_are_marked(filled: str, app: Any) -> None:
    found = {p["name"]: p for p in q(filled, ag.places)}
    assert found["Europe"]["kind"] == "continent" and found["Europe"]["area"] is True
    assert found["Strelsau"]["kind"] == "city" and found["Strelsau"]["area"] is False
    live = {p["name"]: p for p in q(filled, ag.live_places)}
    assert live == found
    api = {p["name"]: p for p in call(app, "GET", "/api/aggregates/places").json()}
    assert api["Europe"]["area"] is True and api["Chongqing"]["area"] is False


def test_map_page_lists_areas_apart(app: Any) -> None:
    page = call(app, "GET", "/map").text
    areas = page.split('id="map-areas"')[1].split("</details>")[0]
    points = page.split('id="map-points"')[1].split("</details>")[0]
    assert ">Europe</a>" in areas and "continent" in areas and ">Strelsau</a>" not in areas
    assert ">Strelsau</a>" in points and ">Europe</a>" not in points
    assert "listed below as an area, not pinned" in page


# --- in Chromium ----------------------------------------------------------------------------------

FAR_EAST = Document(
    article=Article(id="d" * 40, text="Ruritania met Freedonia in Port Vara and in Vara Town.",
                    published="2025-06-01"),
    entities=[
        Entity(id="e1", type="GPE", name="Ruritania", country="RUR", mentions=[Mention(0, 9, "Ruritania")]),
        Entity(id="e2", type="GPE", name="Freedonia", country="FRE", mentions=[Mention(14, 23, "Freedonia")]),
        Entity(id="e3", type="GPE", name="Port Vara", country=None, mentions=[Mention(27, 36, "Port Vara")],
               geo={"name": "Port Vara", "lat": -17.8, "lon": 177.4, "kind": "city"}),
        Entity(id="e4", type="GPE", name="Vara Town", country=None, mentions=[Mention(44, 53, "Vara Town")],
               geo={"name": "Vara Town", "lat": -17.9, "lon": 177.5, "kind": "city"}),
    ],
    events=[Event(id="v1", type="CONSULT", trigger=Trigger("met", 10, 13), sentence=Span(0, 54),
                  actor=["e1"], recipient=["e2"], location="e3"),
            Event(id="v2", type="CONSULT", trigger=Trigger("met", 10, 13), sentence=Span(0, 54),
                  actor=["e2"], recipient=["e1"], location="e4")],
)


@contextmanager
def _browser_page(db: str) -> Iterator[Any]:
    """A Chromium page on Parley's web app over `db` (`live_app.served`); page errors fail the test."""
    import os
    import shutil
    from pathlib import Path

    from ..live_app import served
    from .conftest import ARTIFACTS

    chromium = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip(f"Chromium not found at {chromium}")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with served(db) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        pg = browser.new_page(base_url=url, viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        yield pg
        assert not errors, errors
        browser.close()


@pytest.mark.slow
def test_in_chromium(filled: str) -> None:
    """The map fits its places (zoomed in, not the world), draws no ring across the antimeridian,
    labels two nearby places as one circle of their summed events and splits them when zoomed in;
    the network shows its legend and says what it shows; axe finds nothing on either."""
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    from .conftest import ARTIFACTS

    with Store(filled) as store:
        store.add(FAR_EAST)
    with _browser_page(filled) as pg:
        pg.goto("/map?place=vara")  # two places 15 km apart, far east
        pg.wait_for_selector("#map[data-ready=true]", timeout=15000)
        assert pg.evaluate("window.parleyMap.getZoom()") >= 5  # fitted to the places, not the world
        assert pg.locator(".map-count").all_inner_texts() == ["2"]  # one circle, both events
        pg.evaluate("window.parleyMap.setZoom(12, {animate: false})")
        assert sorted(pg.locator(".map-count").all_inner_texts()) == ["1", "1"]
        jumps = pg.evaluate("""(() => { let worst = 0;
            window.parleyBasemap.eachLayer(l => { const walk = a => Array.isArray(a[0]) || a[0] && a[0].lat === undefined
                ? a.forEach(walk) : a.forEach((p, i) => { if (i && Math.abs(p.lat) < 85) worst = Math.max(worst, Math.abs(p.lng - a[i - 1].lng)); });
                walk(l.getLatLngs()); });
            return worst; })()""")
        assert jumps < 180  # no edge of a country crosses the world (Antarctica is closed along the pole)

        pg.goto("/map")
        pg.wait_for_selector("#map[data-ready=true]", timeout=15000)
        pg.screenshot(path=str(ARTIFACTS / "map-fitted.png"), full_page=True)
        assert pg.locator("#map-areas").get_by_role("link", name="Europe").count() == 1
        found = axe_sync.Axe().run(pg, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "best-practice"]},
                                                "resultTypes": ["violations"]}).response["violations"]
        assert not found, [v["id"] for v in found]

        pg.goto("/network")
        pg.wait_for_selector("#network[data-ready=true]", timeout=15000)
        assert pg.get_by_role("combobox", name="Event types").input_value() == ""
        assert "Shown: engagements" in pg.locator("#network-types").inner_text()
        assert pg.locator("#network-legend li").count() == 6
        pg.get_by_role("combobox", name="Event types").select_option("all")
        pg.get_by_role("button", name="Show").click()
        pg.wait_for_url("**/network?add=all")
        pg.wait_for_selector("#network[data-ready=true]", timeout=15000)
        weights = pg.evaluate("window.parleyNetwork.edges().map(e => e.data('from') + '>' + e.data('to') + ':' + e.data('events'))")
        assert "Ruritania>Freedonia:4" in weights  # attack and accusation too
        pg.screenshot(path=str(ARTIFACTS / "network-all-types.png"), full_page=True)
        found = axe_sync.Axe().run(pg, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "best-practice"]},
                                                "resultTypes": ["violations"]}).response["violations"]
        assert not found, [v["id"] for v in found]


def hub_doc() -> Document:
    """One minister meets forty envoys with long names: a dense cluster of labels around one node."""
    names = [f"Ambassador Extraordinary Number {n:02d}" for n in range(40)]
    text = " ".join(f"Ana Ministra met {name}." for name in names)
    entities = [Entity(id="e0", type="PERSON", name="Ana Ministra", country="RUR",
                       mentions=[Mention(m.start(), m.end(), "Ana Ministra") for m in re.finditer("Ana Ministra", text)])]
    events = []
    for n, name in enumerate(names, start=1):
        at = text.index(name)
        entities.append(Entity(id=f"e{n}", type="PERSON", name=name, country="FRE", mentions=[Mention(at, at + len(name), name)]))
        sentence = text.rindex("Ana Ministra", 0, at)
        events.append(Event(id=f"v{n}", type="CONSULT", trigger=Trigger("met", sentence + 13, sentence + 16),
                            sentence=Span(sentence, at + len(name) + 1), actor=["e0"], recipient=[f"e{n}"]))
    return Document(article=Article(id="d" * 40, text=text, published="2025-06-01", headline="Envoys"),
                    entities=entities, events=events)


@pytest.mark.slow
def test_network_labels_do_not_write_over_one_another(store_url: str) -> None:
    """In a dense cluster the heaviest actor keeps its label and the others' labels are drawn only
    where they overlap none drawn already (the rest wait for a zoom)."""
    from .conftest import ARTIFACTS

    with Store(store_url) as store:
        store.add(hub_doc())
    with _browser_page(store_url) as pg:
        pg.goto("/network")
        pg.wait_for_selector("#network[data-ready=true]", timeout=15000)
        shown = """(() => { const cy = window.parleyNetwork;  // the labels drawn at the zoom the graph has
            return cy.nodes().filter(n => parseFloat(n.style('font-size')) * cy.zoom() >= parseFloat(n.style('min-zoomed-font-size')))
              .map(n => { const b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
                          return [n.data('name'), b.x1, b.y1, b.x2, b.y2]; }); })()"""
        boxes = pg.evaluate(shown)
        names = [b[0] for b in boxes]
        assert "Ana Ministra" in names and len(names) >= 5, names
        clashes = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]
        assert not clashes, clashes
        pg.screenshot(path=str(ARTIFACTS / "network-dense-labels.png"), full_page=True)
        pg.evaluate("window.parleyNetwork.zoom(window.parleyNetwork.zoom() * 2)")
        assert len(pg.evaluate(shown)) > len(names)  # zoomed in, the waiting labels show
