"""The briefing as HTML: one template body for the standalone file (inline CSS, inline SVG, no
scripts, no outside requests) and for the web page at /brief (inside the workbench's layout).

Every value from the store reaches the HTML through Jinja2's autoescape, as on the web pages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import charts
from .gather import Briefing

TEMPLATES = Path(__file__).parent / "templates"
TITLE = "Engagement briefing"
#: CSS page sizes by --paper.
PAPERS = {"a4": "A4", "letter": "letter"}
BY = ("type", "sector", "country")
_BY_WORDS = {"type": "event type", "sector": "sector", "country": "participant country"}
_BY_PLURAL = {"type": "types", "sector": "sectors", "country": "participant countries"}


def html(briefing: Briefing, paper: str = "a4") -> str:
    """The standalone briefing: one HTML file that needs nothing else, printable on `paper` (a4, letter)."""
    footer = f"{TITLE}, {briefing.period} · page "  # dates and our words: nothing a CSS string must escape
    return _env(None).get_template("brief.html").render(**context(briefing), paper_size=Markup(PAPERS[paper]),
                                                        page_footer=Markup(footer))


def page(briefing: Briefing, loader: BaseLoader, **extra: Any) -> str:
    """The briefing inside the web workbench's layout (`loader` finds its base.html)."""
    return _env(loader).get_template("brief_page.html").render(**context(briefing), **extra)


def context(b: Briefing) -> dict[str, Any]:
    return {"b": b, "title": TITLE, "css": _css(), "labels": _labels(),
            "timelines": [charts.timeline(b.events, b.period, by) for by in BY],
            "sector_bars": charts.bars(b.opportunities_by_sector[:10]), "map": charts.world_map(b.places),
            "by_words": _BY_WORDS, "by_plural": _BY_PLURAL,
            "all_everything": all(sc.empty for sc in b.scopes)}


def unique_sentences(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A story's reports, one per article and sentence (two events of one sentence are one report to read)."""
    seen, out = set(), []
    for r in reports:
        key = (r["url"].rsplit("/events/", 1)[0], r["sentence"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


@lru_cache(maxsize=4)
def _env(loader: BaseLoader | None) -> Environment:
    own = FileSystemLoader(TEMPLATES)
    env = Environment(loader=ChoiceLoader([loader, own]) if loader else own,
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["unique_sentences"] = unique_sentences
    env.filters["sector_labels"] = lambda ids: ", ".join(_labels().get(i, i) for i in ids)
    return env


@lru_cache(maxsize=1)
def _css() -> Markup:
    """The stylesheet, ours and fixed: marked safe, as autoescape would break its quotes inside <style>."""
    return Markup((TEMPLATES / "brief.css").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    """Sector ids as their labels (the taxonomy's words, not ids, in a report for people)."""
    from ..analysis.sectors import taxonomy

    return {s.id: s.label for s in taxonomy().values()}
