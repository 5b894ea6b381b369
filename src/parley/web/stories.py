"""Stories and identities on the web: /api/stories, /api/identities (lists and one each) and the
story page, where the reports of one event stand side by side with their outlet, date and
sentence, and where they disagree (the event's dates) is said.

Read from the stored result (`store/resolved.py`); the server does not resolve (it only reads):
`parley ingest`, `load` and `resolve` do. POST /api/corrections/merge and /split (with the
server's token, as POST /api/articles) store a correction and re-resolve what it touches.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from ..errors import StoreError
from ..store import resolved
from .api import PAGED, envelope
from .deps import COUNTRY, DATE, ENTITY_TYPE, EVENT_TYPE, SECTOR, TEXT, Bench, Paging
from .models import Envelope, Row
from .ingest import Credentials, authorise

api = APIRouter(prefix="/api", tags=["api"])
pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
ID = r"^[a-z0-9]{4,40}$"
NOT_FOUND = {404: {"description": "No such story or identity"}}


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _story_rows(bench: Bench, type: str | None, country: str | None, sector: str | None, place: str | None,
                since: str | None, until: str | None, min_reports: int | None, limit: int, offset: int) -> list[dict]:
    return bench.store.read(resolved.list_stories, type=_blank(type), country=_blank(country),
                              sector=_blank(sector), place=_blank(place), since=_blank(since),
                              until=_blank(until), min_reports=min_reports, limit=limit, offset=offset)


StoryType = Annotated[str | None, Query(pattern=EVENT_TYPE, description="PLOVER event type")]
Country = Annotated[str | None, Query(pattern=COUNTRY, description="a participant's ISO 3166-1 alpha-3 code")]
Sector = Annotated[str | None, Query(pattern=SECTOR, description="sector id")]
Place = Annotated[str | None, Query(max_length=200, pattern=TEXT, description="part of a place name")]
Since = Annotated[str | None, Query(pattern=DATE, description="on or after: YYYY, YYYY-MM or YYYY-MM-DD")]
Until = Annotated[str | None, Query(pattern=DATE, description="on or before: YYYY, YYYY-MM or YYYY-MM-DD")]
MinReports = Annotated[int | None, Query(ge=1, le=100000, description="at least this many reports")]
Name = Annotated[str | None, Query(max_length=200, pattern=TEXT, description="part of any of its names")]
IdentityType = Annotated[str | None, Query(pattern=ENTITY_TYPE, description="PERSON, ORG, GPE ...")]
StoryId = Annotated[str, PathParam(pattern=ID, description="a story id (or a unique prefix)")]
IdentityId = Annotated[str, PathParam(pattern=ID, description="an identity id (or a unique prefix)")]


class StoryRow(Row):
    """A story: one event across the articles that report it."""

    id: str
    type: str
    reports: int
    articles: int
    outlets: int
    first_report: str | None = None
    last_report: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    place: list[str] = []
    participants: list[str] = []
    countries: list[str] = []
    sectors: list[str] = []
    part_of: str | None = Field(None, description="the visit or meeting a signing happened during")


class StoryPage(Envelope):
    items: list[StoryRow]


class IdentityRow(Row):
    """A person, body or place across articles."""

    id: str
    type: str
    name: str
    country: str | None = None
    articles: int
    names: list[str] = []
    roles: list[str] = Field([], description="titles held, with whom of")


class IdentityPage(Envelope):
    items: list[IdentityRow]


@api.get("/stories", summary="Stories: one event across the articles that report it, most reported first",
         response_model=StoryPage, responses=PAGED)
def stories(request: Request, response: Response, bench: Bench, p: Paging, type: StoryType = None,
            country: Country = None, sector: Sector = None, place: Place = None, since: Since = None,
            until: Until = None, min_reports: MinReports = None) -> Any:
    rows = _story_rows(bench, type, country, sector, place, since, until, min_reports, p.limit, p.offset)
    total = bench.store.read(resolved.count_stories, type=_blank(type), country=_blank(country),
                               sector=_blank(sector), place=_blank(place), since=_blank(since),
                               until=_blank(until), min_reports=min_reports)
    return envelope(request, response, rows, total, p)


@api.get("/stories/{story_id}", summary="One story with its reports (sentence, outlet, date)", responses=NOT_FOUND)
def story(bench: Bench, story_id: StoryId) -> dict[str, Any]:
    return _story(bench, story_id)


@api.get("/identities", summary="People, bodies and places across articles, in most articles first",
         response_model=IdentityPage, responses=PAGED)
def identities(request: Request, response: Response, bench: Bench, p: Paging, name: Name = None,
               type: IdentityType = None) -> Any:
    rows = bench.store.read(resolved.list_identities, name=_blank(name), type=_blank(type),
                              limit=p.limit, offset=p.offset)
    total = bench.store.read(resolved.count_identities, name=_blank(name), type=_blank(type))
    return envelope(request, response, rows, total, p)


MentionsLimit = Annotated[int, Query(ge=1, le=1000, description="mentions per page (a head of state has thousands)")]
MentionsOffset = Annotated[int, Query(ge=0, description="mentions to skip")]


@api.get("/identities/{identity_id}", summary="One identity: names, roles over time, mentions (a page of them)",
         responses=NOT_FOUND)
def identity(request: Request, bench: Bench, identity_id: IdentityId, mentions_limit: MentionsLimit = 100,
             mentions_offset: MentionsOffset = 0) -> dict[str, Any]:
    """The record `parley export --format identities` writes, its mentions a page at a time
    (`mentions_total`, and `mentions_next` the URL of the next page or null): the export and
    the CLI keep them all."""
    record = bench.store.read(resolved.get_record, table=resolved.identities, wanted=identity_id)
    if record is None:
        raise HTTPException(404, f"no identity {identity_id!r}")
    mentions = record.get("mentions", [])
    end = mentions_offset + mentions_limit
    record["mentions"] = mentions[mentions_offset:end]
    nxt = str(request.url.include_query_params(mentions_offset=end, mentions_limit=mentions_limit)) \
        if end < len(mentions) else None
    record |= {"mentions_total": len(mentions), "mentions_offset": mentions_offset,
               "mentions_limit": mentions_limit, "mentions_next": nxt}
    return record


def _story(bench: Bench, story_id: str) -> dict[str, Any]:
    record = bench.store.read(resolved.get_record, table=resolved.stories, wanted=story_id)
    if record is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return record


@pages.get("/stories")
def stories_page(request: Request, bench: Bench, p: Paging, type: StoryType = None, country: Country = None,
                 sector: Sector = None, place: Place = None, since: Since = None, until: Until = None,
                 min_reports: MinReports = None) -> HTMLResponse:
    from .pages import render

    rows = _story_rows(bench, type, country, sector, place, since, until, min_reports, p.limit, p.offset)
    f = {"type": type, "country": country, "sector": sector, "place": place, "since": since, "until": until,
         "min_reports": min_reports}
    return render(request, "stories.html", rows=rows, f=f, page=p, args={k: v for k, v in f.items() if v})


@pages.get("/stories/{story_id}")
def story_page(request: Request, bench: Bench, story_id: StoryId) -> HTMLResponse:
    from .pages import render

    record = _story(bench, story_id)
    return render(request, "story.html", s=record, row=resolved.story_row(record), disagree=disagreements(record))


def disagreements(record: dict) -> list[str]:
    """Where the reports differ: the event's dates they give (announcements left out)."""
    said = {tuple(r["when"]) for r in record["reports"] if r.get("when") and not r["planned"] and not r["by_dateline"]}
    if len(said) < 2:
        return []
    return ["the reports give the event different dates: " +
            "; ".join(a if a == b else f"{a} to {b}" for a, b in sorted(said))]


class MergeIn(BaseModel):
    first: str = Field(pattern=ID, description="an identity or story id (or a unique prefix)")
    second: str = Field(pattern=ID, description="another of the same kind")


class SplitIn(BaseModel):
    id: str = Field(pattern=ID, description="an identity or story id (or a unique prefix)")
    articles: list[Annotated[str, Field(min_length=1, max_length=200, pattern=TEXT)]] = Field(
        min_length=1, max_length=1000, description="article ids (or prefixes of 6 or more) whose mentions or reports are set apart")


_WRITE = {401: {"description": "missing or wrong token"}, 403: {"description": "read-only server"},
          404: {"description": "no such story or identity"}, 422: {"description": "a correction that cannot be made"}}


@api.post("/corrections/merge", summary="Make two identities (or two stories) one, through later ingests (needs the token)",
          responses=_WRITE)
def merge(bench: Bench, credentials: Credentials, body: MergeIn) -> dict[str, Any]:
    from ..resolve.persist import merge_identities, merge_stories

    authorise(bench, credentials)
    story = body.first.startswith("s") or body.second.startswith("s")
    return _corrected(lambda: (merge_stories if story else merge_identities)(bench.store, body.first, body.second))


@api.post("/corrections/split", summary="Set an identity's mentions (a story's reports) in some articles apart (needs the token)",
          responses=_WRITE)
def split(bench: Bench, credentials: Credentials, body: SplitIn) -> dict[str, Any]:
    from ..resolve.persist import split_identity, split_story

    authorise(bench, credentials)
    fn = split_story if body.id.startswith("s") else split_identity
    return _corrected(lambda: fn(bench.store, body.id, body.articles))


def _corrected(make: Any) -> dict[str, Any]:
    try:
        return make()
    except StoreError as exc:
        raise HTTPException(404 if str(exc).startswith("no ") else 422, str(exc)) from exc
