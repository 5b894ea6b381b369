"""Web archives (WARC, .warc.gz, ARC): the HTML pages a crawler saved, read as articles.

Only successful HTML responses can be articles; requests, metadata, images and redirects are
passed over silently. The WARC-Date is when the crawler saw the page, not when it was
published, so it goes to `extra["crawled"]` and never to `published`.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from parley.ingest.html import extract_html
from parley.ingest.records import IngestOptions, RawRecord, Skipped
from parley.ingest.textfile import EMPTY_REASON, os_reason, too_large_reason

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# An uncompressed WARC ends with the last record's CRLF CRLF, which warcio does not count.
_TRAILER_BYTES = 4


def looks_like_warc(head: bytes) -> bool:
    """A WARC ("WARC/1.x") or ARC ("filedesc://") start, plain or gzip-compressed."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith((b"WARC/", b"filedesc://"))


def _drain(record: Any) -> bool:
    """Read what is left of a record; False when the file ended before the record did."""
    while record.raw_stream.read(65536):
        pass
    return not getattr(record.raw_stream, "limit", 0)


def _page(record: Any, origin: str, options: IngestOptions) -> RawRecord | Skipped | None:
    """The article in one record, a Skipped for an HTML page without one, None for the rest."""
    if record.rec_type == "response" and record.http_headers is not None:
        if record.http_headers.get_statuscode() != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":  # saved pages with no HTTP envelope (wget, browsers)
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
        return None
    content = record.content_stream().read(options.max_bytes + 1)
    if len(content) > options.max_bytes:
        return Skipped(origin, too_large_reason(options.max_bytes))
    charset = _CHARSET.search(content_type)
    url = record.rec_headers.get_header("WARC-Target-URI")
    found = extract_html(content, origin, url=url, charset=charset.group(1) if charset else None)
    if isinstance(found, RawRecord) and (crawled := record.rec_headers.get_header("WARC-Date")):
        found.extra["crawled"] = crawled
    return found


def _articles(stream: BinaryIO, origin: str, options: IngestOptions) -> Iterator[RawRecord | Skipped]:
    """The pages of an opened archive, then at most one Skipped for damage or for no pages."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream, arc2warc=True)
    n = pages = 0
    try:
        for record in records:
            n += 1
            try:
                found = _page(record, f"{origin}#{n}", options)
            except (OSError, ValueError, EOFError) as exc:  # bad chunking or gzip inside one record
                found = Skipped(f"{origin}#{n}", f"unreadable record ({type(exc).__name__}: {exc})")
            if not _drain(record):  # a page cut short is not yielded: its text would be too
                offset = records.get_record_offset()
                yield Skipped(origin, f"truncated WARC: record {n} at offset {offset} is cut short")
                return
            if found is not None:
                pages += 1
                yield found
    except Exception as exc:  # warcio raises several kinds on damaged input
        detail = str(exc).strip() if isinstance(exc, ArchiveLoadFailed) else "unreadable record header"
        yield Skipped(origin, f"damaged WARC after record {n} (at offset {records.offset}: {detail})")
        return
    end = sum(records.member_info) if records.member_info else 0
    if stream.seek(0, os.SEEK_END) - end > _TRAILER_BYTES:
        yield Skipped(origin, f"truncated WARC: the bytes after offset {end} are not a whole record")
    elif pages == 0:
        yield Skipped(origin, f"no HTML pages among its {n} records")


def read_warc(
    path: str | os.PathLike[str], options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """Yield the articles in a WARC/ARC file; a damaged file yields what it could, then one Skipped."""
    origin = str(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield Skipped(origin, os_reason(exc))
        return
    with stream:
        yield from read_warc_stream(stream, origin, options)


def read_warc_bytes(data: bytes, origin: str, options: IngestOptions | None = None) -> Iterator[RawRecord | Skipped]:
    """`read_warc` on a file's bytes already read (a Ray worker's shard); `origin` is its path."""
    yield from read_warc_stream(io.BytesIO(data), origin, options)


def read_warc_stream(
    stream: BinaryIO, origin: str, options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """The articles of an opened, seekable archive whose file `origin` names."""
    options = options or IngestOptions()
    head = stream.read(512)
    if not head:
        yield Skipped(origin, EMPTY_REASON)
    elif not looks_like_warc(head):  # warcio would take some text for an ARC record
        yield Skipped(origin, "not a WARC file (no WARC/ARC header at the start)")
    else:
        stream.seek(0)
        for item in _articles(stream, origin, options):
            if isinstance(item, RawRecord):
                item.file = Path(origin).name
            yield item
