"""What a briefing says, gathered from the store through its own reads (`Store.events`, `.articles`,
`.visits`, `.opportunities`, `.quotes`, `store.resolved` for stories, `store.aggregates.places` for
the map), for a period and the one before it. No figure is derived here that a read already gives;
this module only selects, counts and ranks what the reads return.

A `Scope` narrows the briefing to an event type, a participant country and a sector (the filters of
`parley events`); several scopes (saved searches) are joined: an item that passes any one is in.
Each section says which of the scope's filters it can apply, as its read takes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from ..filters import STAGES
from ..store import resolved
from ..store import schema as s
from ..store.aggregates import EventFilter, places
from ..web import urls
from .period import Period

TOP_STORIES = 6
TOP_QUOTES = 8
TOP_VISITS = 12
TOP_OPPORTUNITIES = 12
QUOTE_ARTICLES = 400  # the newest articles of the period whose quotes are read for "notable quotes"
QUOTE_LENGTH = (40, 420)  # a notable quote is a full statement, not a word or a paragraph


@dataclass(frozen=True)
class Scope:
    """The filters one briefing (or one saved search) applies; all None: everything."""

    type: str | None = None
    country: str | None = None
    sector: str | None = None
    name: str | None = None  # the saved search it came from, for the report's header

    def describe(self) -> str:
        parts = [f"type {self.type}" if self.type else "", f"country {self.country}" if self.country else "",
                 f"sector {self.sector}" if self.sector else ""]
        text = ", ".join(p for p in parts if p) or "everything"
        return f"{self.name} ({text})" if self.name else text

    @property
    def empty(self) -> bool:
        return not (self.type or self.country or self.sector)


@dataclass
class Briefing:
    """Everything the template shows; links are already joined to the base URL."""

    period: Period
    previous: Period
    scopes: list[Scope]
    base_url: str
    generated: str
    figures: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    undated: int = 0
    dated_span: tuple[str, str] | None = None  # the store's first and last event dates, for an empty period's hint
    stories: list[dict[str, Any]] = field(default_factory=list)
    stories_total: int = 0
    visits: list[dict[str, Any]] = field(default_factory=list)
    visits_total: int = 0
    opportunities: list[dict[str, Any]] = field(default_factory=list)
    opportunities_by_sector: list[tuple[str, int]] = field(default_factory=list)
    opportunities_total: int = 0
    pipeline_stages: list[tuple[str, int]] = field(default_factory=list)  # (stage, opportunities at it)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing at all in the period: the report says so instead of drawing empty charts."""
        return not (self.events or self.stories or self.visits or self.opportunities or self.quotes
                    or any(f["now"] for f in self.figures))


def gather(store: Any, period: Period, scopes: list[Scope] | None = None, base_url: str = "",
           today: date | None = None, resolve: bool = True) -> Briefing:
    """The briefing of `period` over `store`; with `resolve`, articles not yet in stories are resolved
    first (when the store can be written; the web server only reads, and passes False)."""
    scopes = scopes or [Scope()]
    if resolve:
        resolved.ensure_resolved(store)
    link = _Linker(base_url)
    b = Briefing(period=period, previous=period.previous(), scopes=scopes, base_url=base_url.rstrip("/"),
                 generated=(today or date.today()).isoformat())
    now, before = _Counts(store, period, scopes), _Counts(store, b.previous, scopes)
    b.events = now.events
    b.undated = store.read(_undated)
    if not now.events:
        b.dated_span = store.read(_dated_span)
    b.stories_total, b.visits_total, b.opportunities_total = now.stories, len(now.visits), len(now.opportunities)
    b.figures = [
        _figure("Articles", now.articles, before.articles,
                "published in the period" if all(sc.empty for sc in scopes) else "with an event the filters select"),
        _figure("Events", len(now.events), len(before.events), "dated in the period (their own date, else the article's)"),
        _figure("Stories", now.stories, before.stories, "events across the articles that report them"),
        _figure("Visits", len(now.visits), len(before.visits), "visits, courtesy calls, meetings and signings"),
        _figure("Opportunities", len(now.opportunities), len(before.opportunities), "stated intents to cooperate"),
        _figure("Quotes", now.quotes, before.quotes, "in the period's articles"),
    ]
    b.stories = [_story(store, row, link) for row in now.top_stories]
    b.visits = [_visit(v, link) for v in now.visits[:TOP_VISITS]]
    headlines = {e["article_id"]: e["headline"] for e in now.events}  # an opportunity is an event of the period
    b.opportunities = [_opportunity(o, headlines.get(o["article_id"]), link) for o in now.opportunities[:TOP_OPPORTUNITIES]]
    sectors = Counter(sec for o in now.opportunities for sec in (o["sectors"] or ["(no sector)"]))
    b.opportunities_by_sector = sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))
    b.quotes = _notable_quotes(store, now.article_ids, link)
    b.places = _places(store, period, scopes, link)
    b.pipeline_stages = _pipeline_stages(store, period, scopes)
    b.notes = _notes(scopes, b.pipeline_stages)
    return b


def _pipeline_stages(store: Any, period: Period, scopes: list[Scope]) -> list[tuple[str, int]]:
    """How many opportunities of the period stand at each stage of the pipeline (`store.pipeline`):
    one per two sides and sector, an opportunity two scopes select counted once."""
    found: dict[tuple, str] = {}
    for sc in scopes:
        for row in store.pipeline(sector=sc.sector, country=sc.country, since=period.since, until=period.until,
                                  limit=None):
            found[(tuple(row["sides"]), row["sector"])] = row["stage"]
    counts = Counter(found.values())
    return [(stage, counts[stage]) for stage in STAGES]


class _Linker:
    """Evidence links: the workbench's own paths (`web.urls`) under the configured base URL."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def __call__(self, path: str) -> str:
        return self.base + path

    def event(self, article_id: str, event_id: str | None) -> str:
        return self(urls.event_url(article_id, event_id) if event_id else urls.article_url(article_id))


class _Counts:
    """One period's reads, each scope's results joined without repeats."""

    def __init__(self, store: Any, period: Period, scopes: list[Scope]) -> None:
        since, until = period.since, period.until
        events: dict[tuple[str, str], dict] = {}
        stories: dict[str, dict] = {}
        visits: dict[tuple, dict] = {}
        opportunities: dict[tuple, dict] = {}
        story_ids: set[str] = set()
        story_count = 0
        for sc in scopes:
            for e in store.events(type=sc.type, country=sc.country, sector=sc.sector, since=since, until=until,
                                  limit=None, include_negated=False):
                events.setdefault((e["article_id"], e["id"]), e)
            story_filters = {"type": sc.type, "country": sc.country, "sector": sc.sector, "since": since, "until": until}
            if len(scopes) == 1:  # counted by the database; only the top ones read
                story_count = store.read(resolved.count_stories, **story_filters)
                rows = store.read(resolved.list_stories, **story_filters, limit=TOP_STORIES)
            else:  # several scopes: a story two of them select counts once
                rows = store.read(resolved.list_stories, **story_filters, limit=None)
            for row in rows:
                story_ids.add(row["id"])
                stories.setdefault(row["id"], row)
            for v in store.visits(visitor_country=sc.country, sector=sc.sector, since=since, until=until, limit=None):
                if sc.type is None or any(ev["type"] == sc.type for ev in v["events"]):
                    visits.setdefault((v["article_id"], v["evidence"], tuple(v["visitors"])), v)
            if sc.type in (None, "AGREE"):
                for o in store.opportunities(sector=sc.sector, country=sc.country, since=since, until=until, limit=None):
                    opportunities.setdefault((o["article_id"], o["trigger"], o["evidence"]), o)
        self.events = sorted(events.values(), key=lambda e: (e["when_start"] or "", e["article_id"], e["id"]))
        self.stories = story_count if len(scopes) == 1 else len(story_ids)
        self.top_stories = sorted(stories.values(), key=lambda r: (-r["reports"], r["first_report"] or "", r["id"]))[:TOP_STORIES]
        self.visits = sorted(visits.values(), key=lambda v: (v["when"] or "", v["article_id"]), reverse=True)
        self.opportunities = sorted(opportunities.values(), key=lambda o: (o["date"] or "", o["article_id"]), reverse=True)
        if all(sc.empty for sc in scopes):
            articles = store.articles(since=since, until=until, limit=None)
            self.article_ids = [a["id"] for a in articles]
            self.articles = len(articles)
            self.quotes = sum(a["quotes"] for a in articles)
        else:  # the articles of the selected events, newest first
            ids = sorted({e["article_id"]: e["published"] or "" for e in self.events}.items(),
                         key=lambda kv: (kv[1], kv[0]), reverse=True)
            self.article_ids = [a for a, _ in ids]
            self.articles = len(self.article_ids)
            self.quotes = sum(len(store.quotes(article_id=a, limit=None)) for a in self.article_ids[:QUOTE_ARTICLES])


def _undated(conn: Any) -> int:
    """Stored events (near-duplicates left out) with no date at all: no date of their own and no
    publication date; no period can hold them."""
    V, A = s.events, s.articles
    return conn.execute(select(func.count()).select_from(V.join(A, A.c.id == V.c.article_id)).where(
        A.c.duplicate_of.is_(None), V.c.when_start.is_(None))).scalar_one()


def _dated_span(conn: Any) -> tuple[str, str] | None:
    """The first and last dates of the stored events (near-duplicates left out); None if none has one."""
    V, A = s.events, s.articles
    first, last = conn.execute(select(func.min(V.c.when_start), func.max(V.c.when_end)).select_from(
        V.join(A, A.c.id == V.c.article_id)).where(A.c.duplicate_of.is_(None))).one()
    return (first, last) if first and last else None


def _figure(label: str, now: int, before: int, what: str) -> dict[str, Any]:
    if now == before:
        change = "no change"
    elif before == 0:
        change = f"+{now} (none before)"
    else:
        change = f"{now - before:+d} ({(now - before) / before:+.0%})"
    return {"label": label, "now": now, "before": before, "change": change, "what": what,
            "direction": "up" if now > before else "down" if now < before else "same"}


def _story(store: Any, row: dict, link: _Linker) -> dict[str, Any]:
    record = store.read(resolved.get_record, table=resolved.stories, wanted=row["id"]) or {"reports": []}
    reports = [{"outlet": r["outlet"] or r["file"] or "(no outlet)", "published": r["published"],
                "sentence": " ".join((r["sentence"] or "").split()), "url": link.event(r["article"], r["event"]),
                "copy": bool(r.get("copy_of"))}
               for r in record["reports"]]
    # a story's reports are its events' mentions: two in one article are one article to read
    return {**row, "url": link(f"/stories/{row['id']}"), "report_items": reports,
            "articles": len({r["article"] for r in record["reports"]}),
            "outlet_names": sorted({r["outlet"] for r in reports})}


def _visit(v: dict, link: _Linker) -> dict[str, Any]:
    event_id = v["events"][0]["id"] if v["events"] else None
    return {"kind": v["kind"], "planned": v["planned"], "visitors": v["visitors"],
            "visitor_countries": v["visitor_countries"], "met": _met(v), "place": v["place"],
            "date": v["date"] or v["when"], "sectors": v["sectors"], "sentence": v["evidence"],
            "outlet": v["source"], "headline": v["headline"], "url": link.event(v["article_id"], event_id)}


def _met(v: dict) -> list[str]:
    return list(dict.fromkeys(n for ev in v["events"] for n in ev["met"])) or v["hosts"]


def _opportunity(o: dict, headline: str | None, link: _Linker) -> dict[str, Any]:
    return {**o, "headline": headline, "url": link(urls.article_url(o["article_id"]))}


def _notable_quotes(store: Any, article_ids: list[str], link: _Linker) -> list[dict[str, Any]]:
    """Quotes by a named speaker, a full statement long, those whose speaker holds a role first;
    one per speaker and at most two per article, so the section is not one interview."""
    found = []
    for aid in article_ids[:QUOTE_ARTICLES]:
        found += store.quotes(article_id=aid, limit=None)
    pool = [q for q in found if q["speaker"] and QUOTE_LENGTH[0] <= len(q["text"] or "") <= QUOTE_LENGTH[1]]
    pool.sort(key=lambda q: (not q["speaker_roles"], q["kind"] != "direct", -(len(q["text"]) if q["text"] else 0),
                             q["article_id"], q["id"]))
    chosen, speakers, per_article = [], set(), Counter()
    for q in pool:
        who = (q["speaker"] or "").lower()
        if who in speakers or per_article[q["article_id"]] >= 2:
            continue
        speakers.add(who)
        per_article[q["article_id"]] += 1
        role = q["speaker_roles"][0] if q["speaker_roles"] else None
        chosen.append({"text": " ".join(q["text"].split()), "speaker": q["speaker"],
                       "role": ", ".join(x for x in (role["title"], role["of"]) if x) if role else None,
                       "country": q["speaker_country"], "kind": q["kind"], "headline": q["headline"],
                       "published": q["published"], "url": link(urls.quote_url(q["article_id"], q["id"]))})
        if len(chosen) == TOP_QUOTES:
            break
    return chosen


def _places(store: Any, period: Period, scopes: list[Scope], link: _Linker) -> list[dict[str, Any]]:
    """Where the period's events happened, with coordinates; several scopes: a place's largest count."""
    found: dict[tuple[str, str], dict] = {}
    for sc in scopes:
        f = EventFilter(type=sc.type, country=sc.country, sector=sc.sector, since=period.since, until=period.until)
        for p in store.read(places, filters=f, limit=200):
            key = (p["type"], p["name"])
            if key not in found or found[key]["events"] < p["events"]:
                found[key] = {**p, "url": link(urls.with_query("/events", place_is=f"{p['type']}:{p['name']}",
                                                               since=period.since, until=period.until))}
    return sorted(found.values(), key=lambda p: (-p["events"], p["name"]))


def _notes(scopes: list[Scope], stages: list[tuple[str, int]]) -> dict[str, str]:
    """What each section could not apply of the scope's filters, said in the report."""
    at = ", ".join(f"{n} {stage.replace('_', ' ')}" for stage, n in reversed(stages))
    notes = {"opportunities": f"The pipeline (each cooperation between two sides in a sector, at its furthest "
                              f"stage): {at}. Below, the stated intents of the period, by sector."}
    if any(sc.country for sc in scopes):
        notes["visits"] = "The country filter selects visits by a visitor from that country."
    if any(sc.type and sc.type != "AGREE" for sc in scopes):
        notes["opportunities"] += " Opportunities are AGREE events: a filter on another event type selects none."
    if not all(sc.empty for sc in scopes):
        notes["quotes"] = "Quotes are those of the articles holding a selected event."
    return notes
