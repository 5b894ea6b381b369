"""`Workbench`: what the API and the pages ask of the store, in one place, with caching.

Both routers call the same methods, so a page and its JSON twin always show the same rows. Slow
aggregates are cached by store version (see `cache.py`); plain listings read the store directly.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..document import Document
from ..store import Store
from ..store import aggregates as ag
from ..store.aggregates import EventFilter
from .cache import VersionedCache

T = TypeVar("T")

#: No filter: every canonical event.
ALL = EventFilter()

#: Search ranks this many best matches; facets are counted over them and filters narrow them.
SEARCH_WINDOW = 200


class Workbench:
    """A store opened for the web, with an optional ingest token."""

    def __init__(self, store: Store, token: str | None = None) -> None:
        self.store = store
        self.token = token or None
        self.cache = VersionedCache()

    # --- plumbing --------------------------------------------------------------------------------

    def version(self) -> Any:
        return self.store._query(ag.latest_version)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self.cache.get(self.version(), key, compute)

    def _agg(self, fn: Callable[..., T], **kwargs: Any) -> T:
        key = (fn.__name__, tuple(sorted(kwargs.items())))
        return self.cached(key, lambda: self.store._query(fn, **kwargs))

    # --- aggregates -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return self.cached(("counts",), lambda: self.store._query(ag.counts))

    def timeline(self, by: str = "type", filters: EventFilter = ALL, bucket: str = "month") -> list[dict]:
        return self._agg(ag.timeline, by=by, filters=filters, bucket=bucket)

    def facets(self, filters: EventFilter = ALL) -> dict[str, list[dict]]:
        return self._agg(ag.facets, filters=filters)

    def cached_facets(self, filters: EventFilter = ALL) -> dict[str, list[dict]] | None:
        """The facets if already computed for this store version, else None (never computes)."""
        return self.cache.peek(self.version(), ("facets", (("filters", filters),)))

    def network(self, filters: EventFilter = ALL, limit: int = 150) -> dict[str, list[dict]]:
        return self._agg(ag.network, filters=filters, limit=limit)

    def places(self, filters: EventFilter = ALL, limit: int = 300) -> list[dict]:
        return self._agg(ag.places, filters=filters, limit=limit)

    def entity(self, type: str, name: str) -> dict | None:
        return self._agg(ag.entity_profile, type=type, name=name)

    # --- listings ----------------------------------------------------------------------------------

    def events(self, filters: EventFilter, limit: int, offset: int) -> list[dict]:
        def compute() -> list[dict]:
            return self.store._query(ag.events_page, filters=filters, limit=limit, offset=offset)

        return self.cached(("events", filters, limit, offset), compute)

    def latest_events(self, limit: int = 10) -> list[dict]:
        return self.events(EventFilter(), limit, 0)

    def search(self, q: str, filters: EventFilter, limit: int, offset: int) -> dict[str, Any]:
        """Ranked matches among the best `SEARCH_WINDOW`, narrowed by the event filters and by the
        article's published date; with facet counts over the whole window."""
        def compute() -> dict[str, Any]:
            hits = self.store.search(q, limit=SEARCH_WINDOW)
            ids = [h["id"] for h in hits]
            facets = self.store._query(lambda c: ag.search_facets(c, ids))
            date_only = EventFilter(since=filters.since, until=filters.until)
            if filters != date_only:
                keep = self.store._query(lambda c: ag.article_ids_matching(c, ids, _without_dates(filters)))
                hits = [h for h in hits if h["id"] in keep]
            hits = [h for h in hits if _published_within(h.get("published"), filters.since, filters.until)]
            return {"query": q, "window": SEARCH_WINDOW, "total": len(hits), "facets": facets, "hits": hits}

        found = self.cached(("search", q, filters), compute)
        return {**found, "hits": found["hits"][offset:offset + limit], "limit": limit, "offset": offset}

    def document(self, article_id: str) -> Document:
        return self.store.get(article_id)

    def warm(self) -> None:
        """Compute what the overview, the unfiltered events page, the network and the map show, so
        their first visitor does not wait for a count over the whole store."""
        self.counts()
        self.latest_events(10)
        for by in ("type", "sector", "country"):
            for bucket in ("month", "year"):
                self.timeline(by, EventFilter(), bucket)
        self.facets(EventFilter())
        self.events(EventFilter(), 50, 0)
        self.network(EventFilter(), 150)
        self.places(EventFilter())


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
