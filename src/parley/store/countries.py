"""A country's engagement with every other country: what `/countries/ISO3` and `parley country` show.

A country's events are the canonical events with a party (actor or recipient) from it, as the events
list's `country` filter selects them. Everything counted over all of them is summed from the
`event_counts` summary the writer keeps (`summary.py`): its partners (the other countries with a
party in the same events, by event type), its sectors and its events per month, with the undated
ones counted apart. A country page therefore costs a few index ranges whatever the store's size.

The rest is read from a window: the country's latest `ARTICLES` articles with one of its events
(its events read newest first off `event_keys`' index), so a rare country costs what a common one
does. In those articles: the visits,
split by `visits.py`, their one owner, exactly as /visits splits them (inbound: at a place inside
the country by visitors from elsewhere; outbound: by its people to a place elsewhere; a visit from A
to B is outbound for A and inbound for B, never the reverse, and a visit within one country is
neither); the counterparts (people, organisations and groups of other countries in the same events);
the quotes by its officials (people of that country), newest first. The page says so; /visits,
/events and /quotes list everything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, desc, func, select
from sqlalchemy.engine import Connection

from .. import filters
from ..countries import country_name
from . import schema as s
from .summary import event_counts as C
from .summary import event_keys as K
from .visits import VISIT_KEYS, articles_of, VisitCheck, visits_of

A, E, P, Q = s.articles, s.entities, s.event_participants, s.quotes

#: The country's latest articles with one of its events: they give its visits, counterparts and quotes.
ARTICLES = 80
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
    window = _window(conn, code)
    inbound, outbound = _visits(conn, code, window)
    counterparts = _counterparts(conn, code, window)
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
        "sectors": sectors, "visits_in": inbound, "visits_out": outbound, "window": ARTICLES,
        "counterparts": counterparts[:30], "quotes": quotes(conn, code, window),
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


def _window(conn: Connection, code: str) -> list[tuple[str, str]]:
    """(article_id, event_id) of the country's events in its latest `ARTICLES` articles, newest first."""
    return first_articles([(r.article_id, r.event_id) for r in conn.execute(
        select(K.c.article_id, K.c.event_id).where(K.c.fkey == "country", K.c.fval == code)
        .order_by(K.c.when_start.desc(), K.c.article_id, K.c.event_id).limit(ARTICLES * 5))], ARTICLES)


def first_articles(keys: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """The (article_id, event_id) keys, newest first, up to the first that opens an (n+1)th article."""
    seen: set[str] = set()
    out = []
    for a, v in keys:
        if a not in seen:
            if len(seen) == n:
                break
            seen.add(a)
        out.append((a, v))
    return out


def visits_in(conn: Connection, article_ids: list[str], check: VisitCheck) -> list[dict[str, Any]]:
    """The visits of these articles that pass `check`, newest first, as `visits.visits` gives them:
    its own reading and splitting, on a window of articles instead of the whole store."""
    ids = list(dict.fromkeys(article_ids))
    details = articles_of(conn, ids)
    found = [v for aid in ids if aid in details for v in visits_of(details[aid], check)]
    found.sort(key=lambda v: v["when"] or "", reverse=True)
    return [{k: v[k] for k in VISIT_KEYS} for v in found]


def _visits(conn: Connection, code: str, window: list[tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """The window's inbound visits (at a place inside the country, by visitors from elsewhere) and
    outbound ones (by its people, to a place elsewhere)."""
    found = visits_in(conn, [a for a, _ in window], VisitCheck(None, None, None, None, None))
    inbound = [v for v in found if v["place_country"] == code and any(c != code for c in v["visitor_countries"])]
    outbound = [v for v in found if code in v["visitor_countries"] and _destinations(v, code)]
    return inbound, outbound


def _destinations(visit: dict[str, Any], code: str) -> list[str]:
    """Where an outbound visit went: its place's country, else its hosts' countries; not `code` itself."""
    went = [visit["place_country"]] if visit["place_country"] else visit["host_countries"]
    return [c for c in went if c and c != code]


def _counterparts(conn: Connection, code: str, window: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """People, organisations and groups of other countries in the window's events (which have a
    party from the country), most events first."""
    wanted = set(window)
    ids = sorted({a for a, _ in window})
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


def quotes(conn: Connection, code: str, window: list[tuple[str, str]], limit: int = 10) -> list[dict[str, Any]]:
    """Quotes by people of the country (the speaker's entity country) in the window's articles,
    newest article first."""
    ids = sorted({a for a, _ in window})
    found: list[dict[str, Any]] = []
    for i in range(0, len(ids), 400):
        q = (select(Q.c.article_id, Q.c.id, Q.c.text, Q.c.cue, Q.c.kind, Q.c.start, E.c.name.label("speaker"),
                    E.c.country, E.c.type, A.c.headline, A.c.published)
             .select_from(Q.join(E, and_(E.c.article_id == Q.c.article_id, E.c.id == Q.c.speaker))
                          .join(A, A.c.id == Q.c.article_id))
             .where(Q.c.article_id.in_(ids[i:i + 400]), A.c.duplicate_of.is_(None)))
        # the speaker's country and type are tested here: in SQL, the planner would walk the country's index
        found += [dict(r._mapping) for r in conn.execute(q) if r.country == code and r.type == "PERSON"]
    found.sort(key=lambda r: (r["published"] or "", r["article_id"], -(r["start"] or 0)), reverse=True)
    return [{k: v for k, v in r.items() if k not in ("start", "country", "type")} for r in found[:limit]]


__all__ = ["ARTICLES", "check_code", "columns", "countries", "country", "first_articles", "quotes", "visits_in"]
