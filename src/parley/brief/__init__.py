"""Briefings: a period's engagement news as one self-contained report (HTML, or PDF to send on).

    from parley.brief import briefing, period_from
    with Store("parley.db") as store:
        text = briefing(store, period_from("7d", None), base_url="http://127.0.0.1:8000")

Modules: `period` (the span asked for and the one before), `gather` (figures and items from the
store's reads), `charts` (SVG geometry: time axis, bars, map), `render` (HTML), `pdf` (WeasyPrint),
`saved` (saved searches as scopes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .gather import Briefing, Scope, gather
from .period import Period, period_from

__all__ = ["Briefing", "Period", "Scope", "briefing", "gather", "period_from"]


def briefing(store: Any, period: Period, scopes: list[Scope] | None = None, base_url: str = "",
             paper: str = "a4", today: date | None = None) -> str:
    """The standalone HTML briefing of `period`."""
    from .render import html

    return html(gather(store, period, scopes, base_url=base_url, today=today), paper=paper)
