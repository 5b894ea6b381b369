"""From a reader's raw record to a clean `Article`: headline, head lines, dateline, published date, identity.

Every source kind passes through here, so a JSON record, a web page and a text file of the same
story come out alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
import re

from ..document import Article
from ..errors import SourceError
from .clean import clean_body, normalize_unicode, split_glued_words
from .dateline import parse_date_line, parse_dateline, parse_full_date
from .furniture import drop_furniture
from .head import drop_credits, leading_dates_end, read_head
from .records import RawRecord, Skipped

# The seed form: "date 2025-03-21 British Mayors Seek ..." on the first line.
_DATE_HEADLINE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\s+(.+)$", re.IGNORECASE)
#: A first line longer than this is prose, not a headline.
_MAX_HEADLINE_CHARS = 300


def article_id(text: str) -> str:
    """The sha1 of the normalised text: the same story gives the same id whatever its whitespace."""
    canonical = " ".join(text.split()).casefold()
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()


def _split_headline(text: str) -> tuple[str | None, str | None, str]:
    """(headline, published, rest) for plain text: an optional `date ...` line, else the first line.
    A date line above the headline ("12 March 2024" then the headline) is kept for `read_head`."""
    first, _, rest = text.partition("\n")
    match = _DATE_HEADLINE.match(first.strip())
    if match:
        return match.group(2).strip(), parse_full_date(match.group(1)), rest
    if rest.strip() and parse_date_line(first) is not None:
        headline, published, body = _split_headline(rest.lstrip("\n"))
        return headline, published, f"{first}\n{body}"
    if rest.strip() and len(first) <= _MAX_HEADLINE_CHARS:
        return first.strip(), None, rest
    return None, None, text


def prepare(record: RawRecord) -> Article:
    """Clean a raw record into an Article; raises SourceError when nothing of an article is left."""
    text = normalize_unicode(record.text)
    headline = normalize_unicode(record.title) if record.title else None
    published = parse_full_date(record.published)
    if record.layout == "plain" and not headline:
        headline, line_date, text = _split_headline(text)
        published = published or line_date
    text, head = read_head(text.strip())
    text = drop_credits(drop_furniture(text))  # a credit line often stands above the page's foot
    published = published or head.published

    start = leading_dates_end(text)  # a date alone on the first line stays, the dateline follows it
    dateline = parse_dateline(text[start:])
    source = record.source or head.source
    if dateline:
        text = text[:start] + text[start + dateline.end :].lstrip()
        source = source or dateline.source
        published = published or parse_full_date(dateline.date_text)
    published = published or head.updated

    body, captions = clean_body(text)
    if not body:
        raise SourceError(record.origin, "no article text (empty body)")
    if record.id is not None and record.id.strip(".") == "":
        raise SourceError(record.origin, f"id {record.id!r} cannot be part of a web address; give the article another id")
    return Article(
        id=record.id or article_id(body),
        text=body,
        file=record.file,
        url=record.url,
        source=source,
        published=published,
        headline=split_glued_words(headline) if headline else None,
        dateline=dateline.place if dateline else None,
        captions=captions,
        origin=record.origin,
    )


def prepared(items: Iterable[RawRecord | Skipped]) -> Iterator[Article | Skipped]:
    """Each record cleaned into an Article, or a Skipped where it has none; skips pass through."""
    for item in items:
        if isinstance(item, Skipped):
            yield item
            continue
        try:
            yield prepare(item)
        except SourceError as exc:
            yield Skipped(exc.origin, exc.reason)
