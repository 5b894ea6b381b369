"""A place's page: the events there, its visitors, the places inside it and where it lies.

A place across articles is its (type, name), as every entity (GPE, LOC or FAC). What lies inside it
is decided by `visits.PlaceScope`, the one owner of the gazetteer's hierarchy (a country holds its
provinces and cities, a province its cities; a city holds itself), applied to the coordinates each
stored place name was given (`entity_stats.geo`, one per name), read off migration 25's indexes
(`places_geo.py`): a city's namesakes by geonameid, a country's thousands of places counted,
ordered and joined to their events in SQL, never decoded one by one. The events are those of the place
and of every stored place inside it (`entity_events`: the events at it or with it as a party), newest
first. The visitors are the visits at the place, everything inside it included, in the articles of
its latest `countries.ARTICLES` articles with one of its events, split by `visits.py`'s own code (`countries.visits_in`): a place with
few visits then costs what a busy one does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, desc, func, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ..countries import country_name
from . import profile
from .aggregates import fill_events
from .countries import ARTICLES, first_articles, visits_in
from .places_geo import area, candidates, in_area, placed
from .summary import entity_events as EV
from .summary import entity_stats as ST
from .summary import place_events as PE
from .visits import PLACE_TYPES, PlaceScope, VisitCheck, json_object, scope_of

#: Events a place page shows (the events list and /visits have the rest).
EVENTS = 20
#: The latest events (at the place or inside it) read for its visitors, in at most `ARTICLES` articles.
WINDOW = 200
#: Places inside listed on the page, most events first.
INSIDE = 200
#: Above this many places (inside and the place itself), their newest events are read per `MANY`
#: places at once, not place by place.
MANY = 500
#: The store's newest place events a country's (or division's, or continent's) page reads first.
WALK = 5000


def scope(geo: dict[str, Any] | None) -> PlaceScope | None:
    """The place's stored coordinates as a scope (what it holds), None when it was never placed."""
    if not geo or not geo.get("kind"):
        return None
    from ..analysis.places import Place

    return scope_of(Place(name=geo.get("name") or "", country=geo.get("country"), lat=geo.get("lat"),
                          lon=geo.get("lon"), admin1=geo.get("admin1"), geonameid=geo.get("geonameid"),
                          kind=geo["kind"]))


def place(conn: Connection, type: str, name: str) -> dict[str, Any] | None:
    """Everything the place page shows, or None when no canonical article names such a place."""
    if type not in PLACE_TYPES:
        return None
    found = profile.summary(conn, type, name)
    if found is None:
        return None
    geo = found["geo"] or {}
    where = scope(geo)
    inside = _inside(conn, where, (type, name)) if where else Inside([], 0, [], None)
    country = geo.get("country") or (found["countries"][0] if found["countries"] else None)
    window = first_articles(_newest(conn, [(type, name), *inside.keys], WINDOW, inside.area), ARTICLES)
    return {
        **found, "kind": geo.get("kind"), "admin1": geo.get("admin1"),
        "admin1_place": _stored_place(conn, geo.get("admin1")) if geo.get("kind") == "city" else None,
        "country": country, "country_name": country_name(country),
        "scope": where.to_dict() if where else None,
        "inside": inside.top, "inside_total": inside.total,
        "events": fill_events(conn, [(a, v) for a, v in window[:EVENTS]]), "window": ARTICLES,
        "visits": visits_in(conn, [a for a, _ in window], VisitCheck(where, None, None, None, None)) if where else [],
        "map": _points(conn, (type, name), geo, inside.top),
    }


def place_map(conn: Connection, type: str, name: str) -> list[dict[str, Any]] | None:
    """The place and the places inside it with coordinates, as its map draws them (the page's `map`,
    without the events and visitors); None when no canonical article names such a place."""
    found = profile.summary(conn, type, name) if type in PLACE_TYPES else None
    if found is None:
        return None
    geo = found["geo"] or {}
    where = scope(geo)
    return _points(conn, (type, name), geo, _inside(conn, where, (type, name)).top if where else [])


@dataclass
class Inside:
    """The stored places inside a place: the first `INSIDE` (most located events first, then most
    articles, then by name) and how many; those outside its `area` by key (a few), the rest (a
    country's thousands) as the SQL condition `area`, which no query reads place by place."""

    top: list[dict[str, Any]]
    total: int
    keys: list[tuple[str, str]]
    area: ColumnElement[bool] | None


def _inside(conn: Connection, where: PlaceScope, own: tuple[str, str]) -> Inside:
    """The other stored places inside `where`, with their articles and located events, most first."""
    found = []
    for r in candidates(conn, where):
        geo = json_object(r.geo)
        if (r.type, r.name) != own and where.contains(geo) and not in_area(where, geo or {}):
            found.append({"type": r.type, "name": r.name, "articles": r.articles, "geo": geo})
    located = _located(conn, [(p["type"], p["name"]) for p in found])
    for p in found:
        p["events"] = located.get((p["type"], p["name"]), 0)
    keys = [(p["type"], p["name"]) for p in found]
    cond = area(conn, where)
    total = len(found)
    if cond is not None:
        held = [cond, *placed(coordinates=False), ~and_(ST.c.type == own[0], ST.c.name == own[1])]
        total += conn.execute(select(func.count()).select_from(ST).where(*held)).scalar_one()
        events = func.coalesce(PE.c.events, 0)
        name = ST.c.name.collate("C") if conn.dialect.name == "postgresql" else ST.c.name  # Python's order
        first = [{"type": r.type, "name": r.name, "articles": r.articles, "events": int(r.events)}
                 for r in conn.execute(select(ST.c.type, ST.c.name, ST.c.articles, events.label("events"))
                                       .select_from(ST.outerjoin(PE, and_(PE.c.type == ST.c.type,
                                                                          PE.c.name == ST.c.name)))
                                       .where(*held).order_by(events.desc(), ST.c.articles.desc(), name)
                                       .limit(INSIDE))]
        geo = _geo(conn, [(p["type"], p["name"]) for p in first])  # of the first only
        found += [{**p, "geo": geo.get((p["type"], p["name"]))} for p in first]
    top = sorted(found, key=lambda p: (-p["events"], -p["articles"], p["name"]))[:INSIDE]
    return Inside(top, total, keys, cond)


def _located(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Events located at each place (`place_events`)."""
    return {key: int(n) for key, n in _by_key(conn, PE, PE.c.events, keys).items()}


def _geo(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any] | None]:
    """Each place's stored coordinates."""
    return {key: json_object(geo) for key, geo in _by_key(conn, ST, ST.c.geo, keys).items()}


def _by_key(conn: Connection, table: Any, column: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """`column` of `table`'s rows of these (type, name) keys, 400 names a query."""
    out: dict[tuple[str, str], Any] = {}
    for t, names in _by_type(keys):
        for i in range(0, len(names), 400):
            for r in conn.execute(select(table.c.type, table.c.name, column)
                                  .where(table.c.type == t, table.c.name.in_(names[i:i + 400]))):
                out[(r[0], r[1])] = r[2]
    return out


def _by_type(keys: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """The keys' names under each type: `type = ? AND name IN (...)` is read off an index by SQLite,
    where a row-value `(type, name) IN (...)` of hundreds was ~100 ms a query on a large store."""
    names: dict[str, list[str]] = {}
    for t, n in keys:
        names.setdefault(t, []).append(n)
    return sorted(names.items())


def _newest(conn: Connection, keys: list[tuple[str, str]], limit: int,
            area: ColumnElement[bool] | None = None) -> list[tuple[str, str]]:
    """(article_id, event_id) of the newest `limit` events at (or with) any of these places: for a
    few places, each place's newest off `entity_events`' index, merged, so a province with many
    cities reads a page per city at most; for many (a country's thousands), every event of them in
    one query per `MANY` places, as a query per place costs more than the events read; and those of
    the places `area` holds, in one query joining them to their events."""
    found: list[tuple[str, str, str]] = _newest_in_area(conn, area, limit) if area is not None else []
    if len(keys) > MANY:
        keys, found = [], found + _newest_of_many(conn, keys, limit)
    for i in range(0, len(keys), 100):
        parts = [select(select(EV.c.when_start, EV.c.article_id, EV.c.event_id)
                        .where(EV.c.type == t, EV.c.name == n)
                        .order_by(EV.c.when_start.desc(), EV.c.article_id, EV.c.event_id).limit(limit).subquery())
                 for t, n in keys[i:i + 100]]
        merged = union_all(*parts).subquery()
        found += [tuple(r) for r in conn.execute(
            select(merged).order_by(desc(merged.c.when_start), merged.c.article_id, merged.c.event_id).limit(limit))]
    newest = sorted(set(found), key=lambda r: (r[0] or "", r[1], r[2]), reverse=True)[:limit]
    return [(a, v) for _, a, v in newest]


def _newest_in_area(conn: Connection, area: ColumnElement[bool], limit: int) -> list[tuple[str, str, str]]:
    """(when_start, article_id, event_id) of the newest `limit` events of the places `area` holds:
    among the store's newest `WALK` place events (migration 25's index) when they hold `limit` of
    them (exact: an event newer than the last found lies among them), else among as many more as
    the share found there says should hold them (at most ten times), else from every event of the
    area's places, joined (an area with few events)."""
    found = _area_events(conn, area, limit, WALK)
    if max(limit // 10, 1) <= len(found) < limit:
        found = _area_events(conn, area, limit, WALK * limit * 6 // (5 * len(found)))
    return found if len(found) >= limit else _area_events(conn, area, limit, None)


def _area_events(conn: Connection, area: ColumnElement[bool], limit: int,
                 walk: int | None) -> list[tuple[str, str, str]]:
    """The newest `limit` events of `area`'s places among the store's newest `walk` place events
    (every one for None)."""
    ev = EV if walk is None else select(EV.c.type, EV.c.name, EV.c.when_start, EV.c.article_id, EV.c.event_id) \
        .order_by(EV.c.when_start.desc(), EV.c.article_id.desc(), EV.c.event_id.desc()).limit(walk).subquery()
    order = (ev.c.when_start.desc(), ev.c.article_id.desc(), ev.c.event_id.desc())
    return [tuple(r) for r in conn.execute(
        select(ev.c.when_start, ev.c.article_id, ev.c.event_id).distinct()
        .select_from(ST.join(ev, and_(ev.c.type == ST.c.type, ev.c.name == ST.c.name)))
        .where(area, *placed()).order_by(*order).limit(limit))]


def _newest_of_many(conn: Connection, keys: list[tuple[str, str]], limit: int) -> list[tuple[str, str, str]]:
    """(when_start, article_id, event_id) of each `MANY` places' newest `limit`, one query each."""
    order = (EV.c.when_start.desc(), EV.c.article_id.desc(), EV.c.event_id.desc())
    found: list[tuple[str, str, str]] = []
    for t, names in _by_type(keys):
        for i in range(0, len(names), MANY):
            found += [tuple(r) for r in conn.execute(
                select(EV.c.when_start, EV.c.article_id, EV.c.event_id).distinct()
                .where(EV.c.type == t, EV.c.name.in_(names[i:i + MANY])).order_by(*order).limit(limit))]
    return found


def _points(conn: Connection, own: tuple[str, str], geo: dict[str, Any], inside: list[dict]) -> list[dict]:
    """The place and the places inside it that have coordinates, as the map draws them."""
    located = _located(conn, [own])
    points = [{"type": own[0], "name": own[1], "events": located.get(own, 0), "geo": geo}, *inside[:INSIDE]]
    return [{"type": p["type"], "name": p["name"], "events": p["events"], "lat": float(g["lat"]),
             "lon": float(g["lon"]), "country": g.get("country")}
            for p in points if (g := p["geo"] or {}) and _number(g.get("lat")) and _number(g.get("lon"))]


def _stored_place(conn: Connection, name: str | None) -> dict[str, str] | None:
    """The stored place of this name (a city's province), for a link; None when the store has none."""
    if not name:
        return None
    row = conn.execute(select(ST.c.type, ST.c.name).where(ST.c.type.in_(PLACE_TYPES), ST.c.name == name,
                                                          ST.c.articles > 0).limit(1)).first()
    return {"type": row.type, "name": row.name} if row else None


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


__all__ = ["EVENTS", "INSIDE", "WINDOW", "place", "place_map", "scope"]
