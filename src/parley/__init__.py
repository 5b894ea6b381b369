"""Parley: structured, evidence-linked records of international engagement from news.

The public surface is small: `analyze` turns one article's text into a `parley.article/1`
`Document`, and `Store` keeps documents in SQLite (or any SQLAlchemy URL) and queries them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

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
    "analyze_many",
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

    record = _record(text, published=published, headline=headline, url=url, source=source, file=file, id=id)
    article = prepare(record)
    failure: list[Exception] = []
    for document in analyze_articles([article], model=model, on_error=lambda _article, exc: failure.append(exc)):
        return document
    exc = failure[0]
    if isinstance(exc, SourceError):
        raise exc
    raise SourceError(record.origin, failure_reason(exc)) from exc


#: The keyword arguments of `analyze` that an item of `analyze_many` may carry beside its "text".
ARTICLE_FIELDS = ("published", "headline", "url", "source", "file", "id")


def _record(text: str, *, origin: str | None = None, **meta: str | None) -> Any:
    """The raw record `prepare` reads: a text with a headline is a body; else its first line may be one."""
    from .ingest.records import RawRecord

    if not isinstance(text, str):
        raise TypeError(f"an article's text must be a str, not {type(text).__name__}")
    return RawRecord(text=text, origin=origin or meta.get("file") or meta.get("url") or "<text>",
                     layout="body" if meta.get("headline") else "plain", file=meta.get("file"), id=meta.get("id"),
                     url=meta.get("url"), title=meta.get("headline"), published=meta.get("published"),
                     source=meta.get("source"))


def analyze_many(texts: Iterable[str | Mapping[str, Any]], *, model: str | None = None,
                 errors: str = "raise") -> Iterator[Document | SourceError]:
    """Analyse many articles, in the order given, through one pipeline that parses them in batches
    (far faster than `analyze` in a loop); a generator, so a long list is read as it goes.

    Each item is an article's text, or a mapping with "text" and any of `analyze`'s keywords
    (`ARTICLE_FIELDS`). An item that cannot be analysed raises SourceError once the documents
    before it are out; its `origin` names the item (`texts[3]`, or its file or url) and `reason`
    says why. With `errors="yield"`, that SourceError is yielded in the item's place and the rest
    go on, so the n-th result is always the n-th item's.
    """
    if errors not in ("raise", "yield"):
        raise ValueError(f"errors must be 'raise' or 'yield', not {errors!r}")
    from .analysis.pipeline import analyze_articles, failure_reason
    from .ingest.prepare import prepare

    failed: dict[int, SourceError] = {}
    index_of: dict[int, tuple[int, Any, Mapping[str, Any]]] = {}  # id(article) -> (position, article kept alive, item)
    given = 0

    def origin(i: int, meta: Mapping[str, Any]) -> str:
        name = meta.get("file") or meta.get("url") or meta.get("id")
        return f"texts[{i}]" + (f" ({name})" if name else "")

    def failure(i: int, meta: Mapping[str, Any], exc: Exception) -> SourceError:
        err = SourceError(origin(i, meta), failure_reason(exc))
        err.__cause__ = exc
        return err

    def articles() -> Iterator[Any]:
        nonlocal given
        for i, item in enumerate(texts):
            given = i + 1
            meta = {"text": item} if isinstance(item, str) else dict(item)
            unknown = set(meta) - {"text", *ARTICLE_FIELDS}
            if "text" not in meta or unknown:
                raise TypeError(f"texts[{i}]: an item is a text or a mapping with 'text' and any of "
                                f"{', '.join(ARTICLE_FIELDS)}" + (f"; not {', '.join(sorted(unknown))}" if unknown else ""))
            try:
                article = prepare(_record(meta["text"], origin=origin(i, meta),
                                          **{k: meta.get(k) for k in ARTICLE_FIELDS}))
            except SourceError as exc:
                failed[i] = failure(i, meta, exc)
                continue
            index_of[id(article)] = (i, article, meta)
            yield article

    def on_error(article: Any, exc: Exception) -> None:
        i, _, meta = index_of[id(article)]
        failed[i] = failure(i, meta, exc)

    def settle(upto: int) -> Iterator[SourceError]:
        """The failures of the items before `upto` not reported yet, in order."""
        for i in sorted(k for k in failed if k < upto):
            err = failed.pop(i)
            if errors == "raise":
                raise err
            yield err

    for document in analyze_articles(articles(), model=model, on_error=on_error):
        key = id(document.article) if id(document.article) in index_of else min(index_of, key=lambda k: index_of[k][0])
        i = index_of.pop(key)[0]
        yield from settle(i)
        yield document
    yield from settle(given)


def __getattr__(name: str) -> object:
    # Store pulls in SQLAlchemy; load it only when asked for.
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(f"module 'parley' has no attribute {name!r}")
