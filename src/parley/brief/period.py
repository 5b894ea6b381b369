"""The briefing's period: a start and an end day, written as a span back from the end ("7d", "2w")
or as dates ("2025-03-01", "2025-03", "2025"), and the period of equal length just before it.

Dates are checked by `parley.filters.check_date` (the one owner of what a date may be); only the
relative spans, which no listing takes, are read here. A wrong value is a `FilterError` naming the
option, the value and what would do.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .. import filters
from ..errors import FilterError

_SPAN = re.compile(r"(\d{1,4})\s*([dwmy])")
_DAYS = {"d": 1, "w": 7}
SPAN_HELP = ("a span back from --until such as 7d, 2w, 3m or 1y, or a date written YYYY, YYYY-MM or "
             "YYYY-MM-DD, e.g. 2025-03-21")


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length that ends the day before this one starts: as many days, or,
        for whole calendar months (a month, a quarter, a year), as many whole months."""
        end = self.start - timedelta(days=1)
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            months = (self.end.year * 12 + self.end.month) - (self.start.year * 12 + self.start.month) + 1
            total = self.start.year * 12 + self.start.month - 1 - months
            return Period(date(total // 12, total % 12 + 1, 1), end)
        return Period(end - timedelta(days=self.days - 1), end)

    @property
    def since(self) -> str:
        return self.start.isoformat()

    @property
    def until(self) -> str:
        return self.end.isoformat()

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def period_from(since: str | None, until: str | None, today: date | None = None) -> Period:
    """The period the options name: `until` a date (its last day; default today), `since` a span
    back from it or a date (its first day; default 7d). A start after the end is an error."""
    today = today or date.today()
    end = _last_day(filters.check_date("--until", until)) if until else today
    value = (since or "7d").strip().lower()
    span = _SPAN.fullmatch(value)
    if span:
        n, unit = int(span[1]), span[2]
        if n < 1:
            raise FilterError("--since", since or "", SPAN_HELP)
        start = end - timedelta(days=n * _DAYS[unit] - 1) if unit in _DAYS else _months_back(end, n * (12 if unit == "y" else 1))
    else:
        try:
            start = _first_day(filters.check_date("--since", since))
        except FilterError:
            raise FilterError("--since", since or "", SPAN_HELP) from None
    if start > end:
        raise FilterError("--since", since or "", f"a day on or before --until ({end.isoformat()})")
    return Period(start, end)


def _first_day(value: str | None) -> date:
    parts = [int(p) for p in (value or "").split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(value: str | None) -> date:
    parts = [int(p) for p in (value or "").split("-")]
    if len(parts) == 3:
        return date(*parts)
    month = parts[1] if len(parts) > 1 else 12
    return date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def _months_back(end: date, months: int) -> date:
    """The day after the same day `months` months before `end` (3m to March 31 starts January 1,
    to the last day of a month, the first day of a month)."""
    if (end + timedelta(days=1)).day == 1:
        total = end.year * 12 + end.month - months
        return date(total // 12, total % 12 + 1, 1)
    total = end.year * 12 + end.month - 1 - months
    year, month = divmod(total, 12)
    day = min(end.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day) + timedelta(days=1)
