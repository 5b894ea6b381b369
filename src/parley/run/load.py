"""`parley load`: documents analysed elsewhere (a Ray cluster's Parquet output) into the store.

No analysis happens here: the documents are stored as they are, with the store's own exact and
near-duplicate rules, so loading the same files twice, or from two machines at once, stores each
article once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from ..document import Document
from ..ingest.records import Skipped
from .ingest import WRITE_BATCH, IngestReport
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
    batch: list[Document] = []

    def flush() -> None:
        report.count(store.add_many(batch))
        batch.clear()
        if on_progress:
            on_progress(report)

    for item in read_documents(paths):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            if on_skip:
                on_skip(item)
            continue
        batch.append(item)
        report.words += len(item.article.text.split())
        if len(batch) >= WRITE_BATCH:
            flush()
    flush()
    report.finished = time.perf_counter()
    return report
