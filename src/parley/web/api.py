"""The JSON API under /api: read-only listings, one article's document, entity profiles and
aggregates. Every list takes the same filters as its page and its export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from ..store.aggregates import BY
from . import lists, urls  # noqa: F401  (registers the {name:name} convertor)
from .deps import (
    ENTITY_TYPE_IN_PATH,
    ENTITY_TYPES,
    TEXT,
    Articles,
    Bench,
    Entities,
    Filters,
    Opportunities,
    Paging,
    Quotes,
    SearchText,
)

router = APIRouter(prefix="/api", tags=["api"])
NOT_FOUND = {404: {"description": "No such article or entity"}}


def _link(link: str, operation: str, **parameters: str) -> dict[int | str, dict[str, Any]]:
    """An OpenAPI link from a 200 answer to the operation its rows lead to (clients and testers follow it)."""
    return {200: {"links": {link: {"operationId": operation, "parameters": parameters}}}}


Rows = list[dict[str, Any]]
EntityType = Annotated[str, Path(description=", ".join(ENTITY_TYPES), pattern=ENTITY_TYPE_IN_PATH)]


@router.get("/counts", summary="Totals in the store")
def counts(bench: Bench) -> dict[str, int]:
    return bench.counts()


@router.get("/articles", summary="Articles, newest first",
            responses=_link("first_article", "article", article_id="$response.body#/0/id"))
def articles(bench: Bench, f: Articles, p: Paging) -> Rows:
    return lists.articles(bench, f, p.limit, p.offset)


@router.get("/articles/{article_id:name}", summary="One article's parley.article/1 document", responses=NOT_FOUND)
def article(bench: Bench, article_id: Annotated[str, Path(max_length=200, pattern=TEXT)]) -> dict[str, Any]:
    return bench.document(article_id).to_dict()


@router.get("/entities", summary="People, organisations, places and groups, most frequent first",
            responses=_link("first_entity", "entity", type="$response.body#/0/type", name="$response.body#/0/name"))
def entities(bench: Bench, f: Entities, p: Paging) -> Rows:
    return lists.entities(bench, f, p.limit, p.offset)


@router.get("/entities/{type}/{name:name}", summary="One entity: roles, quotes, events, counterparts",
            responses=NOT_FOUND)
def entity(bench: Bench, type: EntityType, name: Annotated[str, Path(max_length=300, pattern=TEXT)]) -> dict[str, Any]:
    profile = bench.entity(type, name)
    if profile is None:
        raise HTTPException(404, f"no {type} named {name!r}")
    return profile


@router.get("/quotes", summary="Attributed statements with their speakers")
def quotes(bench: Bench, f: Quotes, p: Paging) -> Rows:
    return lists.quotes(bench, f, p.limit, p.offset)


@router.get("/events", summary="PLOVER events with participants, place, dates and sectors")
def events(bench: Bench, f: Filters, p: Paging) -> Rows:
    return lists.events(bench, f, p.limit, p.offset)


@router.get("/opportunities", summary="Stated intents to cooperate, with the quote as evidence")
def opportunities(bench: Bench, f: Opportunities, p: Paging) -> Rows:
    return lists.opportunities(bench, f, p.limit, p.offset)


@router.get("/search", summary="Full-text search over headlines, texts and quotes, with facets")
def search(bench: Bench, q: SearchText, f: Filters, p: Paging) -> dict[str, Any]:
    return bench.search(q, f, p.limit, p.offset)


@router.get("/aggregates/timeline", summary="Events per month (or year) by type, sector or country")
def timeline(bench: Bench, f: Filters,
             by: Annotated[str, Query(pattern="^(" + "|".join(BY) + ")$")] = "type",
             bucket: Annotated[str, Query(pattern="^(month|year)$")] = "month") -> Rows:
    return bench.timeline(by, f, bucket)


@router.get("/aggregates/facets", summary="Counts of the filtered events by type, sector and country")
def facets(bench: Bench, f: Filters) -> dict[str, Rows]:
    return bench.facets(f)


@router.get("/aggregates/network", summary="Who met whom: actor -> recipient edges weighted by events")
def network(bench: Bench, f: Filters, limit: Annotated[int, Query(ge=1, le=1000)] = 150) -> dict[str, Rows]:
    return bench.network(f, limit)


@router.get("/aggregates/places", summary="Events by place, with coordinates")
def places(bench: Bench, f: Filters) -> Rows:
    return bench.places(f)
