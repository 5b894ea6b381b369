"""One set of output options for every listing command: a rich table, `--json`, `--nl` or `--csv`.

Borrowed from sqlite-utils: the same flags everywhere, so a user learns them once and every
listing can be piped into another tool.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import click

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

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


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str | None,
    columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
    out: TextIO | None = None,
) -> None:
    """Write rows in the chosen format; the table shows `columns`, the data formats every field."""
    out = out or sys.stdout
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
    table = Table(title=title, show_lines=False, expand=False)
    for n, column in enumerate(columns):
        short = widest[n] <= _SHORT_COLUMN
        # short columns keep their width; long ones (texts, headlines) share what is left
        table.add_column(column.replace("_", " "), no_wrap=short, overflow="ellipsis" if short else "fold",
                         ratio=None if short else widest[n])
    for line in cells:
        table.add_row(*line)
    console.print(table)


_SHORT_COLUMN = 16


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
    text = printable(str(value))
    return escape(text if len(text) <= 160 else text[:157] + "...")
