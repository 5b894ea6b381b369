"""Migration 22: indexes that hold every column the pages dated to the day (or by months) read of the
summaries by month, so a page reads index pages in order instead of looking each row up in its table:

- `ix_pipeline_months_rank`: the pipeline's opportunities within dates, summed and ranked
  (`pipeline._month_page`); through the date index each of a period's 6,000 rows was a look-up in the
  table: 120-160 ms of the page when the store's pages were not in memory, 25 ms when they were.
- `ix_pipeline_month_folds_key`: a page's opportunities' folds by month, sought by the opportunity
  (`pipeline._rows_by_key`; the folds' covering index of migration 19 starts with the dates).
- `ix_network_months_cover`: the network of one country within dates, summed whole
  (`aggregates._month_network`).
- `ix_event_keys_end`: the events of one party country ending in a month a day cuts, found by that
  month (`aggregates.cut_months`) instead of testing every event of the month.

The months' sums hold the opportunities' party names, too long for a PostgreSQL index entry: those
are still read from the table. Plain DDL: SQLite and PostgreSQL both take it."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from .summary import event_keys as EK
from .summary import network_months as NM
from .summary import pipeline_month_folds as MF
from .summary import pipeline_months as M

INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ix_pipeline_months_rank": (M.name, ("scope", "country", "month_end", "month_start", "side_a", "side_b",
                                         "sector", "reports", "first", "last")),
    "ix_pipeline_month_folds_key": (MF.name, ("scope", "country", "side_a", "side_b", "sector", "month_end",
                                              "month_start", "fold", "reports", "article_id", "event_id",
                                              "published", "stage")),
    "ix_network_months_cover": (NM.name, ("country", "month_end", "month_start", "source_type", "source",
                                          "target_type", "target", "type", "events")),
    "ix_event_keys_end": (EK.name, ("fkey", "fval", "when_end", "article_id", "event_id")),
}

#: The index `_rows_by_key` seeks a page's folds by month on (it names it to SQLite: `INDEXED BY`).
FOLDS_BY_KEY = "ix_pipeline_month_folds_key"


def create(conn: Connection) -> None:
    """The covering indexes, and the planner's statistics for their tables."""
    for name, (table, columns) in INDEXES.items():
        quoted = ", ".join(f'"{c}"' for c in columns)  # "first", "last": words of SQL
        conn.exec_driver_sql(f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" ({quoted})')
    for table in sorted({table for table, _ in INDEXES.values()}):
        conn.exec_driver_sql(f'ANALYZE "{table}"')
