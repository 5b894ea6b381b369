"""The options and helpers the `parley` commands share, in a module of their own so that commands
kept in other modules (`cli_brief`, `cli_watch`, `cli_alerts`) import them without a cycle: the
store option and how a store is opened, the source options of ingest and watch, and the filter
options, each value checked by `parley.filters` (one owner of what is valid)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import click

from . import filters
from .ingest.records import MISSING, IngestOptions, Skipped
from .output import printable

DEFAULT_DB = "parley.db"
_FIELDS = ("id", "url", "title", "published", "text", "source")


db_option = click.option(
    "--db",
    envvar="PARLEY_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="Store: a SQLite path or a database URL, e.g. postgresql://user@host/db (also $PARLEY_DB).",
)
model_option = click.option(
    "--model", envvar="PARLEY_MODEL", default=None, help="An installed spaCy pipeline (also $PARLEY_MODEL)."
)


def open_store(db: str, write: bool = False) -> Any:
    """The store; with `write`, a store that can only be read is refused now, with the reason,
    not after the first articles were analysed. Without it, a store file that does not exist is
    an error (a typo in --db must not quietly create an empty store and answer "nothing found")."""
    from .store import Store

    if not write and "://" not in db and not Path(db).exists():
        raise click.UsageError(f"no store at {printable(db)}: give the store with --db or $PARLEY_DB, "
                               f"or make one with `parley ingest SOURCES --db {printable(db)}`")
    store = Store(db)
    if write:
        try:
            store.require_writable()
        except Exception:
            store.close()
            raise
    return store


def ingest_options(fields: tuple[str, ...], timeout: float, fetch_linked: bool,
                    allow_hosts: tuple[str, ...] = ()) -> IngestOptions:
    options = IngestOptions(timeout=timeout, fetch_linked=fetch_linked, allow_hosts=tuple(allow_hosts))
    for mapping in fields:
        name, sep, key = mapping.partition("=")
        if not sep or name not in _FIELDS or not key:
            raise click.BadParameter(f"{mapping!r}: expected FIELD=KEY with FIELD one of {', '.join(_FIELDS)}")
        options.fields[name] = [key, *options.fields[name]]
    return options


source_options = [
    click.option(
        "--field",
        "fields",
        multiple=True,
        metavar="FIELD=KEY",
        help="JSON key holding an article field, e.g. --field text=story (fields: " + ", ".join(_FIELDS) + ").",
    ),
    click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds for any network fetch."),
    click.option(
        "--fetch-linked/--no-fetch-linked", default=True, help="Fetch a feed entry's page when it has no content."
    ),
    click.option(
        "--allow-host", "allow_hosts", multiple=True, metavar="HOST",
        help="Let Parley fetch pages on this host although it is a private, loopback or link-local address "
             "(feed entry links and redirects to such hosts are refused otherwise; a URL you name is always fetched).",
    ),
]


def with_source_options(command: Any) -> Any:
    """Add the source options to a command, which receives them as one `options: IngestOptions`."""

    @functools.wraps(command)
    def with_options(*args: Any, fields: tuple[str, ...], timeout: float, fetch_linked: bool,
                     allow_hosts: tuple[str, ...], **kwargs: Any) -> Any:
        return command(*args, options=ingest_options(fields, timeout, fetch_linked, allow_hosts), **kwargs)

    for option in reversed(source_options):
        with_options = option(with_options)
    return with_options


def warn_skip(item: Skipped) -> None:
    click.echo(f"skipped {printable(str(item))}", err=True)


def fail_on_missing(skipped: list[Skipped], sources: tuple[str, ...]) -> None:
    """After a run: exit with status 1 when a path the user named does not exist (the readers
    skipped it with `MISSING`, and everything else was read): a typo must not look like success."""
    named = set(sources)
    missing = [item.origin for item in skipped if item.reason == MISSING and item.origin in named]
    if missing:
        click.echo(f"Error: {len(missing)} input(s) not found: {printable(', '.join(missing[:5]))}"
                   f"{' ...' if len(missing) > 5 else ''}", err=True)
        sys.exit(1)


def cut_total(store: Any, listing: str, rows: list, limit: int, **filters: Any) -> int | None:
    """How many rows a listing fetched with `limit + 1` has in all, asked of the store only when it
    was cut (so `render` says "50 of 812 shown"); None when everything is shown."""
    return store.total(listing, **filters) if len(rows) > limit else None


def checked(check: Any) -> Any:
    """A click callback that checks a filter value with `parley.filters` (one owner of what is valid)."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from .errors import FilterError

        try:
            return check(param.opts[0] if param.opts else "value", value)
        except FilterError as exc:
            raise click.BadParameter(f"{printable(exc.value)!r} is not {exc.allowed}") from None

    return callback


def shared_options(*decorators: Any) -> Any:
    """Several click options as one decorator, in the order written."""

    def apply(command: Any) -> Any:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


# Filter options that several listings share, each checked by `parley.filters` (one owner).
period_options = shared_options(
    click.option("--since", metavar="DATE", callback=checked(filters.check_date),
                 help="On or after (YYYY, YYYY-MM or YYYY-MM-DD)."),
    click.option("--until", metavar="DATE", callback=checked(filters.check_date),
                 help="On or before (YYYY, YYYY-MM or YYYY-MM-DD)."),
)
event_type_option = click.option("--type", "event_type", callback=checked(filters.check_event_type),
                                 help="PLOVER event type, e.g. CONSULT.")
participant_country_option = click.option("--country", metavar="ISO3", callback=checked(filters.check_country),
                                          help="ISO 3166-1 alpha-3 code of a participant, e.g. GBR.")
sector_option = click.option("--sector", callback=checked(filters.check_sector),
                             help="Sector id, e.g. automotive (`parley sectors`).")
either_side_country_option = click.option("--country", metavar="ISO3", callback=checked(filters.check_country),
                                          help="ISO 3166-1 alpha-3 code of either side, e.g. GBR.")
