"""Saved searches in the store: make, list, run, mark as seen, remove.

"New since you last looked" is what the search matches now and neither matched when it was made
(channel "baseline") nor was shown by `show` (channel "seen"), counted in items (one per story).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection
from ..errors import StoreConflict

from . import items as I
from . import kinds
from .errors import SavedSearchError
from .tables import BASELINE, SEEN, saved_marks, saved_searches

#: A name: 1 to 100 characters, something visible among them, no slash or control character.
NAME = r"^[^\x00-\x1f\x7f/]*[^\x00-\x20\x7f/][^\x00-\x1f\x7f/]*$"
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


@dataclass
class SavedSearch:
    """A saved search as stored."""

    id: int
    name: str
    kind: str
    params: dict[str, Any]
    created_at: str
    looked_at: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    emails: list[str] = field(default_factory=list)

    def as_dict(self, secret: bool = False) -> dict[str, Any]:
        """The search as the CLI and the API show it; the webhook secret only as whether there is one."""
        out = {"name": self.name, "kind": self.kind, "params": self.params, "created_at": self.created_at,
               "looked_at": self.looked_at, "webhook": self.webhook_url, "emails": self.emails,
               "signed": bool(self.webhook_secret)}
        return out | ({"secret": self.webhook_secret} if secret else {})


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")  # a cache key (web/saved.py)


def _from_row(row: Any) -> SavedSearch:
    params = row.params if isinstance(row.params, dict) else json.loads(row.params)
    return SavedSearch(id=row.id, name=row.name, kind=row.kind, params=params, created_at=row.created_at,
                       looked_at=row.looked_at, webhook_url=row.webhook_url, webhook_secret=row.webhook_secret,
                       emails=[e for e in (row.emails or "").splitlines() if e])


def check_webhook(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    import httpx

    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise SavedSearchError(f"webhook: {url!r} is not an http(s) URL, e.g. https://hooks.example.org/parley")
    return str(parsed)


def check_emails(emails: Iterable[str]) -> list[str]:
    out = []
    for address in emails:
        for one in (a.strip() for a in re.split(r"[,;\s]+", address or "")):
            if not one:
                continue
            if not EMAIL.fullmatch(one):
                raise SavedSearchError(f"email: {one!r} is not an e-mail address, e.g. desk@example.org")
            out.append(one)
    return list(dict.fromkeys(out))


def add(store: Any, name: str, kind: str, params: dict[str, Any], webhook: str | None = None,
        secret: str | None = None, emails: Iterable[str] = (), baseline: bool = True) -> SavedSearch:
    """Save a search under `name`. Its filters are checked now (`kinds.check`); what it matches now
    is its baseline (not news to alert on or count as new), unless `baseline` is False."""
    if not isinstance(name, str) or len(name) > 100 or not re.fullmatch(NAME, name):
        raise SavedSearchError(f"name: {name!r} is not a name for a saved search: 1 to 100 characters, "
                               "no slash or control characters, e.g. energy-gbr")
    spec = kinds.kind_of(kind)
    params = kinds.check(spec.name, params)
    url = check_webhook(webhook)
    addresses = check_emails(emails)
    store.require_writable()
    rows = kinds.run(store, spec.name, params) if baseline else []

    def write(conn: Connection) -> SavedSearch:
        if conn.execute(select(saved_searches.c.id).where(saved_searches.c.name == name)).first():
            raise SavedSearchError(f"a saved search named {name!r} exists: `parley saved remove {name}` first, "
                                   "or choose another name")
        made = now()
        sid = conn.execute(insert(saved_searches).values(
            name=name, kind=spec.name, params=params, created_at=made, looked_at=made, webhook_url=url,
            webhook_secret=secret or None, emails="\n".join(addresses) or None)).inserted_primary_key[0]
        keys = {k for item in I.collect(conn, spec.name, rows) for k in item.keys}
        mark(conn, sid, BASELINE, keys, made)
        return _from_row(conn.execute(select(saved_searches).where(saved_searches.c.id == sid)).one())

    try:
        return store.write(write)
    except StoreConflict:
        raise SavedSearchError(f"a saved search named {name!r} exists: `parley saved remove {name}` first") from None


def mark(conn: Connection, saved_id: int, channel: str, keys: Iterable[str], at: str | None = None) -> int:
    """Mark `keys` for the search on `channel` (those already marked are left as they are)."""
    m = saved_marks
    wanted = set(keys)
    if not wanted:
        return 0
    have = set(conn.execute(select(m.c.key).where(m.c.saved_id == saved_id, m.c.channel == channel)).scalars())
    fresh = sorted(wanted - have)
    at = at or now()
    for i in range(0, len(fresh), 1000):
        conn.execute(insert(m), [{"saved_id": saved_id, "channel": channel, "key": k, "marked_at": at}
                                 for k in fresh[i:i + 1000]])
    return len(fresh)


def marked(conn: Connection, saved_id: int, channels: Iterable[str]) -> set[str]:
    m = saved_marks
    return set(conn.execute(select(m.c.key).where(m.c.saved_id == saved_id, m.c.channel.in_(list(channels))))
               .scalars())


def get(store: Any, name: str) -> SavedSearch:
    """The saved search called `name`, or an error naming close names."""
    row = store.read(lambda conn: conn.execute(select(saved_searches).where(saved_searches.c.name == name)).first())
    if row is not None:
        return _from_row(row)
    names = [s.name for s in all_searches(store)]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise SavedSearchError(f"no saved search named {name!r}: {hint}`parley saved list` lists them"
                           + ("" if names else " (there are none yet: `parley saved add NAME --kind events ...`)"))


def all_searches(store: Any) -> list[SavedSearch]:
    q = select(saved_searches).order_by(saved_searches.c.name)
    return [_from_row(r) for r in store.read(lambda conn: conn.execute(q).all())]


def new_items(store: Any, saved: SavedSearch, channel: str) -> list[I.Item]:
    """The items the search matches now that are not marked on `channel` nor in its baseline, newest first."""
    rows = kinds.run(store, saved.kind, saved.params)

    def read(conn: Connection) -> list[I.Item]:
        done = marked(conn, saved.id, (channel, BASELINE))
        return [item for item in I.collect(conn, saved.kind, rows) if not item.keys & done]

    return store.read(read)


def listing(store: Any) -> list[dict[str, Any]]:
    """Every saved search with how many items are new since it was last looked at."""
    return [s.as_dict() | {"new": len(new_items(store, s, SEEN))} for s in all_searches(store)]


def show(store: Any, name: str, seen: bool = True) -> tuple[SavedSearch, list[dict[str, Any]], int]:
    """Run the search: (the search, its rows as its listing gives them, how many items were new);
    with `seen`, what it matches now is marked as looked at (a store that cannot be written is only read)."""
    saved = get(store, name)
    rows = kinds.run(store, saved.kind, saved.params)
    writable = seen and store.read_only is None

    def look(conn: Connection) -> int:
        collected = I.collect(conn, saved.kind, rows)
        done = marked(conn, saved.id, (SEEN, BASELINE))
        fresh = [item for item in collected if not item.keys & done]
        if writable:
            at = now()
            mark(conn, saved.id, SEEN, {k for item in fresh for k in item.keys}, at)
            conn.execute(saved_searches.update().where(saved_searches.c.id == saved.id).values(looked_at=at))
        return len(fresh)

    fresh = store.write(look) if writable else store.read(look)
    for row in rows:
        row.pop("_events", None)
    return saved, rows, fresh


def remove(store: Any, name: str) -> SavedSearch:
    """Forget the saved search, its marks and its deliveries."""
    from .tables import alert_deliveries

    saved = get(store, name)
    store.require_writable()

    def drop(conn: Connection) -> None:
        conn.execute(delete(saved_marks).where(saved_marks.c.saved_id == saved.id))
        conn.execute(delete(alert_deliveries).where(alert_deliveries.c.saved_id == saved.id))
        conn.execute(delete(saved_searches).where(saved_searches.c.id == saved.id))

    store.write(drop)
    return saved


def count(store: Any) -> int:
    return store.read(lambda conn: conn.execute(select(func.count()).select_from(saved_searches)).scalar_one())
