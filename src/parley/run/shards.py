"""Which inputs the Ray engine reads on its workers, and what the workers do with them.

Shard-shaped inputs, files and the files in folders, are listed here in the driver (names,
sizes, and the first 8 KB of a file whose name does not say its kind) and read by Ray Data on the
workers: Parquet files of articles with `read_parquet` (only the article columns, see
`ingest/parquet.py`), every other file with `read_binary_files` and Parley's own readers applied
to its bytes (`ingest.sources.read_file_bytes`), then cleaned (`prepare`) there too. What the
local readers refuse without reading the file (missing, binary, PDF, a text over the size limit,
a Parquet file without an article column, an empty folder) is refused here, with the same reason.

Standard input and URLs (a page, a feed) are not shards: they are read and cleaned in the driver,
as by the local engine, and handed to Ray as rows; they are small by nature (stdin is read whole
by every engine, a feed is a page of entries).

Rows flow as {"article": JSON of the Article or "", "origin": ..., "reason": why skipped or ""},
so a skip travels with the articles and is counted where the documents are.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..ingest.parquet import parquet_plan, record_from_row
from ..ingest.prepare import prepared
from ..ingest.records import MISSING, IngestOptions, RawRecord, Skipped
from ..ingest.sources import (
    EMPTY_FOLDER_REASON,
    REFUSED,
    folder_files,
    guarded,
    kind_of_file,
    read_file_bytes,
    read_source,
)
from ..ingest.textfile import os_reason, too_large_reason

#: Kinds whose readers refuse a file over the size limit before reading it.
WHOLE_FILE_KINDS = ("text", "html", "feed")


@dataclass
class Plan:
    """What a run reads where: files for the workers, sources for the driver, refusals made here."""

    files: list[str] = field(default_factory=list)  # absolute paths, read whole by read_binary_files
    parquet: list[tuple[list[str], list[str]]] = field(default_factory=list)  # runs of (paths, columns)
    driver: list[str] = field(default_factory=list)  # "-" and URLs
    skipped: list[Skipped] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # absolute source path -> as the user wrote it
    kinds: dict[str, str] = field(default_factory=dict)  # absolute path of each file in `files` -> its reader kind


def plan_sources(sources: Iterable[str], options: IngestOptions | None = None) -> Plan:
    """Sort the sources as `read_source` would, without reading a shard's content."""
    from ..ingest.web import is_url

    options = options or IngestOptions()
    plan = Plan()
    for source in sources:
        if source == "-" or is_url(source):
            plan.driver.append(source)
        elif os.path.isdir(source):
            plan.names[os.path.abspath(source)] = str(Path(source))
            files, problems = folder_files(source)
            plan.skipped.extend(problems)
            if not files and not problems:
                plan.skipped.append(Skipped(source, EMPTY_FOLDER_REASON))
            for path in files:
                _plan_file(path, plan, options)
        elif os.path.exists(source):
            plan.names[os.path.abspath(source)] = str(Path(source))
            _plan_file(Path(source), plan, options)
        else:
            plan.skipped.append(Skipped(source, MISSING))
    return plan


def _plan_file(path: Path, plan: Plan, options: IngestOptions) -> None:
    origin = str(path)
    try:
        kind = kind_of_file(path)
        size = path.stat().st_size
    except OSError as exc:
        plan.skipped.append(Skipped(origin, os_reason(exc)))
        return
    if kind in REFUSED:
        plan.skipped.append(Skipped(origin, REFUSED[kind]))
    elif kind in WHOLE_FILE_KINDS and size > options.max_bytes:
        plan.skipped.append(Skipped(origin, too_large_reason(options.max_bytes, size)))
    elif not os.access(path, os.R_OK):
        plan.skipped.append(Skipped(origin, "cannot read: permission denied"))
    elif kind == "parquet":
        columns = parquet_plan(path, options)
        if isinstance(columns, str):
            plan.skipped.append(Skipped(origin, columns))
        elif plan.parquet and plan.parquet[-1][1] == columns:
            plan.parquet[-1][0].append(os.path.abspath(path))
        else:
            plan.parquet.append(([os.path.abspath(path)], columns))
    else:
        plan.files.append(os.path.abspath(path))
        plan.kinds[os.path.abspath(path)] = kind


#: Reader kinds that give one article per file, so that a plan can count articles before reading.
ONE_ARTICLE_KINDS = ("text", "html")


def expected_articles(sources: Iterable[str], options: IngestOptions | None = None) -> int | None:
    """How many articles and skip lines an ingest of `sources` will give, counted without reading
    the files (names, sizes, the first 8 KB where the name does not say the kind, Parquet row
    counts), for a progress bar with a total and an ETA; None when that cannot be known (standard
    input, a URL or feed, JSON Lines, WARC)."""
    import pyarrow.parquet as pq

    plan = plan_sources(sources, options)
    if plan.driver or any(plan.kinds[path] not in ONE_ARTICLE_KINDS for path in plan.files):
        return None
    rows = sum(pq.ParquetFile(path).metadata.num_rows for paths, _ in plan.parquet for path in paths)
    return len(plan.files) + rows + len(plan.skipped)


def user_path(path: str, names: dict[str, str]) -> str:
    """An absolute path as Ray gives it back, written as the user named it (for messages)."""
    for prefix in sorted(names, key=len, reverse=True):
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return names[prefix] + path[len(prefix):]
    return path


def skip_row(item: Skipped) -> dict[str, str]:
    return {"article": "", "origin": item.origin, "reason": item.reason}


def article_rows(items: Iterable[RawRecord | Skipped], origin: str) -> Iterator[dict[str, str]]:
    """Rows for a reader's records (cleaned here) and skips; a reader bug costs this input only."""
    for item in guarded(prepared(items), origin):
        if isinstance(item, Skipped):
            yield skip_row(item)
        else:
            yield {"article": json.dumps(asdict(item), ensure_ascii=False), "origin": item.origin, "reason": ""}


def file_rows(row: dict[str, Any], names: dict[str, str], options: IngestOptions) -> list[dict[str, str]]:
    """Ray Data `flat_map` over `read_binary_files` rows: one file's bytes to its rows."""
    origin = user_path(row["path"], names)
    return list(article_rows(read_file_bytes(row["bytes"], origin, options), origin))


def parquet_rows(batch: Any, names: dict[str, str], options: IngestOptions) -> dict[str, list[str]]:
    """Ray Data `map_batches` over `read_parquet` batches (pyarrow, with a `path` column): to rows."""
    out: dict[str, list[str]] = {"article": [], "origin": [], "reason": []}
    for row in batch.to_pylist():
        path = user_path(row.pop("path"), names)
        for item in article_rows([record_from_row(row, path, options)], path):
            for key, column in out.items():
                column.append(item[key])
    return out


def driver_rows(sources: Iterable[str], options: IngestOptions | None = None) -> list[dict[str, str]]:
    """Rows for the sources read here in the driver (stdin, URLs), as `iter_records` reads them."""
    rows: list[dict[str, str]] = []
    for source in sources:
        rows.extend(article_rows(read_source(source, options), source))
    return rows


def article_of(row_article: str) -> Any:
    """The Article a row carries."""
    from ..document import Article

    return Article(**json.loads(row_article))
