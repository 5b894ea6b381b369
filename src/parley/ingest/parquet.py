"""Parquet files of articles: one row per article, the columns named as in JSON dumps.

Datasets of news (Common Crawl News extracts, Hugging Face exports) often come as Parquet. A row
is mapped exactly like a JSON object (`jsonl.record_from_object`), so `--field` works here too.

Columns read: for each article field, the columns `IngestOptions.fields` names for it that the
file has (by default id/article_id/doc_id/uuid, url/link/uri, title/headline,
published/date/pubdate/..., text/body/content/article/maintext, source/publisher/outlet/site),
and `file`; no other column is read, so wide files (raw HTML beside the text) cost little.
Dates and timestamps are taken as ISO text. A row is named `PATH#ID` (its id, else its url) in
messages: Parquet readers that split a file (Ray Data's) cannot number its rows.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from typing import Any, BinaryIO

from parley.ingest.jsonl import record_from_object
from parley.ingest.records import IngestOptions, RawRecord, Skipped

#: Rows per batch read from a file: a few MB of text at a time.
BATCH_ROWS = 256
DOCUMENTS_REASON = "parley.article/1 documents (made by ingest --out), not articles: store them with `parley load`"


def article_columns(names: list[str], options: IngestOptions | None = None) -> list[str] | str:
    """The columns to read from a file with these column names, or the reason it holds no articles."""
    options = options or IngestOptions()
    present = set(names)
    wanted = [key for keys in options.fields.values() for key in keys if key in present]
    if not any(key in present for key in options.fields.get("text", [])):
        if "document" in present and "schema" in present:
            return DOCUMENTS_REASON
        return f"no article text column (tried: {', '.join(options.fields.get('text', []))})"
    wanted += ["file"] if "file" in present else []
    return list(dict.fromkeys(wanted))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def record_from_row(row: dict[str, Any], path: str, options: IngestOptions | None = None) -> RawRecord | Skipped:
    """One Parquet row (column -> value) as a RawRecord, mapped as a JSON object would be."""
    row = {key: _plain(value) for key, value in row.items()}
    options = options or IngestOptions()
    name = next((str(row[k]) for k in (*options.fields.get("id", []), *options.fields.get("url", []))
                 if row.get(k) not in (None, "")), None)
    origin = f"{path}#{name}" if name else path
    return record_from_object(row, origin, file=os.path.basename(path), options=options)


def parquet_plan(source: str | os.PathLike[str] | BinaryIO, options: IngestOptions | None = None) -> list[str] | str:
    """The columns to read from a Parquet file, or why it gives no articles (unreadable, no rows)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(source).metadata
        names = meta.schema.to_arrow_schema().names
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        return f"cannot read as Parquet ({exc})"
    if meta.num_rows == 0:
        return "no rows (empty Parquet file)"
    return article_columns(names, options)


def read_parquet_articles(
    path: str | os.PathLike[str], options: IngestOptions | None = None, data: bytes | None = None
) -> Iterator[RawRecord | Skipped]:
    """Yield the articles of a Parquet file (or of its bytes, `data`, already read), row by row."""
    import pyarrow.parquet as pq

    origin = str(path)
    source = io.BytesIO(data) if data is not None else path
    columns = parquet_plan(source, options)
    if isinstance(columns, str):
        yield Skipped(origin, columns)
        return
    try:
        for batch in pq.ParquetFile(source).iter_batches(batch_size=BATCH_ROWS, columns=columns):
            for row in batch.to_pylist():
                yield record_from_row(row, origin, options)
    except (OSError, ValueError) as exc:
        yield Skipped(origin, f"cannot read as Parquet ({exc})")
