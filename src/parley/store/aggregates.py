"""Read-only aggregates for the web workbench: events over time, facet counts, who-met-whom edges,
events by place, and one entity's profile (roles over time, quotes, events, counterparts, articles).

Plain SQLAlchemy Core over the tables in `schema`, so they run on SQLite and PostgreSQL alike.
What a large store cannot count per request is read from the summary tables the writer keeps
(`summary.py`): totals, the entity page (`profile.py`), facets and timelines (`cube.py`), the
unfiltered network and map. The `live_*` functions count from the events themselves, for the
filters the summaries cannot answer (and, in the tests, to check that both agree).
An entity across articles is identified by its (type, name), as in `queries.entities`. Event
filters are those of `queries.events`, gathered in `EventFilter` so every aggregate of a filtered
list counts exactly the events the list shows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    desc,
    distinct,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.engine import Connection

from . import cube, dialect, profile, queries, summary
from .dialect import by_code_point
from . import schema as s
from .queries import DateLike
from .pipeline_groups import keys_in
from .summary_dates import seekable_since

A, E, R, Q, V = s.articles, s.entities, s.roles, s.quotes, s.events
P, VS = s.event_participants, s.event_sectors

BY = ("type", "sector", "country")
_A2 = A.alias("f_a")


@dataclass(frozen=True)
class EventFilter:
    """The filters of `Store.events`, as one value (hashable, so results can be cached by it)."""

    type: str | None = None
    country: str | None = None
    sector: str | None = None
    since: DateLike = None
    until: DateLike = None
    actor: str | None = None
    recipient: str | None = None
    mode: str | None = None
    place: str | None = None
    # Exact entity keys, "TYPE:name" (a network node's id): what a click on an edge or a place
    # selects, where the free-text `actor`/`recipient`/`place` match any name containing the text.
    actor_is: str | None = None
    recipient_is: str | None = None
    place_is: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        """The filters by name (a page's query string)."""
        return asdict(self)

    def conditions(self, canonical: str = "join") -> list[ColumnElement[bool]]:
        """WHERE terms on V selecting the same events as `queries.events`.

        `canonical` says how near-duplicates are left out: "join" tests A, joined by the caller;
        "exists" asks A row by row (cheap for a page of rows); "list" excludes the ids of the few
        near-duplicates, read once (cheap for a count over every event, and for a walk down an
        index: "exists" reads each article's row, where duplicate_of sits after the document).
        The subqueries use their own aliases: the aggregates join E, P and VS in the outer query,
        and a subquery naming the same table would be correlated to it instead of reading its own.
        """
        dup = select(_A2.c.id).where(_A2.c.duplicate_of.is_not(None))
        where_canonical = {
            "join": queries.canonical_only(False),
            "exists": [~dup.where(_A2.c.id == V.c.article_id).exists()],
            "list": [V.c.article_id.not_in(dup)],
        }[canonical]
        where = [*where_canonical, *queries.since_clause(V.c.when_end, self.since),
                 *queries.until_clause(V.c.when_start, self.until)]
        if self.type:
            where.append(V.c.type == self.type.upper())
        if self.mode:
            where.append(func.lower(V.c.mode) == self.mode.lower())
        if self.sector:
            vs = VS.alias("f_vs")
            where.append(select(vs.c.sector).where(
                vs.c.article_id == V.c.article_id, vs.c.event_id == V.c.id, vs.c.sector == self.sector).exists())
        if self.country:
            where.append(_party(E.c.country == self.country.upper()))
        for role, needle in (("actor", self.actor), ("recipient", self.recipient)):
            if needle:
                where.append(_party(queries.contains_text(E.c.names_lc, needle), role))
        if self.place:
            loc = E.alias("f_loc")
            where.append(select(loc.c.id).where(
                loc.c.article_id == V.c.article_id, loc.c.id == V.c.location,
                queries.contains_text(func.lower(loc.c.name), self.place)).exists())
        for role, key in (("actor", self.actor_is), ("recipient", self.recipient_is)):
            if key:
                where.append(_party(summary.entity_is(E, *split_key(key)), role))
        if self.place_is:
            loc = E.alias("f_loc_is")
            where.append(select(loc.c.id).where(
                loc.c.article_id == V.c.article_id, loc.c.id == V.c.location, summary.entity_is(loc, *split_key(self.place_is))).exists())
        return where


def split_key(key: str) -> tuple[str, str]:
    """("TYPE", "name") from "TYPE:name"; a key without a colon names no entity."""
    type, sep, name = key.partition(":")
    return (type, name) if sep else ("", key)


def _party(test: ColumnElement[bool], role: str | None = None) -> ColumnElement[bool]:
    """The event (V) has a participant (in `role`, if given) whose entity passes `test` (written on E)."""
    p, e = P.alias("f_p"), E.alias("f_e")
    test = _retarget(test, e)
    where = [p.c.article_id == V.c.article_id, p.c.event_id == V.c.id, test]
    if role:
        where.append(p.c.role == role)
    return select(p.c.entity_id).join(e, _participant_entity(p, e)).where(*where).exists()


def _retarget(test: ColumnElement[bool], e: Any) -> ColumnElement[bool]:
    from sqlalchemy.sql.util import ClauseAdapter

    return ClauseAdapter(e).traverse(test)


def events_page(conn: Connection, filters: EventFilter = EventFilter(), limit: int = 50,
                offset: int = 0) -> list[dict]:
    """The rows `queries.events` gives for these filters, found the fast way on a large store.

    The page's keys are read from the events table alone, newest first, so the database can walk
    the (when_start) index and stop after `limit` rows; joined to the articles first, SQLite would
    sort every event in the store. A list of one sector or one country reads its keys off the
    `event_keys` summary instead, where they sit together in page order (a rare country's events
    are otherwise found by testing every event). The rows are then filled in as `queries.events`
    fills them.
    """
    if cube.by_key(filters):
        keys_q = cube.event_keys(filters, limit, offset)
    else:
        when = V.c.when_start.desc() if conn.dialect.name == "sqlite" else V.c.when_start.desc().nulls_last()
        keys_q = (select(V.c.article_id, V.c.id).where(*filters.conditions("list"))
                  .order_by(when, V.c.article_id, V.c.id).limit(limit).offset(offset or 0))
    return fill_events(conn, [tuple(r) for r in conn.execute(keys_q)])


def fill_events(conn: Connection, keys: list[tuple[str, str]]) -> list[dict]:
    """The events with these (article_id, event_id) keys, in that order, as `queries.events` gives them."""
    if not keys:
        return []
    wanted = set(keys)
    rows = conn.execute(select(V, A.c.headline, A.c.published).select_from(V.join(A, A.c.id == V.c.article_id))
                        .where(V.c.article_id.in_(sorted({a for a, _ in keys}))))  # by the key's index
    by_key = {(r.article_id, r.id): queries.event_row(r._mapping) for r in rows if (r.article_id, r.id) in wanted}
    found = [by_key[k] for k in keys if k in by_key]
    queries.add_event_details(conn, found)
    add_entity_types(conn, found)
    return found


def _participant_entity(p: Any = P, e: Any = E) -> ColumnElement[bool]:
    return and_(e.c.article_id == p.c.article_id, e.c.id == p.c.entity_id)


def _same_event(p: Any) -> ColumnElement[bool]:
    return and_(p.c.article_id == V.c.article_id, p.c.event_id == V.c.id)


def _period(bucket: str) -> Any:
    """The event's date cut to a year ("2025") or a month ("2025-03")."""
    return func.substr(V.c.when_start, 1, 4 if bucket == "year" else 7)


# --- over time and facets ------------------------------------------------------------------------

def timeline(conn: Connection, by: str = "type", filters: EventFilter = EventFilter(),
             bucket: str = "month") -> list[dict]:
    """Event counts per period and key (event type, sector or participant country), oldest first.

    Events without a date are left out. An event with two sectors (or countries) counts once for each.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    if cube.answerable(filters):
        return cube.timeline(conn, by, filters, bucket)
    return live_timeline(conn, by, filters, bucket)


def live_timeline(conn: Connection, by: str = "type", filters: EventFilter = EventFilter(),
                  bucket: str = "month") -> list[dict]:
    """`timeline` counted from the events themselves: for the filters the cube cannot answer."""
    period = _period(bucket).label("period")
    base = V.join(A, A.c.id == V.c.article_id)
    where = [*filters.conditions(), V.c.when_start.is_not(None)]
    if by == "type":
        q = select(period, V.c.type.label("key"), func.count().label("events")).select_from(base)
    elif by == "sector":
        q = select(period, VS.c.sector.label("key"), func.count().label("events")).select_from(
            base.join(VS, and_(VS.c.article_id == V.c.article_id, VS.c.event_id == V.c.id)))
    elif by == "country":
        pairs = (select(V.c.article_id, V.c.id, period, E.c.country.label("key"))
                 .select_from(base.join(P, _same_event(P)).join(E, _participant_entity()))
                 .where(*where, E.c.country.is_not(None)).distinct().subquery())
        q = (select(pairs.c.period, pairs.c.key, func.count().label("events"))
             .group_by(pairs.c.period, pairs.c.key).order_by(pairs.c.period, pairs.c.key))
        return [dict(r._mapping) for r in conn.execute(q)]
    else:
        raise ValueError(f"by must be one of {BY}")
    q = q.where(*where).group_by(period, "key").order_by(period, "key")
    return [dict(r._mapping) for r in conn.execute(q)]


def facets(conn: Connection, filters: EventFilter = EventFilter(), top: int = 30) -> dict[str, list[dict]]:
    """How many of the filtered events have each type, sector and participant country (most first).

    Summed from the `event_counts` summary where it can answer the filters (`cube.py`); else read
    from the events table and its children alone, near-duplicates excluded by id: joining every
    event to its article would cost a pass over the articles as well.
    """
    if cube.answerable(filters):
        return cube.facets(conn, filters, top)
    return live_facets(conn, filters, top)


def live_facets(conn: Connection, filters: EventFilter = EventFilter(), top: int = 30) -> dict[str, list[dict]]:
    """`facets` counted from the events themselves: for the filters the cube cannot answer."""
    where = filters.conditions("list")
    n = func.count(distinct(V.c.article_id.concat("/").concat(V.c.id)))
    same = and_(VS.c.article_id == V.c.article_id, VS.c.event_id == V.c.id)
    by_type = select(V.c.type.label("value"), func.count().label("events")).where(*where).group_by(V.c.type)
    by_sector = select(VS.c.sector.label("value"), func.count().label("events")).select_from(
        VS.join(V, same)).where(*where).group_by(VS.c.sector)
    by_country = select(E.c.country.label("value"), n.label("events")).select_from(
        V.join(P, _same_event(P)).join(E, _participant_entity())).where(
        *where, E.c.country.is_not(None)).group_by(E.c.country)
    out = {}
    for name, q in (("type", by_type), ("sector", by_sector), ("country", by_country)):
        q = q.order_by(desc("events"), "value").limit(top)
        out[name] = [dict(r._mapping) for r in conn.execute(q)]
    return out


def type_counts(conn: Connection, filters: EventFilter = EventFilter(), top: int = 30) -> list[dict]:
    """`facets(...)["type"]` alone (the network page's types): from the cube where it answers the
    filters; with dates to the day, from the cube for every month but those the days cut, whose
    events are counted one by one (the whole count from the events took 5 s on a 100,000-article store)."""
    if cube.answerable(filters):
        return cube.facets(conn, filters, top)["type"]
    months = EventFilter(**{**filters.as_kwargs(), "since": _month(filters.since), "until": _month(filters.until)})
    edges = [d[:7] if d and len(d) == 10 else None for d in (queries.iso(filters.since), queries.iso(filters.until))]
    if not cube.answerable(months) or not any(edges):
        return live_facets(conn, filters, top)["type"]
    C = summary.event_counts
    where = [*cube._where(months), C.c.facet == "type"]  # the cube's own terms for the months
    where += [col != edge for col, edge in ((C.c.month_end, edges[0]), (C.c.month_start, edges[1])) if edge]
    counted: dict[str, int] = {}
    for r in conn.execute(select(C.c.value, func.sum(C.c.n)).where(*where).group_by(C.c.value)):
        counted[r[0]] = counted.get(r[0], 0) + int(r[1])
    rest = EventFilter(**{**filters.as_kwargs(), "country": None})  # the country: `cut_months`
    for cut in cut_months(edges, select(V.c.type, func.count()).where(*rest.conditions("exists"))
                          .group_by(V.c.type), filters.country):
        for r in conn.execute(cut):
            counted[r[0]] = counted.get(r[0], 0) + int(r[1])
    ranked = sorted(((v, n) for v, n in counted.items() if n), key=lambda vn: (-vn[1], vn[0]))
    return [{"value": v, "events": n} for v, n in ranked[:top]]


def cut_months(edges: list[str | None], q: Any, country: str | None = None) -> list[Any]:
    """`q` (over the events, V) for the events of the months a day cuts, one query per month, so each
    is read off an index of its date (with both months OR-ed and `until`'s own term, the planner
    walked every earlier event: 0.3 s): those ending in since's month (`edges[0]`), then those
    starting in until's and not counted already. With `country` (left out of `q`), the events with a
    party of that country are found by their month in `summary.event_keys` (its indexes by end,
    migration 22, and by start) and read by key: walking every event of the month and testing its
    parties read 3,000 events' rows, 250-350 ms a month where the store was not in memory."""
    since, until = edges

    def months(end: Any, start: Any) -> list[Any]:
        out = []
        if since:
            out.append(_in_month(end, since))
        if until:
            cut = _in_month(start, until)
            if since:
                cut = and_(cut, func.coalesce(func.substr(end, 1, 7), "") != since)
            out.append(cut)
        return out

    if not country:
        return [q.where(month) for month in months(V.c.when_end, V.c.when_start)]
    k = summary.event_keys
    return [q.where(tuple_(V.c.article_id, V.c.id).in_(
        select(k.c.article_id, k.c.event_id).where(k.c.fkey == "country", k.c.fval == country.upper(), month)))
        for month in months(k.c.when_end, k.c.when_start)]


def _in_month(col: Any, month: str) -> Any:
    return and_(col >= month, col < month + "Z", func.substr(col, 1, 7) == month)  # "Z": after "-" and digits


def _month(d: DateLike) -> str | None:
    s = queries.iso(d)
    return s[:7] if s and len(s) == 10 else s


# --- who met whom --------------------------------------------------------------------------------

def engagement_types() -> dict[str, str]:
    """The network's default event types with what each stands for (`resources/network_types.tsv`)."""
    from ..analysis.lexicon import read_table

    return {row["type"]: row["label"] for row in read_table("network_types.tsv")}


def network(conn: Connection, filters: EventFilter = EventFilter(), limit: int = 150,
            types: tuple[str, ...] | None = None) -> dict[str, list[dict]]:
    """Directed actor -> recipient edges weighted by the number of filtered events they share.

    Nodes are (type, name) entities; `id` is "TYPE:name". The heaviest `limit` edges are kept.
    `types` keeps only events of those types (the page's default is `engagement_types()`, so an
    attack never reads as a meeting); a `type` filter, being narrower, overrides it. Each edge
    carries its events by type, except unfiltered and of every type, where the edges are read from
    the `network_edges` summary (which has no breakdown by type). Unfiltered and of the engagement
    types (the page's default), the top edges are read in order from `network_engaged` and their
    types from `network_types`; of other types, summed from `network_types` for the heaviest edges
    of every type only (`_bounded_edges`); filtered by a
    country, a type or dates by years, from `network_years`, by months, from `network_months`;
    otherwise counted from the events (a large store's default took 14 s that way, a country 4-7 s).
    """
    if filters.type:
        types = None
    if filters == EventFilter() and types is not None:
        if frozenset(types) == summary.engaged_types():
            return _engaged_network(conn, limit, types)
        t = summary.network_types
        where = [t.c.type.in_(sorted(types))]
        if _more_than(conn, t, where, SUM_AT_ONCE):  # bounded by each edge's events of every type
            found = _bounded_edges(conn, _heaviest(conn, summary.network_edges), t, where, limit, [])
            if found is not None:
                return found
        return _summary_network(conn, limit, types)
    if filters != EventFilter() and by_month(filters):
        return _month_network(conn, filters, limit, types)
    if filters != EventFilter() or types is not None:
        return live_network(conn, filters, limit, types, by_type=True)
    t = summary.network_edges
    return _graph([dict(r._mapping) for r in conn.execute(
        select(t.c.source_type, t.c.source, t.c.target_type, t.c.target, t.c.events)
        .order_by(desc(t.c.events), t.c.source, t.c.target).limit(limit))])


def _engaged_network(conn: Connection, limit: int, types: tuple[str, ...]) -> dict[str, list[dict]]:
    """The heaviest `limit` edges of the engagement types, read in order off `network_engaged`'s index
    (summing `network_types` for them read 150,000 rows), with their events by type."""
    t = summary.network_engaged
    top = [tuple(r[:4]) for r in conn.execute(_heaviest(conn, t).limit(limit))]
    if not top:
        return _graph([])
    typed = summary.network_types
    rows: list[Any] = []
    for i in range(0, len(top), 100):  # four parameters a key
        rows += conn.execute(select(typed).where((typed.c.type + "").in_(sorted(types)), keys_in(  # by the key
            [typed.c.source_type, typed.c.source, typed.c.target_type, typed.c.target], top[i:i + 100]))).all()
    return _graph(_by_type(rows, limit))


def _summary_network(conn: Connection, limit: int, types: tuple[str, ...]) -> dict[str, list[dict]]:
    """The heaviest `limit` edges of events of `types`, with their events by type, from `network_types`."""
    t = summary.network_types
    return _top_edges(conn, t, [t.c.type.in_(sorted(types))], limit)


def _summed_edges(conn: Connection, t: Any, where: list[Any], limit: int) -> dict[str, list[dict]]:
    """The heaviest `limit` edges of summary `t`'s rows `where`, with their events by type (ties by
    name as Python orders them, so PostgreSQL's collation keeps the same edges)."""
    keys = [t.c.source_type, t.c.source, t.c.target_type, t.c.target]
    edges = (select(*keys, t.c.type, func.sum(t.c.events).label("events")).where(*where)
             .group_by(*keys, t.c.type).cte("edges"))
    e = edges.c
    top = (select(e.source_type, e.source, e.target_type, e.target, func.sum(e.events).label("total"))
           .group_by(e.source_type, e.source, e.target_type, e.target)
           .order_by(desc("total"), by_code_point(conn, e.source), by_code_point(conn, e.target)).limit(limit).subquery())
    rows = conn.execute(select(e.source_type, e.source, e.target_type, e.target, e.type, e.events).select_from(
        edges.join(top, and_(*(e[k.name] == top.c[k.name] for k in keys)))))
    return _graph(_by_type(rows, limit))


def by_month(filters: EventFilter) -> bool:
    """Whether `network_months` answers the filters: a country, a type, dates by years or months."""
    dates = [queries.iso(filters.since), queries.iso(filters.until)]
    rest = EventFilter(**{**filters.as_kwargs(), "type": None, "country": None, "since": None, "until": None})
    return rest == EventFilter() and all(len(d) <= 7 or len(d) == 10 for d in dates if d)


def _month_network(conn: Connection, filters: EventFilter, limit: int,
                   types: tuple[str, ...] | None) -> dict[str, list[dict]]:
    """`network` of a country, a type or dates by years or months, summed from `network_months`
    (an event's dates compare with those at their first seven characters, `queries.since_clause`),
    Dated by years or months alone, of every type or the engagement types, the heaviest edges are
    found by their all-time totals (`_bounded_edges`)."""
    dates = [queries.iso(filters.since), queries.iso(filters.until)]
    t = summary.network_months
    where = [t.c.country == (filters.country or "").upper(), *queries.since_clause(t.c.month_end, filters.since),
             *queries.until_clause(t.c.month_start, filters.until)]
    if queries.iso(filters.until):
        where.append(t.c.month_start != "")  # no start: NULL in the events, which no `until` keeps
    where += seekable_since(t.c.month_end, filters.since)
    if filters.type:
        where.append(t.c.type == filters.type.upper())
    elif types is not None:
        where.append(t.c.type.in_(sorted(types)))
    edges = [d[:7] if d and len(d) > 7 else None for d in dates]
    # a day cuts its month: those months' events are counted one by one, the other months summed
    where += [col != edge for col, edge in ((t.c.month_end, edges[0]), (t.c.month_start, edges[1])) if edge]
    cut = cut_months(edges, _cut_edges(filters, types), filters.country)
    bound = _bound(conn, filters, types)
    if bound is not None and _more_than(conn, t, where, SUM_AT_ONCE):
        found = _bounded_edges(conn, bound, t, where, limit, [r for q in cut for r in conn.execute(q)])
        if found is not None:
            return found
    if not cut:
        return _top_edges(conn, t, where, limit)
    # both ranked together by the database (summed in Python, 100,000 month rows took 2.5 s)
    keys = [t.c.source_type, t.c.source, t.c.target_type, t.c.target, t.c.type]
    parts = [select(*keys, t.c.events).where(*where), *cut]
    return _summed_edges(conn, union_all(*parts).subquery("dated"), [], limit)


#: Edges whose months `_bounded_edges` sums in its first query (each next one twice as many), and the
#: most it reads before giving up and summing every row.
BOUND_BATCH = 300
BOUND_MOST = 2100
#: `_bounded_edges` gives up at once when the unread edges may still hold this many times the events
#: of the last edge kept: events spread thin over the dates (a recent month, a store of many small
#: edges), where the search would read edge after edge to its cap and then sum every row anyway.
BOUND_HOPELESS = 2


#: Rows of `network_months` summed at once rather than searched edge by edge (`_bounded_edges`).
SUM_AT_ONCE = 20_000


def _more_than(conn: Connection, t: Any, where: list[Any], n: int) -> bool:
    """Whether more than `n` rows of `t` match `where` (counted no further)."""
    return conn.execute(select(func.count()).select_from(select(literal(1)).select_from(t).where(*where)
                                                         .limit(n + 1).subquery())).scalar_one() > n


def _bound(conn: Connection, filters: EventFilter, types: tuple[str, ...] | None) -> Any:
    """The edges, heaviest first, whose `events` bound each edge's events within `filters`' dates:
    every type's (`network_edges`), the engagement types' (`network_engaged`) or one type's
    (`network_types`), each read in order off an index; None for a country or other types."""
    if filters.country:
        return None
    if filters.type:
        t = summary.network_types
        return _heaviest(conn, t).where(t.c.type == filters.type.upper())
    if types is None:
        return _heaviest(conn, summary.network_edges)
    return _heaviest(conn, summary.network_engaged) if frozenset(types) == summary.engaged_types() else None


def _heaviest(conn: Connection, t: Any) -> Any:
    """`t`'s edges, heaviest first, ties by name as Python orders them (as `_by_type` ranks edges)."""
    return select(t.c.source_type, t.c.source, t.c.target_type, t.c.target, t.c.events).order_by(
        desc(t.c.events), by_code_point(conn, t.c.source), by_code_point(conn, t.c.target))


def _bounded_edges(conn: Connection, bound: Any, t: Any, where: list[Any], limit: int,
                   cut: list[Any]) -> dict[str, list[dict]] | None:
    """The heaviest `limit` edges of summary `t`'s rows `where` (`network_months` within dates, or
    `network_types` of some types) and the `cut` rows (the events of months a day cuts, by edge and
    type), found without summing every row: edges are taken in the order of their all-time events
    (`bound`), a batch at a time, and their rows summed (read by edge: `ix_network_months_edge`, the
    types' primary key). An edge not read yet has at most the events of the last one
    read, and is ranked after it on a tie: once the `limit`-th edge found ranks before that, no
    later edge can reach it. None when that takes more than BOUND_MOST edges (events spread thin:
    every row is then summed, `_summed_edges`), or as soon as it is plain that it would
    (`BOUND_HOPELESS`)."""
    extra: dict[tuple, list[Any]] = {}
    for r in cut:
        extra.setdefault(tuple(r[:4]), []).append(r)
    found: list[Any] = []
    start, size = 0, BOUND_BATCH
    while start < BOUND_MOST:
        batch = conn.execute(bound.limit(size).offset(start)).all()
        if batch:
            chosen = [tuple(r[:4]) for r in batch]
            found += _rows_of_edges(conn, t, where, chosen)
            found += [r for key in chosen for r in extra.get(key, [])]
        top = _by_type(_summed(found), limit)
        if len(batch) < size:  # every edge read
            return _graph(top)
        last = batch[-1]
        if len(top) == limit and (-top[-1]["events"], top[-1]["source"], top[-1]["target"]) < (
                -last.events, last.source, last.target):
            return _graph(top)
        if len(top) == limit and top[-1]["events"] * BOUND_HOPELESS < last.events:
            return None  # the unread edges can still outweigh the kept ones many times over
        start, size = start + size, size * 2
    return None


_EDGE = ("source_type", "source", "target_type", "target")


def _rows_of_edges(conn: Connection, t: Any, where: list[Any], edges: list[tuple]) -> list[Any]:
    """Summary `t`'s rows `where` of the `edges` (keys), summed by edge and type: one SELECT per edge,
    each sought on the index that starts with the edge, joined by UNION ALL, in the driver's own SQL
    with the rows' terms compiled once. Not an OR of the edges (SQLite without statistics, a store
    grown from empty, read the whole date range for it: 0.5 s a query), nor a list of values joined
    (10x slower with them), nor SQLAlchemy's thousands of bound parameters (more than the reading)."""
    terms = str(and_(*where, t.c.events > 0).compile(conn, compile_kwargs={"literal_binds": True}))
    mark = dialect.param_mark(conn)
    key = " AND ".join(f"{t.name}.{n} = {mark}" for n in _EDGE)
    one = (f"SELECT {t.name}.type, sum({t.name}.events) FROM {t.name} WHERE {key} AND {terms} "
           f"GROUP BY {t.name}.type")
    found = []
    for i in range(0, len(edges), EDGES_A_QUERY):
        chunk = edges[i:i + EDGES_A_QUERY]
        sql = " UNION ALL ".join(f"SELECT {j} AS edge, x.* FROM ({one}) AS x" for j in range(len(chunk)))
        for r in conn.exec_driver_sql(sql, tuple(v for k in chunk for v in k)):
            found.append(SimpleNamespace(**dict(zip(_EDGE, chunk[r[0]])), type=r[1], events=r[2]))
    return found


#: Edges per UNION ALL (SQLite takes at most 500 SELECTs in one).
EDGES_A_QUERY = 150


def _top_edges(conn: Connection, t: Any, where: list[Any], limit: int) -> dict[str, list[dict]]:
    """`_summed_edges` of a summary table in two steps: its heaviest `limit` edges, summed in one pass
    over its rows (by edge only: read in the order of an index that starts with the edge, no sort),
    then their events by type. Summing by edge and type first sorted every row (0.3 s a year)."""
    keys = [t.c[n] for n in _EDGE]
    top = conn.execute(select(*keys, func.sum(t.c.events).label("total")).where(*where).group_by(*keys)
                       .order_by(desc("total"), by_code_point(conn, t.c.source), by_code_point(conn, t.c.target)).limit(limit)).all()
    return _graph(_by_type(_summed(_rows_of_edges(conn, t, where, [tuple(r[:4]) for r in top])), limit))


def _summed(rows: list[Any]) -> list[Any]:
    """Edge rows by type with one row per edge and type, their events added."""
    sums: dict[tuple, int] = {}
    for r in rows:
        key = (r.source_type, r.source, r.target_type, r.target, r.type)
        sums[key] = sums.get(key, 0) + r.events
    return [SimpleNamespace(source_type=k[0], source=k[1], target_type=k[2], target=k[3], type=k[4], events=n)
            for k, n in sums.items()]


def _cut_edges(filters: EventFilter, types: tuple[str, ...] | None) -> Any:
    """`_edge_query` for the events of a month a day cuts, their type tested row by row (`|| ''`), so
    the database walks the date's index: with the type's, it read every engagement (0.3 s)."""
    q = _edge_query(EventFilter(**{**filters.as_kwargs(), "type": None, "country": None}), None, by_type=True,
                    canonical="exists")  # the country: `cut_months`
    kinds = [filters.type.upper()] if filters.type else sorted(types) if types is not None else None
    return q if kinds is None else q.where((V.c.type + "").in_(kinds))


def network_month_rows(by_country: bool) -> Any:
    """Every canonical event's edges by type and month of start and end, counted from the events, for
    every event ('' country) or for each party country: what `network_months` holds (migration 15)."""
    pa, pr = P.alias("pa"), P.alias("pr")
    ea, er = E.alias("ea"), E.alias("er")
    month = {c: func.coalesce(func.substr(V.c[c], 1, 7), "") for c in ("when_start", "when_end")}
    joined = (V.join(A, A.c.id == V.c.article_id)
              .join(pa, and_(_same_event(pa), pa.c.role == "actor"))
              .join(pr, and_(_same_event(pr), pr.c.role == "recipient"))
              .join(ea, _participant_entity(pa, ea)).join(er, _participant_entity(pr, er)))
    country: Any = literal("")
    if by_country:
        pc, ec = P.alias("pc"), E.alias("ec")
        parties = (select(pc.c.article_id, pc.c.event_id, ec.c.country).join(ec, _participant_entity(pc, ec))
                   .where(ec.c.country.is_not(None), ec.c.country != "").distinct().subquery())
        joined = joined.join(parties, and_(parties.c.article_id == V.c.article_id, parties.c.event_id == V.c.id))
        country = parties.c.country
    keys = [country.label("country"), month["when_start"].label("month_start"), month["when_end"].label("month_end"),
            ea.c.type.label("source_type"), ea.c.name.label("source"), er.c.type.label("target_type"),
            er.c.name.label("target"), V.c.type.label("type")]
    return (select(*keys, func.count().label("events")).select_from(joined)
            .where(*queries.canonical_only(False), ea.c.name != er.c.name).group_by(*keys))


def create_network_months(conn: Connection) -> None:
    """Migration 15: `network_months`, counted from the stored events."""
    t = summary.network_months
    t.create(conn, checkfirst=True)
    conn.execute(t.delete())
    for col in ("when_start", "when_end"):  # the months a day cuts, read event by event
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_events_{col} ON events ({col})")
    for by_country in (False, True):
        q = network_month_rows(by_country)
        conn.execute(t.insert().from_select([c.name for c in q.selected_columns], q))
    conn.exec_driver_sql(f"ANALYZE {t.name}")


def network_type_rows() -> Any:
    """Every canonical event's actor -> recipient edges by event type, counted from the events: what
    `network_types` holds (migration 12 fills it with this; the writer adds each new article's)."""
    return _edge_query(EventFilter(), None, by_type=True)


def live_network(conn: Connection, filters: EventFilter = EventFilter(), limit: int = 150,
                 types: tuple[str, ...] | None = None, by_type: bool = False) -> dict[str, list[dict]]:
    """`network` counted from the events themselves; `by_type` adds each edge's events by type."""
    q = _edge_query(filters, types, by_type)
    if not by_type:
        return _graph([dict(r._mapping) for r in conn.execute(
            q.order_by(desc("events"), "source", "target").limit(limit))])
    return _graph(_by_type(conn.execute(q), limit))


def _by_type(rows: Any, limit: int) -> list[dict]:
    """Edge rows split by type, folded into one edge each with `types`, the heaviest `limit` first."""
    edges: dict[tuple[str, str, str, str], dict] = {}
    for r in rows:
        key = (r.source_type, r.source, r.target_type, r.target)
        edge = edges.setdefault(key, {"source_type": r.source_type, "source": r.source, "target_type": r.target_type,
                                      "target": r.target, "events": 0, "types": {}})
        edge["events"] += r.events
        edge["types"][r.type] = r.events
    for edge in edges.values():
        edge["types"] = dict(sorted(edge["types"].items(), key=lambda kv: (-kv[1], kv[0])))
    ranked = sorted(edges.values(), key=lambda e: (-e["events"], e["source"], e["target"]))
    return ranked[:limit]


def _edge_query(filters: EventFilter, types: tuple[str, ...] | None, by_type: bool, canonical: str = "join") -> Any:
    """The edges of the filtered events; `canonical` as `EventFilter.conditions` takes it ("exists":
    the article is asked per event, for a few events found by their own index)."""
    pa, pr = P.alias("pa"), P.alias("pr")
    ea, er = E.alias("ea"), E.alias("er")
    where = [*filters.conditions(canonical), ea.c.name != er.c.name]
    if types is not None and not filters.type:
        where.append(V.c.type.in_(sorted(types)))
    split = [V.c.type.label("type")] if by_type else []
    q = (
        select(ea.c.type.label("source_type"), ea.c.name.label("source"),
               er.c.type.label("target_type"), er.c.name.label("target"), *split,
               func.count().label("events"))
        .select_from((V.join(A, A.c.id == V.c.article_id) if canonical == "join" else V)
                     .join(pa, and_(_same_event(pa), pa.c.role == "actor"))
                     .join(pr, and_(_same_event(pr), pr.c.role == "recipient"))
                     .join(ea, _participant_entity(pa, ea)).join(er, _participant_entity(pr, er)))
        .where(*where)
        .group_by(ea.c.type, ea.c.name, er.c.type, er.c.name, *split)
    )
    return q


def _graph(edges: list[dict]) -> dict[str, list[dict]]:
    nodes: dict[str, dict] = {}
    for e in edges:
        for side in ("source", "target"):
            key = f"{e[side + '_type']}:{e[side]}"
            node = nodes.setdefault(key, {"id": key, "type": e[side + "_type"], "name": e[side], "events": 0})
            node["events"] += e["events"]
    return {"nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])), "edges": edges}


# --- places --------------------------------------------------------------------------------------

def places(conn: Connection, filters: EventFilter = EventFilter(), limit: int = 300) -> list[dict]:
    """Places where the filtered events happened, with their event counts and coordinates
    (unfiltered: read from the `place_events` summary)."""
    t = summary.place_events
    q = select(t.c.type, t.c.name, t.c.events).order_by(desc(t.c.events), t.c.name).limit(limit)
    return _placed(conn, q if filters == EventFilter() else _live_places(filters, limit))


def place_total(conn: Connection, filters: EventFilter = EventFilter()) -> int:
    """How many places `places` lists without a limit: a map that shows the most eventful 300 says
    of how many."""
    if filters == EventFilter():
        return int(conn.execute(select(func.count()).select_from(summary.place_events)).scalar_one())
    return int(conn.execute(select(func.count()).select_from(_live_places(filters, None).subquery())).scalar_one())


def live_places(conn: Connection, filters: EventFilter = EventFilter(), limit: int = 300) -> list[dict]:
    """`places` counted from the events themselves."""
    return _placed(conn, _live_places(filters, limit))


def _live_places(filters: EventFilter, limit: int | None) -> Any:
    loc = E.alias("loc")
    return (
        select(loc.c.type, loc.c.name, func.count().label("events"))
        .select_from(V.join(A, A.c.id == V.c.article_id).join(
            loc, and_(loc.c.article_id == V.c.article_id, loc.c.id == V.c.location)))
        .where(*filters.conditions(), loc.c.geo.is_not(None))
        .group_by(loc.c.type, loc.c.name).order_by(desc("events"), loc.c.name).limit(limit)
    )


#: Place kinds (`entity.geo.kind`) that are areas, not points: a continent or a world region has a
#: centroid in the gazetteer, but a pin there would say the events happened at that spot.
AREA_KINDS = frozenset({"continent", "region"})


def _placed(conn: Connection, q: Any) -> list[dict]:
    """The (type, name, events) rows of `q` with their coordinates; places without are left out.
    `kind` is the gazetteer's (city, admin1, country, region, continent); `area` says the map lists
    the place as an area instead of pinning it."""
    found = [dict(r._mapping) for r in conn.execute(q)]
    geo = _geo_of(conn, {(p["type"], p["name"]) for p in found})
    out = []
    for p in found:
        g = geo.get((p["type"], p["name"]))
        if g:
            out.append({**p, "lat": g["lat"], "lon": g["lon"], "country": g.get("country"), "kind": g.get("kind"),
                        "area": g.get("kind") in AREA_KINDS})
    return out


def _geo_of(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """One coordinate pair per (type, name): the first stored one with both lat and lon."""
    out: dict[tuple[str, str], dict] = {}
    names = sorted({n for _, n in keys})
    for i in range(0, len(names), 400):
        rows = conn.execute(select(E.c.type, E.c.name, E.c.geo, E.c.country).where(
            E.c.name.in_(names[i:i + 400]), E.c.geo.is_not(None)))
        for r in rows:
            g = r.geo or {}
            if (r.type, r.name) in keys and (r.type, r.name) not in out and _num(g.get("lat")) and _num(g.get("lon")):
                out[(r.type, r.name)] = {"lat": float(g["lat"]), "lon": float(g["lon"]), "country": r.country,
                                         "kind": g.get("kind")}
    return out


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# --- one entity ----------------------------------------------------------------------------------

def entity_profile(conn: Connection, type: str, name: str, limit: int = 20) -> dict | None:
    """Everything the entity page shows, or None when no canonical article names it (`profile.py`)."""
    return profile.profile(conn, type, name, limit)


def search_facets(conn: Connection, article_ids: list[str]) -> dict[str, list[dict]]:
    """Facet counts (event type, sector, participant country) over a set of articles, e.g. search hits."""
    if not article_ids:
        return {"type": [], "sector": [], "country": []}
    out: dict[str, dict[str, int]] = {"type": {}, "sector": {}, "country": {}}
    for i in range(0, len(article_ids), 400):
        ids = article_ids[i:i + 400]
        for value, n in conn.execute(select(V.c.type, func.count(distinct(V.c.article_id))).where(
                V.c.article_id.in_(ids)).group_by(V.c.type)):
            out["type"][value] = out["type"].get(value, 0) + n
        for value, n in conn.execute(select(VS.c.sector, func.count(distinct(VS.c.article_id))).where(
                VS.c.article_id.in_(ids)).group_by(VS.c.sector)):
            out["sector"][value] = out["sector"].get(value, 0) + n
        for value, n in conn.execute(
                select(E.c.country, func.count(distinct(E.c.article_id)))
                .select_from(P.join(E, _participant_entity()))
                .where(P.c.article_id.in_(ids), E.c.country.is_not(None)).group_by(E.c.country)):
            out["country"][value] = out["country"].get(value, 0) + n
    return {k: [{"value": v, "articles": n} for v, n in sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))]
            for k, d in out.items()}


def article_ids_matching(conn: Connection, article_ids: list[str], filters: EventFilter) -> set[str]:
    """Those of `article_ids` with at least one event passing `filters` (search's facet filter)."""
    found: set[str] = set()
    for i in range(0, len(article_ids), 400):
        q = (select(V.c.article_id).select_from(V.join(A, A.c.id == V.c.article_id))
             .where(V.c.article_id.in_(article_ids[i:i + 400]), *filters.conditions()).distinct())
        found.update(conn.execute(q).scalars())
    return found


def latest_version(conn: Connection) -> Any:
    """A cheap marker that changes whenever an article is stored: the newest `ingested_at`, and the id."""
    row = conn.execute(select(A.c.ingested_at, A.c.id).order_by(A.c.ingested_at.desc(), A.c.id.desc()).limit(1)).first()
    return tuple(row) if row else None


def add_entity_types(conn: Connection, events: list[dict]) -> None:
    """Give event rows (from `queries.events`) their participants' and place's entity types, so each
    name can link to its entity page: `actor_types`, `recipient_types`, `location_type`."""
    if not events:
        return
    ids = sorted({e["article_id"] for e in events})
    types: dict[tuple[str, str], str] = {}
    for i in range(0, len(ids), 400):
        for r in conn.execute(select(E.c.article_id, E.c.id, E.c.type).where(E.c.article_id.in_(ids[i:i + 400]))):
            types[(r.article_id, r.id)] = r.type
    for e in events:
        aid = e["article_id"]
        e["actor_types"] = [types.get((aid, x)) for x in e.get("actor_ids", [])]
        e["recipient_types"] = [types.get((aid, x)) for x in e.get("recipient_ids", [])]
        e["location_type"] = types.get((aid, e.get("location_id"))) if e.get("location_id") else None


def counts(conn: Connection) -> dict[str, int]:
    """What `queries.counts` gives, read from the summary tables the writer keeps (`summary.py`)."""
    t = dict(conn.execute(select(summary.totals.c.name, summary.totals.c.n)).all())
    entities = conn.execute(select(func.count()).select_from(summary.entity_stats)
                            .where(summary.entity_stats.c.articles > 0)).scalar_one()
    return {"articles": int(t.get("articles", 0)), "near_duplicates": int(t.get("near_duplicates", 0)),
            "entities": entities, "mentions": int(t.get("mentions", 0)), "quotes": int(t.get("quotes", 0)),
            "events": int(t.get("events", 0))}
