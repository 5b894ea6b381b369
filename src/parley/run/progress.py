"""A rich progress display for ingests: articles done, articles/s, and skips as they happen."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..ingest.records import Skipped
from ..output import printable

_LISTED_SKIPS = 20


class IngestProgress:
    """Progress on stderr, so stdout stays clean for `--json`; disabled, it only collects."""

    def __init__(self, *, disabled: bool = False, total: int | None = None) -> None:
        """`total`: the articles and skips expected (see `shards.expected_articles`), for a bar and an
        ETA; None when the inputs do not say (a feed, JSON Lines)."""
        self.console = Console(stderr=True, soft_wrap=True)  # one line per skip, whatever the width
        self.disabled = disabled
        counted = [BarColumn(bar_width=24), MofNCompleteColumn(), TextColumn("articles"),
                   TimeRemainingColumn()] if total else [TextColumn("[bold]{task.fields[done]}[/bold] articles")]
        self._progress = Progress(
            SpinnerColumn(),
            *counted,
            TextColumn("{task.fields[rate]:.1f} articles/s"),
            TextColumn("[dim]{task.fields[skipped]} skipped[/dim]"),
            TimeElapsedColumn(),
            console=self.console,
            disable=disabled,
            transient=True,
        )
        self._task = self._progress.add_task("ingest", total=total, done=0, rate=0.0, skipped=0)

    def __enter__(self) -> IngestProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()

    def update(self, report: Any) -> None:
        seconds = report.seconds or 1e-9
        self._progress.update(
            self._task, done=report.processed, rate=report.processed / seconds, skipped=len(report.skipped),
            completed=report.processed + len(report.skipped),
        )

    def skip(self, item: Skipped) -> None:
        self._progress.console.print(f"[yellow]skipped[/yellow] {escape(printable(str(item)))}", highlight=False)

    def summary(self, report: Any, counts: dict[str, int], db: str) -> None:
        """The closing lines: stored, duplicates, skipped with reasons, and the store's totals."""
        rate = report.processed / report.seconds if report.seconds else 0.0
        self.console.print(
            f"[bold green]{report.stored} stored[/bold green], {report.near_duplicates} near-duplicates linked, "
            f"{report.duplicates} already stored, {len(report.skipped)} skipped "
            f"in {report.seconds:.1f} s ({rate:.1f} articles/s, {report.words / max(report.seconds, 1e-9):.0f} words/s)",
            highlight=False,
        )
        for item in report.skipped[:_LISTED_SKIPS]:
            self.console.print(f"  [yellow]skipped[/yellow] {escape(printable(str(item)))}", highlight=False)
        if len(report.skipped) > _LISTED_SKIPS:
            self.console.print(f"  ... and {len(report.skipped) - _LISTED_SKIPS} more skipped", highlight=False)
        totals = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
        self.console.print(f"[dim]{escape(printable(db))}: {totals}[/dim]", highlight=False)
