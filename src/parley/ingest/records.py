"""What a source reader yields: raw records before cleaning, and skips with their reasons.

Readers (one module per source kind) know only how to get text and metadata out of their format;
cleaning, headline and dateline parsing happen once, in `prepare`, for every kind alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: Texts larger than this are refused with a clear reason instead of being read into memory.
#: News articles are a few kilobytes; 5 MB leaves room for long reports and stops runaway inputs.
MAX_TEXT_BYTES = 5 * 1024 * 1024


@dataclass
class RawRecord:
    """One article as a reader found it.

    `layout` tells `prepare` how much structure is left to find: "plain" text may open with a
    `date YYYY-MM-DD headline` line or a headline line; "body" is already just the body (a JSON
    field, trafilatura's main text), so only the dateline is looked for.
    """

    text: str
    origin: str  # names the input for messages: a path, "dump.jsonl:12", "feed.xml#3", a URL
    layout: str = "plain"  # "plain" | "body"
    file: str | None = None  # base name of the input file, for article.file
    id: str | None = None  # the caller's id, when the source gives one
    url: str | None = None
    title: str | None = None
    published: str | None = None  # as the source gives it; normalised to ISO by prepare
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


#: The reason a named input that does not exist is skipped with (one wording, so callers can tell it).
MISSING = "no such file or folder"


@dataclass
class Skipped:
    """An input (or part of one) that gave no article, and why, in words a user can act on."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class IngestOptions:
    """How readers treat their inputs; one object instead of a dozen keyword arguments."""

    timeout: float = 20.0  # seconds for any network fetch (connect + read)
    max_bytes: int = MAX_TEXT_BYTES
    fetch_linked: bool = True  # a feed entry without content: fetch the page it links to
    # hosts Parley may fetch from although they are private, loopback or link-local addresses;
    # the host of a URL the user names is added for that source (see ingest.addresses)
    allow_hosts: tuple[str, ...] = ()
    feed_deadline: float = 600.0  # seconds for all the linked pages of one feed
    # a watcher's filter (`parley.watch`): called as admit(origin, key) for each feed entry before it
    # is read, `key` its id else its link; an entry it refuses is passed over, its page not fetched
    admit_entry: Callable[[str, str | None], bool] | None = None
    # called with every URL before it is requested (a watcher's per-host pacing of linked pages)
    before_request: Callable[[str], None] | None = None
    # called with every answer's URL, status and headers (a watcher's per-host Retry-After)
    after_response: Callable[[str, int, Mapping[str, str]], None] | None = None
    # JSON field names to try for each article field, first match wins; user options go in front
    fields: dict[str, list[str]] = field(
        default_factory=lambda: {
            "id": ["id", "article_id", "doc_id", "uuid"],
            "url": ["url", "link", "uri"],
            "title": ["title", "headline"],
            "published": ["published", "date", "pubdate", "publish_date", "published_at", "datetime"],
            "text": ["text", "body", "content", "article", "maintext"],
            "source": ["source", "publisher", "outlet", "site"],
        }
    )
