"""Watching sources on a schedule: `parley watch` and `parley sources` (issue 17).

    clock.py     the system clock, or a fake one for tests and benchmarks
    schedule.py  intervals ("15m") and the back-off after failures
    targets.py   what may be watched: URLs, folders, files, lists of them
    state.py     the watch state in the store (migration 9): sources, items seen
    poll.py      one poll (conditional fetch, folder listing), per-host limits
    watcher.py   the loop: poll what is due, store what is new, run the hooks
    hooks.py     after-round hooks (alerts): `@after_round`, entry points
"""

from __future__ import annotations

from .clock import Clock, FakeClock, SystemClock
from .hooks import after_round
from .schedule import parse_duration
from .watcher import RoundReport, Watcher, WatchOptions, start_background

__all__ = ["Clock", "FakeClock", "RoundReport", "SystemClock", "WatchOptions", "Watcher", "after_round",
           "parse_duration", "start_background"]
