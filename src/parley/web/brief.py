"""The briefing on the web: GET /brief (the page, in the workbench's layout) and GET /brief.pdf
(the same briefing to send on, links absolute to this server), with the options of `parley brief`.

The period is read by `brief.period` (a span such as 7d, or dates checked by `parley.filters`); a
value it cannot read is a 422 saying what would do, as every other filter here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import FilterError
from .deps import COUNTRY, EVENT_TYPE, SECTOR, Bench, _blank, _code

router = APIRouter(include_in_schema=False)
SPAN = r"^ *(?:[0-9]{1,4} *[dwmyDWMY]|[1-9][0-9]{3}(?:-[0-9]{2}(?:-[0-9]{2})?)?)? *$"
Since = Annotated[str | None, Query(max_length=12, pattern=SPAN, description="7d, 2w, 3m, 1y or a date")]
Until = Annotated[str | None, Query(max_length=10, pattern=SPAN, description="a date: YYYY, YYYY-MM or YYYY-MM-DD")]
Type = Annotated[str | None, _code("PLOVER event type, e.g. CONSULT", EVENT_TYPE)]
Country = Annotated[str | None, _code("ISO 3166-1 alpha-3 of a participant", COUNTRY)]
Sector = Annotated[str | None, _code("sector id, e.g. automotive", SECTOR)]


def _briefing(bench: Any, since: str | None, until: str | None, type: str | None, country: str | None,
              sector: str | None, base_url: str) -> Any:
    from ..brief import Scope, gather, period_from  # here: parley.brief links with this package's urls

    try:
        period = period_from(_blank(since), _blank(until))
    except FilterError as exc:
        name = exc.parameter.lstrip("-")
        raise RequestValidationError([{"type": "value_error", "loc": ("query", name), "input": exc.value,
                                       "msg": f"{exc.value!r} is not {exc.allowed}"}]) from None
    scope = Scope(type=_blank(type), country=_blank(country), sector=_blank(sector))
    return gather(bench.store, period, [scope], base_url=base_url, resolve=False)  # the server only reads


@router.get("/brief", response_class=HTMLResponse)
def brief_page(request: Request, bench: Bench, since: Since = None, until: Until = None, type: Type = None,
               country: Country = None, sector: Sector = None) -> HTMLResponse:
    from ..brief.render import page
    from . import urls
    from .pages import _env

    b = _briefing(bench, since, until, type, country, sector, base_url="")
    pdf = urls.with_query("/brief.pdf", since=_blank(since), until=_blank(until), type=_blank(type),
                          country=_blank(country), sector=_blank(sector))
    return HTMLResponse(page(b, _env.loader, since_arg=_blank(since), until_arg=_blank(until), pdf_url=pdf))


@router.get("/brief.pdf")
async def brief_pdf(request: Request, bench: Bench, since: Since = None, until: Until = None, type: Type = None,
                    country: Country = None, sector: Sector = None, paper: Annotated[str, Query(pattern="^(a4|letter)$")] = "a4") -> Response:
    from ..brief.pdf import pdf_bytes
    from ..brief.render import html

    base = str(request.base_url).rstrip("/")
    b = await run_in_threadpool(_briefing, bench, since, until, type, country, sector, base)
    data = await run_in_threadpool(pdf_bytes, html(b, paper=paper))
    name = f"briefing-{b.period.since}-{b.period.until}.pdf"
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})
