"""Versioned schema migrations, applied at open, one transaction each.

`schema_version` holds one row per applied migration. `MIGRATIONS` is the ordered list of
(number, name, function); to change the schema, append a migration — never edit an applied one.
Each migration runs inside its own write transaction and re-reads the version first, so two
processes opening a fresh store at once apply each migration exactly once. A store whose version
is newer than this code knows is refused rather than misread.

Migration 1 builds the tables from `schema.metadata`. Once a later migration alters a table,
migration 1 must be frozen to the original definitions (copy them in) so fresh stores replay
history faithfully.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine

from ..errors import StoreError
from . import dialect, pipeline_groups, resolved, schema, sqlite, summary, summary_cover, summary_totals, visits_summary
from . import places_geo, summary_ranks


def _initial(conn: Connection) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t is not schema.schema_version]
    schema.metadata.create_all(conn, tables=tables)
    dialect.create_fts(conn)


def _events_by_type_and_date(conn: Connection) -> None:
    """Events of one type, newest first (the web's filtered event list), read off an index
    instead of sorting every event of the type. Plain DDL: SQLite and PostgreSQL both take it."""
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_type_when ON events (type, when_start)")


def _articles_canonical(conn: Connection) -> None:
    """Nearly every listing joins a row to its article only to test `duplicate_of` (and read
    `published`). On SQLite those columns sit after the text and the document, so the test read
    tens of kilobytes of overflow pages per row; this index answers it alone."""
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_articles_canonical ON articles (id, duplicate_of, published)")


def _summaries(conn: Connection) -> None:
    """The summary tables the web's counts are read from (`summary.py`), counted from the stored
    documents, and the order search ranks the newest matches by."""
    summary.metadata.create_all(conn)
    dialect.add_search_order(conn)
    summary.rebuild(conn)


def _tables_for_others(conn: Connection) -> None:
    """The store as others read it (README, "The store as tables"): on SQLite the full-text index
    over the articles table where datasette and sqlite-utils find it (`sqlite.content_fts`); the
    summary tables renamed `_summary_*`, so they read as internal; views joining events, quotes and
    participants to names, places and articles (`schema.view_ddl`)."""
    if conn.dialect.name == "sqlite":
        sqlite.content_fts(conn)
    summary.rename_internal(conn)
    for name in schema.VIEWS:
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
    for ddl in schema.view_ddl(conn.dialect.name):
        conn.exec_driver_sql(ddl)


def _watch_state(conn: Connection) -> None:
    from ..watch import state  # the watcher owns its tables

    state.create(conn)


def _saved_searches(conn: Connection) -> None:
    from ..alerts import tables  # saved searches and alerts own theirs

    tables.create(conn)


def _network_by_type(conn: Connection) -> None:
    """The network's edges by event type (`summary.network_types`), counted from the stored events:
    the network page's default (engagements only) then sums a few rows instead of joining every event."""
    from . import aggregates

    t = summary.network_types
    t.create(conn, checkfirst=True)
    conn.execute(t.delete())
    query = aggregates.network_type_rows()
    conn.execute(t.insert().from_select(["source_type", "source", "target_type", "target", "type", "events"], query))


def _pipeline_events(conn: Connection) -> None:
    """The opportunity pipeline's candidate events (`summary.pipeline_events`), read from the stored
    events by the pipeline's own query, so a pipeline page groups by an index instead of every event."""
    from . import pipeline

    t = summary.pipeline_events
    t.create(conn, checkfirst=True)
    conn.execute(t.delete())
    ids = [r[0] for r in conn.execute(select(schema.articles.c.id).order_by(schema.articles.c.id))]
    pipeline.record(conn, ids)
    conn.exec_driver_sql(f"ANALYZE {t.name}")  # so the planner reads the grouping off its index


def _resolve_reports(conn: Connection) -> None:
    from ..resolve import report_rows  # (resolution imports the store)

    report_rows.create(conn)


def _network_months(conn: Connection) -> None:
    from . import aggregates

    aggregates.create_network_months(conn)


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema: articles, entities, mentions, roles, quotes, events, minhash bands, fts", _initial),
    (2, "index events by type and date", _events_by_type_and_date),
    (3, "covering index for the near-duplicate test on joins", _articles_canonical),
    (4, "summary tables for entity pages, facets, the overview; search order", _summaries),
    (5, "index the search order (PostgreSQL)", dialect.index_search_order),
    (6, "search by word stems (Porter on SQLite, English on PostgreSQL)", dialect.stem_search),
    (7, "stories and identities across articles, resolved from what is stored", resolved.create),
    (8, "tables for others: full-text index over articles (SQLite), _summary_ names, views", _tables_for_others),
    (9, "watched sources and the items seen in them (parley watch)", _watch_state),
    (10, "saved searches, their marks and alert deliveries", _saved_searches),
    (11, "index the stories listing's order; stories by participant country and sector", resolved.index_story_order),
    (12, "the network's edges by event type (summary)", _network_by_type),
    (13, "the opportunity pipeline's candidate events (summary)", _pipeline_events),
    (14, "the opportunity pipeline's sums per opportunity (summary)", pipeline_groups.create),
    (15, "the network's edges by type, month and party country (summary)", _network_months),
    (16, "index the identities' names for a search by part of a name (SQLite)", resolved.index_identity_names),
    (17, "the visits listing's engagement events, visit by visit (summary)", visits_summary.create),
    (19, "index the pipeline's folds by month with every column a dated page reads", summary_cover.create),
    (21, "the pipeline's pieces of evidence per stage; the network's engaged totals and sums by year",
     summary_totals.create),
    (22, "index the pipeline's and the network's sums by month with every column a page dated to the day reads",
     summary_ranks.create),
    (23, "each resolved article's reports, so that a story is clustered again without its documents", _resolve_reports),
    (24, "bodies' and places' members as rows, so that a new mention is added without rewriting the record",
     resolved.keep_parts),
    (25, "index the stored places' coordinates by country, name and geonameid (a place page reads its own)",
     places_geo.create_indexes),
    (26, "people's members as rows, so that a new mention is added without rewriting the record",
     resolved.keep_people_parts),
    (27, "stories' participants as identity ids alone, their names read from the identities",
     resolved.drop_story_names),
    (28, "people's surnames by day, so that a surname's mentions near a day are read without its others",
     resolved.add_day_rows),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, where: str, read_only: str | None = None) -> int:
    """Bring the store up to `LATEST`; returns the version it is at.

    A store already at the latest version is only read: opening it takes no write lock, so a
    reader (`parley articles`, the web server) opens a store while another process holds a long
    write transaction, as SQLite's WAL lets readers do. A store that can only be read (`read_only`
    says why) and is not at the latest version is refused with that reason."""
    with engine.connect() as conn:
        version = _check(conn, where)
        missing = _missing(conn)
    if version == LATEST and not missing:
        return version
    if read_only is not None:
        state = "has no Parley schema" if version == 0 else f"has schema version {version}, older than {LATEST}"
        raise StoreError(f"{where}: cannot open store: it {state} and cannot be upgraded, "
                         f"as it is read-only ({read_only}); open it once where it can be written")
    with dialect.write_connection(engine) as conn:
        with conn.begin():
            dialect.migration_lock(conn)
            schema.schema_version.create(conn, checkfirst=True)
        version = _check(conn, where)
        for number, name, apply in MIGRATIONS:
            with conn.begin():
                dialect.migration_lock(conn)
                if number not in _missing(conn):  # applied, perhaps by another process just now
                    continue
                apply(conn)
                conn.execute(insert(schema.schema_version).values(
                    version=number, name=name, applied_at=datetime.now(timezone.utc).isoformat()))
        return _check(conn, where)


def _missing(conn: Connection) -> set[int]:
    """The migrations not applied yet: a number appended below the latest (7 after 8 was applied by
    a build that did not have it yet) is applied too."""
    if not inspect(conn).has_table("schema_version"):
        return {number for number, _, _ in MIGRATIONS}
    applied = set(conn.execute(select(schema.schema_version.c.version)).scalars())
    return {number for number, _, _ in MIGRATIONS} - applied


def _check(conn: Connection, where: str) -> int:
    with conn.begin():
        version = current_version(conn)
    if version > LATEST:
        raise StoreError(
            f"{where}: this store has schema version {version}, made by a newer Parley; "
            f"this version understands up to {LATEST}. Upgrade Parley to open it."
        )
    return version
