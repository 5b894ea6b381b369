"""Each resolved article's reports as stored rows, so that re-clustering a story reads them
instead of its articles' whole documents.

A story that gains a report is clustered again whole (`persist._Region._stories`): a story of a
thousand reports meant a thousand documents decoded and their reports made again, in every pass
that touched it. A report is made from its article and what resolution gives it (its people's
identities and their countries, the known one-word place names), and a change to any of those
sends its article back to be made again (the pass's `changed` articles). So an article's
reports, once made, stay what they are until its article is made again, and this table holds
them with the sectors of their events (the story record lists those). Rows are written each
time an article's reports are made from its document and cleared with the other resolution
tables; an article without a row (a store resolved by an older version) is made from its
document, as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    MetaData,
    String,
    Table,
    delete,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

from ..store import resolved as T
from .reports import Place, Report

metadata = MetaData()

resolve_reports = Table(
    "resolve_reports", metadata,
    Column("article_id", String, primary_key=True),
    Column("reports", JSON, nullable=False),  # {"reports": [report, ...], "sectors": {event id: [sector, ...]}}
)

_IN = 500


def create(conn: Connection) -> None:
    """The migration: the table (empty; rows come as articles' reports are made)."""
    metadata.create_all(conn)


def ensure(conn: Connection) -> None:
    """Create the table where a pass runs before the migration that makes it (an old store whose
    migration 7 resolves what it holds)."""
    if not inspect(conn).has_table(resolve_reports.name):
        metadata.create_all(conn)


def clear(conn: Connection) -> None:
    conn.execute(delete(resolve_reports))


def read(conn: Connection, ids: set[str]) -> dict[str, tuple[list[Report], dict[str, list[str]]]]:
    """The stored reports and event sectors of those of these articles that have them."""
    out: dict[str, tuple[list[Report], dict[str, list[str]]]] = {}
    t = resolve_reports
    values = sorted(ids)
    for k in range(0, len(values), _IN):
        for row in conn.execute(select(t.c.article_id, t.c.reports).where(t.c.article_id.in_(values[k:k + _IN]))):
            data = T._record(row.reports)
            out[row.article_id] = ([from_row(r) for r in data["reports"]], data["sectors"])
    return out


def naming(conn: Connection, ident: str, articles: set[str]) -> set[str]:
    """Of these articles, those whose stored reports name the identity `ident` (a participant, or
    a person named in the event's sentence) and those with no stored reports (they cannot tell).
    Only those read a person's country (`reports._homes`, `legs.visitor`): the others' reports
    stay what they are when it changes, and need not be clustered again."""
    out = set(articles)
    t = resolve_reports
    values = sorted(articles)
    for k in range(0, len(values), _IN):
        for row in conn.execute(select(t.c.article_id, t.c.reports).where(t.c.article_id.in_(values[k:k + _IN]))):
            if not any(ident in r["people"] or ident in r["nearby"] for r in T._record(row.reports)["reports"]):
                out.discard(row.article_id)
    return out


def write(conn: Connection, made: dict[str, tuple[list[Report], dict[str, list[str]]]]) -> None:
    """Store these articles' reports (replacing what was stored for them)."""
    t = resolve_reports
    values = sorted(made)
    for k in range(0, len(values), _IN):
        conn.execute(delete(t).where(t.c.article_id.in_(values[k:k + _IN])))
    if values:
        conn.execute(insert(t), [{"article_id": a, "reports": {"reports": [to_row(r) for r in made[a][0]],
                                                               "sectors": made[a][1]}} for a in values])


def to_row(r: Report) -> dict[str, Any]:
    return {
        "article": r.article, "event": r.event, "file": r.file, "outlet": r.outlet, "published": r.published,
        "family": r.family, "type": r.type, "visit": r.visit, "planned": r.planned,
        "people": sorted(r.people), "actors": sorted(r.actors), "homes": sorted(map(list, r.homes)),
        "countries": sorted(r.countries), "nearby": sorted(r.nearby),
        "places": [[p.country, p.area, p.city] for p in r.places], "place_names": list(r.place_names),
        "when": [r.when[0].isoformat(), r.when[1].isoformat()] if r.when is not None else None,
        "sentence": r.sentence, "trigger": r.trigger, "stop": r.stop, "copy_of": r.copy_of,
    }


def from_row(d: dict[str, Any]) -> Report:
    when = d["when"]
    return Report(
        article=d["article"], event=d["event"], file=d["file"], outlet=d["outlet"], published=d["published"],
        family=d["family"], type=d["type"], visit=d["visit"], planned=d["planned"],
        people=frozenset(d["people"]), actors=frozenset(d["actors"]), homes=frozenset(map(tuple, d["homes"])),
        countries=frozenset(d["countries"]), nearby=frozenset(d["nearby"]),
        places=tuple(Place(*p) for p in d["places"]), place_names=tuple(d["place_names"]),
        when=(date.fromisoformat(when[0]), date.fromisoformat(when[1])) if when is not None else None,
        sentence=d["sentence"], trigger=d["trigger"], stop=d["stop"], copy_of=d["copy_of"],
    )
