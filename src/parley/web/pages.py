"""Server-rendered pages: readable without JavaScript; htmx only swaps result lists in place.

Every value from the store reaches the HTML through Jinja2's autoescape (no `|safe` on data).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import filters
from ..countries import country_label, country_name
from ..store.aggregates import BY, EventFilter, engagement_types
from ..store.visits import PLACE_TYPES
from . import chart, choices, lists, urls
from .countries import place_page
from .deps import (
    ENTITY_TYPES,
    Articles,
    Bench,
    Entities,
    Filters,
    Opportunities,
    Pipeline,
    Paging,
    Quotes,
    SearchText,
)
from .markup import segments, speaker_colours
from .network_types import NetworkTypes

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))
_env.globals.update(entity_url=urls.entity_url, article_url=urls.article_url, quote_url=urls.quote_url,
                    event_url=urls.event_url, with_query=urls.with_query, ENTITY_TYPES=ENTITY_TYPES,
                    country_label=country_label, country_name=country_name, country_datalist_html=choices.country_datalist)


def snippet_parts(snippet: str | None) -> list[dict[str, Any]]:
    """A search snippet cut at the FTS match markers ([ and ]) into plain and marked parts."""
    parts = []
    for n, piece in enumerate(re.split(r"\[([^\[\]]*)\]", snippet or "")):
        if piece:
            parts.append({"text": piece, "mark": n % 2 == 1})
    return parts


_env.filters["snippet_parts"] = snippet_parts
_env.filters["sector_label"] = choices.sector_label
templates = Jinja2Templates(env=_env)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _filter_args(f: Any) -> dict[str, Any]:
    return {k: v for k, v in (f.as_kwargs() if hasattr(f, "as_kwargs") else vars(f)).items() if v}


@router.get("/")
def home(request: Request, bench: Bench,
         by: Annotated[str, Query(pattern="^(" + "|".join(BY) + ")$")] = "type") -> HTMLResponse:
    rows = bench.timeline(by, EventFilter(), "month")
    if chart.bucket_for(rows) == "year":
        rows = bench.timeline(by, EventFilter(), "year")
    counts = bench.counts()
    dated = sum(r["events"] for r in bench.timeline("type", EventFilter(), "month"))  # one type per event
    return render(request, "home.html", counts=counts, latest=bench.latest_events(10),
                  chart=chart.stacked_bars(rows), by=by, by_options=BY, undated=max(counts["events"] - dated, 0))


@router.get("/search")
def search(request: Request, bench: Bench, f: Filters, p: Paging, q: SearchText = "") -> HTMLResponse:
    found = bench.search(q, f, p.limit, p.offset) if q.strip() else None
    return render(request, "search.html", q=q, f=f, found=found, page=p, args=_filter_args(f))


@router.get("/articles")
def articles(request: Request, bench: Bench, f: Articles, p: Paging) -> HTMLResponse:
    rows = lists.articles(bench, f, p.limit, p.offset)
    return render(request, "articles.html", rows=rows, f=f, page=p, args=_filter_args(f))


def _one(items: list[Any], item_id: str, kind: str, article_id: str) -> Any:
    """The quote or event with this id in an article, else a 404 that names both."""
    found = next((item for item in items if item.id == item_id), None)
    if found is None:
        raise HTTPException(404, f"no {kind} {item_id!r} in article {article_id!r}")
    return found


@router.get("/articles/{article_id:name}/quotes/{quote_id}")
def quote(request: Request, bench: Bench, article_id: Annotated[str, PathParam(max_length=200)],
          quote_id: Annotated[str, PathParam(max_length=40)]) -> HTMLResponse:
    doc = bench.document(article_id)
    q = _one(doc.quotes, quote_id, "quote", article_id)
    return render(request, "quote.html", doc=doc, q=q, speaker=doc.entity(q.speaker),
                  context=_around(doc.article.text, q.start, q.end))


@router.get("/articles/{article_id:name}/events/{event_id}")
def event(request: Request, bench: Bench, article_id: Annotated[str, PathParam(max_length=200)],
          event_id: Annotated[str, PathParam(max_length=40)]) -> HTMLResponse:
    doc = bench.document(article_id)
    v = _one(doc.events, event_id, "event", article_id)
    s, e = v.sentence.start, v.sentence.end
    return render(request, "event.html", doc=doc, v=v, sentence=_around(doc.article.text, s, e, 0),
                  trigger=_around(doc.article.text, v.trigger.start, v.trigger.end, 0))


@router.get("/articles/{article_id:name}")  # after its quotes and events: an id may hold "/"
def article(request: Request, bench: Bench, article_id: Annotated[str, PathParam(max_length=200)]) -> HTMLResponse:
    doc = bench.document(article_id)
    return render(request, "article.html", doc=doc, segments=segments(doc), colours=speaker_colours(doc))


def _around(text: str, start: int | None, end: int | None, margin: int = 200) -> dict[str, str]:
    """The span and the text just before and after it (empty when the offsets are unusable)."""
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return {"before": "", "span": "", "after": ""}
    return {"before": text[max(0, start - margin):start], "span": text[start:end], "after": text[end:end + margin]}


@router.get("/entities")
def entities(request: Request, bench: Bench, f: Entities, p: Paging) -> HTMLResponse:
    rows = lists.entities(bench, f, p.limit, p.offset)
    return render(request, "entities.html", rows=rows, f=f, page=p, args=_filter_args(f))


@router.get("/entities/{type}/{name:name}")
def entity(request: Request, bench: Bench, type: Annotated[str, PathParam(max_length=10)],
           name: Annotated[str, PathParam(max_length=300)]) -> HTMLResponse:
    if type in PLACE_TYPES:  # a place has a page of its own (countries.py)
        return place_page(request, bench, type, name)
    profile = bench.entity(type, name) if type in ENTITY_TYPES else None
    if profile is None:
        raise HTTPException(404, f"no {type} named {name!r}")
    return render(request, "entity.html", e=profile)


@router.get("/quotes")
def quotes(request: Request, bench: Bench, f: Quotes, p: Paging) -> HTMLResponse:
    rows = lists.quotes(bench, f, p.limit, p.offset)
    args = {"speaker": f.speaker, "country": f.speaker_country, "org": f.organisation, "cue": f.cue,
            "kind": f.kind, "min_stance": f.min_stance, "max_stance": f.max_stance}
    return render(request, "quotes.html", rows=rows, f=f, page=p, args={k: v for k, v in args.items() if v is not None})


@router.get("/events")
def events(request: Request, bench: Bench, f: Filters, p: Paging) -> HTMLResponse:
    """The list first; its facet counts (a pass over every matching event) come in after, from
    /events/facets, unless already known."""
    rows = lists.events(bench, f, p.limit, p.offset)
    return render(request, "events.html", rows=rows, f=f, page=p, facets=bench.cached_facets(f),
                  args=_filter_args(f))


@router.get("/events/facets")
def events_facets(request: Request, bench: Bench, f: Filters) -> HTMLResponse:
    """The counts beside the events list: a fragment for htmx, a page of its own without JavaScript."""
    name = "facets_panel.html" if request.headers.get("hx-request") else "events_facets.html"
    return render(request, name, facets=bench.facets(f), args=_filter_args(f))


@router.get("/network")
def network(request: Request, bench: Bench, f: Filters, shown: NetworkTypes,
            limit: Annotated[int, Query(ge=1, le=1000)] = 150) -> HTMLResponse:
    return render(request, "network.html", f=f, graph=bench.network(f, limit, shown.types), limit=limit,
                  args=_filter_args(f), shown=shown, engagement=engagement_types(), event_types=filters.EVENT_TYPES,
                  by_type=bench.type_counts(f))


@router.get("/map")
def map_(request: Request, bench: Bench, f: Filters) -> HTMLResponse:
    return render(request, "map.html", f=f, places=bench.places(f), total=bench.place_total(f), args=_filter_args(f))


@router.get("/api")
def api_docs(request: Request) -> HTMLResponse:
    """The JSON API's endpoints and parameters, read from its OpenAPI schema (no CDN-hosted viewer)."""
    paths = request.app.openapi()["paths"]
    ops = [{"method": m.upper(), "path": path, "summary": op.get("summary", ""),
            "params": [(p["name"], p["in"], p.get("description") or p.get("schema", {}).get("description") or "")
                       for p in op.get("parameters", [])]}
           for path, methods in paths.items() for m, op in methods.items()]
    return render(request, "api.html", ops=ops)


@router.get("/pipeline")
def pipeline(request: Request, bench: Bench, f: Pipeline, p: Paging) -> HTMLResponse:
    from .pipeline_evidence import evidence_path

    rows = lists.pipeline(bench, f, p.limit, p.offset)
    return render(request, "pipeline.html", rows=rows, f=f, page=p, args=_filter_args(f), stages=filters.STAGES,
                  evidence_url=lambda row, stage: evidence_path("/pipeline/evidence", row, stage, f))


@router.get("/opportunities")
def opportunities(request: Request, bench: Bench, f: Opportunities, p: Paging) -> HTMLResponse:
    rows = lists.opportunities(bench, f, p.limit, p.offset)
    return render(request, "opportunities.html", rows=rows, f=f, page=p, args=_filter_args(f))
