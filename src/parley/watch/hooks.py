"""What runs after a round that stored articles: alerts, a briefing, anything a deployment adds.

A hook is `hook(store, new_article_ids)`, called in the watcher's process after the round's
articles are stored and their stories resolved. Hooks come from three places, in this order:
functions registered with `@after_round`, the `parley.after_round` entry point group (a package
that declares `[project.entry-points."parley.after_round"] alerts = "pkg.mod:fn"`), and those a
caller hands to `Watcher(after_round=...)`. A hook that raises is logged and the next one runs:
a broken alert must not stop the watch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import Any

AfterRound = Callable[[Any, list[str]], None]
ENTRY_POINTS = "parley.after_round"
_registered: list[AfterRound] = []
log = logging.getLogger("parley.watch")


def after_round(hook: AfterRound) -> AfterRound:
    """Register `hook(store, new_article_ids)` to run after every round that stored articles."""
    if hook not in _registered:
        _registered.append(hook)
    return hook


def send_alerts(store: Any, new_ids: list[str]) -> None:
    """The built-in hook: saved searches that gained items send their alerts (`parley.alerts`).
    A message that cannot be sent is in the summary, logged here, and tried again next round."""
    from ..alerts import deliver_alerts

    summary = deliver_alerts(store)
    for delivery in summary.deliveries:
        if delivery.status == "failed":
            log.error("alert for %s by %s not sent: %s", delivery.search, delivery.channel, delivery.error)
    if summary.delivered:
        log.info("alerts: %d items sent", summary.delivered)


def collect(extra: Iterable[AfterRound] = ()) -> list[AfterRound]:
    """The hooks to run: the alerts, registered ones, entry points, then `extra`."""
    hooks = [send_alerts, *_registered]
    for point in entry_points(group=ENTRY_POINTS):
        try:
            hooks.append(point.load())
        except Exception as exc:  # noqa: BLE001 - a plugin that does not load is named, not fatal
            log.error("after-round hook %s could not be loaded: %s: %s", point.name, type(exc).__name__, exc)
    return hooks + [h for h in extra if h not in hooks]


def run_hooks(hooks: Iterable[AfterRound], store: Any, new_ids: list[str]) -> int:
    """Call each hook; returns how many failed (each failure logged with its reason)."""
    failed = 0
    for hook in hooks:
        try:
            hook(store, list(new_ids))
        except Exception as exc:  # noqa: BLE001 - see the module docstring
            failed += 1
            log.error("after-round hook %s failed: %s: %s", getattr(hook, "__name__", hook), type(exc).__name__, exc)
    return failed
