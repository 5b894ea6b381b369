"""Date terms for the summaries kept by month (`pipeline_months`, `network_months`), whose month
columns hold an event's date cut to seven characters: "YYYY-MM", a year "YYYY", or "" (no date)."""

from __future__ import annotations

from typing import Any

from . import queries


def seekable_since(month: Any, since: queries.DateLike) -> list[Any]:
    """A term an index on the month column seeks to, implied by `queries.since_clause(month, since)`
    and added beside it: that clause's OR (a year or month `since` falls in) made the database read
    every month of the store. Whatever it keeps is at or after since's year."""
    s = queries.iso(since)
    return [month >= s[:4]] if s else []
