"""Migration 21: totals that let a page rank or count without summing every row of a summary.

- The opportunity pipeline: each opportunity's folds (pieces of evidence) per stage, and an index of
  the folds by opportunity, stage and first report, newest first (`pipeline_groups.count_folds`),
  so a page shows the first few pieces of each stage with their count (a 100,700-article store's
  undated page carried 33,000 pieces: 11 s).
- The network: `network_engaged`, each edge's events of the engagement types (`summary.py`), filled
  from `network_types`; indexes of it, of `network_edges` and of `network_types` by weight, and of
  `network_months` by edge. The default network summed 150,000 type rows, a year's 97,000 month
  rows, to rank 150 edges: it now reads them in order, and a dated one sums the months of its
  heaviest edges only (`aggregates._bounded_edges`).
Plain DDL and INSERT ... SELECT: SQLite and PostgreSQL both take them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from . import pipeline_groups, summary


def create(conn: Connection) -> None:
    """The pipeline's fold counts; the network's engaged totals; their indexes."""
    pipeline_groups.count_folds(conn)
    engaged, typed = summary.network_engaged, summary.network_types
    engaged.create(conn, checkfirst=True)
    conn.execute(engaged.delete())
    keys = [typed.c.source_type, typed.c.source, typed.c.target_type, typed.c.target]
    conn.execute(engaged.insert().from_select(
        ["source_type", "source", "target_type", "target", "events"],
        select(*keys, func.sum(typed.c.events)).where(typed.c.type.in_(sorted(summary.engaged_types())))
        .group_by(*keys)))
    for t in (summary.network_edges, summary.network_types, summary.network_months):
        for index in t.indexes:
            index.create(conn, checkfirst=True)
    for t in (engaged, summary.network_edges, summary.network_types, summary.network_months):
        conn.exec_driver_sql(f"ANALYZE {t.name}")
