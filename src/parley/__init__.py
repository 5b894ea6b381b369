"""Parley: structured, evidence-linked records of international engagement from news.

The public surface is small: `analyze` turns one article's text into a `parley.article/1`
`Document`, and `Store` keeps documents in SQLite (or any SQLAlchemy URL) and queries them.
"""

from __future__ import annotations

from .document import Article, Document, Entity, Event, Quote
from .errors import ModelError, ParleyError, SourceError, StoreError

__all__ = [
    "Article",
    "Document",
    "Entity",
    "Event",
    "ModelError",
    "ParleyError",
    "Quote",
    "SourceError",
    "Store",
    "StoreError",
    "analyze",
]
__version__ = "0.1.0"


def analyze(
    text: str,
    *,
    published: str | None = None,
    headline: str | None = None,
    url: str | None = None,
    source: str | None = None,
    file: str | None = None,
    id: str | None = None,
    model: str | None = None,
) -> Document:
    """Analyse one article. Without `headline`, a first line of its own is taken as the headline.

    Raises SourceError when nothing of an article is left after cleaning, when the text is over
    the analysis limit, or when the analysis fails on it (the reason says how).
    """
    from .analysis.pipeline import analyze_articles, failure_reason
    from .ingest.prepare import prepare
    from .ingest.records import RawRecord

    record = RawRecord(
        text=text,
        origin=file or url or "<text>",
        layout="body" if headline else "plain",
        file=file,
        id=id,
        url=url,
        title=headline,
        published=published,
        source=source,
    )
    article = prepare(record)
    failure: list[Exception] = []
    for document in analyze_articles([article], model=model, on_error=lambda _article, exc: failure.append(exc)):
        return document
    exc = failure[0]
    if isinstance(exc, SourceError):
        raise exc
    raise SourceError(record.origin, failure_reason(exc)) from exc


def __getattr__(name: str) -> object:
    # Store pulls in SQLAlchemy; load it only when asked for.
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(f"module 'parley' has no attribute {name!r}")
