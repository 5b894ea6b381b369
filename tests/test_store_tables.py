"""The store as tables, as people read it with SQL, datasette or sqlite-utils (README, "The store
as tables"): the full-text index where those tools look for it, views that join events, quotes and
participants to names and articles, summary tables that read as internal, and migration 8, which
makes an older store so.

Tests that take `store_url` run on SQLite and on PostgreSQL; the full-text ones are SQLite's (the
tools that detect the index read SQLite only).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from parley.store import Store, migrations, sqlite as sqlite_store, summary
from parley.store.dialect import write_connection

from .test_store import make_doc, other_doc, sql

# What datasette (utils.detect_fts_sql, 0.65) and sqlite-utils (Table.detect_fts, 4.x) ask
# sqlite_master to find the full-text table of `articles`, copied as they write it.
DETECT_FTS = """
    SELECT name FROM sqlite_master
        WHERE rootpage = 0
        AND (
            sql LIKE :like
            OR sql LIKE :like2
            OR (
                tbl_name = :table
                AND sql LIKE '%VIRTUAL TABLE%USING FTS%'
            )
        )
"""
# ... and how they then search with it: datasette's ?_search= filter (fts_pk defaults to rowid) and
# sqlite-utils' search_sql (the table's rowid joined to the index's).
DATASETTE_SEARCH = "SELECT id FROM articles WHERE rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH :q)"
SQLITE_UTILS_SEARCH = ("WITH original AS (SELECT rowid, * FROM articles) SELECT original.id FROM original "
                       "JOIN {fts} ON original.rowid = {fts}.rowid WHERE {fts} MATCH :q ORDER BY {fts}.rank")


def _detect(conn: sqlite3.Connection, table: str = "articles") -> str | None:
    row = conn.execute(DETECT_FTS, {"like": f"%VIRTUAL TABLE%USING FTS%content=[{table}]%",
                                    "like2": f'%VIRTUAL TABLE%USING FTS%content="{table}"%',
                                    "table": table}).fetchone()
    return row[0] if row else None


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "parley.db"
    with Store(path) as store:
        store.add_many([make_doc(), other_doc()])
    return path


def _ids(conn: sqlite3.Connection, sql: str, q: str) -> list[str]:
    fts = _detect(conn)
    assert fts is not None
    return [r[0] for r in conn.execute(sql.format(fts=fts), {"q": q})]


# --- the full-text index, as datasette and sqlite-utils find it -----------------------------------

def test_datasette_and_sqlite_utils_detect_the_full_text_index(db: Path) -> None:
    conn = sqlite3.connect(db)
    assert _detect(conn) == "articles_fts"
    a, b = make_doc().article.id, other_doc().article.id
    for search in (DATASETTE_SEARCH, SQLITE_UTILS_SEARCH):
        assert _ids(conn, search, "Odhiambo") == [b]  # body text
        assert _ids(conn, search, "mayors") == [a]  # headline, any case
        assert sorted(_ids(conn, search, "visits")) == [a, b]  # by stems: "visited"


def test_sqlite_utils_itself_searches_the_store(db: Path) -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")
    table = sqlite_utils.Database(db)["articles"]
    assert table.detect_fts() == "articles_fts"
    assert [r["id"] for r in table.search("Odhiambo", columns=["id"])] == [other_doc().article.id]


def test_parley_search_still_ranks_and_marks_the_words(db: Path) -> None:
    with Store(db) as store:
        hits = store.search("Odhiambo")
        assert [h["id"] for h in hits] == [other_doc().article.id]
        assert "[Odhiambo]" in hits[0]["snippet"]
        assert [h["id"] for h in store.search("visit", window=1)] == [other_doc().article.id]  # the newest
        assert store.search_count("visit") == 2


def test_the_index_follows_rows_written_by_others_and_a_vacuum(tmp_path: Path) -> None:
    """Triggers keep the index whoever writes `articles`; VACUUM keeps the rowids it is keyed by."""
    path = tmp_path / "parley.db"
    docs = [make_doc(c * 40, seed=i, person=f"Person{c.upper()} Quill") for i, c in enumerate("abc")]
    with Store(path) as store:
        store.add_many(docs)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM articles WHERE id = ?", ("a" * 40,))
    conn.execute("UPDATE articles SET headline = 'Quarterly Xylophone Summit' WHERE id = ?", ("c" * 40,))
    conn.execute("VACUUM")
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    assert _ids(conn, DATASETTE_SEARCH, "PersonA") == []
    assert _ids(conn, DATASETTE_SEARCH, "PersonB") == ["b" * 40]
    assert _ids(conn, DATASETTE_SEARCH, "xylophone") == ["c" * 40]
    conn.close()
    with Store(path) as store:
        assert [h["id"] for h in store.search("PersonC")] == ["c" * 40]
        assert [h["id"] for h in store.search("quill", window=1)] == ["c" * 40]  # the newest still last


# --- views --------------------------------------------------------------------------------------

def test_views_join_events_quotes_and_participants_to_names_and_articles(store_url: str) -> None:
    with Store(store_url) as store:
        store.add(make_doc())
        aid = make_doc().article.id
        events = sql(store, "SELECT event_id, type, actors, recipients, place, place_country, place_lat, "
                            "headline, published, sentence FROM events_view ORDER BY event_id")
        assert events[0][:8] == ("v1", "CONSULT", "Richard Parker", "Chongqing", "Chongqing", "CHN", 29.56,
                                 "British Mayors Seek Deals")
        assert events[0][8] == "2025-03-21" and events[0][9] == make_doc().article.text[0:40]
        assert events[1][:5] == ("v2", "AGREE", "Changan Automobile", "Richard Parker", None)
        assert sql(store, "SELECT id FROM events_view ORDER BY id") == [(f"{aid}:v1",), (f"{aid}:v2",)]
        assert sql(store, "SELECT id FROM quotes_view ORDER BY id") == [(f"{aid}:q1",), (f"{aid}:q2",)]
        assert sql(store, "SELECT DISTINCT event FROM event_participants_view ORDER BY event") == \
            [(f"{aid}:v1",), (f"{aid}:v2",)]
        quotes = sql(store, "SELECT quote_id, speaker, speaker_country, speaker_text, text, article_id "
                            "FROM quotes_view ORDER BY quote_id")
        assert quotes == [("q1", "Richard Parker", "GBR", "He", "the zephyrine city is dynamic", aid),
                          ("q2", None, None, "an official", "We welcome partners", aid)]
        parts = sql(store, "SELECT event_id, role, name, entity_type, country, event_type, headline "
                           "FROM event_participants_view ORDER BY event_id, role")
        assert parts == [("v1", "actor", "Richard Parker", "PERSON", "GBR", "CONSULT", "British Mayors Seek Deals"),
                         ("v1", "recipient", "Chongqing", "GPE", "CHN", "CONSULT", "British Mayors Seek Deals"),
                         ("v2", "actor", "Changan Automobile", "ORG", "CHN", "AGREE", "British Mayors Seek Deals"),
                         ("v2", "recipient", "Richard Parker", "PERSON", "GBR", "AGREE", "British Mayors Seek Deals")]


# --- summary tables read as internal --------------------------------------------------------------

def test_summary_tables_are_named_as_internal(store_url: str) -> None:
    with Store(store_url) as store:
        with store.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
    derived = {t.name for t in summary.TABLES}
    assert derived <= names and all(n.startswith("_summary_") for n in derived)
    core = {n for n in names if not n.startswith("_summary_") and not n.startswith("articles_fts")}
    assert core >= {"articles", "entities", "mentions", "roles", "quotes", "events", "event_participants",
                    "event_sectors", "minhash_bands", "schema_version"}
    assert not core & {"entity_stats", "event_counts", "summary_totals", "network_edges"}


# --- migration 8 on a store made before it --------------------------------------------------------

def _v1_index(conn, rows) -> None:
    conn.execute(text("INSERT INTO articles_fts (article_id, headline, body, quotes) "
                      "VALUES (:article_id, :headline, :body, :quotes)"), rows)


def _store_before_8(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store as the migrations before 8 left it: the full-text index with its own copy of the texts,
    the summary tables under their old names."""
    before = [m for m in migrations.MIGRATIONS if m[0] < 8]
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", before)
        m.setattr(migrations, "LATEST", before[-1][0])
        m.setattr(sqlite_store, "index_texts", _v1_index)
        with Store(url) as store:
            store.add_many([make_doc(), other_doc()])
            with write_connection(store.engine) as conn, conn.begin():
                for table in summary.TABLES:
                    conn.exec_driver_sql(f'ALTER TABLE "{table.name}" RENAME TO {summary.OLD_NAMES[table.name]}')


def test_migration_8_brings_an_older_store_to_the_tables(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_before_8(store_url, monkeypatch)
    with Store(store_url) as store:
        assert store.version == migrations.LATEST
        counts = store.counts()
        assert counts["articles"] == 2 and counts["events"] == 4
        assert [h["id"] for h in store.search("Odhiambo")] == [other_doc().article.id]
        assert [h["id"] for h in store.search("zephyrine", window=1)] == [other_doc().article.id]
        assert sql(store, "SELECT count(*) FROM events_view") == [(4,)]
        assert sql(store, "SELECT n FROM _summary_totals WHERE name = 'articles'") == [(2,)]
        with store.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
        assert not names & set(summary.OLD_NAMES.values())
        if store.engine.dialect.name == "sqlite":
            assert sql(store, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts' "
                              "AND sql LIKE '%content=\"articles\"%'") == [(1,)]
            with store.engine.connect() as conn:
                conn.exec_driver_sql("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
