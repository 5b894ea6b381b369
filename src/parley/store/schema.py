"""The store's tables, as SQLAlchemy Core metadata (no ORM), portable to SQLite and PostgreSQL.

Every child table carries `article_id` with ON DELETE CASCADE, so deleting an article removes
all of its rows. Entity, quote and event ids ("e1", "q1", "v1") are local to their article, hence
the composite keys. `articles.document` keeps the whole `Document.to_dict()`, which is what `get`
returns; the other columns are the queryable projection of it.

The full-text index is not here: it is dialect-specific (an FTS5 virtual table on SQLite, a table
of tsvectors under a GIN index on PostgreSQL) and is created by the migrations through
`parley.store.dialect`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _article_fk() -> ForeignKey:
    return ForeignKey("articles.id", ondelete="CASCADE")


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String, nullable=False),
    Column("applied_at", String, nullable=False),  # ISO 8601 UTC
)

articles = Table(
    "articles",
    metadata,
    Column("id", String, primary_key=True),
    Column("file", String),
    Column("url", String),
    Column("source", String),
    Column("published", String),  # ISO date string, compared as text
    Column("headline", Text),
    Column("dateline", String),
    Column("language", String),
    Column("text", Text, nullable=False),
    Column("captions", JSON),
    Column("document", JSON, nullable=False),  # the whole Document.to_dict()
    Column("duplicate_of", String, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("minhash", LargeBinary),  # MinHash signature, for verifying band candidates
    Column("ingested_at", String, nullable=False),  # ISO 8601 UTC
    Index("ix_articles_published", "published"),
    Index("ix_articles_duplicate_of", "duplicate_of"),
    Index("ix_articles_ingested_at", "ingested_at"),
)

entities = Table(
    "entities",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("id", String, nullable=False),
    Column("type", String, nullable=False),
    Column("name", String, nullable=False),
    Column("aliases", JSON),
    Column("names_lc", Text, nullable=False),  # name and aliases, lower-cased, one a line: for matching
    Column("country", String),
    Column("sector", String),
    Column("geo", JSON),
    PrimaryKeyConstraint("article_id", "id"),
    Index("ix_entities_type_name", "type", "name"),
    Index("ix_entities_name", "name"),
    Index("ix_entities_country", "country"),
)


def _entity_fk(column: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["article_id", column], ["entities.article_id", "entities.id"], ondelete="CASCADE"
    )


mentions = Table(
    "mentions",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("entity_id", String, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    _entity_fk("entity_id"),
    Index("ix_mentions_entity", "article_id", "entity_id"),
)

roles = Table(
    "roles",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("entity_id", String, nullable=False),
    Column("title", String, nullable=False),
    Column("of", String),
    Column("start", Integer),
    Column("end", Integer),
    _entity_fk("entity_id"),
    Index("ix_roles_entity", "article_id", "entity_id"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("id", String, nullable=False),
    Column("speaker", String),  # entity id; no FK so a dangling id never blocks a store
    Column("speaker_text", Text),
    Column("cue", String),
    Column("kind", String),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("stance", Float),
    PrimaryKeyConstraint("article_id", "id"),
    Index("ix_quotes_speaker", "article_id", "speaker"),
    Index("ix_quotes_kind", "kind"),
    Index("ix_quotes_cue", "cue"),
)

events = Table(
    "events",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("id", String, nullable=False),
    Column("type", String, nullable=False),
    Column("mode", String),
    Column("location", String),  # entity id
    Column("date_start", String),
    Column("date_end", String),
    Column("date_text", Text),
    Column("precision", String),
    # The date used by since/until: the event's own date when it has a full one, else the
    # article's published date. Computed at write time so the filter can use an index.
    Column("when_start", String),
    Column("when_end", String),
    Column("trigger_text", Text),
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("sentence_start", Integer),
    Column("sentence_end", Integer),
    Column("negated", Boolean, nullable=False, default=False),
    Column("hypothetical", Boolean, nullable=False, default=False),
    Column("confidence", Float),
    PrimaryKeyConstraint("article_id", "id"),
    Index("ix_events_type", "type"),
    Index("ix_events_when", "when_start", "when_end"),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("event_id", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("role", String, nullable=False),  # 'actor' | 'recipient'
    ForeignKeyConstraint(
        ["article_id", "event_id"], ["events.article_id", "events.id"], ondelete="CASCADE"
    ),
    Index("ix_participants_event", "article_id", "event_id"),
    Index("ix_participants_entity", "article_id", "entity_id"),
)

event_sectors = Table(
    "event_sectors",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("event_id", String, nullable=False),
    Column("sector", String, nullable=False),
    ForeignKeyConstraint(
        ["article_id", "event_id"], ["events.article_id", "events.id"], ondelete="CASCADE"
    ),
    Index("ix_event_sectors_sector", "sector"),
    Index("ix_event_sectors_event", "article_id", "event_id"),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("article_id", String, _article_fk(), nullable=False),
    Column("band", Integer, nullable=False),
    Column("hash", BigInteger, nullable=False),
    PrimaryKeyConstraint("article_id", "band"),
    Index("ix_minhash_bands_lookup", "band", "hash"),
)

# Children in the order rows must be written (parents before children).
CHILD_TABLES = (entities, mentions, roles, quotes, events, event_participants, event_sectors, minhash_bands)


# --- views: the store as tables, for people who open it with SQL, datasette or sqlite-utils ------
#
# Created by migration 8 on both databases. Each joins the rows of one kind to the names, places
# and articles they point at, so a reader needs no knowledge of the per-article ids ("e1", "v1");
# `id` (and the participants' `event`) is "<article id>:v1", unique in the store, as in the exports.
# `duplicate_of` is kept so a reader can count canonical articles only (`WHERE duplicate_of IS NULL`),
# as Parley's own lists do. A later migration that rebuilds a table these views read must drop the
# views first and create them again (SQLite checks views when a table is renamed).

VIEWS = ("events_view", "quotes_view", "event_participants_view")

_ARTICLE_COLUMNS = ("a.headline, a.published, a.source, a.url, a.duplicate_of")


def _json_number(dialect: str, column: str, key: str) -> str:
    if dialect == "postgresql":
        return f"CAST({column} ->> '{key}' AS DOUBLE PRECISION)"
    return f"json_extract({column}, '$.{key}')"


def _names(dialect: str, role: str) -> str:
    """The names of an event's actors (or recipients), joined with '; ', as one text column."""
    joined = "string_agg(n.name, '; ' ORDER BY n.name)" if dialect == "postgresql" else "group_concat(n.name, '; ')"
    inner = ("SELECT n.name FROM event_participants p JOIN entities n "
             "ON n.article_id = p.article_id AND n.id = p.entity_id "
             f"WHERE p.article_id = v.article_id AND p.event_id = v.id AND p.role = '{role}'")
    if dialect == "postgresql":
        return f"(SELECT {joined} FROM ({inner}) n)"
    return f"(SELECT {joined} FROM ({inner} ORDER BY n.name) n)"


def view_ddl(dialect: str) -> list[str]:
    """CREATE VIEW statements for `VIEWS`, in the SQL of `dialect` ("sqlite" or "postgresql")."""
    sentence = "substr(a.text, v.sentence_start + 1, v.sentence_end - v.sentence_start)"
    events_view = (
        "CREATE VIEW events_view AS SELECT v.article_id || ':' || v.id AS id, v.article_id, v.id AS event_id, "
        "v.type, v.mode, "
        f"{_names(dialect, 'actor')} AS actors, {_names(dialect, 'recipient')} AS recipients, "
        "v.location AS place_id, l.name AS place, l.country AS place_country, "
        f"{_json_number(dialect, 'l.geo', 'lat')} AS place_lat, {_json_number(dialect, 'l.geo', 'lon')} AS place_lon, "
        "v.date_start, v.date_end, v.date_text, v.precision AS date_precision, v.when_start, v.when_end, "
        "v.negated, v.hypothetical, v.confidence, v.trigger_text AS \"trigger\", "
        f"{sentence} AS sentence, {_ARTICLE_COLUMNS} "
        "FROM events v JOIN articles a ON a.id = v.article_id "
        "LEFT JOIN entities l ON l.article_id = v.article_id AND l.id = v.location"
    )
    quotes_view = (
        "CREATE VIEW quotes_view AS SELECT q.article_id || ':' || q.id AS id, q.article_id, q.id AS quote_id, "
        "q.text, q.kind, q.cue, q.stance, "
        "q.speaker AS speaker_id, s.name AS speaker, s.type AS speaker_type, s.country AS speaker_country, "
        "s.sector AS speaker_sector, q.speaker_text, q.start, q.\"end\", "
        f"{_ARTICLE_COLUMNS} "
        "FROM quotes q JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN entities s ON s.article_id = q.article_id AND s.id = q.speaker"
    )
    participants_view = (
        "CREATE VIEW event_participants_view AS SELECT p.article_id || ':' || p.event_id AS event, "
        "p.article_id, p.event_id, p.role, "
        "p.entity_id, n.name, n.type AS entity_type, n.country, n.sector, "
        "v.type AS event_type, v.mode, v.when_start, v.when_end, v.negated, v.hypothetical, "
        f"{_ARTICLE_COLUMNS} "
        "FROM event_participants p "
        "JOIN events v ON v.article_id = p.article_id AND v.id = p.event_id "
        "JOIN entities n ON n.article_id = p.article_id AND n.id = p.entity_id "
        "JOIN articles a ON a.id = p.article_id"
    )
    return [events_view, quotes_view, participants_view]
