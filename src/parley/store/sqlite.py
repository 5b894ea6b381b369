"""SQLite specifics: engine set-up (WAL, pragmas, explicit transactions) and the FTS5 index.

Why explicit transactions: Python's sqlite3 module opens transactions lazily and on its own terms,
which breaks SAVEPOINTs and lets a read transaction turn into a write one mid-way (and fail with
SQLITE_BUSY without waiting). We switch the driver to autocommit and emit BEGIN ourselves: plain
BEGIN for reads, BEGIN IMMEDIATE for writes (connections carrying the `parley_write` execution
option), so concurrent writers queue on the busy timeout instead of failing.

Readers take no lock a writer holds: the switch to WAL is made by writers only, just before their
first BEGIN IMMEDIATE (switching needs the exclusive lock, so a reader connecting to a store in
rollback-journal mode while another process writes would wait out the busy timeout and fail).
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Connection, Engine

from . import schema

#: Seconds a writer waits for another's write lock (readers never wait: see the module docstring).
#: Read when an engine is made, so tests may lower it.
BUSY_TIMEOUT_S = 30.0


def create_sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S},
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )
    busy_ms = int(BUSY_TIMEOUT_S * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, see module docstring
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cur.execute("PRAGMA foreign_keys = ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("parley_write", False)
        if write:
            _prepare_writer(conn.connection)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _prepare_writer(pooled: Any) -> None:
    """WAL and its synchronous level, set once per connection before its first write transaction."""
    if pooled.info.get("parley_writer"):
        return
    cur = pooled.dbapi_connection.cursor()
    try:
        _ensure_wal(cur)
        cur.execute("PRAGMA synchronous = NORMAL")
    finally:
        cur.close()
    pooled.info["parley_writer"] = True


def _ensure_wal(cur: Any) -> None:
    """Switch to WAL once; retry briefly, as the switch can report 'locked' without waiting."""
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() in ("wal", "memory"):
        return
    for attempt in range(50):
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as exc:  # sqlite3.OperationalError: database is locked
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)


# --- full-text search ----------------------------------------------------------------------------

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "article_id UNINDEXED, headline, body, quotes, tokenize = 'unicode61 remove_diacritics 2')"
)


def create_fts(conn: Connection) -> None:
    """The FTS5 table keeps its own copy of the text, keyed by the article id column.

    It is keyed by `article_id` rather than the articles table's implicit rowid because VACUUM
    may renumber implicit rowids (articles has a text primary key), which would silently detach
    the index from its rows.
    """
    conn.exec_driver_sql(FTS_DDL)


_INDEX = text("INSERT INTO articles_fts (article_id, headline, body, quotes) "
              "VALUES (:article_id, :headline, :body, :quotes)")


def index_texts(conn: Connection, rows: list[dict[str, str]]) -> None:
    conn.execute(_INDEX, rows)


def search(conn: Connection, terms: list[tuple[str, bool]], include_duplicates: bool,
           limit: int | None, offset: int, window: int | None, snippets: bool = True) -> list[dict[str, Any]]:
    """The best matches among the newest `window` (all when None), by bm25, ties newest first;
    without `snippets`, the rows' snippet is None (FTS5 re-runs the query for each).

    Ranked on rowids alone: reading any other column of the FTS table reads the whole article
    text, so the ids, snippets and articles rows are fetched only for the page that is returned.
    """
    match = " ".join(_fts_term(t, prefix) for t, prefix in terms)
    params: dict[str, Any] = {"match": match}
    where = "articles_fts MATCH :match"
    if window is not None:  # the window's oldest match: ranking starts there
        floor = conn.execute(text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match "
                                  "ORDER BY rowid DESC LIMIT 1 OFFSET :skip"),
                             {"match": match, "skip": window - 1}).scalar()
        if floor is not None:
            where += " AND rowid >= :floor"
            params["floor"] = floor
    sql = f"SELECT rowid, bm25(articles_fts, 0.0, 4.0, 1.0, 1.0) FROM articles_fts WHERE {where} ORDER BY 2, rowid DESC"
    if include_duplicates or not _any_near_duplicates(conn):  # the page alone is wanted
        params.update(limit=-1 if limit is None else limit, offset=offset)
        ranked = [tuple(r) for r in conn.execute(text(sql + " LIMIT :limit OFFSET :offset"), params)]
    else:
        ranked = _canonical_only(conn, [tuple(r) for r in conn.execute(text(sql), params)])
        ranked = ranked[offset:] if limit is None else ranked[offset:offset + limit]
    if not ranked:
        return []
    ids = _article_ids(conn, [r for r, _ in ranked])
    rowids = ",".join(str(int(r)) for r, _ in ranked)  # integers from the database: no injection
    marked = dict(conn.execute(text(
        "SELECT rowid, snippet(articles_fts, -1, '[', ']', '…', 16) FROM articles_fts "
        f"WHERE articles_fts MATCH :match AND rowid IN ({rowids})"), {"match": match}).all()) if snippets else {}
    a = schema.articles
    wanted = sorted(set(ids.values()))
    # headline, source and published sit before the text in the row; duplicate_of after the whole
    # document, so it is read from the covering index (and only when near-duplicates are asked for)
    arts = {r.id: r for r in conn.execute(select(a.c.id, a.c.headline, a.c.published, a.c.source)
                                          .where(a.c.id.in_(wanted)))}
    dups: dict[str, str] = {}
    if include_duplicates:
        marks = ",".join(f":i{k}" for k in range(len(wanted)))
        dups = dict(conn.execute(text(
            "SELECT id, duplicate_of FROM articles INDEXED BY ix_articles_canonical "
            f"WHERE id IN ({marks}) AND duplicate_of IS NOT NULL"), {f"i{k}": v for k, v in enumerate(wanted)}).all())
    return [
        {"id": r.id, "headline": r.headline, "published": r.published, "source": r.source,
         "duplicate_of": dups.get(r.id), "snippet": marked.get(rowid), "rank": -float(rank)}
        for rowid, rank in ranked if (r := arts.get(ids.get(rowid))) is not None
    ]


def _any_near_duplicates(conn: Connection) -> bool:
    return conn.execute(text("SELECT 1 FROM articles WHERE duplicate_of IS NOT NULL LIMIT 1")).first() is not None


def _canonical_only(conn: Connection, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The ranked rowids less those of near-duplicates (a store has some): the ranked rows' article
    ids are read (one lookup each) and tested against the covering index."""
    a = schema.articles
    ids = _article_ids(conn, [r for r, _ in ranked])
    dups: set[str] = set()
    values = sorted(set(ids.values()))
    for i in range(0, len(values), 400):
        dups.update(conn.execute(select(a.c.id).where(a.c.id.in_(values[i:i + 400]),
                                                      a.c.duplicate_of.is_not(None))).scalars())
    return [r for r in ranked if ids.get(r[0]) not in dups]


def _article_ids(conn: Connection, rowids: list[int]) -> dict[int, str]:
    """The article id of each full-text row, looked up by rowid, 400 at a time."""
    ids: dict[int, str] = {}
    for i in range(0, len(rowids), 400):
        listed = ",".join(str(int(r)) for r in rowids[i:i + 400])  # integers from the database: no injection
        ids.update(conn.execute(text(f"SELECT rowid, article_id FROM articles_fts WHERE rowid IN ({listed})")).all())
    return ids


def match_count(conn: Connection, terms: list[tuple[str, bool]], cap: int | None = None) -> int:
    """How many articles match, near-duplicates included: counted on the index alone (at most
    `cap` + 1, as on PostgreSQL)."""
    match = " ".join(_fts_term(t, prefix) for t, prefix in terms)
    n = conn.execute(text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match"),
                     {"match": match}).scalar_one()
    return n if cap is None else min(n, cap + 1)


def _fts_term(term: str, prefix: bool) -> str:
    """One FTS5 string token: double quotes doubled, so nothing in it is query syntax."""
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def add_search_order(conn: Connection) -> None:
    """Nothing to add: the FTS table's rowid is the order articles were written in."""


def index_search_order(conn: Connection) -> None:
    """Nothing to add: FTS5 reads matches in rowid order already."""
