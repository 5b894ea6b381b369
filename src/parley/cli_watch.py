"""`parley watch` and `parley sources`: follow feeds, pages, folders and files on a schedule (issue 17).

The options they share with other commands come from `parley.cli_options`."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

from .cli_options import db_option, model_option, open_store, with_source_options
from .errors import SourceError
from .ingest.records import IngestOptions
from .output import output_options, printable, render


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    from .watch.schedule import parse_duration

    if value is None:
        return None
    try:
        seconds = parse_duration(value, allow_zero=param.name in ("host_gap", "spread"))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if param.name == "keep_seen" and seconds < 7 * 86400:  # `parley sources` counts the items of the last 7 days
        raise click.BadParameter(f"{value!r} is shorter than 7d: seen items are kept at least a week "
                                 "(`parley sources` counts the items of the last 7 days)")
    return seconds


def _log_to_stderr(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    logger = logging.getLogger("parley.watch")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False



@click.command()
@click.argument("sources", nargs=-1)
@click.option("--from", "lists", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A file listing sources, one a line (# comments; relative paths from the file's folder).")
@click.option("--every", default=None, callback=_duration, metavar="DURATION",
              help="How often to poll the sources named: 30s, 15m, 1h, 1d, 1h30m (default 15m; "
                   "a source keeps the interval it was last named with).")
@click.option("--once", is_flag=True,
              help="One round, then exit (for cron): every source not resting after failures is polled. "
                   "Exit status 1 when any watched source is failing (its poll failed in this round, or it "
                   "rests after failures), naming each on standard error; 0 when every one is healthy.")
@db_option
@model_option
@with_source_options
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True, help="Polls at once.")
@click.option("--per-host", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Requests at once to one host (host and port).")
@click.option("--host-gap", default="1s", show_default=True, callback=_duration, metavar="DURATION",
              help="Least time between the starts of two requests to one host.")
@click.option("--max-backoff", default="6h", show_default=True, callback=_duration, metavar="DURATION",
              help="Longest rest of a failing source (it doubles from --every after each failure; a 429 or 503 "
                   "waits its Retry-After, up to this).")
@click.option("--keep-seen", default="30d", show_default=True, callback=_duration, metavar="DURATION",
              help="Forget a seen item (a feed entry, a file) this long after it was first seen, once its source "
                   "no longer lists it: the watch tables stay bounded. At least 7d.")
@click.option("--spread", default=None, callback=_duration, metavar="DURATION",
              help="Spread the first polls of newly named URLs over this time, each at a place fixed by its URL, "
                   "so that many feeds never poll at once (default: the interval; 0: poll them at once). "
                   "Folders and files are polled at once.")
@click.option("--no-resolve", is_flag=True, help="Do not join new articles into stories after each round.")
@click.option("--quiet", is_flag=True, help="Log failures only, not every poll.")
def watch(sources: tuple[str, ...], lists: tuple[Path, ...], every: float | None, once: bool, db: str,
          model: str | None, options: IngestOptions, concurrency: int, per_host: int, host_gap: float,
          max_backoff: float, keep_seen: float, spread: float | None, no_resolve: bool, quiet: bool) -> None:
    """Poll SOURCES (feeds and pages by http(s) URL, folders, files) on a schedule and store what is new.

    The watch list and each source's state live in the store: with no SOURCES, every source watched
    before is polled. One log line per poll on standard error; SIGTERM or Ctrl-C stops after the
    round in progress. `parley sources` shows each source's health."""
    from .watch import Watcher, WatchOptions
    from .watch.schedule import parse_duration

    named = [(s, None) for s in sources]
    for path in lists:
        try:
            from .watch.targets import read_list

            named += read_list(path)
        except SourceError as exc:
            raise click.UsageError(f"{printable(str(exc))}: give --from a file listing one source a line") from None
    if lists and not named:
        raise click.UsageError(f"{', '.join(map(str, lists))}: the list names no source")
    _log_to_stderr(quiet)
    stop = threading.Event()
    with open_store(db, write=True) as store:
        watcher = Watcher(store, options=WatchOptions(
            every=every or parse_duration("15m"), concurrency=concurrency, per_host=per_host, host_gap=host_gap,
            max_backoff=max_backoff, keep_seen=keep_seen, spread=spread, resolve=not no_resolve, model=model),
            ingest_options=options, stop=stop)
        problems = []
        for source, base in named:
            try:
                watcher.add(source, every, base)
            except SourceError as exc:
                problems.append(printable(str(exc)))
        if problems:
            raise click.UsageError("cannot watch " + "; ".join(problems) +
                                   "\n(watch http(s) URLs of feeds or pages, folders and files)")
        if not watcher.sources():
            raise click.UsageError("nothing to watch: name SOURCES or --from FILE "
                                   f"(no source is watched in {printable(store.name)} yet)")
        _stop_on_signals(stop, once)
        try:
            reports = watcher.run(once=once)
        finally:
            watcher.close()
        failing = [s for s in watcher.sources() if s.failures] if once else []
    if once:
        total = reports[0].as_dict() if reports else {}
        click.echo(f"one round: {total.get('polls', 0)} polls, {total.get('not_modified', 0)} not modified, "
                   f"{total.get('failures', 0)} failed, {total.get('stored', 0)} new articles"
                   + (f", {total['deferred']} not polled (their host asked for a rest)" if total.get("deferred") else ""),
                   err=True)
        if failing:  # a cron job must notice a broken source, also while it rests between its polls
            for source in failing:
                click.echo(f"failing: {printable(source.location)} ({source.failures} failure"
                           f"{'s' * (source.failures != 1)} in a row; `parley sources` says why)", err=True)
            click.get_current_context().exit(1)


@click.command("sources")
@db_option
@output_options
@click.option("--forget", "forget", multiple=True, metavar="SOURCE",
              help="Stop watching SOURCE (as listed): its state goes, its articles stay.")
def sources_command(db: str, fmt: str | None, limit: int, forget: tuple[str, ...]) -> None:
    """List the watched sources with their health: last success, last error, failures, next poll, items."""
    import time

    from .watch import state

    if forget:
        with open_store(db, write=True) as store:
            for location in forget:
                if not store.write(lambda conn, loc=location: state.forget(conn, loc)):
                    raise click.UsageError(f"{printable(location)} is not watched: `parley sources` lists "
                                           "the sources as they are stored")
                click.echo(f"no longer watching {printable(location)}", err=True)
        return
    with open_store(db) as store:
        rows = store.read(lambda conn: state.health(conn, time.time()))
    render(rows[:limit + 1], fmt, limit=limit, title="Watched sources",
           columns=["source", "kind", "every", "status", "last_success", "last_error", "failures",
                    "next_poll", "items_week", "items"])


def _stop_on_signals(stop: threading.Event, once: bool) -> None:
    """SIGTERM and the first Ctrl-C end the watch after the round in progress; a second Ctrl-C at once."""
    if once or threading.current_thread() is not threading.main_thread():
        return

    def ask(signum: int, frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        logging.getLogger("parley.watch").warning("stopping after the round in progress (%s)",
                                                  signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, ask)
    signal.signal(signal.SIGINT, ask)
