"""SQLite specifics: engine set-up (WAL, pragmas, explicit transactions, read-only stores) and FTS5.

Why explicit transactions: Python's sqlite3 module opens transactions lazily and on its own terms,
which breaks SAVEPOINTs and lets a read transaction turn into a write one mid-way (and fail with
SQLITE_BUSY without waiting). We switch the driver to autocommit and emit BEGIN ourselves: plain
BEGIN for reads, BEGIN IMMEDIATE for writes (connections carrying the `parley_write` execution
option), so concurrent writers queue on the busy timeout instead of failing.

Readers take no lock a writer holds: the switch to WAL is made by writers only, just before their
first BEGIN IMMEDIATE (switching needs the exclusive lock, so a reader connecting to a store in
rollback-journal mode while another process writes would wait out the busy timeout and fail).

A store that this process cannot write (the file is read-only, its folder is, or the file system
is mounted read-only) is opened with SQLite's `mode=ro` URI option: it reads a WAL store safely
while others write it, as long as SQLite can open or create the store's shared-memory index
(`-shm`) beside it. Where it can do neither (a read-only folder or mount without a `-shm`),
SQLite reads the file only with `immutable=1`, which takes no locks and ignores the `-wal`: right
only while nothing changes the file. So `immutable` is used only when (1) `mode=ro` cannot open
the store, (2) no one can write the store's folder (a read-only mount, or a folder without write
permission for anyone: any writer must create its `-wal` or journal there, and a WAL writer keeps
its `-shm` open while it runs, so none is running now), and (3) the `-wal` is absent or empty (a
non-empty one holds committed changes not yet in the file, or an interrupted checkpoint's pages).
Otherwise the store is refused with the reason. Such a store can change only if someone (root,
or the folder's owner after making it writable again) writes it while it is being read; a
process reading it then may see stale or inconsistent data until it is restarted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Connection, Engine, make_url

from ..errors import StoreError
from . import schema
from .searchquery import SearchQuery, Term

#: Seconds a writer waits for another's write lock (readers never wait: see the module docstring).
#: Read when an engine is made, so tests may lower it.
BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Access:
    """How a store file is opened: `read_only` says why it cannot be written (None: it can);
    `immutable`: read as a file nothing changes (module docstring says when)."""

    read_only: str | None = None
    immutable: bool = False


def create_sqlite_engine(url: str, where: str | None = None) -> tuple[Engine, Access]:
    """An engine for the store at `url` (named `where` in messages), and how it is opened."""
    path = _plain_path(url)
    access = Access() if path is None else access_for(path, where or url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}}
    if access.read_only is not None:
        uri = _read_only_uri(path, access.immutable)
        kwargs = {"creator": lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)}
    engine = create_engine(url, json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False), **kwargs)
    busy_ms = int(BUSY_TIMEOUT_S * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, see module docstring
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cur.execute("PRAGMA foreign_keys = ON")
            if access.read_only is not None:
                cur.execute("PRAGMA query_only = ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("parley_write", False)
        if write:
            _prepare_writer(conn.connection)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine, access


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


# --- read-only stores ----------------------------------------------------------------------------

def _plain_path(url: str) -> Path | None:
    """The file of a SQLite URL that names one plainly (not in memory, not a SQLite URI of the user's)."""
    u = make_url(url)
    if u.database in (None, "", ":memory:") or u.query.get("uri") in ("true", "1"):
        return None
    return Path(u.database)


def access_for(path: Path, where: str) -> Access:
    """How to open the store file at `path` (module docstring); refuses one it cannot read safely."""
    if not path.exists():
        return Access()
    reason = _why_read_only(path)
    if reason is None:
        return Access()
    if _opens_read_only(path):
        return Access(reason)
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(
            f"{where}: cannot read the store: it is read-only ({reason}) and its write-ahead log "
            f"{wal.name} holds changes not yet in the file; SQLite needs to create {path.name}-shm beside "
            "it to read them: open the store once where it can be written")
    if not _nobody_can_write(path.parent):
        raise StoreError(
            f"{where}: cannot read the store safely: SQLite needs to create {path.name}-shm beside it, but "
            f"{reason}, while others may write there; make the folder read-only for everyone "
            "(chmod a-w) or mount it read-only, and the store is read as an unchanging file")
    return Access(reason, immutable=True)


def _why_read_only(path: Path) -> str | None:
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {str(folder)!r} is not writable"
    return None


def _read_only_uri(path: Path, immutable: bool) -> str:
    """A SQLite URI for `path`, read-only: the path percent-encoded, so `?` and `#` stay in it."""
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def _opens_read_only(path: Path) -> bool:
    """Whether SQLite reads the store with `mode=ro`: not where it can neither open nor create the
    `-shm` (any other failure is left to the store's own open, which names it)."""
    try:
        conn = sqlite3.connect(_read_only_uri(path, False), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return getattr(exc, "sqlite_errorname", "") not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN")
    return True


def _nobody_can_write(folder: Path) -> bool:
    """A read-only mount, or a folder with no write permission for anyone (root aside)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not (os.stat(folder).st_mode & 0o222)
    except OSError:
        return False


# --- full-text search ----------------------------------------------------------------------------

#: The index as migrations 1 to 7 built it: its own copy of the texts, keyed by an article_id column
#: (frozen: migrations 1 and 6 replay it on a fresh store; migration 8 replaces it).
FTS_DDL_V1 = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "article_id UNINDEXED, headline, body, quotes, tokenize = 'porter unicode61 remove_diacritics 2')"
)

#: The index since migration 8: an external-content FTS5 table over `articles` (rowid for rowid),
#: written as datasette and sqlite-utils look for it (`content="articles"`), so their search finds it.
FTS_DDL = (
    'CREATE VIRTUAL TABLE articles_fts USING fts5(headline, text, content="articles", '
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)

#: Triggers that keep the index in step with `articles` whoever writes it (Parley, sqlite-utils, a
#: SQL shell): named and written as sqlite-utils' `enable_fts(create_triggers=True)` makes them.
FTS_TRIGGERS = (
    "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts (rowid, headline, text) VALUES (new.rowid, new.headline, new.text); END",
    "CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, headline, text) "
    "VALUES ('delete', old.rowid, old.headline, old.text); END",
    "CREATE TRIGGER articles_au AFTER UPDATE OF headline, text ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, headline, text) "
    "VALUES ('delete', old.rowid, old.headline, old.text); "
    "INSERT INTO articles_fts (rowid, headline, text) VALUES (new.rowid, new.headline, new.text); END",
)


def create_fts(conn: Connection) -> None:
    """The index as migration 1 made it (`FTS_DDL_V1`); migration 8 (`content_fts`) replaces it."""
    conn.exec_driver_sql(FTS_DDL_V1)


def content_fts(conn: Connection) -> None:
    """The index over the articles table itself (migration 8): FTS5 rowid = articles rowid, texts
    read from `articles` (no second copy), kept by triggers, built again from every article.

    Its rowids are the articles' rowids, which are their ingest order, as the old index's were.
    SQLite's documentation lets VACUUM renumber the rowids of a table without an INTEGER PRIMARY
    KEY; its VACUUM copies a table that has an index (articles has several) with its rowids, and
    `test_store_tables` checks that a VACUUM after deletes leaves the index matching (FTS5's
    'integrity-check'). Should a future SQLite renumber them, `INSERT INTO articles_fts
    (articles_fts) VALUES ('rebuild')` keys the index to the rows again.
    """
    conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")
    conn.exec_driver_sql(FTS_DDL)
    conn.exec_driver_sql("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    for ddl in FTS_TRIGGERS:
        conn.exec_driver_sql(ddl)


def index_texts(conn: Connection, rows: list[dict[str, str]]) -> None:
    """Nothing to write: the `articles_ai` trigger indexed each article as its row went in."""


def search(conn: Connection, query: SearchQuery, include_duplicates: bool,
           limit: int | None, offset: int, window: int | None, snippets: bool = True) -> list[dict[str, Any]]:
    """The best matches among the newest `window` (all when None), by bm25, ties newest first;
    without `snippets`, the rows' snippet is None (FTS5 re-runs the query for each).

    Ranked on rowids alone: reading any other column of the FTS table reads the whole article
    text, so the ids, snippets and articles rows are fetched only for the page that is returned.
    """
    match = _fts_match(query)
    params: dict[str, Any] = {"match": match}
    where = "articles_fts MATCH :match"
    if window is not None:  # the window's oldest match: ranking starts there
        floor = conn.execute(text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match "
                                  "ORDER BY rowid DESC LIMIT 1 OFFSET :skip"),
                             {"match": match, "skip": window - 1}).scalar()
        if floor is not None:
            where += " AND rowid >= :floor"
            params["floor"] = floor
    sql = f"SELECT rowid, bm25(articles_fts, 4.0, 1.0) FROM articles_fts WHERE {where} ORDER BY 2, rowid DESC"
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
    """The article id of each full-text row (its articles row has the same rowid), 400 at a time."""
    ids: dict[int, str] = {}
    for i in range(0, len(rowids), 400):
        listed = ",".join(str(int(r)) for r in rowids[i:i + 400])  # integers from the database: no injection
        ids.update(conn.execute(text(f"SELECT rowid, id FROM articles WHERE rowid IN ({listed})")).all())
    return ids


def match_count(conn: Connection, query: SearchQuery, cap: int | None = None) -> int:
    """How many articles match, near-duplicates included: counted on the index alone (at most
    `cap` + 1, as on PostgreSQL)."""
    match = _fts_match(query)
    n = conn.execute(text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match"),
                     {"match": match}).scalar_one()
    return n if cap is None else min(n, cap + 1)


def _fts_match(query: SearchQuery) -> str:
    """The FTS5 MATCH expression: (each clause's terms OR-ed) AND-ed, then NOT each excluded term."""
    wanted = " AND ".join("(" + " OR ".join(map(_fts_term, clause)) + ")" for clause in query.clauses)
    return f"({wanted})" + "".join(f" NOT {_fts_term(term)}" for term in query.excluded)


def _fts_term(term: Term) -> str:
    """One FTS5 string token: double quotes doubled, so nothing in it is query syntax."""
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def stem_search(conn: Connection) -> None:
    """The index again with the Porter stemmer before unicode61 (so "delegations" finds
    "delegation"), its rows copied with their rowids: the order search ranks the newest by."""
    conn.exec_driver_sql(FTS_DDL_V1.replace("articles_fts USING", "articles_fts_stemmed USING"))
    conn.exec_driver_sql("INSERT INTO articles_fts_stemmed (rowid, article_id, headline, body, quotes) "
                         "SELECT rowid, article_id, headline, body, quotes FROM articles_fts")
    conn.exec_driver_sql("DROP TABLE articles_fts")
    conn.exec_driver_sql("ALTER TABLE articles_fts_stemmed RENAME TO articles_fts")


def add_search_order(conn: Connection) -> None:
    """Nothing to add: the FTS table's rowid is the order articles were written in."""


def index_search_order(conn: Connection) -> None:
    """Nothing to add: FTS5 reads matches in rowid order already."""
