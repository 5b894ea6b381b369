"""From what the user names (files, folders, URLs, "-") to a stream of raw records and skips.

The one entry point for every reader: it decides which reader an input needs, from its
extension, its content type or its first bytes, so that the caller never has to say.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from parley.errors import SourceError
from parley.ingest.addresses import trusting
from parley.ingest.feed import read_feed_bytes, read_feed_file, read_feed_file_bytes
from parley.ingest.html import extract_html, read_html_bytes, read_html_file
from parley.ingest.jsonl import (
    looks_like_json,
    read_json_text,
    read_jsonl,
    read_jsonl_bytes,
    read_jsonl_stream,
)
from parley.ingest.parquet import read_parquet_articles
from parley.ingest.records import MISSING, IngestOptions, RawRecord, Skipped
from parley.ingest.textfile import (
    BINARY_REASON,
    SNIFF_BYTES,
    decode_text,
    looks_binary,
    os_reason,
    read_text_bytes,
    read_text_file,
    text_record,
    too_large_reason,
)
from parley.ingest.warc import looks_like_warc, read_warc, read_warc_bytes

if TYPE_CHECKING:
    from parley.ingest.web import Fetched

Item = RawRecord | Skipped
STDIN_ORIGIN = "<stdin>"
EMPTY_FOLDER_REASON = "empty folder (no files to read)"

#: File name endings and the kind of reader they call for; "xml" is sniffed for a feed root.
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "json", ".ndjson": "json", ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "xml",
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc",
    ".parquet": "parquet",
}  # fmt: skip

#: HTTP content types and the kind they call for; anything else is sniffed.
CONTENT_TYPES: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "xml", "text/xml": "xml",
    "text/plain": "text", "text/markdown": "text",
    "application/json": "json", "application/x-ndjson": "json", "application/jsonl": "json",
}  # fmt: skip

_FEED_ROOTS = ("rss", "feed", "rdf:rdf")
_ROOT_TAG = re.compile(r"<([A-Za-z][\w:.-]*)")  # the first element, after <?xml?>, <!DOCTYPE>, comments


#: Kinds of file that are never articles, and the reason given for each.
REFUSED: dict[str, str] = {
    "binary": BINARY_REASON,
    "pdf": "PDF file (not supported: convert it to text first)",
    "other-xml": "XML file that is not an RSS or Atom feed",
}


def _refuse(reason: str) -> Callable[[Path, IngestOptions], Iterator[Item]]:
    def reader(path: Path, options: IngestOptions) -> Iterator[Item]:
        yield Skipped(str(path), reason)

    return reader


#: What each kind of file is read with.
FILE_READERS: dict[str, Callable[[Path, IngestOptions], Iterator[Item]]] = {
    "text": read_text_file,
    "json": read_jsonl,
    "html": read_html_file,
    "feed": read_feed_file,
    "warc": read_warc,
    "parquet": read_parquet_articles,
    **{kind: _refuse(reason) for kind, reason in REFUSED.items()},
}

#: The same readers on a file's bytes already read (a Ray worker's shard), given the file's path.
BYTES_READERS: dict[str, Callable[[bytes, str, IngestOptions], Iterator[Item]]] = {
    "text": read_text_bytes,
    "json": read_jsonl_bytes,
    "html": read_html_bytes,
    "feed": read_feed_file_bytes,
    "warc": read_warc_bytes,
    "parquet": lambda data, origin, options: read_parquet_articles(origin, options, data=data),
}


def _markup_kind(text: str) -> str:
    """ "feed" for an <rss>, <feed> or <rdf:RDF> root, "html" for a page, "other-xml" otherwise."""
    root = _ROOT_TAG.search(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
    name = root.group(1).lower() if root else ""
    if name in _FEED_ROOTS:
        return "feed"
    if name in ("html", "head", "body") or not text.lstrip().startswith("<?xml"):
        return "html"
    return "other-xml"


def sniff(head: bytes) -> str:
    """The kind of content from its first bytes: text, json, html, feed, warc, pdf or binary."""
    if looks_like_warc(head):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"%PDF"):
        return "pdf"
    if looks_binary(head):
        return "binary"
    text = (decode_text(head) or "").lstrip("\ufeff \t\n")
    if text.startswith("<"):
        return _markup_kind(text)
    if text.startswith("{") or re.match(r"\[\s*[{\]]", text):
        return "json"
    return "text"


def kind_by_name(name: str) -> str | None:
    """The reader kind a file name's ending calls for, if it says ("xml" still needs sniffing)."""
    name = name.lower()
    return next((k for ext, k in EXTENSIONS.items() if name.endswith(ext)), None)


def kind_of_content(name: str, head: bytes) -> str:
    """The reader kind for a file named `name` whose first bytes are `head`."""
    kind = kind_by_name(name)
    if kind not in (None, "xml"):
        return kind
    found = sniff(head) if head.strip() else "text"  # the text reader says "empty file"
    if kind == "xml" and found not in ("feed", "html", "binary", "text"):
        return "other-xml"
    return found


def kind_of_file(path: Path) -> str:
    """The reader kind for a file: by extension, then by content where the extension is unknown."""
    kind = kind_by_name(path.name)
    if kind not in (None, "xml"):
        return kind
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    return kind_of_content(path.name, head)


def read_file_bytes(data: bytes, origin: str, options: IngestOptions | None = None) -> Iterator[Item]:
    """`read_file` on a file's bytes already read (a Ray worker's shard); `origin` is its path."""
    options = options or IngestOptions()
    kind = kind_of_content(Path(origin).name, data[:SNIFF_BYTES])
    if kind in REFUSED:
        yield Skipped(origin, REFUSED[kind])
    else:
        yield from BYTES_READERS[kind](data, origin, options)


def read_file(path: str | os.PathLike[str], options: IngestOptions | None = None) -> Iterator[Item]:
    """Yield the articles of one file, whatever its kind."""
    options = options or IngestOptions()
    path = Path(path)
    try:
        kind = kind_of_file(path)
    except OSError as exc:
        yield Skipped(str(path), os_reason(exc))
        return
    yield from FILE_READERS[kind](path, options)


def folder_files(folder: str | os.PathLike[str]) -> tuple[list[Path], list[Skipped]]:
    """Every file under `folder`, recursively, in sorted order, and what could not be walked.

    Hidden files and folders are left out. Linked folders are followed, each real folder once (a
    link back up the tree is reported, not walked forever); a folder that cannot be listed is
    reported with the reason, never silently missing.
    """
    files: list[Path] = []
    problems: list[Skipped] = []
    seen: dict[str, str] = {}  # real path -> the path it was first read under

    def unreadable(exc: OSError) -> None:
        why = (exc.strerror or str(exc)).lower()
        problems.append(Skipped(str(exc.filename or folder), f"cannot read folder: {why}"))

    for top, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            problems.append(Skipped(top, f"the same folder as {seen[real]} (read once)"))
            continue
        seen[real] = top
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(top, n) for n in names if not n.startswith("."))
    return sorted(files, key=lambda p: p.parts), problems


def read_folder(folder: str | os.PathLike[str], options: IngestOptions | None = None) -> Iterator[Item]:
    """Every file under `folder`, recursively, in sorted order; hidden files and folders skipped."""
    files, problems = folder_files(folder)
    yield from problems
    if not files and not problems:
        yield Skipped(str(folder), EMPTY_FOLDER_REASON)
    for path in files:
        yield from guarded(read_file(path, options), str(path))  # a bug on one file costs that file


def read_url(url: str, options: IngestOptions | None = None) -> Iterator[Item]:
    """Fetch an http(s) URL and read it as a feed, a page, JSON or plain text."""
    from parley.ingest.web import fetch

    options = trusting(options or IngestOptions(), url)  # the user named it: its host may be fetched
    try:
        page = fetch(url, options)
    except SourceError as exc:
        yield Skipped(url, exc.reason)
        return
    yield from read_fetched(page, url, options)


def read_fetched(page: Fetched, url: str, options: IngestOptions) -> Iterator[Item]:
    """A fetched body read as a feed, a page, JSON or plain text (`read_url`, a watched URL)."""
    kind = CONTENT_TYPES.get(page.content_type) or sniff(page.content[:SNIFF_BYTES])
    if kind == "xml":
        kind = _markup_kind(decode_text(page.content[:SNIFF_BYTES]) or "")
    if kind == "feed":
        yield from read_feed_bytes(page.content, url, base_url=page.url, options=options)
    elif kind == "html":
        yield extract_html(page.content, url, url=page.url, charset=page.charset)
    elif kind == "json":
        yield from read_json_text(decode_text(page.content, page.charset) or "", url, options=options)
    elif kind == "text":
        yield text_record(page.content, url, charset=page.charset)
    else:
        yield Skipped(url, f"not an article, page or feed ({page.content_type or 'no content type'})")


def read_stdin(stream: TextIO | None = None, options: IngestOptions | None = None) -> Iterator[Item]:
    """Standard input: JSON Lines (or JSON) when it looks like it, else one plain-text article.

    Bytes are read as they come, never whole before a size check: JSON Lines line by line (one
    record at a time), a plain-text article up to the size limit and refused past it."""
    options = options or IngestOptions()
    stream = stream if stream is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream handed in (tests, embedding): already in memory
        yield from _stdin_text(stream.read(), options)
        return
    try:
        if not hasattr(buffer, "peek"):
            buffer = io.BufferedReader(buffer)
        text_head = decode_text(buffer.peek(SNIFF_BYTES)[:SNIFF_BYTES])  # looked at, not taken
        if text_head is not None and _opens_json(text_head):
            yield from read_jsonl_stream(buffer, STDIN_ORIGIN, options)
            return
        data = buffer.read(options.max_bytes + 1)
    except (OSError, UnicodeDecodeError) as exc:
        yield Skipped(STDIN_ORIGIN, f"cannot read standard input ({exc})")
        return
    if len(data) > options.max_bytes:
        yield Skipped(STDIN_ORIGIN, too_large_reason(options.max_bytes))
        return
    text = decode_text(data)
    if text is None:
        yield Skipped(STDIN_ORIGIN, "binary input (not text)")
    else:
        yield from _stdin_text(text, options)


def _stdin_text(text: str, options: IngestOptions) -> Iterator[Item]:
    if not text.strip():
        yield Skipped(STDIN_ORIGIN, "empty input")
    elif looks_like_json(text):
        yield from read_json_text(text, STDIN_ORIGIN, options=options)
    elif len(text.encode("utf-8")) > options.max_bytes:
        yield Skipped(STDIN_ORIGIN, too_large_reason(options.max_bytes, len(text.encode("utf-8"))))
    else:
        yield RawRecord(text=text, origin=STDIN_ORIGIN, layout="plain")


def _opens_json(head: str) -> bool:
    """JSON by its first characters: an object, or an array of objects (not "[Updated] ...")."""
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped.startswith("{") or re.match(r"\[\s*[{\]]", stripped) is not None


def read_source(
    source: str, options: IngestOptions | None = None, stdin: TextIO | None = None
) -> Iterator[Item]:
    """One source as the user named it: "-", an http(s) URL, a folder or a file."""
    from parley.ingest.web import is_url

    options = options or IngestOptions()
    if source == "-":
        yield from read_stdin(stdin, options)
    elif is_url(source):
        yield from read_url(source, options)
    elif os.path.isdir(source):
        yield from read_folder(source, options)
    elif os.path.exists(source):
        yield from read_file(source, options)
    else:
        yield Skipped(source, MISSING)


def iter_records(
    sources: Iterable[str], options: IngestOptions | None = None, stdin: TextIO | None = None
) -> Iterator[RawRecord | Skipped]:
    """Every article (or reason for none) in `sources`, in order; never raises on bad input.

    A reader bug on one source is reported as a Skipped for that source and the run goes on.
    """
    options = options or IngestOptions()
    for source in sources:
        yield from guarded(read_source(source, options, stdin), source)


def guarded(items: Iterable[Item], origin: str) -> Iterator[Item]:
    """`items`, a reader bug among them turned into a Skipped for `origin`: one input lost, not the run."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - a reader bug must cost one source, not the whole run
        yield Skipped(origin, f"could not be read ({type(exc).__name__}: {exc})")
