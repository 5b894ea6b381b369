"""CSV and JSON downloads of any filtered list: /export/{list}.csv and /export/{list}.json.

CSV goes through `parley.output.render`, the CLI's writer, so cells a spreadsheet would run as a
formula (=, +, -, @, tab, CR) are defused with a leading quote here exactly as on the command line.
"""

import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ..output import render
from . import lists
from .deps import Articles, Bench, Entities, Filters, Opportunities, Pipeline, Quotes, SearchText

router = APIRouter(prefix="/export", tags=["export"])

MAX_ROWS = 50_000
#: The header that says how many rows match in all, so a download cut at `limit` says so.
TOTAL = {"X-Total-Count": {"description": "rows the filters select in all; more than the rows sent when "
                                          "the download was cut at `limit`", "schema": {"type": "integer"}}}
_PAGE = 500
Format = Annotated[str, Path(pattern="^(csv|json)$", description="csv or json")]
Limit = Annotated[int, Query(ge=1, le=MAX_ROWS, description="at most this many rows (X-Total-Count says how many match)")]


def download(rows: list[dict[str, Any]], fmt: str, name: str, columns: tuple[str, ...]) -> Response:
    """The rows as an attachment: CSV with formula-guarded cells, or a JSON array."""
    out = io.StringIO()
    render(rows, "csv" if fmt == "csv" else "json", list(columns), out=out)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(out.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _all(fetch: Any, limit: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while len(rows) < limit:
        got = fetch(min(_PAGE, limit - len(rows)), len(rows))
        rows += got
        if len(got) < _PAGE:
            break
    return rows


def _register(kind: str, dependency: Any) -> None:
    fn, columns = lists.LISTS[kind]
    fn = lists.EXPORTS.get(kind, fn)  # an export writes whole rows (the pipeline: all its evidence)

    def handler(bench: Bench, f: dependency, fmt: Format, limit: Limit = 10_000) -> Response:  # type: ignore[valid-type]
        rows = _all(lambda n, off: fn(bench, f, n, off), limit)
        total = lists.total(bench, kind, f, limit, 0, len(rows))
        if fmt == "csv" and kind in lists.CSV_ROWS:
            rows = [lists.CSV_ROWS[kind](row) for row in rows]
        response = download(rows, fmt, kind, columns)
        response.headers["X-Total-Count"] = str(total)  # more than the rows sent: the download was cut at `limit`
        return response

    handler.__doc__ = f"The filtered {kind} list as CSV or JSON (same filters as /api/{kind})."
    router.add_api_route(f"/{kind}.{{fmt}}", handler, methods=["GET"], summary=f"Export {kind}",
                         name=f"export_{kind}", response_class=Response,
                         responses={200: {"content": {"text/csv": {}, "application/json": {}}, "headers": TOTAL}})


for _kind, _dep in (("articles", Articles), ("entities", Entities), ("quotes", Quotes),
                    ("events", Filters), ("opportunities", Opportunities), ("pipeline", Pipeline)):
    _register(_kind, _dep)


@router.get("/search.{fmt}", summary="Export search hits", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/json": {}}}})
def export_search(bench: Bench, q: SearchText, f: Filters, fmt: Format) -> Response:
    """The filtered search hits (up to the search window) as CSV or JSON."""
    hits = bench.search(q, f, MAX_ROWS, 0)["hits"]
    return download(hits, fmt, "search", ("id", "published", "headline", "source", "snippet", "rank"))
