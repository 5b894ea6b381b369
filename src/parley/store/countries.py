"""A country's engagement with every other country: what `/countries/ISO3` and `parley country` show.

A country's events are the canonical events with a party (actor or recipient) from it, as the events
list's `country` filter selects them. Everything counted over all of them is summed from the
`event_counts` summary the writer keeps (`summary.py`): its partners (the other countries with a
party in the same events, by event type), its sectors and its events per month, with the undated
ones counted apart. A country page therefore costs a few index ranges whatever the store's size.

Visits come from `visits.py`, their one owner: inbound are the visits at a place inside the country
by visitors from elsewhere, outbound the visits by its people to a place elsewhere (a visit from A to
B is outbound for A and inbound for B, never the reverse; a visit within one country is neither).
Telling direction needs each visit read whole, so the page reads the latest `VISITS` each way and
says so; `/visits` lists them all. Counterparts (the people, organisations and groups of the other
side) are counted over the country's latest `EVENTS` events, off `event_keys`' index. Quotes by its
officials are those whose speaker is a person of that country, newest first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, desc, func, select
from sqlalchemy.engine import Connection

from ..countries import country_name
from ..errors import FilterError
from .. import filters
from . import schema as s
from . import summary
from .summary import event_counts as C
from .summary import event_keys as K
from .visits import PlaceScope, visits

A, E, P, Q = s.articles, s.entities, s.event_participants, s.quotes

#: Visits read each way (inbound, outbound) for the page's visit columns and lists.
VISITS = 40
#: The country's latest events over which counterparts are counted.
EVENTS = 400
#: Entity types that can be a counterpart: people and the bodies they speak for.
COUNTERPART_TYPES = ("PERSON", "ORG", "GROUP")


@dataclass(frozen=True)
class Column:
    """One column of the engagement tables: events of PLOVER `type`, shown as `label`."""

    type: str
    label: str


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    from ..analysis.lexicon import read_table

    return tuple(Column(r["type"], r["label"]) for r in read_table("country_engagement.tsv"))


def check_code(parameter: str, code: str) -> str:
    """The code in capitals, if it is one (`filters.check_country`); else a `FilterError` with a hint."""
    checked = filters.check_country(parameter, code)
    assert checked is not None
    return checked


def _by_type(counts: dict[str, int]) -> dict[str, Any]:
    """Event counts by type folded into the engagement columns and "other"."""
    known = {c.type for c in columns()}
    return {"events": sum(counts.values()), **{c.type: counts.get(c.type, 0) for c in columns()},
            "other": sum(n for t, n in counts.items() if t not in known)}


# --- the index -----------------------------------------------------------------------------------

def countries(conn: Connection) -> list[dict[str, Any]]:
    """Every country with a party in some event, most events first, with its events by column."""
    rows = conn.execute(select(C.c.value, C.c.type, func.sum(C.c.n).label("n"))
                        .where(C.c.fkey == "", C.c.fval == "", C.c.facet == "country")
                        .group_by(C.c.value, C.c.type))
    by_code: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        by_code[r.value][r.type] = int(r.n)
    out = [{"code": code, "name": country_name(code), **_by_type(counts)} for code, counts in by_code.items()]
    return sorted(out, key=lambda r: (-r["events"], r["code"]))


# --- one country ---------------------------------------------------------------------------------

def country(conn: Connection, code: str) -> dict[str, Any] | None:
    """Everything the country page shows, or None when no canonical event has a party from there."""
    where = [C.c.fkey == "country", C.c.fval == code]
    types = {r.type: int(r.n) for r in conn.execute(
        select(C.c.type, func.sum(C.c.n).label("n")).where(*where, C.c.facet == "type").group_by(C.c.type))}
    if not types:
        return None
    partners = _partners(conn, code)
    months = [(r.month, int(r.n)) for r in conn.execute(
        select(C.c.month_start.label("month"), func.sum(C.c.n).label("n"))
        .where(*where, C.c.facet == "type").group_by(C.c.month_start).order_by(C.c.month_start))]
    sectors = [{"sector": r.value, "events": int(r.n)} for r in conn.execute(
        select(C.c.value, func.sum(C.c.n).label("n")).where(*where, C.c.facet == "sector")
        .group_by(C.c.value).order_by(desc("n"), C.c.value))]
    inbound, outbound = _visits(conn, code)
    counterparts = _counterparts(conn, code)
    for p in partners:
        other = p["code"]
        p["visits_in"] = sum(other in v["visitor_countries"] for v in inbound)
        p["visits_out"] = sum(other in _destinations(v, code) for v in outbound)
        p["counterparts"] = [c for c in counterparts if c["country"] == other][:5]
    return {
        "code": code, "name": country_name(code), **_by_type(types), "types": types,
        "partners": [p for p in partners if p["code"] != code],
        "timeline": [{"period": m, "events": n} for m, n in months if m],
        "undated": sum(n for m, n in months if not m),
        "sectors": sectors, "visits_in": inbound, "visits_out": outbound, "visits_window": VISITS,
        "counterparts": counterparts[:30], "counterparts_window": EVENTS,
        "quotes": quotes(conn, code),
    }


def _partners(conn: Connection, code: str) -> list[dict[str, Any]]:
    """The countries with a party in the same events as this one's, by type, most events first.
    An event with parties from two other countries counts for each; this country itself is listed
    too (every one of its events has a party from it), for the caller to leave out."""
    rows = conn.execute(select(C.c.value, C.c.type, func.sum(C.c.n).label("n"))
                        .where(C.c.fkey == "country", C.c.fval == code, C.c.facet == "country")
                        .group_by(C.c.value, C.c.type))
    by_code: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        by_code[r.value][r.type] = int(r.n)
    out = [{"code": other, "name": country_name(other), **_by_type(counts)} for other, counts in by_code.items()]
    return sorted(out, key=lambda r: (-r["events"], r["code"]))


def _visits(conn: Connection, code: str) -> tuple[list[dict], list[dict]]:
    """The latest `VISITS` inbound visits (at a place inside the country, by visitors from elsewhere)
    and outbound ones (by its people, to a place elsewhere)."""
    here = PlaceScope(country_name(code) or code, "country", code)
    inbound = [v for v in visits(conn, place=here, limit=VISITS)
               if any(c != code for c in v["visitor_countries"])]
    outbound = [v for v in visits(conn, visitor_country=code, limit=VISITS) if _destinations(v, code)]
    return inbound, outbound


def _destinations(visit: dict[str, Any], code: str) -> list[str]:
    """Where an outbound visit went: its place's country, else its hosts' countries; not `code` itself."""
    went = [visit["place_country"]] if visit["place_country"] else visit["host_countries"]
    return [c for c in went if c and c != code]


def _counterparts(conn: Connection, code: str) -> list[dict[str, Any]]:
    """People, organisations and groups of other countries in the country's latest `EVENTS` events
    that also have a party from it, most events first."""
    keys = conn.execute(select(K.c.article_id, K.c.event_id).where(K.c.fkey == "country", K.c.fval == code)
                        .order_by(K.c.when_start.desc(), K.c.article_id, K.c.event_id).limit(EVENTS)).all()
    wanted = {(k.article_id, k.event_id) for k in keys}
    ids = sorted({k.article_id for k in keys})
    parties: dict[tuple[str, str], list[tuple[str, str, str | None]]] = defaultdict(list)
    for i in range(0, len(ids), 400):
        rows = conn.execute(
            select(P.c.article_id, P.c.event_id, E.c.type, E.c.name, E.c.country)
            .select_from(P.join(E, and_(E.c.article_id == P.c.article_id, E.c.id == P.c.entity_id)))
            .where(P.c.article_id.in_(ids[i:i + 400])))
        for r in rows:
            if (r.article_id, r.event_id) in wanted:
                parties[(r.article_id, r.event_id)].append((r.type, r.name, r.country))
    counted: Counter[tuple[str, str, str]] = Counter()
    for found in parties.values():
        if not any(c == code for _, _, c in found):
            continue
        for type_, name, country_ in set(found):
            if country_ and country_ != code and type_ in COUNTERPART_TYPES:
                counted[(country_, type_, name)] += 1
    return [{"country": c, "country_name": country_name(c), "type": t, "name": n, "events": k}
            for (c, t, n), k in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))]


def quotes(conn: Connection, code: str, limit: int = 10) -> list[dict[str, Any]]:
    """Quotes by people of the country (the speaker's entity country), newest article first. The
    speakers are found off the entities' country index, their articles newest first, then the quotes."""
    speakers = (select(E.c.article_id, E.c.id).where(E.c.country == code, E.c.type == "PERSON")
                .subquery())
    q = (select(Q.c.article_id, Q.c.id, Q.c.text, Q.c.cue, Q.c.kind, E.c.name.label("speaker"),
                A.c.headline, A.c.published)
         .select_from(Q.join(speakers, and_(speakers.c.article_id == Q.c.article_id, speakers.c.id == Q.c.speaker))
                      .join(E, and_(E.c.article_id == Q.c.article_id, E.c.id == Q.c.speaker))
                      .join(A, A.c.id == Q.c.article_id))
         .where(A.c.duplicate_of.is_(None))
         .order_by(A.c.published.desc().nulls_last(), Q.c.article_id, Q.c.start).limit(limit))
    return [dict(r._mapping) for r in conn.execute(q)]


__all__ = ["EVENTS", "VISITS", "FilterError", "check_code", "columns", "countries", "country", "quotes"]
