"""Ray Data's sink for analysed rows: Parquet files of documents written by the workers.

Each write task writes its documents as one file (`parquet.write_documents_file`, the local
engine's format) into the run's hidden staging folder and hands back, to the driver, how many it
wrote and the skips it saw, so that skips are counted with their input and reason as locally. A
write task Ray retries writes the same file name again (its task index), so nothing is doubled.
The driver publishes the folder (`RunFolder.commit`) once every task has finished; a failed run
is dropped, a killed one left hidden, where `parley load` names it and leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ray.data.block import Block, BlockAccessor
from ray.data.datasource import Datasink

from ..document import SCHEMA
from .parquet import ROWS_PER_FILE, RunFolder, write_documents_file


@dataclass
class SinkResult:
    """What every write task reported, added up."""

    documents: int = 0
    words: int = 0
    files: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


class DocumentSink(Datasink):
    """Writes rows (id, document, origin, reason, words) as parley.article/1 Parquet into `folder`."""

    def __init__(self, folder: Path) -> None:
        self.out = RunFolder(folder)
        self.result = SinkResult()

    @property
    def min_rows_per_write(self) -> int:
        return ROWS_PER_FILE

    def get_name(self) -> str:
        return "ParleyDocuments"

    def write(self, blocks: Iterable[Block], ctx: Any) -> SinkResult:
        result, rows = SinkResult(), []
        for block in blocks:
            table = BlockAccessor.for_block(block).to_arrow()
            columns = (table.column(c).to_pylist() for c in ("id", "document", "origin", "reason", "words"))
            for id_, document, origin, reason, words in zip(*columns):
                if document:
                    rows.append({"id": id_, "schema": SCHEMA, "document": document})
                    result.words += words
                else:
                    result.skipped.append((origin, reason))
        if rows:
            self.out.staging.mkdir(parents=True, exist_ok=True)
            write_documents_file(rows, self.out.file(ctx.task_idx))
            result.documents, result.files = len(rows), 1
        return result

    def on_write_complete(self, write_result: Any) -> None:
        for part in write_result.write_returns:
            self.result.documents += part.documents
            self.result.words += part.words
            self.result.files += part.files
            self.result.skipped.extend(part.skipped)

    def on_write_failed(self, error: Exception) -> None:
        self.out.abandon()
