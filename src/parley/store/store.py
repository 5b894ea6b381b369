"""`Store`: where analysed articles live, queryable, through SQLAlchemy Core.

A plain path means SQLite at that path; a URL (sqlite:///..., postgresql://...) goes to SQLAlchemy
as is. Opening creates and migrates the schema. A SQLite store this process cannot write (a
read-only file, folder or mount) is opened for reading only (`read_only` says why, `sqlite.py`
how): every query works, and a write is refused with that reason. Every article is written in one
transaction with all its rows, so a crash leaves each article entirely present or entirely absent.

A write transaction that fails for a passing reason (PostgreSQL: the connection dropped, a
deadlock, the server restarting) was rolled back whole, so it is simply redone, a few times with a
growing pause. Redoing is safe because an article already stored is skipped (`duplicate`): if the
connection dropped just after a commit reached the server, the redo reports that batch's articles
as duplicates, and nothing is lost or stored twice. Reads are redone the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from ..document import Document
from ..errors import StoreConflict, StoreError
from ..frames import Rows
from . import dedupe, dialect, migrations, pipeline, queries, schema, snippets
from .searchquery import parse_query
from .writer import AddResult, write_documents

DEFAULT_PATH = "parley.db"
DEFAULT_THRESHOLD = 0.8
BATCH = 100  # articles per transaction in add_many: fewer fsyncs, still whole-or-nothing each
MIN_PREFIX = 6
# A transaction is tried this often on passing failures, pausing 0.1 s, 0.2 s, 0.4 s ... at most
# 2 s between tries: ~7 s in all, enough for a server restart. Opening tries fewer times, as a
# server that is not there when a command starts is more often a wrong URL than a restart.
ATTEMPTS = 8
OPEN_ATTEMPTS = 3


class ArticleNotFound(StoreError, KeyError):
    """No stored article has this id (or the prefix matches none or several)."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class Store:
    """A store of `parley.article/1` documents with near-duplicate detection and queries.

    `read_only`: why the store can only be read (a read-only SQLite file, folder or mount), or None.
    """

    def __init__(self, url_or_path: str | os.PathLike = DEFAULT_PATH,
                 near_duplicate_threshold: float = DEFAULT_THRESHOLD) -> None:
        self.url = _to_url(url_or_path)
        self.threshold = near_duplicate_threshold
        self._where = _display(url_or_path)
        try:
            self.engine: Engine
            self.engine, self.read_only = dialect.create_engine_for(self.url, self._where)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"{self._where}: cannot open store: {exc}") from exc
        try:
            self.version = self._retry(lambda: migrations.migrate(self.engine, self._where, self.read_only),
                                       OPEN_ATTEMPTS)
        except StoreError:
            self.engine.dispose()
            raise
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"{self._where}: cannot open store: {_reason(exc)}") from exc

    # --- life cycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._where!r})"

    @property
    def name(self) -> str:
        """The store as messages name it: its path, or its URL with any password masked."""
        return self._where

    # --- writing ---------------------------------------------------------------------------------

    def require_writable(self) -> None:
        """Raise the one-line StoreError a write would give, for a store opened read-only: a
        command that writes calls it before it spends time on the articles."""
        if self.read_only is not None:
            raise StoreError(f"{self._where}: cannot write to the store: it is read-only ({self.read_only})")

    def add(self, doc: Document) -> AddResult:
        """Store one document; an id already present is an exact duplicate and changes nothing."""
        return self.add_many([doc])[0]

    def add_many(self, docs: Iterable[Document], batch_size: int = BATCH) -> list[AddResult]:
        """Store many documents, `batch_size` per transaction (each article still all-or-nothing)."""
        self.require_writable()
        results: list[AddResult] = []
        it = iter(docs)
        while batch := list(islice(it, batch_size)):
            sigs = [dedupe.signature(d.article.text) for d in batch]  # CPU work outside the lock
            results += self._write(batch, sigs)
        return results

    def _write(self, batch: list[Document], sigs: list[Any]) -> list[AddResult]:
        """One transaction for the batch, redone whole after a passing failure (module docstring)."""
        try:
            return self._transaction(lambda conn: write_documents(conn, batch, sigs, self.threshold), write=True)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"{self._where}: could not store article {self._culprit(batch, sigs)}: {_reason(exc)} "
                f"(this batch of {len(batch)} was rolled back)") from exc

    def _culprit(self, batch: list[Document], sigs: list[Any]) -> str:
        """The id of the first article of a failed batch that fails on its own, for the message.

        The batch's child rows go in together, so the error alone does not say whose they were;
        the articles are tried one by one in a transaction that is always rolled back.
        """
        try:
            with dialect.write_connection(self.engine) as conn:
                tx = conn.begin()
                try:
                    for doc, sig in zip(batch, sigs):
                        try:
                            write_documents(conn, [doc], [sig], self.threshold)
                        except SQLAlchemyError:
                            return doc.article.id
                finally:
                    tx.rollback()
        except SQLAlchemyError:
            pass
        return batch[0].article.id

    # --- reading one -----------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        a = schema.articles
        return self.read(lambda conn: conn.execute(
            select(a.c.id).where(a.c.id == article_id)).first() is not None)

    def ids(self) -> Iterator[str]:
        """Every stored article's id, so an engine whose readers run elsewhere can skip them."""
        a = schema.articles
        return iter(self.read(lambda conn: conn.execute(select(a.c.id)).scalars().all()))

    def resolve(self, article_id: str) -> str:
        """The full id for an id or a unique prefix of at least 6 characters."""
        a = schema.articles

        def matches(conn: Connection) -> list[str]:
            if conn.execute(select(a.c.id).where(a.c.id == article_id)).first():
                return [article_id]
            if len(article_id) < MIN_PREFIX:
                return []
            return list(conn.execute(select(a.c.id).where(
                a.c.id.startswith(article_id, autoescape=True)).limit(2)).scalars())

        found = self.read(matches)
        if len(found) > 1:
            raise ArticleNotFound(f"article id prefix {article_id!r} is ambiguous: give more characters")
        if not found:
            raise ArticleNotFound(f"no article {article_id!r} in {self._where}")
        return found[0]

    def get(self, article_id: str) -> Document:
        """The very document that was stored (accepts a unique id prefix of >= 6 characters)."""
        full = self.resolve(article_id)
        a = schema.articles
        data = self.read(lambda conn: conn.execute(select(a.c.document).where(a.c.id == full)).scalar_one())
        return Document.from_dict(data)

    def iter_documents(self, include_duplicates: bool = True, batch_size: int = 200) -> Iterator[Document]:
        """Every stored document, by id, read in short transactions (no long-held snapshot)."""
        a = schema.articles
        last = None
        while True:
            q = select(a.c.id, a.c.document).order_by(a.c.id).limit(batch_size)
            if last is not None:
                q = q.where(a.c.id > last)
            if not include_duplicates:
                q = q.where(a.c.duplicate_of.is_(None))
            rows = self.read(lambda conn, q=q: conn.execute(q).all())
            if not rows:
                return
            for row in rows:
                yield Document.from_dict(row.document)
            last = rows[-1].id

    # --- queries ---------------------------------------------------------------------------------
    # Listings return every row that matches unless `limit` says otherwise: a silent cut would be
    # taken for all there is.

    def articles(self, since: str | date | None = None, until: str | date | None = None,
                 include_duplicates: bool = False, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Article metadata with entity/mention/quote/event counts, newest first."""
        return self.read(queries.articles, since=since, until=until,
                           include_duplicates=include_duplicates, limit=limit, offset=offset)

    def search(self, query: str, include_duplicates: bool = False, limit: int | None = 20,
               offset: int = 0, window: int | None = None, snippets: bool = True) -> list[dict]:
        """Full-text search over headline, body and quotes, by word stems: words and "phrases" (all
        required), `A OR B`, `-word` or `NOT word` to exclude, `word*` for a prefix
        (`queries.parse_query`). Any input is safe. `rank`: higher is better.

        With `window`, only the newest `window` matching articles are ranked: a word found in most
        of a large store is then ranked in milliseconds instead of seconds (`search_count` says
        how many match in all). Without `snippets`, each hit's snippet is None: the database's snippet
        re-runs the query per row, slow for a common prefix; `snippets` makes them for a page of hits."""
        parsed = parse_query(query)
        if not parsed:
            return []
        return self.read(dialect.search, query=parsed, include_duplicates=include_duplicates,
                           limit=limit, offset=offset, window=window, snippets=snippets)

    def snippets(self, query: str, article_ids: list[str]) -> dict[str, str]:
        """A snippet of each article around the words of `query`, matched words in [ ] (`snippets.py`)."""
        parsed = parse_query(query)
        return self.read(snippets.for_articles, article_ids=article_ids, query=parsed) if parsed else {}

    def search_count(self, query: str, cap: int | None = None) -> int:
        """How many articles match `query`, near-duplicates included; with `cap`, a count above it
        stops at `cap` + 1 (PostgreSQL visits each match to count it)."""
        parsed = parse_query(query)
        return self.read(dialect.match_count, query=parsed, cap=cap) if parsed else 0

    def entities(self, type: str | None = None, name: str | None = None,
                 include_duplicates: bool = False, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Entities aggregated across articles by (type, name), most frequent first."""
        return self.read(queries.entities, type=type, name=name,
                           include_duplicates=include_duplicates, limit=limit, offset=offset)

    def people(self, name: str | None = None, include_duplicates: bool = False,
               limit: int | None = None, offset: int = 0) -> list[dict]:
        """`entities(type="PERSON")`."""
        return self.entities("PERSON", name, include_duplicates, limit, offset)

    def quotes(self, speaker: str | None = None, article_id: str | None = None, kind: str | None = None,
               cue: str | None = None, include_duplicates: bool = False,
               limit: int | None = None, offset: int = 0, *, speaker_country: str | None = None,
               organisation: str | None = None, min_stance: float | None = None,
               max_stance: float | None = None) -> Rows:
        """Quotes with their speaker's country, roles and affiliations.

        `speaker` matches the speaker's name, aliases or speaker_text (substring, any case);
        `organisation` matches the `of` of any of the speaker's roles, or an ORG/GROUP speaker's own
        names (substring, any case); the stance bounds are inclusive and leave out quotes without one.
        """
        return Rows(self.read(queries.quotes, speaker=speaker, article_id=article_id, kind=kind, cue=cue,
                                speaker_country=speaker_country, organisation=organisation,
                                min_stance=min_stance, max_stance=max_stance,
                                include_duplicates=include_duplicates, limit=limit, offset=offset))

    def events(self, type: str | None = None, country: str | None = None, sector: str | None = None,
               since: str | date | None = None, until: str | date | None = None,
               actor: str | None = None, include_duplicates: bool = False,
               limit: int | None = None, offset: int = 0, *, mode: str | None = None,
               recipient: str | None = None, place: str | None = None,
               include_negated: bool = True) -> Rows:
        """Events; `country` is any participant's, dates are the event's own else the article's.
        A list of dicts, with `.to_pandas()` for a DataFrame (pandas, an optional extra).

        `actor`/`recipient` match a participant's name or aliases in that role (substring, any
        case); `place` the location entity's name (substring, any case); `mode` the PLOVER mode.
        """
        return Rows(self.read(queries.events, type=type, country=country, sector=sector, since=since,
                                until=until, actor=actor, include_duplicates=include_duplicates,
                                limit=limit, offset=offset, mode=mode, recipient=recipient, place=place,
                                include_negated=include_negated))

    def opportunities(self, sector: str | None = None, country: str | None = None,
                      since: str | date | None = None, until: str | date | None = None,
                      include_duplicates: bool = False, limit: int | None = None,
                      offset: int = 0) -> list[dict]:
        """Stated intents to cooperate (AGREE events, not negated), newest first, with evidence:
        the quote overlapping the event, else its sentence. `country` matches actor or recipient."""
        return self.read(queries.opportunities, sector=sector, country=country, since=since,
                           until=until, include_duplicates=include_duplicates, limit=limit, offset=offset)

    def pipeline(self, sector: str | None = None, country: str | None = None, stage: str | None = None,
                 since: str | date | None = None, until: str | date | None = None,
                 include_duplicates: bool = False, limit: int | None = None, offset: int = 0,
                 evidence: int | None = None) -> list[dict]:
        """The opportunity pipeline (`pipeline.py`): each cooperation between two sides in a sector at
        the furthest stage its events show (intent, agreement, under_way), with evidence per stage:
        the newest `evidence` pieces of each (all when None) and `evidence_total`, how many."""
        return self.read(pipeline.pipeline, sector=sector, country=country, stage=stage, since=since,
                           until=until, include_duplicates=include_duplicates, limit=limit, offset=offset,
                           evidence=evidence)

    def pipeline_page(self, sector: str | None = None, country: str | None = None, stage: str | None = None,
                      since: str | date | None = None, until: str | date | None = None,
                      include_duplicates: bool = False, limit: int | None = None,
                      offset: int = 0, evidence: int | None = None) -> tuple[list[dict], int]:
        """`pipeline` and its total (`total("pipeline", ...)`) at once: a page dated by months sums its
        opportunities once for both (`pipeline.page_and_total`)."""
        return self.read(pipeline.page_and_total, sector=sector, country=country, stage=stage, since=since,
                         until=until, include_duplicates=include_duplicates, limit=limit, offset=offset,
                         evidence=evidence)

    def visits(self, place: str | Any = None, visitor_country: str | None = None,
               since: str | date | None = None, until: str | date | None = None, sector: str | None = None,
               include_duplicates: bool = False, limit: int | None = None, offset: int = 0) -> Rows:
        """Visits, courtesy calls, meetings and signings, one row per visit with whom the visitors met
        and their stated intents (`visits.py`). `place`: a name the gazetteer knows, matching every
        place inside it (an unknown name is a FilterError), or a `visits.PlaceScope`."""
        from . import visits

        scope = visits.check_place("place", place) if isinstance(place, str) else place
        return Rows(self.read(visits.visits, place=scope, visitor_country=visitor_country, since=since,
                                until=until, sector=sector, include_duplicates=include_duplicates,
                                limit=limit, offset=offset))

    def total(self, listing: str, **filters: Any) -> int:
        """How many rows `listing` ("articles", "entities", "quotes", "events", "opportunities" or
        "pipeline") selects with the filters of its method, counted by the database: a cut listing
        can say "50 of 812"."""
        if listing == "pipeline":
            return self.read(pipeline.total, **{k: v for k, v in filters.items() if k not in ("limit", "offset")})
        if listing not in ("articles", "entities", "quotes", "events", "opportunities"):
            raise ValueError(f"no total for {listing!r}")
        return self.read(queries.count_rows(getattr(queries, listing)), **filters)

    def counts(self) -> dict[str, int]:
        """Totals, near-duplicates excluded (reported apart as `near_duplicates`)."""
        return self.read(queries.counts)

    # --- plumbing --------------------------------------------------------------------------------

    def read(self, fn: Any, **kwargs: Any) -> Any:
        """`fn(conn, **kwargs)` in one read transaction; database errors become StoreError.

        The store's read interface for what its methods above do not cover: the query functions of
        the store package (`queries`, `aggregates`, `resolved`, `visits`, `countries`, `pipeline`)
        and the tables of modules that keep their own (watch, alerts, resolution)."""
        try:
            return self._transaction(lambda conn: fn(conn, **kwargs))
        except SQLAlchemyError as exc:
            raise StoreError(f"{self._where}: {_reason(exc)}") from exc

    def write(self, fn: Any, **kwargs: Any) -> Any:
        """`fn(conn, **kwargs)` in one write transaction, committed whole or not at all, redone after
        a passing failure; a key the row breaks is a StoreConflict, other database errors StoreError.
        The write interface of modules that keep tables of their own (watch, alerts, resolution); a
        store opened read-only refuses it with the reason (`require_writable`)."""
        self.require_writable()
        try:
            return self._transaction(lambda conn: fn(conn, **kwargs), write=True)
        except IntegrityError as exc:
            raise StoreConflict(f"{self._where}: {_reason(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"{self._where}: {_reason(exc)}") from exc

    def _transaction(self, fn: Any, write: bool = False) -> Any:
        """`fn(conn)` in one transaction, committed; redone after a passing failure (module docstring)."""
        def once() -> Any:
            connection = dialect.write_connection(self.engine) if write else self.engine.connect()
            with connection as conn, conn.begin():
                return fn(conn)

        return self._retry(once)

    def _retry(self, fn: Any, attempts: int | None = None) -> Any:
        """`fn()`, called again after a passing database failure, up to `attempts` times in all."""
        attempts = ATTEMPTS if attempts is None else attempts
        for attempt in range(attempts):
            try:
                return fn()
            except SQLAlchemyError as exc:
                if attempt + 1 < attempts and dialect.is_transient(self.engine, exc):
                    time.sleep(min(0.1 * 2 ** attempt, 2.0))
                    continue
                raise
        raise AssertionError("unreachable")


def _display(url_or_path: str | os.PathLike) -> str:
    """How the store is named in messages: as given, but a URL's password masked."""
    raw = os.fspath(url_or_path)
    if "://" not in raw:
        return raw
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except ArgumentError:
        return raw


def _to_url(url_or_path: str | os.PathLike) -> str:
    """A SQLAlchemy URL; plain paths are SQLite files, checked so failures say why."""
    raw = os.fspath(url_or_path)
    if raw.startswith("postgres://"):  # the scheme many hosts hand out; SQLAlchemy wants postgresql://
        raw = "postgresql://" + raw[len("postgres://"):]
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError as exc:
            raise StoreError(f"{raw}: not a database URL: {exc}") from exc
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            _check_sqlite_path(Path(url.database), raw)
        return raw
    if raw == ":memory:":
        return "sqlite://"
    path = Path(raw).expanduser()
    _check_sqlite_path(path, raw)
    return f"sqlite:///{path.resolve()}"


def _check_sqlite_path(path: Path, where: str) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise StoreError(f"{where}: is a directory, not a store file")
    if not parent.exists():
        raise StoreError(f"{where}: cannot create store: directory {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise StoreError(f"{where}: cannot create store: {str(parent)!r} is not a directory")
    if path.exists():  # one that cannot be written is opened read-only (sqlite.py)
        if not os.access(path, os.R_OK):
            raise StoreError(f"{where}: store file is not readable")
    elif not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"{where}: cannot create store: directory {str(parent)!r} is not writable")


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig) if orig is not None else str(exc).splitlines()[0]
