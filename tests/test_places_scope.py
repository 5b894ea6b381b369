"""A place page reads only the stored places its scope may hold (store/places.py, places_geo.py):
a country's and a division's places counted, ordered and joined to their events in SQL, a city's
namesakes by geonameid, and the same page as when every stored place was decoded and tested."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from parley.document import (
    Article,
    Document,
    Entity,
    Event,
    EventDate,
    Mention,
    Span,
    Trigger,
)
from parley.store import Store, places, places_geo
from parley.store.summary import entity_stats as ST
from parley.store.summary import place_events as PE
from parley.store.visits import PLACE_TYPES

EUROPE = 6255148  # the gazetteer's continent, whose countries include DEU


def _geo(name: str, kind: str, country: str | None, admin1: str | None, gid: int | None) -> dict:
    return {"name": name, "kind": kind, "country": country, "admin1": admin1, "geonameid": gid,
            "lat": 40.0 + (gid or 0) / 10, "lon": 10.0}


#: (type, name, geo, events located there); a place's events are dated one a month, newest last.
PLACES = [
    ("GPE", "Ruritania", _geo("Ruritania", "country", "RUR", None, 1), 1),
    ("GPE", "Northmark", _geo("Northmark", "admin1", "RUR", "Northmark", 2), 1),
    ("GPE", "Strelsau", _geo("Strelsau", "city", "RUR", "Northmark", 3), 3),
    ("GPE", "Old Strelsau", _geo("Strelsau", "city", "RUR", "Northmark", 3), 1),  # the same city, named so
    ("FAC", "Castle Gate", _geo("Castle Gate", "city", "RUR", "Northmark", 7), 2),
    ("GPE", "Zenda", _geo("Zenda", "city", "RUR", "Southmark", 4), 4),
    ("LOC", "Zenda Forest", _geo("Zenda Forest", "city", "RUR", "Southmark", 8), 0),
    ("GPE", "Tarlenheim", _geo("Tarlenheim", "city", "FRE", "Eastmark", 5), 2),
    ("GPE", "Europe", _geo("Europe", "continent", None, None, EUROPE), 1),
    ("GPE", "Hofstadt", _geo("Hofstadt", "city", "DEU", "Mittelland", 6), 2),
]


def _docs() -> list[Document]:
    docs, n = [], 0
    for type_, name, geo, events in PLACES:
        for _ in range(max(events, 1)):
            n += 1
            text = f"Envoys met in {name} on day {n} of the talks."
            at = text.index(name)
            ents = [Entity(id="e1", type=type_, name=name, country=geo["country"], geo=geo,
                           mentions=[Mention(at, at + len(name), name)])]
            date = f"2024-{1 + n % 12:02d}-{1 + n // 12:02d}"
            evs = [Event(id="v1", type="CONSULT", trigger=Trigger("met", 7, 10), sentence=Span(0, len(text)),
                         location="e1", date=EventDate(date, date, date, "day"), confidence=0.9)] if events else []
            docs.append(Document(article=Article(id=f"{n:040d}", text=text, published="2025-01-01",
                                                 headline=text[:30], source="Invented Wire"),
                                 entities=ents, events=evs))
    return docs


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as s:
        s.add_many(_docs())
    return store_url


@pytest.fixture
def store(db: str):
    with Store(db) as s:
        yield s


def _page(store: Store, type_: str, name: str) -> dict:
    found = store.read(places.place, type=type_, name=name)
    assert found is not None, name
    return found


def _names(rows: list[dict]) -> list[str]:
    return [r["name"] for r in rows]


def _every_place_tested(conn, type_: str, name: str) -> list[str]:
    """The places inside, as read before migration 25: every stored place decoded and tested."""
    own = conn.execute(select(ST.c.geo).where(ST.c.type == type_, ST.c.name == name)).scalar_one()
    where = places.scope(json.loads(own))
    events = {(r.type, r.name): r.events for r in conn.execute(select(PE))}
    rows = conn.execute(select(ST).where(ST.c.type.in_(PLACE_TYPES), ST.c.geo.is_not(None), ST.c.articles > 0))
    held = [r for r in rows if (r.type, r.name) != (type_, name) and where.contains(json.loads(r.geo))]
    held.sort(key=lambda r: (-events.get((r.type, r.name), 0), -r.articles, r.name))
    return [r.name for r in held]


@pytest.mark.parametrize(("type_", "name"), [(t, n) for t, n, _, _ in PLACES])
def test_every_place_holds_what_testing_every_stored_place_finds(store, type_, name):
    page = _page(store, type_, name)
    expected = store.read(_every_place_tested, type_=type_, name=name)
    assert _names(page["inside"]) == expected and page["inside_total"] == len(expected)
    assert _names(page["map"]) == [name, *expected]


def test_a_country_holds_its_places_most_events_first(store):
    page = _page(store, "GPE", "Ruritania")
    assert _names(page["inside"]) == ["Zenda", "Strelsau", "Castle Gate", "Northmark", "Old Strelsau",
                                      "Zenda Forest"]
    assert [p["events"] for p in page["inside"]] == [4, 3, 2, 1, 1, 0]
    assert "Tarlenheim" not in _names(page["inside"])  # another country


def test_a_division_holds_its_cities_and_a_city_its_namesakes_by_geonameid(store):
    assert _names(_page(store, "GPE", "Northmark")["inside"]) == ["Strelsau", "Castle Gate", "Old Strelsau"]
    assert _names(_page(store, "GPE", "Strelsau")["inside"]) == ["Old Strelsau"]  # not the rest of Northmark
    assert _names(_page(store, "GPE", "Old Strelsau")["inside"]) == ["Strelsau"]
    assert _page(store, "GPE", "Zenda")["inside"] == []


def test_a_continent_holds_the_places_of_its_countries(store):
    assert _names(_page(store, "GPE", "Europe")["inside"]) == ["Hofstadt"]


def test_a_country_s_events_are_the_newest_of_every_place_inside_it(store):
    page = _page(store, "GPE", "Ruritania")
    dates = [e["when"]["start"] if isinstance(e.get("when"), dict) else e.get("when_start") for e in page["events"]]
    assert len(page["events"]) == 12  # Ruritania 1, Northmark 1, Strelsau 3, Old Strelsau 1, Castle Gate 2, Zenda 4
    assert dates == sorted(dates, reverse=True)


def test_the_list_is_cut_at_inside_and_the_total_said(store, monkeypatch):
    monkeypatch.setattr(places, "INSIDE", 2)
    page = _page(store, "GPE", "Ruritania")
    assert _names(page["inside"]) == ["Zenda", "Strelsau"] and page["inside_total"] == 6


def test_many_places_read_at_once_give_the_same_events(store, monkeypatch):
    few = _page(store, "GPE", "Strelsau")["events"]
    monkeypatch.setattr(places, "MANY", 1)  # the query per type and list of names, not per place
    assert _page(store, "GPE", "Strelsau")["events"] == few and len(few) == 4


def test_the_candidates_are_read_off_the_migration_s_indexes(tmp_path):
    from sqlalchemy import create_engine

    db = str(tmp_path / "plan.db")
    with Store(db) as s:
        s.add_many(_docs())
    where = places.scope(PLACES[0][2])
    with create_engine(f"sqlite:///{db}").connect() as conn:
        country = places_geo.area(conn, where)
        sql = select(ST.c.name).where(country).compile(conn, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "USING INDEX ix_entity_stats_geo_" in plan, plan  # not a scan decoding every stored place


@pytest.mark.parametrize("walk", [1, 2, 3, 7])
@pytest.mark.parametrize(("name", "events"), [("Ruritania", 5), ("Northmark", 5), ("Europe", 3)])
def test_an_area_s_newest_events_are_the_same_however_few_newest_events_are_walked(store, monkeypatch, walk,
                                                                                   name, events):
    monkeypatch.setattr(places, "WINDOW", 5)
    every = _page(store, "GPE", name)["events"]  # WALK holds every event of this store
    monkeypatch.setattr(places, "WALK", walk)  # too few: walked further, or every event of its places joined
    assert _page(store, "GPE", name)["events"] == every and len(every) == events
