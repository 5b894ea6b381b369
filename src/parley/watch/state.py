"""A watcher's memory, kept in the store so that a restart (or a SIGKILL) forgets nothing.

- `watch_sources`: one row per watched source: where it is and its kind, its interval, the
  validators of its last answer (ETag / Last-Modified; for a local file its size and time), its
  health (polls, 304s, failures in a row and in all, last success, last error) and its next poll.
- `watch_items`: what was seen in each source, by key: a feed entry's id (else its link), a stored
  article's id, a file's path with its size and time. A stored article's row is written in the same
  transaction as the article (`IngestWriter`), so an entry is either stored and marked seen, or
  neither: a watcher killed mid-poll reads again only what it had not stored. Bounded: an item
  seen more than `WatchOptions.keep_seen` ago (30 days) that its source no longer lists is
  forgotten after the source's next complete answer (`prune`).

Created by migration 9 (`create`). Times are ISO 8601 UTC text (`clock.iso`), compared as text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection

from .clock import iso

metadata = MetaData()

watch_sources = Table(
    "watch_sources", metadata,
    Column("id", String, primary_key=True),  # sha1 of the location, 16 hex digits
    Column("location", Text, nullable=False),  # the URL, or the absolute path of a folder or file
    Column("kind", String, nullable=False),  # url | folder | file
    Column("every_s", Float, nullable=False),
    Column("added_at", String, nullable=False),
    Column("etag", Text),  # a file's "size:mtime_ns"
    Column("last_modified", Text),
    Column("polls", Integer, nullable=False),
    Column("not_modified", Integer, nullable=False),
    Column("failures", Integer, nullable=False),  # in a row; 0 after a success
    Column("failures_total", Integer, nullable=False),
    Column("items", Integer, nullable=False),  # articles stored from it
    Column("last_poll", String),
    Column("last_status", String),
    Column("last_success", String),
    Column("last_error", Text),
    Column("last_error_at", String),
    Column("next_poll", String, nullable=False),
    Index("ix_watch_sources_next_poll", "next_poll"),
)

watch_items = Table(
    "watch_items", metadata,
    Column("source_id", String, nullable=False),
    Column("key", Text, nullable=False),
    Column("status", String, nullable=False),  # stored | read (a duplicate, a file read, an entry skipped)
    Column("article_id", String),
    Column("seen_at", String, nullable=False),
    PrimaryKeyConstraint("source_id", "key"),
    Index("ix_watch_items_seen", "source_id", "status", "seen_at"),
)

_MAX_KEY = 500  # longer keys (a data: link, a huge id) are kept as their hash: index entries stay small


def create(conn: Connection) -> None:
    """Migration 9: the two tables."""
    metadata.create_all(conn)


def source_id(location: str) -> str:
    return hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]


def item_key(key: str) -> str:
    return key if len(key) <= _MAX_KEY else "sha1:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


@dataclass
class Source:
    """A watched source as the loop needs it."""

    id: str
    location: str
    kind: str
    every: float
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll: str = ""


def _source(row: Any) -> Source:
    return Source(row.id, row.location, row.kind, row.every_s, row.etag, row.last_modified, row.failures,
                  row.next_poll)


# --- sources --------------------------------------------------------------------------------------

def register(conn: Connection, location: str, kind: str, every: float | None, now: float,
             default_every: float = 900.0, first: Callable[[float], float] | None = None) -> Source:
    """Add a source to the watch list (first due at `first(its interval)`, else at once; then every
    `every` or `default_every` seconds), or give it the interval `every` if it is there already
    (None: it keeps its own)."""
    t = watch_sources
    sid = source_id(location)
    row = conn.execute(select(t).where(t.c.id == sid)).first()
    if row is None:
        interval = every or default_every
        conn.execute(t.insert().values(
            id=sid, location=location, kind=kind, every_s=interval, added_at=iso(now), polls=0,
            not_modified=0, failures=0, failures_total=0, items=0,
            next_poll=iso(first(interval) if first else now)))
    elif (every is not None and row.every_s != every) or row.kind != kind:
        conn.execute(update(t).where(t.c.id == sid).values(every_s=every or row.every_s, kind=kind))
    return _source(conn.execute(select(t).where(t.c.id == sid)).one())


def sources(conn: Connection, ids: Iterable[str] | None = None) -> list[Source]:
    """The watched sources (those of `ids`, or all), in the order they were added."""
    t = watch_sources
    q = select(t).order_by(t.c.added_at, t.c.location)
    if ids is not None:
        q = q.where(t.c.id.in_(list(ids)))
    return [_source(r) for r in conn.execute(q)]


def forget(conn: Connection, location: str) -> bool:
    """Stop watching a source: its row and its seen items go (the articles stay)."""
    sid = source_id(location)
    conn.execute(delete(watch_items).where(watch_items.c.source_id == sid))
    return conn.execute(delete(watch_sources).where(watch_sources.c.id == sid)).rowcount > 0


def record_success(conn: Connection, sid: str, now: float, next_poll: float, *, status: str,
                   not_modified: bool, items: int, etag: str | None, last_modified: str | None) -> None:
    t = watch_sources
    values: dict[str, Any] = {
        "polls": t.c.polls + 1, "not_modified": t.c.not_modified + int(not_modified), "failures": 0,
        "items": t.c["items"] + items, "last_poll": iso(now), "last_status": status, "last_success": iso(now),
        "next_poll": iso(next_poll)}
    if not not_modified:  # a 304 may leave out the validators; the ones sent stay right
        values.update(etag=etag, last_modified=last_modified)
    conn.execute(update(t).where(t.c.id == sid).values(**values))


def record_failure(conn: Connection, sid: str, now: float, next_poll: float, error: str) -> int:
    """Count a failure; returns the failures in a row."""
    t = watch_sources
    conn.execute(update(t).where(t.c.id == sid).values(
        polls=t.c.polls + 1, failures=t.c.failures + 1, failures_total=t.c.failures_total + 1,
        last_poll=iso(now), last_status="error", last_error=error, last_error_at=iso(now),
        next_poll=iso(next_poll)))
    return conn.execute(select(t.c.failures).where(t.c.id == sid)).scalar_one()


def defer(conn: Connection, sid: str, next_poll: float) -> None:
    """Move a source's next poll to `next_poll` without polling it (its host asked for a rest)."""
    t = watch_sources
    conn.execute(update(t).where(t.c.id == sid).values(next_poll=iso(next_poll)))


# --- items ----------------------------------------------------------------------------------------

def seen(conn: Connection, sid: str, key: str) -> bool:
    t = watch_items
    return conn.execute(select(t.c.key).where(t.c.source_id == sid, t.c.key == item_key(key))).first() is not None


def unseen(conn: Connection, sid: str, keys: list[str]) -> set[str]:
    """Those of `keys` not seen in the source yet."""
    t = watch_items
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = [item_key(k) for k in keys[start:start + 500]]
        found |= set(conn.execute(select(t.c.key).where(t.c.source_id == sid, t.c.key.in_(chunk))).scalars())
    return {k for k in keys if item_key(k) not in found}


def mark(conn: Connection, sid: str, items: Iterable[tuple[str, str, str | None]], now: float) -> None:
    """Mark (key, status, article id) seen in the source; a key seen already keeps its first row."""
    from ..store import dialect

    rows = {item_key(k): {"source_id": sid, "key": item_key(k), "status": s, "article_id": a, "seen_at": iso(now)}
            for k, s, a in items}
    if rows:
        conn.execute(dialect.insert_ignore(conn, watch_items, ["source_id", "key"]), list(rows.values()))


def prune(conn: Connection, sid: str, present: Iterable[str], before: float) -> int:
    """Forget the items of a source seen before `before` that are no longer in it (not among
    `present`, the keys of its latest complete answer); returns how many went. An old entry that
    came back would be read again, and its article still recognised by its id (`store.has`)."""
    t = watch_items
    keep = {item_key(k) for k in present}
    old = [k for k in conn.execute(select(t.c.key).where(t.c.source_id == sid, t.c.seen_at < iso(before))).scalars()
           if k not in keep]
    for start in range(0, len(old), 500):
        conn.execute(delete(t).where(t.c.source_id == sid, t.c.key.in_(old[start:start + 500])))
    return len(old)


# --- health, for `parley sources` -----------------------------------------------------------------

def health(conn: Connection, now: float) -> list[dict[str, Any]]:
    """Each watched source with its health and the articles stored from it in the last 7 days."""
    from .schedule import format_duration

    t, i = watch_sources, watch_items
    week = (select(i.c.source_id, func.count().label("n")).where(i.c.status == "stored", i.c.seen_at >= iso(now - 7 * 86400))
            .group_by(i.c.source_id).subquery())
    rows = conn.execute(select(t, week.c.n).outerjoin(week, week.c.source_id == t.c.id)
                        .order_by(t.c.added_at, t.c.location))
    return [{
        "source": r.location, "kind": r.kind, "every": format_duration(r.every_s),
        "status": r.last_status or "not polled yet", "last_success": _second(r.last_success),
        "last_error": r.last_error, "last_error_at": _second(r.last_error_at), "failures": r.failures,
        "failures_total": r.failures_total, "polls": r.polls, "not_modified": r.not_modified,
        "next_poll": _second(r.next_poll),
        "items_week": r.n or 0, "items": r._mapping["items"],
    } for r in rows]


def _second(moment: str | None) -> str | None:
    """A stored moment to the second, as listings show it ("2026-01-01T00:05:00Z")."""
    return moment[:19] + "Z" if moment else None
