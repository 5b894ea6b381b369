"""New people joined from the stored identity tables, without re-resolving their whole surname.

A pass re-resolves a new person's surname from every stored article that carries it
(`persist._Region._people`): every joining rule needs a surname in common, and context decides
between the people of one surname. For a surname in a large share of the store (a head of
state's) that is a large share of the store. Most new mentions cannot change anything there: a
full name the store already holds joins the identity that holds it (rule 1: one full name, one
person), and a full name that no stored name relates to starts an identity of its own. Such a
mention is done here, from stored rows only, when nothing it brings can move another mention:

- its block, surname + the given name's initial: "same" and "variant" names share both, so the
  block's distinct full names (`resolve_keys` rows "fn:SURNAME:INITIAL", one per name) are all a
  full name can be related to. Neither its name nor a name of the identity it joins may have a
  spelling variant there (context decides those), and a new name may be "same" as none of them
  ("Anna Varga" / "Anna Maria Varga");
- bare surnames ("Mrs Varga"; rows "nb:SURNAME", one per article) join by context: the mention
  may not bring its identity a country, a role title or a co-occurring identity that some bare
  mention of its surname also has, unless the identity had it already; it may not be the first
  full name of a surname that had only bare mentions (row "nf:SURNAME": it has one); it may not
  be bare itself;
- its identity's id (from its earliest member) stays the same; the store holds no identity correction;
  its article is new (never resolved), not a copy, without copies.

Anything else re-resolves its surname as before. Where this path applies, re-resolving would
give the same identities (the joins it would make are the ones above, and the mentions it would
move are ruled out), so the result still does not depend on the order articles came in.
The stored mentions of a surname within a window of days (those a bare surname is decided by)
are read through its rows "nd:SURNAME|DAY", one per article, not through every article of the
surname. A store resolved before these rows existed has no "v:names3" row and always re-resolves.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Text, cast, insert, select
from sqlalchemy.engine import Connection

from ..store import resolved as T
from ..store import schema
from . import report_rows
from .identities import Identity, _id, _related, day, near, window
from .mentions import Local, local_from
from .names import Name, parse

MARKER = "v:names3"  # the name rows are complete: a store resolved from empty by this code


def name_rows(p: Local) -> tuple[str, str]:
    """The `resolve_keys` row of a person's name: ("nb:SURNAME", article) for a bare surname,
    ("fn:SURNAME:INITIAL", "FULL NAME\\tARTICLE") for a full name (one row per name)."""
    name = p.parsed
    if name.single:
        return "nb:" + name.surname, p.article
    return name_block(name.words), f"{name.full}\t{p.article}"


def day_row(p: Local) -> tuple[str, str]:
    """The `resolve_keys` row of a person's surname on their article's day: ("nd:SURNAME|DAY",
    article), "nd:SURNAME|" undated. The mentions of a surname within a window of days are read
    through these (`near_keys`), not through every article of the surname ("n:" rows) and its date:
    a head of state's surname is in a tenth of the store."""
    return day_key(p.parsed.surname, day(p.published)), p.article


def day_key(surname: str, d: date | None) -> str:
    return f"nd:{surname}|{d.isoformat() if d is not None else ''}"


def near_keys(surname: str, lo: date, hi: date, undated: bool) -> list[str]:
    """The `day_row` keys of the surname from day `lo` to day `hi`, and its undated one if asked."""
    return [day_key(surname, lo + timedelta(days=n)) for n in range((hi - lo).days + 1)] + (
        [day_key(surname, None)] if undated else [])


@dataclass
class Plan:
    """What this path does in one pass: the surname keys it takes, the new members of stored
    identities, and the new identities (by full name)."""

    keys: set[str] = field(default_factory=set)
    joins: dict[str, list[Local]] = field(default_factory=lambda: defaultdict(list))
    starts: dict[tuple[str, ...], list[Local]] = field(default_factory=lambda: defaultdict(list))
    rows: dict[str, Any] = field(default_factory=dict)  # stored identity id -> its row


def plan(conn: Connection, keys: set[str], fresh: dict[str, list[Local]], resolved_before: set[str],
         corrections: list[dict]) -> Plan:
    """Which of the surname keys `keys` ("n:varga") the new articles' people (`fresh`: article ->
    its people) can be added under from stored rows (module docstring)."""
    out = Plan()
    if any(c["target"] == "identity" for c in corrections) or not _marked(conn):
        return out
    people = [p for a, ps in sorted(fresh.items()) for p in ps if p.type == "PERSON"]
    by_surname: dict[str, list[Local]] = defaultdict(list)  # the full names
    bare_new: dict[str, list[Local]] = defaultdict(list)  # the bare surnames
    for p in people:
        (bare_new if p.parsed.single else by_surname)["n:" + p.parsed.surname].append(p)
    surnames = set(by_surname) | set(bare_new)
    slow = {k for k in surnames if any(p.article in resolved_before for p in by_surname[k] + bare_new[k])}
    todo = {k for k in surnames if k in keys} - slow
    if not todo:
        return out
    blocks = _block_names(conn, {name_rows(p)[0] for k in todo for p in by_surname[k]})
    bare = _bare_articles(conn, {k[2:] for k in todo})
    named = _named_surnames(conn, {k[2:] for k in todo})
    assign: dict[str, Any] = {}  # person key -> stored identity id, or a name's words for a new one
    wanted: dict[str, tuple[str, tuple[str, ...]]] = {}  # person key -> (article of its name, its words)
    varied = _Varied(blocks)
    variants: dict[str, dict[tuple[str, ...], str]] = {}  # person key -> its name's stored spelling variants
    for k in sorted(todo):
        fits = _fits_names(by_surname[k], blocks, bool(bare.get(k[2:])) and k[2:] not in named, variants)
        if fits is None:
            slow.add(k)
            continue
        wanted |= fits
    for vs in variants.values():
        wanted |= {_VARIANT + " ".join(v): (art, v) for v, art in vs.items()}
    located = _identities_of(conn, {art for art, _ in wanted.values()}, wanted)
    rows = _rows(conn, set(located.values()))
    for k in sorted(todo - slow):
        ps = by_surname[k]
        if any(p.key in wanted and located.get(p.key) not in rows for p in ps):
            slow.add(k)
            continue
        for p in ps:
            assign[p.key] = located[p.key] if p.key in wanted else p.parsed.words
        if not _same_ids(ps, assign, rows) or any(len(names := _names_of(rows[t])) > 1 and any(map(varied, names)) for t in
                                                  {assign[p.key] for p in ps if isinstance(assign[p.key], str)}):
            slow.add(k)
    dates = _dates(conn, {a for k in todo - slow for a in bare.get(k[2:], [])})
    signatures = {k: _signature(conn, k[2:], [a for a in bare[k[2:]] if any(near(dates.get(a), p.published)
                                                                          for p in by_surname[k])])
                  for k in todo - slow if bare.get(k[2:])}
    where = {q.key: k for k in surnames for q in by_surname[k] + bare_new[k]}
    singles = {q.key for qs in bare_new.values() for q in qs}
    changed = True
    while changed:  # a mention whose co-occurring people go the long way cannot be judged here
        changed = False
        for k in sorted(todo - slow):
            if k in signatures and not all(_keeps_bare(conn, p, assign, rows, signatures[k], where, slow)
                                           for p in by_surname[k]) or not all(
                    _keeps_variants(conn, p, assign, rows, located, variants[p.key], where, slow)
                    for p in by_surname[k] if p.key in variants):
                slow.add(k)
                changed = True
                continue
            for b in bare_new[k]:
                target = _place_bare(conn, b, by_surname[k] + bare_new[k], assign, where, singles, slow)
                if isinstance(target, str) and target not in rows:
                    rows |= _rows(conn, {target})
                if target is None or (isinstance(target, str) and target not in rows):
                    slow.add(k)
                    changed = True
                    break
                assign[b.key] = target
            else:
                if bare_new[k] and not _same_ids(by_surname[k] + bare_new[k], assign, rows):
                    slow.add(k)
                    changed = True
    for k in sorted(todo - slow):
        out.keys.add(k)
        for p in by_surname[k] + bare_new[k]:
            target = assign[p.key]
            if isinstance(target, str):
                out.joins[target].append(p)
                out.rows[target] = rows[target]
            else:
                out.starts[target].append(p)
    return out


def _marked(conn: Connection) -> bool:
    k = T.resolve_keys
    return conn.execute(select(k.c.key).where(k.c.key == MARKER, k.c.article_id == "")).first() is not None


def mark(conn: Connection) -> None:
    """Say the name rows are complete (called on a pass that starts from nothing resolved)."""
    if not _marked(conn):
        conn.execute(insert(T.resolve_keys), [{"key": MARKER, "article_id": ""}])


def _block_names(conn: Connection, blocks: set[str]) -> dict[str, dict[tuple[str, ...], str]]:
    """Each block's stored full names (as words), with an article that gives the name."""
    k = T.resolve_keys
    out: dict[str, dict[tuple[str, ...], str]] = {b: {} for b in blocks}
    for chunk in _chunks(blocks):
        for row in conn.execute(select(k.c.key, k.c.article_id).where(k.c.key.in_(chunk))):
            name, _, article = row.article_id.partition("\t")
            out[row.key][tuple(name.split())] = article
    return out


def _bare_articles(conn: Connection, surnames: set[str]) -> dict[str, list[str]]:
    k = T.resolve_keys
    out: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks("nb:" + s for s in surnames):
        for row in conn.execute(select(k.c.key, k.c.article_id).where(k.c.key.in_(chunk))):
            out[row.key[3:]].append(row.article_id)
    return out


def _dates(conn: Connection, articles: set[str]) -> dict[str, str | None]:
    a = schema.articles
    out: dict[str, str | None] = {}
    for chunk in _chunks(articles):
        out |= dict(conn.execute(select(a.c.id, a.c.published).where(a.c.id.in_(chunk))).all())
    return out


def _fits_names(ps: list[Local], blocks: dict, only_bare: bool, variants: dict) -> dict | None:
    """For people of one surname: each one whose full name is stored -> (an article of that name,
    the words); None when a name of theirs could be joined by context (a spelling variant of
    another new or unstored name, a new name "same" as another, the first full name of a surname
    only bare mentions had: those joined one another, and would now join it). Adds to `variants`
    a stored name's stored variants (with an article of each): `_keeps_variants` tells whether
    its new member can change them. Only the pairs with a new name are read, not every pair of
    a common surname's block."""
    out = {}
    by_block: dict[str, list[Local]] = defaultdict(list)
    for p in ps:
        by_block[name_rows(p)[0]].append(p)
    for block, mine in by_block.items():
        stored = blocks.get(block, {})
        new = {p.parsed.words for p in mine}
        parsed = {n: Name(n) for n in set(stored) | new}
        related: dict[tuple[str, ...], list[tuple[str, ...]]] = {}  # a new name -> its spelling variants
        for a in sorted(new):
            related[a] = []
            for b in sorted(parsed):
                if b == a:
                    continue
                rel = _related(parsed[a], parsed[b])
                if rel == "same" and (a not in stored or b not in stored):
                    return None
                if rel == "variant":
                    related[a].append(b)
        for p in mine:
            vs = related[p.parsed.words]
            if vs:
                if p.parsed.words not in stored or any(v not in stored for v in vs):
                    return None
                variants[p.key] = {v: stored[v] for v in vs}
            if p.parsed.words in stored:
                out[p.key] = (stored[p.parsed.words], p.parsed.words)
            elif only_bare:
                return None
    return out


class _Varied:
    """Whether a full name has a spelling variant among its block's stored names (`blocks`: the
    blocks read; a name of another block is taken as varied), each name asked once."""

    def __init__(self, blocks: dict[str, dict[tuple[str, ...], str]]) -> None:
        self.blocks = blocks
        self.seen: dict[tuple[str, ...], bool] = {}

    def __call__(self, words: tuple[str, ...]) -> bool:
        if words not in self.seen:
            block = self.blocks.get(name_block(words))
            name = Name(words)
            self.seen[words] = block is None or any(
                v != words and _related(name, Name(v)) == "variant" for v in block)
        return self.seen[words]


def name_block(words: tuple[str, ...]) -> str:
    """The `resolve_keys` block of a full name (`name_rows`): surname and initial."""
    return f"fn:{Name(words).surname}:{words[0][0]}"


_VARIANT = "~"  # `wanted` keys of the variants' names (a person's key has no "~")


def _keeps_variants(conn: Connection, p: Local, assign: dict, rows: dict, located: dict,
                    variants: dict[tuple[str, ...], str], where: dict[str, str], slow: set[str]) -> bool:
    """Whether `p` joining the stored identity of its name leaves the spelling-variant joins of
    that name as they are (`identities._people`, rule 2: the first mention, by key, of the name
    that sorts first must agree with the other name's mentions). The identity must hold that name
    alone, and so must each variant's; then for a variant sorting after it, `p` must not be the
    name's new first mention; for one sorting before, `p` must bring its name's mentions no
    country or title the variant's first mention has that they lacked, nor a person named with
    both."""
    n = p.parsed.words
    target = assign[p.key]
    if not isinstance(target, str) or _names_of(rows[target]) != {n}:
        return False
    tally = T._record(rows[target].tally)
    own = {k: v for k, v in tally["members"].items() if not v[3] and parse(v[2]).words == n}
    if not own:
        return False
    arts = {k.split("#", 1)[0] for k in own}
    countries = {v[1] for v in own.values() if v[1]}
    titles = {r[1] for r in tally["roles"] if r[0] in arts}
    for v in sorted(variants):
        if n < v:
            if p.key < min(own):
                return False
            continue
        other = located.get(_VARIANT + " ".join(v))
        if other not in rows or _names_of(rows[other]) != {v}:
            return False
        vt = T._record(rows[other].tally)
        first = min(k for k, m in vt["members"].items() if not m[3] and parse(m[2]).words == v)
        country = vt["members"][first][1]
        if p.country and p.country == country and p.country not in countries:
            return False
        if {r.title for r in p.roles} & ({r[1] for r in vt["roles"] if r[0] == first.split("#", 1)[0]} - titles):
            return False
        if p.others:
            if {where.get(k) for k in p.others} & slow:
                return False
            met = _others_of(conn, first)
            if met is None or {assign.get(k) for k in p.others} & met:
                return False
    return True


def _others_of(conn: Connection, key: str) -> set[str] | None:
    """The identities of the people named with a stored mention ("article#entity"; a bare one
    stands for itself, as before bare surnames join); None when its article's people are not stored."""
    article = key.split("#", 1)[0]
    text = conn.execute(select(PEOPLE).where(T.resolve_people.c.article_id == article)).scalar()
    found = stored_people(article, text) if text is not None else []
    me = next((q for q in found if q.key == key), None)
    if me is None:
        return None
    single = {q.key for q in found if q.parsed.single}
    ident = _stored_identities(conn, {article})
    return {k if k in single else ident.get(k, k) for k in me.others}


def _named_surnames(conn: Connection, surnames: set[str]) -> set[str]:
    """The surnames some stored full name has (rows "nf:SURNAME")."""
    k = T.resolve_keys
    out: set[str] = set()
    for chunk in _chunks("nf:" + s for s in surnames):
        out |= {key[3:] for key in conn.execute(select(k.c.key).where(k.c.key.in_(chunk))).scalars()}
    return out


def _identities_of(conn: Connection, articles: set[str], wanted: dict) -> dict[str, str]:
    """Person key -> the stored identity that holds its full name (through one stored mention of
    that name: its article's stored people give the entity, `identity_mentions` the identity)."""
    rp = T.resolve_people
    entity: dict[tuple[str, tuple[str, ...]], str] = {}
    for chunk in _chunks(articles):
        for row in conn.execute(select(rp.c.article_id, PEOPLE).where(rp.c.article_id.in_(chunk))):
            for q in stored_people(row.article_id, row.people):
                entity[(row.article_id, q.parsed.words)] = q.entities[0]
    found = _stored_identities(conn, {a for a, w in wanted.values() if (a, w) in entity})
    out = {}
    for key, (a, w) in wanted.items():
        e = entity.get((a, w))
        if e is not None and f"{a}#{e}" in found:
            out[key] = found[f"{a}#{e}"]
    return out


def _rows(conn: Connection, ids: set[str], record: bool = False) -> dict[str, Any]:
    """The stored rows of these people (only those a new member can be added to: with a tally,
    and one surname): id, name, country, block, tally (decoded), and with `record` the record."""
    i = T.identities
    columns = [i.c.id, i.c.name, i.c.country, i.c.block, cast(i.c.tally, Text).label("tally")]
    out = {}
    for chunk in _chunks(ids):
        for row in conn.execute(select(*columns, *([i.c.record] if record else [])).where(i.c.id.in_(chunk))):
            if row.tally is not None and " " not in row.block:
                out[row.id] = SimpleNamespace(**{**row._asdict(), "tally": _decoded(row.id, row.tally)})
    return out


_DECODED: OrderedDict[str, tuple[str, Any]] = OrderedDict()  # identity id -> (its tally as stored, decoded)
_DECODED_MIN = 1 << 12  # characters: a tally shorter than this is decoded each time
_DECODED_MAX = 32 << 20  # characters of the tallies kept, the least recently read dropped first


def forget() -> None:
    """Drop what `_decoded` and `stored_people` keep: a pass starts (what they keep serves the steps of
    one pass; a pass rolled back would leave the next one rows it read already)."""
    _DECODED.clear()
    _PEOPLE.clear()


PEOPLE = cast(T.resolve_people.c.people, Text).label("people")  # an article's people as stored, for `stored_people`
_PEOPLE: dict[str, tuple[str, list[Local]]] = {}  # article -> (its people as stored, read)
_PEOPLE_MAX = 20000  # articles kept


def stored_people(article: str, text: str) -> list[Local]:
    """An article's people as `resolve_people` stores them (`PEOPLE`: selected as text), read
    once for as long as they are stored as they were: the steps of a pass read an article's
    people again (a surname's window, then its spelling variants' mentions, then the people
    named with them). The people are shared: read-only."""
    seen = _PEOPLE.get(article)
    if seen is not None and seen[0] == text:
        return list(seen[1])
    found = [local_from(d) for d in json.loads(text)]
    if len(_PEOPLE) >= _PEOPLE_MAX:
        _PEOPLE.clear()
    _PEOPLE[article] = (text, found)
    return list(found)


def _decoded(ident: str, text: str) -> Any:
    """A stored tally, decoded. A head of state's is megabytes, and read by several steps of a
    pass (each new mention's checks, then its write): it is decoded once for as long as it is
    stored as it was. Readers take it as read-only."""
    if len(text) < _DECODED_MIN:
        return json.loads(text)
    seen = _DECODED.get(ident)
    if seen is not None and seen[0] == text:
        _DECODED.move_to_end(ident)
        return seen[1]
    value = json.loads(text)
    _DECODED[ident] = (text, value)
    held = sum(len(t) for t, _ in _DECODED.values())  # (on a miss only)
    while held > _DECODED_MAX:
        _, (t, _) = _DECODED.popitem(last=False)
        held -= len(t)
    return value


def _names_of(row: Any) -> set[tuple[str, ...]]:
    """The full names (as words) an identity's members are known by."""
    return _view("names", row.id, row.tally, lambda record: frozenset(
        words for v in record["members"].values() if len(words := _words(v[2])) > 1))


def _same_ids(ps: list[Local], assign: dict, rows: dict) -> bool:
    """No stored identity's id would change: each new member comes after its earliest member."""
    new: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for p in ps:
        if isinstance(assign[p.key], str):
            new[assign[p.key]].append((p.key, p.published))
    for ident, keys in new.items():
        first = _view("first", ident, rows[ident].tally, lambda record: min(
            ((k, v[4] if len(v) > 4 else None) for k, v in record["members"].items() if not v[3]),
            key=lambda m: (m[1] or "9999", m[0]), default=None))
        if _id("PERSON", [first, *keys] if first is not None else keys) != ident:
            return False
    return True


@dataclass
class _Bare:
    """One stored bare mention of a surname, as the bare-surname rule reads it: its article's
    date, country, role titles, and the clusters of the people named with it (a full name's
    stored identity; a bare one is its own, as it is before bare surnames join)."""

    article: str
    published: str | None
    country: str | None
    titles: set[str]
    others: set[str]
    surnames: set[str] = field(default_factory=set)  # the name keys ("n:...") of the people named with it


def _signature(conn: Connection, surname: str, articles: list[str]) -> list[_Bare]:
    """The stored bare mentions of a surname (in `articles`)."""
    rp, m = T.resolve_people, T.identity_mentions
    out: list[tuple[_Bare, set[str]]] = []
    others: set[tuple[str, str]] = set()
    for chunk in _chunks(articles):
        for row in conn.execute(select(rp.c.article_id, PEOPLE).where(rp.c.article_id.in_(chunk))):
            found = stored_people(row.article_id, row.people)
            single = {q.key for q in found if q.parsed.single}
            for q in found:
                if q.parsed.single and q.parsed.surname == surname:
                    keys = set(q.others)
                    out.append((_Bare(q.article, q.published, q.country, {r.title for r in q.roles},
                                      keys & single, {"n:" + o.parsed.surname for o in found if o.key in keys}),
                                keys - single))
                    others |= {tuple(k.split("#", 1)) for k in keys - single}
    found: dict[str, str] = {}
    for chunk in _chunks({a for a, _ in others}):
        found |= {f"{r.article_id}#{r.entity_id}": r.identity_id for r in conn.execute(
            select(m).where(m.c.article_id.in_(chunk))) if (r.article_id, r.entity_id) in others}
    for bare, full in out:
        bare.others |= {found.get(k, k) for k in full}
    return [bare for bare, _ in out]


def _keeps_bare(conn: Connection, p: Local, assign: dict, rows: dict, sig: list[_Bare],
                where: dict[str, str], slow: set[str]) -> bool:
    """Whether `p` joining its stored identity (or starting one) leaves every bare mention of its
    surname where it is. Only a bare mention within the window of `p`'s date can move
    (`identities._bare_surnames`); it does not when the identity already agrees with it through
    a full name near it, else when `p` does not agree with it and some full name of the surname
    was near it already. A co-occurring person who goes the long way, of a surname someone named
    with that bare mention has, cannot be known: refused."""
    target = assign[p.key]
    mine = {assign.get(key) for key in p.others}
    titles = {r.title for r in p.roles}
    for b in sig:
        if not near(p.published, b.published):
            continue
        if any(where.get(key) in slow & b.surnames for key in p.others):
            return False  # that person's identity, unknown yet, may be one named with `b`
        held = _near_members(rows[target], b) if isinstance(target, str) else None
        if held is not None and _agrees(held, b):
            continue
        if (p.country and p.country == b.country) or titles & b.titles or mine & b.others:
            return False
        if not (held and held["full"]) and not _full_near(conn, p.parsed.surname, b):
            return False
    return True


def _place_bare(conn: Connection, b: Local, new: list[Local], assign: dict, where: dict[str, str],
                singles: set[str], slow: set[str]) -> Any:
    """Where a new bare surname goes (`identities._bare_surnames`), from the mentions of its
    surname within the window of its date: the one identity whose full names there agree with
    it, or an identity of its own when none or several do. None when that cannot be told here:
    it is undated, no full name of its surname is near it (bare surnames would join one another),
    a bare mention near it could then join it, or a person named beside one of them goes the
    long way."""
    surname = b.parsed.surname
    if day(b.published) is None:
        return None
    unknown = {where.get(k) for k in b.others} & slow  # surnames of people named with `b` who go the long way
    mentions: list[tuple[Local, Any, set]] = []  # (mention, its cluster before bare surnames join, its others')
    stored = _near_people(conn, surname, b.published)
    ident = _stored_identities(conn, {q.article for qs in stored for q in qs})
    for people in stored:
        single = {q.key for q in people if q.parsed.single}
        for q in people:
            if q.parsed.surname != surname:
                continue
            root = q.key if q.key in single else ident.get(q.key)
            others = {k if k in single else ident.get(k) for k in q.others}
            if root is None or None in others or unknown & {"n:" + o.parsed.surname for o in people if o.key in q.others}:
                return None  # (a person of another surname than those cannot be one named with `b`)
            mentions.append((q, root, others))
    for q in new:
        if q.key == b.key or not near(q.published, b.published):
            continue
        root = q.key if q.key in singles else assign.get(q.key)
        if root is None or unknown & {where.get(k) for k in q.others}:
            return None
        mentions.append((q, root, {k if k in singles else assign.get(k) for k in q.others}))
    mine = {k if k in singles else assign.get(k) for k in b.others}
    full = {root for q, root, _ in mentions if not q.parsed.single}
    if not full:
        return None
    context: dict[Any, tuple[set, set, set]] = defaultdict(lambda: (set(), set(), set()))
    for q, root, others in mentions:
        countries, titles, met = context[root]
        if q.country:
            countries.add(q.country)
        titles |= {r.title for r in q.roles}
        met |= others
    titles = {r.title for r in b.roles}
    fitting = {root for root, (cs, ts, ms) in context.items()
               if (b.country and b.country in cs) or titles & ts or (mine - {None}) & ms}
    for q, root, others in mentions:  # a bare one with no full name near it joins the bare ones that agree
        if q.parsed.single and root in fitting and not _full_near(
                conn, surname, _Bare(q.article, q.published, None, set(), set())):
            return None
    named = fitting & full
    if len(named) == 1:
        return next(iter(named))
    return ("", b.key)


def _near_people(conn: Connection, surname: str, published: str | None) -> list[list[Local]]:
    """The people of each stored article within the window of `published` that names the surname,
    or undated (near every date)."""
    d = day(published)
    return [stored_people(row.article_id, row.people)
            for row in people_under(conn, near_keys(surname, d - window(), d + window(), undated=True))]


def people_under(conn: Connection, keys: list[str]) -> Iterator[Any]:
    """(article_id, people as stored) of each article under one of these `resolve_keys` keys, the
    keys asked for a list at a time (a window's days: new articles may span years)."""
    k, rp = T.resolve_keys, T.resolve_people
    for chunk in _chunks(keys):
        yield from conn.execute(select(rp.c.article_id, PEOPLE).join(k, k.c.article_id == rp.c.article_id)
                                .where(k.c.key.in_(chunk)))


def _stored_identities(conn: Connection, articles: set[str]) -> dict[str, str]:
    """"article#entity" -> the stored identity of every person of these articles (a person's id
    starts with "p", `identities._id`: their bodies and places, twice as many, are not read)."""
    m = T.identity_mentions
    out: dict[str, str] = {}
    for chunk in _chunks(articles):
        out |= {f"{r.article_id}#{r.entity_id}": r.identity_id for r in conn.execute(
            select(m).where(m.c.article_id.in_(chunk), m.c.identity_id.startswith("p")))}
    return out


def _near_members(row: Any, b: _Bare) -> dict:
    """What a stored identity's full names near the bare mention `b` say: their countries and
    titles, and whether there are any (as `near` tells them apart, read off `_by_day`)."""
    days, dated, undated, titles = _by_day(row.id, row.tally)
    d = day(b.published)
    if d is None:
        found = [*dated, *undated]
    else:
        w = window().days
        found = dated[bisect_left(days, d.toordinal() - w):bisect_right(days, d.toordinal() + w)] + undated
    arts = {art for art, _ in found}
    return {"full": bool(arts), "countries": {c for _, c in found if c},
            "titles": {t for art in arts for t in titles.get(art, ())}}


def _by_day(ident: str, tally: Any) -> tuple[list[int], list[tuple[str, str | None]], list[tuple[str, str | None]],
                                             dict[str, set[str]]]:
    """An identity's full-name members in order of their day (the days as ordinals, and each
    one's article and country), its undated ones, and the titles of each article: a head of
    state has thousands, and each bare mention near a new one asks for the few near it."""
    def make(record: dict) -> tuple:
        full = [(k.split("#", 1)[0], v[4] if len(v) > 4 else None, v[1]) for k, v in record["members"].items()
                if not v[3] and len(_words(v[2])) > 1]  # (article, date, country)
        dated = sorted((d.toordinal(), art, c) for art, published, c in full if (d := day(published)) is not None)
        return ([x[0] for x in dated], [(art, c) for _, art, c in dated],
                [(art, c) for art, published, c in full if day(published) is None], _titles(ident, tally))
    return _view("day", ident, tally, make)


def _titles(ident: str, tally: Any) -> dict[str, set[str]]:
    """The role titles of each article of an identity's members (its tally's roles)."""
    def make(record: dict) -> dict[str, set[str]]:
        titles: dict[str, set[str]] = defaultdict(set)
        for r in record["roles"]:
            titles[r[0]].add(r[1])
        return dict(titles)
    return _view("titles", ident, tally, make)


@dataclass(frozen=True)
class NameMembers:
    """One name's full-name members of an identity (copies left out), as the spelling-variant
    checks read them: their keys in order, articles, countries (None among them where one has
    none) and the role titles of those articles."""

    keys: list[str]
    articles: frozenset[str]
    countries: frozenset[str | None]
    titles: frozenset[str]


def _by_name(ident: str, tally: Any) -> dict[tuple[str, ...], NameMembers]:
    """An identity's full-name members by name (`NameMembers`): the spelling-variant checks ask
    for one name's mentions at a time (`window._variants_stay`), of a head of state's thousands."""
    def make(record: dict) -> dict[tuple[str, ...], NameMembers]:
        names: dict[tuple[str, ...], list[tuple[str, str | None]]] = defaultdict(list)
        for k, v in record["members"].items():
            if not v[3] and len(words := _words(v[2])) > 1:
                names[words].append((k, v[1]))
        titles = _titles(ident, tally)
        out = {}
        for words, found in names.items():
            arts = frozenset(k.split("#", 1)[0] for k, _ in found)
            out[words] = NameMembers(sorted(k for k, _ in found), arts, frozenset(c for _, c in found),
                                     frozenset(t for a in arts for t in titles.get(a, ())))
        return out
    return _view("name", ident, tally, make)


_VIEWS: dict[tuple[str, str], tuple[Any, Any]] = {}  # (what, identity id) -> (its tally as read, what was made of it)


def _view(what: str, ident: str, tally: Any, make: Callable[[dict], Any]) -> Any:
    """What `make` reads off an identity's tally, made once for the tally as read (`_decoded`
    hands every step of a pass the same one): a head of state's has thousands of members, and a
    pass asks again for each new mention and each bare one near it."""
    seen = _VIEWS.get((what, ident))
    if seen is not None and seen[0] is tally:
        return seen[1]
    view = make(T._record(tally))
    if len(_VIEWS) > 1024:
        _VIEWS.clear()
    _VIEWS[(what, ident)] = (tally, view)
    return view


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    return parse(name).words


def _agrees(held: dict, b: _Bare) -> bool:
    return bool((b.country and b.country in held["countries"]) or held["titles"] & b.titles)


def _full_near(conn: Connection, surname: str, b: _Bare) -> bool:
    """Whether a stored article within the window of the bare mention `b` names a full name of
    the surname (the bare-surname rule reads only those when there is one)."""
    d = day(b.published)
    keys = ["n:" + surname] if d is None else near_keys(surname, d - window(), d + window(), undated=True)
    for row in people_under(conn, keys):
        if any(not (n := parse(x["name"])).single and n.surname == surname for x in T._record(row.people)):
            return True
    return False


def write(conn: Connection, todo: Plan, redo: set[str], person_row: Any) -> set[str]:
    """Add the plan's people: stored identities take their new members, new names start
    identities; returns the articles whose stories must be redone beyond the new ones (an
    identity whose country changed: its reports carry it; its name a stored story reads as it is
    read, `resolved.with_names`)."""
    i, m = T.identities, T.identity_mentions
    changed: set[str] = set()
    rows, parts, links = [], [], []
    stored = _rows(conn, set(todo.joins), record=True)
    for ident in sorted(todo.joins):
        old = stored[ident]
        members = todo.joins[ident]
        row, made = person_row(conn, old.block, old, Identity(ident, "PERSON", "", members), redo, ident)
        conn.execute(i.delete().where(i.c.id == ident))
        rows.append(row)
        parts += made
        links += [{"article_id": p.article, "entity_id": e, "identity_id": ident} for p in members for e in p.entities]
        if row["country"] != old.country:
            changed |= report_rows.naming(conn, ident, set(conn.execute(
                select(m.c.article_id).where(m.c.identity_id == ident)).scalars()))
    for words in sorted(todo.starts):
        members = todo.starts[words]
        ident = _id("PERSON", [(p.key, p.published) for p in members])
        row, made = person_row(conn, "n:" + members[0].parsed.surname, None, Identity(ident, "PERSON", "", members),
                               redo, ident)
        rows.append(row)
        parts += made
        links += [{"article_id": p.article, "entity_id": e, "identity_id": ident} for p in members for e in p.entities]
    if rows:
        conn.execute(insert(i), rows)
    if parts:
        conn.execute(insert(T.identity_parts), parts)
    if links:
        conn.execute(insert(m), links)
    return changed


CHUNK = 500  # values per IN list


def _chunks(values: Any, size: int = CHUNK):
    values = sorted(set(values))
    for n in range(0, len(values), size):
        yield values[n:n + size]
