"""`create_app`: the FastAPI application over one store (pages, /api, /export, /static).

Errors keep Parley's hierarchy: an unknown article is a 404, a store that fails is a 503 with the
store's one-line reason; pages get an HTML error page, /api and /export callers problem details
(problems.py), and the OpenAPI schema declares exactly those.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from .. import __version__
from ..errors import ParleyError, StoreError
from ..store import ArticleNotFound, Store
from . import api, brief, countries, exports, ingest, pages, pipeline_evidence, problems, saved, stories, visits
from .conditional import ETags, HeadAsGet
from .deps import PATTERN_HINTS
from .security import AllowedHosts, SecurityHeaders
from .service import Workbench
from .settle import settle

STATIC = Path(__file__).parent / "static"
#: Answers shorter than this go out uncompressed (gzip's own overhead would outweigh the gain).
GZIP_MINIMUM = 1000


def create_app(db: str | os.PathLike | Store, token: str | None = None, warm: bool = False,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The workbench over `db` (a path, a URL or an open Store); with `token`, POST /api/articles works.

    With `warm`, the overview's aggregates are computed in a background thread right away. With
    `allowed_hosts`, a request whose Host header names another host gets 400: a page elsewhere
    that points its own name at 127.0.0.1 (DNS rebinding) cannot read the store.
    """
    store = db if isinstance(db, Store) else Store(db)
    if token:
        store.require_writable()  # a token promises POST: refuse it now, not after analysing an article
    app = FastAPI(title="Parley", version=__version__, docs_url=None, redoc_url=None,  # their JS is on a CDN
                  generate_unique_id_function=lambda route: route.name,  # operation ids: the functions' names
                  description="Engagement news as structured data: articles, entities, quotes, PLOVER events. "
                              "Read-only, except POST /api/articles for servers started with a token.")
    app.state.workbench = Workbench(store, token)
    if allowed_hosts and "*" not in allowed_hosts:
        app.add_middleware(AllowedHosts, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    # outermost last: HEAD becomes GET, the body is gzipped for clients that accept it, after its
    # weak ETag is taken (so a 304 answers either encoding)
    app.add_middleware(ETags)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM)
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(visits.router)
    app.include_router(pipeline_evidence.router)
    app.include_router(countries.router)
    app.include_router(ingest.router)
    app.include_router(exports.router)
    app.include_router(stories.api)
    app.include_router(saved.router)
    app.include_router(pages.router)
    app.include_router(stories.pages)
    app.include_router(brief.router)
    _error_handlers(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if warm:
        threading.Thread(target=_warm, args=(app.state.workbench,), name="parley-warm", daemon=True).start()
    return app


#: How `parley serve --workers N` hands the store, token and allowed hosts to the server processes.
DB_ENV, TOKEN_ENV, HOSTS_ENV = "PARLEY_SERVE_DB", "PARLEY_TOKEN", "PARLEY_SERVE_ALLOWED_HOSTS"
_LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
_ANY_ADDRESS = {"0.0.0.0", "::", ""}


def allowed_hosts_for(host: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The Host headers a server listening on `host` answers: its own address (all loopback names
    for a loopback address) and those the user adds. Listening on every address, the machine's
    names are not known, so any host is answered unless the user names them."""
    if host in _ANY_ADDRESS:
        return list(extra) or ["*"]
    own = _LOOPBACK_NAMES if host in _LOOPBACK_NAMES or host.startswith("127.") else [host, f"[{host}]"]
    return [*own, *extra]


def serve_environment(db: str, token: str | None, allowed_hosts: list[str] | None = None) -> dict[str, str]:
    """The environment for `app_from_environment` in processes started from an import string."""
    return {DB_ENV: db, **({TOKEN_ENV: token} if token else {}),
            **({HOSTS_ENV: ",".join(allowed_hosts)} if allowed_hosts else {})}


def app_from_environment() -> FastAPI:
    """The app of one server process of several (uvicorn's factory): the store and token by environment."""
    hosts = [h for h in os.environ.get(HOSTS_ENV, "").split(",") if h]
    return create_app(os.environ[DB_ENV], token=os.environ.get(TOKEN_ENV), warm=True, allowed_hosts=hosts or None)


def _warm(bench: Workbench) -> None:
    try:
        bench.warm()
    except ParleyError as exc:  # the pages will report it when asked
        logging.getLogger(__name__).warning("could not precompute the overview: %s", exc)
    settle()  # what is alive now lives as long as the server: no collection walks it again


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema with the errors the app really answers (problems.declare), made once."""
    if app.openapi_schema is None:
        app.openapi_schema = problems.declare(get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes,
            openapi_version=app.openapi_version), writable=bool(app.state.workbench.token))
    return app.openapi_schema


def _error(request: Request, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
    if problems.wants_json(request.url.path):
        return problems.problem(status, detail if isinstance(detail, str) else str(detail), headers=headers)
    message = detail if isinstance(detail, str) else "the request's parameters are not valid"
    response = pages.render(request, "error.html", status_code=status, status=status, message=message)
    response.headers.update(headers or {})
    return response


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: FastAPI, scope: dict[str, Any]) -> list[str]:
    """Every method some route answers at this request's path: the `Allow` of a 405. (Starlette
    names only the methods of the first route whose path matched: GET, where POST is allowed too.)
    HEAD goes wherever GET does (`HeadAsGet`). The static files' mount answers GET and HEAD,
    whatever its path."""
    routes = [r for r in app.router.routes if not isinstance(r, Mount)]
    found = [m for m in _METHODS if any(r.matches({**scope, "method": m})[0] is Match.FULL for r in routes)]
    if "GET" in found and "HEAD" not in found:
        found.insert(found.index("GET") + 1, "HEAD")
    return found or ["GET", "HEAD"]


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ArticleNotFound)
    async def not_found(request: Request, exc: ArticleNotFound) -> Response:
        return _error(request, 404, "no stored article has this id")  # str(exc) would name the store's path

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
        return _error(request, exc.status_code, exc.detail, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        params = problems.invalid_params(exc.errors(), PATTERN_HINTS)
        if problems.wants_json(request.url.path):
            return problems.validation_problem(params)
        return _error(request, 422, problems.summary(params))
