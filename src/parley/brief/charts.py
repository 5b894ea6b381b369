"""The briefing's charts as SVG geometry (numbers and names only; the template writes and escapes
them): events over a real time axis, stacked by a key, and a map of where events happened.

The time axis runs over every bucket of the period, empty ones included, so equal widths are equal
spans of time: days for a period of two months or less, months up to three years, else years. An
event whose date is coarser than a bucket (a year, for a chart of days) cannot be placed on it and
is counted apart; the template says how many.

The map is an equirectangular projection (x from longitude, y from latitude) cropped to the places
shown, over the Natural Earth land outlines the web map already vendors (world-atlas'
countries-110m.json, TopoJSON), decoded here: no tiles, no requests.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from .period import Period

#: Okabe and Ito's colour-blind-safe palette (dark enough on white for WCAG's 3:1 for graphics); grey: other.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9")
OTHER = "#767676"
TOP_KEYS = 5
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 680, 190, 40, 8, 10, 24
ATLAS = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "world-atlas" / "countries-110m.json"
MAP_W = 680


def bucket_of(period: Period) -> str:
    if period.days <= 62:
        return "day"
    return "month" if period.days <= 1100 else "year"


def _buckets(period: Period, bucket: str) -> list[str]:
    if bucket == "day":
        return [(period.start + timedelta(days=i)).isoformat() for i in range(period.days)]
    if bucket == "year":
        return [str(y) for y in range(period.start.year, period.end.year + 1)]
    out, y, m = [], period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


_WIDTH_OF = {"day": 10, "month": 7, "year": 4}


def timeline(events: list[dict[str, Any]], period: Period, by: str) -> dict[str, Any]:
    """Stacked bars of the events per bucket by `by` (type, sector or country), top keys and "other".

    Returns the bars, axis ticks, legend and the counts the caption states: `placed` on the axis,
    `coarse` dated too coarsely for a bucket, `keyless` naming no sector (or country)."""
    bucket = bucket_of(period)
    labels = _buckets(period, bucket)
    n = _WIDTH_OF[bucket]
    cells: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    coarse = keyless = placed = 0
    for e in events:
        when = e.get("when_start") or ""
        if len(when) < n or not when[:4].isdigit():
            coarse += 1
            continue
        label = max(min(when[:n], labels[-1]), labels[0])  # an event begun before the period sits in its first bucket
        keys = [e["type"]] if by == "type" else list(e["sectors"] if by == "sector" else e["countries"])
        if not keys:
            keyless += 1
            continue
        placed += 1
        for k in keys:
            cells[label][k] += 1
            totals[k] += 1
    keys = [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_KEYS]]
    if len(totals) > len(keys):
        keys.append("other")
    stacks = {label: Counter() for label in labels}
    for label, counter in cells.items():
        for k, v in counter.items():
            stacks[label][k if k in keys else "other"] += v
    peak = max((sum(c.values()) for c in stacks.values()), default=0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(labels)
    w = max(min(step * 0.8, 40), 0.6)
    bars = []
    for i, label in enumerate(labels):
        y = HEIGHT - BOTTOM
        for k_index, key in enumerate(keys):
            v = stacks[label].get(key, 0)
            if not v or not peak:
                continue
            h = plot_h * v / peak
            y -= h
            bars.append({"x": round(LEFT + i * step + (step - w) / 2, 2), "y": round(y, 2), "w": round(w, 2),
                         "h": round(h, 2), "fill": _colour(key, k_index), "title": f"{_tick(label, bucket)} · {key}: {v}"})
    every = max(1, math.ceil(len(labels) / 8))
    ticks = [{"x": round(LEFT + i * step + step / 2, 2), "label": _tick(label, bucket)}
             for i, label in enumerate(labels) if i % every == 0]
    legend = [{"key": k, "fill": _colour(k, i), "events": totals[k] if k != "other" else
               sum(v for kk, v in totals.items() if kk not in keys)} for i, k in enumerate(keys)]
    return {"by": by, "bucket": bucket, "bars": bars, "ticks": ticks, "legend": legend, "peak": peak,
            "placed": placed, "coarse": coarse, "keyless": keyless, "width": WIDTH, "height": HEIGHT,
            "left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "base": HEIGHT - BOTTOM}


def _colour(key: str, index: int) -> str:
    return OTHER if key == "other" else PALETTE[index % len(PALETTE)]


def _tick(label: str, bucket: str) -> str:
    if bucket == "day":
        d = date.fromisoformat(label)
        return f"{d.day} {d.strftime('%b')}"
    return label


def bars(rows: list[tuple[str, int]], width: int = WIDTH) -> dict[str, Any]:
    """Horizontal bars for a few (label, count) rows (opportunities by sector), as wide as the other
    charts so that their text is drawn at one size."""
    peak = max((n for _, n in rows), default=0)
    left, row_h = 170, 20
    out = [{"label": label, "n": n, "y": i * row_h, "w": round((width - left - 40) * n / peak, 2) if peak else 0}
           for i, (label, n) in enumerate(rows)]
    return {"rows": out, "left": left, "width": width, "height": max(len(rows) * row_h, row_h), "row_h": row_h}


# --- the map -------------------------------------------------------------------------------------

def world_map(places: list[dict[str, Any]], width: int = MAP_W, labels: int = 10) -> dict[str, Any] | None:
    """The places (with lat, lon, events) on land outlines, cropped to them with a margin; None without places."""
    if not places:
        return None
    lons = [p["lon"] for p in places]
    lats = [p["lat"] for p in places]
    west, east = _widen(min(lons) - 12, max(lons) + 12, 60, -180, 180)
    south, north = _widen(min(lats) - 8, max(lats) + 8, 30, -85, 85)
    scale = width / (east - west)
    height = round((north - south) * scale)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * scale, 1), round((north - lat) * scale, 1)

    peak = max(p["events"] for p in places)
    dots, taken = [], []
    for p in sorted(places, key=lambda p: (-p["events"], p["name"])):
        x, y = xy(p["lon"], p["lat"])
        r = round(3 + 9 * math.sqrt(p["events"] / peak), 1)
        right = x > width * 0.75
        lx = round(x - r - 2, 1) if right else round(x + r + 2, 1)
        box = _label_box(lx, y, p["name"], right)
        label = len(taken) < labels and not any(_overlap(box, other) for other in taken)
        if label:
            taken.append(box)
        dots.append({"x": x, "y": y, "r": r, "name": p["name"], "events": p["events"], "url": p["url"],
                     "label": label, "anchor": "end" if right else "start", "lx": lx})
    return {"width": width, "height": height, "land": _land_path(west, north, scale), "dots": dots,
            "grid": _graticule(west, east, south, north, xy)}


def _label_box(x: float, y: float, text: str, right: bool) -> tuple[float, float, float, float]:
    """About where a 10px label sits (left, top, right, bottom), to leave out one that would cover another."""
    w = 6.2 * len(text) + 3
    return (x - w if right else x, y - 10, x if right else x + w, y + 5)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _widen(lo: float, hi: float, least: float, floor: float, ceiling: float) -> tuple[float, float]:
    """[lo, hi] made at least `least` wide around its middle, within [floor, ceiling]."""
    if hi - lo < least:
        mid = (lo + hi) / 2
        lo, hi = mid - least / 2, mid + least / 2
    if lo < floor:
        lo, hi = floor, min(ceiling, hi + floor - lo)
    if hi > ceiling:
        lo, hi = max(floor, lo - (hi - ceiling)), ceiling
    return lo, hi


def _graticule(west: float, east: float, south: float, north: float, xy: Any) -> list[dict[str, Any]]:
    step = 30 if east - west > 120 else 10
    lines = []
    for lon in range(int(math.ceil(west / step) * step), int(east) + 1, step):
        (x1, y1), (x2, y2) = xy(lon, north), xy(lon, south)
        lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2})
    for lat in range(int(math.ceil(south / step) * step), int(north) + 1, step):
        (x1, y1), (x2, y2) = xy(west, lat), xy(east, lat)
        lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2})
    return lines


def _land_path(west: float, north: float, scale: float) -> str:
    """SVG path data of the land outlines, projected and cropped by the SVG's own viewport."""
    parts = []
    for ring in _land_rings():
        pts = [f"{(lon - west) * scale:.1f},{(north - lat) * scale:.1f}" for lon, lat in ring]
        parts.append("M" + "L".join(pts) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def _land_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The rings of the atlas' `land` object as (lon, lat) points, decoded from TopoJSON: quantised,
    delta-encoded arcs, a ring being a list of arc indices (~i: arc i reversed)."""
    topo = json.loads(ATLAS.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    rings = []
    for geometry in topo["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for i in ring:
                    arc = arcs[i] if i >= 0 else arcs[~i][::-1]
                    points.extend(arc if not points else arc[1:])
                rings.extend(_across_antimeridian(points))
    return tuple(rings)


def _across_antimeridian(points: list[tuple[float, float]]) -> list[tuple[tuple[float, float], ...]]:
    """A ring that crosses 180° (Fiji, Chukotka) made continuous, drawn on both sides: joined as it
    is, its jump from +180 to -180 would print as a line across the whole map. A ring around a pole
    (Antarctica) is kept as it is: its jump is its edge along the map's bottom."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in pairwise(points)):
        return [tuple(points)]
    shift, flat = 0.0, [points[0]]
    for (a, _), (lon, lat) in pairwise(points):
        if lon - a > 180:
            shift -= 360
        elif a - lon > 180:
            shift += 360
        flat.append((lon + shift, lat))
    if shift:  # not closed once made continuous: it goes round a pole
        return [tuple(points)]
    copy = 360.0 if min(lon for lon, _ in flat) < -180 else -360.0
    return [tuple(flat), tuple((lon + copy, lat) for lon, lat in flat)]
