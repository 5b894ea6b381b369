"""One set of output options for every listing command: a rich table, `--json`, `--nl` or `--csv`.

Borrowed from sqlite-utils: the same flags everywhere, so a user learns them once and every
listing can be piped into another tool.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import click

#: First characters on which a spreadsheet may read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Values that start with + - or @ but are data a spreadsheet cannot run: signed numbers ("-5",
#: "+3.5", "-5%", "-1,200", "-2e3"), handles ("@parley_news") and words after a minus ("-Trump"):
#: nothing in them calls, references or computes, so they are written as they are.
_INERT = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?%?|@\w+(?:\.\w+)*|-[^\W\d_][\w']*|-")
#: A date without its year ("--04-20", "--04"; ISO 8601:2000): starts like a formula (Excel reads
#: "--04-20" as -16), so a cell gets EDTF's form with an unspecified year instead: "XXXX-04-20".
_NO_YEAR = re.compile(r"--(\d\d)(-\d\d)?")

#: Characters a terminal acts on instead of showing: C0 controls, DEL and C1 controls (ESC starts
#: sequences that retitle, clear or rewrite the screen). Each is shown as its Unicode control
#: picture (ESC as U+241B), one character for one, so offsets into a text stay right.
_CONTROL_PICTURES = {**{c: 0x2400 + c for c in range(0x20)}, 0x7F: 0x2421, **{c: 0xFFFD for c in range(0x80, 0xA0)}}
_MULTI_LINE = {k: v for k, v in _CONTROL_PICTURES.items() if k not in (0x0A, 0x09)}


def printable(text: str, *, one_line: bool = True) -> str:
    """`text` safe to print on a terminal: no control character acts, and in one-line output
    (skip lines, table cells) no newline splits the line. Length in characters is unchanged."""
    return text.translate(_CONTROL_PICTURES if one_line else _MULTI_LINE)


def output_options(command: Callable[..., Any] | None = None, *, limit: int = 50) -> Any:
    """Add --json/--nl/--csv and --limit to a listing command (`@output_options(limit=N)` for another default)."""
    if command is None:
        return lambda wrapped: output_options(wrapped, limit=limit)
    command = click.option("--limit", type=click.IntRange(min=1), default=limit, show_default=True,
                           help="Rows to show.")(command)
    command = click.option("--csv", "fmt", flag_value="csv", help="Comma-separated values.")(command)
    command = click.option("--nl", "fmt", flag_value="nl", help="One JSON object per line.")(command)
    command = click.option("--json", "fmt", flag_value="json", help="A JSON array.")(command)
    return command


#: How a CSV cell holds a list of names, codes or ids: "Ana Ruiz; Luis Soto".
LIST_SEPARATOR = "; "


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula, that changes no legitimate value.

    The one formula guard of every CSV Parley writes (listings, exports, the API's CSV). A text
    that could run (it starts with "=", or with +, -, @, tab or CR and is not an inert value such
    as "-5%" or "@handle") gets a leading single quote; a date without a year is written
    "XXXX-MM-DD"; a list of plain values is joined with "; " (as the export tables write one), other
    lists and dicts become JSON. Everything else is returned unchanged."""
    if isinstance(value, list) and all(v is None or isinstance(v, (str, int, float)) for v in value):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    elif isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if no_year := _NO_YEAR.fullmatch(value):
        return "XXXX-" + no_year.group(1) + (no_year.group(2) or "")
    if value[0] != "=" and _INERT.fullmatch(value):
        return value
    return "'" + value


def formula_risk(cell: str) -> bool:
    """Whether a written CSV cell could run as a formula (what `safe_cell` never writes)."""
    return cell.startswith(FORMULA_PREFIXES) and safe_cell(cell) != cell


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str | None,
    columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
    out: TextIO | None = None,
    limit: int | None = None,
    total: int | None = None,
) -> None:
    """Write rows in the chosen format; the table shows `columns`, the data formats every field.

    With `limit`, `rows` may hold one more row than asked for (the caller fetched `limit + 1`): only
    `limit` are written, and a line on standard error says that more match, so a cut listing is
    never mistaken for all there is (stdout stays clean for --json and --csv); with `total`, how many
    match in all ("50 of 812 shown")."""
    out = out or sys.stdout
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        shown = f"{limit} of {total} shown" if total is not None else f"{limit} shown; more match"
        sys.stderr.write(f"{shown}: raise --limit or narrow the filters\n")
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt == "nl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        fields = list(columns or (rows[0].keys() if rows else []))
        for row in rows:
            fields += [key for key in row if key not in fields]
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: safe_cell(row.get(key)) for key in fields})
    else:
        _table(rows, columns, title, out)


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None, title: str | None, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, soft_wrap=False)
    if not rows:
        console.print("[dim]nothing found[/dim]")
        return
    columns = list(columns or rows[0].keys())
    cells = [[_cell_text(_short_id(column, row.get(column))) for column in columns] for row in rows]
    widest = [max([len(column)] + [len(line[n]) for line in cells]) for n, column in enumerate(columns)]
    main_width = _main_width(widest, console.width)
    if main_width == 0:
        _records(cells, columns, widest, title, console)
        return
    table = Table(title=title, show_lines=False, expand=False)
    for n, column in enumerate(columns):
        short = widest[n] <= _SHORT_COLUMN
        fixed = main_width if main_width and n == _widest(widest) else None
        table.add_column(column.replace("_", " "), no_wrap=short, overflow="ellipsis" if short else "fold",
                         width=fixed, ratio=None if short or main_width else widest[n])
    for line in cells:
        table.add_row(*line)
    console.print(table)


_SHORT_COLUMN = 16
_MAIN_MIN = 30  # characters the widest column (the text) keeps in a table, else rows become records


def _records(cells: list[list[str]], columns: list[str], widest: list[int], title: str | None, console: Any) -> None:
    """A terminal too narrow for a readable table: each row as a line of its short fields, then its
    widest field (the quote, the headline) wrapped below, so that nothing is cut but the width."""
    from rich.padding import Padding
    from rich.text import Text

    main = _widest(widest)
    if title:
        console.print(Text(title, style="bold"))
    for line in cells:
        fields = [f"[dim]{columns[n].replace('_', ' ')}:[/dim] {line[n]}" for n in range(len(columns))
                  if n != main and line[n]]
        console.print(" · ".join(fields), soft_wrap=False)
        if line[main]:
            console.print(Padding(Text.from_markup(line[main]), (0, 0, 0, 4)))
        console.print()


def _main_width(widest: list[int], terminal: int) -> int | None:
    """How wide the widest column (a quote, a headline, the evidence) may be when every other column
    keeps its natural width: None when the table fits as it is, 0 when the text would get fewer than
    `_MAIN_MIN` characters (the rows are then shown as records: nothing is cut but the width)."""
    budget = terminal - (3 * len(widest) + 1)  # borders and padding
    if sum(widest) <= budget:
        return None
    room = budget - (sum(widest) - widest[_widest(widest)])
    return room if room >= min(widest[_widest(widest)], _MAIN_MIN) else 0


def _widest(widest: list[int]) -> int:
    return max(range(len(widest)), key=lambda n: widest[n])


def _short_id(column: str, value: Any) -> Any:
    """Article ids are 40 hex digits; a table shows 12, which `parley show` accepts as a prefix."""
    if column in {"id", "article_id"} and isinstance(value, str) and len(value) == 40:
        return value[:12]
    return value


def _cell_text(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return escape(printable(str(value)))  # never cut: the table wraps it, or rows become records
