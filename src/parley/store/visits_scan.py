"""The visits listing as it was computed before its summary (`visits_summary.py`): the engagement
events read newest first off the events table, in growing batches, and every article before the
page split into visits in Python. Kept as the reference the tests and `benchmarks/visits_latency.py`
compare the summary with (a deep page here costs every visit before it: 0.5-0.9 s at offset 1000 on
100,000 articles).

Two known differences from the summary, both this path's limits: a place filter finds the stored
place names inside the scope in `entity_stats`, which keeps one `geo` per name (a name placed in two
countries is found under the first one's scopes only); a visitor-country or sector filter narrows
the articles through `event_keys`, which holds canonical articles only, so near-duplicates' visits
are never found by those filters even with `include_duplicates`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, union_all
from sqlalchemy.engine import Connection

from . import summary
from .queries import DateLike, canonical_only, iso, since_clause, until_clause
from .visits import (
    PLACE_TYPES,
    VISIT_KEYS,
    A,
    E,
    P,
    PlaceScope,
    V,
    VisitCheck,
    articles_of,
    engagement_kinds,
    json_object,
    visits_of,
)

#: Candidate events read per batch at first; each further batch is four times larger.
FIRST_BATCH = 200


def _is_engagement() -> ColumnElement[bool]:
    """`kind_of(...) is not None` as SQL, so the database picks the engagements."""
    terms = []
    for k in engagement_kinds():
        term = [V.c.type == k.type, V.c.mode.is_(None) if k.mode is None else V.c.mode == k.mode]
        if k.triggers:
            term.append(func.lower(V.c.trigger_text).in_(sorted(k.triggers)))
        terms.append(and_(*term))
    return or_(*terms) if terms else false()


def _places_inside(conn: Connection, scope: PlaceScope) -> list[str]:
    """The names of stored places (as entities across articles) inside `scope`, from `entity_stats`."""
    st = summary.entity_stats
    rows = conn.execute(select(st.c.name, st.c.geo).where(st.c.type.in_(PLACE_TYPES), st.c.geo.is_not(None)))
    return sorted({r.name for r in rows if scope.contains(json_object(r.geo))})


def visits_scan(conn: Connection, place: PlaceScope | None = None, visitor_country: str | None = None,
                since: DateLike = None, until: DateLike = None, sector: str | None = None,
                include_duplicates: bool = False, limit: int | None = 100, offset: int = 0) -> list[dict]:
    """`visits.visits` as computed before its summary, from the events table (see above)."""
    since, until = iso(since), iso(until)
    where = [*canonical_only(include_duplicates), *since_clause(V.c.when_end, since), *until_clause(V.c.when_start, until),
             _is_engagement(), V.c.negated.is_(False)]
    keys = summary.event_keys
    if visitor_country:  # the article has an event with a party from there (`event_keys`, indexed)
        visitor_country = visitor_country.upper()
        where.append(V.c.article_id.in_(select(keys.c.article_id).where(
            keys.c.fkey == "country", keys.c.fval == visitor_country)))
    if sector:  # the article has an event of that sector
        where.append(V.c.article_id.in_(select(keys.c.article_id).where(keys.c.fkey == "sector", keys.c.fval == sector)))
    names = None
    if place is not None:
        names = _places_inside(conn, place)
        if not names:
            return []
        where.append(_at_places(conn, names))
    want = None if limit is None else offset + limit
    check = VisitCheck(place, since, until, visitor_country, sector)
    found: list[dict] = []

    def wanted() -> int | None:
        return None if want is None else want - len(found)

    for chunk in _article_chunks(conn, where, names, wanted):
        details = articles_of(conn, chunk)
        for aid in chunk:
            found += visits_of(details[aid], check)
    return [{k: v[k] for k in VISIT_KEYS} for v in found[offset:want]]


def _article_chunks(conn: Connection, where: list, names: list[str] | None,
                    wanted: Callable[[], int | None]) -> Iterator[list[str]]:
    """The articles holding candidate events, newest first, in chunks about as large as the rows
    still wanted (an article gives one visit or more); the candidates are read in growing batches."""
    seen: set[str] = set()
    pending: list[str] = []
    batch, start, exhausted = FIRST_BATCH, 0, False
    while True:
        need = wanted()
        if need is not None and need <= 0:
            return
        if not pending and not exhausted:
            rows = _candidates(conn, where, names, start, batch)
            start, exhausted, batch = start + batch, len(rows) < batch, batch * 4
            for r in rows:
                if r.article_id not in seen:
                    seen.add(r.article_id)
                    pending.append(r.article_id)
            continue
        if not pending:
            return
        size = len(pending) if need is None else max(need, 10)
        chunk, pending = pending[:size], pending[size:]
        yield chunk


#: A place filter whose places hold at most this many events reads them by name, article by article;
#: above it, the engagements are read newest first and each is checked for the place.
FEW_PLACE_EVENTS = 5000


def _at_places(conn: Connection, names: list[str]) -> ColumnElement[bool]:
    """The event is at a place of these names, or went to one (a place-typed recipient). Places with
    few events give their articles' ids outright (`entity_events`' index), so the database reads only
    those articles' events; others are checked on the engagements read newest first."""
    ee = summary.entity_events
    named = and_(ee.c.type.in_(PLACE_TYPES), ee.c.name.in_(names))
    is_place = and_(E.c.type.in_(PLACE_TYPES), E.c.name.in_(names))  # one lookup per row, as `_place_of` reads
    located = select(E.c.id).where(E.c.article_id == V.c.article_id, E.c.id == V.c.location, is_place).exists()
    went = select(P.c.entity_id).join(E, and_(E.c.article_id == P.c.article_id, E.c.id == P.c.entity_id)).where(
        P.c.article_id == V.c.article_id, P.c.event_id == V.c.id, P.c.role == "recipient", is_place).exists()
    at = or_(located, went)
    few = conn.execute(select(ee.c.article_id).where(named).limit(FEW_PLACE_EVENTS + 1)).scalars().all()
    if len(few) > FEW_PLACE_EVENTS:
        return at
    return and_(V.c.article_id.in_(sorted(set(few))), at)


def _candidates(conn: Connection, where: list, names: list[str] | None, start: int, batch: int) -> list[Any]:
    """Engagement events passing the SQL filters, newest first, one batch. Each event type is read
    apart (newest first off `ix_events_type_when`, at most start + batch rows) and the parts merged,
    so the database never sorts every engagement of the store."""
    newest = (V.c.when_start.desc().nulls_last(), V.c.article_id, V.c.id)
    joined = V.join(A, A.c.id == V.c.article_id)
    parts = []
    for type_ in sorted({k.type for k in engagement_kinds()}):
        q = select(V.c.article_id, V.c.id, V.c.when_start).select_from(joined).where(*where, V.c.type == type_)
        parts.append(select(q.order_by(*newest).limit(start + batch).subquery()))
    merged = union_all(*parts).subquery()
    return list(conn.execute(select(merged).order_by(
        merged.c.when_start.desc().nulls_last(), merged.c.article_id, merged.c.id).limit(batch).offset(start)))


