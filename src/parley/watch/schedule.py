"""How often a source is polled, and how long it rests after failures.

Durations are written as a user writes them: `30s`, `15m`, `1h`, `1d`, or combined (`1h30m`); a
plain number is seconds. After `n` failures in a row a source waits `every * 2**(n-1)`, capped at
`max_backoff` (but never less than `every`): a dead feed is asked less and less often, and one
success puts it back on its schedule.

A new feed or page is first polled at its own place in its interval (`phase`, from a hash of its
URL), so that 200 sources added at once do not all hit at once, and never will: each keeps its
place from then on. The place depends on the URL alone, so a watch list built again (a new
store, a source forgotten and named again) gets the same spread.
"""

from __future__ import annotations

import hashlib
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
HINT = "give a number and a unit, e.g. 30s, 15m, 1h, 1d or 1h30m"


def parse_duration(text: str, allow_zero: bool = False) -> float:
    """Seconds in `text` ("15m" -> 900.0); ValueError naming the value and the forms allowed."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif value and re.fullmatch(rf"(?:{_PART.pattern}\s*)+", value):
        seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(value))
    else:
        raise ValueError(f"{text!r} is not a duration: {HINT}")
    if seconds <= 0 and not (allow_zero and seconds == 0):
        raise ValueError(f"{text!r} is not a duration longer than zero: {HINT}")
    return seconds


def format_duration(seconds: float) -> str:
    """900 -> "15m", 5400 -> "1h30m", 45 -> "45s": how `parley sources` and the log show an interval."""
    rest = round(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts) or f"{seconds:g}s"


def backoff(every: float, failures: int, max_backoff: float) -> float:
    """Seconds to wait after `failures` failures in a row (0: the regular interval)."""
    if failures <= 0:
        return every
    return min(every * 2 ** min(failures - 1, 30), max(max_backoff, every))


def phase(location: str) -> float:
    """A source's fixed place in its interval, in [0, 1): the same for the same URL, run after run."""
    return int.from_bytes(hashlib.sha1(location.encode("utf-8")).digest()[:8], "big") / 2**64


def first_poll(location: str, kind: str, every: float, spread: float | None, now: float) -> float:
    """When a new source is first polled: a URL at its `phase` of `spread` seconds (None: of its
    interval; never more than the interval); a folder or file, local, at once."""
    if kind != "url":
        return now
    window = every if spread is None else min(spread, every)
    return now + phase(location) * window
