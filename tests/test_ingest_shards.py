"""The Ray engine's reading, without Ray: the same articles and skips as the local readers.

Every reader on a file's bytes (what a Ray worker has) gives what it gives on the file, and the
driver's plan plus the workers' row functions, applied here by hand, give what `read_articles`
gives, skips and reasons included. The Ray tests then only need to show Ray runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from parley.ingest.parquet import DOCUMENTS_REASON, read_parquet_articles
from parley.ingest.records import IngestOptions, Skipped
from parley.ingest.sources import read_file, read_file_bytes
from parley.run.ingest import read_articles
from parley.run.shards import file_rows, parquet_rows, plan_sources, user_path

from .shard_inputs import SMALL_LIMIT, make_inputs, write_parquet

OPTIONS = IngestOptions(max_bytes=SMALL_LIMIT)


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    return make_inputs(tmp_path)


def test_every_reader_gives_the_same_from_bytes(inputs: dict[str, Path]) -> None:
    files = [*sorted(inputs["texts"].iterdir()), inputs["jsonl"], inputs["warc"], inputs["parquet"]]
    for path in files:
        assert list(read_file_bytes(path.read_bytes(), str(path), OPTIONS)) == list(read_file(path, OPTIONS)), path
    big = inputs["texts"] / "big.txt"  # refused by size from its bytes too
    assert next(read_file_bytes(big.read_bytes(), str(big), OPTIONS)).reason.startswith("larger than")


def _rows_as_ray_would(sources: list[str]) -> tuple[list[str], list[str]]:
    """(article ids in order, skips) from the plan and the workers' functions, applied here."""
    plan = plan_sources(sources, OPTIONS)
    rows = [r for path in plan.files for r in file_rows({"path": path, "bytes": Path(path).read_bytes()},
                                                        plan.names, OPTIONS)]
    for paths, columns in plan.parquet:
        for path in paths:
            table = pq.read_table(path, columns=columns)
            batch = table.append_column("path", [[path] * table.num_rows])
            out = parquet_rows(batch, plan.names, OPTIONS)
            rows += [dict(zip(out, values)) for values in zip(*out.values())]
    ids = [json.loads(r["article"])["id"] for r in rows if r["article"]]
    skips = [str(s) for s in plan.skipped] + [f"{r['origin']}: {r['reason']}" for r in rows if not r["article"]]
    return ids, skips


def test_plan_and_worker_rows_give_what_the_local_readers_give(inputs: dict[str, Path], monkeypatch) -> None:
    monkeypatch.chdir(inputs["texts"].parent)  # relative names, as a user types them, come back as typed
    sources = ["texts", "dump.jsonl", "crawl.warc.gz", "articles.parquet", "missing.txt"]
    local_skips: list[Skipped] = []
    local = [a.id for a in read_articles(sources, OPTIONS, local_skips.append)]
    ids, skips = _rows_as_ray_would(sources)
    assert ids == local and len(local) == 11
    assert sorted(skips) == sorted(str(s) for s in local_skips)
    assert "texts/logo.bin: binary file (not text)" in skips and "dump.jsonl:2: malformed JSON (Expecting value)" in skips


def test_parquet_articles_columns_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    write_parquet(path, [{"uuid": "u1", "title": "Talks", "content": "Ministers met in Lagos on Monday to talk trade.",
                          "date": "2025-03-21", "outlet": "Ledger", "raw_html": "<p>x</p>"}])
    [record] = read_parquet_articles(path)
    assert (record.id, record.title, record.published, record.source, record.origin) == (
        "u1", "Talks", "2025-03-21", "Ledger", f"{path}#u1")
    assert "raw_html" not in record.extra  # not an article column: never read
    documents = tmp_path / "docs.parquet"
    write_parquet(documents, [{"id": "x", "schema": "parley.article/1", "document": "{}"}])
    assert list(read_parquet_articles(documents)) == [Skipped(str(documents), DOCUMENTS_REASON)]
    empty = tmp_path / "empty.parquet"
    empty.write_bytes(b"PAR1 not really")
    [skip] = read_parquet_articles(empty)
    assert skip.reason.startswith("cannot read as Parquet")


def test_user_path_gives_back_the_name_typed() -> None:
    names = {"/data/news": "news", "/data/news2": "../news2", "/x/a.jsonl": "a.jsonl"}
    assert user_path("/data/news/01.txt", names) == "news/01.txt"
    assert user_path("/data/news2/01.txt", names) == "../news2/01.txt"
    assert user_path("/x/a.jsonl", names) == "a.jsonl"
    assert user_path("/elsewhere/b.txt", names) == "/elsewhere/b.txt"


def test_an_ingest_of_one_article_files_knows_its_total_before_reading(tmp_path) -> None:
    from parley.run.shards import expected_articles

    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(f"Talks {n}\n\nThe mayor met a delegation.", encoding="utf-8")
    (folder / "page.html").write_text("<html><body><p>The mayor met a delegation.</p></body></html>", encoding="utf-8")
    assert expected_articles([str(folder)]) == 4
    assert expected_articles([str(folder), str(tmp_path / "missing.txt")]) == 5  # a skip line counts too
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"text": "The mayor met a delegation."}\n', encoding="utf-8")
    assert expected_articles([str(folder), str(lines)]) is None  # records in a file are not counted ahead
    assert expected_articles(["-"]) is None
