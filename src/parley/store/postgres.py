"""PostgreSQL specifics, kept to the same small surface as `sqlite.py`.

NOT YET EXERCISED BY THE TESTS: written so PostgreSQL can serve through the same code later, but
only SQLite is supported today. Full-text search uses a side table with a weighted tsvector and a
GIN index; migrations serialise on an advisory lock.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine

_MIGRATION_LOCK_KEY = 0x7061726C6579  # "parley"


def create_postgres_engine(url: str) -> Engine:
    return create_engine(url, json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False))


def migration_lock(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})


def create_fts(conn: Connection) -> None:
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS articles_fts ("
        "article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, "
        "body TEXT NOT NULL, doc TSVECTOR NOT NULL)"
    )
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_fts_doc ON articles_fts USING GIN (doc)")


def index_text(conn: Connection, article_id: str, headline: str, body: str, quotes: str) -> None:
    conn.execute(
        text(
            "INSERT INTO articles_fts (article_id, body, doc) VALUES (:a, :all, "
            "setweight(to_tsvector('simple', :h), 'A') || to_tsvector('simple', :b) "
            "|| to_tsvector('simple', :q))"
        ),
        {"a": article_id, "h": headline, "b": body, "q": quotes, "all": f"{headline}\n{body}\n{quotes}"},
    )


def search(conn: Connection, terms: list[tuple[str, bool]], include_duplicates: bool,
           limit: int | None, offset: int) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    parts = []
    for i, (term, prefix) in enumerate(terms):
        params[f"t{i}"] = term
        parts.append(f"phraseto_tsquery('simple', :t{i})")  # prefix search not supported here
    query = " && ".join(parts)
    sql = (
        f"SELECT a.id, a.headline, a.published, a.source, a.duplicate_of, "
        f"ts_headline('simple', f.body, {query}, 'StartSel=[,StopSel=],MaxWords=16') AS snippet, "
        f"ts_rank(f.doc, {query}) AS rank "
        f"FROM articles_fts f JOIN articles a ON a.id = f.article_id WHERE f.doc @@ ({query})"
        + ("" if include_duplicates else " AND a.duplicate_of IS NULL")
        + " ORDER BY rank DESC, a.id LIMIT :limit OFFSET :offset"
    )
    return [
        {"id": r.id, "headline": r.headline, "published": r.published, "source": r.source,
         "duplicate_of": r.duplicate_of, "snippet": r.snippet, "rank": float(r.rank)}
        for r in conn.execute(text(sql), params)
    ]
