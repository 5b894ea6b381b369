"""Request parameters shared by the API and the pages, validated once (bad input is a 422, never a 500)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from ..store.aggregates import EventFilter
from .service import Workbench

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
CODE = r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"  # event types, modes, sector ids, ISO codes
MAX_OFFSET = 1_000_000
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "GROUP")


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench


def _blank(value: str | None) -> str | None:
    """An empty form field means no filter."""
    return value.strip() or None if value is not None else None


def event_filter(
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT", max_length=40)] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-3 of a participant", max_length=40)] = None,
    sector: Annotated[str | None, Query(description="sector id, e.g. automotive", max_length=40)] = None,
    since: Annotated[str | None, Query(description="on or after (YYYY, YYYY-MM or YYYY-MM-DD)", max_length=10)] = None,
    until: Annotated[str | None, Query(description="on or before, inclusive at its precision", max_length=10)] = None,
    actor: Annotated[str | None, Query(description="part of an actor's name", max_length=200)] = None,
    recipient: Annotated[str | None, Query(description="part of a recipient's name", max_length=200)] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode, e.g. visit", max_length=40)] = None,
    place: Annotated[str | None, Query(description="part of the event's place name", max_length=200)] = None,
    actor_is: Annotated[str | None, Query(description="an actor's exact TYPE:name, e.g. PERSON:Xi Jinping",
                                          max_length=320)] = None,
    recipient_is: Annotated[str | None, Query(description="a recipient's exact TYPE:name", max_length=320)] = None,
    place_is: Annotated[str | None, Query(description="the event's place, exact TYPE:name", max_length=320)] = None,
) -> EventFilter:
    """Event filters from the query string; empty fields are ignored, malformed codes and dates refused."""
    given = {"type": type, "country": country, "sector": sector, "since": since, "until": until,
             "actor": actor, "recipient": recipient, "mode": mode, "place": place,
             "actor_is": actor_is, "recipient_is": recipient_is, "place_is": place_is}
    values = {k: _blank(v) for k, v in given.items()}
    _check(values, ("type", "country", "sector", "mode"), ("since", "until"))
    return EventFilter(**values)


def _check(values: dict[str, Any], codes: tuple[str, ...], dates: tuple[str, ...]) -> None:
    for key in codes:
        if values.get(key) and not re.match(CODE, values[key]):
            raise HTTPException(422, f"{key}: expected a code such as CONSULT, GBR or automotive")
    for key in dates:
        if values.get(key) and not re.match(DATE, values[key]):
            raise HTTPException(422, f"{key}: expected YYYY, YYYY-MM or YYYY-MM-DD")


@dataclass(frozen=True)
class QuoteFilter:
    """The filters of `Store.quotes`."""

    speaker: str | None = None
    speaker_country: str | None = None
    organisation: str | None = None
    cue: str | None = None
    kind: str | None = None
    min_stance: float | None = None
    max_stance: float | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


def quote_filter(
    speaker: Annotated[str | None, Query(description="part of the speaker's name", max_length=200)] = None,
    country: Annotated[str | None, Query(description="the speaker's ISO 3166-1 alpha-3", max_length=40)] = None,
    org: Annotated[str | None, Query(description="part of the speaker's organisation", max_length=200)] = None,
    cue: Annotated[str | None, Query(description="reporting verb, e.g. said", max_length=40)] = None,
    kind: Annotated[str | None, Query(description="direct, indirect or mixed", pattern="^(direct|indirect|mixed)?$")] = None,
    min_stance: Annotated[float | None, Query(ge=-1, le=1)] = None,
    max_stance: Annotated[float | None, Query(ge=-1, le=1)] = None,
) -> QuoteFilter:
    given = {"speaker": speaker, "speaker_country": country, "organisation": org, "cue": cue, "kind": kind}
    values = {k: _blank(v) for k, v in given.items()}
    _check(values, ("speaker_country",), ())
    return QuoteFilter(**values, min_stance=min_stance, max_stance=max_stance)


@dataclass(frozen=True)
class OpportunityFilter:
    """The filters of `Store.opportunities`."""

    sector: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


def opportunity_filter(filters: Annotated[EventFilter, Depends(event_filter)]) -> OpportunityFilter:
    return OpportunityFilter(filters.sector, filters.country, filters.since, filters.until)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ArticleFilter:
    since: str | None = None
    until: str | None = None


def article_filter(
    since: Annotated[str | None, Query(description="published on or after", max_length=10)] = None,
    until: Annotated[str | None, Query(description="published on or before", max_length=10)] = None,
) -> ArticleFilter:
    values = {"since": _blank(since), "until": _blank(until)}
    _check(values, (), ("since", "until"))
    return ArticleFilter(**values)


@dataclass(frozen=True)
class EntityFilter:
    type: str | None = None
    name: str | None = None


def entity_filter(
    type: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, FAC, NORP or GROUP", max_length=10)] = None,
    name: Annotated[str | None, Query(description="part of the name", max_length=200)] = None,
) -> EntityFilter:
    t = _blank(type)
    if t and t.upper() not in ENTITY_TYPES:
        raise HTTPException(422, f"type: expected one of {', '.join(ENTITY_TYPES)}")
    return EntityFilter(t.upper() if t else None, _blank(name))


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page(
    limit: Annotated[int, Query(ge=1, le=500, description="rows per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> Page:
    return Page(limit, offset)


Bench = Annotated[Workbench, Depends(workbench)]
Filters = Annotated[EventFilter, Depends(event_filter)]
Quotes = Annotated[QuoteFilter, Depends(quote_filter)]
Opportunities = Annotated[OpportunityFilter, Depends(opportunity_filter)]
Articles = Annotated[ArticleFilter, Depends(article_filter)]
Entities = Annotated[EntityFilter, Depends(entity_filter)]
Paging = Annotated[Page, Depends(page)]
SearchText = Annotated[str, Query(description='words (all required), "a phrase", word* for a prefix',
                                  max_length=500)]
