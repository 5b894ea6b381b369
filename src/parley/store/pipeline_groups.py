"""The opportunity pipeline's totals kept per opportunity (`summary.pipeline_groups`, `pipeline_folds`),
so a pipeline page without dates reads its opportunities off an index instead of folding every
candidate event's reports at request time (3 s on a 100,000-article store).

An opportunity's totals depend on its candidate events (`summary.pipeline_events`) and on the
stories its reports are told in (`story_reports`), which change as articles are resolved. A
stored article's events are counted into the sums they touch (`add`, in the writer's transaction);
after a resolution pass, `sync_stories` finds the events whose story changed (by the `story` each
row was last summed with; a pass names the articles whose stories it wrote) and counts again the
folds they leave and join; `refresh` sums every
opportunity from nothing (the migration, the summary rebuild). The sums are what
`pipeline._row` makes of the same events, per filter the summary answers: every event, or those
with a party from one country; canonical articles' only, or near-duplicates' too; and per month of
start and end (`pipeline_months`), for dates by years or months.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import sha1
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, delete, func, inspect, select, text, update
from sqlalchemy.engine import Connection

from . import dialect

from ..filters import STAGES
from .resolved import story_reports as SR
from .summary import pipeline_events as PE
from .summary import pipeline_folds as F
from .summary import pipeline_groups as G
from .summary import pipeline_month_folds as MF
from .summary import pipeline_months as M

#: Opportunities summed per query (a tuple IN list each; SQLite's bound-parameter limit and ours).
CHUNK = 100
_IN = 500  # article ids per IN (...) list
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

    def add(self, r: Any, fold: str) -> None:
        """Count one candidate event, whose reports fold by `fold` (`fold_hash`)."""
        self.reports += 1
        if r.published:
            self.first = min(self.first, r.published) if self.first else r.published
            self.last = max(self.last, r.published)
        self.parties.update(n for n in r.parties.split(PARTY_SEP) if n)
        order = (r.published or "", r.article_id, r.event_id)
        found = self.folds.get(fold)
        if found is None:
            self.folds[fold] = [order, r.stage, 1]
            return
        found[2] += 1
        if order < found[0]:
            found[0], found[1] = order, r.stage


def refresh(conn: Connection, keys: Iterable[Key] | None) -> None:
    """Sum again the opportunities `keys` (every one when None) from their candidate events."""
    if keys is None:
        for t in _TABLES:
            conn.execute(delete(t))
        keys = [tuple(r) for r in conn.execute(select(PE.c.side_a, PE.c.side_b, PE.c.sector).distinct())]
        fresh = True
    else:
        fresh = False
    todo = sorted(set(keys))
    for i in range(0, len(todo), CHUNK):
        chunk = todo[i:i + CHUNK]
        if not fresh:
            for t in _TABLES:
                conn.execute(delete(t).where(keys_in([t.c.side_a, t.c.side_b, t.c.sector], chunk)))
        _write(conn, _sum(conn.execute(_members(chunk))))


def _sum(rows: Iterable[Any]) -> tuple[dict[tuple, _Sums], dict[tuple, _Sums]]:
    """Each opportunity's sums per filter, and per filter and month of start and of end."""
    sums: dict[tuple, _Sums] = {}
    months: dict[tuple, _Sums] = {}
    for r in rows:
        key = (r.side_a, r.side_b, r.sector)
        fold = fold_hash(r.story or r.fold)
        dated = ((r.when_start or "")[:7], (r.when_end or "")[:7])
        for scope in ((1,) if r.duplicate else (0, 1)):
            for country in ("", *r.countries.split()):
                for found, at in ((sums, (scope, country, *key)), (months, (scope, country, *key, *dated))):
                    if at not in found:
                        found[at] = _Sums()
                    found[at].add(r, fold)
    return sums, months


def keys_in(cols: list[Any], keys: list[tuple]) -> Any:
    """The rows whose `cols` (of one table) are one of `keys`: an OR of ANDs, which SQLite seeks by
    index term by term (a row-value IN list is read by scanning the table); written as text, as
    building thousands of comparisons as expressions cost seconds per writer batch."""
    terms = ("(" + " AND ".join(f"{c.name} = :k{i}_{j}" for j, c in enumerate(cols)) + ")" for i in range(len(keys)))
    params = {f"k{i}_{j}": v for i, key in enumerate(keys) for j, v in enumerate(key)}
    return text("(" + (" OR ".join(terms) or "1 = 0") + ")").bindparams(**params)


def raw_where(conn: Connection, names: tuple[str, ...], keys: list[tuple]) -> tuple[str, tuple]:
    """`keys_in` as the driver's own SQL and parameters: the writer's merge asks for thousands of keys
    a batch, and SQLAlchemy's handling of that many parameters cost seconds."""
    mark = dialect.param_mark(conn)
    term = "(" + " AND ".join(f"{n} = {mark}" for n in names) + ")"
    return "(" + " OR ".join([term] * len(keys)) + ")", tuple(v for key in keys for v in key)


@lru_cache(maxsize=65536)
def fold_hash(fold: str) -> str:
    """What an event's reports fold by, short enough for a key on either database."""
    return sha1(fold.encode()).hexdigest()[:16]


_NAMES = ("scope", "country", "side_a", "side_b", "sector")
#: `pipeline_groups`' count of folds per stage (migration 21), in `STAGES` order.
FOLDS = tuple(f"{stage}_folds" for stage in STAGES)


def _stages(stages: list[int]) -> dict[str, int]:
    """An opportunity's furthest stage and its folds per stage, from its folds' stages."""
    return {"stage": max(stages), **{name: stages.count(i) for i, name in enumerate(FOLDS)}}


def _stage_counts(conn: Connection, names: tuple[str, ...], keys: list[tuple]) -> dict[tuple, dict[str, int]]:
    """`_stages` of the opportunities `keys` (in every filter, by `names`), counted from their folds."""
    found: dict[tuple, list[int]] = {}
    cols = ", ".join(_NAMES)
    for i in range(0, len(keys), CHUNK):
        where, params = raw_where(conn, names, keys[i:i + CHUNK])
        for r in conn.exec_driver_sql(f"SELECT {cols}, stage, count(*) FROM {F.name} WHERE {where} "
                                      f"GROUP BY {cols}, stage", params):
            found.setdefault(tuple(r[:5]), []).extend([r[5]] * r[6])
    return {k: _stages(v) for k, v in found.items()}
_KEYS = {G: _NAMES, F: (*_NAMES, "fold"), M: (*_NAMES, "month_start", "month_end"),
         MF: (*_NAMES, "month_start", "month_end", "fold")}
_TABLES = (G, F, M, MF)


def _rows(summed: tuple[dict[tuple, _Sums], dict[tuple, _Sums]]) -> dict[Any, list[dict[str, Any]]]:
    """The table rows of the sums."""
    sums, months = summed
    out: dict[Any, list[dict[str, Any]]] = {t: [] for t in _TABLES}
    for (table, folds), summed in (((G, F), sums), ((M, MF), months)):
        for key, s in sorted(summed.items()):
            at = dict(zip(_KEYS[table], key))
            out[table].append({**at, "reports": s.reports, "first": s.first, "last": s.last,
                               "parties": PARTY_SEP.join(sorted(s.parties))})
            if table is G:
                out[G][-1].update(_stages([stage for _, stage, _ in s.folds.values()]))
            out[folds] += [{**at, "fold": fold, "article_id": order[1], "event_id": order[2], "published": order[0],
                            "stage": stage, "reports": n} for fold, (order, stage, n) in sorted(s.folds.items())]
    return out


def _write(conn: Connection, summed: tuple[dict[tuple, _Sums], dict[tuple, _Sums]]) -> None:
    for table, rows in _rows(summed).items():
        if rows:
            conn.execute(table.insert(), rows)


def add(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Count candidate events just added to `pipeline_events` (a stored article's: no other event
    changed) into the sums: each sum read, merged with theirs and written back, so an article costs
    its own events, not its opportunities' (re-summing the largest of a 100,000-article store: 1.2 s)."""
    new = _rows(_sum(SimpleNamespace(**r) for r in rows))
    merged = {table: _merged(conn, table, new[table]) for table in (F, M, MF)}
    stages = _stage_counts(conn, _NAMES, sorted({tuple(r[k] for k in _NAMES) for r in new[G]}))
    merged[G] = _merged(conn, G, new[G])
    for r in merged[G]:
        r.update(stages[tuple(r[k] for k in _NAMES)])
    if merged[G]:
        conn.execute(G.insert(), merged[G])


def _merged(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` merged with the stored rows of their keys, which are deleted; folds and months are
    written back here, the groups by the caller (their stage is read from their folds)."""
    names = _KEYS[table]
    found: dict[tuple, dict[str, Any]] = {}
    keys = [tuple(r[k] for k in names) for r in rows]
    step = max(1, 900 // len(names))  # bound parameters per query
    for i in range(0, len(keys), step):
        where, params = raw_where(conn, names, keys[i:i + step])
        stored = [dict(r) for r in conn.exec_driver_sql(f"SELECT * FROM {table.name} WHERE {where}", params).mappings()]
        found.update((tuple(r[k] for k in names), r) for r in stored)
        if stored:
            conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE {where}", params)
    out = [_merge(found[k], r) if k in found else r for k, r in zip(keys, rows)]
    if table is not G and out:
        conn.execute(table.insert(), out)
    return out


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two sums of one key: counts added, the earliest first report kept, names joined."""
    out = {**new, "reports": old["reports"] + new["reports"]}
    if "article_id" in old and (old["published"], old["article_id"], old["event_id"]) < (
            new["published"], new["article_id"], new["event_id"]):
        out.update({k: old[k] for k in ("article_id", "event_id", "published", "stage")})
    if "first" in old:
        out["first"] = min(d for d in (old["first"], new["first"]) if d) if old["first"] or new["first"] else ""
        out["last"] = max(old["last"], new["last"])
    if "parties" in old:
        out["parties"] = PARTY_SEP.join(sorted({n for r in (old, new) for n in r["parties"].split(PARTY_SEP) if n}))
    return out


def sync_stories(conn: Connection, articles: Iterable[str] | None = None) -> int:
    """Move the events whose stories changed since they were summed (a resolution pass, a merge or
    split of stories) from the folds they leave to those they join, and their opportunities' folds
    per stage and furthest stage by the difference (`_restaged`); returns how many events changed
    story. A story moves reports between folds and nothing else: a fold left loses their count, one joined merges them as `add` does,
    and a fold whose first report left is counted again from its members. `articles`: the only
    articles whose `story_reports` rows may have changed (a pass knows which it wrote), so that
    only their events are compared, not every candidate event of the store (None: every one)."""
    changed = _restory(conn, articles)
    moved = [r for r in changed if fold_hash(r.story or r.fold) != fold_hash(r.now or r.fold)]
    if not moved:
        return len({(r.article_id, r.event_id) for r in changed})
    events = {(r.article_id, r.event_id) for r in moved}
    left = _rows(_sum(SimpleNamespace(**r._mapping) for r in moved))
    joined = _rows(_sum(SimpleNamespace(**{**r._mapping, "story": r.now}) for r in moved))
    touched = sorted({tuple(r[k] for k in _KEYS[F]) for r in left[F] + joined[F]})  # every fold row that can change
    before = _fold_stages(conn, touched)
    recount = {t: _leave(conn, t, left[t], events) for t in (F, MF)}
    for t in (F, MF):
        _merged(conn, t, joined[t])
    _recount(conn, recount)
    stages = _restaged(conn, before, _fold_stages(conn, touched))
    if stages:
        conn.execute(update(G).where(*(G.c[n] == bindparam(f"k_{n}") for n in _NAMES))
                     .values(**{c: bindparam(f"v_{c}") for c in ("stage", *FOLDS)}),
                     [{**{f"k_{n}": v for n, v in zip(_NAMES, k)}, **{f"v_{c}": n for c, n in s.items()}}
                      for k, s in sorted(stages.items())])
    return len({(r.article_id, r.event_id) for r in changed})


def _fold_stages(conn: Connection, keys: list[tuple]) -> dict[tuple, int]:
    """The stage of each of these fold rows (`pipeline_folds` keys) that is stored."""
    names = _KEYS[F]
    out: dict[tuple, int] = {}
    step = max(1, 900 // len(names))
    for i in range(0, len(keys), step):
        where, params = raw_where(conn, names, keys[i:i + step])
        for r in conn.exec_driver_sql(f"SELECT {', '.join(names)}, stage FROM {F.name} WHERE {where}", params):
            out[tuple(r[:len(names)])] = r[len(names)]
    return out


def _restaged(conn: Connection, before: dict[tuple, int], after: dict[tuple, int]) -> dict[tuple, dict[str, int]]:
    """`_stages` of the opportunities (in every filter) whose folds per stage changed from `before`
    to `after` (the stages of the fold rows that moved): their stored counts plus the difference.
    Counting an opportunity's folds again read all of them (17,000 for one pair of countries and
    sector at 100,000 articles), in every pass that moved one of its events."""
    delta: dict[tuple, list[int]] = {}
    for rows, sign in ((before, -1), (after, 1)):
        for key, stage in rows.items():
            delta.setdefault(key[:len(_NAMES)], [0] * len(FOLDS))[stage] += sign
    keys = sorted(k for k, d in delta.items() if any(d))
    out: dict[tuple, dict[str, int]] = {}
    cols = ", ".join((*_NAMES, *FOLDS))
    for i in range(0, len(keys), CHUNK):
        where, params = raw_where(conn, _NAMES, keys[i:i + CHUNK])
        for r in conn.exec_driver_sql(f"SELECT {cols} FROM {G.name} WHERE {where}", params):
            key = tuple(r[:len(_NAMES)])
            counts = [n + d for n, d in zip(r[len(_NAMES):], delta[key])]
            if any(counts):  # (as counting gives nothing to write for an opportunity without folds)
                out[key] = {"stage": max(i for i, n in enumerate(counts) if n), **dict(zip(FOLDS, counts))}
    return out


def _leave(conn: Connection, table: Any, rows: list[dict[str, Any]], events: set[tuple[str, str]]) -> set[tuple]:
    """Take the reports of `rows` (the events `events`, as they were summed) out of the folds of
    `table` they were in; returns the keys of folds whose first report left, to be counted again."""
    names = _KEYS[table]
    leaving = {tuple(r[k] for k in names): r["reports"] for r in rows}
    keys = sorted(leaving)
    stored: list[dict[str, Any]] = []
    step = max(1, 900 // len(names))
    for i in range(0, len(keys), step):
        where, params = raw_where(conn, names, keys[i:i + step])
        found = conn.exec_driver_sql(f"SELECT * FROM {table.name} WHERE {where}", params)
        stored += [dict(r) for r in found.mappings()]
        conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE {where}", params)
    kept, recount = [], set()
    for r in stored:
        key = tuple(r[k] for k in names)
        r["reports"] -= leaving[key]
        if r["reports"] > 0 and (r["article_id"], r["event_id"]) in events:
            recount.add(key)
        elif r["reports"] > 0:
            kept.append(r)
    if kept:
        conn.execute(table.insert(), kept)
    return recount


def _recount(conn: Connection, recount: dict[Any, set[tuple]]) -> None:
    """Count the folds `recount` (keys per table) again from their members as they are now: only
    those keys, as summing every filter and month of a fold of thousands of reports took seconds."""
    wanted: dict[Key, set[str]] = {}
    for keys in recount.values():
        for k in keys:
            wanted.setdefault((k[2], k[3], k[4]), set()).add(k[-1])
    groups = sorted(wanted)
    found: dict[Any, dict[tuple, list[Any]]] = {F: {}, MF: {}}
    for i in range(0, len(groups), CHUNK):
        for r in conn.execute(_members(groups[i:i + CHUNK])):
            group = (r.side_a, r.side_b, r.sector)
            fold = fold_hash(r.story or r.fold)
            if fold not in wanted[group]:
                continue
            order = (r.published or "", r.article_id, r.event_id)
            months = ((r.when_start or "")[:7], (r.when_end or "")[:7])
            for scope in ((1,) if r.duplicate else (0, 1)):
                for country in ("", *r.countries.split()):
                    for t, key in ((F, (scope, country, *group, fold)), (MF, (scope, country, *group, *months, fold))):
                        if key not in recount[t]:
                            continue
                        got = found[t].get(key)
                        if got is None:
                            found[t][key] = [order, r.stage, 1]
                        else:
                            got[2] += 1
                            if order < got[0]:
                                got[0], got[1] = order, r.stage
    for t in (F, MF):
        names = _KEYS[t]
        rows = [{**dict(zip(names, key)), "article_id": order[1], "event_id": order[2], "published": order[0],
                 "stage": stage, "reports": n} for key, (order, stage, n) in sorted(found[t].items())]
        step = max(1, 900 // len(names))
        for j in range(0, len(rows), step):
            part = rows[j:j + step]
            where, params = raw_where(conn, names, [tuple(r[k] for k in names) for r in part])
            conn.exec_driver_sql(f"DELETE FROM {t.name} WHERE {where}", params)
            conn.execute(t.insert(), part)


def _members(keys: list[Key]) -> Any:
    """The candidate events of the opportunities `keys`, with what `_sum` reads."""
    return (select(PE.c.side_a, PE.c.side_b, PE.c.sector, PE.c.article_id, PE.c.event_id, PE.c.published,
                   PE.c.stage, PE.c.duplicate, PE.c.countries, PE.c.story, PE.c.fold, PE.c.parties,
                   PE.c.when_start, PE.c.when_end)
            .where(keys_in([PE.c.side_a, PE.c.side_b, PE.c.sector], keys)))


def _restory(conn: Connection, articles: Iterable[str] | None = None) -> list[Any]:
    """Give each candidate event (of `articles`, or every one) its story as told now; the rows
    changed, as `_sum` reads them, with the story they had (`story`) and the one they have now
    (`now`). Without `articles` every candidate event of the store is read (193,000 rows, two
    seconds, at 100,000 articles): a pass names the few hundred whose stories it wrote."""
    now = func.coalesce(SR.c.story_id, "")
    q = (select(*_members([]).selected_columns, now.label("now"))
         .select_from(PE.outerjoin(SR, (SR.c.article_id == PE.c.article_id) & (SR.c.report == PE.c.event_id)))
         .where(PE.c.story != now))
    if articles is None:
        changed = conn.execute(q).all()
    else:
        ids = sorted(set(articles))
        changed = [r for i in range(0, len(ids), _IN) for r in conn.execute(q.where(PE.c.article_id.in_(ids[i:i + _IN])))]
    if changed:
        conn.execute(update(PE).where(PE.c.article_id == bindparam("a"), PE.c.event_id == bindparam("e"))
                     .values(story=bindparam("s")),
                     [{"a": a, "e": e, "s": s} for a, e, s in sorted({(r.article_id, r.event_id, r.now)
                                                                       for r in changed})])
    return changed


def count_folds(conn: Connection) -> None:
    """Migration 21: each opportunity's folds per stage (`FOLDS`), counted from its folds, and an index
    of the folds by opportunity, stage and first report, newest first, from which a page reads the
    first few of each stage (`pipeline._shown_folds`)."""
    have = {c["name"] for c in inspect(conn).get_columns(G.name)}
    for name in FOLDS:
        if name not in have:
            conn.exec_driver_sql(f"ALTER TABLE {G.name} ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0")
    on = " AND ".join(f"f.{n} = {G.name}.{n}" for n in _NAMES)
    for i, name in enumerate(FOLDS):
        conn.exec_driver_sql(f"UPDATE {G.name} SET {name} = (SELECT count(*) FROM {F.name} f WHERE {on} "
                             f"AND f.stage = {i})")
    for index in F.indexes:
        index.create(conn, checkfirst=True)
    conn.exec_driver_sql(f"ANALYZE {G.name}")
    conn.exec_driver_sql(f"ANALYZE {F.name}")


def create(conn: Connection) -> None:
    """Migration 14: the tables, each candidate event's story column, and the sums of every opportunity."""
    for t in _TABLES:
        t.create(conn, checkfirst=True)
    if "story" not in {c["name"] for c in inspect(conn).get_columns(PE.name)}:
        conn.exec_driver_sql(f"ALTER TABLE {PE.name} ADD COLUMN story VARCHAR NOT NULL DEFAULT ''")
    for index in PE.indexes:
        index.create(conn, checkfirst=True)
    _restory(conn)
    refresh(conn, None)
    for t in (PE, *_TABLES):
        conn.exec_driver_sql(f"ANALYZE {t.name}")
