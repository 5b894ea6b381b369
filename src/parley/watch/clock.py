"""Time as the watcher reads it: the system clock, or a fake one that tests and the benchmark advance.

The loop never calls `time` itself: it asks its clock what time it is and to wait until a moment.
A `FakeClock` answers at once by moving its time forward, so an hour of polling runs in seconds
while every schedule, back-off and per-host pause is computed exactly as with the real clock.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """What the watcher needs of time: now (seconds since the epoch), and a wait that a stop ends."""

    def now(self) -> float: ...

    def sleep_until(self, when: float, stop: threading.Event | None = None) -> None: ...


class SystemClock:
    """The real clock; a wait returns early when `stop` is set (SIGTERM, Ctrl-C)."""

    def now(self) -> float:
        return time.time()

    def sleep_until(self, when: float, stop: threading.Event | None = None) -> None:
        delay = when - time.time()
        if delay <= 0:
            return
        if stop is None:
            time.sleep(delay)
        else:
            stop.wait(delay)


class FakeClock:
    """Simulated time: a wait moves the time forward to its end at once (never backwards).

    Safe across threads: the fetch workers' per-host pauses move the same time forward."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep_until(self, when: float, stop: threading.Event | None = None) -> None:
        with self._lock:
            self._now = max(self._now, when)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


def iso(t: float) -> str:
    """A moment as the store keeps it: ISO 8601 UTC, fixed width, so that text order is time order."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> float:
    """`iso` read back (also to the second, as listings show it)."""
    return datetime.fromisoformat(text).timestamp()  # Python 3.11 reads the Z


def short(t: float) -> str:
    """A moment for a log line: to the second, UTC."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
