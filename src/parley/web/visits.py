"""GET /api/visits and the /visits page: visits, courtesy calls, meetings and signings, with the
filters of `parley visits`; one router, so the app includes it with one line.

"Delegations to Sichuan in 2025" is one URL: `/api/visits?place=Sichuan&since=2025&until=2025`. The
place is a name the gazetteer knows and matches everything inside it (`store/visits.py`); a name it
does not know is a 404 naming close names, never an empty list. (Not a 422: the name is well-formed,
as the schema says, but names no place, as an unknown entity's name in a path is a 404.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import Field

from ..errors import FilterError
from ..store.visits import PlaceScope, check_place, page_and_total
from . import models
from .api import PAGED, envelope
from .deps import (
    COUNTRY,
    SECTOR,
    TEXT,
    Bench,
    Page,
    Paging,
    _blank,
    _code,
    _date,
    calendar_dates,
)

router = APIRouter()


@dataclass(frozen=True)
class VisitFilter:
    """The filters of `Store.visits`, checked; `args` as given, for links that keep them."""

    place: PlaceScope | None = None
    visitor_country: str | None = None
    sector: str | None = None
    since: str | None = None
    until: str | None = None
    args: tuple[tuple[str, str], ...] = ()


def visit_filter(
    place: Annotated[str | None, Query(description="where: a country, province or state, or city, with every "
                                                   "place inside it, e.g. Sichuan", max_length=200, pattern=TEXT)] = None,
    visitor_country: Annotated[str | None, _code("a visitor's ISO 3166-1 alpha-3, e.g. JPN", COUNTRY)] = None,
    sector: Annotated[str | None, _code("sector id, e.g. automotive", SECTOR)] = None,
    since: Annotated[str | None, _date("on or after")] = None,
    until: Annotated[str | None, _date("on or before, inclusive at its precision")] = None,
) -> VisitFilter:
    since, until = _blank(since), _blank(until)
    calendar_dates(since=since, until=until)
    given = {"place": _blank(place), "visitor_country": _blank(visitor_country), "sector": _blank(sector),
             "since": since, "until": until}
    return VisitFilter(_scope(given["place"]), given["visitor_country"], given["sector"], since, until,
                       tuple((k, v) for k, v in given.items() if v))


def _scope(place: str | None) -> PlaceScope | None:
    try:
        return check_place("place", place)
    except FilterError as exc:
        raise HTTPException(404, str(exc)) from None


Visits = Annotated[VisitFilter, Depends(visit_filter)]


#: A list's `total` counts the visits up to this many past the page; beyond, it is a lower bound
#: (`total_is_lower_bound`): counting every visit of a large store means reading every summary row.
#: The page and its total are one pass over the visits' summary (`visits.page_and_total`).
COUNT_AHEAD = 50


class VisitRow(models.Row):
    """One visit: who came (`visitors`, their countries), where (`place`, its admin1 and country),
    when, whom they met at which event (`events`, each with its sentence), the sectors and the
    visitors' stated intents (`intents`, each with its sentence)."""

    article_id: str
    kind: str = Field(description="visit, courtesy call, summit, meeting or signing (engagement_kinds.tsv)")
    kinds: list[str] = Field(default_factory=list)
    visitors: list[str] = Field(default_factory=list)
    visitor_countries: list[str] = Field(default_factory=list)
    hosts: list[str] = Field(default_factory=list)
    host_countries: list[str] = Field(default_factory=list)
    place: str | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    places: list[dict[str, Any]] = Field(default_factory=list)
    date: str | None = None
    date_text: str | None = None
    when: str | None = Field(None, description="the date the period filters read: the event's own, else the article's")
    planned: bool = False
    sectors: list[str] = Field(default_factory=list)
    evidence: str | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)
    intents: list[dict[str, Any]] = Field(default_factory=list)
    visitor_entities: list[dict[str, Any]] = Field(default_factory=list)
    host_entities: list[dict[str, Any]] = Field(default_factory=list)
    headline: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


class VisitPage(models.Envelope):
    items: list[VisitRow]
    total_is_lower_bound: bool = Field(False, description=f"true when `total` stopped counting {COUNT_AHEAD} "
                                                          "visits past this page: there are at least that many")


@router.get("/api/visits", tags=["api"], summary="Visits, courtesy calls, meetings and signings in a place and everything inside it",
            response_model=VisitPage, response_model_exclude_unset=True,
            responses={**PAGED, 404: {"description": "No place of that name in the gazetteer (the detail names close ones)"}})
def visits(request: Request, response: Response, bench: Bench, f: Visits, p: Paging) -> Any:
    cap = p.offset + p.limit + COUNT_AHEAD
    rows, n = bench.store.read(page_and_total, **_kwargs(f), limit=p.limit, offset=p.offset, count_to=cap + 1)
    return {**envelope(request, response, rows, min(n, cap), p), "total_is_lower_bound": n > cap}


@router.get("/visits", include_in_schema=False, response_class=HTMLResponse)
def visits_page(request: Request, bench: Bench, f: Visits, p: Paging) -> HTMLResponse:
    from .pages import render

    return render(request, "visits.html", rows=_rows(bench, f, p), place=f.place, page=p, args=dict(f.args))


def _rows(bench: Any, f: VisitFilter, p: Page) -> list[dict[str, Any]]:
    return bench.store.visits(**_kwargs(f), limit=p.limit, offset=p.offset)


def _kwargs(f: VisitFilter) -> dict[str, Any]:
    return {"place": f.place, "visitor_country": f.visitor_country, "sector": f.sector, "since": f.since,
            "until": f.until}
