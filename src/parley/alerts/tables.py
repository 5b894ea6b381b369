"""The tables of saved searches and alerts (created by migration 10, `create`).

- `saved_searches`: one row per saved search: its unique name, the kind of list it runs, the filter
  parameters as that list's store query takes them (JSON, checked by `kinds.check`), when it was
  made and last looked at, and where its alerts go (a webhook URL and its shared secret, e-mail
  addresses one a line).
- `saved_marks`: the items of a saved search already accounted for, one row per (search, channel,
  key). Channel "baseline" holds what the search matched when it was made (not news), "seen"
  what `parley saved show` showed, "webhook" and "email" what each channel delivered. An item's
  keys name its story and every report of it, so a new report of a story already alerted, or a
  story that changed its id as it grew, finds a key already there (`items.py`).
- `alert_deliveries`: one row per message sent or given up: when, how many items, how many tries,
  and the error of the last failed try; written in the same transaction as the marks.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

metadata = MetaData()

saved_searches = Table(
    "saved_searches", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String, nullable=False, unique=True),
    Column("kind", String, nullable=False),
    Column("params", JSON, nullable=False),
    Column("created_at", String, nullable=False),
    Column("looked_at", String),
    Column("webhook_url", Text),
    Column("webhook_secret", Text),
    Column("emails", Text),  # addresses, one a line
)

saved_marks = Table(
    "saved_marks", metadata,
    Column("saved_id", Integer, ForeignKey("saved_searches.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String, nullable=False),
    Column("key", String, nullable=False),
    Column("marked_at", String, nullable=False),
    PrimaryKeyConstraint("saved_id", "channel", "key"),
)

alert_deliveries = Table(
    "alert_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("saved_id", Integer, ForeignKey("saved_searches.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String, nullable=False),
    Column("at", String, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status", String, nullable=False),  # sending (a run's claim) | delivered | failed | interrupted
    Column("error", Text),
    Index("ix_alert_deliveries_saved", "saved_id", "channel"),
)

#: The channels whose marks say "already delivered" or "already seen", beside the baseline.
BASELINE, SEEN, WEBHOOK, EMAIL = "baseline", "seen", "webhook", "email"


def create(conn: Connection) -> None:
    """Migration 10: the three tables (SQLite and PostgreSQL alike)."""
    metadata.create_all(conn)
