"""The names, countries, place and sectors of a few chosen events (a pipeline page's first reports),
as `queries.add_event_details` and `queries.add_country_by_role` give them, reading of their
articles' entities only the ones those events name: a page's 2,900 first reports lie in 2,700
articles with 45,000 entities, which were read twice (1.3 s of a 2.5 s page dated to the day)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .schema import entities as E
from .schema import event_participants as P
from .schema import event_sectors as VS

#: Entity ids per query (SQLite's bound-parameter limit and ours).
CHUNK = 400


def add_details(conn: Connection, found: list[dict[str, Any]]) -> None:
    """Give each event row of `found` (`queries.event_row`) its actors, recipients, their ids and
    countries, the countries of its parties, its place's name and its sectors."""
    if not found:
        return
    ids = {e["article_id"] for e in found}
    wanted = {(e["article_id"], e["id"]) for e in found}
    # the same queries as `add_event_details`, so the parties of an event come in the same order
    parts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in conn.execute(select(P).where(P.c.article_id.in_(ids))):
        if (r.article_id, r.event_id) in wanted:
            parts.setdefault((r.article_id, r.event_id), []).append((r.role, r.entity_id))
    sectors: dict[tuple[str, str], list[str]] = {}
    for r in conn.execute(select(VS).where(VS.c.article_id.in_(ids))):
        if (r.article_id, r.event_id) in wanted:
            sectors.setdefault((r.article_id, r.event_id), []).append(r.sector)
    named = {(a, eid) for (a, _), p in parts.items() for _, eid in p}
    named |= {(e["article_id"], e["location_id"]) for e in found if e["location_id"]}
    names = _names(conn, named)
    for e in found:
        key = (e["article_id"], e["id"])
        p = [(role, eid, *names.get((key[0], eid), (None, None))) for role, eid in parts.get(key, [])]
        for role in ("actor", "recipient"):
            e[f"{role}s"] = [name or eid for r, eid, name, _ in p if r == role]
            e[f"{role}_ids"] = [eid for r, eid, _, _ in p if r == role]
            e[f"{role}_country"] = next((c for r, _, _, c in p if r == role and c), None)
        e["countries"] = sorted({c for _, _, _, c in p if c})
        e["location"] = names.get((key[0], e["location_id"]), (None, None))[0]
        e["sectors"] = sectors.get(key, [])


def _names(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(name, country) of the entities `keys` (article, entity id): their articles' rows of their ids."""
    articles = sorted({a for a, _ in keys})
    ids = sorted({i for _, i in keys})
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for i in range(0, len(articles), CHUNK):
        for j in range(0, len(ids), CHUNK):
            rows = conn.execute(select(E.c.article_id, E.c.id, E.c.name, E.c.country).where(
                E.c.article_id.in_(articles[i:i + CHUNK]), E.c.id.in_(ids[j:j + CHUNK])))
            out.update(((r.article_id, r.id), (r.name, r.country)) for r in rows if (r.article_id, r.id) in keys)
    return out
