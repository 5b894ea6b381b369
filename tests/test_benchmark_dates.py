"""The scale benchmarks' generators move a template's event dates with its article's date: a
month or year too, not only a day (a month left where it was put every copy of a template in the
same weeks, so that one story grew with the generated store)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from resolve_scale import shift_date


def test_a_day_month_or_year_moves_with_the_article() -> None:
    assert shift_date("2018-08-30", 3) == "2018-09-02"
    assert shift_date("2019-05", -1337) == "2015-09"  # a month, by its middle
    assert shift_date("2019-05", 10) == "2019-05"
    assert shift_date("2019", 400) == "2020"
    assert shift_date("2019", -200) == "2018"


def test_a_date_without_a_year_or_unreadable_stays() -> None:
    for value in ("--05", "--03-04", None, "", "20x9-05", "2019-13"):
        assert shift_date(value, 500) == value
