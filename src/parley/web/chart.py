"""The home page's events-over-time chart, drawn on the server as SVG geometry (no JavaScript), on a
real time axis: 2015 and 2025 stand ten years apart, the empty years between included.

Only numbers and the keys' names leave here; the template escapes the names like any other text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .timeaxis import month_index

TOP_KEYS = 6
WIDTH, HEIGHT, LEFT, BOTTOM = 720, 240, 36, 22


def stacked_bars(rows: list[dict[str, Any]], top: int = TOP_KEYS) -> dict[str, Any]:
    """Stacked bars per period for the `top` keys by total, the rest summed as "other"."""
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["key"]] += r["events"]
    keys = [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    if len(totals) > len(keys):
        keys.append("other")
    cells: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        cells[r["period"]][r["key"] if r["key"] in keys else "other"] += r["events"]
    periods = sorted(cells)
    peak = max((sum(c.values()) for c in cells.values()), default=0)
    if not periods or peak == 0:
        return {"bars": [], "keys": [], "periods": [], "peak": 0, "width": WIDTH, "height": HEIGHT, "table": []}
    # a real time axis (timeaxis.py): each period stands where it falls, the empty ones between included
    unit = 1 if all(len(p) == 4 for p in periods) else 12  # years, or months
    at = {p: month_index(p) // (12 // unit) for p in periods}
    first, last = min(at.values()), max(at.values())
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - 8
    step = plot_w / (last - first + 1)
    bars = []
    for period in periods:
        y = HEIGHT - BOTTOM
        for k_index, key in enumerate(keys):
            n = cells[period].get(key, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            w = min(max(step * 0.8, 1), 48)
            bars.append({"x": round(LEFT + (at[period] - first) * step + (step - w) / 2, 2), "y": round(y, 2),
                         "w": round(w, 2), "h": round(h, 2), "series": k_index, "title": f"{period} · {key}: {n}"})
    years = range(first // unit, last // unit + 1)
    every = max(1, -(-len(years) // 10))
    ticks = [{"x": round(LEFT + (max(year * unit, first) - first) * step + (step / 2 if unit == 1 else 0), 2),
              "label": str(year)} for year in years if (year - years[0]) % every == 0]
    table = [{"period": p, "counts": [cells[p].get(k, 0) for k in keys]} for p in periods]
    return {"bars": bars, "keys": keys, "periods": periods, "peak": peak, "ticks": ticks, "table": table,
            "width": WIDTH, "height": HEIGHT, "base": HEIGHT - BOTTOM, "left": LEFT}


def bucket_for(rows: list[dict[str, Any]]) -> str:
    """Months while the span fits (five years or less, first month to last), else years."""
    months = [month_index(r["period"]) for r in rows if r.get("period")]
    return "month" if not months or max(months) - min(months) < 60 else "year"
