"""The filtered lists (articles, entities, quotes, events, opportunities, search hits): one function
each, used by the API, the pages and the CSV/JSON exports, so all three show the same rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..store.aggregates import EventFilter
from .deps import ArticleFilter, EntityFilter, OpportunityFilter, QuoteFilter
from .service import Workbench

Rows = list[dict[str, Any]]


def articles(bench: Workbench, f: ArticleFilter, limit: int, offset: int) -> Rows:
    return bench.store.articles(since=f.since, until=f.until, limit=limit, offset=offset)


def entities(bench: Workbench, f: EntityFilter, limit: int, offset: int) -> Rows:
    return bench.store.entities(type=f.type, name=f.name, limit=limit, offset=offset)


def quotes(bench: Workbench, f: QuoteFilter, limit: int, offset: int) -> Rows:
    return bench.store.quotes(**f.as_kwargs(), limit=limit, offset=offset)


def events(bench: Workbench, f: EventFilter, limit: int, offset: int) -> Rows:
    return bench.events(f, limit, offset)


def opportunities(bench: Workbench, f: OpportunityFilter, limit: int, offset: int) -> Rows:
    return bench.store.opportunities(**f.as_kwargs(), limit=limit, offset=offset)


#: kind -> (list function, the columns a CSV export puts first)
LISTS: dict[str, tuple[Callable[..., Rows], tuple[str, ...]]] = {
    "articles": (articles, ("id", "published", "headline", "source", "dateline", "url")),
    "entities": (entities, ("type", "name", "country", "sector", "articles", "mentions", "aliases", "titles")),
    "quotes": (quotes, ("article_id", "id", "speaker", "speaker_country", "cue", "kind", "stance", "text")),
    "events": (events, ("article_id", "id", "type", "mode", "actors", "recipients", "location", "date_start",
                        "date_end", "sectors", "trigger", "headline")),
    "opportunities": (opportunities, ("article_id", "date", "actor", "actor_country", "recipient",
                                      "recipient_country", "sectors", "evidence")),
}
