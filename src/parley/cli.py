"""The `parley` command: a thin layer that parses options, calls the library and renders results."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__, filters
from .errors import ParleyError
from .cli_watch import sources_command, watch
from .evaluate.cli import evaluate
from .cli_alerts import alerts, saved
from .cli_brief import brief
from .cli_places import countries, country
from .cli_options import (
    checked,
    cut_total,
    db_option,
    either_side_country_option,
    event_type_option,
    fail_on_missing,
    model_option,
    open_store,
    participant_country_option,
    period_options,
    sector_option,
    warn_skip,
    with_source_options,
)
from .ingest.records import IngestOptions, Skipped
from .output import output_options, printable, render

class _Group(click.Group):
    """Turns Parley's own errors into one clear line and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ParleyError as exc:
            click.echo(f"Error: {printable(str(exc))}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parley")
def main() -> None:
    """Parley: who met whom, where, when, about what, and what each side said, from news."""


@main.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@model_option
@with_source_options
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Processes that analyse (default: one per core; small inputs run in this process).",
)
@click.option(
    "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
    help="ray: analyse as a Ray Data pipeline (pip install 'parley[ray]').",
)
@click.option(
    "--address",
    help="With --engine ray: the cluster's address, auto or HEAD:6379, from a cluster node or a Ray job (Ray Data "
    "does not run over Ray Client, ray://) (default: Ray on this machine).",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    help="Write parley.article/1 documents as Parquet in this folder (OUT/run-ID/, there once the run is "
    "complete; by Ray's workers with --engine ray) instead of the store; store them with `parley load`.",
)
def ingest(
    sources: tuple[str, ...],
    db: str,
    model: str | None,
    options: IngestOptions,
    quiet: bool,
    as_json: bool,
    workers: int | None,
    engine: str,
    address: str | None,
    out: Path | None,
) -> None:
    """Read SOURCES (files, folders, JSON Lines, Parquet, HTML, feeds, WARC, URLs, - for stdin) into the store."""
    from .run.ingest import ingest as run_ingest
    from .run.progress import IngestProgress
    from .run.shards import expected_articles

    if address and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    if engine == "ray":
        _ingest_with_ray(sources, db, model, options, quiet, as_json, workers, address, out)
        return
    analyzer = None
    if out is not None:
        from .run.parquet import ParquetSink

        sink, where = ParquetSink(out), str(out)
    else:
        sink = open_store(db, write=True)
        where = sink.name  # a URL's password masked
    total = None if quiet or as_json else expected_articles(sources, options)
    with sink as store, IngestProgress(disabled=quiet or as_json, total=total) as progress:
        report = run_ingest(
            sources, store, options=options, model=model, on_progress=progress.update, on_skip=progress.skip,
            workers=workers, analyzer=analyzer,
        )
        progress.update(report)
        if out is None:
            _resolve_after_ingest(store, quiet or as_json)
        counts = store.counts()
    if as_json:
        render([report.as_dict() | {"store": counts}], "json")
    else:
        progress.summary(report, counts, where)
    fail_on_missing(report.skipped, sources)


def _ingest_with_ray(sources: tuple[str, ...], db: str, model: str | None, options: Any, quiet: bool,
                     as_json: bool, workers: int | None, address: str | None, out: Path | None) -> None:
    """`ingest --engine ray`: the workers read shards and, with --out, write the Parquet themselves."""
    from .run.progress import IngestProgress
    from .run.ray_runner import RayStats, ray_ingest, require_ray

    require_ray()
    stats = RayStats()
    with contextlib.ExitStack() as stack:
        store = None if out is not None else stack.enter_context(open_store(db, write=True))
        progress = stack.enter_context(IngestProgress(disabled=quiet or as_json))
        report = ray_ingest(sources, store, out=out, options=options, model=model, address=address,
                            actors=workers, on_progress=progress.update, on_skip=progress.skip, stats=stats)
        progress.update(report)
        if store is not None:
            _resolve_after_ingest(store, quiet or as_json)
        counts = stats.out if store is None else store.counts()
        where = str(out) if store is None else store.name
    if as_json:
        render([report.as_dict() | {"store": counts}], "json")
    else:
        progress.summary(report, counts, where)
    fail_on_missing(report.skipped, sources)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def load(paths: tuple[str, ...], db: str, quiet: bool, as_json: bool) -> None:
    """Store parley.article/1 documents from Parquet files or folders (made by ingest --out).

    A run that did not complete left only a hidden .run-ID.partial folder: it is named and left out.
    """
    from .run.load import load as run_load
    from .run.progress import IngestProgress

    with open_store(db, write=True) as store, IngestProgress(disabled=quiet or as_json) as progress:
        report = run_load(paths, store, on_progress=progress.update, on_skip=progress.skip)
        progress.update(report)
        _resolve_after_ingest(store, quiet or as_json)
        counts = store.counts()
    if as_json:
        render([report.as_dict() | {"store": counts}], "json")
    else:
        progress.summary(report, counts, store.name)
    fail_on_missing(report.skipped, paths)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@model_option
@with_source_options
@click.option("--json", "as_json", is_flag=True, help="parley.article/1 documents, one per line.")
def analyze(
    sources: tuple[str, ...], model: str | None, options: IngestOptions, as_json: bool
) -> None:
    """Analyse SOURCES and print what was found, without touching the store."""
    from .analysis.pipeline import analyze_articles, failure_reason
    from .run.ingest import read_articles

    skipped: list[Skipped] = []

    def skip(item: Skipped) -> None:
        skipped.append(item)
        warn_skip(item)

    articles = read_articles(sources, options, on_skip=skip)

    def failed(article: Any, exc: Exception) -> None:
        warn_skip(Skipped(article.origin or article.id, failure_reason(exc)))

    for document in analyze_articles(articles, model=model, on_error=failed):
        if as_json:
            click.echo(document.to_json())
        else:
            from .show import print_document

            print_document(document)
    fail_on_missing(skipped, sources)


@main.command()
@click.argument("article_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The parley.article/1 document.")
def show(article_id: str, db: str, as_json: bool) -> None:
    """Show an article with its entities, quotes and events marked in the text."""
    with open_store(db) as store:
        document = store.get(article_id)
    if as_json:
        click.echo(document.to_json(indent=2))
    else:
        from .show import print_document

        print_document(document)


@main.command()
@db_option
@output_options
@click.option("--since", metavar="DATE", callback=checked(filters.check_date),
              help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", callback=checked(filters.check_date),
              help="Published on or before (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--include-duplicates", is_flag=True, help="List near-duplicates too.")
def articles(db: str, fmt: str | None, limit: int, since: str | None, until: str | None, include_duplicates: bool) -> None:
    """List stored articles, newest first."""
    found = {"since": since, "until": until, "include_duplicates": include_duplicates}
    with open_store(db) as store:
        rows = store.articles(**found, limit=limit + 1)
        total = cut_total(store, "articles", rows, limit, **found)
    render(rows, fmt, limit=limit, total=total, columns=["id", "published", "headline", "source", "dateline"], title="Articles")


@main.command()
@click.argument("query")
@db_option
@output_options
def search(query: str, db: str, fmt: str | None, limit: int) -> None:
    """Full-text search over headlines, texts and quotes ("a phrase" in quotes)."""
    with open_store(db) as store:
        rows = store.search(query, limit=limit + 1)
        total = store.search_count(query) if len(rows) > limit else None
    render(rows, fmt, limit=limit, total=total, columns=["id", "published", "headline", "snippet"], title=f"Search: {query}")


@main.command()
@db_option
@output_options
@click.option("--name", help="Part of the name.")
def people(db: str, fmt: str | None, limit: int, name: str | None) -> None:
    """People across all articles, with their titles and how often they appear."""
    with open_store(db) as store:
        rows = store.entities(type="PERSON", name=name, limit=limit + 1)
        total = cut_total(store, "entities", rows, limit, type="PERSON", name=name)
    render(rows, fmt, limit=limit, total=total, columns=["name", "country", "sector", "titles", "articles", "mentions"], title="People")


@main.command()
@db_option
@output_options
@click.option("--type", "entity_type", type=click.Choice(filters.ENTITY_TYPES, case_sensitive=False))
@click.option("--name", help="Part of the name.")
def entities(db: str, fmt: str | None, limit: int, entity_type: str | None, name: str | None) -> None:
    """People, organisations, places and groups across all articles."""
    with open_store(db) as store:
        rows = store.entities(type=entity_type, name=name, limit=limit + 1)
        total = cut_total(store, "entities", rows, limit, type=entity_type, name=name)
    render(rows, fmt, limit=limit, total=total, columns=["name", "type", "country", "sector", "articles", "mentions"], title="Entities")


@main.command()
@db_option
@output_options
@click.option("--speaker", help="Part of the speaker's name.")
@click.option("--country", metavar="ISO3", callback=checked(filters.check_country),
              help="The speaker's country, ISO 3166-1 alpha-3, e.g. GBR.")
@click.option("--org", help="Part of the speaker's organisation (a role's `of`, or an ORG/GROUP speaker's name).")
@click.option("--cue", help="The reporting verb, e.g. said.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]))
@click.option("--min-stance", type=click.FloatRange(-1, 1), help="Stance at least this (-1 .. 1).")
@click.option("--max-stance", type=click.FloatRange(-1, 1), help="Stance at most this (-1 .. 1).")
def quotes(
    db: str,
    fmt: str | None,
    limit: int,
    speaker: str | None,
    country: str | None,
    org: str | None,
    cue: str | None,
    kind: str | None,
    min_stance: float | None,
    max_stance: float | None,
) -> None:
    """Attributed statements, with their speakers' countries and organisations."""
    found = {"speaker": speaker, "kind": kind, "cue": cue, "speaker_country": country, "organisation": org,
             "min_stance": min_stance, "max_stance": max_stance}
    with open_store(db) as store:
        rows = store.quotes(**found, limit=limit + 1)
        total = cut_total(store, "quotes", rows, limit, **found)
    render(rows, fmt, limit=limit, total=total, columns=["speaker", "speaker_country", "cue", "kind", "stance", "text", "article_id"], title="Quotes")


@main.command()
@db_option
@output_options
@event_type_option
@participant_country_option
@sector_option
@click.option("--actor", help="Part of an actor's name.")
@click.option("--recipient", help="Part of a recipient's name.")
@click.option("--mode", callback=checked(filters.check_mode), help="PLOVER mode, e.g. visit.")
@click.option("--place", help="Part of the event's place name.")
@period_options
def events(
    db: str,
    fmt: str | None,
    limit: int,
    event_type: str | None,
    country: str | None,
    sector: str | None,
    actor: str | None,
    recipient: str | None,
    mode: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
) -> None:
    """PLOVER-typed events with their participants, place, dates and sectors."""
    found = {"type": event_type, "country": country, "sector": sector, "actor": actor, "since": since,
             "until": until, "mode": mode, "recipient": recipient, "place": place}
    with open_store(db) as store:
        rows = store.events(**found, limit=limit + 1)
        total = cut_total(store, "events", rows, limit, **found)
    render(rows, fmt, limit=limit, total=total, columns=["type", "mode", "actors", "recipients", "location", "date", "sectors", "trigger"],
           title="Events")


@main.command()
@db_option
@output_options
@sector_option
@either_side_country_option
@period_options
def opportunities(
    db: str, fmt: str | None, limit: int, sector: str | None, country: str | None, since: str | None, until: str | None
) -> None:
    """Stated intents to cooperate (AGREE events), newest first, with the words that say so."""
    found = {"sector": sector, "country": country, "since": since, "until": until}
    with open_store(db) as store:
        rows = store.opportunities(**found, limit=limit + 1)
        total = cut_total(store, "opportunities", rows, limit, **found)
    render(rows, fmt, limit=limit, total=total, columns=["date", "actor", "recipient", "sectors", "evidence"], title="Opportunities")


@main.command()
@db_option
@output_options
@sector_option
@either_side_country_option
@click.option("--stage", metavar="STAGE", callback=checked(filters.check_stage),
              help="Only opportunities at this stage: " + ", ".join(filters.STAGES) + ".")
@period_options
def pipeline(db: str, fmt: str | None, limit: int, sector: str | None, country: str | None, stage: str | None,
             since: str | None, until: str | None) -> None:
    """The opportunity pipeline: each cooperation between two sides in a sector at the furthest stage
    its events show (a stated intent, an agreement signed, cooperation under way), with the evidence
    (in a table, each stage's newest three and how many more; --csv, --json and --nl write all of it)."""
    from .store.pipeline import EVIDENCE_SHOWN, flat

    found = {"sector": sector, "country": country, "stage": stage, "since": since, "until": until}
    shown = None if fmt else EVIDENCE_SHOWN  # a table shows each stage's newest few and how many more; --csv/--json/--nl all
    with open_store(db) as store:
        rows, every = store.pipeline_page(**found, limit=limit + 1, evidence=shown)
        total = every if len(rows) > limit else None
    if fmt != "json" and fmt != "nl":
        rows = [flat(r) for r in rows]
    render(rows, fmt, limit=limit, total=total, columns=["sides", "sector", "stage", "reports", "last_reported", "evidence"],
           title="Opportunity pipeline")


def _place(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """--place as the gazetteer's place: an unknown name is a usage error with close names."""
    from .errors import FilterError
    from .store.visits import check_place

    try:
        return check_place(param.opts[0], value)
    except FilterError as exc:
        raise click.BadParameter(f"{printable(exc.value)!r} is not {exc.allowed}") from None


@main.command()
@db_option
@output_options
@click.option("--place", metavar="NAME", callback=_place,
              help="Where: a country, province or state, or city, with every place inside it, e.g. Sichuan.")
@click.option("--visitor-country", metavar="ISO3", callback=checked(filters.check_country),
              help="A visitor's country, ISO 3166-1 alpha-3, e.g. JPN.")
@sector_option
@period_options
def visits(db: str, fmt: str | None, limit: int, place: Any, visitor_country: str | None, sector: str | None,
           since: str | None, until: str | None) -> None:
    """Visits, courtesy calls, meetings and signings: who came, where, when, whom they met, what they intend."""
    with open_store(db) as store:
        rows = store.visits(place=place, visitor_country=visitor_country, sector=sector, since=since, until=until,
                            limit=limit + 1)
    if fmt is None:
        rows = [{**r, "kind": r["kind"] + (" (planned)" if r["planned"] else ""), "met": _met(r)} for r in rows]
    where = f" in {place.name}" if place is not None else ""
    render(rows, fmt, limit=limit, title=f"Visits{where}",
           columns=["when", "kind", "visitors", "visitor_countries", "place", "met", "sectors", "evidence", "article_id"])


def _met(row: dict[str, Any]) -> list[str]:
    """Whom the visitors met, for the table: the hosts met at the visit's events, else its hosts."""
    return list(dict.fromkeys(name for event in row["events"] for name in event["met"])) or row["hosts"]


@main.command()
@output_options(limit=1000)
def sectors(fmt: str | None, limit: int) -> None:
    """The sector ids that --sector takes, with their labels and parents."""
    from .analysis.sectors import taxonomy

    rows = [{"id": s.id, "label": s.label, "parent": s.parent or ""} for s in taxonomy().values()]
    title = "Sectors" if limit >= len(rows) else f"Sectors ({limit} of {len(rows)})"
    render(rows[:limit], fmt, ["id", "label", "parent"], title=title)


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "gdelt", "plover", "events", "quotes", "entities", "stories", "identities"]),
    default="jsonl",
    show_default=True,
    help="jsonl, csv, parquet: one record per article; events, quotes, entities: one row each, with "
    "names, countries, place, real dates and the article (see --as); gdelt: GDELT-2.0-style event rows; "
    "plover: PLOVER event records, one JSON object a line; "
    "stories / identities: JSON Lines, one event across its reports / one person across articles.",
)
@click.option("--as", "rows_as", type=click.Choice(["csv", "jsonl", "parquet"]), default=None,
              help="How an events/quotes/entities table is written (default: from -o's suffix, else csv).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
def export(db: str, fmt: str, rows_as: str | None, output: Path | None) -> None:
    """Export every stored article: documents, an article table, an events, quotes or entities table,
    a GDELT event table, or the stories and identities across articles."""
    from .store.export import export as run_export

    if rows_as is not None and fmt not in {"events", "quotes", "entities"}:
        raise click.UsageError("--as applies to --format events, quotes or entities")
    suffix = output.suffix.lstrip(".").lower() if output else ""
    rows_as = rows_as or (suffix if suffix in {"csv", "jsonl", "parquet"} else "csv")
    if "parquet" in (fmt, rows_as if fmt in {"events", "quotes", "entities"} else "") and output is None:
        raise click.UsageError("Parquet needs -o FILE")
    with open_store(db) as store:
        run_export(store, fmt, sys.stdout.buffer if output is None else output, rows_as=rows_as)


@main.command("resolve")
@db_option
@click.option("--full", is_flag=True,
              help="Forget the stored stories and identities and resolve every article again (corrections stay).")
@click.option("--quiet", is_flag=True, help="No summary.")
def resolve_command(db: str, full: bool, quiet: bool) -> None:
    """Join the stored articles' events into stories and their people into identities.

    Only articles not resolved yet are read (ingest and load run this when they finish); a pass cut
    short resumes where it stopped, and a second pass changes nothing."""
    from .resolve.persist import update

    with open_store(db, write=True) as store:
        n = update(store, full=full)
        totals = store.read(lambda conn: _resolved_totals(conn))
    if not quiet:
        click.echo(f"{n} article{'s' * (n != 1)} resolved; the store holds {totals['stories']} stories "
                   f"and {totals['identities']} identities", err=True)


def _resolved_totals(conn: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from .store import resolved

    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (resolved.stories, resolved.identities)}


def _resolve_after_ingest(store: Any, quiet: bool) -> None:
    """Stories and identities for what a run stored (`parley resolve`)."""
    from .resolve.persist import update

    if not quiet:
        click.echo("resolving stories and identities ...", err=True)
    update(store)


def _stored_query(store: Any, fn: Any, **kwargs: Any) -> Any:
    """`fn(conn, **kwargs)` on the stored stories and identities, new articles resolved first."""
    from .store import resolved

    resolved.ensure_resolved(store)
    return store.read(fn, **kwargs)


@main.command()
@db_option
@output_options
@event_type_option
@participant_country_option
@sector_option
@click.option("--place", help="Part of a place name.")
@period_options
@click.option("--min-reports", type=click.IntRange(min=1), default=None, help="At least this many reports.")
def stories(db: str, fmt: str | None, limit: int, event_type: str | None, country: str | None, sector: str | None,
            place: str | None, since: str | None, until: str | None, min_reports: int | None) -> None:
    """Stories: one event across the articles that report it, most reported first."""
    from .store import resolved

    with open_store(db) as store:
        rows = _stored_query(store, resolved.list_stories, type=event_type, country=country, sector=sector,
                             place=place, since=since, until=until, min_reports=min_reports, limit=limit + 1)
    render(rows, fmt, limit=limit, title="Stories",
           columns=["id", "type", "reports", "outlets", "first_report", "last_report", "place", "participants"])


@main.command()
@click.argument("story_id")
@db_option
@output_options(limit=200)
def story(story_id: str, db: str, fmt: str | None, limit: int) -> None:
    """One story and its reports, each with its outlet, date and sentence (--json: the whole story)."""
    from .store import resolved

    with open_store(db) as store:
        record = _stored_query(store, resolved.get_record, table=resolved.stories, wanted=story_id)
    if record is None:
        raise click.UsageError(f"no story {printable(story_id)!r} (or the prefix names several): "
                               "`parley stories` lists them")
    if fmt == "json":
        render([record], "json")
        return
    reports = [{"published": r["published"], "outlet": r["outlet"], "file": r["file"], "article_id": r["article"],
                "trigger": r["trigger"], "planned": r["planned"], "copy_of": r["copy_of"], "sentence": r["sentence"]}
               for r in record["reports"]]
    if fmt is None:
        row = resolved.story_row(record)
        dates = f"{row['date_start'] or '?'} to {row['date_end'] or '?'}"
        click.echo(printable(f"{record['id']} {record['type']}: {len(reports)} reports from {row['outlets']} outlets, "
                             f"first {row['first_report']}, last {row['last_report']}; event {dates}"))
        click.echo(printable(f"at {', '.join(row['place']) or '?'}; with {', '.join(row['participants']) or '?'}"
                             + (f"; part of {row['part_of']}" if row["part_of"] else "")))
    render(reports[:limit + 1], fmt, limit=limit, title="Reports",
           columns=["published", "outlet", "file", "trigger", "sentence"])


@main.command()
@db_option
@output_options
@click.option("--name", help="Part of any of its names.")
@click.option("--type", "identity_type", callback=checked(filters.check_entity_type),
              help="PERSON, ORG, or a place type (GPE, LOC, FAC).")
def identities(db: str, fmt: str | None, limit: int, name: str | None, identity_type: str | None) -> None:
    """People, bodies and places across articles, each with its names and roles over time."""
    from .store import resolved

    with open_store(db) as store:
        rows = _stored_query(store, resolved.list_identities, name=name, type=identity_type, limit=limit + 1)
    render(rows, fmt, limit=limit, title="Identities", columns=["id", "type", "name", "country", "articles", "roles"])


@main.command()
@click.argument("first")
@click.argument("second")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the identity they make as JSON.")
def merge(first: str, second: str, db: str, as_json: bool) -> None:
    """Make identities (or stories) FIRST and SECOND one, now and after every later ingest (ids from
    `parley identities` or `parley stories`)."""
    from .resolve.persist import merge_identities, merge_stories

    with open_store(db, write=True) as store:
        _stored_query(store, lambda conn: None)
        if first.startswith("s") or second.startswith("s"):
            _show_story(merge_stories(store, first, second), as_json, "merged")
            return
        record = merge_identities(store, first, second)
    _show_identity(record, as_json, "merged")


@main.command()
@click.argument("identity")
@click.argument("articles", nargs=-1, required=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the new identity as JSON.")
def split(identity: str, articles: tuple[str, ...], db: str, as_json: bool) -> None:
    """Take IDENTITY's mentions (or a story's reports) in ARTICLES out of it, as another identity (story),
    now and after every later ingest."""
    from .resolve.persist import split_identity, split_story

    with open_store(db, write=True) as store:
        _stored_query(store, lambda conn: None)
        if identity.startswith("s"):
            _show_story(split_story(store, identity, list(articles)), as_json, "split off")
            return
        record = split_identity(store, identity, list(articles))
    _show_identity(record, as_json, "split off")


def _show_story(record: dict, as_json: bool, what: str) -> None:
    from .store import resolved

    if as_json:
        render([record], "json")
        return
    row = resolved.story_row(record)
    click.echo(printable(f"{what}: {row['id']} {row['type']}, {row['reports']} reports from {row['outlets']} outlets"))


def _show_identity(record: dict, as_json: bool, what: str) -> None:
    from .store import resolved

    if as_json:
        render([record], "json")
        return
    row = resolved.identity_row(record)
    click.echo(printable(f"{what}: {row['id']} {row['name']} ({row['type']}), {row['articles']} articles, "
                         f"names: {', '.join(row['names'])}"))


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="PARLEY_TOKEN", default=None,
              help="Accept POST /api/articles with this bearer token. Prefer $PARLEY_TOKEN or --token-file: "
                   "a token on the command line is visible to every user of the machine (ps).")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read the bearer token from this file (its first line).")
@click.option("--allowed-host", "allowed_host", multiple=True,
              help="Also answer requests for this host name (repeatable); others get 400. "
                   "By default only the address listened on (all loopback names for 127.0.0.1).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Server processes (one per core serves most under load; each keeps its own cache).")
@click.option("--watch", "watch_sources", is_flag=True,
              help="Also poll the sources watched in this store (`parley watch`), in the same process.")
@click.pass_context
def serve(ctx: click.Context, db: str, host: str, port: int, token: str | None, token_file: Path | None,
          allowed_host: tuple[str, ...], workers: int, watch_sources: bool) -> None:
    """Serve the store in a browser and as a JSON API (read-only unless a token is given)."""
    from .web import app_from_environment, create_app, serve_environment
    from .web.app import allowed_hosts_for
    from .web.server import run_server

    if token_file is not None:
        lines = token_file.read_text(encoding="utf-8").splitlines()
        token = lines[0].strip() if lines else ""
        if not token:
            raise click.UsageError(f"{token_file}: the token file is empty")
    elif token and ctx.get_parameter_source("token") == click.core.ParameterSource.COMMANDLINE:
        click.echo("warning: a token given with --token shows in the process list; use $PARLEY_TOKEN or --token-file",
                   err=True)
    hosts = allowed_hosts_for(host, allowed_host)
    mode = "accepting POST /api/articles with the token" if token else "read-only"
    if workers == 1:
        target: Any = create_app(db, token=token, warm=True, allowed_hosts=hosts)
    else:  # uvicorn starts each process from an import string; the store and token go by environment
        os.environ.update(serve_environment(db, token, hosts))
        target = f"{app_from_environment.__module__}:{app_from_environment.__name__}"
    click.echo(f"Parley on http://{host}:{port}/ ({mode}, {workers} process{'es' if workers > 1 else ''}); "
               "Ctrl-C to stop", err=True)
    stop = None
    if watch_sources:
        from .watch import start_background

        _, stop = start_background(db)
    try:
        run_server(target, host, port, workers)
    finally:
        if stop is not None:
            stop.set()


main.add_command(evaluate)
for _command in (brief, watch, sources_command, saved, alerts, countries, country):  # in modules of their own
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
