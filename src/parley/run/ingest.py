"""The main job: read sources, clean, analyse and store, counting what happened to every input.

Streaming: records are read lazily, analysed in `nlp.pipe` batches (in this process, or with
`workers` > 1 in a pool of processes that hands documents back in input order, see `pool.py`) and
written by this process alone in batches, each batch one transaction, so a killed run leaves whole
articles or none and a rerun picks up where it stopped (articles already stored are recognised by
id before analysis).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..document import Article, Document
from ..ingest.prepare import prepared
from ..ingest.records import IngestOptions, RawRecord, Skipped
from ..ingest.sources import iter_records
from ..analysis.pipeline import failure_reason
from .pool import analyze_stream

#: An analysis engine: documents for the articles, in their order; failures go to the callback.
Analyzer = Callable[[Iterable[Article], Callable[[Article, Exception], None]], Iterable[Document]]

#: Documents written per transaction: big enough to amortise the commit, small enough to lose
#: little work when a run is killed.
WRITE_BATCH = 32


@dataclass
class IngestReport:
    """What an ingest did with each input."""

    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    words: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    @property
    def processed(self) -> int:
        return self.stored + self.near_duplicates + self.duplicates

    def count(self, results: Iterable[Any]) -> None:
        """Add the store's answers for one batch (`Store.add_many`) to the tallies."""
        for result in results:
            if result.status == "stored":
                self.stored += 1
            elif result.status == "near-duplicate":
                self.near_duplicates += 1
            else:
                self.duplicates += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "near_duplicates": self.near_duplicates,
            "duplicates": self.duplicates,
            "skipped": len(self.skipped),
            "skipped_reasons": [str(s) for s in self.skipped],
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.processed / self.seconds, 2) if self.seconds else None,
            "words_per_second": round(self.words / self.seconds, 1) if self.seconds else None,
        }


def read_articles(
    sources: Iterable[str],
    options: IngestOptions | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Article]:
    """Clean articles from every source; what cannot be read is reported to `on_skip`, not raised."""
    return _articles(iter_records(sources, options or IngestOptions()), on_skip)


def _articles(items: Iterable[RawRecord | Skipped], on_skip: Callable[[Skipped], None] | None) -> Iterator[Article]:
    for item in prepared(items):
        if not isinstance(item, Skipped):
            yield item
        elif on_skip:
            on_skip(item)


def ingest(
    sources: Iterable[str],
    store: Any,
    *,
    options: IngestOptions | None = None,
    model: str | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    workers: int | None = 1,
    analyzer: Analyzer | None = None,
) -> IngestReport:
    """Ingest every source into `store` and report stored, duplicates and skipped with reasons.

    `workers` > 1 analyses in that many processes (each loads the model once; None: one per core);
    `analyzer` replaces the analysis engine altogether (the Ray runner, say). Documents are still
    written here, in input order, so the store ends up the same whatever the engine.
    `store` is anything with `has(id)` and `add_many(documents)`: a `Store`, or a Parquet sink.
    """
    items = iter_records(sources, options or IngestOptions())
    return ingest_records(items, store, model=model, on_progress=on_progress, on_skip=on_skip,
                          workers=workers, analyzer=analyzer)


def ingest_records(
    items: Iterable[RawRecord | Skipped],
    store: Any,
    *,
    model: str | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    workers: int | None = 1,
    analyzer: Analyzer | None = None,
    batch: int | None = None,
) -> IngestReport:
    """`ingest` of records already read (a watched feed's new entries, `parley.watch`); `batch`:
    documents per write transaction (WRITE_BATCH by default)."""
    report = IngestReport()

    def skip(item: Skipped) -> None:
        report.skipped.append(item)
        if on_skip:
            on_skip(item)

    def new_articles() -> Iterator[Article]:
        for article in _articles(items, skip):
            if store.has(article.id):
                report.duplicates += 1
                continue
            yield article

    def failed(article: Article, exc: Exception) -> None:
        skip(Skipped(article.origin or article.id, failure_reason(exc)))

    if analyzer is None:
        documents = analyze_stream(new_articles(), workers=workers, model=model, on_error=failed)
    else:
        documents = analyzer(new_articles(), failed)
    return store_documents(documents, store, report, on_progress, batch or WRITE_BATCH)


def store_documents(
    documents: Iterable[Document],
    store: Any,
    report: IngestReport,
    on_progress: Callable[[IngestReport], None] | None = None,
    batch_size: int = WRITE_BATCH,
) -> IngestReport:
    """Write documents in batches of `batch_size`, counting the store's answers and the words."""
    batch: list[Document] = []

    def flush() -> None:
        report.count(store.add_many(batch))
        batch.clear()
        if on_progress:
            on_progress(report)

    for document in documents:
        batch.append(document)
        report.words += len(document.article.text.split())
        if len(batch) >= batch_size:
            flush()
    flush()
    report.finished = time.perf_counter()
    return report
