"""Read queries behind `Store`'s listing methods; each returns plain, JSON-serialisable dicts.

Near-duplicates (articles with `duplicate_of` set) are left out unless `include_duplicates`.
Dates are ISO strings compared as text, and a filter keeps a date whose period overlaps it: `until`
is inclusive at its own precision (until="2025-03" keeps every day of March), and `since` keeps a
year or a month that it falls in (since="2025-01-01" keeps an event dated "2025").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    desc,
    distinct,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.engine import Connection

from . import schema as s
from .tables import period_days

A, E, M, R, Q, V = s.articles, s.entities, s.mentions, s.roles, s.quotes, s.events
P, VS = s.event_participants, s.event_sectors

DateLike = str | date | None


def iso(value: DateLike) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value else None)


def since_clause(col: Any, since: DateLike) -> list[ColumnElement[bool]]:
    """On or after `since` by overlap: a date whose period reaches `since` is kept, so an event dated
    "2025" (all of 2025) or "2025-06" matches since="2025-06-15"; "2024" or "2025-05" does not. A date
    without a year ("--04-20") never matches. The second term: `col` is a year or month that `since` falls in."""
    s = iso(since)
    if not s:
        return []
    return [or_(col >= s, and_(func.length(col) >= 4, col == func.substr(literal(s), 1, func.length(col))))]


def until_clause(col: Any, until: DateLike) -> list[ColumnElement[bool]]:
    """On or before `until` at its precision. The second term says the same for ISO dates in a form
    an index on `col` can seek to (a capital letter sorts after digits, "-", ":" and "T" in bytes and
    in the usual collations, which skip punctuation): an events list of an old year then starts at
    that year instead of walking down from the newest event."""
    u = iso(until)
    return [func.substr(col, 1, len(u)) <= u, col < u + "Z"] if u else []


def _page(query: Select, limit: int | None, offset: int) -> Select:
    return query.limit(limit).offset(offset or 0) if limit is not None else query.offset(offset or 0)


def canonical_only(include_duplicates: bool) -> list[ColumnElement[bool]]:
    return [] if include_duplicates else [A.c.duplicate_of.is_(None)]


def contains_text(col: Any, needle: str) -> ColumnElement[bool]:
    """Case-insensitive substring test; `%` and `_` in the needle are literal."""
    return col.contains(needle.lower(), autoescape=True)


# --- articles ------------------------------------------------------------------------------------

def _count_of(table: Any) -> Any:
    return select(func.count()).where(table.c.article_id == A.c.id).scalar_subquery()


ARTICLE_KEYS = ("id", "file", "url", "source", "published", "headline", "dateline", "language",
                "duplicate_of", "ingested_at", "entities", "mentions", "quotes", "events")


def articles(conn: Connection, since: DateLike = None, until: DateLike = None,
             include_duplicates: bool = False, limit: int | None = 100, offset: int = 0) -> list[dict]:
    q = select(
        A.c.id, A.c.file, A.c.url, A.c.source, A.c.published, A.c.headline, A.c.dateline,
        A.c.language, A.c.duplicate_of, A.c.ingested_at,
        _count_of(E).label("entities"), _count_of(M).label("mentions"),
        _count_of(Q).label("quotes"), _count_of(V).label("events"),
    ).where(*canonical_only(include_duplicates), *since_clause(A.c.published, since), *until_clause(A.c.published, until))
    q = q.order_by(A.c.published.desc().nulls_last(), A.c.id)
    return [dict(r._mapping) for r in conn.execute(_page(q, limit, offset))]


# --- search --------------------------------------------------------------------------------------

# --- entities ------------------------------------------------------------------------------------

def entities(conn: Connection, type: str | None = None, name: str | None = None,
             include_duplicates: bool = False, limit: int | None = 100, offset: int = 0) -> list[dict]:
    mc = select(M.c.article_id, M.c.entity_id, func.count().label("n")).group_by(
        M.c.article_id, M.c.entity_id).subquery()
    where = [*canonical_only(include_duplicates)]
    if type:
        where.append(E.c.type == type.upper())
    if name:
        where.append(contains_text(E.c.names_lc, name))
    q = (
        select(E.c.type, E.c.name, func.count(distinct(E.c.article_id)).label("articles"),
               cast(func.coalesce(func.sum(mc.c.n), 0), Integer).label("mentions"))
        .select_from(E.join(A, A.c.id == E.c.article_id).outerjoin(
            mc, and_(mc.c.article_id == E.c.article_id, mc.c.entity_id == E.c.id)))
        .where(*where).group_by(E.c.type, E.c.name)
        .order_by(desc("articles"), desc("mentions"), E.c.name, E.c.type)
    )
    groups = [dict(r._mapping) for r in conn.execute(_page(q, limit, offset))]
    _add_entity_details(conn, groups, where)
    return groups


def _add_entity_details(conn: Connection, groups: list[dict], where: list) -> None:
    """Most common country and sector, aliases and distinct role titles for each (type, name)."""
    if not groups:
        return
    keys = {(g["type"], g["name"]) for g in groups}
    rows = conn.execute(
        select(E.c.type, E.c.name, E.c.country, E.c.sector, E.c.aliases, R.c.title)
        .select_from(E.join(A, A.c.id == E.c.article_id).outerjoin(
            R, and_(R.c.article_id == E.c.article_id, R.c.entity_id == E.c.id)))
        .where(*where, E.c.name.in_({n for _, n in keys}))
    )
    info: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if (r.type, r.name) not in keys:
            continue
        d = info.setdefault((r.type, r.name), {"country": Counter(), "sector": Counter(),
                                               "aliases": {}, "roles": {}})
        # role rows repeat an entity's country once per title; good enough for "most common"
        d["country"][r.country] += r.country is not None
        d["sector"][r.sector] += r.sector is not None
        d["aliases"].update(dict.fromkeys(r.aliases or []))
        if r.title:
            d["roles"][r.title] = None
    for g in groups:
        d = info.get((g["type"], g["name"]), {})
        g["country"] = _top(d.get("country"))
        g["sector"] = _top(d.get("sector"))
        g["aliases"] = sorted(d.get("aliases", {}))
        g["titles"] = sorted(d.get("roles", {}))


def _top(counter: Counter | None) -> str | None:
    best = [(n, k) for k, n in (counter or {}).items() if k is not None and n > 0]
    return min(best, key=lambda x: (-x[0], x[1]))[1] if best else None


# --- quotes --------------------------------------------------------------------------------------

QUOTE_KEYS = ("article_id", "id", "speaker", "speaker_id", "speaker_text", "speaker_type", "speaker_country",
              "speaker_roles", "speaker_affiliation", "cue", "kind", "text", "start", "end", "stance",
              "headline", "published")

#: Speakers whose own name is their affiliation ("the Chamber of Commerce said").
_COLLECTIVE = ("ORG", "GROUP")


def quotes(conn: Connection, speaker: str | None = None, article_id: str | None = None,
           kind: str | None = None, cue: str | None = None, speaker_country: str | None = None,
           organisation: str | None = None, min_stance: float | None = None,
           max_stance: float | None = None, include_duplicates: bool = False,
           limit: int | None = 100, offset: int = 0) -> list[dict]:
    where = [*canonical_only(include_duplicates)]
    if speaker:
        where.append(or_(contains_text(E.c.names_lc, speaker),
                         contains_text(func.lower(Q.c.speaker_text), speaker)))
    if article_id:
        where.append(Q.c.article_id == article_id)
    if kind:
        where.append(Q.c.kind == kind)
    if cue:
        where.append(func.lower(Q.c.cue) == cue.lower())
    if speaker_country:
        where.append(E.c.country == speaker_country.upper())
    if organisation:
        where.append(_affiliated(organisation))
    if min_stance is not None:
        where.append(Q.c.stance >= min_stance)
    if max_stance is not None:
        where.append(Q.c.stance <= max_stance)
    q = (
        select(Q.c.article_id, Q.c.id, func.coalesce(E.c.name, Q.c.speaker_text).label("speaker"),
               Q.c.speaker.label("speaker_id"), Q.c.speaker_text, E.c.type.label("speaker_type"),
               E.c.country.label("speaker_country"),
               Q.c.cue, Q.c.kind, Q.c.text, Q.c.start, Q.c.end, Q.c.stance, A.c.headline, A.c.published)
        .select_from(Q.join(A, A.c.id == Q.c.article_id).outerjoin(
            E, and_(E.c.article_id == Q.c.article_id, E.c.id == Q.c.speaker)))
        .where(*where)
        .order_by(A.c.published.desc().nulls_last(), Q.c.article_id, Q.c.start, Q.c.id)
    )
    found = [dict(r._mapping) for r in conn.execute(_page(q, limit, offset))]
    _add_speaker_roles(conn, found)
    return [{k: row[k] for k in QUOTE_KEYS} for row in found]


def _affiliated(organisation: str) -> ColumnElement[bool]:
    """The speaker holds a role `of` that organisation, or is (an ORG or GROUP named) it."""
    role_of = select(R.c.entity_id).where(
        R.c.article_id == Q.c.article_id, R.c.entity_id == Q.c.speaker,
        contains_text(func.lower(R.c.of), organisation)).exists()
    return or_(role_of, and_(E.c.type.in_(_COLLECTIVE), contains_text(E.c.names_lc, organisation)))


def _add_speaker_roles(conn: Connection, found: list[dict]) -> None:
    """Each speaker's roles ({title, of}) and affiliations (the `of`s; an ORG/GROUP's own name first)."""
    if not found:
        return
    roles: dict[tuple[str, str], list[dict]] = {}
    ids = sorted({q["article_id"] for q in found if q["speaker_id"]})
    for i in range(0, len(ids), 500):  # bounded IN lists: SQLite caps bound parameters
        rows = conn.execute(select(R.c.article_id, R.c.entity_id, R.c.title, R.c.of).where(
            R.c.article_id.in_(ids[i:i + 500])).order_by(R.c.start.nulls_last(), R.c.title))
        for r in rows:
            roles.setdefault((r.article_id, r.entity_id), []).append({"title": r.title, "of": r.of})
    for q in found:
        q["speaker_roles"] = roles.get((q["article_id"], q["speaker_id"]), []) if q["speaker_id"] else []
        own = [q["speaker"]] if q["speaker_type"] in _COLLECTIVE else []
        q["speaker_affiliation"] = list(dict.fromkeys(own + [r["of"] for r in q["speaker_roles"] if r["of"]]))


# --- events --------------------------------------------------------------------------------------

def has_sector(sector: str) -> ColumnElement[bool]:
    """The event (V) lists this sector."""
    return select(VS.c.sector).where(
        VS.c.article_id == V.c.article_id, VS.c.event_id == V.c.id, VS.c.sector == sector).exists()


def has_party_from(country: str) -> ColumnElement[bool]:
    """An actor or recipient of the event (V) belongs to this country."""
    return select(P.c.entity_id).join(E, and_(E.c.article_id == P.c.article_id, E.c.id == P.c.entity_id)).where(
        P.c.article_id == V.c.article_id, P.c.event_id == V.c.id, E.c.country == country.upper()).exists()


def events(conn: Connection, type: str | None = None, country: str | None = None,
           sector: str | None = None, since: DateLike = None, until: DateLike = None,
           actor: str | None = None, include_duplicates: bool = False,
           limit: int | None = 100, offset: int = 0, *, mode: str | None = None,
           recipient: str | None = None, place: str | None = None,
           include_negated: bool = True) -> list[dict]:
    where = [*canonical_only(include_duplicates), *since_clause(V.c.when_end, since), *until_clause(V.c.when_start, until)]
    same_event = and_(P.c.article_id == V.c.article_id, P.c.event_id == V.c.id)
    if type:
        where.append(V.c.type == type.upper())
    if mode:
        where.append(func.lower(V.c.mode) == mode.lower())
    if not include_negated:
        where.append(V.c.negated.is_(False))
    if recipient:
        where.append(select(P.c.entity_id).join(
            E, and_(E.c.article_id == P.c.article_id, E.c.id == P.c.entity_id))
            .where(same_event, P.c.role == "recipient", contains_text(E.c.names_lc, recipient)).exists())
    if place:
        where.append(select(E.c.id).where(
            E.c.article_id == V.c.article_id, E.c.id == V.c.location,
            contains_text(func.lower(E.c.name), place)).exists())
    if sector:
        where.append(has_sector(sector))
    if country:
        where.append(has_party_from(country))
    if actor:
        where.append(select(P.c.entity_id).join(
            E, and_(E.c.article_id == P.c.article_id, E.c.id == P.c.entity_id))
            .where(same_event, P.c.role == "actor", contains_text(E.c.names_lc, actor)).exists())
    q = (
        select(V, A.c.headline, A.c.published)
        .select_from(V.join(A, A.c.id == V.c.article_id)).where(*where)
        .order_by(V.c.when_start.desc().nulls_last(), V.c.article_id, V.c.id)
    )
    found = [event_row(r._mapping) for r in conn.execute(_page(q, limit, offset))]
    add_event_details(conn, found)
    return found


# --- opportunities -------------------------------------------------------------------------------

OPPORTUNITY_KEYS = ("article_id", "published", "date", "actor", "actor_country", "recipient",
                    "recipient_country", "sectors", "evidence", "trigger")


def event_sentence() -> Any:
    """The event's (V) sentence, cut from its article's (A) text in the query. A negative length is
    an error on PostgreSQL (SQLite gives ''), so it is clamped."""
    length = V.c.sentence_end - V.c.sentence_start
    return func.substr(A.c.text, V.c.sentence_start + 1, case((length > 0, length), else_=0))


def opportunities(conn: Connection, sector: str | None = None, country: str | None = None,
                  since: DateLike = None, until: DateLike = None, include_duplicates: bool = False,
                  limit: int | None = 100, offset: int = 0) -> list[dict]:
    """AGREE events (an expressed intent to cooperate) that are not negated, newest first.

    `evidence` is the text of the quote overlapping the event (its trigger first, else its
    sentence), else the event's sentence from the article. `actor_country`/`recipient_country`
    are the first country found among the actors/recipients; `country` matches either side.
    """
    sentence = event_sentence()
    where = [*canonical_only(include_duplicates), *since_clause(V.c.when_end, since), *until_clause(V.c.when_start, until),
             V.c.type == "AGREE", V.c.negated.is_(False)]
    if sector:
        where.append(has_sector(sector))
    if country:
        where.append(has_party_from(country))
    q = (
        select(V, A.c.headline, A.c.published, sentence.label("sentence_text"))
        .select_from(V.join(A, A.c.id == V.c.article_id)).where(*where)
        .order_by(V.c.when_start.desc().nulls_last(), V.c.article_id, V.c.id)
    )
    found = []
    for r in conn.execute(_page(q, limit, offset)):
        e = event_row(r._mapping)
        e["sentence_text"] = r.sentence_text
        e["spans"] = ((r.trigger_start, r.trigger_end), (r.sentence_start, r.sentence_end))
        found.append(e)
    add_event_details(conn, found)
    add_country_by_role(conn, found)
    quotes = _quotes_of(conn, {e["article_id"] for e in found})
    out = []
    for e in found:
        q = best_quote(quotes.get(e["article_id"], []), *e["spans"])
        out.append({
            "article_id": e["article_id"], "published": e["published"],
            "date": e["date"] or e["when_start"],
            "actor": e["actors"], "actor_country": e["actor_country"],
            "recipient": e["recipients"], "recipient_country": e["recipient_country"],
            "sectors": e["sectors"],
            "evidence": q["text"] if q else (e["sentence_text"] or None),
            "trigger": e["trigger"],
        })
    return out


def add_country_by_role(conn: Connection, found: list[dict]) -> None:
    if not found:
        return
    ids = {e["article_id"] for e in found}
    country = {(r.article_id, r.id): r.country for r in conn.execute(
        select(E.c.article_id, E.c.id, E.c.country).where(E.c.article_id.in_(ids)))}
    for e in found:
        for role in ("actor", "recipient"):
            e[f"{role}_country"] = next(
                (c for x in e[f"{role}_ids"] if (c := country.get((e["article_id"], x)))), None)


def _quotes_of(conn: Connection, article_ids: set[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    ids = sorted(article_ids)
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(Q.c.article_id, Q.c.id, Q.c.text, Q.c.start, Q.c.end, Q.c.stance)
                              .where(Q.c.article_id.in_(ids[i:i + 500])).order_by(Q.c.start, Q.c.id)):
            out.setdefault(r.article_id, []).append(dict(r._mapping))
    return out


def best_quote(quotes: list[dict], trigger: tuple[Any, Any], sentence: tuple[Any, Any],
               need_stance: bool = False) -> dict | None:
    """The quote overlapping the trigger, else the one overlapping the sentence most; None if none.

    `quotes` are dicts with start, end (and stance); with `need_stance` only quotes with a stance count.
    """
    def overlap(q: dict, span: tuple[Any, Any]) -> int:
        if None in (q.get("start"), q.get("end"), *span):
            return 0
        return min(q["end"], span[1]) - max(q["start"], span[0])

    pool = [q for q in quotes if not need_stance or q.get("stance") is not None]
    for span in (trigger, sentence):
        hits = [(overlap(q, span), -n) for n, q in enumerate(pool) if overlap(q, span) > 0]
        if hits:
            return pool[-max(hits)[1]]
    return None


def event_row(r: Any) -> dict:
    """An event row. `date` is the date as analysed (ISO 8601 at its precision: "2025", "2025-03",
    "--04-20", or an interval "2025-03-19/2025-03-21"); `date_start` and `date_end` are real
    calendar days, the first and last of that period, so one column never mixes precisions."""
    start, end = period_days(r["date_start"], r["date_end"])
    return {
        "article_id": r["article_id"], "id": r["id"], "type": r["type"], "mode": r["mode"],
        "date": iso_period(r["date_start"], r["date_end"]),
        "date_start": start.isoformat() if start else None, "date_end": end.isoformat() if end else None,
        "date_text": r["date_text"], "precision": r["precision"], "when_start": r["when_start"], "when_end": r["when_end"],
        "location_id": r["location"], "trigger": r["trigger_text"],
        "negated": bool(r["negated"]), "hypothetical": bool(r["hypothetical"]),
        "confidence": r["confidence"], "headline": r["headline"], "published": r["published"],
    }


def iso_period(start: str | None, end: str | None) -> str | None:
    """A period as ISO 8601 writes it: "2025-03", or "2025-03-19/2025-03-21" when it spans days."""
    if not start:
        return None
    return start if not end or end == start else f"{start}/{end}"


def add_event_details(conn: Connection, found: list[dict]) -> None:
    """Actor and recipient names and ids, participant countries, location name and sectors."""
    if not found:
        return
    ids = {e["article_id"] for e in found}
    names = {(r.article_id, r.id): (r.name, r.country) for r in conn.execute(
        select(E.c.article_id, E.c.id, E.c.name, E.c.country).where(E.c.article_id.in_(ids)))}
    parts: dict[tuple[str, str], list] = {}
    for r in conn.execute(select(P).where(P.c.article_id.in_(ids))):
        name, country = names.get((r.article_id, r.entity_id), (None, None))
        parts.setdefault((r.article_id, r.event_id), []).append((r.role, r.entity_id, name, country))
    sectors: dict[tuple[str, str], list[str]] = {}
    for r in conn.execute(select(VS).where(VS.c.article_id.in_(ids))):
        sectors.setdefault((r.article_id, r.event_id), []).append(r.sector)
    for e in found:
        key = (e["article_id"], e["id"])
        p = parts.get(key, [])
        for role in ("actor", "recipient"):
            e[f"{role}s"] = [name or eid for r, eid, name, _ in p if r == role]
            e[f"{role}_ids"] = [eid for r, eid, _, _ in p if r == role]
        e["countries"] = sorted({c for _, _, _, c in p if c})
        e["location"] = names.get((e["article_id"], e["location_id"]), (None, None))[0]
        e["sectors"] = sectors.get(key, [])


# --- counts --------------------------------------------------------------------------------------

def counts(conn: Connection) -> dict[str, int]:
    """Totals over canonical articles; `entities` counts distinct (type, name) pairs."""
    canon = A.c.duplicate_of.is_(None)

    def rows(table: Any) -> int:
        return conn.execute(select(func.count()).select_from(
            table.join(A, A.c.id == table.c.article_id)).where(canon)).scalar_one()

    distinct_entities = select(E.c.type, E.c.name).join(A, A.c.id == E.c.article_id).where(
        canon).group_by(E.c.type, E.c.name).subquery()
    return {
        "articles": conn.execute(select(func.count()).select_from(A).where(canon)).scalar_one(),
        "near_duplicates": conn.execute(
            select(func.count()).select_from(A).where(A.c.duplicate_of.is_not(None))).scalar_one(),
        "entities": conn.execute(select(func.count()).select_from(distinct_entities)).scalar_one(),
        "mentions": rows(M),
        "quotes": rows(Q),
        "events": rows(V),
    }


# --- totals of listings ------------------------------------------------------------------------

class _Counted(Exception):
    def __init__(self, n: int) -> None:
        self.n = n


class _CountingConnection:
    """A connection that answers a list query's first statement (the rows it selects) by counting
    those rows, and stops the query there: the count uses the list's own filters, never a copy."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        rows = statement.limit(None).offset(None).order_by(None).subquery()
        raise _Counted(self._conn.execute(select(func.count()).select_from(rows)).scalar_one())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def count_rows(query: Callable[..., Any]) -> Callable[..., int]:
    """`query(conn, **filters)`, a list query of the store, as a count of all the rows it selects."""
    def count(conn: Connection, **filters: Any) -> int:
        try:
            query(_CountingConnection(conn), **filters, limit=None, offset=0)
        except _Counted as counted:
            return int(counted.n)
        raise RuntimeError(f"{query.__name__} ran no query to count")  # pragma: no cover

    return count
