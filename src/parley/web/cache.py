"""A small cache of aggregate results, dropped whenever the store changes.

Counting a large store (totals, the home page chart, facets) takes far longer than a page may;
the counts only change when an article is stored. Each lookup first reads the store's version
marker (the newest `ingested_at`, one index probe) and empties the cache when it moved, so a page
never shows stale figures, whichever process wrote the article.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class VersionedCache:
    """An LRU map from keys to results, valid for one store version.

    Single-flight: while one request computes a key, others asking for the same key wait for its
    result instead of running the same slow query beside it.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._version: Any = object()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def peek(self, version: Any, key: Hashable) -> Any:
        """The cached value, or None; never computes."""
        with self._lock:
            return self._items.get(key) if version == self._version else None

    def get(self, version: Any, key: Hashable, compute: Callable[[], T]) -> T:
        while True:
            with self._lock:
                if version != self._version:
                    self._items.clear()
                    self._version = version
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                busy = self._computing.get(key)
                if busy is None:
                    busy = self._computing[key] = threading.Lock()
                    busy.acquire()
                    break
            with busy:  # another request is computing it: wait, then look again
                pass
        try:
            value = compute()  # outside the cache lock: slow queries do not block cached pages
            with self._lock:
                if version == self._version:
                    self._items[key] = value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._computing.pop(key, None)
            busy.release()
