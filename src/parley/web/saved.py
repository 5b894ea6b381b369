"""Saved searches on the web: /api/saved (list, make, run, mark seen, delete) and the home page's
"N new since you last looked".

Reading is open like the rest of the API; making, marking and deleting need the server's bearer
token, checked before the body is read (`ingest.authorise`, as for POST /api/articles). The body's
schema is exact per kind (the filters each kind takes, with the patterns of the list's own query
parameters, `deps.py`), so a request the schema calls valid is saved, and `parley.alerts` checks
the values again with `parley.filters`. The API shows where alerts go only as the webhook's host
and a count of addresses: a webhook URL often holds a credential, and addresses are personal.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from .. import alerts
from ..alerts import saved as S
from ..alerts.saved import NAME
from ..errors import FilterError, ParleyError
from . import models, pages
from .api import envelope
from .deps import COUNTRY, DATE, EVENT_TYPE, MODE, SECTOR, TEXT, Bench, Paging
from .ingest import Credentials, _body_within, authorise
from .urls import with_query

router = APIRouter(prefix="/api", tags=["saved"])

WEBHOOK = r"^https?://[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*" \
          r"(:[1-9][0-9]{0,3})?(/[!-~]*)?$"
EMAIL = r"^[!-+\--:=?A-~]+@[!-+\--:=?A-~]+\.[!-+\--:=?A-~]+$"  # printable ASCII but space , ; < > @
WORD = r"^[^\x00]*[A-Za-z0-9][^\x00]*$"


def _opt(pattern: str, max_length: int = 40) -> Any:
    return Field(None, pattern=pattern, max_length=max_length)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # 0 is not false, "2" not 2: as the schema says


class EventParams(_Params):
    type: str | None = _opt(EVENT_TYPE)
    country: str | None = _opt(COUNTRY)
    sector: str | None = _opt(SECTOR, 80)
    actor: str | None = _opt(TEXT, 200)
    recipient: str | None = _opt(TEXT, 200)
    mode: str | None = _opt(MODE)
    place: str | None = _opt(TEXT, 200)
    since: str | None = _opt(DATE, 14)
    until: str | None = _opt(DATE, 14)


class VisitParams(_Params):
    place: str | None = Field(None, pattern=TEXT, max_length=200,
                              description="a place the gazetteer knows (404 names close ones when it does not)")
    visitor_country: str | None = _opt(COUNTRY)
    sector: str | None = _opt(SECTOR, 80)
    since: str | None = _opt(DATE, 14)
    until: str | None = _opt(DATE, 14)


class QuoteParams(_Params):
    speaker: str | None = _opt(TEXT, 200)
    speaker_country: str | None = _opt(COUNTRY)
    organisation: str | None = _opt(TEXT, 200)
    cue: str | None = _opt(TEXT, 40)
    kind: Literal["direct", "indirect", "mixed"] | None = None
    min_stance: float | None = Field(None, ge=-1, le=1)
    max_stance: float | None = Field(None, ge=-1, le=1)


class OpportunityParams(_Params):
    sector: str | None = _opt(SECTOR, 80)
    country: str | None = _opt(COUNTRY)
    since: str | None = _opt(DATE, 14)
    until: str | None = _opt(DATE, 14)


class StoryParams(_Params):
    type: str | None = _opt(EVENT_TYPE)
    country: str | None = _opt(COUNTRY)
    sector: str | None = _opt(SECTOR, 80)
    place: str | None = _opt(TEXT, 200)
    since: str | None = _opt(DATE, 14)
    until: str | None = _opt(DATE, 14)
    min_reports: int | None = Field(None, ge=1, le=1_000_000)


class SearchParams(_Params):
    query: str = Field(pattern=WORD, max_length=500, description='words (all required), "a phrase", word*')


class _SavedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(pattern=NAME, max_length=100, description="unique; 1 to 100 characters, no slash")
    webhook: str | None = Field(None, pattern=WEBHOOK, max_length=2000,
                                description="alerts go to this URL as a JSON POST")
    secret: str | None = Field(None, pattern=r"^[!-~]+$", max_length=500,
                               description="signs each webhook message: X-Parley-Signature: sha256=HMAC of the body")
    emails: list[Annotated[str, Field(pattern=EMAIL, max_length=320)]] = Field([], max_length=50)
    include_existing: bool = Field(False, description="count what the search matches now as new too")


class EventsIn(_SavedIn):
    kind: Literal["events"]
    params: EventParams = EventParams()


class VisitsIn(_SavedIn):
    kind: Literal["visits"]
    params: VisitParams = VisitParams()


class QuotesIn(_SavedIn):
    kind: Literal["quotes"]
    params: QuoteParams = QuoteParams()


class OpportunitiesIn(_SavedIn):
    kind: Literal["opportunities"]
    params: OpportunityParams = OpportunityParams()


class StoriesIn(_SavedIn):
    kind: Literal["stories"]
    params: StoryParams = StoryParams()


class SearchIn(_SavedIn):
    kind: Literal["search"]
    params: SearchParams


SavedIn = TypeAdapter(Annotated[EventsIn | VisitsIn | QuotesIn | OpportunitiesIn | StoriesIn | SearchIn,
                                Field(discriminator="kind")])


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its $defs written in place (the operation's body schema stands alone)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(dict(defs[node["$ref"].rsplit("/", 1)[1]]))
            return {k: walk(v) for k, v in node.items() if k != "discriminator"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": _inlined(SavedIn.json_schema())}}}}


class Alerts(BaseModel):
    webhook_host: str | None = Field(None, description="the host alerts are posted to (the URL itself is not shown)")
    signed: bool = False
    emails: int = Field(0, description="how many addresses alerts are mailed to")


class Saved(BaseModel):
    name: str
    kind: str
    params: dict[str, Any]
    created_at: str
    looked_at: str | None = None
    new: int = Field(description="items (one per story) the search matches that were not there when it was last looked at")
    alerts: Alerts
    url: str = Field(description="this saved search in the API")
    page: str = Field(description="the list page with the search's filters")


class SavedPage(models.Envelope):
    items: list[Saved]


class SavedRun(BaseModel):
    search: Saved
    rows: list[dict[str, Any]] = Field(description="the rows the kind's list gives for the search's filters")


def api_url(name: str) -> str:
    return f"/api/saved/{quote(name, safe='')}"


#: How a kind's filters are named in its list page's query string, where that differs.
_PAGE = {"events": ("/events", {}), "visits": ("/visits", {}), "opportunities": ("/opportunities", {}),
         "stories": ("/stories", {}), "search": ("/search", {"query": "q"}),
         "quotes": ("/quotes", {"speaker_country": "country", "organisation": "org"})}


def page_url(kind: str, params: dict[str, Any]) -> str:
    path, names = _PAGE[kind]
    return with_query(path, **{names.get(k, k): v for k, v in params.items()})


def _out(search: S.SavedSearch, new: int) -> dict[str, Any]:
    import httpx

    host = httpx.URL(search.webhook_url).host if search.webhook_url else None
    return {"name": search.name, "kind": search.kind, "params": search.params, "created_at": search.created_at,
            "looked_at": search.looked_at, "new": new,
            "alerts": {"webhook_host": host, "signed": bool(search.webhook_secret), "emails": len(search.emails)},
            "url": api_url(search.name), "page": page_url(search.kind, search.params)}


def _listing(bench: Any) -> list[dict[str, Any]]:
    """Every saved search with its new items, each count kept until an article is stored or the
    search is looked at (it runs the whole search: a second on a store of 10,000 events)."""
    from ..alerts.tables import SEEN

    def new(s: S.SavedSearch) -> int:
        return bench.cached(("saved-new", s.id, s.kind, repr(s.params), s.looked_at),
                            lambda: len(S.new_items(bench.store, s, SEEN)))

    return [_out(s, new(s)) for s in S.all_searches(bench.store)]


def _found(bench: Any, name: str) -> S.SavedSearch:
    try:
        return S.get(bench.store, name)
    except alerts.SavedSearchError as exc:
        raise HTTPException(404, str(exc)) from None


Name = Annotated[str, PathParam(max_length=100, pattern=NAME)]
_NOT_FOUND = {404: {"description": "No saved search of that name"}}
_GUARDED = {401: {"description": "missing or wrong token"}, 403: {"description": "read-only server"}}


@router.get("/saved", summary="Saved searches, each with how many items are new since it was last looked at",
            response_model=SavedPage)
def saved_searches(request: Request, response: Response, bench: Bench, p: Paging) -> Any:
    rows = _listing(bench)
    return envelope(request, response, rows[p.offset:p.offset + p.limit], len(rows), p)


@router.post("/saved", status_code=201, summary="Save a search under a name, with where its alerts go (needs the token)",
             response_model=Saved, openapi_extra=_BODY,
             responses={**_GUARDED, 201: {"headers": {"Location": {"required": True, "schema": {"type": "string"},
                                                                  "description": "the saved search: /api/saved/NAME"}}},
                        404: {"description": "a visit's place the gazetteer does not know (the detail names close ones)"},
                        409: {"description": "a saved search of that name exists"},
                        413: {"description": "body too large"}, 422: {"description": "not a saved search"}})
async def save(request: Request, response: Response, bench: Bench, credentials: Credentials) -> Any:
    authorise(bench, credentials)
    raw = await _body_within(request, 64_000)
    try:
        body = SavedIn.validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
    params = {k: v.strip() if isinstance(v, str) else v
              for k, v in body.params.model_dump(exclude_none=True).items()}
    params = {k: v for k, v in params.items() if v != ""}
    try:
        search = await run_in_threadpool(
            alerts.add, bench.store, body.name, body.kind, params, webhook=body.webhook, secret=body.secret,
            emails=body.emails, baseline=not body.include_existing)
    except FilterError as exc:
        if exc.parameter == "place" and body.kind == "visits":
            raise HTTPException(404, str(exc)) from None
        raise HTTPException(422, str(exc)) from None
    except alerts.SavedSearchError as exc:
        raise HTTPException(409 if "exists" in str(exc) else 422, str(exc)) from None
    response.headers["Location"] = api_url(search.name)
    return _out(search, 0)


@router.get("/saved/{name}", summary="Run a saved search: its rows, and how many items are new (marks nothing)",
            response_model=SavedRun, responses=_NOT_FOUND)
def run_saved(bench: Bench, name: Name, p: Paging) -> Any:
    search, rows, new = alerts.show(bench.store, _found(bench, name).name, seen=False)
    return {"search": _out(search, new), "rows": rows[p.offset:p.offset + p.limit]}


@router.post("/saved/{name}/seen", summary="Mark what a saved search matches now as looked at (needs the token)",
             response_model=Saved, responses={**_GUARDED, **_NOT_FOUND})
def mark_seen(bench: Bench, credentials: Credentials, name: Name) -> Any:
    authorise(bench, credentials)
    search, _, _ = alerts.show(bench.store, _found(bench, name).name, seen=True)
    return _out(S.get(bench.store, search.name), 0)


@router.delete("/saved/{name}", status_code=204, summary="Forget a saved search (needs the token)",
               response_class=Response, responses={**_GUARDED, **_NOT_FOUND})
def delete_saved(bench: Bench, credentials: Credentials, name: Name) -> Response:
    authorise(bench, credentials)
    alerts.remove(bench.store, _found(bench, name).name)
    return Response(status_code=204)


# --- the home page -----------------------------------------------------------------------------

def home_rows(request: Request) -> list[dict[str, Any]]:
    """The saved searches and their new items, for the home page (none if the store cannot say)."""
    try:
        return _listing(request.app.state.workbench)
    except ParleyError:  # the overview shows without them rather than fail
        return []


pages._env.globals["saved_searches"] = home_rows
