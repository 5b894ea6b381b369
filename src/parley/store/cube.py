"""Facet counts and timelines read from the `event_counts` summary, and the keys of an events list
filtered by one sector or country from `event_keys` (see `summary.py`).

The cube answers the filters most lists carry: an event type, one sector or one participant
country, and dates at month precision ("2020", "2020-03", "2020-03-01" as a since, a month's last
day as an until). Those it cannot answer (a day inside a month, an actor, a recipient, a place, a
mode, a sector and a country together) go to the live queries in `aggregates.py`; both count the
same events, which the tests check.

The dates follow `queries.since_clause` and `until_clause`: a date is kept when its period overlaps the filter's,
so a since of "2020-03-01" keeps an event dated "2020-03" or "2020" (it reaches March 1st).
"""

from __future__ import annotations

import calendar
from typing import Any

from sqlalchemy import ColumnElement, desc, func, select
from sqlalchemy.engine import Connection

from .queries import iso, since_clause, until_clause
from .summary import event_counts as C
from .summary import event_keys as K

FACETS = ("type", "sector", "country")


def _names_entities(f: Any) -> bool:
    """Whether `f` filters by an actor, recipient or place, or by mode: what no summary keys."""
    return bool(f.actor or f.recipient or f.mode or f.place or f.actor_is or f.recipient_is or f.place_is)


def answerable(f: Any) -> bool:
    """Whether the cube can count the events `f` (an `EventFilter`) selects."""
    if _names_entities(f):
        return False
    if f.sector and f.country:
        return False
    since, until = iso(f.since), iso(f.until)
    if since and len(since) == 10 and not since.endswith("-01"):
        return False
    return not (until and len(until) == 10 and not _month_end(until))


def _month_end(day: str) -> bool:
    try:
        y, m, d = int(day[:4]), int(day[5:7]), int(day[8:10])
        return d == calendar.monthrange(y, m)[1]
    except ValueError:
        return False


def _where(f: Any) -> list[ColumnElement[bool]]:
    if f.sector:
        fkey, fval = "sector", f.sector
    elif f.country:
        fkey, fval = "country", f.country.upper()
    else:
        fkey, fval = "", ""
    where = [C.c.fkey == fkey, C.c.fval == fval]
    if f.type:
        where.append(C.c.type == f.type.upper())
    since, until = iso(f.since), iso(f.until)
    if since:  # a since is answered here only at a month's first day, so its month stands for it
        where += since_clause(C.c.month_end, since[:7])
    if until:
        u = until[:7]  # a month's last day: the whole month
        where += [C.c.month_start != "", func.substr(C.c.month_start, 1, len(u)) <= u]
    return where


def facets(conn: Connection, f: Any, top: int = 30) -> dict[str, list[dict]]:
    """What `aggregates.facets` gives, summed from the cube."""
    where = _where(f)
    out = {}
    for facet in FACETS:
        n = func.sum(C.c.n).label("events")
        q = (select(C.c.value, n).where(*where, C.c.facet == facet).group_by(C.c.value)
             .order_by(desc("events"), C.c.value).limit(top))
        out[facet] = [{"value": r.value, "events": int(r.events)} for r in conn.execute(q)]
    return out


def timeline(conn: Connection, by: str, f: Any, bucket: str) -> list[dict]:
    """What `aggregates.timeline` gives (dated events only), summed from the cube."""
    period = func.substr(C.c.month_start, 1, 4 if bucket == "year" else 7).label("period")
    q = (select(period, C.c.value.label("key"), func.sum(C.c.n).label("events"))
         .where(*_where(f), C.c.facet == by, C.c.month_start != "")
         .group_by(period, C.c.value).order_by(period, C.c.value))
    return [{"period": r.period, "key": r.key, "events": int(r.events)} for r in conn.execute(q)]


def by_key(f: Any) -> bool:
    """Whether an events list with these filters reads its keys off `event_keys`: one sector or one
    country, with any type and dates, and nothing else."""
    return not _names_entities(f) and bool(f.sector) != bool(f.country)


def event_keys(f: Any, limit: int, offset: int) -> Any:
    """(article_id, event_id) of a page of the events `f` selects, newest first, as `events_page` orders them."""
    fkey, fval = ("sector", f.sector) if f.sector else ("country", f.country.upper())
    where = [K.c.fkey == fkey, K.c.fval == fval]
    if f.type:
        where.append(K.c.type == f.type.upper())
    since, until = iso(f.since), iso(f.until)
    if since:
        where += since_clause(K.c.when_end, since)
    if until:
        where += [K.c.when_start != "", *until_clause(K.c.when_start, until)]
    return (select(K.c.article_id, K.c.event_id).where(*where)
            .order_by(K.c.when_start.desc(), K.c.article_id, K.c.event_id).limit(limit).offset(offset or 0))
