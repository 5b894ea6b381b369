"""The opportunity pipeline's totals kept per opportunity (`summary.pipeline_groups`, `pipeline_folds`),
so a pipeline page without dates reads its opportunities off an index instead of folding every
candidate event's reports at request time (3 s on a 100,000-article store).

An opportunity's totals depend on its candidate events (`summary.pipeline_events`) and on the
stories its reports are told in (`story_reports`), which change as articles are resolved. Both are
summed again here, whole, for each opportunity an article or a change of stories touches:
`refresh` after the writer adds an article's candidate events, `sync_stories` after a resolution
pass (it finds the events whose story changed by the `story` each row was last summed with). The
sums are what `pipeline._row` makes of the same events, per filter the summary answers: every
event, or those with a party from one country; canonical articles' only, or near-duplicates' too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import sha1
from typing import Any

from sqlalchemy import bindparam, delete, func, inspect, select, tuple_, update
from sqlalchemy.engine import Connection

from .resolved import story_reports as SR
from .summary import pipeline_events as PE
from .summary import pipeline_folds as F
from .summary import pipeline_groups as G
from .summary import pipeline_months as M

#: Opportunities summed per query (a tuple IN list each; SQLite's bound-parameter limit and ours).
CHUNK = 300
PARTY_SEP = "\x1f"

Key = tuple[str, str, str]  # side_a, side_b, sector


@dataclass
class _Sums:
    """One opportunity's events within one filter, as `pipeline._row` reads them."""

    reports: int = 0
    first: str = ""
    last: str = ""
    parties: set[str] = field(default_factory=set)
    folds: dict[str, list[Any]] = field(default_factory=dict)  # fold -> [order, stage, reports]

    def add(self, r: Any) -> None:
        self.reports += 1
        if r.published:
            self.first = min(self.first, r.published) if self.first else r.published
            self.last = max(self.last, r.published)
        self.parties.update(n for n in r.parties.split(PARTY_SEP) if n)
        order = (r.published or "", r.article_id, r.event_id)
        fold = self.folds.get(r.story or r.fold)
        if fold is None:
            self.folds[r.story or r.fold] = [order, r.stage, 1]
            return
        fold[2] += 1
        if order < fold[0]:
            fold[0], fold[1] = order, r.stage


def refresh(conn: Connection, keys: Iterable[Key] | None) -> None:
    """Sum again the opportunities `keys` (every one when None) from their candidate events."""
    if keys is None:
        for t in (F, G, M):
            conn.execute(delete(t))
        keys = [tuple(r) for r in conn.execute(select(PE.c.side_a, PE.c.side_b, PE.c.sector).distinct())]
        fresh = True
    else:
        fresh = False
    todo = sorted(set(keys))
    for i in range(0, len(todo), CHUNK):
        chunk = todo[i:i + CHUNK]
        if not fresh:
            for t in (F, G, M):
                conn.execute(delete(t).where(tuple_(t.c.side_a, t.c.side_b, t.c.sector).in_(chunk)))
        _write(conn, _sum(conn.execute(
            select(PE.c.side_a, PE.c.side_b, PE.c.sector, PE.c.article_id, PE.c.event_id, PE.c.published,
                   PE.c.stage, PE.c.duplicate, PE.c.countries, PE.c.story, PE.c.fold, PE.c.parties,
                   PE.c.when_start, PE.c.when_end)
            .where(tuple_(PE.c.side_a, PE.c.side_b, PE.c.sector).in_(chunk)))))


def _sum(rows: Iterable[Any]) -> tuple[dict[tuple, _Sums], dict[tuple, _Sums]]:
    """Each opportunity's sums per filter, and per filter, month of start and of end, and fold."""
    sums: dict[tuple, _Sums] = {}
    months: dict[tuple, _Sums] = {}
    for r in rows:
        key = (r.side_a, r.side_b, r.sector)
        dated = ((r.when_start or "")[:7], (r.when_end or "")[:7], fold_hash(r.story or r.fold))
        for scope in ((1,) if r.duplicate else (0, 1)):
            for country in ("", *r.countries.split()):
                for found, at in ((sums, (scope, country, *key)), (months, (scope, country, *key, *dated))):
                    if at not in found:
                        found[at] = _Sums()
                    found[at].add(r)
    return sums, months


def fold_hash(fold: str) -> str:
    """What an event's reports fold by, short enough for a key on either database."""
    return sha1(fold.encode()).hexdigest()[:16]


def _write(conn: Connection, summed: tuple[dict[tuple, _Sums], dict[tuple, _Sums]]) -> None:
    sums, months = summed
    groups, folds, dated = [], [], []
    names = ("scope", "country", "side_a", "side_b", "sector")
    for key, s in sorted(sums.items()):
        at = dict(zip(names, key))
        groups.append({**at, "reports": s.reports, "first": s.first, "last": s.last,
                       "stage": max(stage for _, stage, _ in s.folds.values()),
                       "parties": PARTY_SEP.join(sorted(s.parties))})
        folds += [{**at, "article_id": order[1], "event_id": order[2], "published": order[0], "stage": stage,
                   "reports": n} for order, stage, n in s.folds.values()]
    for key, s in sorted(months.items()):
        [(order, stage, _)] = s.folds.values()
        dated.append({**dict(zip(names, key)), "month_start": key[5], "month_end": key[6], "fold": key[7],
                      "reports": s.reports, "first": s.first, "last": s.last, "article_id": order[1],
                      "event_id": order[2], "published": order[0], "stage": stage,
                      "parties": PARTY_SEP.join(sorted(s.parties))})
    if groups:
        conn.execute(G.insert(), groups)
        conn.execute(F.insert(), folds)
        conn.execute(M.insert(), dated)


def sync_stories(conn: Connection) -> int:
    """Sum again the opportunities whose events' stories changed since they were summed (a
    resolution pass, a merge or split of stories); returns how many events changed story."""
    changed = _restory(conn)
    refresh(conn, {k for _, k in changed})
    return len({e for e, _ in changed})


def _restory(conn: Connection) -> set[tuple[tuple[str, str], Key]]:
    """Give each candidate event its story as told now; the (article, event) and opportunity of each changed."""
    now = func.coalesce(SR.c.story_id, "")
    changed = conn.execute(
        select(PE.c.article_id, PE.c.event_id, PE.c.side_a, PE.c.side_b, PE.c.sector, now.label("now"))
        .select_from(PE.outerjoin(SR, (SR.c.article_id == PE.c.article_id) & (SR.c.report == PE.c.event_id)))
        .where(PE.c.story != now)).all()
    if changed:
        conn.execute(update(PE).where(PE.c.article_id == bindparam("a"), PE.c.event_id == bindparam("e"))
                     .values(story=bindparam("s")),
                     [{"a": a, "e": e, "s": s} for a, e, s in sorted({(r.article_id, r.event_id, r.now)
                                                                       for r in changed})])
    return {((r.article_id, r.event_id), (r.side_a, r.side_b, r.sector)) for r in changed}


def create(conn: Connection) -> None:
    """Migration 14: the tables, each candidate event's story column, and the sums of every opportunity."""
    for t in (G, F, M):
        t.create(conn, checkfirst=True)
    if "story" not in {c["name"] for c in inspect(conn).get_columns(PE.name)}:
        conn.exec_driver_sql(f"ALTER TABLE {PE.name} ADD COLUMN story VARCHAR NOT NULL DEFAULT ''")
    for index in PE.indexes:
        index.create(conn, checkfirst=True)
    _restory(conn)
    refresh(conn, None)
    for t in (PE, G, F, M):
        conn.exec_driver_sql(f"ANALYZE {t.name}")
