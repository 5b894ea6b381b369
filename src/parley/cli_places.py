"""`parley countries` and `parley country ISO3`: the country pages of the web workbench, in the terminal.

The options and rendering are the shared ones (`cli_options.db_option`, `output.output_options`,
`output.render`), the reads `store/countries.py`.
"""

from __future__ import annotations

from typing import Any

import click

from .cli_options import db_option, open_store
from .errors import FilterError
from .output import output_options, printable, render


def _code(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from .store.countries import check_code

    try:
        return check_code(param.name or "code", value)
    except FilterError as exc:
        raise click.BadParameter(f"{printable(exc.value)!r} is not {exc.allowed}") from None


def _columns() -> list[str]:
    from .store.countries import columns

    return [c.type for c in columns()]


@click.command()
@db_option
@output_options(limit=300)
def countries(db: str, fmt: str | None, limit: int) -> None:
    """Countries with a party in some event, most events first, by kind of event."""
    from .store.countries import countries as read

    with open_store(db) as store:
        rows = store.read(read)
    render(rows[:limit + 1], fmt, limit=limit, title="Countries",
           columns=["code", "name", "events", *_columns(), "other"])


@click.command()
@db_option
@output_options(limit=50)
@click.argument("code", metavar="ISO3", callback=_code)
def country(db: str, fmt: str | None, limit: int, code: str) -> None:
    """One country's engagement with each other country: events together by kind, visits each way
    (among the latest ones), the people met. --json gives each partner country's row in full."""
    from .store.countries import country as read

    with open_store(db) as store:
        found = store.read(read, code=code)
    if found is None:
        raise click.UsageError(f"no event in {printable(db)} has a party from {code}: "
                               "`parley countries` lists the countries it has")
    rows: list[dict[str, Any]] = found["partners"]
    if fmt is None:
        rows = [{**r, "counterparts": [c["name"] for c in r["counterparts"]]} for r in rows]
    render(rows[:limit + 1], fmt, limit=limit,
           title=f"{found['name'] or code} ({code}): {found['events']} events; with each country",
           columns=["code", "name", "events", *_columns(), "other", "visits_in", "visits_out", "counterparts"])


__all__ = ["countries", "country"]
