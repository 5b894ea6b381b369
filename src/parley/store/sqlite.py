"""SQLite specifics: engine set-up (WAL, pragmas, explicit transactions) and the FTS5 index.

Why explicit transactions: Python's sqlite3 module opens transactions lazily and on its own terms,
which breaks SAVEPOINTs and lets a read transaction turn into a write one mid-way (and fail with
SQLITE_BUSY without waiting). We switch the driver to autocommit and emit BEGIN ourselves: plain
BEGIN for reads, BEGIN IMMEDIATE for writes (connections carrying the `parley_write` execution
option), so concurrent writers queue on the 30 s busy timeout instead of failing.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_S = 30


def create_sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S},
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, see module docstring
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            _ensure_wal(cur)
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("parley_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


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
           limit: int | None, offset: int) -> list[dict[str, Any]]:
    match = " ".join(_fts_term(t, prefix) for t, prefix in terms)
    sql = (
        "SELECT a.id, a.headline, a.published, a.source, a.duplicate_of, "
        "snippet(articles_fts, -1, '[', ']', '…', 16) AS snippet, "
        "bm25(articles_fts, 0.0, 4.0, 1.0, 1.0) AS rank "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id "
        "WHERE articles_fts MATCH :match"
        + ("" if include_duplicates else " AND a.duplicate_of IS NULL")
        + " ORDER BY rank, a.id LIMIT :limit OFFSET :offset"
    )
    rows = conn.execute(text(sql), {"match": match, "limit": -1 if limit is None else limit,
                                    "offset": offset})
    return [
        {"id": r.id, "headline": r.headline, "published": r.published, "source": r.source,
         "duplicate_of": r.duplicate_of, "snippet": r.snippet, "rank": -float(r.rank)}
        for r in rows
    ]


def _fts_term(term: str, prefix: bool) -> str:
    """One FTS5 string token: double quotes doubled, so nothing in it is query syntax."""
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")
