"""Exports of stored articles: JSON Lines (whole documents), CSV (one row per article), Parquet.

`filters` are those of `Store.articles` (since, until, include_duplicates). CSV cells that a
spreadsheet would run as a formula are defused with a leading single quote.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterator
from typing import IO, Any, BinaryIO

from ..document import Document
from ..errors import StoreError
from .queries import ARTICLE_KEYS
from .store import Store

FORMATS = ("jsonl", "csv", "parquet")
CSV_COLUMNS = ARTICLE_KEYS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export(store: Store, fmt: str, out: BinaryIO | str | os.PathLike, **filters: Any) -> int:
    """Write the selected articles to `out` (a binary file or a path); returns how many."""
    writer = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}.get(fmt)
    if writer is None:
        raise StoreError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    with _binary(out) as fh:
        return writer(store, fh, filters)


@contextlib.contextmanager
def _binary(out: BinaryIO | str | os.PathLike) -> Iterator[BinaryIO]:
    if isinstance(out, (str, os.PathLike)):
        try:
            fh = open(out, "wb")
        except OSError as exc:
            raise StoreError(f"{os.fspath(out)}: cannot write export: {exc.strerror}") from exc
        with fh:
            yield fh
    else:
        yield out


def _rows(store: Store, filters: dict[str, Any], page: int = 500) -> Iterator[dict]:
    offset = 0
    while rows := store.articles(**filters, limit=page, offset=offset):
        yield from rows
        offset += len(rows)


def _documents(store: Store, filters: dict[str, Any]) -> Iterator[tuple[dict, Document]]:
    for row in _rows(store, filters):
        yield row, store.get(row["id"])


def _jsonl(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    n = 0
    for _, doc in _documents(store, filters):
        fh.write(doc.to_json().encode("utf-8") + b"\n")
        n += 1
    return n


def safe_cell(value: Any) -> Any:
    """Defuse spreadsheet formula injection: text starting with = + - @ (or tab/CR) gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    text: IO[str] = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    try:
        w = csv.DictWriter(text, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        n = 0
        for row in _rows(store, filters):
            w.writerow({k: safe_cell(row.get(k)) for k in CSV_COLUMNS})
            n += 1
        return n
    finally:
        text.flush()
        text.detach()  # leave the caller's binary file open


def _parquet(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = ("id", "file", "url", "source", "published", "headline", "dateline", "language",
            "text", "duplicate_of")
    schema = pa.schema([(c, pa.string()) for c in cols] + [
        ("captions", pa.list_(pa.string())),
        ("entities", pa.string()), ("quotes", pa.string()), ("events", pa.string()),
    ])
    n = 0
    with pq.ParquetWriter(fh, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row, doc in _documents(store, filters):
            d = doc.to_dict()
            rec = {c: d["article"].get(c) for c in cols if c != "duplicate_of"}
            rec.update(duplicate_of=row["duplicate_of"], captions=d["article"].get("captions") or [])
            for part in ("entities", "quotes", "events"):
                rec[part] = json.dumps(d[part], ensure_ascii=False)
            batch.append(rec)
            if len(batch) >= 1000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
