"""The opportunity pipeline: each cooperation between two sides in a sector, at the furthest stage
its events show (a stated intent, an MoU or agreement signed, cooperation under way), with the
evidence for every stage.

An event's stage is read from its type, its trigger and its sentence by `resources/opportunity_stages.tsv`.
Events group into one opportunity by their two sides' countries (names where a side has none) and
each sector they name. Reports of one event fold into one piece of evidence: the same story
(`story_reports`, issue 14's cross-article stories), else the same sentence.

The candidate events are kept as they are stored (`summary.pipeline_events`: each with its sides,
sector, stage and folded sentence), so the database groups, orders, counts and pages the
opportunities from that table, folding reports by the current stories (which change as articles
come); only the page's opportunities are then built from their events, by the same code that
built every one before (`_candidates`, `_row`), so a page reads its own events and no others.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, case, func, literal, select, tuple_, union_all
from sqlalchemy.engine import Connection

from ..analysis.lemmas import form_table
from ..analysis.lexicon import read_table
from ..filters import STAGES
from . import dialect, pipeline_details, queries, summary_ranks
from .dialect import by_code_point
from .pipeline_groups import FOLDS, fold_hash, keys_in
from .resolved import story_reports
from .schema import articles as A
from .schema import events as V
from .summary import pipeline_events as PE
from .summary import pipeline_folds as F
from .summary import pipeline_groups as G
from .summary import pipeline_month_folds as MF
from .summary import pipeline_months as M
from .summary_dates import seekable_since

#: Articles per query where a list of them is matched (SQLite's bound-parameter limit and ours).
CHUNK = 500
#: Pieces of evidence a pipeline row shows per stage in a page or a table; an export writes them all.
EVIDENCE_SHOWN = 3
#: Opportunity stages whose first pieces of evidence are read per query (six parameters each).
STAGE_CHUNK = 150
#: Between the party names an event's `pipeline_events.parties` holds (a character no name has).
PARTY_SEP = "\x1f"


@dataclass(frozen=True)
class _Rule:
    type: str
    trigger: str
    needs: frozenset[str]
    stage: str


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    return tuple(_Rule(r["type"], r["trigger"], frozenset(w for w in r["needs"].split(",") if w), r["stage"])
                 for r in read_table("opportunity_stages.tsv"))


@lru_cache(maxsize=1)
def _trigger_lemmas() -> dict[str, str]:
    """Every written form of the triggers the stage table names, to its lemma."""
    return form_table(frozenset(r.trigger for r in _rules() if r.trigger != "*"))


def stage_of(type_: str, trigger: str, sentence: str, hypothetical: bool = False) -> str | None:
    """The stage an event shows, or None when its type says nothing of an opportunity."""
    lemmas = _trigger_lemmas()
    words = [w.strip(".,;:()\"'“”").lower() for w in trigger.split()]
    lemma = next((lemmas[w] for w in words if w in lemmas), None)
    sentence_words = {w.strip(".,;:()\"'“”’s").lower() for w in sentence.split()}
    for rule in _rules():
        if rule.type != type_ or rule.trigger not in ("*", lemma):
            continue
        if rule.needs and not rule.needs & sentence_words:
            continue
        return "intent" if hypothetical else rule.stage
    return None


def pipeline(conn: Connection, sector: str | None = None, country: str | None = None, stage: str | None = None,
             since: queries.DateLike = None, until: queries.DateLike = None, include_duplicates: bool = False,
             limit: int | None = 100, offset: int = 0, evidence: int | None = None) -> list[dict[str, Any]]:
    """Opportunities, the most recently reported first; `stage` keeps those whose furthest stage it is.
    Each carries its evidence per stage, newest first: the first `evidence` pieces of each stage (all
    when None; a page shows a few, an export all), and in `evidence_total` how many each stage has."""
    if _summed(since, until):
        return _page(conn, sector, country, stage, include_duplicates, limit, offset, evidence)
    if _by_month(since, until):
        return _month_page(conn, sector, country, stage, since, until, include_duplicates, limit, offset,
                           evidence)[0]
    q = _groups(conn, sector, country, stage, since, until, include_duplicates)
    q = q.order_by(*_order(conn, q))
    q = q.limit(limit).offset(offset or 0) if limit is not None else q.offset(offset or 0)
    keys = [(r.side_a, r.side_b, r.sector) for r in conn.execute(q)]
    return _build(conn, keys, sector, country, stage, since, until, include_duplicates, evidence)


def total(conn: Connection, sector: str | None = None, country: str | None = None, stage: str | None = None,
          since: queries.DateLike = None, until: queries.DateLike = None, include_duplicates: bool = False) -> int:
    """How many opportunities `pipeline` gives with these filters, counted by the database."""
    if _summed(since, until):
        where = _summed_where(sector, country, stage, include_duplicates)
        return conn.execute(select(func.count()).select_from(G).where(*where)).scalar_one()
    if _by_month(since, until):
        return len(_month_groups(conn, sector, country, stage, since, until, include_duplicates))
    q = _groups(conn, sector, country, stage, since, until, include_duplicates).subquery()
    return conn.execute(select(func.count()).select_from(q)).scalar_one()


def page_and_total(conn: Connection, sector: str | None = None, country: str | None = None,
                   stage: str | None = None, since: queries.DateLike = None, until: queries.DateLike = None,
                   include_duplicates: bool = False, limit: int | None = 100,
                   offset: int = 0, evidence: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """`pipeline` and `total` of the same filters at once: a page dated by years or months sums its
    opportunities' months once for both (`_month_sums` reads every opportunity of the dates)."""
    if not _summed(since, until) and _by_month(since, until):
        return _month_page(conn, sector, country, stage, since, until, include_duplicates, limit, offset, evidence)
    kwargs = {"sector": sector, "country": country, "stage": stage, "since": since, "until": until,
              "include_duplicates": include_duplicates}
    return pipeline(conn, **kwargs, limit=limit, offset=offset, evidence=evidence), total(conn, **kwargs)


def evidence_page(conn: Connection, sides: list[str], sector: str | None, stage: str, country: str | None = None,
                  since: queries.DateLike = None, until: queries.DateLike = None, include_duplicates: bool = False,
                  limit: int | None = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """One opportunity's evidence for one stage with the pipeline's filters, newest first, a page of
    it and how many there are: where a pipeline row stops (its first few), this goes on. Without dates
    the database pages the opportunity's folds; with dates, its months are summed (`_month_sums`, of
    this opportunity only) and the page's first reports read."""
    key = _key(sides, sector)
    at = STAGES.index(stage)
    if _summed(since, until):
        where = [F.c.scope == int(include_duplicates), F.c.country == (country or "").upper(), F.c.side_a == key[0],
                 F.c.side_b == key[1], F.c.sector == key[2], F.c.stage == at]
        if sector and sector != key[2]:
            return [], 0
        count = conn.execute(select(func.count()).select_from(F).where(*where)).scalar_one()
        q = select(F.c.published, F.c.article_id, F.c.event_id, F.c.reports).where(*where)
        q = q.order_by(*_newest_first(conn, F)).offset(offset or 0)
        found = [((r.published, r.article_id, r.event_id), r.reports)
                 for r in conn.execute(q.limit(limit) if limit is not None else q)]
    elif _by_month(since, until):
        rows = _month_sums(conn, sector, country, None, since, until, include_duplicates, key)
        every = sorted(((order, n) for order, s, n in (rows[0]["firsts"] if rows else []) if s == at), reverse=True)
        count, found = len(every), _cut(every, limit, offset)  # type: ignore[arg-type]
    else:  # dates neither by month nor by day (a datetime): every piece read, then cut
        full = _build(conn, [key], sector, country, None, since, until, include_duplicates)
        pieces = full[0]["evidence"][stage] if full else []
        return _cut(pieces, limit, offset), len(pieces)
    details = _details(conn, {(order[1], order[2]) for order, _ in found})
    return [_evidence(details[(order[1], order[2])], n) for order, n in found], count


def _key(sides: list[str], sector: str | None) -> tuple[str, str, str]:
    """An opportunity's key in the summaries (side_a, side_b, sector) from a row's `sides` and `sector`."""
    a, b = [*sorted(sides), "", ""][:2]
    return a, b, sector or ""


def _cut(rows: list[dict[str, Any]], limit: int | None, offset: int) -> list[dict[str, Any]]:
    end = None if limit is None else (offset or 0) + limit
    return rows[offset or 0:end]


def grouped(conn: Connection, sector: str | None = None, country: str | None = None, stage: str | None = None,
            since: queries.DateLike = None, until: queries.DateLike = None, include_duplicates: bool = False,
            limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """`pipeline` computed as it was before the summary: every candidate event read and grouped in
    Python. The reference the summary's answer is tested against, and what fills the summary."""
    found = _candidates(conn, sector, country, since, until, include_duplicates)
    rows = [_row(g) for g in _group(found, sector).values()]
    if stage:
        rows = [r for r in rows if r["stage"] == stage]
    rows.sort(key=_sort_key, reverse=True)
    end = None if limit is None else offset + limit
    return rows[offset:end]


def _summed(since: queries.DateLike, until: queries.DateLike) -> bool:
    """Whether the opportunities' sums (`pipeline_groups.py`) answer: every filter but dates."""
    return not queries.iso(since) and not queries.iso(until)


def _by_month(since: queries.DateLike, until: queries.DateLike) -> bool:
    """Whether the sums by month (`summary.pipeline_months`) answer these dates: years or months,
    which compare with an event's dates as with their first seven characters (`since_clause`); or
    days, whose months are read event by event (`_cut_months`), the other months from the sums."""
    return all(len(d) <= 7 or len(d) == 10 for d in (queries.iso(since), queries.iso(until)) if d)


def _month_sums(conn: Connection, sector: str | None, country: str | None, stage: str | None,
                since: queries.DateLike, until: queries.DateLike, include_duplicates: bool,
                key: tuple[str, str, str] | None = None) -> list[dict[str, Any]]:
    """Every opportunity with events within the dates (only the one `key` when given), summed from its
    months, in `_sort_key` order, newest first; each with its folds' first reports (`firsts`:
    (order, stage, reports)) instead of its evidence."""
    return [_month_row(*found) for found in _month_groups(conn, sector, country, stage, since, until,
                                                           include_duplicates, key)]


def _month_page(conn: Connection, sector: str | None, country: str | None, stage: str | None,
                since: queries.DateLike, until: queries.DateLike, include_duplicates: bool, limit: int | None,
                offset: int, evidence: int | None) -> tuple[list[dict[str, Any]], int]:
    """A page of `_month_sums` and their number, the rows (parties, folds in order) made for the page
    only: making them for each of a period's 10,000 opportunities took a third of the page."""
    if stage:  # the furthest stage is known once every fold is summed
        groups = _month_groups(conn, sector, country, stage, since, until, include_duplicates)
        return _with_evidence(conn, [_month_row(*g) for g in _cut(groups, limit, offset)], evidence), len(groups)
    edges = _edges(since, until)
    cut = _cut_months(conn, edges, sector, country, since, until, include_duplicates)
    parts: list[Any] = [select(M.c.side_a, M.c.side_b, M.c.sector, M.c.reports, M.c.first, M.c.last)
                        .where(*_month_where(M, sector, country, since, until, include_duplicates))]
    published = func.coalesce(PE.c.published, "")
    parts += [select(PE.c.side_a, PE.c.side_b, PE.c.sector, literal(1).label("reports"), published.label("first"),
                     published.label("last")).where(*where)  # the months a day cuts: their events, a report each
              for where in _cut_terms(edges, sector, country, since, until, include_duplicates)]
    u = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    k = [u.c.side_a, u.c.side_b, u.c.sector]
    last = func.max(u.c.last)
    q = (select(*k, func.sum(u.c.reports).label("reports"), func.coalesce(func.min(func.nullif(u.c.first, "")), "")
                .label("first"), last.label("last"), func.count().over().label("every"))
         .group_by(*k).order_by(by_code_point(conn, last).desc(), *(by_code_point(conn, c).desc() for c in k)))
    page = conn.execute(q.limit(limit).offset(offset or 0) if limit is not None else q.offset(offset or 0)).all()
    every = page[0].every if page else conn.execute(
        select(func.count()).select_from(select(*k).group_by(*k).subquery())).scalar_one()
    groups: dict[tuple, dict[str, Any]] = {
        (r.side_a, r.side_b, r.sector): {"reports": r.reports, "first": r.first, "last": r.last or "", "parties": set(),
                                         "folds": {}} for r in page}
    chosen = list(groups)
    for t in (M, MF):  # the page's parties and folds only
        extra = ("parties",) if t is M else ("fold", "reports", "article_id", "event_id", "published", "stage")
        for r in _rows_by_key(conn, t, (int(include_duplicates), (country or "").upper()),
                              _month_where(t, sector, country, since, until, include_duplicates), extra, chosen,
                              seekable_since(t.c.month_end, since) if t is MF else []):
            g = groups[(r.side_a, r.side_b, r.sector)]
            if t is M:
                g["parties"].add(r.parties)
            else:
                _fold_in(g, r.fold, (r.published, r.article_id, r.event_id), r.stage, r.reports)
    for r in cut:
        g = groups.get((r.side_a, r.side_b, r.sector))
        if g is not None:
            g["parties"].add(r.parties)
            _fold_in(g, fold_hash(r.story or r.fold), (r.published or "", r.article_id, r.event_id), r.stage, 1)
    return _with_evidence(conn, [_month_row(key, groups[key]) for key in chosen], evidence), every


def _rows_by_key(conn: Connection, t: Any, scope: tuple[int, str], where: list[Any], names: tuple[str, ...],
                 keys: list[tuple[str, str, str]], seek: list[Any] | None = None) -> list[Any]:
    """Summary `t`'s rows `where` of the opportunities `keys`, each opportunity's rows sought by its key
    before the terms are tested, in the driver's own SQL with the terms compiled once. As an OR of
    the keys, or with the terms beside the key, SQLite without statistics read the whole period by its
    date index (6 s): SQLite is told the index (`_by_primary_key`) and asked one opportunity at a time
    (one statement, prepared once: as 50 SELECTs joined by UNION ALL it took twice as long); elsewhere
    one SELECT per opportunity, its key sought in a subquery the planner keeps (OFFSET 0), joined by
    UNION ALL. `seek`: terms implied by `where` that the index seeks to after the key (the folds'
    month of end, `summary_ranks`): without, every month of an opportunity since its first was read."""
    terms = str(and_(*where, *(seek or [])).compile(conn, compile_kwargs={"literal_binds": True}))
    mark = dialect.param_mark(conn)
    cols = ("side_a", "side_b", "sector", *names)
    key = f"scope = {mark} AND country = {mark} AND side_a = {mark} AND side_b = {mark} AND sector = {mark}"
    picked = ", ".join(f"{t.name}.{c}" for c in cols)
    found: list[Any] = []
    indexed = _by_primary_key(conn, t)
    if indexed:
        one = f"SELECT {picked} FROM {t.name}{indexed} WHERE {key} AND {terms}"
        for k in keys:
            found += [SimpleNamespace(**dict(zip(cols, r))) for r in conn.exec_driver_sql(one, (*scope, *k))]
        return found
    fence = "LIMIT -1 OFFSET 0" if conn.dialect.name == "sqlite" else "OFFSET 0"  # the key sought first
    one = f"SELECT {picked} FROM (SELECT * FROM {t.name} WHERE {key} {fence}) AS {t.name} WHERE {terms}"
    for i in range(0, len(keys), 100):  # SQLite takes at most 500 SELECTs in one
        chunk = keys[i:i + 100]
        found += [SimpleNamespace(**dict(zip(cols, r))) for r in conn.exec_driver_sql(
            " UNION ALL ".join([one] * len(chunk)), tuple(v for k in chunk for v in (*scope, *k)))]
    return found


def _by_primary_key(conn: Connection, t: Any) -> str:
    """SQLite's INDEXED BY an index that starts with the opportunity's key: for the folds by month the
    one that also holds every column read (migration 22, `summary_ranks`), else its primary key's,
    where it has one: without statistics it read a covering index by (scope, country) alone instead,
    every opportunity's rows."""
    if conn.dialect.name != "sqlite":
        return ""
    names = [*([summary_ranks.FOLDS_BY_KEY] if t is MF else []), f"sqlite_autoindex_{t.name}_1"]
    for name in names:
        found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                                     (name,)).first()
        if found:
            return f" INDEXED BY {name}"
    return ""


def _month_row(key: tuple[str, str, str], g: dict[str, Any]) -> dict[str, Any]:
    return {"sides": [s for s in key[:2] if s], "sector": key[2] or None,
            "stage": STAGES[max(f[1] for f in g["folds"].values())],
            "parties": sorted({n for names in g["parties"] for n in names.split(PARTY_SEP) if n}),
            "reports": g["reports"], "first_reported": g["first"] or None, "last_reported": g["last"] or None,
            "firsts": sorted(g["folds"].values())}


def _month_groups(conn: Connection, sector: str | None, country: str | None, stage: str | None,
                  since: queries.DateLike, until: queries.DateLike, include_duplicates: bool,
                  key: tuple[str, str, str] | None = None) -> list[tuple[tuple[str, str, str], dict[str, Any]]]:
    """`_month_sums` as (key, sums) pairs: reports, first and last report, the party names as stored
    (joined strings), folds (fold -> [order, stage, reports])."""
    edges = _edges(since, until)

    def where(t: Any) -> list[Any]:
        return _month_where(t, sector, country, since, until, include_duplicates, key)

    groups: dict[tuple, dict[str, Any]] = {}

    def add(key: tuple, reports: int, first: str, last: str, parties: str) -> dict[str, Any]:
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"reports": 0, "first": "", "last": "", "parties": set(), "folds": {}}
        g["reports"] += reports
        if first:
            g["first"] = min(g["first"], first) if g["first"] else first
            g["last"] = max(g["last"], last)
        g["parties"].add(parties)  # split for the rows shown only (`_month_row`)
        return g

    fold_in = _fold_in
    for r in conn.execute(select(M.c.side_a, M.c.side_b, M.c.sector, M.c.reports, M.c.first, M.c.last, M.c.parties)
                          .where(*where(M))):
        add((r.side_a, r.side_b, r.sector), r.reports, r.first, r.last, r.parties)
    for r in conn.execute(select(MF.c.side_a, MF.c.side_b, MF.c.sector, MF.c.fold, MF.c.reports, MF.c.article_id,
                                 MF.c.event_id, MF.c.published, MF.c.stage).where(*where(MF))):
        fold_in(groups[(r.side_a, r.side_b, r.sector)], r.fold, (r.published, r.article_id, r.event_id), r.stage,
                r.reports)
    for r in _cut_months(conn, edges, sector, country, since, until, include_duplicates, key):
        g = add((r.side_a, r.side_b, r.sector), 1, r.published or "", r.published or "", r.parties)
        fold_in(g, fold_hash(r.story or r.fold), (r.published or "", r.article_id, r.event_id), r.stage, 1)
    at = STAGES.index(stage) if stage else None
    kept = [(k, g) for k, g in groups.items() if at is None or max(f[1] for f in g["folds"].values()) == at]
    kept.sort(key=lambda kg: (kg[1]["last"], [s for s in kg[0][:2] if s], kg[0][2]), reverse=True)  # `_sort_key`
    return kept


def _edges(since: queries.DateLike, until: queries.DateLike) -> list[str | None]:
    """The months a day cuts: since's and until's, where they name a day."""
    return [d[:7] if d and len(d) > 7 else None for d in (queries.iso(since), queries.iso(until))]


def _month_where(t: Any, sector: str | None, country: str | None, since: queries.DateLike, until: queries.DateLike,
                 include_duplicates: bool, key: tuple[str, str, str] | None = None) -> list[Any]:
    """The rows of a summary by month (`pipeline_months`, `pipeline_month_folds`) within the dates,
    but for the months a day cuts (read event by event, `_cut_months`)."""
    edges = _edges(since, until)
    out = [t.c.scope == int(include_duplicates), t.c.country == (country or "").upper(),
           *queries.since_clause(t.c.month_end, since), *queries.until_clause(t.c.month_start, until)]
    if queries.iso(until):
        out.append(t.c.month_start != "")  # no start: NULL in the events, which no `until` keeps
    out += seekable_since(t.c.month_end, since)
    for col, edge in ((t.c.month_end, edges[0]), (t.c.month_start, edges[1])):
        if edge:  # a month a day cuts: its events are read one by one (`_cut_months`)
            out.append(col != edge)
    if key is not None:
        out += [t.c.side_a == key[0], t.c.side_b == key[1], t.c.sector == key[2]]
    return [*out, t.c.sector == sector] if sector else out


def _fold_in(g: dict[str, Any], fold: str, order: tuple, stage: int, reports: int) -> None:
    """Count `reports` of a fold into an opportunity's sums, its first report the earliest."""
    found = g["folds"].get(fold)
    if found is None:
        g["folds"][fold] = [order, stage, reports]
        return
    found[2] += reports
    if order < found[0]:
        found[0], found[1] = order, stage


def _cut_months(conn: Connection, edges: list[str | None], sector: str | None, country: str | None,
                since: queries.DateLike, until: queries.DateLike, include_duplicates: bool,
                key: tuple[str, str, str] | None = None) -> list[Any]:
    """The candidate events ending in the month `since` cuts (a day) or starting in the one `until`
    cuts, kept by the filters as `_candidates` keeps them: the sums by month cannot part them. One
    query per month, each read off its date's index (`ix_pipeline_events_end`, `_start`): as one OR,
    or with the near-duplicate flag indexed, SQLite without statistics (a store grown from empty)
    read every event (0.3 s)."""
    cols = [PE.c.side_a, PE.c.side_b, PE.c.sector, PE.c.article_id, PE.c.event_id, PE.c.published, PE.c.stage,
            PE.c.story, PE.c.fold, PE.c.parties]
    return [r for where in _cut_terms(edges, sector, country, since, until, include_duplicates, key)
            for r in conn.execute(select(*cols).where(*where))]


def _cut_terms(edges: list[str | None], sector: str | None, country: str | None, since: queries.DateLike,
               until: queries.DateLike, include_duplicates: bool,
               key: tuple[str, str, str] | None = None) -> list[list[Any]]:
    """`_cut_months`' queries' terms, one list per month cut."""
    where = _where(sector, country, since, until, True)
    if not include_duplicates:
        where.append(PE.c.duplicate + 0 == 0)  # tested row by row
    if key is not None:
        where += [PE.c.side_a == key[0], PE.c.side_b == key[1], PE.c.sector == key[2]]
    months = []
    if edges[0]:
        months.append(_in_month(PE.c.when_end, edges[0]))
    if edges[1]:
        cut = _in_month(PE.c.when_start, edges[1])
        months.append(and_(cut, func.coalesce(func.substr(PE.c.when_end, 1, 7), "") != edges[0]) if edges[0] else cut)
    return [[month, *where] for month in months]


def _in_month(col: Any, month: str) -> Any:
    return and_(col >= month, col < month + "Z", func.substr(col, 1, 7) == month)  # "Z": after "-" and digits


def _with_evidence(conn: Connection, rows: list[dict[str, Any]], evidence: int | None) -> list[dict[str, Any]]:
    """`_month_sums` rows as `_row` makes them: each fold's first report read as evidence for its
    stage, the newest `evidence` of each stage only (the sums by month are merged in Python, as a
    fold's first report within the dates is the earliest of its months'; only the shown are read)."""
    shown = {id(r): newest(r["firsts"], evidence) for r in rows}
    details = _details(conn, {(order[1], order[2]) for kept, _ in shown.values() for order, _ in kept})
    return [_summed_row(r["sides"], r["sector"], r["parties"], r["reports"], r["first_reported"], r["last_reported"],
                        *shown[id(r)], details, r["stage"]) for r in rows]


def newest(firsts: list[tuple[tuple, int, int]], evidence: int | None) -> tuple[list[tuple[tuple, int]], list[int]]:
    """Of folds' first reports (order, stage index, reports), the newest `evidence` of each stage
    (every one when None), newest first, as (order, reports); and how many each stage has."""
    by_stage: list[list[tuple[tuple, int]]] = [[] for _ in STAGES]
    for order, stage, reports in firsts:
        by_stage[stage].append((order, reports))
    kept: list[tuple[tuple, int]] = []
    for found in by_stage:
        found.sort(reverse=True)
        kept += found if evidence is None else found[:evidence]
    return kept, [len(found) for found in by_stage]


def _summed_row(sides: list[str], sector: str | None, parties: list[str], reports: int, first: str | None,
                last: str | None, firsts: list[tuple[tuple, int]], counts: list[int],
                details: dict[tuple[str, str], dict[str, Any]], stage: str | None = None) -> dict[str, Any]:
    """An opportunity's row from its sums, as `_row` makes it from its events: `firsts` are the shown
    folds' first reports ((published, article, event), reports folded), each stage's newest first,
    read as evidence for their stages; `counts` each stage's folds in all; `stage`, when known, its
    furthest (else the furthest its counts show)."""
    evidence: dict[str, list[dict[str, Any]]] = {s: [] for s in STAGES}
    for (_, article_id, event_id), n in firsts:
        e = details[(article_id, event_id)]
        evidence[e["stage"]].append(_evidence(e, n))
    reached = [s for s, n in zip(STAGES, counts) if n]
    return {"sides": sides, "sector": sector, "stage": stage or reached[-1], "stages": reached, "parties": parties,
            "reports": reports, "first_reported": first or None, "last_reported": last or None, "evidence": evidence,
            "evidence_total": dict(zip(STAGES, counts))}


def _summed_where(sector: str | None, country: str | None, stage: str | None, include_duplicates: bool) -> list[Any]:
    where = [G.c.scope == int(include_duplicates), G.c.country == (country or "").upper()]
    if sector:
        where.append(G.c.sector == sector)
    if stage:
        where.append(G.c.stage == STAGES.index(stage))
    return where


def _page(conn: Connection, sector: str | None, country: str | None, stage: str | None, include_duplicates: bool,
          limit: int | None, offset: int, evidence: int | None = None) -> list[dict[str, Any]]:
    """A page of opportunities read from their sums, each built from the first reports of its folds:
    the newest `evidence` of each stage, cut by the database (`_shown_folds`)."""
    where = _summed_where(sector, country, stage, include_duplicates)
    q = select(G).where(*where).order_by(by_code_point(conn, G.c.last).desc(), by_code_point(conn, G.c.side_a).desc(),
                                         by_code_point(conn, G.c.side_b).desc(), by_code_point(conn, G.c.sector).desc())
    q = q.limit(limit).offset(offset or 0) if limit is not None else q.offset(offset or 0)
    groups = conn.execute(q).all()
    if not groups:
        return []
    keys = [(g.side_a, g.side_b, g.sector) for g in groups]
    counts = {k: [g._mapping[c] for c in FOLDS] for g, k in zip(groups, keys)}
    folds: list[Any] = []
    for i in range(0, len(keys), CHUNK):
        folds += _shown_folds(conn, {k: counts[k] for k in keys[i:i + CHUNK]}, country, include_duplicates, evidence)
    details = _details(conn, {(f.article_id, f.event_id) for f in folds})
    firsts: dict[tuple, list[tuple[tuple, int]]] = {k: [] for k in keys}
    for f in sorted(folds, key=lambda f: (f.stage, f.published, f.article_id, f.event_id), reverse=True):
        firsts[(f.side_a, f.side_b, f.sector)].append(((f.published, f.article_id, f.event_id), f.reports))
    return [_summed_row([s for s in key[:2] if s], key[2] or None, [n for n in g.parties.split(PARTY_SEP) if n],
                        g.reports, g.first, g.last, firsts[key], counts[key], details) for g, key in zip(groups, keys)]


def _newest_first(conn: Connection, t: Any) -> list[Any]:
    """Folds newest first: by their first report's (published, article, event), descending."""
    return [by_code_point(conn, t.c.published).desc(), by_code_point(conn, t.c.article_id).desc(), by_code_point(conn, t.c.event_id).desc()]


def _shown_folds(conn: Connection, counts: dict[tuple[str, str, str], list[int]], country: str | None,
                 include_duplicates: bool, evidence: int | None) -> list[Any]:
    """The folds a page shows of the opportunities `counts` (key -> its folds per stage, kept in
    `pipeline_groups`): the newest `evidence` of each stage (all when None). One LIMIT per
    opportunity and stage, each read in order off `ix_pipeline_folds_newest` (migration 21), in one
    UNION ALL: a window (ROW_NUMBER) over the page's 74,000 folds sorted them all (0.4 s)."""
    cols = [F.c.side_a, F.c.side_b, F.c.sector, F.c.stage, F.c.article_id, F.c.event_id, F.c.published, F.c.reports]
    scope = [int(include_duplicates), (country or "").upper()]
    if evidence is None:
        q = select(*cols).where(F.c.scope == scope[0], F.c.country == scope[1],
                                keys_in([F.c.side_a, F.c.side_b, F.c.sector], sorted(counts)))
        return conn.execute(q).all()
    mark = dialect.param_mark(conn)
    collate = dialect.code_point_collation(conn)  # as Python orders text
    order = ", ".join(f"{c}{collate} DESC" for c in ("published", "article_id", "event_id"))
    one = (f"SELECT {', '.join(c.name for c in cols)} FROM {F.name} WHERE scope = {mark} AND country = {mark} "
           f"AND side_a = {mark} AND side_b = {mark} AND sector = {mark} AND stage = {mark} "
           f"ORDER BY {order} LIMIT {int(evidence)}")
    todo = [(*k, i) for k, n in sorted(counts.items()) for i in range(len(STAGES)) if n[i]]
    found: list[Any] = []
    for i in range(0, len(todo), STAGE_CHUNK):
        chunk = todo[i:i + STAGE_CHUNK]
        sql = " UNION ALL ".join(f"SELECT * FROM ({one}) AS t{j}" for j in range(len(chunk)))
        found += conn.exec_driver_sql(sql, tuple(v for k in chunk for v in (*scope, *k))).all()
    return found


def _details(conn: Connection, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The candidate events `wanted` (article, event), read as `_candidates` reads them."""
    events = sorted(wanted)
    details: dict[tuple[str, str], dict[str, Any]] = {}
    for i in range(0, len(events), CHUNK):
        chunk = events[i:i + CHUNK]
        details.update(((e["article_id"], e["id"]), e) for e in _candidates(
            conn, None, None, None, None, True, sorted({a for a, _ in chunk}), chunk))
    return details


def _sort_key(r: dict[str, Any]) -> tuple:
    return (r["last_reported"] or "", r["sides"], r["sector"] or "")


def _group(found: list[dict[str, Any]], sector: str | None) -> dict[tuple[tuple[str, ...], str | None], dict[str, Any]]:
    groups: dict[tuple[tuple[str, ...], str | None], dict[str, Any]] = {}
    for e in found:
        for sector_id in (e["sectors"] or [None]):
            if sector and sector_id != sector:
                continue
            key = (_sides(e), sector_id)
            group = groups.setdefault(key, {"sides": list(key[0]), "sector": sector_id, "events": []})
            group["events"].append(e)
    return groups


def _where(sector: str | None, country: str | None, since: queries.DateLike, until: queries.DateLike,
           include_duplicates: bool) -> list[Any]:
    """The filters of `_candidates`, on the summary's columns."""
    where = [*queries.since_clause(PE.c.when_end, since), *queries.until_clause(PE.c.when_start, until)]
    if not include_duplicates:
        where.append(PE.c.duplicate == 0)
    if sector:
        where.append(PE.c.sector == sector)
    if country:
        where.append(PE.c.countries.contains(f" {country.upper()} ", autoescape=True))
    return where


def _groups(conn: Connection, sector: str | None, country: str | None, stage: str | None,
            since: queries.DateLike, until: queries.DateLike, include_duplicates: bool) -> Any:
    """One row per opportunity: its sides, sector and last report; with `stage`, only those whose
    furthest stage it is, counting each event's reports once (the first, as `_row` folds them)."""
    where = _where(sector, country, since, until, include_duplicates)
    keys = [PE.c.side_a, PE.c.side_b, PE.c.sector]
    last = func.max(by_code_point(conn, PE.c.published)).label("last")
    if not stage:
        return select(*keys, last).where(*where).group_by(*keys)
    fold = _fold(conn)
    first = func.row_number().over(partition_by=[*keys, fold], order_by=[
        by_code_point(conn, func.coalesce(PE.c.published, "")), by_code_point(conn, PE.c.article_id), by_code_point(conn, PE.c.event_id)])
    events = (select(*keys, PE.c.published, PE.c.stage, first.label("first"))
              .select_from(_with_stories()).where(*where).subquery())
    e = events.c
    reached = func.max(case((e.first == 1, e.stage), else_=-1))
    return (select(e.side_a, e.side_b, e.sector, func.max(by_code_point(conn, e.published)).label("last"))
            .group_by(e.side_a, e.side_b, e.sector).having(reached == STAGES.index(stage)))


def _order(conn: Connection, q: Any) -> list[Any]:
    """`_sort_key`, newest first, in SQL (no two opportunities share sides and sector)."""
    c = q.selected_columns
    return [by_code_point(conn, func.coalesce(c.last, "")).desc(), by_code_point(conn, c.side_a).desc(),
            by_code_point(conn, c.side_b).desc(), by_code_point(conn, c.sector).desc()]


def record(conn: Connection, article_ids: list[str]) -> list[dict[str, Any]]:
    """Add the stored articles' candidate events to `summary.pipeline_events` (they are not there
    yet), read from their stored rows by `_candidates`, as `grouped` reads them; returns the rows
    added, which `pipeline_groups.add` counts into the opportunities' sums."""
    added: list[dict[str, Any]] = []
    for i in range(0, len(article_ids), CHUNK):
        rows = []
        for e in _candidates(conn, None, None, None, None, True, article_ids[i:i + CHUNK]):
            sides = [*_sides(e), "", ""]
            for slot, sector_id in enumerate(e["sectors"] or [None]):
                rows.append({"article_id": e["article_id"], "event_id": e["id"], "slot": slot, "side_a": sides[0],
                             "side_b": sides[1], "sector": sector_id or "", "stage": STAGES.index(e["stage"]),
                             "published": e["published"], "when_start": e["when_start"], "when_end": e["when_end"],
                             "duplicate": int(e["duplicate"]), "countries": "".join(f" {c}" for c in e["countries"]) + " ",
                             "fold": " ".join(e["sentence"].lower().split()),
                             "parties": PARTY_SEP.join([*e["actors"], *e["recipients"]]),
                             "story": e["story_id"] or ""})
        if rows:
            conn.execute(PE.insert(), rows)
            added += rows
    return added


def _fold(conn: Connection) -> Any:
    """An event's reports fold by story (where one is told), else by sentence, as `_row` folds them."""
    return func.coalesce(func.nullif(story_reports.c.story_id, ""), PE.c.fold)


def _with_stories() -> Any:
    return PE.outerjoin(story_reports, (story_reports.c.article_id == PE.c.article_id)
                        & (story_reports.c.report == PE.c.event_id))


def _build(conn: Connection, keys: list[tuple[str, str, str]], sector: str | None, country: str | None,
           stage: str | None, since: queries.DateLike, until: queries.DateLike,
           include_duplicates: bool, evidence: int | None = None) -> list[dict[str, Any]]:
    """The opportunities `keys` (side_a, side_b, sector), in `_sort_key` order, as `_row` makes them:
    counts and parties summed by the database, evidence built from each event's first report only."""
    if not keys:
        return []
    where = _where(sector, country, since, until, include_duplicates)
    group = [PE.c.side_a, PE.c.side_b, PE.c.sector]
    counts: dict[tuple, tuple] = {}
    parties: dict[tuple, set[str]] = {k: set() for k in keys}
    firsts: list[Any] = []
    for i in range(0, len(keys), CHUNK):
        chosen = tuple_(*group).in_(keys[i:i + CHUNK])
        for r in conn.execute(select(*group, func.count(), func.min(by_code_point(conn, PE.c.published)),
                                     func.max(by_code_point(conn, PE.c.published)))
                              .where(*where, chosen).group_by(*group)):
            counts[tuple(r[:3])] = tuple(r[3:])
        for r in conn.execute(select(*group, PE.c.parties).where(*where, chosen).distinct()):
            parties[tuple(r[:3])].update(n for n in r.parties.split(PARTY_SEP) if n)
        fold = _fold(conn)
        events = (select(*group, PE.c.article_id, PE.c.event_id, PE.c.published, PE.c.stage,
                         func.row_number().over(partition_by=[*group, fold], order_by=[
                             by_code_point(conn, func.coalesce(PE.c.published, "")), by_code_point(conn, PE.c.article_id),
                             by_code_point(conn, PE.c.event_id)]).label("first"),
                         func.count().over(partition_by=[*group, fold]).label("reports"))
                  .select_from(_with_stories()).where(*where, chosen).subquery())
        firsts += conn.execute(select(events).where(events.c.first == 1)).all()
    by_key: dict[tuple, list[tuple[tuple, int, int]]] = {k: [] for k in keys}
    for r in firsts:
        by_key[(r.side_a, r.side_b, r.sector)].append(((r.published or "", r.article_id, r.event_id), r.stage,
                                                        r.reports))
    shown = {k: newest(f, evidence) for k, f in by_key.items()}
    details = _details(conn, {(order[1], order[2]) for kept, _ in shown.values() for order, _ in kept})
    rows = []
    for key in keys:
        if key not in counts:  # no events within the filters (`evidence_page` asks for one by its key)
            continue
        reports, first, last = counts[key]
        rows.append(_summed_row([s for s in key[:2] if s], key[2] or None, sorted(parties[key]), reports, first, last,
                                *shown[key], details))
    if stage:
        rows = [r for r in rows if r["stage"] == stage]
    rows.sort(key=_sort_key, reverse=True)
    return rows


def _candidates(conn: Connection, sector: str | None, country: str | None, since: queries.DateLike,
                until: queries.DateLike, include_duplicates: bool,
                articles: list[str] | None = None, events: list[tuple[str, str]] | None = None,
                ) -> list[dict[str, Any]]:
    """Events of the stage table's types, not negated, each with its stage, parties, story and
    sentence; of the given `articles` only, and only the (article, event) `events`, when given."""
    types = sorted({r.type for r in _rules()})
    sentence = queries.event_sentence()
    # of some articles, the type is read off their rows, not the type's index (all its events: 0.3 s)
    typed = V.c.type if articles is None else V.c.type + ""
    where = [*queries.canonical_only(include_duplicates), *queries.since_clause(V.c.when_end, since),
             *queries.until_clause(V.c.when_start, until), typed.in_(types), V.c.negated.is_(False)]
    if sector:
        where.append(queries.has_sector(sector))
    if country:
        where.append(queries.has_party_from(country))
    if articles is not None:
        where.append(V.c.article_id.in_(articles))
    if events is not None:
        where.append(tuple_(V.c.article_id, V.c.id).in_(events))
    q = (select(V, A.c.headline, A.c.duplicate_of, A.c.published, sentence.label("sentence_text"), story_reports.c.story_id)
         .select_from(V.join(A, A.c.id == V.c.article_id).outerjoin(
             story_reports, (story_reports.c.article_id == V.c.article_id) & (story_reports.c.report == V.c.id)))
         .where(*where))
    found = []
    for r in conn.execute(q):
        e = queries.event_row(r._mapping)
        e["stage"] = stage_of(r.type, r.trigger_text or "", r.sentence_text or "", bool(r.hypothetical))
        if e["stage"] is None:
            continue
        e["sentence"] = (r.sentence_text or "").strip()
        e["story_id"] = r.story_id
        e["duplicate"] = r.duplicate_of is not None
        found.append(e)
    if events is not None:  # a page's first reports: only the entities they name are read
        pipeline_details.add_details(conn, found)
        return found
    queries.add_event_details(conn, found)
    queries.add_country_by_role(conn, found)
    return found


def _sides(e: dict[str, Any]) -> tuple[str, ...]:
    """The two sides, as countries where known, else names: "CHN" and "PAK", or "Acme Corp"."""
    sides = []
    for role in ("actor", "recipient"):
        country = e[f"{role}_country"]
        names = e[f"{role}s"]
        sides.append(country or (names[0] if names else None))
    return tuple(sorted({s for s in sides if s}))


def _row(group: dict[str, Any]) -> dict[str, Any]:
    events = group["events"]
    stages: dict[str, list[dict[str, Any]]] = {s: [] for s in STAGES}
    seen: dict[str, dict[str, Any]] = {}
    for e in sorted(events, key=lambda e: (e["published"] or "", e["article_id"], e["id"])):
        fold = e["story_id"] or " ".join(e["sentence"].lower().split())
        if fold in seen:  # another report of the same event
            seen[fold]["reports"] += 1
            continue
        seen[fold] = evidence = _evidence(e, 1)
        stages[e["stage"]].append(evidence)
    for found in stages.values():
        found.reverse()  # newest first, as a page shows them
    reached = [s for s in STAGES if stages[s]]
    reported = sorted(e["published"] for e in events if e["published"])  # when reported, not when planned
    parties = sorted({n for e in events for n in [*e["actors"], *e["recipients"]]})
    return {"sides": group["sides"], "sector": group["sector"], "stage": reached[-1], "stages": reached,
            "parties": parties, "reports": len(events), "first_reported": reported[0] if reported else None,
            "last_reported": reported[-1] if reported else None, "evidence": stages,
            "evidence_total": {s: len(stages[s]) for s in STAGES}}


def _evidence(e: dict[str, Any], reports: int) -> dict[str, Any]:
    """One event's evidence for its stage, with how many reports of it fold into it."""
    return {"article_id": e["article_id"], "event_id": e["id"], "type": e["type"], "date": e["date"] or e["when_start"],
            "published": e["published"], "headline": e["headline"], "actors": e["actors"],
            "recipients": e["recipients"], "sentence": e["sentence"], "story_id": e["story_id"], "reports": reports}


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """The row for a CSV cell grid: `evidence` the furthest stage's sentences joined by " | ", and
    each stage's sentences and articles, instead of the nested `evidence`; where the row holds only
    the first pieces of a stage (`evidence_total` says more), the sentences end with how many more."""
    out = {k: v for k, v in row.items() if k not in ("evidence", "evidence_total")}
    totals = row.get("evidence_total") or {}

    def joined(stage: str) -> str:
        found = row["evidence"][stage]
        more = totals.get(stage, len(found)) - len(found)
        return " | ".join([*(e["sentence"] for e in found), *([f"(+{more} more)"] if more > 0 else [])])

    out["evidence"] = joined(row["stage"])
    for stage in STAGES:
        out[f"{stage}_evidence"] = joined(stage)
        out[f"{stage}_articles"] = [e["article_id"] for e in row["evidence"][stage]]
    return out
