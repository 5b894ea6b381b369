"""`parley.article/1` documents in Parquet: the hand-over format between a cluster and a store.

One row per document: `id`, `schema` and `document` (the document's JSON, exactly as
`Document.to_json` writes it). The whole document is one JSON cell rather than columns of its own
so that nothing is lost on the way (`Document.from_json` gives back the very document, fields added
to the schema later included) and any Parquet reader can still filter on `id`.

A run's output appears whole or not at all: its files are written into a hidden folder,
`OUT/.run-ID.partial`, renamed to `OUT/run-ID` when the run completes (one rename, atomic on one
file system). A run that dies leaves only the hidden folder, which `parley load` names and leaves
out; runs into one folder never overwrite each other. The local engine (`ParquetSink`) and the
Ray engine's workers (`ray_sink.DocumentSink`) write the same layout with the same function.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..document import SCHEMA, Document
from ..errors import SourceError, StoreError
from ..ingest.records import MISSING, Skipped
from ..store.writer import AddResult

#: Documents per file: files of a few MB, enough rows for Parquet's compression to pay off.
ROWS_PER_FILE = 1000
COLUMNS = ("id", "schema", "document")


RUN_PREFIX = "run-"
PARTIAL_SUFFIX = ".partial"
UNFINISHED_REASON = "an unfinished run's output (the run died or failed before it completed): left out"


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in COLUMNS])


def write_documents_file(rows: list[dict[str, str]], path: Path) -> None:
    """Rows (id, schema, document) as one Parquet file, written under a hidden name and renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    partial = path.with_name("." + path.name + PARTIAL_SUFFIX)
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=_schema()), partial)
        os.replace(partial, path)
    except OSError as exc:  # a full disk: one line, no partial file
        partial.unlink(missing_ok=True)
        raise StoreError(f"{path.parent}: cannot write output: {exc.strerror or exc}") from exc


class RunFolder:
    """One run's output folder: written as `.run-ID.partial`, renamed `run-ID` once complete."""

    def __init__(self, folder: str | os.PathLike[str], run: str | None = None) -> None:
        self.folder = Path(folder)
        self.id = run or uuid.uuid4().hex[:12]
        self.staging = self.folder / f".{RUN_PREFIX}{self.id}{PARTIAL_SUFFIX}"
        self.final = self.folder / f"{RUN_PREFIX}{self.id}"

    def open(self) -> None:
        """Create the hidden staging folder (and OUT); SourceError when that is impossible."""
        try:
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SourceError(str(self.folder), f"cannot create the output folder ({exc.strerror or exc})") from exc

    def file(self, n: int) -> Path:
        return self.staging / f"part-{self.id}-{n:05d}.parquet"

    def commit(self) -> Path | None:
        """Publish the run's files (one rename); None when it wrote nothing."""
        if not self.staging.is_dir():
            return None
        if not any(self.staging.iterdir()):
            self.staging.rmdir()
            return None
        os.replace(self.staging, self.final)
        return self.final

    def abandon(self) -> None:
        """Drop what a failed run wrote (best effort: a killed run cannot, and load leaves it out)."""
        shutil.rmtree(self.staging, ignore_errors=True)


class ParquetSink:
    """Writes documents to `folder` as Parquet files; quacks like a Store for `ingest` (has/add_many).

    It does not deduplicate: `has` is always false. The store that loads the files does that.
    The files appear (in `folder/run-ID/`) when the sink is closed after a run that did not raise.
    """

    def __init__(self, folder: str | os.PathLike[str], rows_per_file: int = ROWS_PER_FILE) -> None:
        self.out = RunFolder(folder)
        self.out.open()
        self.folder = self.out.final
        self.rows_per_file = rows_per_file
        self.run = self.out.id
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
        """Write what is buffered and publish the run's files."""
        self._flush()
        self.out.commit()
        self.files = [self.out.final / p.name for p in self.files]

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.out.abandon()

    def _flush(self) -> None:
        if not self._rows:
            return
        path = self.out.file(len(self.files))
        write_documents_file(self._rows, path)
        self.files.append(path)
        self.documents += len(self._rows)
        self._rows = []


def parquet_files(paths: Iterable[str]) -> Iterator[Path | Skipped]:
    """The Parquet files named, folders searched (sorted, hidden files left out); else a Skipped.

    An unfinished run's hidden folder (`.run-ID.partial`) is named, with why it is left out.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.parquet") if not _hidden(p.relative_to(path)))
            unfinished = sorted(p for p in path.rglob(f".{RUN_PREFIX}*{PARTIAL_SUFFIX}") if p.is_dir())
            yield from (Skipped(str(p), UNFINISHED_REASON) for p in unfinished)
            if not found and not unfinished:
                yield Skipped(raw, "no .parquet files in this folder")
            yield from found
        elif path.is_file():
            yield path
        else:
            yield Skipped(raw, MISSING)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


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
                yield Skipped(str(path), "no 'document' column: not parley.article/1 documents written by "
                              "`parley ingest --out` (Parquet of articles is read by `parley ingest`)")
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
