"""Events per month on a real time axis, drawn on the server as SVG geometry (no JavaScript).

A month's bar stands where the month is: the months between the first and the last dated one are all
on the axis, empty ones included, so 2015 and 2025 stand ten years apart and a promise dated a year
ahead stands a year to the right. Only numbers and month labels leave here; the caller states how
many events had no date (they cannot be placed on a time axis and are never silently dropped).
"""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 200, 36, 22, 8


def month_index(month: str) -> int:
    """Months since year 0 for "YYYY-MM" (a bare year counts as its January)."""
    return int(month[:4]) * 12 + (int(month[5:7]) - 1 if len(month) >= 7 else 0)


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_bars(rows: list[dict[str, Any]], undated: int = 0) -> dict[str, Any]:
    """Bars for [{"period": "YYYY-MM", "events": n}] on a time axis from the first month to the last,
    ticks at years (every few years when the span is long), and the rows again as a table."""
    counts: dict[int, int] = {}
    for r in rows:
        period = str(r["period"] or "")
        if len(period) >= 4 and period[:4].isdigit():
            counts[month_index(period)] = counts.get(month_index(period), 0) + int(r["events"])
    out: dict[str, Any] = {"width": WIDTH, "height": HEIGHT, "base": HEIGHT - BOTTOM, "left": LEFT,
                           "undated": undated, "dated": sum(counts.values()), "bars": [], "ticks": [], "table": []}
    if not counts:
        return {**out, "peak": 0}
    first, last = min(counts), max(counts)
    span = last - first + 1
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = plot_w / span
    peak = max(counts.values())
    width = max(min(step * 0.8, 24), 1)
    for i, n in sorted(counts.items()):
        h = plot_h * n / peak
        x = LEFT + (i - first) * step + (step - width) / 2
        out["bars"].append({"x": round(x, 2), "y": round(HEIGHT - BOTTOM - h, 2), "w": round(width, 2),
                            "h": round(h, 2), "title": f"{_month(i)}: {n} event{'' if n == 1 else 's'}"})
    years = range(first // 12, last // 12 + 1)
    every = max(1, -(-len(years) // 10))
    for year in years:
        if (year - years[0]) % every == 0:
            i = max(year * 12, first)
            out["ticks"].append({"x": round(LEFT + (i - first) * step, 2), "label": str(year)})
    out["table"] = [{"period": _month(i), "events": n} for i, n in sorted(counts.items())]
    return {**out, "peak": peak, "first": _month(first), "last": _month(last)}
