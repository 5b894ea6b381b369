"""Parley's store: analysed articles in SQLite or PostgreSQL, with near-duplicate detection.

    from parley.store import Store
    with Store("parley.db") as store:
        store.add(doc)                      # AddResult(status="stored" | "duplicate" | "near-duplicate")
        store.search('"trade fair" Chongqing')
"""

from .export import FORMATS, export
from .store import ArticleNotFound, Store
from .writer import AddResult

__all__ = ["AddResult", "ArticleNotFound", "FORMATS", "Store", "export"]
