"""`parley saved` (saved searches: add, list, show, remove) and `parley alerts run` (send what they
gained to their webhooks and e-mail): thin commands over `parley.alerts`."""

from __future__ import annotations

from typing import Any

import click

from .cli_options import db_option, open_store
from .output import output_options, printable, render

#: The option that sets each saved-search filter (a filter is named as its store query names it).
OPTIONS = {"type": "--type", "country": "--country", "speaker_country": "--country", "sector": "--sector",
           "actor": "--actor", "recipient": "--recipient", "mode": "--mode", "place": "--place",
           "since": "--since", "until": "--until", "visitor_country": "--visitor-country",
           "speaker": "--speaker", "organisation": "--org", "cue": "--cue", "kind": "--quote-kind",
           "min_stance": "--min-stance", "max_stance": "--max-stance", "min_reports": "--min-reports",
           "query": "--query"}
#: The columns `saved show` prints for each kind: those of the kind's own listing.
COLUMNS = {
    "events": ["type", "mode", "actors", "recipients", "location", "date", "sectors", "trigger"],
    "visits": ["when", "kind", "visitors", "visitor_countries", "place", "sectors", "evidence", "article_id"],
    "quotes": ["speaker", "speaker_country", "cue", "kind", "stance", "text", "article_id"],
    "opportunities": ["date", "actor", "recipient", "sectors", "evidence"],
    "stories": ["id", "type", "reports", "outlets", "first_report", "last_report", "place", "participants"],
    "search": ["id", "published", "headline"],
}


@click.group("saved", invoke_without_command=True)
@db_option
@click.pass_context
def saved(ctx: click.Context, db: str) -> None:
    """Saved searches: a filter over events, visits, quotes, opportunities, stories or a full-text
    search kept under a name, with what is new since you last looked (`parley saved` lists them)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_command, db=db)


@saved.command("add")
@click.argument("name")
@db_option
@click.option("--kind", required=True, type=click.Choice(list(COLUMNS), case_sensitive=False),
              help="The list the search runs over.")
@click.option("--type", "type_", metavar="TYPE", help="events, stories: PLOVER event type, e.g. CONSULT.")
@click.option("--country", metavar="ISO3", help="events, stories, opportunities: a participant's country; "
                                                "quotes: the speaker's (ISO 3166-1 alpha-3, e.g. GBR).")
@click.option("--sector", help="events, visits, stories, opportunities: sector id, e.g. automotive.")
@click.option("--actor", help="events: part of an actor's name.")
@click.option("--recipient", help="events: part of a recipient's name.")
@click.option("--mode", help="events: PLOVER mode, e.g. visit.")
@click.option("--place", help="events, stories: part of the place's name; visits: a place the gazetteer knows.")
@click.option("--since", metavar="DATE", help="events, visits, stories, opportunities: on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="events, visits, stories, opportunities: on or before.")
@click.option("--visitor-country", metavar="ISO3", help="visits: a visitor's country, e.g. JPN.")
@click.option("--speaker", help="quotes: part of the speaker's name.")
@click.option("--org", help="quotes: part of the speaker's organisation.")
@click.option("--cue", help="quotes: the reporting verb, e.g. said.")
@click.option("--quote-kind", help="quotes: direct, indirect or mixed.")
@click.option("--min-stance", help="quotes: stance at least this (-1 .. 1).")
@click.option("--max-stance", help="quotes: stance at most this (-1 .. 1).")
@click.option("--min-reports", help="stories: at least this many reports.")
@click.option("--query", help='search: words, "a phrase", word* (as `parley search` takes them).')
@click.option("--webhook", metavar="URL", help="Send alerts to this URL (JSON POST).")
@click.option("--secret", envvar="PARLEY_WEBHOOK_SECRET",
              help="Sign webhook messages with this shared secret (HMAC-SHA256; also $PARLEY_WEBHOOK_SECRET).")
@click.option("--email", "emails", multiple=True, metavar="ADDRESS", help="Send alerts to this address (repeatable).")
@click.option("--include-existing", is_flag=True,
              help="Count what the search matches now as new too (by default, only what it gains from now on).")
def add_command(name: str, db: str, kind: str, webhook: str | None, secret: str | None, emails: tuple[str, ...],
                include_existing: bool, **given: Any) -> None:
    """Save a search under NAME, e.g. `parley saved add energy-gbr --kind events --sector energy --country GBR`."""
    from .alerts import add
    from .errors import FilterError

    params = _params(kind.lower(), given)
    if secret and not webhook:
        raise click.UsageError("--secret signs webhook messages: give --webhook URL with it")
    with open_store(db, write=True) as store:
        try:
            search = add(store, name, kind.lower(), params, webhook=webhook, secret=secret, emails=emails,
                         baseline=not include_existing)
        except FilterError as exc:  # named by its option, as the listings' own checks name it
            raise click.BadParameter(f"{printable(exc.value)!r} is not {exc.allowed}",
                                     param_hint=OPTIONS.get(exc.parameter, exc.parameter)) from None
    where = [w for w in (search.webhook_url and "webhook", search.emails and f"{len(search.emails)} address(es)") if w]
    click.echo(printable(f"saved {search.name!r} ({search.kind}: {_filters(search.params) or 'everything'})"
                         + (f"; alerts to {' and '.join(where)}" if where else "")), err=True)


def _params(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """The options given, named as the kind's filters; an option the kind does not take is a usage error."""
    from .alerts.kinds import KINDS

    takes = KINDS[kind].params
    by_option: dict[str, str] = {}
    for param in takes:
        by_option[OPTIONS[param]] = param
    out = {}
    for key, value in given.items():
        if value is None:
            continue
        option = "--" + key.rstrip("_").replace("_", "-")
        if option not in by_option:
            allowed = ", ".join(dict.fromkeys(OPTIONS[p] for p in takes))
            raise click.UsageError(f"{option} does not apply to --kind {kind}; it takes {allowed}")
        out[by_option[option]] = value
    return out


def _filters(params: dict[str, Any]) -> str:
    return ", ".join(f"{OPTIONS.get(k, k)} {v}" for k, v in params.items())


@saved.command("list")
@db_option
@output_options
def list_command(db: str, fmt: str | None = None, limit: int = 50) -> None:
    """The saved searches, each with how many items are new since you last looked."""
    from .alerts import listing

    with open_store(db) as store:
        rows = listing(store)
    if fmt is None:
        for row in rows[:limit]:
            click.echo(printable(f"{row['name']} ({row['kind']}: {_filters(row['params']) or 'everything'}): "
                                 f"{row['new']} new since you last looked"
                                 + (f"; alerts to {', '.join(filter(None, [row['webhook'], *row['emails']]))}"
                                    if row["webhook"] or row["emails"] else "")))
        if not rows:
            click.echo("no saved searches: `parley saved add NAME --kind events ...` makes one", err=True)
        return
    render(rows[:limit + 1], fmt, limit=limit, title="Saved searches",
           columns=["name", "kind", "params", "new", "looked_at", "webhook", "emails"])


@saved.command("show")
@click.argument("name")
@db_option
@output_options
@click.option("--keep-new", is_flag=True, help="Do not mark what is shown as seen.")
def show_command(name: str, db: str, fmt: str | None, limit: int, keep_new: bool) -> None:
    """Run the saved search NAME and show its rows (what is new is then no longer new)."""
    from .alerts import show

    with open_store(db) as store:
        search, rows, fresh = show(store, name, seen=not keep_new)
    if fmt is None:
        click.echo(printable(f"{search.name} ({search.kind}: {_filters(search.params) or 'everything'}): "
                             f"{len(rows)} rows, {fresh} new since you last looked"), err=True)
    render(rows[:limit + 1], fmt, limit=limit, columns=COLUMNS[search.kind], title=f"Saved search: {search.name}")


@saved.command("remove")
@click.argument("name")
@db_option
def remove_command(name: str, db: str) -> None:
    """Forget the saved search NAME and what it delivered."""
    from .alerts import remove

    with open_store(db, write=True) as store:
        search = remove(store, name)
    click.echo(printable(f"removed {search.name!r}"), err=True)


@click.group("alerts")
def alerts() -> None:
    """Alerts: send what saved searches gained to their webhooks and e-mail addresses."""


@alerts.command("run")
@db_option
@click.option("--base-url", envvar="PARLEY_BASE_URL", default=None,
              help="Where the links in alerts point: the web UI's address (also $PARLEY_BASE_URL; "
                   "default http://127.0.0.1:8000).")
@click.option("--saved", "names", multiple=True, metavar="NAME", help="Only this saved search (repeatable).")
@click.option("--smtp-host", help="Mail server (also $PARLEY_SMTP_HOST).")
@click.option("--smtp-port", type=click.IntRange(1, 65535), help="Its port (also $PARLEY_SMTP_PORT; default 587).")
@click.option("--smtp-user", help="Login (also $PARLEY_SMTP_USER; the password only as $PARLEY_SMTP_PASSWORD).")
@click.option("--smtp-from", help="The sender address (also $PARLEY_SMTP_FROM).")
@click.option("--attempts", type=click.IntRange(1, 20), default=4, show_default=True,
              help="Tries per message before giving up until the next run.")
@click.option("--backoff", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds before the second try; doubled before each next one.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def run_command(db: str, base_url: str | None, names: tuple[str, ...], smtp_host: str | None, smtp_port: int | None,
                smtp_user: str | None, smtp_from: str | None, attempts: int, backoff: float, as_json: bool) -> None:
    """Send every saved search's new items (one per story) to its webhook and e-mail: by hand, from
    cron, or after each round of `parley watch`. Exit status 1 if a message could not be sent."""
    from .alerts import SmtpSettings, deliver_alerts

    smtp = SmtpSettings.from_env(host=smtp_host, port=smtp_port, user=smtp_user, sender=smtp_from)
    with open_store(db, write=True) as store:
        summary = deliver_alerts(store, base_url=base_url, smtp=smtp, names=names or None, attempts=attempts,
                                 backoff=backoff)
    if as_json:
        render([summary.as_dict()], "json")
    else:
        for d in summary.deliveries:
            what = f"{d.items} item{'s' * (d.items != 1)}"
            tail = f" after {d.attempts} tr{'ies' if d.attempts != 1 else 'y'}" if d.attempts else ""
            more = f" ({d.more} more next run)" if d.more else ""
            click.echo(printable(f"{d.search} -> {d.channel}: {d.status} {what}{tail}{more}"
                                 + (f": {d.error}" if d.error else "")), err=True)
        click.echo(f"{summary.delivered} items delivered for {summary.searches} saved searches with alerts", err=True)
    if summary.failed:
        raise SystemExit(1)
