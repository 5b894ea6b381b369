"""Stories and identities as stored: the tables `parley.resolve.persist` writes and the listings read.

- `identities`: one row per identity (person, body, place): display name, type, folded names (one a
  line, for --name), its country, how many articles, the record `parley export --format
  identities` writes (names, roles over time) less its mentions, its name key, and what a new
  mention is added to (its tally).
- `identity_parts`: an identity's members, one row each (its mention in the record, and what a
  body's or place's sums count): its record is stored without its mentions (and a body's or
  place's tally holds sums), so that a new article appends rows instead of rewriting a record of
  every mention (`resolve/keyed.py`, `resolve/persist._person_row`). Readers put the mentions
  back (`records`, `get_record`).
- `identity_mentions`: (article, entity) -> identity, for every entity an identity holds.
- `stories`: one row per story: type, family, date range, first and last report, counts,
  participant countries and sectors (space-framed, for filters), place names, the visit it was
  part of, and its record (reports with sentence and outlet).
- `story_reports`: (article, event) -> story.
- `story_facets`: (country | sector, value, story): what the listing's country and sector filters
  read, so that they select through an index instead of matching text in every story.
- `resolve_keys`: blocking keys. For each resolved article: "n:" a person's surname, "o:" a body's
  name, "g:" a place's gazetteer key. For each report ("article|event" in `article_id`): "b:w:"
  an identity (or a signing's country) and a week its event window reaches, "b:u:" / "b:a:" the
  identity of an undated / any report. "pn:" rows (no article) hold the one-word place names seen.
  People's names for `resolve/quick.py`: "nb:SURNAME" for an article with a bare surname,
  "fn:SURNAME:INITIAL" once per full name (`article_id` holds "FULL NAME<tab>ARTICLE"), "nf:SURNAME"
  (no article) once a surname has a full name, "nd:SURNAME|DAY" for an article naming the surname
  on that day ("nd:SURNAME|" undated), and the row "v:names3" saying these rows are complete. A new
  article re-resolves only what shares a key with it (`resolve/persist.py`).
- `resolve_people`: each resolved article's people as resolution reads them, so that re-resolving a
  surname reads them instead of whole documents.
- `resolve_done`: the articles resolution has seen (what a `parley resolve` pass skips).
- `resolve_corrections`: a user's merges and splits, by mention keys ("article#entity"), applied
  after every resolution so they survive new articles.

Text keys that may be missing are stored as '' (primary keys cannot hold NULL on PostgreSQL).
Created by migration 7 (`create`), which also resolves what is stored.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection

metadata = MetaData()

identities = Table(
    "identities", metadata,
    Column("id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("name", String, nullable=False),
    Column("names_lc", Text, nullable=False),
    Column("country", String, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("record", JSON, nullable=False),
    Column("block", String, nullable=False),  # the name key its members share ("n:varga", "g:geonames:1")
    Column("tally", JSON),  # a body's or place's members (type, country, name) and roles, to add to it
    Index("ix_identities_articles", "articles"),
    Index("ix_identities_block", "block"),
)

identity_parts = Table(
    "identity_parts", metadata,
    Column("identity_id", String, nullable=False),
    Column("article_id", String, nullable=False),
    Column("entity_id", String, nullable=False),  # the member's first entity
    Column("member", JSON, nullable=False),  # what its row's sums count (`resolve/keyed.py`)
    Column("mention", JSON, nullable=False),  # the member as its record's mentions show it
    PrimaryKeyConstraint("identity_id", "article_id", "entity_id"),
)

identity_mentions = Table(
    "identity_mentions", metadata,
    Column("article_id", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("identity_id", String, nullable=False),
    PrimaryKeyConstraint("article_id", "entity_id"),
    Index("ix_identity_mentions_identity", "identity_id"),
)

stories = Table(
    "stories", metadata,
    Column("id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("family", String, nullable=False),
    Column("date_start", String, nullable=False),
    Column("date_end", String, nullable=False),
    Column("first_report", String, nullable=False),
    Column("last_report", String, nullable=False),
    Column("reports", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("countries", Text, nullable=False),  # " GBR FRA ": participant countries
    Column("sectors", Text, nullable=False),  # " energy automotive "
    Column("places_lc", Text, nullable=False),  # place names, lower-cased, one a line
    Column("part_of", String, nullable=False),
    Column("record", JSON, nullable=False),
    Index("ix_stories_first_report", "first_report"),
    Index("ix_stories_type", "type", "first_report"),
)
# The listings' order (most reported, then newest), read off an index instead of sorting every story.
_STORY_ORDER = (Index("ix_stories_order", stories.c.reports.desc(), stories.c.first_report.desc(), stories.c.id),
                Index("ix_stories_type_order", stories.c.type, stories.c.reports.desc(), stories.c.first_report.desc(),
                      stories.c.id))

story_reports = Table(
    "story_reports", metadata,
    Column("article_id", String, nullable=False),
    Column("report", String, nullable=False),  # the event id, with "@COUNTRY" for a trip's stop
    Column("story_id", String, nullable=False),
    PrimaryKeyConstraint("article_id", "report"),
    Index("ix_story_reports_story", "story_id"),
)

story_facets = Table(
    "story_facets", metadata,
    Column("kind", String, nullable=False),  # country | sector
    Column("value", String, nullable=False),  # an ISO3 code, a sector id
    Column("story_id", String, nullable=False),
    PrimaryKeyConstraint("kind", "value", "story_id"),
    Index("ix_story_facets_story", "story_id"),
)

resolve_keys = Table(
    "resolve_keys", metadata,
    Column("key", String, nullable=False),
    Column("article_id", String, nullable=False),
    PrimaryKeyConstraint("key", "article_id"),
    Index("ix_resolve_keys_article", "article_id"),
)

resolve_people = Table(
    "resolve_people", metadata,
    Column("article_id", String, primary_key=True),
    Column("people", JSON, nullable=False),  # the article's people as resolution reads them (mentions.Local)
)

resolve_done = Table(
    "resolve_done", metadata,
    Column("article_id", String, primary_key=True),
)

resolve_corrections = Table(
    "resolve_corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String, nullable=False),  # merge | split
    Column("target", String, nullable=False),  # identity | story
    Column("keys", JSON, nullable=False),  # merge: [key of A, key of B]; split: the keys set apart
    Column("made_at", String, nullable=False),
)

TABLES = (identities, identity_parts, identity_mentions, stories, story_reports, story_facets, resolve_keys, resolve_people,
          resolve_done)


def keep_parts(conn: Connection) -> None:
    """Migration 24: `identity_parts`, and every body's and place's row stored whole made into
    sums and parts (`resolve/keyed.py`)."""
    from ..resolve import keyed  # (resolution imports the store)

    metadata.create_all(conn, tables=[identity_parts])
    i = identities
    q = select(i.c.id).where(~i.c.block.startswith("n:"), i.c.tally.is_not(None)).order_by(i.c.id)
    ids = list(conn.execute(q).scalars())
    for k in range(0, len(ids), 200):
        rows = conn.execute(select(i.c.id, i.c.record, i.c.tally).where(i.c.id.in_(ids[k:k + 200]))).all()
        parts = []
        for row in rows:
            tally = _record(row.tally)
            if keyed.is_parted(tally):
                continue
            record = _record(row.record)
            tally, made = keyed.from_record(row.id, record, tally)
            parts += made
            record.pop("mentions", None)
            conn.execute(i.update().where(i.c.id == row.id).values(record=record, tally=tally))
        if parts:
            conn.execute(identity_parts.insert(), parts)


def keep_people_parts(conn: Connection) -> None:
    """Migration 26: every person's row stored whole (its record with every mention) made into a
    record without them and one `identity_parts` row a member, and its record's sums added to its
    tally, as a new mention is then stored (`resolve/persist._person_row`): a head of state's
    record was megabytes, rewritten whole and its roles counted again by each new mention."""
    from ..resolve import keyed  # (resolution imports the store)

    metadata.create_all(conn, tables=[identity_parts])
    i = identities
    ids = list(conn.execute(select(i.c.id).where(i.c.block.startswith("n:")).order_by(i.c.id)).scalars())
    for k in range(0, len(ids), 200):
        rows = conn.execute(select(i.c.id, i.c.record, i.c.tally).where(i.c.id.in_(ids[k:k + 200]))).all()
        parts = []
        for row in rows:
            record, tally = _record(row.record), _record(row.tally)
            if tally is None or ("mentions" not in record and "sums" in tally):
                continue
            if "mentions" in record:
                parts += keyed.parts_from(row.id, record, tally)[1]
                record.pop("mentions")
            tally["sums"] = keyed.summarise(keyed.members_of(tally["members"], tally["roles"]))
            conn.execute(i.update().where(i.c.id == row.id).values(record=record, tally=tally))
        if parts:
            conn.execute(identity_parts.insert(), parts)


def drop_story_names(conn: Connection) -> None:
    """Migration 27: each stored story's participants as their identities' ids alone (their names
    are read from `identities`, `with_names`), so that a name that changes leaves the stories as
    they are; a pass would otherwise write every story it meets again, as differing."""
    last = None
    while True:
        q = select(stories.c.id, stories.c.record).order_by(stories.c.id).limit(500)
        rows = conn.execute(q.where(stories.c.id > last) if last is not None else q).all()
        if not rows:
            return
        for row in rows:
            record = _record(row.record)
            if any(set(p) != {"identity"} for p in record["participants"]):
                record["participants"] = [{"identity": p["identity"]} for p in record["participants"]]
                conn.execute(stories.update().where(stories.c.id == row.id).values(record=record))
        last = rows[-1].id


def add_day_rows(conn: Connection) -> None:
    """Migration 28: the rows "nd:SURNAME|DAY" of `resolve_keys` for each resolved article's people
    (`resolve.quick.day_row`), which resolution reads a surname's mentions near a day through, and
    the marker saying the name rows are complete again ("v:names3"), where they were ("v:names2"):
    else every new person would re-resolve their whole surname (a store resolved before the name
    rows existed does already). Read from the articles' stored people, not resolved again."""
    from ..resolve import quick
    from ..resolve.identities import day
    from ..resolve.names import parse

    k, rp = resolve_keys, resolve_people
    markers = set(conn.execute(select(k.c.key).where(k.c.key.in_(["v:names2", quick.MARKER]), k.c.article_id == ""))
                  .scalars())
    if markers != {"v:names2"}:  # not complete, or written by this code already
        return
    conn.execute(delete(k).where(k.c.key.startswith("nd:")))
    last = None
    while True:
        q = select(rp.c.article_id, quick.PEOPLE).order_by(rp.c.article_id).limit(500)
        rows = conn.execute(q.where(rp.c.article_id > last) if last is not None else q).all()
        if not rows:
            break
        found = {(quick.day_key(parse(p["name"]).surname, day(p.get("published"))), row.article_id)
                 for row in rows for p in _record(row.people)}
        if found:
            conn.execute(insert(k), [{"key": key, "article_id": a} for key, a in sorted(found)])
        last = rows[-1].article_id
    conn.execute(insert(k), [{"key": quick.MARKER, "article_id": ""}])


def create(conn: Connection) -> None:
    """Migration 7: the tables, then resolve every stored article."""
    metadata.create_all(conn)
    from ..resolve.persist import resolve_pending

    resolve_pending(conn)


#: The identities' names with what their listing reads and orders by, so that a search for part of
#: a name scans this narrow index instead of every record (which carries every mention): on SQLite,
#: whose LIKE cannot seek anyway. Not on PostgreSQL, where a B-tree entry must stay under 2.7 kB and a
#: much-named identity's names can be longer.
_NAME_SEARCH = Index("ix_identities_search", identities.c.names_lc, identities.c.type, identities.c.articles,
                     identities.c.name, identities.c.id, identities.c.country)


def index_identity_names(conn: Connection) -> None:
    """Migration 16: `_NAME_SEARCH`, on SQLite."""
    if conn.dialect.name == "sqlite":
        _NAME_SEARCH.create(conn, checkfirst=True)


def index_story_order(conn: Connection) -> None:
    """Migration 11: the stories listing's order as indexes, all stories and by type, and each
    story's participant countries and sectors as rows (`story_facets`, what the country and
    sector filters read instead of matching text in every story), for a store made before them."""
    for index in _STORY_ORDER:
        index.create(conn, checkfirst=True)
    metadata.create_all(conn, tables=[story_facets])
    last = None
    while True:
        q = select(stories.c.id, stories.c.countries, stories.c.sectors).order_by(stories.c.id).limit(2000)
        rows = conn.execute(q.where(stories.c.id > last) if last is not None else q).all()
        if not rows:
            return
        conn.execute(story_facets.delete().where(story_facets.c.story_id.in_([r.id for r in rows])))
        facets = facet_rows([(r.id, r.countries.split(), r.sectors.split()) for r in rows])
        if facets:
            conn.execute(story_facets.insert(), facets)
        last = rows[-1].id


def facet_rows(stories_: list[tuple[str, list[str], list[str]]]) -> list[dict]:
    """`story_facets` rows of (story id, countries, sectors)."""
    return [{"kind": kind, "value": v, "story_id": sid} for sid, countries, sectors in stories_
            for kind, values in (("country", countries), ("sector", sectors)) for v in sorted(set(values))]


# --- reading ---------------------------------------------------------------------------------------

def records(conn: Connection, table: Table, page: int = 500) -> list[dict]:
    """Every stored story's or identity's record, by id."""
    out: list[dict] = []
    last = None
    while True:
        q = select(table.c.id, table.c.record).order_by(table.c.id).limit(page)
        if last is not None:
            q = q.where(table.c.id > last)
        rows = conn.execute(q).all()
        if not rows:
            return out
        found = [_record(r.record) for r in rows]
        out += with_mentions(conn, found) if table is identities else with_names(conn, found)
        last = rows[-1].id


def _record(value: Any) -> dict:
    return json.loads(value) if isinstance(value, str) else value


def ensure_resolved(store: Any) -> None:
    """Resolve what the store holds and resolution has not seen yet (a store that cannot be
    written is read as it is)."""
    from ..resolve.persist import any_pending, update

    if store.read_only is None and any_pending(store):
        update(store)


# --- listings --------------------------------------------------------------------------------------

STORY_COLUMNS = ("id", "type", "reports", "articles", "outlets", "first_report", "last_report", "date_start",
                 "date_end", "place", "participants", "countries", "sectors", "part_of")


def list_stories(conn: Connection, type: str | None = None, country: str | None = None,
                 sector: str | None = None, place: str | None = None, since: Any = None, until: Any = None,
                 min_reports: int | None = None, limit: int | None = 50, offset: int = 0) -> list[dict]:
    """Stories, most reported first, then newest: `country` a participant's (ISO3), `sector` an id,
    `place` part of a place name, `since`/`until` the story's dates (its event's, else its reports')."""
    q = select(stories.c.id).where(*_story_filters(type, country, sector, place, since, until, min_reports))
    q = q.order_by(stories.c.reports.desc(), stories.c.first_report.desc(), stories.c.id)
    q = q.limit(limit).offset(offset) if limit is not None else q.offset(offset)
    ids = list(conn.execute(q).scalars())  # the order on narrow columns; then only these records
    found = _records_of(conn, stories, ids)
    return [story_row(r) for r in with_names(conn, [_record(found[i]) for i in ids])]


def _records_of(conn: Connection, table: Table, ids: list[str], column: str = "record") -> dict[str, Any]:
    """id -> `column` (the record unless told) of these rows of `table`."""
    out: dict[str, Any] = {}
    for k in range(0, len(ids), 500):
        out |= dict(conn.execute(select(table.c.id, table.c[column]).where(table.c.id.in_(ids[k:k + 500]))).all())
    return out


def count_stories(conn: Connection, type: str | None = None, country: str | None = None,
                  sector: str | None = None, place: str | None = None, since: Any = None, until: Any = None,
                  min_reports: int | None = None) -> int:
    """How many stories `list_stories` selects with these filters (on every page)."""
    where = _story_filters(type, country, sector, place, since, until, min_reports)
    return conn.execute(select(func.count()).select_from(stories).where(*where)).scalar_one()


def _story_filters(type: str | None, country: str | None, sector: str | None, place: str | None,
                   since: Any, until: Any, min_reports: int | None) -> list:
    from .queries import since_clause, until_clause

    s = stories
    start = func.coalesce(func.nullif(s.c.date_start, ""), s.c.first_report)
    end = func.coalesce(func.nullif(s.c.date_end, ""), s.c.last_report)
    where = [*since_clause(end, since), *until_clause(start, until)]
    if type:
        where.append(s.c.type == type)
    f = story_facets
    for kind, value in (("country", country), ("sector", sector)):
        if value:
            where.append(s.c.id.in_(select(f.c.story_id).where(f.c.kind == kind, f.c.value == value)))
    if place:
        where.append(s.c.places_lc.contains(place.lower(), autoescape=True))
    if min_reports:
        where.append(s.c.reports >= min_reports)
    return where


def story_row(record: dict) -> dict:
    """A story as a listing shows it: counts, dates, places and participants' names."""
    return {
        "id": record["id"], "type": record["type"], "reports": len(record["reports"]),
        "articles": record["articles"], "outlets": record["outlets"],
        "first_report": record["first_report"], "last_report": record["last_report"],
        "date_start": record["date"]["start"], "date_end": record["date"]["end"],
        "place": record["place"], "participants": [p["name"] for p in record["participants"]],
        "countries": record.get("countries", []), "sectors": record.get("sectors", []),
        "part_of": record["part_of"],
    }


def get_record(conn: Connection, table: Table, wanted: str) -> dict | None:
    """One story's or identity's record, by its id or a unique prefix of it (None: none, or several)."""
    found = conn.execute(select(table.c.record).where(table.c.id == wanted)).scalars().first()
    if found is None and len(wanted) >= 4:
        rows = conn.execute(select(table.c.record).where(
            table.c.id.startswith(wanted, autoescape=True)).limit(2)).scalars().all()
        found = rows[0] if len(rows) == 1 else None
    if found is None:
        return None
    return with_mentions(conn, [_record(found)])[0] if table is identities else with_names(conn, [_record(found)])[0]


def with_names(conn: Connection, found: list[dict]) -> list[dict]:
    """Story records with each participant's name as its identity's row has it now (a stored
    story keeps only the identity's id; one whose identity is gone shows the name it was stored
    with, if any, else the id)."""
    names = _records_of(conn, identities, sorted({p["identity"] for r in found for p in r["participants"]}), "name")
    return [{**r, "participants": [{"identity": p["identity"], "name": names.get(p["identity"], p.get("name", p["identity"]))}
                                   for p in r["participants"]]} for r in found]


def with_mentions(conn: Connection, found: list[dict]) -> list[dict]:
    """Identity records with their mentions: rows of `identity_parts` (a record stored without
    them), put back in the record's order."""
    wanted = [r["id"] for r in found if "mentions" not in r]
    parts: dict[str, list[dict]] = {i: [] for i in wanted}
    t = identity_parts
    for k in range(0, len(wanted), 500):
        for row in conn.execute(select(t.c.identity_id, t.c.mention).where(t.c.identity_id.in_(wanted[k:k + 500]))):
            parts[row.identity_id].append(_record(row.mention))
    for mentions in parts.values():
        mentions.sort(key=lambda x: (x["article"], x["entities"]))
    return [r if "mentions" in r else {**r, "mentions": parts[r["id"]]} for r in found]


IDENTITY_COLUMNS = ("id", "type", "name", "country", "articles", "names", "roles")


def list_identities(conn: Connection, name: str | None = None, type: str | None = None,
                    limit: int | None = 50, offset: int = 0) -> list[dict]:
    """Identities, in most articles first; `name` part of any of their names, `type` PERSON, ORG, GPE..."""
    i = identities
    # With a name, order by an expression: SQLite then scans the name index (`_NAME_SEARCH`) for the
    # few matches instead of walking every identity in order of articles to test each one's names.
    most = (i.c.articles + 0) if name else i.c.articles
    q = select(i.c.id, i.c.country).where(*_identity_filters(name, type)).order_by(most.desc(), i.c.name, i.c.id)
    q = q.limit(limit).offset(offset) if limit is not None else q.offset(offset)
    rows = conn.execute(q).all()  # the order on narrow columns; then only these records
    found = _records_of(conn, identities, [r.id for r in rows])
    return [identity_row(_record(found[r.id]), r.country) for r in rows]


def count_identities(conn: Connection, name: str | None = None, type: str | None = None) -> int:
    return conn.execute(select(func.count()).select_from(identities).where(*_identity_filters(name, type))).scalar_one()


def _identity_filters(name: str | None, type: str | None) -> list:
    where = []
    if name:
        where.append(identities.c.names_lc.contains(name.lower(), autoescape=True))
    if type:
        where.append(identities.c.type == type)
    return where


def identity_row(record: dict, country: str | None = None) -> dict:
    return {
        "id": record["id"], "type": record["type"], "name": record["name"], "country": country or None,
        "articles": record["articles"], "names": record["names"],
        "roles": [r["title"] + (f" ({r['of']})" if r.get("of") else "") for r in record["roles"]],
    }
