"""`parley.article/1` documents in Parquet: the hand-over format between a cluster and a store.

One row per document: `id`, `schema` and `document` (the document's JSON, exactly as
`Document.to_json` writes it). The whole document is one JSON cell rather than columns of its own
so that nothing is lost on the way (`Document.from_json` gives back the very document, fields added
to the schema later included) and any Parquet reader can still filter on `id`.

Files are written whole under a temporary name and renamed, so a reader (or `parley load`) never
sees half a file, and each run names its files apart, so runs into one folder never overwrite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..document import SCHEMA, Document
from ..errors import SourceError
from ..ingest.records import Skipped
from ..store.writer import AddResult

#: Documents per file: files of a few MB, enough rows for Parquet's compression to pay off.
ROWS_PER_FILE = 1000
COLUMNS = ("id", "schema", "document")


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in COLUMNS])


class ParquetSink:
    """Writes documents to `folder` as Parquet files; quacks like a Store for `ingest` (has/add_many).

    It does not deduplicate: `has` is always false. The store that loads the files does that.
    """

    def __init__(self, folder: str | os.PathLike[str], rows_per_file: int = ROWS_PER_FILE) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SourceError(str(folder), f"cannot create the output folder ({exc.strerror or exc})") from exc
        self.rows_per_file = rows_per_file
        self.run = uuid.uuid4().hex[:12]
        self.files: list[Path] = []
        self.documents = 0
        self._rows: list[dict[str, str]] = []

    def has(self, article_id: str) -> bool:
        return False

    def add_many(self, documents: Iterable[Document]) -> list[AddResult]:
        results = []
        for doc in documents:
            self._rows.append({"id": doc.article.id, "schema": doc.schema, "document": doc.to_json()})
            results.append(AddResult("stored", doc.article.id))
            if len(self._rows) >= self.rows_per_file:
                self._flush()
        return results

    def counts(self) -> dict[str, int]:
        return {"documents": self.documents + len(self._rows), "files": len(self.files) + bool(self._rows)}

    def close(self) -> None:
        self._flush()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.folder / f"part-{self.run}-{len(self.files):05d}.parquet"
        partial = path.with_name("." + path.name + ".partial")
        pq.write_table(pa.Table.from_pylist(self._rows, schema=_schema()), partial)
        os.replace(partial, path)
        self.files.append(path)
        self.documents += len(self._rows)
        self._rows = []


def parquet_files(paths: Iterable[str]) -> Iterator[Path | Skipped]:
    """The Parquet files named, folders searched (sorted, hidden files left out); else a Skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.parquet") if not any(x.startswith(".") for x in p.parts))
            if not found:
                yield Skipped(raw, "no .parquet files in this folder")
            yield from found
        elif path.is_file():
            yield path
        else:
            yield Skipped(raw, "no such file or folder")


def read_documents(paths: Iterable[str], batch_rows: int = 256) -> Iterator[Document | Skipped]:
    """Every document in the Parquet files, in order; an unreadable file or row is a Skipped."""
    import pyarrow.parquet as pq

    for path in parquet_files(paths):
        if isinstance(path, Skipped):
            yield path
            continue
        try:
            parquet = pq.ParquetFile(path)
            if "document" not in parquet.schema_arrow.names:
                yield Skipped(str(path), "no 'document' column (not written by Parley's --out)")
                continue
            row = 0
            for batch in parquet.iter_batches(batch_size=batch_rows, columns=["document"]):
                for text in batch.column(0).to_pylist():
                    row += 1
                    yield _document(text, f"{path}:{row}")
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            yield Skipped(str(path), f"cannot read as Parquet ({exc})")


def _document(text: str | None, origin: str) -> Document | Skipped:
    if not text:
        return Skipped(origin, "empty document cell")
    try:
        return Document.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        return Skipped(origin, f"not a {SCHEMA} document ({type(exc).__name__}: {exc})")
