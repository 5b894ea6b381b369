"""`parley evaluate`: one subcommand per annotated data set, all printing the same kind of table.

Each data set keeps its reader and figures in its own module (`gum.py`, `polnear.py`, ...);
this module holds the group, the search for the data folder and the table, so a new data set is a
small command here that calls its module and hands the result to `show`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import ParleyError

#: The repository root (src/parley/evaluate/cli.py -> four levels up), for data beside the checkout.
REPO_ROOT = Path(__file__).resolve().parents[3]


@click.group(help="Measure Parley on annotated data sets")
def evaluate() -> None:
    """The group; `parley.cli` registers it with `main.add_command(evaluate)`."""


model_option = click.option(
    "--model", envvar="PARLEY_MODEL", default=None, help="An installed spaCy pipeline (also $PARLEY_MODEL)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")


def path_option(help: str, kind: str, name: str = "--data") -> Any:
    """--data (or another path option) naming a data set's folder or file; default: the shared copy."""
    return click.option(name, type=click.Path(path_type=Path, file_okay=kind == "file", dir_okay=kind == "folder"),
                         default=None, help=help)


def scorer_option(name: str, beside: str) -> Any:
    """--scorer for a data set scored by a shared script (never copied into the project)."""
    return click.option(
        "--scorer",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help=f"{name} (default: tools/{name} above the data {beside}, or ../shared/tools).",
    )


def resolve_scorer(given: Path | None, name: str, data: Path, found: Path | None) -> Path:
    """The scorer given (it must exist), else the one found beside the data; a usage error otherwise."""
    if given is not None:
        if not given.is_file():
            raise click.UsageError(f"scorer not found: {given}")
        return given
    if found is None:
        raise click.UsageError(
            f"scorer not found: no tools/{name} above {data} nor in "
            f"{(REPO_ROOT.parent / 'shared' / 'tools').resolve()}; give one with --scorer")
    return found


def report(figures: dict[str, Any], table: Any, title: str, as_json: bool) -> None:
    """A scorer's figures as JSON, or as the table its module lays out."""
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        show(table(figures), title=title, as_json=False, verbose=False)


def data_folder(given: Path | None, default: str) -> Path:
    """The data folder: the one given, else `default` from the current folder or the repository root."""
    if given is not None:
        if not given.is_dir():
            raise click.UsageError(f"data folder not found: {given}")
        return given
    tried = [Path.cwd() / default, REPO_ROOT / default]
    for path in tried:
        if path.is_dir():
            return path.resolve()
    raise click.UsageError(f"data folder not found: {tried[0]} (nor {tried[1]}); give one with --data")


def data_file(given: Path | None, default: str) -> Path:
    """The data file: the one given, else `default` from the current folder or the repository root."""
    if given is not None:
        if not given.is_file():
            raise click.UsageError(f"data file not found: {given}")
        return given
    tried = [Path.cwd() / default, REPO_ROOT / default]
    for path in tried:
        if path.is_file():
            return path.resolve()
    raise click.UsageError(f"data file not found: {tried[0]} (nor {tried[1]}); give one with --data")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _gain(ours: Any, theirs: Any) -> str:
    if isinstance(ours, float) and isinstance(theirs, (int, float)):
        return f"{round(ours - theirs, 3) + 0.0:+.3f}"  # + 0.0: no "-0.000"
    return ""


def show(result: dict[str, Any], *, title: str, as_json: bool, verbose: bool) -> None:
    """Print an evaluation: the dict as JSON, or a table (figure | parley | spacy alone | gain)."""
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    ours, theirs = result["parley"], result.get("spacy_alone")
    table = Table(title=f"{title}: {result.get('documents', '?')} documents")
    table.add_column("figure")
    table.add_column("parley", justify="right")
    if theirs is not None:
        table.add_column("spacy alone", justify="right")
        table.add_column("gain", justify="right")
    for key, value in ours.items():
        row = [key, _cell(value)]
        if theirs is not None:
            row += [_cell(theirs.get(key)), _gain(value, theirs.get(key))]
        table.add_row(*row)
    console.print(table)
    for note in result.get("notes", []):
        console.print(f"[dim]- {note}[/dim]", highlight=False)
    if verbose:
        for system, documents in result.get("misses", {}).items():
            for name, lines in documents.items():
                console.print(f"\n[bold]{system} · {name}[/bold]", highlight=False)
                for line in lines:
                    console.print(f"  {line}", highlight=False, markup=False)


@evaluate.command("gum")
@path_option("The GUM news folder (default: ../shared/data/gum_news from here or from the repository root).",
             kind="folder")
@model_option
@click.option("--no-baseline", is_flag=True, help="Skip the spaCy-alone baseline.")
@json_option
@click.option("--verbose", is_flag=True, help="List what was missed, per document.")
def gum(data: Path | None, model: str | None, no_baseline: bool, as_json: bool, verbose: bool) -> None:
    """Entities, dates and appositive roles on GUM's Wikinews documents, against spaCy alone."""
    from .gum import evaluate_gum

    folder = data_folder(data, "../shared/data/gum_news")
    try:
        result = evaluate_gum(folder, model=model, baseline=not no_baseline, misses=verbose)
    except (ParleyError, ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    show(result, title="GUM news", as_json=as_json, verbose=verbose)


@evaluate.command("polnear")
@path_option("A PolNeAR split with text/ and attributions/ (default: ../shared/data/polnear/dev).", kind="folder")
@scorer_option("score_quotes.py", "folder")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N articles by name.")
@model_option
@json_option
def polnear(data: Path | None, scorer: Path | None, limit: int | None, model: str | None, as_json: bool) -> None:
    """Quotes, speakers and cues on PolNeAR attributions, scored by ../shared/tools/score_quotes.py."""
    from .polnear import evaluate_polnear, find_scorer, table

    folder = data_folder(data, "../shared/data/polnear/dev")
    if not (folder / "text").is_dir():
        raise click.UsageError(f"not a PolNeAR split (no text/ folder): {folder}")
    scorer = resolve_scorer(scorer, "score_quotes.py", folder, find_scorer(folder, [Path.cwd(), REPO_ROOT]))
    try:
        figures = evaluate_polnear(folder, scorer, model=model, limit=limit)
    except ParleyError as exc:
        raise click.ClickException(str(exc)) from exc
    report(figures, table, "PolNeAR quotes", as_json)


@evaluate.command("ngec")
@path_option("An NGEC stories CSV (default: ../shared/data/ngec/ngec_dev.csv).", kind="file")
@scorer_option("score_events.py", "file")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N stories by id.")
@model_option
@json_option
def ngec(data: Path | None, scorer: Path | None, limit: int | None, model: str | None, as_json: bool) -> None:
    """Story-level event types and modes on NGEC's synthetic stories, scored by ../shared/tools/score_events.py."""
    from .ngec import SCORER, evaluate_ngec, find_make_texts, find_tool, table

    path = data_file(data, "../shared/data/ngec/ngec_dev.csv")
    roots = [Path.cwd(), REPO_ROOT]
    scorer = resolve_scorer(scorer, SCORER, path, find_tool(SCORER, path, roots))
    try:
        figures = evaluate_ngec(path, scorer, find_make_texts(scorer, path, roots), model=model, limit=limit)
    except ParleyError as exc:
        raise click.ClickException(str(exc)) from exc
    report(figures, table, "NGEC event types", as_json)


@evaluate.command("plover")
@path_option("The PLOVER gold records (default: ../shared/data/plover/PLOVER_GSR_CAMEO.txt).", kind="file")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N records.")
@model_option
@json_option
def plover(data: Path | None, limit: int | None, model: str | None, as_json: bool) -> None:
    """Sentence-level event types, modes and actors on the PLOVER gold records (0.5b1 mapped to 2.0)."""
    from .plover import evaluate_plover, table

    path = data_file(data, "../shared/data/plover/PLOVER_GSR_CAMEO.txt")
    try:
        figures = evaluate_plover(path, model=model, limit=limit)
    except ParleyError as exc:
        raise click.ClickException(str(exc)) from exc
    report(figures, table, "PLOVER gold records", as_json)


@evaluate.command("engagement")
@path_option("A folder of engagement texts (default: ../shared/data/engagement/texts).", kind="folder")
@path_option("Their gold folder (default: gold/engagement above the data, or ../shared/gold/engagement).",
             kind="folder", name="--gold")
@scorer_option("score.py", "folder")
@model_option
@json_option
@click.option("--verbose", is_flag=True, help="List every miss and extra, by kind.")
def engagement(data: Path | None, gold: Path | None, scorer: Path | None, model: str | None, as_json: bool,
               verbose: bool) -> None:
    """People, organisations, places, roles, quotes and events on the engagement articles, scored by
    ../shared/tools/score.py, with the errors counted by kind."""
    from .engagement import errors_table, evaluate_engagement, figures_table, find_gold, find_scorer

    folder = data_folder(data, "../shared/data/engagement/texts")
    roots = [Path.cwd(), REPO_ROOT]
    if gold is None:
        gold = find_gold(folder, roots)
        if gold is None:
            raise click.UsageError(f"gold not found: no gold/engagement above {folder}; give one with --gold")
    elif not gold.is_dir():
        raise click.UsageError(f"gold folder not found: {gold}")
    scorer = resolve_scorer(scorer, "score.py", folder, find_scorer(folder, roots))
    try:
        result = evaluate_engagement(folder, gold, scorer, model=model)
    except ParleyError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        if not verbose:
            result.pop("log", None)
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    show(figures_table(result), title="Engagement", as_json=False, verbose=False)
    show(errors_table(result), title="Errors by kind", as_json=False, verbose=verbose)
