"""What the JSON API answers, declared: one pydantic model per list row, per list page and per
single object, so the OpenAPI schema names every field and a generated client gets typed models.

Every list answers an envelope (`items`, `total`, `limit`, `offset`, `next`); rows keep any field
the store adds later (`extra="allow"`), but the fields below are the promise.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: The most rows one page of a list holds: a larger `limit` is served as this many.
MAX_LIMIT = 500


class Row(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- list rows -----------------------------------------------------------------------------------

class ArticleRow(Row):
    """One stored article's metadata, with counts of what was found in it."""

    id: str
    file: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD, as the source gave it")
    headline: str | None = None
    dateline: str | None = None
    language: str | None = None
    duplicate_of: str | None = Field(None, description="the article this one nearly repeats")
    ingested_at: str | None = Field(None, description="ISO 8601 UTC")
    entities: int
    mentions: int
    quotes: int
    events: int


class EntityRow(Row):
    """An entity across articles: its (type, name), how often it is named, its usual country and sector."""

    type: str
    name: str
    articles: int
    mentions: int
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = []
    titles: list[str] = []


class Role(Row):
    title: str
    of: str | None = None


class QuoteRow(Row):
    """An attributed statement, with its speaker as resolved in its article."""

    article_id: str
    id: str
    speaker: str | None = None
    speaker_id: str | None = None
    speaker_text: str | None = None
    speaker_type: str | None = None
    speaker_country: str | None = None
    speaker_roles: list[Role] = []
    speaker_affiliation: list[str] = []
    cue: str | None = None
    kind: str | None = Field(None, description="direct, indirect or mixed")
    text: str
    start: int | None = None
    end: int | None = None
    stance: float | None = Field(None, description="-1 (hostile) to 1 (warm)")
    headline: str | None = None
    published: str | None = None


class EventRow(Row):
    """A PLOVER event with its participants' names, place, dates and sectors."""

    article_id: str
    id: str
    type: str = Field(description="PLOVER event type")
    mode: str | None = None
    date: str | None = Field(None, description="the date as analysed, ISO 8601 at its precision: 2025, 2025-03, "
                             "2025-03-19, --04-20 (no year), or an interval 2025-03-19/2025-03-21")
    date_start: str | None = Field(None, description="the first calendar day of `date` (YYYY-MM-DD)")
    date_end: str | None = Field(None, description="the last calendar day of `date` (YYYY-MM-DD)")
    date_text: str | None = None
    precision: str | None = Field(None, description="day, month, year ... : how precise `date` is")
    when_start: str | None = Field(None, description="the event's date, else its article's")
    when_end: str | None = None
    location_id: str | None = None
    trigger: str | None = None
    negated: bool | None = None
    hypothetical: bool | None = None
    confidence: float | None = None
    headline: str | None = None
    published: str | None = None
    actors: list[str] = []
    actor_ids: list[str] = []
    recipients: list[str] = []
    recipient_ids: list[str] = []
    countries: list[str] = []
    location: str | None = None
    sectors: list[str] = []
    actor_types: list[str | None] = []
    recipient_types: list[str | None] = []
    location_type: str | None = None


class OpportunityRow(Row):
    """A stated intent to cooperate (an AGREE event, not negated), with the quote or sentence as evidence."""

    article_id: str
    published: str | None = None
    date: str | None = None
    actor: list[str] = []
    actor_country: str | None = None
    recipient: list[str] = []
    recipient_country: str | None = None
    sectors: list[str] = []
    evidence: str | None = None
    trigger: str | None = None


class SearchHit(Row):
    id: str
    headline: str | None = None
    published: str | None = None
    source: str | None = None
    duplicate_of: str | None = None
    snippet: str | None = Field(None, description="the text around the matched words, marked with [ and ]")
    rank: float | None = Field(None, description="higher is better")


# --- list pages ----------------------------------------------------------------------------------

class Envelope(BaseModel):
    """One page of a list: its rows, how many there are in all, and where the next page is."""

    items: list[Any] = Field(description="this page's rows")
    total: int = Field(description="rows matching the filters, on every page")
    limit: int = Field(description=f"rows per page as served (a larger `limit` asked is served as {MAX_LIMIT})",
                       le=MAX_LIMIT)
    offset: int = Field(description="rows skipped before this page")
    next: str | None = Field(description="the next page's URL; null on the last page")


class ArticlePage(Envelope):
    items: list[ArticleRow]


class EntityPage(Envelope):
    items: list[EntityRow]


class QuotePage(Envelope):
    items: list[QuoteRow]


class EventPage(Envelope):
    items: list[EventRow]


class OpportunityPage(Envelope):
    items: list[OpportunityRow]


class StageEvidence(Row):
    """One event that shows a stage, with the sentence that says so; `reports`: how many reports of it."""

    article_id: str
    event_id: str
    type: str
    date: str | None = None
    published: str | None = None
    headline: str | None = None
    actors: list[str] = []
    recipients: list[str] = []
    sentence: str = ""
    story_id: str | None = None
    reports: int = 1


class PipelineEvidence(Row):
    intent: list[StageEvidence] = []
    agreement: list[StageEvidence] = []
    under_way: list[StageEvidence] = []


class PipelineEvidenceCounts(Row):
    """How many pieces of evidence each stage has in all (the row shows the newest few)."""

    intent: int = 0
    agreement: int = 0
    under_way: int = 0


class PipelineEvidenceLinks(Row):
    """Per stage, the URL of the evidence the row does not show (`/api/pipeline/evidence`), or null."""

    intent: str | None = None
    agreement: str | None = None
    under_way: str | None = None


class PipelineRow(Row):
    """A cooperation between two sides in a sector, at the furthest stage its events show."""

    sides: list[str] = Field(description="the two sides: countries (ISO3) where known, else names")
    sector: str | None = None
    stage: str = Field(description="intent, agreement or under_way: the furthest reached")
    stages: list[str] = []
    parties: list[str] = []
    reports: int
    first_reported: str | None = None
    last_reported: str | None = None
    evidence: PipelineEvidence = Field(description="each stage's newest pieces of evidence (a page shows a few, "
                                                   "an export all)")
    evidence_total: PipelineEvidenceCounts | None = None
    evidence_next: PipelineEvidenceLinks | None = None


class PipelinePage(Envelope):
    items: list[PipelineRow]


class FacetCount(Row):
    value: str
    articles: int | None = None
    events: int | None = None


class Facets(Row):
    type: list[FacetCount] = []
    sector: list[FacetCount] = []
    country: list[FacetCount] = []


class SearchPage(Envelope):
    """Search hits: the best of the newest matching articles, narrowed by the filters."""

    items: list[SearchHit]
    query: str
    window: int = Field(description="at most this many hits are ranked and filtered")
    ranked: int
    matches: int = Field(description="articles matching the words, counted up to a cap")
    more_matches: bool = Field(description="more articles match than `matches` says")
    facets: Facets


# --- single objects ------------------------------------------------------------------------------

class Counts(Row):
    articles: int
    near_duplicates: int
    entities: int
    mentions: int
    quotes: int
    events: int


class Geo(Row):
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    geonameid: int | None = None
    country: str | None = None
    kind: str | None = None


class Span(Row):
    start: int | None = None
    end: int | None = None
    text: str | None = None


class DocArticle(Row):
    id: str
    text: str
    file: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    headline: str | None = None
    dateline: str | None = None
    language: str | None = None
    captions: list[str] = []
    dateline_geo: Geo | None = None


class DocRole(Row):
    title: str
    of: str | None = None
    start: int | None = None
    end: int | None = None


class DocEntity(Row):
    id: str
    type: str
    name: str
    aliases: list[str] = []
    country: str | None = None
    sector: str | None = None
    roles: list[DocRole] = []
    geo: Geo | None = None
    mentions: list[Span] = []
    members: str | None = None


class DocQuote(Row):
    id: str
    text: str
    start: int | None = None
    end: int | None = None
    speaker: str | None = Field(None, description="the speaker's entity id")
    speaker_text: str | None = None
    cue: str | None = None
    kind: str | None = None
    stance: float | None = None
    spans: list[Any] = []


class DocDate(Row):
    start: str | None = None
    end: str | None = None
    text: str | None = None
    precision: str | None = None


class DocEvent(Row):
    id: str
    type: str
    trigger: Span | None = None
    sentence: Span | None = None
    mode: str | None = None
    actor: list[str] = Field([], description="entity ids")
    recipient: list[str] = Field([], description="entity ids")
    location: str | None = Field(None, description="an entity id")
    date: DocDate | None = None
    sectors: list[str] = []
    negated: bool | None = None
    hypothetical: bool | None = None
    confidence: float | None = None


class DocTime(Row):
    id: str
    text: str | None = None
    start: int | None = None
    end: int | None = None
    value: str | None = None
    value_end: str | None = None
    precision: str | None = None


class ArticleDocument(Row):
    """One article's parley.article/1 document: the article and what was found in it, with offsets
    into `article.text`."""

    schema_: str = Field(alias="schema", description="parley.article/1")
    article: DocArticle
    entities: list[DocEntity] = []
    quotes: list[DocQuote] = []
    events: list[DocEvent] = []
    dates: list[DocTime] = []

    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True)


class ProfileRole(Row):
    title: str
    of: str | None = None
    first: str | None = None
    last: str | None = None
    articles: int | None = None


class ProfileQuote(Row):
    article_id: str
    id: str
    cue: str | None = None
    kind: str | None = None
    text: str
    stance: float | None = None
    headline: str | None = None
    published: str | None = None


class Counterpart(Row):
    type: str
    name: str
    events: int


class ArticleRef(Row):
    id: str
    headline: str | None = None
    published: str | None = None
    source: str | None = None


class EntityProfile(Row):
    """One entity across articles: roles over time, quotes, events, who it met most."""

    type: str
    name: str
    articles: int
    mentions: int
    aliases: list[str] = []
    countries: list[str] = []
    sectors: list[str] = []
    geo: Geo | None = None
    roles: list[ProfileRole] = []
    quotes: list[ProfileQuote] = []
    events: list[EventRow] = []
    counterparts: list[Counterpart] = []
    recent_articles: list[ArticleRef] = []


class TimelineRow(Row):
    period: str = Field(description="YYYY-MM or YYYY")
    key: str | None = Field(None, description="the type, sector or country")
    events: int


class Node(Row):
    id: str = Field(description="TYPE:name")
    type: str
    name: str
    events: int


class Edge(Row):
    source_type: str
    source: str
    target_type: str
    target: str
    events: int
    types: dict[str, int] | None = Field(None, description="the edge's events by type (absent: every type, unsplit)")


class Network(Row):
    nodes: list[Node]
    edges: list[Edge]


class Place(Row):
    type: str
    name: str
    events: int
    lat: float
    lon: float
    country: str | None = None
    kind: str | None = Field(None, description="the gazetteer's kind: city, admin1, country, region or continent")
    area: bool = Field(False, description="an area (region, continent) the map lists rather than pins at a point")
