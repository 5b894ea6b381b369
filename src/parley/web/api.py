"""The JSON API under /api: read-only listings, one article's document, entity profiles and
aggregates. Every list takes the same filters as its page and its export, and answers one page in
an envelope: `items`, `total`, `limit` (as served: at most MAX_LIMIT), `offset` and `next` (the
next page's URL, also sent as a `Link: <...>; rel="next"` header). Every answer has a declared
model (models.py), so the schema names its fields.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from ..store.aggregates import BY
from . import lists, models, urls  # noqa: F401  (urls registers the {name:name} convertor)
from .network_types import NetworkTypes
from .deps import (
    ENTITY_TYPE_IN_PATH,
    ENTITY_TYPES,
    MAX_OFFSET,
    TEXT,
    Articles,
    Bench,
    Entities,
    Filters,
    Opportunities,
    Pipeline,
    Page,
    Paging,
    Quotes,
    SearchText,
)

router = APIRouter(prefix="/api", tags=["api"])
MAX_PLACES = 5000  # a map of more is unreadable, and the list stays one quick answer
NOT_FOUND = {404: {"description": "No such article or entity"}}


LINK_HEADER = {"Link": {"description": 'the next page, as `<URL>; rel="next"` (RFC 8288); absent on the last page',
                        "schema": {"type": "string"}}}


def _link(link: str, operation: str, **parameters: str) -> dict[int | str, dict[str, Any]]:
    """An OpenAPI link from a 200 answer to the operation its rows lead to (clients and testers follow it)."""
    return {200: {"links": {link: {"operationId": operation, "parameters": parameters}}, "headers": LINK_HEADER}}


def _answers(model: Any) -> dict[str, Any]:
    """The declared model of an answer. Fields the store did not give stay out (not filled in with
    defaults): a document round-trips as stored."""
    return {"response_model": model, "response_model_exclude_unset": True}


PAGED: dict[int | str, dict[str, Any]] = {200: {"headers": LINK_HEADER}}
Rows = list[dict[str, Any]]


def envelope(request: Request, response: Response, rows: Rows, total: int, p: Page) -> dict[str, Any]:
    """One page of a list as the API answers it, with the next page's URL in `next` and in `Link`."""
    after = p.offset + p.limit
    more = p.offset + len(rows) < total and after <= MAX_OFFSET
    following = str(request.url.include_query_params(offset=after, limit=p.limit)) if more else None
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return {"items": rows, "total": total, "limit": p.limit, "offset": p.offset, "next": following}


def _listing(request: Request, response: Response, bench: Any, kind: str, f: Any, p: Page) -> dict[str, Any]:
    rows = lists.LISTS[kind][0](bench, f, p.limit, p.offset)
    return envelope(request, response, rows, lists.total(bench, kind, f, p.limit, p.offset, len(rows)), p)


EntityType = Annotated[str, Path(description=", ".join(ENTITY_TYPES), pattern=ENTITY_TYPE_IN_PATH)]


@router.get("/counts", summary="Totals in the store", **_answers(models.Counts))
def counts(bench: Bench) -> Any:
    return bench.counts()


@router.get("/articles", summary="Articles, newest first", **_answers(models.ArticlePage),
            responses=_link("first_article", "article", article_id="$response.body#/items/0/id"))
def articles(request: Request, response: Response, bench: Bench, f: Articles, p: Paging) -> Any:
    return _listing(request, response, bench, "articles", f, p)


@router.get("/articles/{article_id:name}", summary="One article's parley.article/1 document", responses=NOT_FOUND,
            **_answers(models.ArticleDocument))
def article(bench: Bench, article_id: Annotated[str, Path(max_length=200, pattern=TEXT)]) -> Any:
    return bench.document(article_id).to_dict()


@router.get("/entities", summary="People, organisations, places and groups, most frequent first",
            **_answers(models.EntityPage),
            responses=_link("first_entity", "entity", type="$response.body#/items/0/type",
                            name="$response.body#/items/0/name"))
def entities(request: Request, response: Response, bench: Bench, f: Entities, p: Paging) -> Any:
    return _listing(request, response, bench, "entities", f, p)


@router.get("/entities/{type}/{name:name}", summary="One entity: roles, quotes, events, counterparts",
            responses=NOT_FOUND, **_answers(models.EntityProfile))
def entity(bench: Bench, type: EntityType, name: Annotated[str, Path(max_length=300, pattern=TEXT)]) -> Any:
    profile = bench.entity(type, name)
    if profile is None:
        raise HTTPException(404, f"no {type} named {name!r}")
    return profile


@router.get("/quotes", summary="Attributed statements with their speakers",
            **_answers(models.QuotePage), responses=PAGED)
def quotes(request: Request, response: Response, bench: Bench, f: Quotes, p: Paging) -> Any:
    return _listing(request, response, bench, "quotes", f, p)


@router.get("/events", summary="PLOVER events with participants, place, dates and sectors",
            **_answers(models.EventPage), responses=PAGED)
def events(request: Request, response: Response, bench: Bench, f: Filters, p: Paging) -> Any:
    return _listing(request, response, bench, "events", f, p)


@router.get("/opportunities", summary="Stated intents to cooperate, with the quote as evidence",
            **_answers(models.OpportunityPage), responses=PAGED)
def opportunities(request: Request, response: Response, bench: Bench, f: Opportunities, p: Paging) -> Any:
    return _listing(request, response, bench, "opportunities", f, p)


@router.get("/pipeline", summary="The opportunity pipeline: cooperation by sides and sector, at its furthest stage",
            **_answers(models.PipelinePage), responses=PAGED)
def pipeline(request: Request, response: Response, bench: Bench, f: Pipeline, p: Paging) -> Any:
    from .pipeline_evidence import with_links  # its router imports this module

    body = _listing(request, response, bench, "pipeline", f, p)
    return {**body, "items": with_links(request, body["items"], f)}


@router.get("/search", summary="Full-text search over headlines, texts and quotes, with facets",
            **_answers(models.SearchPage), responses=PAGED)
def search(request: Request, response: Response, bench: Bench, q: SearchText, f: Filters, p: Paging) -> Any:
    found = bench.search(q, f, p.limit, p.offset)
    hits = found.pop("hits")
    return {**found, **envelope(request, response, hits, found["total"], p)}


@router.get("/aggregates/timeline", summary="Events per month (or year) by type, sector or country",
            **_answers(list[models.TimelineRow]))
def timeline(bench: Bench, f: Filters,
             by: Annotated[str, Query(pattern="^(" + "|".join(BY) + ")$")] = "type",
             bucket: Annotated[str, Query(pattern="^(month|year)$")] = "month") -> Any:
    return bench.timeline(by, f, bucket)


@router.get("/aggregates/facets", summary="Counts of the filtered events by type, sector and country",
            **_answers(models.Facets))
def facets(bench: Bench, f: Filters) -> Any:
    return bench.facets(f)


@router.get("/aggregates/network", summary="Who met whom: actor -> recipient edges weighted by events",
            **_answers(models.Network))
def network(bench: Bench, f: Filters, shown: NetworkTypes,
            limit: Annotated[int, Query(ge=1, le=1000)] = 150) -> Any:
    return bench.network(f, limit, shown.types)


@router.get("/aggregates/places", summary="Events by place, with coordinates, the most eventful first",
            description="At most `limit` places; the X-Total-Count header says how many there are in all.",
            **_answers(list[models.Place]))
def places(response: Response, bench: Bench, f: Filters,
           limit: Annotated[int, Query(ge=1, le=MAX_PLACES, description=f"at most this many (up to {MAX_PLACES})")] = 300,
           ) -> Any:
    response.headers["X-Total-Count"] = str(bench.place_total(f))
    return bench.places(f, limit)
