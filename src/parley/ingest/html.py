"""Web pages: the article's main text and metadata, without navigation, footers and comments.

trafilatura does the boilerplate removal and metadata (title, publication date, site name);
this module only adds the decisions it leaves to us: which charset wins, when what is left is
too little to be an article, and that a headline repeated as the first line is not body text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parley.ingest.records import IngestOptions, RawRecord, Skipped
from parley.ingest.textfile import (
    BINARY_REASON,
    EMPTY_REASON,
    decode_text,
    load_or_skip,
    looks_binary,
    too_large,
)

NO_ARTICLE_REASON = "no article text found in HTML page"
# A page counts as an article when its sentence-like lines (8+ words) add up to this many
# characters; a login form or a menu trafilatura falls back to is a few short lines.
_MIN_PROSE_CHARS = 150
_MIN_PROSE_WORDS = 8
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=", re.IGNORECASE)
_META_SCAN_BYTES = 4096
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre")


def _decode(data: bytes | str, charset: str | None) -> bytes | str:
    """HTTP charset or BOM first; a page declaring its own charset is left to trafilatura; the
    rest gets the same detection as text files (trafilatura reads undeclared cp1252 as cp1250)."""
    if isinstance(data, str):
        return data
    if not charset and _META_CHARSET.search(data[:_META_SCAN_BYTES]):
        return data
    return decode_text(data, charset) or data


def _looks_like_article(text: str) -> bool:
    prose = sum(len(line) for line in text.splitlines() if len(line.split()) >= _MIN_PROSE_WORDS)
    return prose >= _MIN_PROSE_CHARS


def _drop_repeated_title(text: str, title: str | None) -> str:
    """trafilatura often keeps the <h1>; as the first body line it would hide the dateline."""
    first, _, rest = text.partition("\n")
    if title and rest and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return text


def extract_html(
    data: bytes | str,
    origin: str,
    *,
    url: str | None = None,
    file: str | None = None,
    charset: str | None = None,
) -> RawRecord | Skipped:
    """The article in one HTML document, or a Skipped; never raises.

    `url` is where the page was found (fetched URL, WARC target) and wins over the page's own
    canonical link; `charset` is the HTTP header's, if any.
    """
    import trafilatura  # slow to import; only pages need it
    from trafilatura.settings import set_date_params

    if not data.strip():
        return Skipped(origin, "empty page")
    doc: Any  # trafilatura.settings.Document (with_metadata, not as_dict)
    try:
        doc = trafilatura.bare_extraction(
            _decode(data, charset),
            url=url,
            with_metadata=True,
            include_comments=False,
            # dates from markup only (meta, <time>, JSON-LD, URL): the extensive search guesses
            # from free text and turns a "(c) 2024" footer into 2024-01-01
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception as exc:  # trafilatura/lxml on hostile markup: one bad page must not stop a run
        return Skipped(origin, f"could not parse HTML ({type(exc).__name__}: {exc})")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not _looks_like_article(text):
        return Skipped(origin, NO_ARTICLE_REASON)
    extra = {key: str(value) for key in ("author", "hostname") if (value := getattr(doc, key, None))}
    return RawRecord(
        text=_drop_repeated_title(text, doc.title),
        origin=origin,
        layout="body",
        file=file,
        url=url or doc.url,
        title=doc.title or None,
        published=doc.date or None,
        source=doc.sitename or None,
        extra=extra,
    )


def read_html_file(
    path: str | os.PathLike[str], options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """Yield the article in an HTML file, or one Skipped saying why there is none."""
    options = options or IngestOptions()
    data = load_or_skip(path, options.max_bytes)
    if isinstance(data, Skipped):
        yield data
        return
    yield from read_html_bytes(data, str(path), options)


def read_html_bytes(data: bytes, origin: str, options: IngestOptions | None = None) -> Iterator[RawRecord | Skipped]:
    """`read_html_file` on a file's bytes already read (a Ray worker's shard); `origin` is its path."""
    refused = too_large(data, origin, options)
    if refused:
        yield refused
    elif not data.strip() or looks_binary(data):
        yield Skipped(origin, BINARY_REASON if data.strip() else EMPTY_REASON)
    else:
        yield extract_html(data, origin, file=Path(origin).name)


def fragment_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per block element."""
    if "<" not in markup:
        return markup.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises on some empty or broken fragments
        return re.sub(r"<[^>]+>", " ", markup).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n\n"))
    return "\n\n".join(line for line in lines if line)
