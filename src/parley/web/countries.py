"""Country pages (/countries, /countries/ISO3) and place pages, with their JSON twins under /api; one
router, so the app includes it with one line.

A country page answers "what is this country's engagement with each other country": events together
by kind, visits each way, counterparts, sectors, a timeline and its officials' quotes
(`store/countries.py`). A place (GPE, LOC, FAC) has a page of its own at its entity URL: the events
there, its visitors, a small map and the places inside it (`store/places.py`).

An unknown country code, or a code with nothing stored, is a 404 whose detail says what would do
("e.g. IND for India"; "/countries lists them"), never an empty page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import Field

from ..countries import country_name
from ..errors import FilterError
from ..store import countries as store_countries
from ..store import places as store_places
from ..store.visits import PLACE_TYPES
from . import models, timeaxis
from .api import PAGED, envelope
from .deps import TEXT, Bench, Paging

router = APIRouter()

CodeParam = Annotated[str, Path(description="ISO 3166-1 alpha-3 code, e.g. CHN; or EUR, UNO, IGO, NGO",
                                 max_length=40, pattern=TEXT)]
PlaceType = Annotated[str, Path(description="GPE, LOC or FAC", max_length=10, pattern=TEXT)]
PlaceName = Annotated[str, Path(max_length=300, pattern=TEXT)]
NOT_FOUND = {404: {"description": "Not a country code (the detail names the code meant), or no event has a "
                                  "party from that country"}}


# --- models --------------------------------------------------------------------------------------

class EngagementCounts(models.Row):
    """Events by the engagement columns (`resources/country_engagement.tsv`); `other`: every other type."""

    events: int = Field(description="events in all")
    CONSULT: int = 0
    AGREE: int = 0
    SUPPORT: int = 0
    COOPERATE: int = 0
    other: int = 0


class CountryRow(EngagementCounts):
    """A country in the index: its code, its name and the events with a party from it."""

    code: str
    name: str | None = None


class CountryPage(models.Envelope):
    items: list[CountryRow]


class CountryCounterpart(models.Row):
    country: str
    country_name: str | None = None
    type: str
    name: str
    events: int = Field(description="events shared with the country's people, in the window")


class Partner(EngagementCounts):
    """Another country: the events with parties from both, visits each way, its people met."""

    code: str
    name: str | None = None
    visits_in: int = Field(0, description="visits to the country by this country's people, in the window")
    visits_out: int = Field(0, description="visits by the country's people to this one, in the window")
    counterparts: list[CountryCounterpart] = Field(default_factory=list)


class CountryQuote(models.Row):
    article_id: str
    id: str
    text: str
    speaker: str
    cue: str | None = None
    kind: str | None = None
    headline: str | None = None
    published: str | None = None


class CountryProfile(EngagementCounts):
    """One country's engagement with every other (`store/countries.py` says how each part is counted)."""

    code: str
    name: str | None = None
    types: dict[str, int] = Field(default_factory=dict, description="events by PLOVER type")
    partners: list[Partner] = Field(default_factory=list)
    timeline: list[models.TimelineRow] = Field(default_factory=list, description="dated events per month")
    undated: int = Field(0, description="events without a date, not on the timeline")
    sectors: list[dict[str, Any]] = Field(default_factory=list)
    visits_in: list[dict[str, Any]] = Field(default_factory=list, description="the latest visits to the country "
                                                                            "(rows as /api/visits gives them)")
    visits_out: list[dict[str, Any]] = Field(default_factory=list, description="the latest visits by its people abroad")
    window: int = Field(description="the country's latest articles with one of its events: they give its visits, "
                                    "counterparts and quotes")
    counterparts: list[CountryCounterpart] = Field(default_factory=list)
    quotes: list[CountryQuote] = Field(default_factory=list)


class InsidePlace(models.Row):
    type: str
    name: str
    articles: int
    events: int = Field(description="events located there")
    geo: models.Geo | None = None


class PlaceProfile(models.Row):
    """One place: where it lies, the places inside it, the events there and its visitors."""

    type: str
    name: str
    articles: int
    mentions: int
    kind: str | None = Field(None, description="country, admin1 (province, state), city, region or continent")
    admin1: str | None = None
    country: str | None = None
    country_name: str | None = None
    geo: models.Geo | None = None
    inside: list[InsidePlace] = Field(default_factory=list)
    inside_total: int = 0
    events: list[models.EventRow] = Field(default_factory=list)
    visits: list[dict[str, Any]] = Field(default_factory=list, description="visits at the place or inside it, in "
                                                                         "its latest `window` articles with an event there")
    window: int = 0
    map: list[models.Place] = Field(default_factory=list)


# --- reads ---------------------------------------------------------------------------------------

def _code(code: str) -> str:
    try:
        return store_countries.check_code("code", code)
    except FilterError as exc:
        raise HTTPException(404, f"{exc}; /countries lists the countries in this store") from None


def _country(bench: Any, code: str) -> dict[str, Any]:
    code = _code(code)
    found = bench.cached(("country", code), lambda: bench.store.read(store_countries.country, code=code))
    if found is None:
        named = f" ({country_name(code)})" if country_name(code) else ""
        raise HTTPException(404, f"no event in this store has a party from {code}{named}; "
                                 "/countries lists the countries it has")
    return found


def _index(bench: Any) -> list[dict[str, Any]]:
    return bench.cached(("countries",), lambda: bench.store.read(store_countries.countries))


def _place(bench: Any, type: str, name: str, read: Any = store_places.place) -> Any:
    """`read` (the page's profile, or its map) of the place, else a 404."""
    if type not in PLACE_TYPES:
        raise HTTPException(404, f"{type} is not a kind of place: {', '.join(PLACE_TYPES)}")
    found = bench.cached((read.__name__, type, name), lambda: bench.store.read(read, type=type, name=name))
    if found is None:
        raise HTTPException(404, f"no {type} named {name!r}")
    return found


# --- API -----------------------------------------------------------------------------------------

@router.get("/api/countries", tags=["api"], summary="Countries with a party in some event, most events first",
            response_model=CountryPage, response_model_exclude_unset=True, responses=PAGED)
def countries_api(request: Request, response: Response, bench: Bench, p: Paging) -> Any:
    rows = _index(bench)
    return envelope(request, response, rows[p.offset:p.offset + p.limit], len(rows), p)


@router.get("/api/countries/{code}", tags=["api"], response_model=CountryProfile, responses=NOT_FOUND,
            summary="One country's engagement with each other: events, visits each way, counterparts, sectors, "
                    "timeline, its officials' quotes")
def country_api(bench: Bench, code: CodeParam) -> Any:
    return _country(bench, code)


@router.get("/api/places/{type}/{name:name}/map", tags=["api"], response_model=list[models.Place],
            summary="A place and the places inside it, with coordinates and located events (its map)",
            responses={404: {"description": "No such place"}})
def place_map_api(bench: Bench, type: PlaceType, name: PlaceName) -> Any:
    return _place(bench, type, name, store_places.place_map)


@router.get("/api/places/{type}/{name:name}", tags=["api"], response_model=PlaceProfile,
            response_model_exclude_unset=True, responses={404: {"description": "No such place"}},
            summary="One place: where it lies, the places inside it, the events there and its visitors")
def place_api(bench: Bench, type: PlaceType, name: PlaceName) -> Any:
    return _place(bench, type, name)


# --- pages ---------------------------------------------------------------------------------------

@router.get("/countries", include_in_schema=False, response_class=HTMLResponse)
def countries_page(request: Request, bench: Bench) -> HTMLResponse:
    from .pages import render

    return render(request, "countries.html", rows=_index(bench), columns=store_countries.columns())


@router.get("/countries/{code}", include_in_schema=False, response_class=HTMLResponse)
def country_page(request: Request, bench: Bench, code: CodeParam) -> HTMLResponse:
    from .pages import render

    c = _country(bench, code)
    return render(request, "country.html", c=c, columns=store_countries.columns(),
                  chart=timeaxis.month_bars(c["timeline"], c["undated"]))


def place_page(request: Request, bench: Any, type: str, name: str) -> HTMLResponse:
    """The page of a place (the entity page of a GPE, LOC or FAC)."""
    from .pages import render

    return render(request, "place.html", p=_place(bench, type, name))
