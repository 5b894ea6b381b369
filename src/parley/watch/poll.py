"""One poll of one source, the part that waits on the network or the disk (run in worker threads).

A URL is asked with the validators of its last answer (If-None-Match / If-Modified-Since), so an
unchanged feed costs a 304 and no parsing; within `options.timeout` and `options.max_bytes` as
every fetch (`ingest.web.fetch`). A folder is listed, a file looked at (size and time): reading
what is new happens afterwards, in the loop's own thread, where the store is written.

A server that answers 429 or 503 with `Retry-After` (seconds or an HTTP date) is taken at its
word: the poll fails, and `Polled.retry_at` says when the server asked to be asked again.

Politeness: `Hosts` lets at most `per_host` polls run at once against one host (host and port),
and starts every request to it (polls, their redirects and a feed's linked pages) at least `gap`
seconds apart, by the watcher's clock. A 429 or 503 with Retry-After to any of those requests
rests the whole host: until the time it gave, no request to it is made (`HostResting`): a feed's
other linked pages are left for a later poll, and the other sources on that host are not polled
(`Polled.deferred`) rather than counted as failing. The rest is kept in memory: a restarted
watcher asks the host once more, and rests again if told to.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ..errors import SourceError
from ..ingest.records import MISSING, IngestOptions
from ..ingest.sources import folder_files
from ..ingest.web import Fetched, fetch
from .clock import Clock, short
from .state import Source

log = logging.getLogger("parley.watch")

#: The answers whose Retry-After the watcher honours (RFC 9110, section 10.2.3).
RETRY_STATUSES = (429, 503)

#: The least rest after a 429 / 503, whatever its Retry-After says: "Retry-After: 0" must not make a busy loop.
LEAST_RETRY = 60.0


@dataclass
class Polled:
    """What a poll found: an error, "not modified", a fetched page, or files to read."""

    source: Source
    started: float
    error: str | None = None
    not_modified: bool = False
    page: Fetched | None = None
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, key) of files that may be new
    etag: str | None = None
    last_modified: str | None = None
    retry_at: float | None = None  # a 429 / 503 with Retry-After: when the server asked to be polled again
    deferred: float | None = None  # not polled: its host rests until then (`Hosts`)

    @property
    def status(self) -> str:
        if self.deferred is not None:
            return "deferred"
        if self.error is not None:
            return "error"
        if self.source.kind == "url":
            return "304" if self.not_modified else "200"
        return "unchanged" if self.not_modified else "changed"


class HostResting(SourceError):
    """A request not made: its host asked (429 / 503 with Retry-After) to be left alone until `until`."""

    def __init__(self, url: str, host: str, until: float) -> None:
        super().__init__(url, f"not fetched: {host} asked to be left alone until {short(until)}")
        self.until = until


class Hosts:
    """Per-host limits: `per_host` requests at once, their starts `gap` seconds apart, none while
    the host rests after a 429 / 503 with Retry-After (for at least `LEAST_RETRY`, at most `longest` seconds)."""

    def __init__(self, clock: Clock, per_host: int = 2, gap: float = 1.0,
                 stop: threading.Event | None = None, longest: float = 6 * 3600.0) -> None:
        self.clock, self.gap, self.stop, self.longest = clock, gap, stop, longest
        self._slots: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(per_host))
        self._next: dict[str, float] = {}
        self._resting: dict[str, float] = {}  # host -> the moment its Retry-After named
        self._lock = threading.Lock()
        self._local = threading.local()  # per poll thread: is the turn's own request still to go?

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """One of the host's `per_host` slots, held while the request runs, taken in its turn."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            slot = self._slots[host]
        with slot:
            self.pace(url)
            self._local.paced = True
            try:
                yield
            finally:
                self._local.paced = False

    def follow(self, url: str) -> None:
        """The polls' `before_request`: the request a turn paced goes at once; the next ones (its
        redirects, to this host or another) wait their own turn by `gap`."""
        if getattr(self._local, "paced", False):
            self._local.paced = False
            return
        self.pace(url)

    def pace(self, url: str) -> None:
        """Wait until `gap` after the last request to the host started (a feed's linked pages too);
        HostResting, at once, while the host rests."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = self.clock.now()
            until = self._resting.get(host, 0.0)
            if until > now:
                raise HostResting(url, host, until)
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + self.gap
        self.clock.sleep_until(start, self.stop)

    def answered(self, url: str, status: int, headers: Mapping[str, str]) -> None:
        """Every answer's hook (`IngestOptions.after_response`): a 429 / 503 with a readable
        Retry-After rests its host until then (within `LEAST_RETRY` and `longest`)."""
        value = headers.get("retry-after")
        if status not in RETRY_STATUSES or not value:
            return
        now = self.clock.now()
        asked = retry_after(value, now)
        if asked is None:
            return
        until = min(max(asked, now + LEAST_RETRY), now + max(self.longest, LEAST_RETRY))
        host = urlsplit(url).netloc.lower()
        with self._lock:
            if until <= self._resting.get(host, 0.0):
                return
            self._resting[host] = until
        log.warning("host %s answered %d with Retry-After %s: no request to it until %s", host, status,
                    value.strip(), short(until))



def poll(source: Source, options: IngestOptions, client: httpx.Client, hosts: Hosts, clock: Clock) -> Polled:
    """Poll `source` once; never raises for a source that fails (the error is in the result)."""
    started = clock.now()
    try:
        if source.kind == "url":
            return _poll_url(source, options, client, hosts, started)
        if source.kind == "folder":
            return _poll_folder(source, started)
        return _poll_file(source, started)
    except HostResting as exc:
        return Polled(source, started, error=exc.reason, deferred=exc.until)
    except SourceError as exc:
        return Polled(source, started, error=exc.reason, retry_at=_retry_at(exc, clock.now()))
    except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the watch of the others
        return Polled(source, started, error=f"poll failed ({type(exc).__name__}: {exc})")


def _poll_url(source: Source, options: IngestOptions, client: httpx.Client, hosts: Hosts, started: float) -> Polled:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    with hosts.turn(source.location):
        page = fetch(source.location, options, client=client, headers=headers or None)
    if page.not_modified:
        return Polled(source, started, not_modified=True, etag=source.etag, last_modified=source.last_modified)
    return Polled(source, started, page=page, etag=page.etag, last_modified=page.last_modified)


def retry_after(value: str, now: float) -> float | None:
    """The moment a Retry-After value names: `now` plus its seconds, or its HTTP date; None when
    it is neither (the ordinary back-off then applies)."""
    value = value.strip()
    if value.isdigit():
        return now + int(value)
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _retry_at(exc: SourceError, now: float) -> float | None:
    """Retry-After of the 429 / 503 answer behind a failed fetch (`ingest.web.fetch` keeps it as the cause)."""
    cause = exc.__cause__
    if not isinstance(cause, httpx.HTTPStatusError) or cause.response.status_code not in RETRY_STATUSES:
        return None
    value = cause.response.headers.get("retry-after")
    return retry_after(value, now) if value else None


def _stamp(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _poll_file(source: Source, started: float) -> Polled:
    try:
        stamp = _stamp(os.stat(source.location))
    except FileNotFoundError:
        raise SourceError(source.location, MISSING) from None
    except OSError as exc:
        raise SourceError(source.location, f"cannot read file: {(exc.strerror or str(exc)).lower()}") from None
    if stamp == source.etag:
        return Polled(source, started, not_modified=True, etag=stamp)
    return Polled(source, started, files=[(source.location, f"file:{stamp}")], etag=stamp)


def _poll_folder(source: Source, started: float) -> Polled:
    if not os.path.isdir(source.location):
        raise SourceError(source.location, MISSING if not os.path.exists(source.location) else "not a folder")
    paths, problems = folder_files(source.location)
    if problems and not paths:
        raise SourceError(source.location, problems[0].reason)
    files = []
    for path in paths:
        try:
            stamp = _stamp(path.stat())
        except OSError:
            continue  # gone since it was listed: the next poll sees it or not
        files.append((str(path), f"file:{Path(path).relative_to(source.location)}:{stamp}"))
    return Polled(source, started, files=files)
