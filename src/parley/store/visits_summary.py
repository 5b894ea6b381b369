"""The visits listing's summary (migration 17), so a deep page, a place or a visitor country reads
indexed rows and `visits.py` builds full visits only for the page's articles (a page at offset 1000
built every visit before it: 0.5-0.9 s on a 100,000-article store).

`_summary_visit_events` has one row per engagement event (`visits.kind_of`, not negated) of a stored
article: its dates, the `geo` of its place (`visits._place_of`), whether its article is a
near-duplicate, its visit (its place in the article's list of visits; -1 when it is in none, as it
still orders its article) and its place in the visit, and the visitor countries and sectors the
visit shows when this event is the one that meets the filters (`visits.summary_rows`).
`_summary_visit_keys` lists the articles with a visit from each visitor country and of each sector.
Both are tables of `summary.metadata`, so a store written before migration 17 has them (migration 4
creates that metadata's tables). A visit depends on its article's rows only, and an article's
`duplicate_of` never changes once written, so the writer adds a stored article's rows in its
transaction (`add`); `refresh` counts articles again from their rows (every article when None: the
migration, `benchmarks/`, a store whose articles were deleted).

A page (`page`) reads the rows in the period and the place, of articles with the visitor country
and the sector, newest first: an article's first row read is its newest and orders it, as
`visits_scan` orders articles by their newest candidate event. For each article met, its rows say
which of its visits meet the filters exactly (`VisitCheck`, as `visits_of` applies it), so counting
down to the page costs a few rows per article, not the article. A visitor country or sector found
in few rows, or a place whose rows are fewer than a page would read newest first, is read off its
own index and sorted; otherwise the rows are read off `ix_visit_events_newest` in order until the
page is full (`_articles`, `_plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Connection

from . import schema, summary
from .queries import since_clause, until_clause
from .visits import PlaceScope, VisitCheck, articles_of, summary_rows

#: Separates (and frames) the sectors in a text column; country codes are framed by spaces.
SEP = "\x1f"
#: Articles read per query when the rows are counted (IN lists), and the fewest a page reads at once.
CHUNK, MIN_CHUNK = 500, 20
#: Rows read per batch when a page is picked at first; each further batch is sized by `_next_batch`.
FIRST_BATCH = 200
#: A page whose visitor country or sector is found in at most FEW_ARTICLES articles reads every row
#: passing its filters and sorts them; so may one whose place holds at most FEW_ROWS rows (`_plan`).
FEW_ROWS, FEW_ARTICLES = 10_000, 5_000
#: A row sorted costs about as much as this many read newest first (grouped, looked up, sorted:
#: 0.02 ms against 0.005 on the 100,000-article benchmark store), as `_plan` weighs the two ways.
SORTED_ROW_COST = 4

visit_events = Table(
    "_summary_visit_events", summary.metadata,
    Column("article_id", String, nullable=False), Column("event_id", String, nullable=False),
    Column("duplicate", Integer, nullable=False),  # 1 for a near-duplicate article's event
    Column("visit", Integer, nullable=False),  # its visit's place in the article's list; -1 in none
    Column("pos", Integer, nullable=False),  # its place in its visit
    Column("newest", String, nullable=False),  # when_start, '' when none: sorts last newest first
    Column("when_start", String), Column("when_end", String),
    Column("place_name", String), Column("place_kind", String), Column("place_country", String),
    Column("place_admin1", String), Column("place_geonameid", Integer),  # its place's geo; NULL none
    Column("visitors", String, nullable=False),  # the visit's visitor countries with this event the hit: " CHL KEN "
    Column("sectors", Text, nullable=False),  # the visit's sectors so, framed by SEP
    PrimaryKeyConstraint("article_id", "event_id"),
)
Index("ix_visit_events_newest", visit_events.c.newest.desc(), visit_events.c.article_id, visit_events.c.event_id)
Index("ix_visit_events_country", visit_events.c.place_country, visit_events.c.place_admin1)
Index("ix_visit_events_place", visit_events.c.place_geonameid)
Index("ix_visit_events_name", visit_events.c.place_name, visit_events.c.place_kind)
T = visit_events

visit_keys = Table(
    "_summary_visit_keys", summary.metadata,  # the articles with a visit from a country, or of a sector
    Column("key", String, nullable=False),  # country | sector
    Column("value", String, nullable=False), Column("article_id", String, nullable=False),
    PrimaryKeyConstraint("key", "value", "article_id"),
)
Index("ix_visit_keys_article", visit_keys.c.article_id)
K = visit_keys


# --- writing -------------------------------------------------------------------------------------

def _frame(items: Iterable[str], sep: str) -> str:
    items = list(dict.fromkeys(items))
    return sep + sep.join(items) + sep if items else ""


def rows_of(conn: Connection, ids: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The summary rows of the stored articles `ids`: their engagement events, and their keys."""
    out: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        dup = {r.id: r.duplicate_of is not None for r in conn.execute(
            select(schema.articles.c.id, schema.articles.c.duplicate_of).where(schema.articles.c.id.in_(chunk)))}
        arts = articles_of(conn, chunk, sentences=False)
        for aid in chunk:
            if aid not in arts:
                continue
            rows = summary_rows(arts[aid])
            for key, field in (("country", "visitors"), ("sector", "sectors")):
                keys += [{"key": key, "value": v, "article_id": aid} for v in sorted({v for r in rows for v in r[field]})]
            for r in rows:
                out.append({**r, "article_id": aid, "duplicate": int(dup[aid]), "newest": r["when_start"] or "",
                            "visitors": _frame(r["visitors"], " "), "sectors": _frame(r["sectors"], SEP)})
    return out, keys


def add(conn: Connection, ids: list[str]) -> None:
    """Add the rows of articles just stored (in the writer's transaction)."""
    rows, keys = rows_of(conn, ids)
    if rows:
        conn.execute(T.insert(), rows)
    if keys:
        conn.execute(K.insert(), keys)


def refresh(conn: Connection, ids: list[str] | None) -> None:
    """Count again the articles `ids` (every stored article when None) from their rows: an article no
    longer stored loses its rows."""
    if ids is None:
        conn.execute(delete(T))
        conn.execute(delete(K))
        a = schema.articles
        last = ""
        while True:
            chunk = list(conn.execute(select(a.c.id).where(a.c.id > last).order_by(a.c.id).limit(CHUNK)).scalars())
            if not chunk:
                return
            add(conn, chunk)
            last = chunk[-1]
    todo = sorted(set(ids))
    for i in range(0, len(todo), CHUNK):
        conn.execute(delete(T).where(T.c.article_id.in_(todo[i:i + CHUNK])))
        conn.execute(delete(K).where(K.c.article_id.in_(todo[i:i + CHUNK])))
        add(conn, todo[i:i + CHUNK])


def create(conn: Connection) -> None:
    """Migration 17: the tables, their indexes and the rows of every stored article."""
    for t in (T, K):
        t.create(conn, checkfirst=True)
    refresh(conn, None)
    for t in (T, K):
        conn.exec_driver_sql(f"ANALYZE {t.name}")


# --- reading -------------------------------------------------------------------------------------

def place_clause(scope: PlaceScope) -> Any:
    """`scope.contains(geo)` on the rows' place columns."""
    same = and_(T.c.place_name == scope.name, T.c.place_kind == scope.kind,
                T.c.place_country.is_(None) if scope.country is None else T.c.place_country == scope.country)
    terms = [same]
    if scope.geonameid is not None:
        terms.append(T.c.place_geonameid == scope.geonameid)
    if scope.kind == "continent" and scope.countries:
        terms.append(T.c.place_country.in_(sorted(scope.countries)))
    elif scope.kind == "country" and scope.country:
        terms.append(T.c.place_country == scope.country)
    elif scope.kind == "admin1" and scope.country:
        terms.append(and_(T.c.place_country == scope.country,
                          T.c.place_admin1.is_(None) if scope.admin1 is None else T.c.place_admin1 == scope.admin1))
    return or_(*terms)


def _where(check: VisitCheck, include_duplicates: bool, few: bool) -> list[Any]:
    """The rows that order an article: in the period and the place (as `visits_scan` reads its
    candidates), of an article with a visit from the visitor country and of the sector (the
    articles listed when they are `few`, else each row's article looked up)."""
    where = [*since_clause(T.c.when_end, check.since), *until_clause(T.c.when_start, check.until)]
    if check.until:  # the same rows (a row without a start fails `until`), in a form the index seeks to
        where.append(T.c.newest < check.until + "Z")
    if not include_duplicates:
        where.append(T.c.duplicate == 0)
    if check.place is not None:
        where.append(place_clause(check.place))
    for key, value in _keys(check):
        with_key = _with_key(key, value)
        where.append(T.c.article_id.in_(with_key) if few else with_key.where(K.c.article_id == T.c.article_id).exists())
    return where


def _keys(check: VisitCheck) -> list[tuple[str, str]]:
    return [(k, v) for k, v in (("country", check.visitor_country), ("sector", check.sector)) if v]


def _with_key(key: str, value: str) -> Any:
    return select(K.c.article_id).where(K.c.key == key, K.c.value == value)


def _articles(conn: Connection, check: VisitCheck, include_duplicates: bool, want: int | None,
              batch_size: Callable[[int], int]) -> Iterator[list[str]]:
    """The articles with rows passing `where`, newest first, a batch at a time, for a page that
    ends at the `want`-th visit (None: every visit). Either every row passing the filters is read
    off its filter's index and sorted (`_sorted`), or the rows are read newest first off
    `ix_visit_events_newest`, each batch from where the last one stopped (keyset: a deep page does
    not read its first rows again) and of `batch_size(rows read)` rows, until the page is full.
    Which is cheaper (`_plan`): a visitor country or a sector of few articles is sorted; a place of
    `n` rows among `total` is met about every total/n rows newest first, so a page of `want` visits
    reads about want * total / n rows that way against n sorted (a province sorted; a country, whose
    rows are many but common, newest first), a sorted row weighed as SORTED_ROW_COST rows read
    newest first. Newest first reads no further back than the row as many places down the index
    as sorting would cost (`_floor`: a place's rows may lie far back in time); past it, the articles
    not met yet are sorted, and follow those met."""
    seen: set[str] = set()
    few, place_rows = _plan(conn, check, want)
    if few:
        yield _sorted(conn, check, include_duplicates, seen)
        return
    floor = None if place_rows is None else _floor(conn, SORTED_ROW_COST * place_rows)
    q = select(T.c.article_id, T.c.newest, T.c.event_id).where(*_where(check, include_duplicates, False),
                                                                 *([] if floor is None else [T.c.newest >= floor]))
    read, last = 0, None
    while True:
        batch = batch_size(read)
        after = q if last is None else q.where(T.c.newest <= last.newest, or_(
            T.c.newest < last.newest, T.c.article_id > last.article_id,
            and_(T.c.article_id == last.article_id, T.c.event_id > last.event_id)))
        rows = conn.execute(after.order_by(T.c.newest.desc(), T.c.article_id, T.c.event_id).limit(batch)).all()
        read += len(rows)
        new = [r.article_id for r in rows if r.article_id not in seen]
        seen.update(new)
        if new:
            yield list(dict.fromkeys(new))
        if len(rows) < batch:
            if floor is not None:  # every row down to the floor read: the rest sorted
                yield _sorted(conn, check, include_duplicates, seen)
            return
        last = rows[-1]


def _floor(conn: Connection, rows: int) -> str | None:
    """The `newest` of the row `rows` places down `ix_visit_events_newest` (read off the index alone);
    None when the table has no more rows."""
    return conn.execute(select(T.c.newest).order_by(T.c.newest.desc()).limit(1).offset(rows)).scalar()


def _sorted(conn: Connection, check: VisitCheck, include_duplicates: bool, seen: set[str]) -> list[str]:
    """Each article with rows passing the filters once, by its newest row (the order its first row
    read newest first gives), but those `seen` already (the first ones in that order)."""
    newest = func.max(T.c.newest)
    return [a for a in conn.execute(select(T.c.article_id).where(*_where(check, include_duplicates, True))
                                    .group_by(T.c.article_id).order_by(newest.desc(), T.c.article_id)).scalars()
            if a not in seen]


def _plan(conn: Connection, check: VisitCheck, want: int | None) -> tuple[bool, int | None]:
    """(whether to sort every row passing the filters, the rows of the place when at most `FEW_ROWS`):
    sorted when the visitor country or the sector is in at most `FEW_ARTICLES` articles, or the place
    holds at most `FEW_ROWS` rows and reading newest first would read more (see `_articles`), each
    counted no further."""
    def at_most(q: Any, cap: int) -> int | None:
        n = conn.execute(select(func.count()).select_from(q.limit(cap + 1).subquery())).scalar_one()
        return n if n <= cap else None

    if check.place is None:
        return any(at_most(_with_key(k, v), FEW_ARTICLES) is not None for k, v in _keys(check)), None
    n = at_most(select(T.c.article_id).where(place_clause(check.place)), FEW_ROWS)
    if any(at_most(_with_key(k, v), FEW_ARTICLES) is not None for k, v in _keys(check)):
        return True, n
    if n is None:
        return False, None
    if want is None:
        return True, n
    total = conn.execute(select(func.count()).select_from(T)).scalar_one()
    return SORTED_ROW_COST * n * n <= want * total, n


#: The columns `visits_met` reads.
_CHECKED = [T.c[n] for n in ("article_id", "visit", "pos", "when_start", "when_end", "place_name", "place_kind",
                             "place_country", "place_admin1", "place_geonameid", "visitors", "sectors")]


def _geo(r: Any) -> dict[str, Any] | None:
    geo = {"name": r.place_name, "kind": r.place_kind, "country": r.place_country, "admin1": r.place_admin1,
           "geonameid": r.place_geonameid}
    return geo if any(v is not None for v in geo.values()) else None


def _split(text: str, sep: str) -> list[str]:
    return [x for x in text.split(sep) if x]


def visits_met(rows: list[Any], check: VisitCheck) -> list[int]:
    """The article's visits (their places in its list) that meet the filters, in the order `visits_of`
    gives them: the newest hit first, ties in the list's order; `rows` are the article's rows."""
    found = []
    members: dict[int, list[Any]] = {}
    for r in sorted(rows, key=lambda r: (r.visit, r.pos)):
        if r.visit >= 0:
            members.setdefault(r.visit, []).append(r)
    for n, group in sorted(members.items()):
        hits = [r for r in group if check.at(_geo(r)) and check.during(r.when_start, r.when_end)]
        if not hits:
            continue
        hit = max(hits, key=lambda r: r.when_start or "")
        if check.visit({"visitor_countries": _split(hit.visitors, " "), "sectors": _split(hit.sectors, SEP)}):
            found.append((hit.when_start or "", n))
    return [n for _, n in sorted(found, key=lambda x: x[0], reverse=True)]


def page(conn: Connection, check: VisitCheck, include_duplicates: bool, limit: int | None,
         offset: int) -> list[tuple[str, int]]:
    """The page's visits as (article id, place among the article's visits that meet the filters).
    The articles met are counted a few at a time, about as many as visits are still wanted (an
    article gives none, one or more), so a batch of thousands of articles is not read for a page;
    rows are read newest first in batches sized by the rows each visit took so far (`_next_batch`)."""
    want = None if limit is None else offset + limit
    found: list[tuple[str, int]] = []
    for ids in _articles(conn, check, include_duplicates, want, lambda read: _next_batch(read, len(found), want)):
        while ids:
            size = CHUNK if want is None else min(CHUNK, max(want - len(found), MIN_CHUNK))
            chunk, ids = ids[:size], ids[size:]
            rows: dict[str, list[Any]] = {aid: [] for aid in chunk}
            for r in conn.execute(select(*_CHECKED).where(T.c.article_id.in_(chunk))):
                rows[r.article_id].append(r)
            for aid in chunk:
                found.extend((aid, k) for k in range(len(visits_met(rows[aid], check))))
                if want is not None and len(found) >= want:
                    return found[offset:want]
    return found[offset:want]


def _next_batch(read: int, found: int, want: int | None) -> int:
    """Rows to read next, `read` rows having given `found` visits of the `want` wanted: about as many
    as the visits still wanted took so far, a quarter more; at least FIRST_BATCH, at most three times
    the rows read (the batches grow fourfold while no visit has been found, or every one is wanted)."""
    most = max(FIRST_BATCH, 3 * read)
    if want is None or not found:
        return most
    return min(most, max(FIRST_BATCH, -(-(want - found) * read * 5 // (4 * found))))


__all__ = ["add", "create", "page", "refresh", "rows_of", "visit_events", "visits_met"]
