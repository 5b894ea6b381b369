"""Migration 19: an index that holds every column a pipeline page dated by months or days reads of
its opportunities' folds by month (`summary.pipeline_month_folds`), in date order, so the page reads
the index alone. Through the date index (`ix_pipeline_month_folds_end`) each of a year's 12,500
rows was one more look-up in the table: 0.3 s of the page on a 100,000-article store. Plain DDL:
SQLite and PostgreSQL both take it. (The months' own sums hold the opportunities' party names, too
long for a PostgreSQL index entry, and are half as many rows.)"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from .summary import pipeline_month_folds as MF

COLUMNS = ("scope", "country", "month_end", "month_start", "side_a", "side_b", "sector", "fold", "reports",
           "article_id", "event_id", "published", "stage")


def create(conn: Connection) -> None:
    """The covering index of the folds by month, and the planner's statistics for it."""
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_pipeline_month_folds_cover ON {MF.name} "
                         f"({', '.join(COLUMNS)})")
    conn.exec_driver_sql(f"ANALYZE {MF.name}")
