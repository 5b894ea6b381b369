"""POST /api/articles: analyse one article and store it, only for callers holding the server's token.

Without a token at start-up the server is read-only and refuses every write (403). With one, a
request must carry `Authorization: Bearer <token>` (the schema's `bearer` security scheme);
anything else is a 401 before the body is even looked at, so nothing is analysed or stored. The
article goes through the same path as `parley ingest`: `parley.analyze` (prepare + the pipeline),
then `Store.add` (dedupe + writer).
"""

from __future__ import annotations

import hmac
import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool

from ..errors import SourceError
from ..analysis.pipeline import MAX_TEXT_CHARS
from ..ingest.records import MAX_TEXT_BYTES
from .deps import Bench
from .urls import article_url

router = APIRouter(prefix="/api", tags=["ingest"])


#: Some character that cleaning keeps: not a space, line break or invisible character (ingest/clean.py).
SOMETHING_VISIBLE = (r"[^\t-\r \x00\x1c-\x1f\x85\u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f"
                     r"\u205f\u2060\u3000\ufeff]")
#: An id names a page (/articles/ID): "", "." and ".." cannot.
NOT_ONLY_DOTS = r"[^.]"


class ArticleIn(BaseModel):
    """One article to analyse and store."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, json_schema_extra={"pattern": SOMETHING_VISIBLE},
                      description="the article's body, with something visible in it")
    headline: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD",
                                  json_schema_extra={"format": "date"})  # a calendar day, as the validator says
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=500)
    id: str | None = Field(None, max_length=200, json_schema_extra={"pattern": NOT_ONLY_DOTS},
                           description="your id for it, not only dots; default: sha1 of the text")

    # The patterns of text and id are checked here, by validators, to refuse with a message that says why.
    @field_validator("text")
    @classmethod
    def _something_visible(cls, value: str) -> str:
        if not re.search(SOMETHING_VISIBLE, value):
            raise ValueError("no article text: only spaces, line breaks or invisible characters")
        return value

    @field_validator("id")
    @classmethod
    def _names_a_page(cls, value: str | None) -> str | None:
        if value is not None and not re.search(NOT_ONLY_DOTS, value):
            raise ValueError(f"id {value!r} cannot be part of a web address; give the article another id")
        return value

    @field_validator("published")
    @classmethod
    def _a_real_day(cls, value: str | None) -> str | None:
        """ "2025-13-45" has the shape of a date but names no day: refused, not silently dropped."""
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a calendar date (YYYY-MM-DD)") from None
        return value


class Stored(BaseModel):
    status: str = Field(description="stored, duplicate or near-duplicate")
    article_id: str
    duplicate_of: str | None = None
    url: str = Field(description="the article's page")


#: The token the server was started with (--token-file, $PARLEY_TOKEN or --token), as a bearer token.
bearer = HTTPBearer(scheme_name="bearer", auto_error=False,
                    description="the token `parley serve` was started with; without one the server is read-only")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authorise(bench: Any, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Refuse unless the server has a token and the request carries exactly it."""
    if not bench.token:
        raise HTTPException(403, "this server is read-only: start it with --token to accept articles")
    given = credentials.credentials.strip() if credentials else ""
    if not hmac.compare_digest(given.encode(), bench.token.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": ArticleIn.model_json_schema()}}}}


@router.post("/articles", status_code=201, summary="Analyse and store one article (needs the token)",
             openapi_extra=_BODY,
             responses={201: {"links": {"stored_article": {
                 "operationId": "article", "parameters": {"article_id": "$response.body#/article_id"}}},
                 "headers": {"Location": {"required": True, "schema": {"type": "string"},
                                          "description": "the stored article's document: /api/articles/ID, "
                                                         "the id percent-encoded"}}},
                        401: {"description": "missing or wrong token"}, 403: {"description": "read-only server"},
                        413: {"description": "body too large"},
                        422: {"description": "not an article: bad JSON, or nothing left after cleaning"}})
async def add_article(request: Request, response: Response, bench: Bench, credentials: Credentials) -> Stored:
    # The token is checked before the body is read or parsed: a stranger learns nothing, costs nothing.
    authorise(bench, credentials)
    raw = await _body_within(request, 2 * MAX_TEXT_BYTES)
    try:
        body = ArticleIn.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
    stored = await run_in_threadpool(_store, bench, body)
    response.headers["Location"] = api_article_url(stored.article_id)
    return stored


def api_article_url(article_id: str) -> str:
    """The API's URL of an article's document, its id percent-encoded (a "/" or "?" in it included)."""
    return f"/api/articles/{quote(article_id, safe='')}"


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` (by its declared length, or
    while it streams in): a 200 MB body never sits in the server's memory."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, "body too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, "body too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _store(bench: Any, body: ArticleIn) -> Stored:
    from .. import analyze

    try:
        doc = analyze(body.text, headline=body.headline, published=body.published, url=body.url,
                      source=body.source, id=body.id)
    except SourceError as exc:
        raise HTTPException(422, str(exc)) from exc
    result = bench.store.add(doc)
    return Stored(**result.to_dict(), url=article_url(result.article_id))
