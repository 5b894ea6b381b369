"""RSS and Atom feeds: one article per entry, from the entry itself or from the page it links to.

Many feeds carry only a teaser; an analysis of a teaser is worthless, so an entry counts as an
article only when its own text is long enough, and otherwise (if allowed) its linked page is
fetched and extracted like any web page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parley.errors import SourceError
from parley.ingest.html import extract_html, fragment_text
from parley.ingest.records import IngestOptions, RawRecord, Skipped
from parley.ingest.textfile import load_or_skip, too_large

#: An entry's own text shorter than this (after stripping HTML) is a teaser, not the article.
FULL_TEXT_CHARS = 400
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


def _iso(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None  # feedparser gives UTC


def _title(item: Any) -> str | None:
    """A feed's or entry's title as plain text; Atom allows HTML titles."""
    title = item.get("title", "")
    if item.get("title_detail", {}).get("type") in ("text/html", "application/xhtml+xml"):
        title = fragment_text(title)
    return " ".join(title.split()) or None


def _entry_text(entry: Any) -> str:
    """The longest of the entry's contents and summary, as plain text."""
    candidates = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    return max((fragment_text(c) for c in candidates if c), key=len, default="")


def entry_key(entry: Any) -> str | None:
    """What names an entry across fetches of its feed: its id (RSS guid, Atom id), else its link."""
    return entry.get("id") or entry.get("link") or None


def _linked_article(link: str, origin: str, options: IngestOptions, client: Any) -> RawRecord | Skipped:
    from parley.ingest.web import fetch  # httpx only when a page is really fetched

    try:
        page = fetch(link, options, client=client)
    except SourceError as exc:
        return Skipped(origin, f"linked page {link}: {exc.reason}")
    if page.content_type not in _HTML_TYPES:
        return Skipped(origin, f"linked page {link}: not an HTML page ({page.content_type})")
    found = extract_html(page.content, origin, url=page.url, charset=page.charset)
    if isinstance(found, Skipped):
        return Skipped(origin, f"linked page {link}: {found.reason}")
    return found


def _entry_record(
    entry: Any,
    text: str,
    origin: str,
    feed_title: str | None,
    file: str | None,
    options: IngestOptions,
    client: Any,
) -> RawRecord | Skipped:
    link = entry.get("link")
    if len(text) >= FULL_TEXT_CHARS:
        record = RawRecord(text=text, origin=origin, layout="body", url=link)
    elif not options.fetch_linked:
        what = f"only a short summary ({len(text)} chars)" if text else "no text"
        return Skipped(origin, f"entry has {what} and fetching linked pages is off")
    elif not link:
        return Skipped(origin, "entry has no article text and no link to fetch")
    else:
        found = _linked_article(link, origin, options, client)
        if isinstance(found, Skipped):
            return found
        record = found
    # The feed's own metadata is deliberate; the page's is scraped, so it only fills gaps.
    record.file = file
    record.id = entry.get("id") or None
    record.title = _title(entry) or record.title
    record.published = (
        _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        or entry.get("published")
        or entry.get("updated")
        or record.published
    )
    record.source = feed_title or record.source
    return record


def read_feed_bytes(
    data: bytes,
    origin: str,
    *,
    file: str | None = None,
    base_url: str | None = None,
    options: IngestOptions | None = None,
) -> Iterator[RawRecord | Skipped]:
    """Yield one article or Skipped per entry of an RSS/Atom document; never raises.

    `base_url` is where the feed was fetched from, so that relative entry links can be followed.
    """
    import feedparser

    options = options or IngestOptions()
    try:
        # bytes, never str: feedparser takes a str for a URL or a file name and would fetch it
        headers = {"content-location": base_url} if base_url else None
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as exc:  # feedparser is lenient, but a crash on one feed must not stop a run
        yield Skipped(origin, f"not a readable RSS/Atom feed ({type(exc).__name__})")
        return
    if not parsed.entries:
        if parsed.get("bozo"):
            yield Skipped(origin, f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
        elif not parsed.get("version"):
            yield Skipped(origin, "not an RSS or Atom feed")
        else:
            yield Skipped(origin, "feed has no entries")
        return
    feed_title = _title(parsed.feed)
    client = None
    deadline = time.monotonic() + options.feed_deadline  # 10,000 links to a silent server: not 55 hours
    try:
        for n, entry in enumerate(parsed.entries, start=1):
            if options.admit_entry and not options.admit_entry(f"{origin}#{n}", entry_key(entry)):
                continue  # seen by a watcher already: not read again, its page not fetched again
            text = _entry_text(entry)
            fetches = options.fetch_linked and len(text) < FULL_TEXT_CHARS and entry.get("link")
            if fetches and time.monotonic() > deadline:
                yield Skipped(f"{origin}#{n}", f"linked page not fetched: the feed's {options.feed_deadline:g} s "
                                               "for fetching pages had run out")
                continue
            if client is None and fetches:
                from parley.ingest.web import make_client  # one client, reused for every linked page

                client = make_client(options)
            yield _entry_record(entry, text, f"{origin}#{n}", feed_title, file, options, client)
    finally:
        if client is not None:
            client.close()


def read_feed_file(
    path: str | os.PathLike[str], options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """Yield the articles of an RSS/Atom file, one per entry."""
    options = options or IngestOptions()
    data = load_or_skip(path, options.max_bytes)
    if isinstance(data, Skipped):
        yield data
        return
    yield from read_feed_file_bytes(data, str(path), options)


def read_feed_file_bytes(
    data: bytes, origin: str, options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """`read_feed_file` on a file's bytes already read (a Ray worker's shard); `origin` is its path."""
    refused = too_large(data, origin, options)
    if refused:
        yield refused
        return
    yield from read_feed_bytes(data, origin, file=Path(origin).name, options=options or IngestOptions())
