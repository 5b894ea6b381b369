"""`parley load`: documents analysed elsewhere (a Ray cluster's Parquet output) into the store.

No analysis happens here: the documents are stored as they are, with the store's own exact and
near-duplicate rules, so loading the same files twice, or from two machines at once, stores each
article once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..document import Document
from ..ingest.records import Skipped
from .ingest import IngestReport, store_documents
from .parquet import read_documents


def load(
    paths: Iterable[str],
    store: Any,
    *,
    on_progress: Callable[[IngestReport], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> IngestReport:
    """Store every document in the Parquet files `paths` (files or folders); count what happened."""
    report = IngestReport()

    def documents() -> Iterator[Document]:
        for item in read_documents(paths):
            if isinstance(item, Skipped):
                report.skipped.append(item)
                if on_skip:
                    on_skip(item)
                continue
            yield item

    return store_documents(documents(), store, report, on_progress)
