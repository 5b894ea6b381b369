"""PostgreSQL specifics, kept to the same small surface as `sqlite.py`.

Writers are serialised, as on SQLite: a write transaction (a connection carrying the
`parley_write` execution option) first takes a transaction-scoped advisory lock, so near-duplicate
detection sees every committed article and two ingests of one folder cannot deadlock on each
other's rows; the lock goes with the commit or rollback, or with the connection if it drops. The
lock is keyed by the schema the store lives in, so stores in different schemas do not wait on each
other. Migrations take a second advisory lock of their own.

Full-text search is a side table holding a weighted tsvector (headline A, body and quotes D) under a
GIN index, and a copy of the text for `ts_headline` snippets. The `simple` configuration (no
stemming, no stop words) matches SQLite's FTS5 `unicode61` tokenizer; diacritics are folded in
Python on both the indexed text and the query, as FTS5's `remove_diacritics` does, so no database
extension is needed.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from ..errors import StoreError
from .searchquery import SearchQuery, Term

# Advisory lock keys: (a constant, the hash of the store's schema name).
_WRITE_LOCK = 0x70617231  # "par1"
_MIGRATION_LOCK = 0x70617232  # "par2"
# SQLSTATEs after which redoing the whole transaction is safe and likely to succeed:
# serialization failure, deadlock, and the server shutting the connection down (admin/crash).
_RETRY_STATES = {"40001", "40P01", "57P01", "57P02", "57P03"}


def create_postgres_engine(url: str) -> Engine:
    """An engine on psycopg 3 that pings pooled connections before use (a server restart or a
    dropped connection costs a reconnect, not a failed command)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StoreError("PostgreSQL stores need psycopg: pip install 'parley[postgres]'") from None
    u = make_url(url)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    engine = create_engine(u, pool_pre_ping=True,
                           json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("parley_write", False):
            _lock(conn, _WRITE_LOCK)

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _on_execute(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> tuple[str, Any]:
        return statement, _nul_free(parameters)

    return engine


def _nul_free(parameters: Any) -> Any:
    """Parameters with NUL characters replaced by U+FFFD, which PostgreSQL text cannot hold (SQLite
    can). One code point for one keeps every offset into the text right; a filter or search with a
    NUL in it then matches nothing, as on SQLite, instead of failing. The stored document (JSON,
    where a NUL is written as \\u0000) keeps the text exactly."""
    if isinstance(parameters, dict):
        if any(isinstance(v, str) and "\x00" in v for v in parameters.values()):
            return {k: v.replace("\x00", "\ufffd") if isinstance(v, str) else v for k, v in parameters.items()}
        return parameters
    if isinstance(parameters, list):
        return [_nul_free(p) for p in parameters]
    return parameters


def _lock(conn: Connection, key: int) -> None:
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key}, hashtext(coalesce(current_schema(), '')))")


def migration_lock(conn: Connection) -> None:
    _lock(conn, _MIGRATION_LOCK)


def is_transient(exc: BaseException) -> bool:
    """A failure that leaves the transaction rolled back and is worth one more try: a lost
    connection, a deadlock or serialization failure, or the server going away or starting up."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if state is None:  # no server answer at all: refused, reset, closed mid-way
        return type(orig).__name__ in ("OperationalError", "InterfaceError")
    return state in _RETRY_STATES or state.startswith("08")


def fold(value: str) -> str:
    """Text with diacritics removed ("Montréal" -> "Montreal"), for indexing and for queries."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def create_fts(conn: Connection) -> None:
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS articles_fts ("
        "article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, "
        "body TEXT NOT NULL, doc TSVECTOR NOT NULL)"
    )
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_fts_doc ON articles_fts USING GIN (doc)")


#: The text search configuration: English stems (Snowball), as SQLite's index uses Porter's.
CONFIG = "english"
_DOC = (f"setweight(to_tsvector('{CONFIG}', :h), 'A') || to_tsvector('{CONFIG}', :b) "
        f"|| to_tsvector('{CONFIG}', :q)")
_INDEX = text(f"INSERT INTO articles_fts (article_id, body, doc) VALUES (:a, :all, {_DOC})")


def index_texts(conn: Connection, rows: list[dict[str, str]]) -> None:
    conn.execute(_INDEX, [_index_params(r) for r in rows])


def _index_params(row: dict[str, str]) -> dict[str, str]:
    return {"a": row["article_id"], "h": fold(row["headline"]), "b": fold(row["body"]), "q": fold(row["quotes"]),
            "all": f"{row['headline']}\n{row['body']}\n{row['quotes']}"}


def stem_search(conn: Connection) -> None:
    """Every article's index entry again with English stems (migration 6), from its stored texts."""
    from .writer import search_texts

    update = text(f"UPDATE articles_fts SET doc = {_DOC} WHERE article_id = :a")
    last = ""
    while batch := conn.execute(text("SELECT id FROM articles WHERE id > :last ORDER BY id LIMIT 500"),
                                {"last": last}).scalars().all():
        conn.execute(update, [_index_params(row) for row in search_texts(conn, list(batch))])
        last = batch[-1]


def _term_sql(i: int, prefix: bool) -> str:
    """One term as a tsquery: its words in sequence (a phrase); with `prefix`, the last word is a
    prefix. Terms go in as bound parameters and through phraseto_tsquery, so no input is syntax."""
    phrase = f"phraseto_tsquery('{CONFIG}', :t{i})"
    if not prefix:
        return phrase
    return f"(CASE WHEN numnode({phrase}) = 0 THEN {phrase} ELSE ({phrase}::text || ':*')::tsquery END)"


def _query_sql(query: SearchQuery, params: dict[str, Any]) -> str:
    """`WITH q AS (SELECT <tsquery> AS query)`: each clause's terms OR-ed, the clauses AND-ed, and
    NOT each excluded term."""

    def term_sql(term: Term) -> str:
        i = len(params)
        params[f"t{i}"] = fold(term.text)
        return _term_sql(i, term.prefix)

    parts = ["(" + " || ".join(map(term_sql, clause)) + ")" for clause in query.clauses]
    parts += [f"!!({term_sql(term)})" for term in query.excluded]
    return f"WITH q AS (SELECT {' && '.join(parts)} AS query) "


def search(conn: Connection, query: SearchQuery, include_duplicates: bool,
           limit: int | None, offset: int, window: int | None, snippets: bool = True) -> list[dict[str, Any]]:
    """The best matches by ts_rank among the newest `window` (all when None), ties newest first;
    snippets (unless not wanted) and article fields only for the rows returned."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    newest = f" ORDER BY f.seq DESC LIMIT {int(window)}" if window is not None else ""
    sql = (
        _query_sql(query, params)
        + f", w AS (SELECT f.article_id, f.seq, f.doc FROM q, articles_fts f WHERE f.doc @@ q.query{newest}) "
        "SELECT w.article_id, ts_rank(w.doc, q.query) AS rank FROM q, w"
        + ("" if include_duplicates else " WHERE NOT EXISTS (SELECT 1 FROM articles d "
           "WHERE d.id = w.article_id AND d.duplicate_of IS NOT NULL)")
        + " ORDER BY rank DESC, w.seq DESC LIMIT :limit OFFSET :offset"
    )
    ranked = [(r.article_id, float(r.rank)) for r in conn.execute(text(sql), params)]
    if not ranked:
        return []
    params = {"ids": [a for a, _ in ranked]}
    marked = {} if not snippets else dict(conn.execute(text(
        _query_sql(query, params) + f"SELECT f.article_id, ts_headline('{CONFIG}', f.body, q.query, "
        "'StartSel=[, StopSel=], MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…') "
        "FROM q, articles_fts f WHERE f.article_id = ANY(:ids)"), params).all())
    arts = {r.id: r for r in conn.execute(text(
        "SELECT id, headline, published, source, duplicate_of FROM articles WHERE id = ANY(:ids)"),
        {"ids": params["ids"]})}
    return [
        {"id": r.id, "headline": r.headline, "published": r.published, "source": r.source,
         "duplicate_of": r.duplicate_of, "snippet": marked.get(aid), "rank": rank}
        for aid, rank in ranked if (r := arts.get(aid)) is not None
    ]


def match_count(conn: Connection, query: SearchQuery, cap: int | None = None) -> int:
    """How many articles match, near-duplicates included; at most `cap` + 1 are counted (every
    match is a heap row to visit here, ~1 s for 90,000)."""
    params: dict[str, Any] = {}
    limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
    return conn.execute(text(_query_sql(query, params) + "SELECT count(*) FROM (SELECT 1 FROM q, articles_fts f "
                             f"WHERE f.doc @@ q.query{limit}) m"), params).scalar_one()


def add_search_order(conn: Connection) -> None:
    """A sequence number on the full-text rows, in the order they were written, so search can rank
    the newest matches without reading every match (migration 4; SQLite has its rowid)."""
    conn.exec_driver_sql("ALTER TABLE articles_fts ADD COLUMN IF NOT EXISTS seq BIGSERIAL")


def index_search_order(conn: Connection) -> None:
    """An index on the full-text rows' order (migration 5), so a common word's newest matches are
    read newest first until the window is full, instead of every match being fetched and sorted."""
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_fts_seq ON articles_fts (seq)")
