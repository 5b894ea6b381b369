"""The names, countries, place and sectors of a few chosen events (a pipeline page's first reports),
as `queries.add_event_details` and `queries.add_country_by_role` give them, reading of their
articles' entities only the ones those events name: a page's 2,900 first reports lie in 2,700
articles with 45,000 entities, which were read twice (1.3 s of a 2.5 s page dated to the day)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from . import dialect

from .pipeline_groups import raw_where
from .schema import entities as E
from .schema import event_participants as P
from .schema import event_sectors as VS

#: Entities sought per query (two parameters each: SQLite's bound-parameter limit and ours).
CHUNK = 400


def add_details(conn: Connection, found: list[dict[str, Any]]) -> None:
    """Give each event row of `found` (`queries.event_row`) its actors, recipients, their ids and
    countries, the countries of its parties, its place's name and its sectors."""
    if not found:
        return
    ids = sorted({e["article_id"] for e in found})
    wanted = {(e["article_id"], e["id"]) for e in found}
    # the same queries as `add_event_details` (so the parties of an event come in the same order), in
    # the driver's own SQL: SQLAlchemy's rows cost more than the reading
    mark = dialect.param_mark(conn)
    among = f"article_id IN ({', '.join([mark] * len(ids))})"
    parts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, v, entity, role in conn.exec_driver_sql(
            f"SELECT article_id, event_id, entity_id, role FROM {P.name} WHERE {among}", tuple(ids)).fetchall():
        if (a, v) in wanted:
            parts.setdefault((a, v), []).append((role, entity))
    sectors: dict[tuple[str, str], list[str]] = {}
    for a, v, sector in conn.exec_driver_sql(
            f"SELECT article_id, event_id, sector FROM {VS.name} WHERE {among}", tuple(ids)).fetchall():
        if (a, v) in wanted:
            sectors.setdefault((a, v), []).append(sector)
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
    """(name, country) of the entities `keys` (article, entity id), each sought by its key: an OR of
    terms in the driver's own SQL (`raw_where`; an article list times an id list sought every pair,
    and SQLAlchemy's building of the terms cost more than the reading)."""
    todo = sorted(keys)
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for i in range(0, len(todo), CHUNK):
        where, params = raw_where(conn, ("article_id", "id"), todo[i:i + CHUNK])
        rows = conn.exec_driver_sql(f"SELECT article_id, id, name, country FROM {E.name} WHERE {where}", params).fetchall()
        out.update(((a, i_), (name, country)) for a, i_, name, country in rows)
    return out
