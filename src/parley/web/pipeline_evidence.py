"""One opportunity's evidence for one stage, paged: where a pipeline row's first few pieces stop.

`/pipeline` shows each row's newest `pipeline.EVIDENCE_SHOWN` pieces per stage with how many there are and a
link here; `/api/pipeline`'s rows carry `evidence_total` and, per stage with more, `evidence_next`:
`/api/pipeline/evidence` from the first piece the row does not show. Exports write every piece
(`lists.EXPORTS`). One router, so the app includes it with one line.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import Field

from .. import filters
from . import models
from .api import PAGED, envelope
from .deps import Bench, Opportunities, OpportunityFilter, Paging

router = APIRouter()

Side = Annotated[str, Field(min_length=1, max_length=300, pattern=r"^[^\x00]*\S[^\x00]*$")]
Sides = Annotated[list[Side], Query(min_length=1, max_length=2,
                                    description="the opportunity's sides as its pipeline row names them (one or two)")]
Stage = Annotated[str, Query(description="intent, agreement or under_way", pattern=f"^(?:{'|'.join(filters.STAGES)})$")]


class EvidencePage(models.Envelope):
    """A page of one opportunity's evidence for one stage, newest first."""

    items: list[models.StageEvidence]
    sides: list[str] = Field(description="the opportunity's two sides")
    sector: str | None = None
    stage: str = Field(description="the stage this evidence shows")


def evidence_path(path: str, row: dict[str, Any], stage: str, f: Any, offset: int = 0) -> str:
    """The URL of `row`'s evidence for `stage` with the filters `f` (the pipeline's, its stage aside)."""
    kept = {"side": list(row["sides"]), "sector": row.get("sector"), "stage": stage, "country": f.country,
            "since": f.since, "until": f.until, "offset": offset or None}
    return f"{path}?{urlencode({k: v for k, v in kept.items() if v}, doseq=True)}"


def with_links(request: Request, rows: list[dict[str, Any]], f: Any) -> list[dict[str, Any]]:
    """API rows with `evidence_next`: per stage, the evidence from the first piece not shown, or null."""
    base = str(request.url_for("pipeline_evidence_api"))
    return [{**r, "evidence_next": {s: evidence_path(base, r, s, f, len(r["evidence"][s]))
                                    if r["evidence_total"][s] > len(r["evidence"][s]) else None
                                    for s in filters.STAGES}} for r in rows]


def _page(bench: Any, f: OpportunityFilter, sides: list[str], stage: str, limit: int,
          offset: int) -> tuple[list[dict[str, Any]], int]:
    return bench.pipeline_evidence(f, tuple(sides), stage, limit, offset)


@router.get("/api/pipeline/evidence", tags=["api"], name="pipeline_evidence_api", response_model=EvidencePage,
            summary="One opportunity's evidence for one stage, newest first (the rest of a pipeline row's)",
            responses=PAGED)
def evidence_api(request: Request, response: Response, bench: Bench, f: Opportunities, side: Sides,
                 stage: Stage, p: Paging) -> Any:
    rows, total = _page(bench, f, side, stage, p.limit, p.offset)
    return {**envelope(request, response, rows, total, p), "sides": sorted(side), "sector": f.sector, "stage": stage}


@router.get("/pipeline/evidence", include_in_schema=False, response_class=HTMLResponse)
def evidence_html(request: Request, bench: Bench, f: Opportunities, side: Sides, stage: Stage,
                  p: Paging) -> HTMLResponse:
    from .pages import render

    rows, total = _page(bench, f, side, stage, p.limit, p.offset)
    args = {k: v for k, v in {"side": sorted(side), "sector": f.sector, "stage": stage, "country": f.country,
                              "since": f.since, "until": f.until}.items() if v}
    return render(request, "pipeline_evidence.html", rows=rows, total=total, sides=sorted(side), sector=f.sector,
                  stage=stage, f=f, page=p, page_url=lambda offset: _href({**args, "offset": offset or None,
                                                                          "limit": p.limit}))


def _href(args: dict[str, Any]) -> str:
    return f"/pipeline/evidence?{urlencode({k: v for k, v in args.items() if v}, doseq=True)}"
