"""Inputs of every shard kind the Ray engine reads on its workers, each with something to skip.

Built fresh in a test's folder: text files (one empty, one binary, one over the size limit the
tests set), JSON Lines with a broken line and a record without text, a WARC of news pages, a
Parquet file of articles with a row without text. `SMALL_LIMIT` is the size limit that goes with it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from .test_pool import article_text

#: max_bytes for these inputs: every article fits, `big.txt` does not.
SMALL_LIMIT = 2000


def page(i: int) -> bytes:
    """A news page whose article trafilatura finds."""
    headline, _, body = article_text(i).partition("\n")
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return (f"<html><head><title>{headline}</title></head><body><nav>Home | World</nav><article>"
            f"<h1>{headline}</h1>{paragraphs}{paragraphs.replace('Officials', 'Later, officials')}</article>"
            f"<footer>Copyright Ledger</footer></body></html>").encode()


def write_warc(path: Path, pages: dict[str, bytes]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages.items():
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": "2025-01-20T12:00:00Z"}))


def write_parquet(path: Path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)


def make_inputs(root: Path) -> dict[str, Path]:
    """Every kind of shard under `root`; returns them by kind ("texts" is a folder)."""
    import datetime as dt

    texts = root / "texts"
    texts.mkdir(parents=True)
    for i in range(4):
        (texts / f"{i:02d}.txt").write_text(article_text(i), encoding="utf-8")
    (texts / "empty.txt").write_text("")
    (texts / "logo.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (texts / "big.txt").write_text(article_text(99) * 20, encoding="utf-8")

    jsonl = root / "dump.jsonl"
    lines = [json.dumps({"id": f"j{i}", "title": f"Talks {i}", "text": article_text(i + 10).partition("\n")[2],
                         "published": "2025-03-21"}) for i in range(3)]
    lines.insert(1, '{"id": "broken", "text": ')
    lines.append(json.dumps({"id": "notext", "title": "No body"}))
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")

    warc = root / "crawl.warc.gz"
    write_warc(warc, {f"https://ledger.example.com/story/{i}": page(i + 20) for i in range(2)})

    parquet = root / "articles.parquet"
    write_parquet(parquet, [
        {"id": f"p{i}", "headline": f"Visit {i}", "body": article_text(i + 30).partition("\n")[2] if i != 1 else None,
         "published": dt.date(2025, 3, 20 + i), "source": "Ledger", "html": "<p>not read</p>"}
        for i in range(3)])
    return {"texts": texts, "jsonl": jsonl, "warc": warc, "parquet": parquet}
