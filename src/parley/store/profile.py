"""One entity's page (summary, roles, quotes, events, counterparts, articles), read from the
summary tables (`summary.py`) so the most named entity costs what a rare one does: a few index
ranges and 20-row pages, never a pass over its tens of thousands of rows.

An entity across articles is its (type, name), as in `queries.entities`; near-duplicates are not
in the summaries, so nothing here tests `duplicate_of`.
"""

from __future__ import annotations

import json

from sqlalchemy import and_, desc, select
from sqlalchemy.engine import Connection

from . import schema as s
from .summary import entity_articles as EA
from .summary import entity_events as EV
from .summary import entity_is, entity_pairs, entity_roles, entity_stats, entity_values

A, E, Q, V = s.articles, s.entities, s.quotes, s.events


def summary(conn: Connection, type: str, name: str) -> dict | None:
    """Articles and mentions of the entity, its aliases, countries and sectors (most rows first)
    and coordinates; None when no canonical article names it."""
    st = conn.execute(select(entity_stats).where(entity_is(entity_stats, type, name))).first()
    if st is None or not st.articles:
        return None
    ranked: dict[str, list[str]] = {"alias": [], "country": [], "sector": []}
    v = entity_values
    for r in conn.execute(select(v.c.kind, v.c.value).where(entity_is(v, type, name))
                          .order_by(v.c.kind, desc(v.c.n), v.c.value)):
        ranked.setdefault(r.kind, []).append(r.value)
    return {"type": type, "name": name, "articles": st.articles, "mentions": st.mentions,
            "aliases": sorted(ranked["alias"]), "countries": ranked["country"], "sectors": ranked["sector"],
            "geo": json.loads(st.geo) if st.geo else None}


def roles(conn: Connection, type: str, name: str) -> list[dict]:
    """Each (title, of) the entity held, with the first and last published date it was reported."""
    r = entity_roles
    q = (select(r.c.title, r.c.of, r.c.first, r.c.last, r.c.articles).where(entity_is(r, type, name))
         .order_by(r.c.first.nulls_last(), r.c.title, r.c.of))
    return [{**row._mapping, "of": row.of or None} for row in conn.execute(q)]


def quotes(conn: Connection, type: str, name: str, limit: int = 20) -> list[dict]:
    """The entity's quotes, newest article first: the newest `limit` articles where it speaks
    (a partial index holds only those), then their quotes."""
    ids = conn.execute(select(EA.c.article_id).where(entity_is(EA, type, name), EA.c.quotes > 0)
                       .order_by(EA.c.published.desc(), EA.c.article_id).limit(limit)).scalars().all()
    if not ids:
        return []
    q = (
        select(Q.c.article_id, Q.c.id, Q.c.cue, Q.c.kind, Q.c.text, Q.c.stance, A.c.headline, A.c.published)
        .select_from(Q.join(A, A.c.id == Q.c.article_id).join(
            E, and_(E.c.article_id == Q.c.article_id, E.c.id == Q.c.speaker)))
        .where(Q.c.article_id.in_(ids), entity_is(E, type, name))
        .order_by(A.c.published.desc().nulls_last(), Q.c.article_id, Q.c.start).limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def events(conn: Connection, type: str, name: str, limit: int = 20) -> list[dict]:
    """Events the entity took part in (or that happened there), newest first, as `Store.events` gives them."""
    from .aggregates import fill_events

    keys = conn.execute(select(EV.c.article_id, EV.c.event_id).where(entity_is(EV, type, name))
                        .order_by(EV.c.when_start.desc(), EV.c.article_id, EV.c.event_id).limit(limit)).all()
    return fill_events(conn, [(k.article_id, k.event_id) for k in keys])


def counterparts(conn: Connection, type: str, name: str, limit: int = 10) -> list[dict]:
    """The entities that shared most events with this one (on the other side or the same side)."""
    p = entity_pairs
    q = (select(p.c.other_type.label("type"), p.c.other_name.label("name"), p.c.events)
         .where(entity_is(p, type, name)).order_by(desc(p.c.events), p.c.other_name, p.c.other_type).limit(limit))
    return [dict(r._mapping) for r in conn.execute(q)]


def articles(conn: Connection, type: str, name: str, limit: int = 20) -> list[dict]:
    """The articles that name the entity, newest first."""
    q = (select(A.c.id, A.c.headline, A.c.published, A.c.source)
         .select_from(EA.join(A, A.c.id == EA.c.article_id)).where(entity_is(EA, type, name))
         .order_by(EA.c.published.desc(), EA.c.article_id).limit(limit))
    return [dict(r._mapping) for r in conn.execute(q)]


def profile(conn: Connection, type: str, name: str, limit: int = 20) -> dict | None:
    """Everything the entity page shows, or None when no canonical article names it."""
    found = summary(conn, type, name)
    if found is None:
        return None
    return {**found, "roles": roles(conn, type, name), "quotes": quotes(conn, type, name, limit),
            "events": events(conn, type, name, limit), "counterparts": counterparts(conn, type, name),
            "recent_articles": articles(conn, type, name, limit)}

