"""`deliver_alerts`: tell each saved search's webhook and e-mail what it gained since the last run.

For every saved search with a channel, the items it matches that the channel has not delivered
(nor the search's baseline holds) go out as one message: one item per story, each with its
evidence sentence and a link under `base_url`. A failed try is tried again after 1, 2, 4 ...
times `backoff` seconds; a receiver that refuses the message itself (a 4xx, a refused login) is
not. Once a message is accepted, its items' keys are marked delivered on that channel in the
same transaction as the delivery's record, so no later run sends them again. A message the
receiver accepted but whose record a crash lost would be sent once more, with the same delivery
id (`webhook.py`): at least once, never twice by design.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from . import items as I
from . import kinds, mail, webhook
from . import saved as S
from .errors import DeliveryError
from .tables import BASELINE, EMAIL, WEBHOOK, alert_deliveries

log = logging.getLogger("parley.alerts")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
#: Items in one message at most, in the listing's order; the rest go in the next run's.
MAX_ITEMS = 200
#: A run's claim on a search's channel lasts this long (longer than any run's tries and waits).
CLAIM_SECONDS = 900
SENDING = "sending"


@dataclass
class Delivery:
    """What one channel of one saved search did in a run."""

    search: str
    channel: str
    status: str  # delivered | failed | skipped
    items: int = 0
    attempts: int = 0
    error: str | None = None
    delivery: str | None = None
    more: int = 0  # new items left for the next run (over MAX_ITEMS)


@dataclass
class AlertSummary:
    """A run of `deliver_alerts`: one `Delivery` per channel that had something to send."""

    searches: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(d.items for d in self.deliveries if d.status == "delivered")

    @property
    def failed(self) -> int:
        return sum(1 for d in self.deliveries if d.status == "failed")

    def as_dict(self) -> dict[str, Any]:
        return {"searches": self.searches, "items_delivered": self.delivered, "failed": self.failed,
                "deliveries": [asdict(d) for d in self.deliveries]}


def base_url_from(value: str | None = None) -> str:
    """Where the links point: `value`, else $PARLEY_BASE_URL, else the local `parley serve`."""
    return (value or os.environ.get("PARLEY_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def deliver_alerts(store: Any, *, base_url: str | None = None, smtp: mail.SmtpSettings | None = None,
                   names: Iterable[str] | None = None, attempts: int = 4, backoff: float = 1.0,
                   timeout: float = 10.0, sleep: Callable[[float], None] = time.sleep) -> AlertSummary:
    """Send every saved search's new items to its webhook and e-mail; returns what was done.

    `smtp`: the mail server (default: `SmtpSettings.from_env()`; searches with addresses are
    skipped, and said so, without one). `names`: only these saved searches. `attempts` tries per
    message, `backoff` seconds before the second (doubling after), `sleep` to wait (tests pass a
    fake). Safe to call after every watch round: a search with nothing new sends nothing. A message
    that cannot be sent is reported in the summary (`failed`), never raised; a store that fails
    raises StoreError, and a name in `names` that is no saved search SavedSearchError (both
    ParleyError). Its cost grows with what the searches match (about a second per search on a
    store of 10,000 events): call it after rounds that stored something."""
    store.require_writable()
    base = base_url_from(base_url)
    smtp = smtp if smtp is not None else mail.SmtpSettings.from_env()
    wanted = None if names is None else set(names)
    searches = [s for s in S.all_searches(store) if wanted is None or s.name in wanted]
    if wanted is not None:
        for name in sorted(wanted - {s.name for s in searches}):
            S.get(store, name)  # raises with close names
    summary = AlertSummary()
    for search in searches:
        channels = ([WEBHOOK] if search.webhook_url else []) + ([EMAIL] if search.emails else [])
        if not channels:
            continue
        summary.searches += 1
        rows = kinds.run(store, search.kind, search.params)
        collected = store.read(I.collect, kind=search.kind, rows=rows)
        for channel in channels:
            summary.deliveries += [d for d in [_channel(store, search, channel, collected, base, smtp, attempts,
                                                        backoff, timeout, sleep)] if d is not None]
    return summary


def _channel(store: Any, search: S.SavedSearch, channel: str, collected: list[I.Item], base: str,
             smtp: mail.SmtpSettings | None, attempts: int, backoff: float, timeout: float,
             sleep: Callable[[float], None]) -> Delivery | None:
    if channel == EMAIL and smtp is None:
        fresh = _fresh(store, search, channel, collected)
        return Delivery(search.name, channel, "skipped", len(fresh[:MAX_ITEMS]), error="no SMTP server: set "
                        "PARLEY_SMTP_HOST or give --smtp-host", more=max(len(fresh) - MAX_ITEMS, 0)) if fresh else None
    claim = store.write(lambda conn: _claim(conn, search.id, channel))
    if claim is None:
        return Delivery(search.name, channel, "skipped", error="another run is sending this search's alerts")
    fresh = _fresh(store, search, channel, collected)  # read after the claim: what another run sent is marked
    if not fresh:
        store.write(lambda conn: conn.execute(delete(alert_deliveries).where(alert_deliveries.c.id == claim)))
        return None
    sending, more = fresh[:MAX_ITEMS], len(fresh) - MAX_ITEMS
    payload = message(store, search, channel, sending, base)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    tried, error = 0, None
    while tried < attempts:
        tried += 1
        try:
            if channel == WEBHOOK:
                webhook.post(search.webhook_url or "", body, payload["delivery"], search.webhook_secret, timeout)
            else:
                assert smtp is not None
                mail.send(smtp, mail.compose(payload, smtp.sender, search.emails))
            error = None
            break
        except DeliveryError as exc:
            error = str(exc)
            log.warning("alert %s for %s, try %d of %d: %s", channel, search.name, tried, attempts, error)
            if not exc.retry or tried >= attempts:
                break
            sleep(backoff * 2 ** (tried - 1))
    status = "failed" if error else "delivered"
    keys = set() if error else {k for item in sending for k in item.keys}
    store.write(lambda conn: _record(conn, claim, search.id, channel, keys, len(sending), tried, status,
                                            error))
    return Delivery(search.name, channel, status, len(sending), tried, error, payload["delivery"], max(more, 0))


def _fresh(store: Any, search: S.SavedSearch, channel: str, collected: list[I.Item]) -> list[I.Item]:
    done = store.read(lambda conn: S.marked(conn, search.id, (channel, BASELINE)))
    return [item for item in collected if not item.keys & done]


def _claim(conn: Connection, saved_id: int, channel: str) -> int | None:
    """Claim the search's channel for this run (a "sending" record), unless another run holds a claim
    younger than CLAIM_SECONDS: two runs at once (the watcher and cron) never send the same items.
    An older claim is a run that stopped mid-way; it is marked "interrupted" and taken over."""
    d = alert_deliveries
    mine = (d.c.saved_id == saved_id, d.c.channel == channel, d.c.status == SENDING)
    cutoff = (datetime.now(UTC) - timedelta(seconds=CLAIM_SECONDS)).isoformat(timespec="microseconds")
    if conn.execute(select(d.c.id).where(*mine, d.c.at >= cutoff)).first() is not None:
        return None
    conn.execute(update(d).where(*mine).values(status="interrupted"))
    return conn.execute(insert(d).values(saved_id=saved_id, channel=channel, at=S.now(), item_count=0, attempts=0,
                                         status=SENDING)).inserted_primary_key[0]


def _record(conn: Connection, claim: int, saved_id: int, channel: str, keys: set[str], n: int, tried: int,
            status: str, error: str | None) -> None:
    """The delivery's record (the claim, completed) and, if it went out, its items marked delivered:
    one transaction."""
    at = S.now()
    S.mark(conn, saved_id, channel, keys, at)
    conn.execute(update(alert_deliveries).where(alert_deliveries.c.id == claim).values(
        at=at, item_count=n, attempts=tried, status=status, error=error))


def message(store: Any, search: S.SavedSearch, channel: str, sending: list[I.Item], base: str) -> dict[str, Any]:
    """The payload of one alert: the search, a delivery id, and its items (title, evidence, link...)."""
    described = store.read(lambda conn: I.describe(conn, sending, search.params.get("query")))
    for item in described:
        item["link"] = base + item.pop("path")
    keys = "\n".join(sorted(k for item in sending for k in item.keys))
    delivery = hashlib.sha256(f"{search.id}|{channel}|{keys}".encode()).hexdigest()[:32]
    return {"parley": "alert/1", "saved_search": search.name, "kind": search.kind, "params": search.params,
            "delivery": delivery, "sent_at": S.now(), "items": described}


def last_deliveries(store: Any) -> dict[tuple[int, str], dict[str, Any]]:
    """Each (saved search, channel)'s latest delivery record."""
    d = alert_deliveries
    rows = store.read(lambda conn: conn.execute(select(d).order_by(d.c.id)).all())
    return {(r.saved_id, r.channel): dict(r._mapping) for r in rows}
