"""The latest reported events: those of the most recently published articles, what the overview
shows first. Ordered by when they were reported (the article's published date), not by the event's
own date, so a promise about a meeting years ahead does not head the page; the event's date stands
beside it. Read off the articles' published-date index: a page costs a few articles' events.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from . import schema as s
from .aggregates import fill_events

A, V = s.articles, s.events
A2 = A.alias("dup")


def latest_reported(conn: Connection, limit: int = 10) -> list[dict[str, Any]]:
    """The events of the newest published articles, newest article first, each article's events in
    text order; at most `limit`, as `Store.events` rows."""
    keys: list[tuple[str, str]] = []
    offset, batch = 0, max(limit, 10)
    # near-duplicates by their ids, read once: `duplicate_of` sits after the document in each row,
    # and testing it row by row would read every article's document
    duplicates = select(A2.c.id).where(A2.c.duplicate_of.is_not(None))
    while len(keys) < limit:
        page = conn.execute(select(A.c.id).where(A.c.published.is_not(None), A.c.id.not_in(duplicates))
                            .order_by(A.c.published.desc()).limit(batch).offset(offset)).scalars().all()
        if not page:
            break
        offset += len(page)
        found = conn.execute(select(V.c.article_id, V.c.id).where(V.c.article_id.in_(page))
                             .order_by(V.c.article_id, V.c.sentence_start, V.c.id)).all()
        by_article: dict[str, list[tuple[str, str]]] = {}
        for r in found:
            by_article.setdefault(r.article_id, []).append((r.article_id, r.id))
        for aid in page:
            keys += by_article.get(aid, [])
    return fill_events(conn, keys[:limit])


__all__ = ["latest_reported"]
