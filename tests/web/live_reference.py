"""The entity page computed live from the article tables, as it was before the summary tables:
the reference `profile.py` (read from the summaries) must agree with."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    cast,
    desc,
    distinct,
    func,
    select,
    union,
)
from sqlalchemy.engine import Connection

from parley.store import queries
from parley.store import schema as s
from parley.store.aggregates import _participant_entity, add_entity_types

A, E, R, Q, V = s.articles, s.entities, s.roles, s.quotes, s.events
P = s.event_participants


def _is(type: str, name: str, e: Any = E) -> ColumnElement[bool]:
    return and_(e.c.type == type, e.c.name == name)


def entity_summary(conn: Connection, type: str, name: str) -> dict | None:
    """Articles and mentions of the (type, name) entity, its aliases, countries and sectors; None if unknown.

    One pass over the entity's rows (aliases read as text, so their distinct values are few to
    parse) and one count of its mentions.
    """
    base = E.join(A, A.c.id == E.c.article_id)
    where = [_is(type, name), *queries.canonical_only(False)]
    rows = conn.execute(select(E.c.article_id, E.c.country, E.c.sector, cast(E.c.aliases, Text).label("aliases"),
                               cast(E.c.geo, Text).label("geo")).select_from(base).where(*where)).all()
    if not rows:
        return None
    mentions = conn.execute(
        select(func.count()).select_from(base.join(s.mentions, and_(
            s.mentions.c.article_id == E.c.article_id, s.mentions.c.entity_id == E.c.id))).where(*where)).scalar_one()
    countries: Counter[str] = Counter(r.country for r in rows if r.country)
    sectors: Counter[str] = Counter(r.sector for r in rows if r.sector)
    aliases: dict[str, None] = {}
    for text in {r.aliases for r in rows if r.aliases}:
        aliases.update(dict.fromkeys(json.loads(text) or []))
    geo = next((json.loads(r.geo) for r in rows if r.geo and r.geo != "null"), None)
    return {"type": type, "name": name, "articles": len({r.article_id for r in rows}), "mentions": mentions,
            "aliases": sorted(aliases), "countries": _ranked(countries), "sectors": _ranked(sectors), "geo": geo}


def _ranked(counts: Counter[str]) -> list[str]:
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def entity_roles(conn: Connection, type: str, name: str) -> list[dict]:
    """Each (title, of) the entity held, with the first and last published date it was reported."""
    q = (
        select(R.c.title, R.c.of, func.min(A.c.published).label("first"), func.max(A.c.published).label("last"),
               func.count(distinct(A.c.id)).label("articles"))
        .select_from(E.join(A, A.c.id == E.c.article_id).join(
            R, and_(R.c.article_id == E.c.article_id, R.c.entity_id == E.c.id)))
        .where(_is(type, name), *queries.canonical_only(False))
        .group_by(R.c.title, R.c.of).order_by(func.min(A.c.published).nulls_last(), R.c.title)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def entity_quotes(conn: Connection, type: str, name: str, limit: int = 20) -> list[dict]:
    """The entity's quotes, newest article first."""
    q = (
        select(Q.c.article_id, Q.c.id, Q.c.cue, Q.c.kind, Q.c.text, Q.c.stance, A.c.headline, A.c.published)
        .select_from(Q.join(A, A.c.id == Q.c.article_id).join(
            E, and_(E.c.article_id == Q.c.article_id, E.c.id == Q.c.speaker)))
        .where(_is(type, name), *queries.canonical_only(False))
        .order_by(A.c.published.desc().nulls_last(), Q.c.article_id, Q.c.start).limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def _rows_of(type: str, name: str) -> Any:
    """The entity's per-article rows (article_id, id), found through the (type, name) index."""
    return select(E.c.article_id, E.c.id).where(_is(type, name)).subquery("me")


def _event_keys(type: str, name: str) -> Any:
    """(article_id, event_id) of the events the entity takes part in or that happen at it.

    Starts from the entity's own rows, so a rarely named entity costs a few index probes rather
    than a pass over every event.
    """
    me = _rows_of(type, name)
    part = select(P.c.article_id, P.c.event_id.label("event_id")).join(
        me, and_(P.c.article_id == me.c.article_id, P.c.entity_id == me.c.id))
    at = select(V.c.article_id, V.c.id.label("event_id")).join(
        me, and_(V.c.article_id == me.c.article_id, V.c.location == me.c.id))
    return union(part, at).subquery("keys")


def entity_events(conn: Connection, type: str, name: str, limit: int = 20) -> list[dict]:
    """Events the entity took part in (or that happened there), newest first, as `Store.events` gives them."""
    keys = _event_keys(type, name)
    q = (
        select(V, A.c.headline, A.c.published)
        .select_from(keys.join(V, and_(V.c.article_id == keys.c.article_id, V.c.id == keys.c.event_id))
                     .join(A, A.c.id == V.c.article_id))
        .where(*queries.canonical_only(False))
        .order_by(V.c.when_start.desc().nulls_last(), V.c.article_id, V.c.id).limit(limit)
    )
    found = [queries.event_row(r._mapping) for r in conn.execute(q)]
    queries.add_event_details(conn, found)
    add_entity_types(conn, found)
    return found


def counterparts(conn: Connection, type: str, name: str, limit: int = 10) -> list[dict]:
    """The entities that shared most events with this one (on the other side or the same side)."""
    me = _rows_of(type, name)
    mine = (select(P.c.article_id, P.c.event_id).join(
        me, and_(P.c.article_id == me.c.article_id, P.c.entity_id == me.c.id)).distinct().subquery("mine"))
    other, eo = P.alias("other"), E.alias("eo")
    pairs = (
        select(eo.c.type, eo.c.name, other.c.article_id, other.c.event_id)
        .select_from(mine.join(A, A.c.id == mine.c.article_id)
                     .join(other, and_(other.c.article_id == mine.c.article_id, other.c.event_id == mine.c.event_id))
                     .join(eo, _participant_entity(other, eo)))
        .where(*queries.canonical_only(False), eo.c.name != name).distinct().subquery("pairs")
    )
    q = (select(pairs.c.type, pairs.c.name, func.count().label("events")).group_by(pairs.c.type, pairs.c.name)
         .order_by(desc("events"), pairs.c.name).limit(limit))
    return [dict(r._mapping) for r in conn.execute(q)]


def entity_articles(conn: Connection, type: str, name: str, limit: int = 20) -> list[dict]:
    """The articles that name the entity, newest first."""
    q = (
        select(A.c.id, A.c.headline, A.c.published, A.c.source)
        .select_from(E.join(A, A.c.id == E.c.article_id))
        .where(_is(type, name), *queries.canonical_only(False))
        .order_by(A.c.published.desc().nulls_last(), A.c.id).limit(limit)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def entity_profile(conn: Connection, type: str, name: str, limit: int = 20) -> dict | None:
    """Everything the entity page shows, or None when no canonical article names it."""
    summary = entity_summary(conn, type, name)
    if summary is None:
        return None
    return {**summary, "roles": entity_roles(conn, type, name),
            "quotes": entity_quotes(conn, type, name, limit), "events": entity_events(conn, type, name, limit),
            "counterparts": counterparts(conn, type, name), "recent_articles": entity_articles(conn, type, name, limit)}


