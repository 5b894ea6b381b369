"""Summary tables: the web's counts kept up to date by the writer, so no page counts a large store.

A page that counts every event of a type, or every article naming "China", reads tens of thousands
of rows; these tables hold the answers. They are written by the store's single writer in the same
transaction as the article (`record`), from the same document dict that goes into `articles.document`,
and built for an existing store by migration 4 (`rebuild`) with the same code, so both agree.

Only canonical articles count: a near-duplicate adds to `near_duplicates` and nothing else, as the
lists leave it out. An article's `duplicate_of` never changes once written (the store has no delete
path); anything that deletes articles must take their rows back out of these tables.

Every table is named with the prefix `_summary_` (since migration 8; below without it), so a person
opening the store with SQL or datasette reads them as internal, derived data.

- `totals`: name -> n (articles, near_duplicates, mentions, quotes, events).
- `entity_stats`, `entity_values`, `entity_roles`, `entity_pairs`: per (type, name) entity, what the
  entity page shows: counts, aliases/countries/sectors with their row counts, roles with first and
  last published date, counterparts with the number of events shared.
- `entity_articles`, `entity_events`: the entity's articles and events under an index in page order
  (newest first), so a page reads 20 rows, not 70,000.
- `event_keys`: the canonical events under each sector and participant country, newest first, so
  an events list filtered by one of them reads its page off an index.
- `network_edges`, `place_events`: the unfiltered network and map; `network_types`: the network's
  edges by event type, so the page's default (engagement types only) sums a few rows (migration 12).
- `network_months`: the network's edges by event type, month of start and of end, for every event
  and for the events of each party country, so the network filtered by country, type, or dates by
  years or months sums these rows instead of joining the events (migration 15).
- `network_engaged` (migration 21): each edge's events of the engagement types (the page's default),
  whose top edges are read in order off an index instead of summed; with `network_edges` (every
  type), an upper bound of an edge's events within any dates, by which the network dated by years
  or months sums the months of its heaviest edges only (`aggregates._bounded_edges`).
- `pipeline_events`: the opportunity pipeline's candidate events, one row per event and sector with
  its stage and two sides (migration 13), so the pipeline groups, orders and pages by an index and
  builds only the page's opportunities (`pipeline.py`). Written for every stored article, near-
  duplicates included (flagged), as the pipeline can include them.
- `pipeline_groups`, `pipeline_folds`: each opportunity's totals, furthest stage and parties, and the
  first report of each of its folded events, for every event (scope 0 canonical, 1 with near-
  duplicates) and for the events of each party country: a page without dates reads its opportunities
  off an index (migration 14, `pipeline_groups.py`); `pipeline_months` and `pipeline_month_folds` the
  same per month the events start and end in, which a page dated by years or months sums. A stored
  article's events are merged into them (`pipeline_groups.add`), and a change of stories moves
  reports between folds (`pipeline_groups.sync_stories`, at the end of a resolution pass). Each
  opportunity also counts its folds per stage (migration 21), so a page that shows the first few
  pieces of evidence of each stage says how many there are without counting them.
- `event_counts`: a cube of canonical events by (month of when_start, month of when_end, type, one
  filter (none, a sector or a participant country), facet, facet value). Facets and timelines with
  those filters sum a few thousand rows; `cube.py` says which filters it can answer.
Text keys that may be missing are stored as '' (primary keys cannot hold NULL on PostgreSQL).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    and_,
    case,
    delete,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection

from ..filters import STAGES
from . import schema
from .dialect import upsert

metadata = MetaData()


def _key() -> list[Column]:
    return [Column("type", String, nullable=False), Column("name", String, nullable=False)]


def _edge() -> list[Column]:
    """The network's edge: one party to another, each by entity type and name."""
    return [Column("source_type", String, nullable=False), Column("source", String, nullable=False),
            Column("target_type", String, nullable=False), Column("target", String, nullable=False)]


def entity_is(table: Any, type: str, name: str) -> ColumnElement[bool]:
    """`table`'s row is about the (type, name) entity: an entity across articles, as everywhere."""
    return and_(table.c.type == type, table.c.name == name)


totals = Table("_summary_totals", metadata, Column("name", String, primary_key=True),
               Column("n", BigInteger, nullable=False))

entity_stats = Table(
    "_summary_entity_stats", metadata, *_key(),
    Column("articles", Integer, nullable=False), Column("mentions", Integer, nullable=False),
    Column("quotes", Integer, nullable=False),
    Column("geo", Text),  # the first stored coordinates, as JSON text; NULL when none
    PrimaryKeyConstraint("type", "name"),
)

entity_values = Table(
    "_summary_entity_values", metadata, *_key(),
    Column("kind", String, nullable=False),  # alias | country | sector
    Column("value", String, nullable=False), Column("n", Integer, nullable=False),
    PrimaryKeyConstraint("type", "name", "kind", "value"),
)

entity_roles = Table(
    "_summary_entity_roles", metadata, *_key(),
    Column("title", String, nullable=False), Column("of", String, nullable=False),  # '' for none
    Column("first", String), Column("last", String), Column("articles", Integer, nullable=False),
    PrimaryKeyConstraint("type", "name", "title", "of"),
)

entity_pairs = Table(
    "_summary_entity_pairs", metadata, *_key(),
    Column("other_type", String, nullable=False), Column("other_name", String, nullable=False),
    Column("events", Integer, nullable=False),
    PrimaryKeyConstraint("type", "name", "other_type", "other_name"),
)

entity_articles = Table(
    "_summary_entity_articles", metadata, *_key(),
    Column("article_id", String, nullable=False),
    Column("published", String, nullable=False),  # '' when unknown: sorts last, newest first
    Column("quotes", Integer, nullable=False),  # quotes the entity speaks in the article
    PrimaryKeyConstraint("type", "name", "article_id"),
)
Index("ix_entity_articles_newest", entity_articles.c.type, entity_articles.c.name,
      entity_articles.c.published.desc(), entity_articles.c.article_id)
Index("ix_entity_articles_quoted", entity_articles.c.type, entity_articles.c.name,
      entity_articles.c.published.desc(), entity_articles.c.article_id,
      sqlite_where=entity_articles.c.quotes > 0, postgresql_where=entity_articles.c.quotes > 0)

entity_events = Table(
    "_summary_entity_events", metadata, *_key(),
    Column("article_id", String, nullable=False), Column("event_id", String, nullable=False),
    Column("when_start", String, nullable=False),  # '' when unknown
    PrimaryKeyConstraint("type", "name", "article_id", "event_id"),
)
Index("ix_entity_events_newest", entity_events.c.type, entity_events.c.name,
      entity_events.c.when_start.desc(), entity_events.c.article_id, entity_events.c.event_id)

event_counts = Table(
    "_summary_event_counts", metadata,
    Column("fkey", String, nullable=False),  # '' (no filter) | sector | country
    Column("fval", String, nullable=False),
    Column("facet", String, nullable=False),  # type | sector | country
    Column("type", String, nullable=False),
    Column("month_start", String, nullable=False),  # when_start cut to 7 characters; '' when unknown
    Column("month_end", String, nullable=False),
    Column("end_day", Integer, nullable=False),  # 1 when when_end is a full day (YYYY-MM-DD)
    Column("value", String, nullable=False),
    Column("n", BigInteger, nullable=False),
    PrimaryKeyConstraint("fkey", "fval", "facet", "type", "month_start", "month_end", "end_day", "value"),
)

event_keys = Table(
    "_summary_event_keys", metadata,
    Column("fkey", String, nullable=False),  # sector | country
    Column("fval", String, nullable=False),
    Column("type", String, nullable=False),
    Column("when_start", String, nullable=False),  # as in events; '' when unknown
    Column("when_end", String, nullable=False),
    Column("article_id", String, nullable=False), Column("event_id", String, nullable=False),
    PrimaryKeyConstraint("fkey", "fval", "article_id", "event_id"),
)
Index("ix_event_keys_newest", event_keys.c.fkey, event_keys.c.fval, event_keys.c.when_start.desc(),
      event_keys.c.article_id, event_keys.c.event_id)
Index("ix_event_keys_type_newest", event_keys.c.fkey, event_keys.c.fval, event_keys.c.type,
      event_keys.c.when_start.desc(), event_keys.c.article_id, event_keys.c.event_id)

network_edges = Table(
    "_summary_network_edges", metadata,
    *_edge(),
    Column("events", Integer, nullable=False),
    PrimaryKeyConstraint("source_type", "source", "target_type", "target"),
)

place_events = Table(
    "_summary_place_events", metadata, *_key(), Column("events", Integer, nullable=False),
    PrimaryKeyConstraint("type", "name"),
)

network_types = Table(
    "_summary_network_types", metadata,
    *_edge(),
    Column("type", String, nullable=False), Column("events", Integer, nullable=False),
    PrimaryKeyConstraint("source_type", "source", "target_type", "target", "type"),
)
Index("ix_network_types_type", network_types.c.type)
Index("ix_network_types_heaviest", network_types.c.type, network_types.c.events.desc(), network_types.c.source,
      network_types.c.target)  # one type's edges, heaviest first (migration 21)

network_months = Table(
    "_summary_network_months", metadata,
    Column("country", String, nullable=False),  # '' every event; else those with a party from this country
    Column("month_start", String, nullable=False), Column("month_end", String, nullable=False),  # [:7]; '' none
    *_edge(),
    Column("type", String, nullable=False), Column("events", Integer, nullable=False),
    PrimaryKeyConstraint("country", "month_start", "month_end", "source_type", "source", "target_type", "target",
                         "type"),
)
Index("ix_network_months_end", network_months.c.country, network_months.c.month_end)

Index("ix_network_months_edge", network_months.c.country, network_months.c.source_type, network_months.c.source,
      network_months.c.target_type, network_months.c.target, network_months.c.month_end, network_months.c.month_start,
      network_months.c.type, network_months.c.events)  # the months of a few edges, summed (migration 21)

network_engaged = Table(
    "_summary_network_engaged", metadata,
    *_edge(),
    Column("events", Integer, nullable=False),
    PrimaryKeyConstraint("source_type", "source", "target_type", "target"),
)
Index("ix_network_engaged_heaviest", network_engaged.c.events.desc(), network_engaged.c.source,
      network_engaged.c.target)  # the default network's top edges, read in order
Index("ix_network_edges_heaviest", network_edges.c.events.desc(), network_edges.c.source,
      network_edges.c.target)  # the network of every type's top edges, read in order

pipeline_events = Table(
    "_summary_pipeline_events", metadata,
    Column("article_id", String, nullable=False), Column("event_id", String, nullable=False),
    Column("slot", Integer, nullable=False),  # the sector's place in the event's list (0 when none)
    Column("side_a", String, nullable=False), Column("side_b", String, nullable=False),  # sorted; '' none
    Column("sector", String, nullable=False),  # '' when the event names none
    Column("stage", Integer, nullable=False),  # the event's own stage, as its place in `filters.STAGES`
    Column("published", String), Column("when_start", String), Column("when_end", String),  # as stored
    Column("duplicate", Integer, nullable=False),  # 1 for a near-duplicate article's event
    Column("countries", String, nullable=False),  # its parties' countries, space-framed: " GBR KEN "
    Column("fold", Text, nullable=False),  # its sentence lowercased with spaces folded: one event's reports
    Column("parties", Text, nullable=False),  # its actors' and recipients' names, split by "\x1f"
    Column("story", String, nullable=False, server_default=""),  # its story when its group was last summed ('' none)
    PrimaryKeyConstraint("article_id", "event_id", "slot"),
)
Index("ix_pipeline_events_group", pipeline_events.c.duplicate, pipeline_events.c.side_a, pipeline_events.c.side_b,
      pipeline_events.c.sector, pipeline_events.c.published)  # the unfiltered grouping reads the index alone
Index("ix_pipeline_events_sides", pipeline_events.c.side_a, pipeline_events.c.side_b, pipeline_events.c.sector)
Index("ix_pipeline_events_end", pipeline_events.c.when_end)  # the months a day cuts, read event by event
Index("ix_pipeline_events_start", pipeline_events.c.when_start)


def _opportunity() -> list[Column]:
    """An opportunity's key in `pipeline_groups` and `pipeline_folds`: which events it counts (scope 0:
    canonical articles' only, 1: near-duplicates' too; country '' every one, else those with a party
    from that country), its sides and its sector ('' none)."""
    return [Column("scope", Integer, nullable=False), Column("country", String, nullable=False),
            Column("side_a", String, nullable=False), Column("side_b", String, nullable=False),
            Column("sector", String, nullable=False)]


pipeline_groups = Table(
    "_summary_pipeline_groups", metadata, *_opportunity(),
    Column("reports", Integer, nullable=False),
    Column("first", String, nullable=False), Column("last", String, nullable=False),  # published; '' none
    Column("stage", Integer, nullable=False),  # the furthest stage its folded reports' first reports show
    Column("parties", Text, nullable=False),  # the names, sorted, split by "\x1f"
    # its folds (pieces of evidence) per stage, which a page counts beside the first few it shows (migration 21)
    *(Column(f"{stage}_folds", Integer, nullable=False, server_default="0") for stage in STAGES),
    PrimaryKeyConstraint("scope", "country", "side_a", "side_b", "sector"),
)
Index("ix_pipeline_groups_newest", pipeline_groups.c.scope, pipeline_groups.c.country,
      pipeline_groups.c.last.desc(), pipeline_groups.c.side_a.desc(), pipeline_groups.c.side_b.desc(),
      pipeline_groups.c.sector.desc())

pipeline_folds = Table(
    "_summary_pipeline_folds", metadata, *_opportunity(),
    Column("fold", String, nullable=False),  # a hash of what its reports fold by (story, else sentence)
    Column("article_id", String, nullable=False), Column("event_id", String, nullable=False),  # its first report
    Column("published", String, nullable=False),  # the first report's; '' none
    Column("stage", Integer, nullable=False),  # the first report's stage
    Column("reports", Integer, nullable=False),  # the reports folded into it
    PrimaryKeyConstraint("scope", "country", "side_a", "side_b", "sector", "fold"),
)
Index("ix_pipeline_folds_fold", pipeline_folds.c.side_a, pipeline_folds.c.side_b, pipeline_folds.c.sector,
      pipeline_folds.c.fold)  # a fold in every filter, counted again when its stories change
Index("ix_pipeline_folds_newest", pipeline_folds.c.scope, pipeline_folds.c.country, pipeline_folds.c.side_a,
      pipeline_folds.c.side_b, pipeline_folds.c.sector, pipeline_folds.c.stage, pipeline_folds.c.published.desc(),
      pipeline_folds.c.article_id.desc(), pipeline_folds.c.event_id.desc(),
      pipeline_folds.c.reports)  # a page's first pieces of evidence per stage, read in order (migration 21)

pipeline_months = Table(
    "_summary_pipeline_months", metadata, *_opportunity(),
    Column("month_start", String, nullable=False), Column("month_end", String, nullable=False),  # [:7]; '' none
    Column("reports", Integer, nullable=False),
    Column("first", String, nullable=False), Column("last", String, nullable=False),  # published; '' none
    Column("parties", Text, nullable=False),
    PrimaryKeyConstraint("scope", "country", "side_a", "side_b", "sector", "month_start", "month_end"),
)
Index("ix_pipeline_months_end", pipeline_months.c.scope, pipeline_months.c.country, pipeline_months.c.month_end)

pipeline_month_folds = Table(
    "_summary_pipeline_month_folds", metadata, *_opportunity(),
    Column("month_start", String, nullable=False), Column("month_end", String, nullable=False),
    Column("fold", String, nullable=False), Column("reports", Integer, nullable=False),
    Column("article_id", String, nullable=False), Column("event_id", String, nullable=False),  # first report
    Column("published", String, nullable=False), Column("stage", Integer, nullable=False),  # the first report's
    PrimaryKeyConstraint("scope", "country", "side_a", "side_b", "sector", "month_start", "month_end", "fold"),
)
Index("ix_pipeline_month_folds_end", pipeline_month_folds.c.scope, pipeline_month_folds.c.country,
      pipeline_month_folds.c.month_end)
Index("ix_pipeline_month_folds_fold", pipeline_month_folds.c.side_a, pipeline_month_folds.c.side_b,
      pipeline_month_folds.c.sector, pipeline_month_folds.c.fold)

TABLES = (totals, entity_stats, entity_values, entity_roles, entity_pairs, entity_articles, entity_events,
          event_counts, event_keys, network_edges, place_events, network_types, pipeline_events, pipeline_groups,
          pipeline_folds, pipeline_months, pipeline_month_folds, network_months, network_engaged)


#: The names the summary tables had before migration 8 prefixed them with `_summary_`.
OLD_NAMES = {table.name: table.name.removeprefix("_summary_") if table is not totals else "summary_totals"
             for table in TABLES}


def rename_internal(conn: Connection) -> None:
    """Migration 8: give a store's summary tables their `_summary_` names (a store made since
    migration 4 was changed has them already). ALTER TABLE ... RENAME is transactional on both
    databases and keeps rows, indexes and keys; no view or trigger reads these tables."""
    existing = set(inspect(conn).get_table_names())
    for table in TABLES:
        old = OLD_NAMES[table.name]
        if old in existing and table.name not in existing:
            conn.exec_driver_sql(f'ALTER TABLE {old} RENAME TO "{table.name}"')


def when(date: dict | None, published: str | None) -> tuple[str | None, str | None]:
    """The event's (when_start, when_end): its own full date, else the article's published date."""
    start = date.get("start") if date and _full(date.get("start")) else None
    end = date.get("end") if date and _full(date.get("end")) else None
    return start or end or published, end or start or published


def _full(date: str | None) -> bool:
    """A date with a year ("2025", "2025-03", "2025-03-19"), not "--04-20" (year unknown)."""
    return bool(date) and date[:4].isdigit()


class Delta:
    """What a set of stored documents adds to the summary tables, gathered before writing."""

    def __init__(self, pipeline: bool = True, groups: bool = True) -> None:
        self.pipeline = pipeline  # False where `pipeline_events` is filled apart (migration 13)
        self.groups = groups  # False where the opportunities are summed once at the end (`rebuild`)
        self.totals: Counter[str] = Counter()
        self.stats: dict[tuple[str, str], list[Any]] = {}  # key -> [articles, mentions, quotes, geo]
        self.values: Counter[tuple] = Counter()
        self.roles: dict[tuple, list[Any]] = {}  # (key, title, of) -> [first, last, articles]
        self.pairs: Counter[tuple] = Counter()
        self.cube: Counter[tuple] = Counter()
        self.edges: Counter[tuple] = Counter()
        self.typed_edges: Counter[tuple] = Counter()
        self.month_edges: Counter[tuple] = Counter()
        self.engaged: Counter[tuple] = Counter()
        self.places: Counter[tuple] = Counter()
        self.articles: list[dict] = []
        self.events: list[dict] = []
        self.keys: list[dict] = []
        self.stored: list[str] = []  # every stored article, near-duplicates too: the pipeline's rows

    def add(self, doc: dict[str, Any], near_duplicate: bool = False) -> None:
        """Count one stored document (its `Document.to_dict()` form)."""
        self.stored.append(doc["article"]["id"])
        if near_duplicate:
            self.totals["near_duplicates"] += 1
            return
        art = doc["article"]
        aid, published = art["id"], art.get("published")
        ents = {e["id"]: e for e in doc.get("entities", [])}
        key = {i: (e["type"], e["name"]) for i, e in ents.items()}
        quotes = doc.get("quotes", [])
        events = doc.get("events", [])
        self.totals.update(articles=1, quotes=len(quotes), events=len(events),
                           mentions=sum(len(e.get("mentions") or []) for e in ents.values()))
        spoken: Counter[tuple[str, str]] = Counter(key[q["speaker"]] for q in quotes if q.get("speaker") in key)
        roles: set[tuple] = set()
        for e in ents.values():
            k = key[e["id"]]
            st = self.stats.setdefault(k, [0, 0, 0, None])
            st[1] += len(e.get("mentions") or [])
            if st[3] is None and e.get("geo") is not None:
                st[3] = json.dumps(e["geo"], ensure_ascii=False)
            for alias in e.get("aliases") or []:
                self.values[(*k, "alias", alias)] += 1
            for kind in ("country", "sector"):
                if e.get(kind):
                    self.values[(*k, kind, e[kind])] += 1
            roles.update((k, r["title"], r.get("of") or "") for r in e.get("roles") or [])
        for k in set(key.values()):
            st = self.stats[k]
            st[0] += 1
            st[2] += spoken[k]
            self.articles.append({"type": k[0], "name": k[1], "article_id": aid, "published": published or "",
                                  "quotes": spoken[k]})
        for r in roles:
            row = self.roles.setdefault(r, [published, published, 0])
            row[0], row[1], row[2] = _least(row[0], published), _greatest(row[1], published), row[2] + 1
        for v in events:
            self._event(aid, v, published, ents, key)

    def _event(self, aid: str, v: dict, published: str | None, ents: dict, key: dict) -> None:
        start, end = when(v.get("date"), published)
        ids = [*(v.get("actor") or []), *(v.get("recipient") or [])]
        parties = {key[x] for x in ids if x in key}
        at = parties | ({key[v["location"]]} if v.get("location") in key else set())
        self.events += [{"type": k[0], "name": k[1], "article_id": aid, "event_id": v["id"],
                         "when_start": start or ""} for k in at]
        for a in parties:
            for b in parties:
                if a[1] != b[1]:
                    self.pairs[(*a, *b)] += 1
        countries = {ents[x]["country"] for x in ids if x in ents and ents[x].get("country")}
        months = ((start or "")[:7], (end or "")[:7])
        for x in v.get("actor") or []:  # as `aggregates.network` joins them: one per pair of rows
            for y in v.get("recipient") or []:
                if x in key and y in key and key[x][1] != key[y][1]:
                    self.edges[(*key[x], *key[y])] += 1
                    self.typed_edges[(*key[x], *key[y], v["type"])] += 1
                    if v["type"] in engaged_types():
                        self.engaged[(*key[x], *key[y])] += 1
                    for c in ("", *countries):
                        self.month_edges[(c, *months, *key[x], *key[y], v["type"])] += 1
        if v.get("location") in key:
            self.places[key[v["location"]]] += 1
        sectors = list(v.get("sectors") or [])
        keyed = [*(("sector", x) for x in set(sectors)), *(("country", c) for c in countries)]
        self.keys += [{"fkey": fkey, "fval": fval, "type": v["type"], "when_start": start or "", "when_end": end or "",
                       "article_id": aid, "event_id": v["id"]} for fkey, fval in keyed]
        filters = [("", ""), *keyed]
        facets = [("type", v["type"]), *(("sector", x) for x in sectors), *(("country", c) for c in countries)]
        dates = ((start or "")[:7], (end or "")[:7], int(len(end or "") >= 10))
        for f in filters:
            for g in facets:
                self.cube[(*f, g[0], v["type"], *dates, g[1])] += 1

    def write(self, conn: Connection) -> None:
        """Add the gathered counts to the tables (inside the caller's transaction)."""
        self._add(conn, totals, ["name"], "n", Counter({(k,): n for k, n in self.totals.items()}))
        if self.stats:
            s = entity_stats
            conn.execute(upsert(conn, s, ["type", "name"], lambda ex: {
                "articles": s.c.articles + ex.articles, "mentions": s.c.mentions + ex.mentions,
                "quotes": s.c.quotes + ex.quotes, "geo": func.coalesce(s.c.geo, ex.geo)}),
                [{"type": k[0], "name": k[1], "articles": a, "mentions": m, "quotes": q, "geo": g}
                 for k, (a, m, q, g) in sorted(self.stats.items())])
        self._add(conn, entity_values, ["type", "name", "kind", "value"], "n", self.values)
        self._add(conn, entity_pairs, ["type", "name", "other_type", "other_name"], "events", self.pairs)
        self._add(conn, event_counts, ["fkey", "fval", "facet", "type", "month_start", "month_end", "end_day",
                                       "value"], "n", self.cube)
        if self.roles:
            r = entity_roles
            conn.execute(upsert(conn, r, ["type", "name", "title", "of"], lambda ex: {
                "first": case((r.c.first.is_(None), ex.first), (ex.first.is_(None), r.c.first),
                              (ex.first < r.c.first, ex.first), else_=r.c.first),
                "last": case((r.c.last.is_(None), ex.last), (ex.last.is_(None), r.c.last),
                             (ex.last > r.c.last, ex.last), else_=r.c.last),
                "articles": r.c.articles + ex.articles}),
                [{"type": k[0], "name": k[1], "title": title, "of": of, "first": f, "last": la, "articles": n}
                 for (k, title, of), (f, la, n) in sorted(self.roles.items())])
        self._add(conn, network_edges, ["source_type", "source", "target_type", "target"], "events", self.edges)
        self._add(conn, place_events, ["type", "name"], "events", self.places)
        self._add(conn, network_types, ["source_type", "source", "target_type", "target", "type"], "events",
                  self.typed_edges)
        self._add(conn, network_months, ["country", "month_start", "month_end", "source_type", "source",
                                         "target_type", "target", "type"], "events", self.month_edges)
        self._add(conn, network_engaged, ["source_type", "source", "target_type", "target"], "events", self.engaged)
        if self.keys:
            conn.execute(event_keys.insert(), self.keys)
        if self.articles:
            conn.execute(entity_articles.insert(), self.articles)
        if self.events:
            conn.execute(entity_events.insert(), self.events)
        if self.stored and self.pipeline:  # read back from the rows just written, by the pipeline's own query
            from . import pipeline_groups
            from .pipeline import record

            added = record(conn, self.stored)
            if self.groups and added:
                pipeline_groups.add(conn, added)

    @staticmethod
    def _add(conn: Connection, table: Table, key: list[str], column: str, counts: Counter) -> None:
        """Upsert `column` += n for each key in `counts`."""
        if counts:
            stmt = upsert(conn, table, key, lambda ex: {column: table.c[column] + ex[column]})
            conn.execute(stmt, [{**dict(zip(key, k)), column: n} for k, n in sorted(counts.items())])


@lru_cache(maxsize=1)
def engaged_types() -> frozenset[str]:
    """The network's default event types (`resources/network_types.tsv`), whose edges
    `network_engaged` sums; a change of that table takes a rebuild (`parley` summary rebuild)."""
    from ..analysis.lexicon import read_table

    return frozenset(row["type"] for row in read_table("network_types.tsv"))


def _least(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _greatest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def record(conn: Connection, stored: Iterable[tuple[dict[str, Any], bool]], pipeline: bool = True,
           groups: bool = True) -> None:
    """Add stored documents (each with whether it is a near-duplicate) to the summaries."""
    delta = Delta(pipeline, groups)
    for doc, near in stored:
        delta.add(doc, near)
    delta.write(conn)


REBUILD_BATCH = 2000


def rebuild(conn: Connection) -> int:
    """Empty the summaries and count every stored article again, reading the stored documents in
    batches of the primary key; returns how many articles were counted. Migration 4 calls it before
    the story reports `pipeline_events` reads exist: that table is then left to migration 13 (and
    the opportunities' sums to migration 14)."""
    for table in TABLES:
        conn.execute(delete(table))
    with_pipeline = inspect(conn).has_table("story_reports")
    a = schema.articles
    last, n = "", 0
    while True:
        rows = conn.execute(select(a.c.id, a.c.duplicate_of, a.c.document.cast(Text).label("doc"))
                            .where(a.c.id > last).order_by(a.c.id).limit(REBUILD_BATCH)).all()
        if not rows:
            break
        record(conn, ((json.loads(r.doc), r.duplicate_of is not None) for r in rows), pipeline=with_pipeline,
               groups=False)
        last, n = rows[-1].id, n + len(rows)
    if with_pipeline:
        from . import pipeline_groups

        pipeline_groups.refresh(conn, None)
    if conn.dialect.name == "postgresql":
        for table in TABLES:
            conn.exec_driver_sql(f"ANALYZE {table.name}")
    else:
        conn.execute(text("ANALYZE"))
    return n
