"""`parley brief`: a period's engagement news as one self-contained report, HTML or PDF (`parley.brief`).

The options it shares with other commands come from `parley.cli_options`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from .cli_options import db_option, event_type_option, open_store, participant_country_option, sector_option
from .errors import FilterError
from .output import printable

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}
DEFAULT_BASE = "http://127.0.0.1:8000"


def _base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise click.BadParameter(f"{printable(value)!r} is not the address where `parley serve` answers, "
                                 f"e.g. {DEFAULT_BASE} or https://parley.example.org/office")
    return value.rstrip("/")


@click.command("brief")
@db_option
@click.option("--since", metavar="SPAN|DATE", default="7d", show_default=True,
              help="Start: a span back from --until (7d, 2w, 3m, 1y) or a date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", default=None, help="End, inclusive at its precision (default: today).")
@event_type_option
@participant_country_option
@sector_option
@click.option("--saved", "saved", multiple=True, metavar="NAME",
              help="Only what this saved search selects (repeatable: what any of them selects).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: NAME.html (one self-contained file) or NAME.pdf.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Page size when printed (the PDF's, and the HTML's when printed from a browser).")
@click.option("--base-url", envvar="PARLEY_BASE_URL", default=DEFAULT_BASE, show_default=True,
              callback=_base_url,
              help="Where `parley serve` answers: every item links to its evidence there (also $PARLEY_BASE_URL).")
def brief(db: str, since: str, until: str | None, event_type: str | None, country: str | None, sector: str | None,
          saved: tuple[str, ...], output: Path, paper: str, base_url: str) -> None:
    """A briefing of a period: headline figures against the period before, events over time, top
    stories, visits, opportunities, notable quotes and a map, each item linked to its evidence."""
    from .brief import Scope, gather, period_from
    from .brief.render import html
    from .brief.saved import lookup

    kind = FORMATS.get(output.suffix.lower())
    if kind is None:
        raise click.UsageError(f"-o {printable(str(output))}: write a .html or a .pdf file, e.g. -o brief.pdf")
    try:
        period = period_from(since, until)
    except FilterError as exc:
        raise click.BadParameter(f"{printable(exc.value)!r} is not {exc.allowed}", param_hint=exc.parameter) from None
    with open_store(db) as store:
        try:
            scopes = [_narrowed(lookup(store, name), event_type, country, sector) for name in saved]
        except FilterError as exc:
            raise click.BadParameter(exc.allowed, param_hint=exc.parameter) from None
        scopes = scopes or [Scope(type=event_type, country=country, sector=sector)]
        briefing = gather(store, period, scopes, base_url=base_url)
    text = html(briefing, paper=paper)
    if kind == "pdf":
        from .brief.pdf import write_pdf

        _atomically(output, lambda tmp: write_pdf(text, tmp))
    else:
        _atomically(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    what = "nothing in this period" if briefing.empty else (
        f"{len(briefing.events)} events, {briefing.stories_total} stories, {briefing.visits_total} visits")
    click.echo(printable(f"wrote {output}: {period} ({what})"), err=True)


def _narrowed(scope: Any, event_type: str | None, country: str | None, sector: str | None) -> Any:
    """A saved search's scope, further narrowed by the filters given beside it."""
    from dataclasses import replace

    return replace(scope, type=event_type or scope.type, country=country or scope.country, sector=sector or scope.sector)


def _atomically(path: Path, write: Any) -> None:
    """Write through a temporary file beside `path`, then rename: never a half-written briefing."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.UsageError(f"-o {printable(str(path))}: the folder {printable(str(folder))} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as any file the user writes, not mkstemp's owner-only mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

