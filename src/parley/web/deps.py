"""Request parameters shared by the API and the pages, validated once (bad input is a 422, never a 500).

Each constraint is a pattern in the parameter's declaration, so the OpenAPI schema says exactly what
is accepted: a form's empty field (no filter) and spaces around a value are allowed, a NUL byte in
free text is not (no database stores one).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from .. import filters
from ..errors import FilterError
from ..store.aggregates import EventFilter
from .models import MAX_LIMIT
from .service import Workbench

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "GROUP")


def _field(pattern: str) -> str:
    """A form field's pattern: empty (no filter), or the value with spaces around it."""
    return f"^ *(?:{pattern})? *$"


#: A year (1000 to 9999), a month of it or a day of it; a day the month lacks (Feb 30) is refused by
#: `filters.check_date` with the same words.
DATE = _field(r"[1-9][0-9]{3}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?")
CODE = _field(r"[A-Za-z][A-Za-z0-9_-]{0,39}")  # kept for declarations that take any code
# The values a filter can match, declared as such (from `parley.filters`, their one owner), so that
# "type=FOO" or "country=GB" is a 422 that says what is allowed, never "200 []".
EVENT_TYPE = _field("|".join(filters.EVENT_TYPES))
COUNTRY = _field("|".join(sorted(filters.country_codes())))
SECTOR = _field("|".join(filters.sector_ids()))
MODE = _field("|".join(filters.modes()))
STAGE = _field("|".join(filters.STAGES))
ENTITY_TYPE = _field("|".join(ENTITY_TYPES))
ENTITY_TYPE_IN_PATH = f"^(?:{'|'.join(ENTITY_TYPES)})$"
TEXT = r"^[^\x00]*$"  # anything but a NUL byte
MAX_OFFSET = 1_000_000

_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD"

#: What each pattern allows, in words: a refusal says this rather than the pattern.
PATTERN_HINTS = {
    DATE: f"a date: {_DATE_HELP}",
    CODE: "a code such as CONSULT, GBR or automotive (a letter, then letters, digits, _ or -)",
    EVENT_TYPE: f"a PLOVER event type: {', '.join(filters.EVENT_TYPES)}",
    COUNTRY: "an ISO 3166-1 alpha-3 country code in capitals, e.g. GBR, IND; or EUR, IGO, NGO, UNO for international bodies",
    SECTOR: "a sector id such as automotive, energy or healthcare (`parley sectors` lists them)",
    MODE: f"a PLOVER mode: {', '.join(filters.modes())}",
    ENTITY_TYPE: f"one of {', '.join(ENTITY_TYPES)}",
    ENTITY_TYPE_IN_PATH: f"one of {', '.join(ENTITY_TYPES)}",
    TEXT: "text without NUL bytes",
}


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench


def _blank(value: str | None) -> str | None:
    """An empty form field means no filter."""
    return value.strip() or None if value is not None else None


def _code(description: str, pattern: str = CODE) -> Any:
    return Query(description=description, max_length=40, pattern=pattern)


def _text(description: str, max_length: int = 200) -> Any:
    return Query(description=description, max_length=max_length, pattern=TEXT)


def _date(description: str) -> Any:
    return Query(description=f"{description} ({_DATE_HELP})", max_length=10, pattern=DATE)


def event_filter(
    type: Annotated[str | None, _code("PLOVER event type, e.g. CONSULT", EVENT_TYPE)] = None,
    country: Annotated[str | None, _code("ISO 3166-1 alpha-3 of a participant", COUNTRY)] = None,
    sector: Annotated[str | None, _code("sector id, e.g. automotive", SECTOR)] = None,
    since: Annotated[str | None, _date("on or after")] = None,
    until: Annotated[str | None, _date("on or before, inclusive at its precision")] = None,
    actor: Annotated[str | None, _text("part of an actor's name")] = None,
    recipient: Annotated[str | None, _text("part of a recipient's name")] = None,
    mode: Annotated[str | None, _code("PLOVER mode, e.g. visit", MODE)] = None,
    place: Annotated[str | None, _text("part of the event's place name")] = None,
    actor_is: Annotated[str | None, _text("an actor's exact TYPE:name, e.g. PERSON:Xi Jinping", 320)] = None,
    recipient_is: Annotated[str | None, _text("a recipient's exact TYPE:name", 320)] = None,
    place_is: Annotated[str | None, _text("the event's place, exact TYPE:name", 320)] = None,
) -> EventFilter:
    """Event filters from the query string; empty fields are ignored."""
    given = {"type": type, "country": country, "sector": sector, "since": since, "until": until,
             "actor": actor, "recipient": recipient, "mode": mode, "place": place,
             "actor_is": actor_is, "recipient_is": recipient_is, "place_is": place_is}
    values = {k: _blank(v) for k, v in given.items()}
    calendar_dates(since=values["since"], until=values["until"])
    return EventFilter(**values)


def calendar_dates(**dates: str | None) -> None:
    """A date the pattern lets through but the calendar lacks ("2025-02-30") is a 422 like any other."""
    for name, value in dates.items():
        try:
            filters.check_date(name, value)
        except FilterError as exc:
            raise RequestValidationError([{"type": "value_error", "loc": ("query", name), "input": value,
                                           "msg": f"{exc.value!r} is not {exc.allowed}"}]) from None


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
    speaker: Annotated[str | None, _text("part of the speaker's name")] = None,
    country: Annotated[str | None, _code("the speaker's ISO 3166-1 alpha-3", COUNTRY)] = None,
    org: Annotated[str | None, _text("part of the speaker's organisation")] = None,
    cue: Annotated[str | None, _text("reporting verb, e.g. said", 40)] = None,
    kind: Annotated[str | None, Query(description="direct, indirect or mixed",
                                      pattern=_field("direct|indirect|mixed"))] = None,
    min_stance: Annotated[float | None, Query(ge=-1, le=1)] = None,
    max_stance: Annotated[float | None, Query(ge=-1, le=1)] = None,
) -> QuoteFilter:
    given = {"speaker": speaker, "speaker_country": country, "organisation": org, "cue": cue, "kind": kind}
    return QuoteFilter(**{k: _blank(v) for k, v in given.items()}, min_stance=min_stance, max_stance=max_stance)


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
class PipelineFilter(OpportunityFilter):
    """The filters of `Store.pipeline`: those of the opportunities, and the stage reached."""

    stage: str | None = None


def pipeline_filter(filters: Annotated[EventFilter, Depends(event_filter)],
                    stage: Annotated[str | None, _code("intent, agreement or under_way", STAGE)] = None,
                    ) -> PipelineFilter:
    return PipelineFilter(filters.sector, filters.country, filters.since, filters.until, _blank(stage))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ArticleFilter:
    since: str | None = None
    until: str | None = None


def article_filter(
    since: Annotated[str | None, _date("published on or after")] = None,
    until: Annotated[str | None, _date("published on or before")] = None,
) -> ArticleFilter:
    calendar_dates(since=_blank(since), until=_blank(until))
    return ArticleFilter(_blank(since), _blank(until))


@dataclass(frozen=True)
class EntityFilter:
    type: str | None = None
    name: str | None = None


def entity_filter(
    type: Annotated[str | None, Query(description=", ".join(ENTITY_TYPES), max_length=10, pattern=ENTITY_TYPE)] = None,
    name: Annotated[str | None, _text("part of the name")] = None,
) -> EntityFilter:
    return EntityFilter(_blank(type), _blank(name))


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page(
    limit: Annotated[int, Query(ge=1, description=f"rows per page, at most {MAX_LIMIT}: a larger limit is served "
                                                  f"as {MAX_LIMIT}, and the answer's `limit` says so",
                                json_schema_extra={"x-maximum-served": MAX_LIMIT})] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> Page:
    """The page asked for, its size capped at MAX_LIMIT (a client asking for everything gets the
    first pages, not a refusal)."""
    return Page(min(limit, MAX_LIMIT), offset)


Bench = Annotated[Workbench, Depends(workbench)]
Filters = Annotated[EventFilter, Depends(event_filter)]
Quotes = Annotated[QuoteFilter, Depends(quote_filter)]
Opportunities = Annotated[OpportunityFilter, Depends(opportunity_filter)]
Pipeline = Annotated[PipelineFilter, Depends(pipeline_filter)]
Articles = Annotated[ArticleFilter, Depends(article_filter)]
Entities = Annotated[EntityFilter, Depends(entity_filter)]
Paging = Annotated[Page, Depends(page)]
SearchText = Annotated[str, Query(description='words (all required), "a phrase", word* for a prefix',
                                  max_length=500, pattern=TEXT)]
