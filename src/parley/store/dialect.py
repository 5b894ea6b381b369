"""Everything that differs between databases, looked up by SQLAlchemy dialect name.

The rest of the store is plain SQLAlchemy Core; anything dialect-specific (engine pragmas,
full-text search, upserts, migration locking) goes through the small functions here.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine, make_url

from ..errors import StoreError
from . import postgres, sqlite
from .searchquery import SearchQuery


def _module(name: str) -> ModuleType:
    try:
        return {"sqlite": sqlite, "postgresql": postgres}[name]
    except KeyError:
        raise StoreError(f"unsupported database {name!r}: Parley's store supports sqlite and postgresql") from None


def create_engine_for(url: str, where: str) -> tuple[Engine, str | None]:
    """The engine for `url`, and why the store can only be read (None: it can be written).

    A SQLite file this process cannot write is opened read-only (`sqlite.py`); `where` names the
    store in the message when even that is not safe."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine, access = sqlite.create_sqlite_engine(url, where)
        return engine, access.read_only
    if backend == "postgresql":
        return postgres.create_postgres_engine(url), None
    _module(backend)  # raises
    raise AssertionError


def insert_ignore(conn: Connection, table: Table, key: list[str]) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING: the exact-duplicate rule, race-free across processes."""
    return _insert_ignore(conn.dialect.name, table, tuple(key))


@lru_cache(maxsize=None)
def _insert_ignore(name: str, table: Table, key: tuple[str, ...]) -> Any:
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        _module(name)
    return insert(table).on_conflict_do_nothing(index_elements=key)


def write_connection(engine: Engine) -> Connection:
    """A connection whose transactions take the write lock up front: BEGIN IMMEDIATE on SQLite,
    an advisory lock on PostgreSQL (see `postgres.py`)."""
    return engine.connect().execution_options(parley_write=True)


def migration_lock(conn: Connection) -> None:
    """Serialise concurrent migrators. SQLite's BEGIN IMMEDIATE already does; Postgres needs a lock."""
    if conn.dialect.name == "postgresql":
        postgres.migration_lock(conn)


def is_transient(engine: Engine, exc: BaseException) -> bool:
    """Whether a failed write transaction (rolled back whole) is worth redoing: a dropped
    connection, a deadlock, the server restarting. SQLite has none of these: its writers queue
    on the busy timeout, and a failure after it is reported, not retried."""
    return engine.dialect.name == "postgresql" and postgres.is_transient(exc)


def create_fts(conn: Connection) -> None:
    _module(conn.dialect.name).create_fts(conn)


def index_text(conn: Connection, article_id: str, headline: str, body: str, quotes: str) -> None:
    index_texts(conn, [{"article_id": article_id, "headline": headline, "body": body, "quotes": quotes}])


def index_texts(conn: Connection, rows: list[dict[str, str]]) -> None:
    """Full-text rows for stored articles: dicts of article_id, headline, body and quotes."""
    _module(conn.dialect.name).index_texts(conn, rows)


def search(conn: Connection, query: SearchQuery, include_duplicates: bool,
           limit: int | None, offset: int, window: int | None = None, snippets: bool = True) -> list[dict[str, Any]]:
    """Ranked matches among the newest `window` matching articles (all when None)."""
    return _module(conn.dialect.name).search(conn, query, include_duplicates, limit, offset, window, snippets)


def match_count(conn: Connection, query: SearchQuery, cap: int | None = None) -> int:
    """How many articles match the query, near-duplicates included; above `cap`, `cap` + 1."""
    return _module(conn.dialect.name).match_count(conn, query, cap)


def stem_search(conn: Connection) -> None:
    """Rebuild the full-text index to match by word stems (migration 6)."""
    _module(conn.dialect.name).stem_search(conn)


def add_search_order(conn: Connection) -> None:
    _module(conn.dialect.name).add_search_order(conn)


def index_search_order(conn: Connection) -> None:
    _module(conn.dialect.name).index_search_order(conn)


def upsert(conn: Connection, table: Table, key: list[str], update: Any) -> Any:
    """INSERT ... ON CONFLICT (key) DO UPDATE SET `update(excluded)`: the summaries' running sums.
    `update` maps the incoming row's columns (`excluded`) to the new values."""
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        _module(conn.dialect.name)
    stmt = insert(table)
    return stmt.on_conflict_do_update(index_elements=key, set_=update(stmt.excluded))


def param_mark(conn: Connection) -> str:
    """The driver's placeholder for SQL written by hand (`exec_driver_sql`): "?" or "%s"."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def by_code_point(conn: Connection, col: Any) -> Any:
    """`col` compared by code point, as Python compares strings (PostgreSQL's collation may not)."""
    return col.collate("C") if conn.dialect.name == "postgresql" else col


def code_point_collation(conn: Connection) -> str:
    """`by_code_point` for SQL written by hand: the COLLATE clause to put after a column, or ""."""
    return ' COLLATE "C"' if conn.dialect.name == "postgresql" else ""
