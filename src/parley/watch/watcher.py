"""The watch loop: poll what is due, read and store what is new, rest until the next source is due.

    watcher = Watcher(store)
    watcher.add("https://example.org/feed.xml", every=900)
    watcher.run()                       # or watcher.round() once, e.g. from cron

A round polls every due source in worker threads (`WatchOptions.concurrency` at once, per-host
limits in `poll.Hosts`); each answer is then read and stored here, in the loop's thread, through
the same path as `parley ingest` (`run.ingest.ingest_records`). A feed entry seen before is passed
over before it is read, so its linked page is not fetched again (`IngestOptions.admit_entry`).

Exactly once: each stored article's seen mark is written in the article's own transaction
(`IngestWriter`, one article per transaction by default). Entries that gave no article (a
duplicate, an entry without text, an analysis failure) and the source's new validators are written
when its poll is done. A watcher killed mid-poll therefore has, for each entry, either the article
and its mark or neither; restarted, it fetches the feed with the old validators, passes over the
entries marked, and reads only the rest. Should a mark be missing anyway (a store copied without
its watch tables), the article's id is still recognised before analysis (`store.has`): nothing is
stored twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..document import Document
from ..errors import StoreError
from ..ingest.addresses import host_of, trusting
from ..ingest.records import IngestOptions, RawRecord, Skipped
from ..ingest.sources import iter_records, read_fetched
from ..ingest.web import make_client
from . import hooks as hook_registry
from . import state
from .clock import Clock, SystemClock, from_iso, short
from .poll import LEAST_RETRY, Hosts, Polled, poll
from .schedule import backoff, first_poll, format_duration
from .targets import kind_of

log = logging.getLogger("parley.watch")

#: Reasons a feed entry gave no article that may pass (its linked page may answer next time): the
#: entry is not marked seen, so the next poll tries it again.
_PASSING = ("timed out", "unreachable", "HTTP 5", "HTTP 429", "not fetched", "fetch failed")


@dataclass
class WatchOptions:
    """How the watcher polls; one object instead of a dozen arguments."""

    every: float = 900.0  # seconds between polls of a source (its own interval, once added, is kept in the store)
    concurrency: int = 8  # polls at once
    per_host: int = 2  # requests at once to one host (host and port)
    host_gap: float = 1.0  # seconds between the starts of two requests to one host
    max_backoff: float = 6 * 3600.0  # the longest rest after failures (at least `every`)
    keep_seen: float = 30 * 86400.0  # an item seen longer ago than this, gone from its source, is forgotten
    # rounds start at least this far apart: sources spread over their interval are polled in batches,
    # and the stories and alerts after a round run a few times a minute at most, not once per source
    round_gap: float = 30.0
    spread: float | None = None  # a new URL's first poll at its place in this (None: its interval; 0: at once)
    batch: int = 1  # articles per write transaction: each article with its seen mark
    resolve: bool = True  # join new articles into stories and identities after a round
    model: str | None = None
    workers: int | None = 1  # analysis processes (`parley ingest --workers`)


@dataclass
class RoundReport:
    """What one round did."""

    started: float
    polls: int = 0
    not_modified: int = 0
    failures: int = 0
    deferred: int = 0  # not polled: the source's host asked to be left alone for now
    stored: int = 0
    duplicates: int = 0
    skipped: int = 0
    new_ids: list[str] = field(default_factory=list)
    hook_failures: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"polls": self.polls, "not_modified": self.not_modified, "failures": self.failures,
                "deferred": self.deferred,
                "stored": self.stored, "duplicates": self.duplicates, "skipped": self.skipped,
                "hook_failures": self.hook_failures}


class IngestWriter:
    """The store as `ingest_records` writes it, each batch written with its items' seen marks in
    one transaction (module docstring). `keys` maps an item's origin ("feed#3") to its entry key."""

    def __init__(self, store: Any, source_id: str, keys: dict[str, str | None], clock: Clock) -> None:
        self.store, self.source_id, self.keys, self.clock = store, source_id, keys, clock
        self.written: list[str] = []  # ids of the articles this writer stored
        self.marked: set[str] = set()

    def has(self, article_id: str) -> bool:
        return self.store.has(article_id)

    def add_many(self, docs: Iterable[Document]) -> list[Any]:
        from ..store import dedupe
        from ..store.writer import write_documents

        batch = list(docs)
        if not batch:
            return []
        sigs = [dedupe.signature(d.article.text) for d in batch]  # CPU work outside the write lock
        marks = [(self.keys.get(d.article.origin or "") or d.article.id, d.article.id) for d in batch]

        def transaction(conn: Any) -> list[Any]:
            results = write_documents(conn, batch, sigs, self.store.threshold)
            state.mark(conn, self.source_id, [
                (key, "read" if r.status == "duplicate" else "stored", aid) for (key, aid), r in zip(marks, results)],
                self.clock.now())
            return results

        results = self.store.write(transaction)
        self.marked |= {key for key, _ in marks}
        self.written += [r.article_id for r in results if r.status != "duplicate"]
        return results


class Watcher:
    """Polls the watched sources of a store on their schedules (module docstring)."""

    def __init__(self, store: Any, *, options: WatchOptions | None = None,
                 ingest_options: IngestOptions | None = None, clock: Clock | None = None,
                 analyzer: Any = None, after_round: Iterable[hook_registry.AfterRound] = (),
                 stop: threading.Event | None = None) -> None:
        self.store = store
        self.options = options or WatchOptions()
        self.ingest_options = ingest_options or IngestOptions()
        self.clock = clock or SystemClock()
        self.analyzer = analyzer
        self.hooks = hook_registry.collect(after_round)
        self.stop = stop or threading.Event()
        self.ids: list[str] | None = None  # the sources this watcher polls (None: every one in the store)
        self.hosts = Hosts(self.clock, self.options.per_host, self.options.host_gap, self.stop,
                           longest=self.options.max_backoff)
        self._client: Any = None
        self._trusted: tuple[str, ...] = ()

    # --- the watch list ------------------------------------------------------------------------------

    def add(self, source: str, every: float | None = None, base: Path | None = None) -> state.Source:
        """Watch `source` (a URL, folder or file; SourceError when it cannot be watched) every `every`
        seconds; without it, a new source is polled every `options.every` and a known one keeps its own."""
        kind, location = kind_of(source, base)
        now = self.clock.now()

        def first(interval: float) -> float:
            return first_poll(location, kind, interval, self.options.spread, now)

        added = self.store.write(lambda conn: state.register(conn, location, kind, every, now,
                                                                    self.options.every, first))
        self.ids = [*(self.ids or []), added.id] if added.id not in (self.ids or []) else self.ids
        return added

    def sources(self) -> list[state.Source]:
        return self.store.read(lambda conn: state.sources(conn, self.ids))

    # --- running -------------------------------------------------------------------------------------

    def run(self, *, once: bool = False, until: float | None = None) -> list[RoundReport]:
        """Rounds until stopped (`stop` set), after one round with `once`, or at `until` (a clock time)."""
        reports = []
        while not self.stop.is_set():
            reports.append(self.round(once=once))
            if once:
                break
            upcoming = [from_iso(s.next_poll) for s in self.sources()]
            if not upcoming:
                break
            wake = max(min(upcoming), reports[-1].started + self.options.round_gap)  # spread sources, batched
            if until is not None and wake > until:
                self.clock.sleep_until(until, self.stop)
                break
            self.clock.sleep_until(wake, self.stop)
        return reports

    def round(self, *, once: bool = False) -> RoundReport:
        """Poll every due source (with `once`: every source not resting after failures), read and
        store what is new, then resolve stories and run the after-round hooks."""
        now = self.clock.now()
        report = RoundReport(started=now)
        due = [s for s in self.sources() if from_iso(s.next_poll) <= now or (once and s.failures == 0)]
        client = self._http(due)
        window = max(1, self.options.concurrency) * 2  # answers waiting to be read: memory stays bounded
        with ThreadPoolExecutor(max_workers=max(1, self.options.concurrency), thread_name_prefix="parley-poll") as pool:
            queue = iter(due)
            pending: set[Future[Polled]] = set()

            def refill() -> None:
                while len(pending) < window and not self.stop.is_set():
                    source = next(queue, None)
                    if source is None:
                        return
                    pending.add(pool.submit(poll, source, self.ingest_options, client, self.hosts, self.clock))

            refill()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    pending.discard(future)
                    self._handle(future.result(), report)
                refill()
        if report.new_ids:
            self._after(report)
        return report

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- one answer ----------------------------------------------------------------------------------

    def _handle(self, polled: Polled, report: RoundReport) -> None:
        source = polled.source
        if polled.deferred is not None:
            self._defer(polled, report)
            return
        report.polls += 1
        if polled.error is not None:
            self._failed(polled, polled.error, report)
            return
        try:
            stored, duplicates, skipped, not_modified = self._read(polled)
        except (StoreError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - a reader bug costs this poll, not the watch
            self._failed(polled, f"could not be read ({type(exc).__name__}: {exc})", report)
            return
        now = self.clock.now()
        report.stored += len(stored)
        report.duplicates += duplicates
        report.skipped += skipped
        report.not_modified += int(not_modified)
        report.new_ids += stored
        status = "304 not modified" if polled.status == "304" else (
            "unchanged" if not_modified else f"{polled.status if source.kind == 'url' else 'changed'}, {len(stored)} new")
        extra = ", ".join(f"{n} {what}" for n, what in ((duplicates, "already stored"), (skipped, "skipped")) if n)
        log.info("poll %s: %s%s; next poll %s", source.location, status, f" ({extra})" if extra else "",
                 short(now + source.every))

    def _failed(self, polled: Polled, error: str, report: RoundReport) -> None:
        source = polled.source
        now = self.clock.now()
        rest = backoff(source.every, source.failures + 1, self.options.max_backoff)
        asked = ""
        if polled.retry_at is not None:  # the server said when: its time, within --max-backoff, and never
            # sooner than a minute (or the interval, if shorter): "Retry-After: 0" must not make a busy loop
            rest = min(max(polled.retry_at - now, min(source.every, LEAST_RETRY)), self.options.max_backoff)
            asked = ", as the server asked"
        failures = self.store.write(lambda conn: state.record_failure(conn, source.id, now, now + rest, error))
        report.failures += 1
        log.warning("poll %s: failed: %s; %d failure%s in a row, next poll %s (in %s%s)", source.location, error,
                    failures, "s" * (failures != 1), short(now + rest), format_duration(rest), asked)

    def _defer(self, polled: Polled, report: RoundReport) -> None:
        """A source not polled because its host rests: due again when the rest ends; no failure counted."""
        until = polled.deferred or self.clock.now()
        self.store.write(lambda conn: state.defer(conn, polled.source.id, until))
        report.deferred += 1
        log.info("poll %s: not polled: %s; next poll %s", polled.source.location, polled.error, short(until))

    def _read(self, polled: Polled) -> tuple[list[str], int, int, bool]:
        """Read and store what is new in a poll's answer; (stored ids, duplicates, skipped, nothing new)."""
        from ..run.ingest import ingest_records

        source = polled.source
        keys: dict[str, str | None] = {}  # origin of each feed entry read -> its key
        present: set[str] = {key for _, key in polled.files}  # every item the answer lists, seen or not
        options = self._options_for(source, keys, present)
        file_marks: list[tuple[str, str, str | None]] = []
        items: Iterator[RawRecord | Skipped] | None = None
        if polled.page is not None:
            items = read_fetched(polled.page, source.location, options)
        elif polled.files:
            new = self.store.read(lambda conn: state.unseen(conn, source.id, [k for _, k in polled.files]))
            file_marks = [(key, "read", None) for _, key in polled.files if key in new]
            paths = [path for path, key in polled.files if key in new]
            items = iter_records(paths, options) if paths else None
        writer = IngestWriter(self.store, source.id, keys, self.clock)
        skips: list[Skipped] = []
        duplicates = 0
        if items is not None:
            duplicates = ingest_records(items, writer, model=self.options.model, on_skip=skips.append,
                                        workers=self.options.workers, analyzer=self.analyzer,
                                        batch=self.options.batch).duplicates
        passing = {s.origin for s in skips if any(p in s.reason for p in _PASSING)}
        leftovers = [(key, "read", None) for origin, key in keys.items()
                     if key and origin not in passing and key not in writer.marked]
        not_modified = items is None
        status = polled.status if source.kind == "url" else ("unchanged" if not_modified else "changed")
        now = self.clock.now()

        # an entry to try again must not hide behind a 304: the next request is then unconditional
        etag, modified = (None, None) if passing else (polled.etag, polled.last_modified)
        # a complete answer (a feed or page read, a folder listed, a changed file) says what is gone
        complete = polled.page is not None or source.kind == "folder" or bool(polled.files)

        def finish(conn: Any) -> None:
            state.mark(conn, source.id, leftovers + file_marks, now)
            if complete:
                state.prune(conn, source.id, present, now - self.options.keep_seen)
            state.record_success(conn, source.id, now, now + source.every, status=status, not_modified=not_modified,
                                 items=len(writer.written), etag=etag, last_modified=modified)

        self.store.write(finish)
        for skip in skips:
            log.info("poll %s: skipped %s", source.location, skip)
        return writer.written, duplicates, len(skips), not_modified

    def _options_for(self, source: state.Source, keys: dict[str, str | None], present: set[str]) -> IngestOptions:
        """The reader options for one source: its own host trusted (the user named it), and seen
        entries passed over (the origins and keys of the others noted in `keys`, every key in `present`)."""

        def admit(origin: str, key: str | None) -> bool:
            if key is not None:
                present.add(key)
            if key is not None and self.store.read(lambda conn: state.seen(conn, source.id, key)):
                return False
            keys[origin] = key
            return True

        options = trusting(self.ingest_options, source.location) if source.kind == "url" else self.ingest_options
        return replace(options, admit_entry=admit, before_request=self.hosts.pace, after_response=self.hosts.answered)

    def _http(self, due: list[state.Source]) -> Any:
        """One HTTP client for the round's polls, trusting the hosts of the watched URLs (named by the user)."""
        hosts = tuple(sorted({host_of(s.location) for s in due if s.kind == "url"} | set(self.ingest_options.allow_hosts)))
        if self._client is None or not set(hosts) <= set(self._trusted):
            self.close()
            self._trusted = hosts
            self._client = make_client(replace(self.ingest_options, allow_hosts=hosts, before_request=self.hosts.follow,
                                               after_response=self.hosts.answered))
        return self._client

    def _after(self, report: RoundReport) -> None:
        if self.options.resolve:
            try:
                from ..resolve.persist import update

                update(self.store)
            except Exception as exc:  # noqa: BLE001 - stories can be resolved later (`parley resolve`); the watch goes on
                log.error("resolving stories after the round failed: %s: %s", type(exc).__name__, exc)
        report.hook_failures = hook_registry.run_hooks(self.hooks, self.store, report.new_ids)


def start_background(db: str, *, options: WatchOptions | None = None, ingest_options: IngestOptions | None = None,
                     analyzer: Any = None) -> tuple[threading.Thread, threading.Event]:
    """Watch every source watched in store `db` in a daemon thread (beside `parley serve`, say), with
    its own connection to the store; set the returned event to stop it after its round."""
    from ..store import Store

    stop = threading.Event()

    def loop() -> None:
        with Store(db) as store:
            watcher = Watcher(store, options=options, ingest_options=ingest_options, analyzer=analyzer, stop=stop)
            try:
                if watcher.sources():
                    watcher.run()
            except Exception:
                log.exception("the watch beside the server stopped")
            finally:
                watcher.close()

    thread = threading.Thread(target=loop, name="parley-watch", daemon=True)
    thread.start()
    return thread, stop
