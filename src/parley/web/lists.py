"""The filtered lists (articles, entities, quotes, events, opportunities, search hits): one function
each, used by the API, the pages and the CSV/JSON exports, so all three show the same rows; and
`total`, how many rows a list has in all, for the API's envelopes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..store import aggregates, queries
from ..store import pipeline as pipeline_rows
from ..store.aggregates import EventFilter
from ..store.queries import count_rows
from .deps import ArticleFilter, EntityFilter, OpportunityFilter, PipelineFilter, QuoteFilter
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


def pipeline(bench: Workbench, f: PipelineFilter, limit: int, offset: int) -> Rows:
    """Opportunities with the first few pieces of evidence of each stage and their counts."""
    return bench.pipeline(f, limit, offset)


def pipeline_export(bench: Workbench, f: PipelineFilter, limit: int, offset: int) -> Rows:
    """Opportunities with every piece of their evidence: what an export writes."""
    return bench.pipeline_page(f, limit, offset, evidence=None)[0]


#: kind -> (list function, the columns a CSV export puts first)
LISTS: dict[str, tuple[Callable[..., Rows], tuple[str, ...]]] = {
    "articles": (articles, ("id", "published", "headline", "source", "dateline", "url")),
    "entities": (entities, ("type", "name", "country", "sector", "articles", "mentions", "aliases", "titles")),
    "quotes": (quotes, ("article_id", "id", "speaker", "speaker_country", "cue", "kind", "stance", "text")),
    "events": (events, ("article_id", "id", "type", "mode", "actors", "recipients", "location", "date_start",
                        "date_end", "precision", "date_text", "sectors", "trigger", "headline")),
    "opportunities": (opportunities, ("article_id", "date", "actor", "actor_country", "recipient",
                                      "recipient_country", "sectors", "evidence")),
    "pipeline": (pipeline, ("sides", "sector", "stage", "stages", "parties", "reports", "first_reported",
                            "last_reported")),
}

#: kind -> the list function an export calls, where it writes more than a page shows
EXPORTS: dict[str, Callable[..., Rows]] = {"pipeline": pipeline_export}

#: kind -> how one of its rows is written as CSV, where its JSON nests what a cell cannot hold
CSV_ROWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"pipeline": pipeline_rows.flat}

# --- totals ----------------------------------------------------------------------------------------

#: kind -> the store query the list runs, with its filters as that query's arguments: the store
#: methods above are these queries, so a count of the query's rows is the list's total.
QUERIES: dict[str, Callable[[Any], tuple[Callable[..., Any], dict[str, Any]]]] = {
    "articles": lambda f: (queries.articles, {"since": f.since, "until": f.until}),
    "entities": lambda f: (queries.entities, {"type": f.type, "name": f.name}),
    "quotes": lambda f: (queries.quotes, f.as_kwargs()),
    "events": lambda f: (aggregates.events_page, {"filters": f}),
    "opportunities": lambda f: (queries.opportunities, f.as_kwargs()),
}


def total(bench: Workbench, kind: str, f: Any, limit: int, offset: int, shown: int) -> int:
    """How many rows the `kind` list has with filters `f`. A page that is not full ends the list,
    so its total is known without asking (unless it is empty past the end); else the store counts,
    once per store version."""
    if shown < limit and (shown or not offset):
        return offset + shown
    if kind == "pipeline":  # its rows are groups, counted with the page (`Workbench.pipeline_page`)
        return bench.pipeline_page(f, limit, offset)[1]
    fn, kwargs = QUERIES[kind](f)
    return bench.cached(("total", kind, f), lambda: bench.store.read(count_rows(fn), **kwargs))
