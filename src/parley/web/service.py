"""`Workbench`: what the API and the pages ask of the store, in one place, with caching.

Both routers call the same methods, so a page and its JSON twin always show the same rows. Slow
aggregates are cached by store version (see `cache.py`); plain listings read the store directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..document import Document
from ..store import Store
from ..store import aggregates as ag
from ..store import pipeline
from ..store.pipeline import EVIDENCE_SHOWN
from ..store.aggregates import EventFilter
from .cache import VersionedCache

T = TypeVar("T")

#: No filter: every canonical event.
ALL = EventFilter()

#: Search ranks the newest RANK_WINDOW matching articles (a word in most of a large store is then
#: ranked in milliseconds, not seconds) and keeps the best SEARCH_WINDOW of them; facets are counted
#: over those and filters narrow them. How many articles match in all is counted apart (`matches`).
RANK_WINDOW = 2000
#: Matches are counted up to this many; above it the page says "more than".
COUNT_CAP = 10_000
DEFAULT_CACHE_SIZE = 512
SEARCH_WINDOW = 200


class Workbench:
    """A store opened for the web, with an optional ingest token."""

    def __init__(self, store: Store, token: str | None = None) -> None:
        self.store = store
        self.token = token or None
        self.cache = VersionedCache(cache_size())

    # --- plumbing --------------------------------------------------------------------------------

    def version(self) -> Any:
        return self.store.read(ag.latest_version)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self.cache.get(self.version(), key, compute)

    def _agg(self, fn: Callable[..., T], **kwargs: Any) -> T:
        key = (fn.__name__, tuple(sorted(kwargs.items())))
        return self.cached(key, lambda: self.store.read(fn, **kwargs))

    # --- aggregates -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return self.cached(("counts",), lambda: self.store.read(ag.counts))

    def timeline(self, by: str = "type", filters: EventFilter = ALL, bucket: str = "month") -> list[dict]:
        return self._agg(ag.timeline, by=by, filters=filters, bucket=bucket)

    def facets(self, filters: EventFilter = ALL) -> dict[str, list[dict]]:
        return self._agg(ag.facets, filters=filters)

    def type_counts(self, filters: EventFilter = ALL) -> list[dict]:
        """`facets(filters)["type"]` alone, as the network page shows it (`aggregates.type_counts`)."""
        return self._agg(ag.type_counts, filters=filters)

    def cached_facets(self, filters: EventFilter = ALL) -> dict[str, list[dict]] | None:
        """The facets if already computed for this store version, else None (never computes)."""
        return self.cache.peek(self.version(), ("facets", (("filters", filters),)))

    def network(self, filters: EventFilter = ALL, limit: int = 150,
                types: tuple[str, ...] | None = None) -> dict[str, list[dict]]:
        return self._agg(ag.network, filters=filters, limit=limit, types=types)

    def places(self, filters: EventFilter = ALL, limit: int = 300) -> list[dict]:
        return self._agg(ag.places, filters=filters, limit=limit)

    def place_total(self, filters: EventFilter = ALL) -> int:
        return self._agg(ag.place_total, filters=filters)

    def pipeline(self, filters: Any, limit: int, offset: int) -> list[dict]:
        """A page of the opportunity pipeline (`store.pipeline`, grouped by the database from its summary
        table; only the page's opportunities are built), kept per store version."""
        return self.pipeline_page(filters, limit, offset)[0]

    def pipeline_page(self, filters: Any, limit: int, offset: int,
                      evidence: int | None = EVIDENCE_SHOWN) -> tuple[list[dict], int]:
        """The page and the pipeline's total with the same filters, computed together (a page dated
        by months sums its opportunities once for both: `pipeline.page_and_total`); each row with the
        first `evidence` pieces of each stage (all when None: an export) and their counts."""
        kwargs = filters.as_kwargs()
        return self.cached(("pipeline", filters, limit, offset, evidence), lambda: self.store.read(
            pipeline.page_and_total, **kwargs, limit=limit, offset=offset, evidence=evidence))

    def pipeline_evidence(self, filters: Any, sides: tuple[str, ...], stage: str, limit: int,
                          offset: int) -> tuple[list[dict], int]:
        """A page of one opportunity's evidence for one stage, newest first, and how many there are
        (`pipeline.evidence_page`): where a pipeline row's first few stop."""
        kwargs = {k: v for k, v in filters.as_kwargs().items() if k != "stage"}
        return self.cached(("pipeline evidence", filters, sides, stage, limit, offset), lambda: self.store.read(
            pipeline.evidence_page, sides=list(sides), stage=stage, **kwargs, limit=limit, offset=offset))

    def entity(self, type: str, name: str) -> dict | None:
        return self._agg(ag.entity_profile, type=type, name=name)

    # --- listings ----------------------------------------------------------------------------------

    def events(self, filters: EventFilter, limit: int, offset: int) -> list[dict]:
        def compute() -> list[dict]:
            return self.store.read(ag.events_page, filters=filters, limit=limit, offset=offset)

        return self.cached(("events", filters, limit, offset), compute)

    def latest_events(self, limit: int = 10) -> list[dict]:
        """The events of the latest reported articles (`store/latest.py`): not by the event's date."""
        from ..store.latest import latest_reported

        return self.cached(("latest", limit), lambda: self.store.read(latest_reported, limit=limit))

    def search(self, q: str, filters: EventFilter, limit: int, offset: int) -> dict[str, Any]:
        """The best `SEARCH_WINDOW` of the newest `RANK_WINDOW` matches, narrowed by the event filters
        and by the article's published date; with facet counts over those, and how many match in all."""
        def compute() -> dict[str, Any]:
            hits = self.store.search(q, limit=SEARCH_WINDOW, window=RANK_WINDOW, snippets=False)
            matches = self.store.search_count(q, cap=COUNT_CAP)
            ids = [h["id"] for h in hits]
            facets = self.store.read(lambda c: ag.search_facets(c, ids))
            date_only = EventFilter(since=filters.since, until=filters.until)
            if filters != date_only:
                keep = self.store.read(lambda c: ag.article_ids_matching(c, ids, _without_dates(filters)))
                hits = [h for h in hits if h["id"] in keep]
            hits = [h for h in hits if _published_within(h.get("published"), filters.since, filters.until)]
            return {"query": q, "window": SEARCH_WINDOW, "ranked": min(matches, RANK_WINDOW),
                    "matches": min(matches, COUNT_CAP), "more_matches": matches > COUNT_CAP,
                    "total": len(hits), "facets": facets, "hits": hits}

        found = self.cached(("search", q, filters), compute)
        page = found["hits"][offset:offset + limit]
        marked = self.store.snippets(q, [h["id"] for h in page])  # for the hits shown only
        page = [{**h, "snippet": marked.get(h["id"], "")} for h in page]
        return {**found, "hits": page, "limit": limit, "offset": offset}

    def document(self, article_id: str) -> Document:
        return self.store.get(article_id)

    def warm(self) -> None:
        """Compute what the overview, the unfiltered events page, the network and the map show. The
        overview's figures come from the summary tables (milliseconds); the network and the map are
        still counted from the events themselves, which on a large store takes a while. Without a
        cache (size 0) there is nowhere to keep them, and nothing is computed."""
        if self.cache.size == 0:
            return
        self.counts()
        self.latest_events(10)
        for by in ("type", "sector", "country"):
            for bucket in ("month", "year"):
                self.timeline(by, EventFilter(), bucket)
        self.facets(EventFilter())
        self.events(EventFilter(), 50, 0)
        self.network(EventFilter(), 150, tuple(ag.engagement_types()))  # the page's default
        self.places(EventFilter())
        from .deps import PipelineFilter  # deps reads this module

        self.pipeline(PipelineFilter(), 50, 0)  # the pipeline page as it opens


def cache_size() -> int:
    """Results kept per store version: PARLEY_WEB_CACHE_SIZE, else 512; 0 turns the cache off (every
    request computes its answer: what a benchmark of cold pages measures)."""
    raw = os.environ.get("PARLEY_WEB_CACHE_SIZE", "")
    return int(raw) if raw.strip().isdigit() else DEFAULT_CACHE_SIZE


def _without_dates(f: EventFilter) -> EventFilter:
    return EventFilter(**{**f.as_kwargs(), "since": None, "until": None})


def _published_within(published: str | None, since: Any, until: Any) -> bool:
    """Search's date range is on the article's published date; undated articles only pass no range."""
    if not since and not until:
        return True
    if not published:
        return False
    if since and published < str(since):
        return False
    return not (until and published[:len(str(until))] > str(until))
