"""The long way limited by time: a surname re-resolved around the new articles' dates only.

A surname that `quick` cannot take was re-resolved from every stored article that carries it; for
a head of state's surname that is a tenth of the store. But the only joining rule that reads
context by time is the bare-surname one (`identities._bare_surnames`: a bare "Varga" is decided by
the mentions of Varga within `bare_window_days` of it), and the full names' joins (rules 1 and 2:
the same name, one name inside another, spelling variants by context) are decided here without it:

- fast proofs that they cannot change: every new full name is a name the store holds, or
  relates "same" to no stored name of its block (surname + initial) nor to another new name; a
  new name with stored spelling variants agrees with none of them (`_apart`), and a new mention
  of a stored name leaves every variant join of its identity as it was (`_variants_stay`: what
  it brings its name's cluster agrees with no variant's first mention that did not agree with
  the cluster already, `_agreed_before`; as its name's new first mention it is read against each
  later variant's names as the old one was, `_first_alike`). Then a new name joins the identity
  that holds it or starts one, and no other full name moves;
- else rules 1 and 2 run again on the new names' components, their related names' mentions only
  (`variants.settle`): each new mention gets its cluster, and the stored identities whose full
  names those rules now join or part no longer stand; their full-name mentions move to the new
  clusters, and the bare mentions near any of their members are decided again as below;
- each stored identity's full names near the articles read are one cluster before bare surnames
  join (`_one_cluster_each`), and every bare mention within two windows of a new mention (or of a
  member of an identity that no longer stands) has a full name of the surname within a window.
  Then no bare surname there joins another bare one: each joins one identity through its full
  names near it, or stands alone.

So only those bare mentions can move, each from or to one identity (a leaf: nothing else hangs on
it), decided from the mentions within a window of it, all read here: the stored mentions of the
surname within three windows of those dates and their people's stored identities. Refused (the
whole surname is re-resolved as before): an identity correction, a store without complete name
rows, an undated mention of the surname, new articles resolved before or with copies, an
affected article with copies or with two mentions of the surname, an identity whose id (its
earliest member) would change, a co-occurring person whose identity is not known yet, a
component too large to read (`variants.MAX_MENTIONS`). The result is the one the whole surname's
re-resolution gives (tests/test_resolve_window.py), with one limit shared with it: a person named
with the surname's mentions, whose own identity changes in the pass, is read as it is now only
around the new dates (a decision years away that read it is not made again).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, insert, or_, select
from sqlalchemy.engine import Connection

from ..store import resolved as T
from ..store import schema
from . import quick, report_rows
from .identities import Identity, _id, _NearContext, _related, day, window
from .mentions import Local
from .names import Name, relation
from .variants import Settled, holders, settle


@dataclass
class Taken:
    """The surnames this path takes in one pass, with what `apply` needs of them."""

    keys: set[str] = field(default_factory=set)
    new: dict[str, list[Local]] = field(default_factory=dict)  # key -> the new people of that surname
    stored: dict[str, list[list[Local]]] = field(default_factory=dict)  # key -> stored articles' people near
    exact: dict[str, str] = field(default_factory=dict)  # new person key -> article of a stored mention of its name
    variants: dict[str, dict[tuple[str, ...], str]] = field(default_factory=dict)  # its name's stored variants
    unfit: set[str] = field(default_factory=set)  # keys whose new names `variants.settle` places


def select_keys(conn: Connection, slow: set[str], fresh: dict[str, list[Local]], resolved_before: set[str],
                corrections: list[dict]) -> Taken:
    """Which of the surname keys `slow` ("n:varga"), refused by `quick`, this path takes (module
    docstring); `fresh` maps each new article to its people."""
    out = Taken()
    if not slow or any(c["target"] == "identity" for c in corrections) or not quick._marked(conn):
        return out
    by_key: dict[str, list[Local]] = defaultdict(list)
    for a in sorted(fresh):
        for p in fresh[a]:
            if p.type == "PERSON" and "n:" + p.parsed.surname in slow:
                by_key["n:" + p.parsed.surname].append(p)
    for key in sorted(by_key):
        ps = by_key[key]
        if any(p.article in resolved_before or day(p.published) is None for p in ps):
            continue
        surname = key[2:]
        if _undated(conn, surname):
            continue
        dates = sorted({day(p.published) for p in ps})
        stored = _near_people(conn, surname, dates[0] - 3 * window(), dates[-1] + 3 * window())
        stored = [people for people in stored if people and people[0].article not in {p.article for p in ps}]
        mine = [q for people in stored for q in people if q.parsed.surname == surname]
        if any(day(q.published) is None for q in mine):
            continue
        variants: dict[str, dict[tuple[str, ...], str]] = {}
        exact = _names_fit(conn, ps, variants)
        if not _bare_leaves(ps, mine, dates):
            continue
        if exact is None:  # its names' joins may change: decided again from their own mentions
            out.unfit.add(key)
        else:
            out.variants |= variants
            out.exact |= exact
        out.keys.add(key)
        out.new[key] = ps
        out.stored[key] = stored
    return out


def _undated(conn: Connection, surname: str) -> bool:
    """Whether a stored article that names the surname has no date (it is near every date)."""
    k, a = T.resolve_keys, schema.articles
    # from the undated articles (few, through the index on dates), not from every article of the
    # surname (a head of state's: a tenth of the store)
    q = (select(a.c.id).where(or_(a.c.published.is_(None), a.c.published == ""),
                              exists().where(k.c.key == "n:" + surname, k.c.article_id == a.c.id)).limit(1))
    return conn.execute(q).first() is not None


def _near_people(conn: Connection, surname: str, lo: date, hi: date) -> list[list[Local]]:
    """The people of each stored article dated from `lo` to `hi` that names the surname, by article."""
    rows = sorted(quick.people_under(conn, quick.near_keys(surname, lo, hi, undated=False)), key=lambda r: r.article_id)
    return [quick.stored_people(row.article_id, row.people) for row in rows]


def _names_fit(conn: Connection, new: list[Local], variants: dict) -> dict[str, str] | None:
    """The new full names' stored articles (person key -> an article of a stored mention of its
    name) when the full names' joins cannot change (module docstring), else None: a new name is
    "same" as another name only when both are stored, nor has a stored name "same" as it a
    spelling variant (a new member's context could move a variant join of its identity, unless
    the guard refuses every such join: its identity's names are then all "same" as it). A new
    name may have stored variants: `variants` gets them (person key -> variant -> an article), and
    `apply` asks whether the joins stay (`quick._keeps_variants` for a stored name, `_apart` for a
    new one)."""
    full_new = [p for p in new if not p.parsed.single]
    news = {p.parsed.words for p in full_new}
    blocks = quick._block_names(conn, {quick.name_block(n) for n in news})
    out: dict[str, str] = {}
    for p in full_new:
        stored = blocks[quick.name_block(p.parsed.words)]
        if p.parsed.words in stored:
            out[p.key] = stored[p.parsed.words]
        for other in set(stored) | news:
            rel = relation(p.parsed, Name(other)) if other != p.parsed.words else "equal"
            if rel == "variant" and other in stored:
                variants.setdefault(p.key, {})[other] = stored[other]
            elif rel == "variant" or (rel == "same" and (other not in stored or p.parsed.words not in stored)):
                return None
            if rel == "same" and any(relation(Name(other), Name(v)) == "variant" for v in stored):
                return None
    return out


def _one_cluster_each(conn: Connection, near: list[Local], labels: dict[str, str]) -> bool:
    """Whether each stored identity's full names among these mentions are one cluster before bare
    surnames join, as its label says: they are "same" as one another, or else (spelling variants,
    joined by context or through bare mentions) no bare member of the identity lacks a full-name
    member within a window of it (then no bare mention joined a bare one, and each joined one
    cluster: the variants were joined by context)."""
    names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for q in near:
        if not q.parsed.single:
            names[labels[q.key]].add(q.parsed.words)
    for ident, found in names.items():
        ordered = sorted(found)
        if all(relation(Name(x), Name(y)) == "same" for i, x in enumerate(ordered) for y in ordered[i + 1:]):
            continue
        tally = _tally(conn, ident)
        if tally is None:
            return False
        full = sorted(d for v in tally["members"].values() if not v[3] and len(quick._words(v[2])) > 1
                      and (d := day(v[4] if len(v) > 4 else None)) is not None)
        for v in tally["members"].values():
            d = day(v[4] if len(v) > 4 else None)
            if not v[3] and len(quick._words(v[2])) == 1:
                at = bisect.bisect_left(full, d - window()) if d is not None else len(full)
                if d is None or at == len(full) or full[at] > d + window():
                    return False
    return True


def _tally(conn: Connection, ident: str | None) -> dict | None:
    """An identity's tally (`persist.tally_of`): its members and roles; None without one."""
    rows = quick._rows(conn, {ident} - {None})
    return T._record(rows[ident].tally) if ident in rows else None


def _variants_stay(conn: Connection, p: Local, ident: str, finder: _Finder, batch: list[Local]) -> bool:
    """Whether a new mention of a stored name, joining the identity `ident`, leaves every
    spelling-variant join (`identities._people`, rule 2) as it was: the mention is not the first
    of its name, and what it brings that its name's stored mentions did not (country, role
    titles; people named with it, all counted as new) agrees with the first mention of no name v
    that sorts before a variant m of it held by the identity. Rule 2 reads, for a pair (v, m) in
    that order, v's first mention against m's cluster as it stands; what the mention brings goes
    to its name's cluster, and only a decision that reads a cluster holding it can change first.
    Such a cluster is part of the identity (until a decision changes, the clusters are the
    ones resolved before), so its m is a name of the identity; the v read against it is one
    sorting before m, inside the identity or not. A pair (m, v) with m first reads m's first
    mention against v's cluster, which does not hold this one: unchanged while the first mention
    stays. It may become the first of its name (by key) where its name sorts after each of its
    variants, or where it agrees with none of those sorting after (`_first_apart`)."""
    tally = _tally(conn, ident)
    if tally is None:
        return False
    by_name = quick._by_name(ident, tally)
    names = set(by_name)
    blocks = quick._block_names(conn, {quick.name_block(n) for n in names})
    own = by_name.get(p.parsed.words)
    if own is None:
        return False
    later = {v: a for v, a in blocks[quick.name_block(p.parsed.words)].items()
             if p.parsed.words < v and relation(p.parsed, Name(v)) == "variant"}
    first_own = own.keys[0]
    if p.key < first_own and later:  # context reads the first mention against a later variant
        holding = holders(conn, later)
        if not (_first_apart(conn, p, later, holding, names, finder, batch)
                or _first_alike(conn, p, first_own, later, holding, ident, finder, batch)):
            return False  # and may read it otherwise
    arts = own.articles  # what its name's mentions gave its context already
    had = (own.countries, own.titles)
    brought = ({p.country} - {None} - had[0], {r.title for r in p.roles} - had[1], {finder.find(k) for k in p.others})
    firsts: dict[tuple[str, ...], str] = {}  # a name -> the article of a stored mention of it (to find its identity)
    outside = False  # a name its names are related to that it does not hold
    for m in names:  # the pairs (v, m) rule 2 reads against a cluster of this identity: v sorts first
        name, block = Name(m), blocks[quick.name_block(m)]
        for v in block:
            rel = _related(name, Name(v))
            outside |= rel is not None and v not in names
            if v < m and rel == "variant":
                firsts[v] = ident if v in names else block[v]
    if not firsts or (not outside and _holds_alone(conn, ident, names, p.parsed.surname)):
        return True
    located = holders(conn, {v: a for v, a in firsts.items() if a != ident})
    for v in sorted(firsts):
        holder = ident if firsts[v] == ident else located.get(quick._VARIANT + " ".join(v))
        held = _tally(conn, holder) if holder != ident else tally
        if held is None:
            return False
        found = quick._by_name(holder, held).get(v)
        if found is None:
            return False
        first = found.keys[0]
        people = _people_of(conn, {first.split("#", 1)[0]})
        if first not in people:
            return False
        q, clusters = people[first]
        met = {clusters.get(o) for o in q.others}
        if _agrees(q, met, brought) and not _agreed_before(conn, q, met - {None, ident}, had, arts):
            return False
    return True


MAX_WITNESSES = 20  # the most articles `_agreed_before` reads for a person named with a name's mentions


def _holds_alone(conn: Connection, ident: str, names: set[tuple[str, ...]], surname: str) -> bool:
    """Whether no other identity of the surname holds one of these names, those of `ident`, which
    holds every full name they are related to ("same", "variant": what rules 1 and 2 join, among
    the stored names of their blocks; `_variants_stay`). Then every mention of those names is one
    person, and a mention that is not the first of its name can only add to its cluster's
    context: rule 2 joins as much or more, and there is nothing left to join (nor, no two of the
    mentions sharing an article, anything the guard would keep apart). A head of state known by
    many spellings is such an identity, and its new mentions bring new context every day."""
    i = T.identities
    for row in conn.execute(select(i.c.id, i.c.names_lc).where(i.c.block == "n:" + surname, i.c.id != ident)):
        if any(quick._words(n) in names for n in (row.names_lc or "").split("\n")):
            return False
    return True


def _agreed_before(conn: Connection, q: Local, met: set[str], had: tuple[set, set], arts: set[str]) -> bool | None:
    """Whether the first mention `q` of a spelling variant agreed already with the stored mentions
    of a name (`arts`, their articles; `had`, their countries and titles): then rule 2 read them as
    agreeing before, and what a new mention of the name brings cannot change that decision (the
    name's cluster holds at least these mentions). Agreeing through a person: an identity `met`
    (of the people named with `q`) named by its full name in one of those articles (a bare
    mention is its own cluster when rule 2 reads). None when that cannot be told from the first
    `MAX_WITNESSES` articles that name both."""
    if (q.country and q.country in had[0]) or {r.title for r in q.roles} & had[1]:
        return True
    m = T.identity_mentions
    unknown = False
    for ident in sorted(met):
        if len(arts) <= quick.CHUNK:
            q_in = select(m.c.article_id).where(m.c.identity_id == ident, m.c.article_id.in_(sorted(arts)))
            shared = set(conn.execute(q_in).scalars())
        else:
            shared = set(conn.execute(select(m.c.article_id).where(m.c.identity_id == ident)).scalars()) & arts
        people = _people_of(conn, set(sorted(shared)[:MAX_WITNESSES]))
        if any(not x.parsed.single and clusters.get(x.key) == ident for x, clusters in people.values()):
            return True
        unknown |= len(shared) > MAX_WITNESSES
    return None if unknown else False


def _first_apart(conn: Connection, p: Local, later: dict[tuple[str, ...], str], located: dict[str, str],
                 names: set[tuple[str, ...]], finder: _Finder, batch: list[Local]) -> bool:
    """Whether `p`, the new first mention of its name, leaves the joins to the spelling variants
    sorting after it (`later`, each with an article that names it) as they were: rule 2 reads
    the name's first mention against each one's cluster. None may be of the identity (the old
    first mention may have joined it, this one might not), and `p` must agree with none of their
    identities, with their new members of this pass (`_apart`'s test, a superset of the cluster
    read there): then none joins, as none did (one that had would be of the identity)."""
    if any(v in names for v in later):
        return False
    return _apart(conn, p, [p], later, located, finder, batch)


def _first_alike(conn: Connection, p: Local, old_first: str, later: dict[tuple[str, ...], str],
                 located: dict[str, str], ident: str, finder: _Finder, batch: list[Local]) -> bool:
    """Whether rule 2 reads `p`, the new first mention of its name, as it read the old one
    (`old_first`) against each spelling variant sorting after it (`later`): it reads the first
    mention against the cluster the variant is in when its turn comes, one name's mentions or
    several names' joined, agreeing where one of them agrees (`identities._JoiningContext`); so
    each name of the variant's identity (the first mention's own excepted: joined to it, the
    decision is moot) must agree with both mentions or with neither. Not taken: names "same" as
    one another (one cluster), a person named with either mention whose cluster cannot be told
    here (of the surname), a variant's identity that other new mentions (`batch`, of the
    surname) join in this pass."""
    people = _people_of(conn, {old_first.split("#", 1)[0]})
    if old_first not in people:
        return False
    f, f_clusters = people[old_first]
    surname = p.parsed.surname
    if any(f_clusters.get(o) is None or people[o][0].parsed.surname == surname for o in f.others if o in people):
        return False
    of_surname = {q.key for q in batch}
    if any(o not in finder.single and (o not in finder.labels or o in of_surname) for o in p.others):
        return False
    joined = {finder.find(q.key) for q in batch if q.key != p.key and not q.parsed.single}
    f_met = {f_clusters[o] for o in f.others if not people[o][0].parsed.single}
    p_met = {finder.find(o) for o in p.others if o not in finder.single}
    for v in sorted(later):
        holder = located.get(quick._VARIANT + " ".join(v))
        tally = _tally(conn, holder)
        if tally is None or holder in joined:
            return False
        by_name = quick._by_name(holder, tally)
        named = sorted(by_name)
        if any(relation(Name(a), Name(b)) == "same" for i, a in enumerate(named) for b in named[i + 1:]):
            return False
        for name in named:
            if holder == ident and name == p.parsed.words:
                continue
            arts = by_name[name].articles
            ctx = (by_name[name].countries - {None}, by_name[name].titles)
            before, now = _agreed_before(conn, f, f_met, ctx, arts), _agreed_before(conn, p, p_met, ctx, arts)
            if before is None or before != now:
                return False
    return True


def _bare_leaves(new: list[Local], near: list[Local], dates: list[date]) -> bool:
    """Whether no bare mention within two windows of a new one joins a bare one, before or after
    the new ones come: each has a full name within a window of it (a stored one for a stored
    bare mention, unless it had no mention of its surname near it at all), or has none of its
    surname near it (it stands alone)."""
    w = window()
    full_old = [day(q.published) for q in near if not q.parsed.single]
    any_old = [day(q.published) for q in near]
    full_new = [day(p.published) for p in new if not p.parsed.single]
    any_new = [day(p.published) for p in new]

    def close(d: date, days: list[date], skip: int = 0) -> bool:
        return sum(abs(d - x) <= w for x in days) > skip

    for q in near:
        d = day(q.published)
        if not q.parsed.single or not any(abs(d - x) <= 2 * w for x in dates) or close(d, full_old):
            continue
        if close(d, any_old, skip=1) or (close(d, any_new) and not close(d, full_new)):
            return False  # (skip=1: itself)
    for p in new:
        d = day(p.published)
        if p.parsed.single and not close(d, full_old + full_new) and close(d, any_old + any_new, skip=1):
            return False
    return True


class _Finder:
    """Each person's cluster before bare surnames join, as `_NearContext` reads it: a bare one is
    its own; a full name's is its identity (or its new name's label)."""

    def __init__(self, labels: dict[str, str], single: set[str]) -> None:
        self.labels, self.single = labels, single

    def find(self, key: str) -> str:
        if key in self.single:
            return key
        return self.labels[key]

    def get(self, key: str) -> str | None:
        """`find`, or None for a person whose identity is not known here."""
        return key if key in self.single else self.labels.get(key)


def _near_gone(conn: Connection, surname: str, stored: list[list[Local]], new: list[Local], settled: Settled,
               labels: dict[str, str], stored_ident: dict[str, str]
               ) -> tuple[list[list[Local]], list[date], dict[str, tuple[Local, str]]]:
    """Around the identities that no longer stand (`settled.gone`), the bare mentions whose
    decision can change: those with, within a window, two full-name members of them that rule 2
    now puts together from two identities or apart from one (a bare mention reads which clusters
    are near it, and a cluster's context from its mentions near it; where those clusters only
    change names, its decision goes with them). Returns `stored` with the surname's articles
    within three windows of those bare mentions added (their people's stored identities added
    to `labels` and `stored_ident`), the days whose bare mentions are decided again (the new
    mentions' and theirs), and the other bare members of those identities with the label they
    follow (the new cluster of the members near them). Refused where a bare member has none of them near (it joined
    through bare mentions), where a bare mention decided again may join another bare one
    (`_bare_leaves`), or where a mention has no date."""
    w = window()
    full: list[tuple[date, str, str]] = []  # each full-name member: its day, its identity, its new label
    bare: dict[str, tuple[date, str]] = {}  # each bare member: its day, its identity
    for ident, row in settled.gone.items():
        for key, v in T._record(row.tally)["members"].items():
            if (d := day(v[4] if len(v) > 4 else None)) is None or v[3]:
                raise Refused("n:" + surname)  # (a copy: not placed here)
            if len(quick._words(v[2])) > 1:
                full.append((d, ident, labels[key]))
            else:
                bare[key] = (d, ident)
    full.sort()
    at = [d for d, _, _ in full]

    def near(d: date) -> list[tuple[date, str, str]]:
        return full[bisect.bisect_left(at, d - w):bisect.bisect_right(at, d + w)]

    def changes(found: list[tuple[date, str, str]]) -> bool:
        pairs = {(old, label) for _, old, label in found}
        return not len({old for old, _ in pairs}) == len({label for _, label in pairs}) == len(pairs)

    articles = quick._bare_articles(conn, {surname}).get(surname, [])
    dates = quick._dates(conn, {a for a in articles if a not in {p.article for p in new}})
    days = set()
    for published in dates.values():
        if (d := day(published)) is None:
            raise Refused("n:" + surname)
        if changes(near(d)):
            days.add(d)
    follows: dict[str, str] = {}
    for key, (d, ident) in bare.items():
        labels_near = {label for _, old, label in near(d) if old == ident}
        if not labels_near:
            raise Refused("n:" + surname)  # it joined its identity through bare mentions
        if changes(near(d)):
            days.add(d)
        elif d not in days:
            (follows[key],) = labels_near  # (one: its decision does not change)
    have = {people[0].article for people in stored if people} | {p.article for p in new}
    extra: list[list[Local]] = []
    for lo, hi in _spans(sorted(days), 3 * w):
        extra += [people for people in _near_people(conn, surname, lo, hi) if people and people[0].article not in have]
        have |= {people[0].article for people in extra}
    people = _people_of(conn, {key.split("#", 1)[0] for key in follows})
    for k, v in quick._stored_identities(conn, {people[0].article for people in extra}).items():
        labels.setdefault(k, v)
        stored_ident.setdefault(k, v)
    stored_ident |= {key: ident for key, (_, ident) in bare.items()}
    stored = stored + extra
    mine = [q for people in stored for q in people if q.parsed.surname == surname]
    if any(day(q.published) is None for q in mine) or any(key not in people for key in follows):
        raise Refused("n:" + surname)
    days |= {day(p.published) for p in new}
    if not _bare_leaves(new, mine, sorted(days)):
        raise Refused("n:" + surname)
    return stored, sorted(days), {key: (people[key][0], label) for key, label in follows.items()}


def _spans(days: list[date], reach: timedelta) -> list[tuple[date, date]]:
    """The days (sorted) each widened by `reach` both ways, overlapping spans merged."""
    out: list[tuple[date, date]] = []
    for d in days:
        if out and d - reach <= out[-1][1]:
            out[-1] = (out[-1][0], d + reach)
        else:
            out.append((d - reach, d + reach))
    return out


class Refused(Exception):
    """The path cannot take this surname after all (the caller re-resolves it the long way)."""


def apply(conn: Connection, taken: Taken, fresh: dict[str, list[Local]], person_row: Any) -> tuple[set[str], set[str]]:
    """Place the new people of the surnames taken, and move the bare mentions near them that
    resolution moves; returns (the articles whose stories must be redone, the keys refused).
    Runs after the other surnames' new people are stored (their identities are read)."""
    refused: set[str] = set()
    changed: set[str] = set()
    if not taken.keys:
        return changed, refused
    words = {p.key: p.parsed.words for ps in taken.new.values() for p in ps}
    wanted = {k: (a, words[k]) for k, a in taken.exact.items()}
    wanted |= {quick._VARIANT + " ".join(v): (a, v) for vs in taken.variants.values() for v, a in vs.items()}
    located = quick._identities_of(conn, {a for a, _ in wanted.values()}, wanted)
    arts = {q.article for key in taken.keys for people in taken.stored[key] for q in people} | set(fresh)
    stored_ident = quick._stored_identities(conn, arts)
    labels: dict[str, str] = dict(stored_ident)
    for key in sorted(taken.keys):
        for p in taken.new[key]:
            if not p.parsed.single:
                labels[p.key] = located.get(p.key) or "new:" + p.parsed.full
                if p.key in taken.exact and p.key not in located:
                    refused.add(key)
    single = {p.key for ps in fresh.values() for p in ps if p.type == "PERSON" and p.parsed.single}
    finder = _Finder(labels, single)
    settled: dict[str, Settled] = {}
    read: dict = {}  # what the settling read of the store (nothing is written until every key is settled)
    for key in sorted(taken.keys - refused):
        try:
            settled[key] = _settle(conn, key, taken, finder, located, read)
        except Refused:
            refused.add(key)
    relabelled = {k: label for found in settled.values() for k, label in found.labels.items()}
    moved = {k for k, label in relabelled.items() if labels.get(k) != label}
    labels |= relabelled
    for key in sorted(taken.keys - refused):  # it read, as it settled, a label another surname's settling moved
        if any(o in moved and o not in {q.key for q in taken.new[key]} for p in taken.new[key] for o in p.others):
            try:
                again = _settle(conn, key, taken, finder, located, read)
            except Refused:
                again = None
            if again is None or again.labels != settled[key].labels or set(again.gone) != set(settled[key].gone):
                refused.add(key)  # (its own labels, read by others, would move in turn)
            else:
                settled[key] = again
    for key in sorted(taken.keys - refused):
        try:
            plan = _place(conn, key, taken, labels, single, stored_ident, settled[key])
        except Refused:
            refused.add(key)
            continue
        changed |= _write(conn, key[2:], plan, person_row)
    return changed, refused


MAX_VARIANT = 300  # the most full-name mentions a variant's identity may have for `_apart` to read them


def _apart(conn: Connection, p: Local, mine: list[Local], variants: dict[tuple[str, ...], str],
           located: dict[str, str], finder: _Finder, batch: list[Local]) -> bool:
    """Whether a new name (its mentions `mine`, all new) joins none of its stored spelling
    variants (`identities._people`, rule 2): for the pair (name, variant) in their order, the
    first mention of the first name must not agree with the second's cluster. Read against the
    whole identity that holds the variant, with its new members of this pass (a superset of the
    cluster there), so a "no" holds; then the new name joins nothing and moves no other join."""
    first = min(mine, key=lambda q: q.key)
    ctx_new = ({q.country for q in mine if q.country}, {r.title for q in mine for r in q.roles},
               {finder.find(k) for q in mine for k in q.others})
    for v in sorted(variants):
        ident = located.get(quick._VARIANT + " ".join(v))
        rows = quick._rows(conn, {ident} - {None})
        if ident not in rows:
            return False
        tally = T._record(rows[ident].tally)
        by_name = quick._by_name(ident, tally)
        if sum(len(x.keys) for x in by_name.values()) > MAX_VARIANT:
            return False
        full = [k for x in by_name.values() for k in x.keys]
        people = _people_of(conn, {k.split("#", 1)[0] for k in full})
        if any(k not in people for k in full):
            return False
        if p.parsed.words < v:  # does the new name's first mention agree with the variant's identity?
            joining = [q for q in batch if not q.parsed.single and finder.find(q.key) == ident]
            ctx = ({c for x in by_name.values() for c in x.countries if c} | {q.country for q in joining if q.country},
                   {t for x in by_name.values() for t in x.titles} | {r.title for q in joining for r in q.roles},
                   {people[k][1].get(o) for k in full for o in people[k][0].others}
                   | {finder.find(o) for q in joining for o in q.others})
            if _agrees(first, {finder.find(k) for k in first.others}, ctx):
                return False
        else:  # does the variant's first mention agree with the new name's mentions?
            vfirst = by_name[v].keys[0]
            q, ident_of = people[vfirst]
            if _agrees(q, {ident_of.get(o) for o in q.others}, ctx_new):
                return False
    return True


def _agrees(p: Local, others: set, ctx: tuple[set, set, set]) -> bool:
    """`identities._Context.agree`: a country, a role title or another person in common."""
    countries, titles, met = ctx
    return bool((p.country and p.country in countries) or {r.title for r in p.roles} & titles
                or (others - {None}) & met)


def _people_of(conn: Connection, articles: set[str]) -> dict[str, tuple[Local, dict[str, str]]]:
    """Each stored person of these articles, with the clusters of its article's people before
    bare surnames join (a bare one is its own; a full name's, its identity)."""
    rp = T.resolve_people
    ident = quick._stored_identities(conn, articles)
    out: dict[str, tuple[Local, dict[str, str]]] = {}
    for chunk in quick._chunks(articles):
        for row in conn.execute(select(rp.c.article_id, quick.PEOPLE).where(rp.c.article_id.in_(chunk))):
            people = quick.stored_people(row.article_id, row.people)
            clusters = {q.key: q.key if q.parsed.single else ident.get(q.key) for q in people}
            out |= {q.key: (q, clusters) for q in people}
    return out


@dataclass
class _Moves:
    joins: dict[str, list[Local]] = field(default_factory=lambda: defaultdict(list))  # stored id -> new members
    leaves: dict[str, list[Local]] = field(default_factory=lambda: defaultdict(list))  # stored id -> leaving
    starts: dict[str, list[Local]] = field(default_factory=lambda: defaultdict(list))  # label -> a new one's members
    gone: set[str] = field(default_factory=set)  # stored identities that no longer stand (a lone bare mention that joins one; regrouped)
    moved: list[Local] = field(default_factory=list)  # stored mentions that change identity
    was: dict[str, str] = field(default_factory=dict)  # a moved mention's key -> its stored identity
    shown: dict[str, str] = field(default_factory=dict)  # an identity that no longer stands -> its country
    new: list[Local] = field(default_factory=list)
    rows: dict[str, Any] = field(default_factory=dict)


def _settle(conn: Connection, key: str, taken: Taken, finder: _Finder, located: dict[str, str],
            read: dict | None = None) -> Settled:
    """Where the surname's new full names may change joins (the stored spelling variants of a new
    name may join it, `_apart`; a new mention of a stored name may change a variant join,
    `_variants_stay`; or `_names_fit` could not place them), they are decided again from their
    names' own mentions (`variants.settle`): the labels of the new mentions, and the stored
    identities that no longer stand, whose mentions `_place` moves. Empty where nothing can
    change."""
    new = taken.new[key]
    if any(k not in finder.single and k not in finder.labels for p in new for k in (p.key, *p.others)):
        raise Refused(key)  # a person whose identity is not known here
    if key not in taken.unfit and all(
            _apart(conn, p, [q for q in new if q.parsed.words == p.parsed.words], taken.variants[p.key],
                   located, finder, new) if p.key not in taken.exact
            else _variants_stay(conn, p, finder.find(p.key), finder, new)
            for p in new if p.key in taken.variants):
        return Settled()
    found = settle(conn, new, finder.get, read)
    if found is None:
        raise Refused(key)  # its names' mentions cannot all be read
    return found


def _place(conn: Connection, key: str, taken: Taken, labels: dict[str, str], fresh_single: set[str],
           stored_ident: dict[str, str], settled: Settled) -> _Moves:
    """Where the surname's new people go, which stored full names move (the identities that no
    longer stand, `settled`), and which stored bare mentions move: those near either (module
    docstring)."""
    surname = key[2:]
    new = taken.new[key]
    stored = taken.stored[key]
    new_days = sorted({day(p.published) for p in new})
    follows: dict[str, tuple[Local, str]] = {}
    if settled.gone:
        stored, new_days, follows = _near_gone(conn, surname, stored, new, settled, labels, stored_ident)
    everyone = [q for people in stored for q in people] + new
    single = {q.key for q in everyone if q.parsed.single} | fresh_single
    mine = [q for q in everyone if q.parsed.surname == surname]
    if any(k not in single and k not in labels for q in mine for k in (q.key, *q.others)):
        raise Refused(key)  # a person whose identity is not known here
    regrouped = {q.key for q in settled.regrouped}
    if not _one_cluster_each(conn, [q for q in mine if q.key not in {p.key for p in new} | regrouped], labels):
        raise Refused(key)
    finder = _Finder(labels, single)
    w = window()
    fresh_arts = {p.article for p in new}
    per_article: dict[str, int] = defaultdict(int)
    for q in mine:
        per_article[q.article] += 1
    target: dict[str, str | None] = {}  # bare key -> the label it joins, or None (alone)
    for b in mine:
        if not b.parsed.single:
            continue
        d = day(b.published)
        if b.article not in fresh_arts and not any(abs(d - x) <= w for x in new_days):
            continue
        if per_article[b.article] > 1:
            raise Refused(key)  # two people of the surname in one article: the guard decides
        near = [q for q in mine if q.key != b.key and abs(day(q.published) - d) <= w]
        context = _NearContext(near, finder)
        if near and not context.full:
            raise Refused(key)  # (ruled out by `_bare_leaves`)
        named = {r for r in context.roots if r != b.key and context.agree(b, r)} & context.full
        target[b.key] = next(iter(named)) if len(named) == 1 else None
    out = _Moves(new=new, gone=set(settled.gone), was=dict(settled.held),
                 shown={ident: row.country or "" for ident, row in settled.gone.items()})
    for p in new:
        if not p.parsed.single:
            label = labels[p.key]
            (out.starts if label.startswith("new:") else out.joins)[label].append(p)
    for q in settled.regrouped:  # (labelled "new:": their identities no longer stand)
        out.moved.append(q)
        out.starts[labels[q.key]].append(q)
    for bkey, (q, label) in sorted(follows.items()):
        if bkey not in target:  # a bare member of an identity that no longer stands, its decision unchanged
            out.moved.append(q)
            out.was[bkey] = stored_ident[bkey]
            (out.starts if label.startswith("new:") else out.joins)[label].append(q)
    alone = _alone(conn, {stored_ident[k] for k in target if k in stored_ident})
    by_key = {q.key: q for q in mine}
    for bkey, label in sorted(target.items()):
        b, old = by_key[bkey], stored_ident.get(bkey)
        if old is not None and old not in settled.gone and ((old in alone and label is None) or old == label):
            continue  # where it was
        if old is not None:
            out.moved.append(b)
            out.was[bkey] = old
            if old in alone:
                out.gone.add(old)
            elif old not in settled.gone:
                out.leaves[old].append(b)
        if label is None:
            out.starts[bkey].append(b)
        else:
            (out.starts if label.startswith("new:") else out.joins)[label].append(b)
    if any(len({p.article for p in ps}) < len(ps) for ps in out.starts.values()):
        raise Refused(key)  # one article, two people of one new identity
    placed = {q.key for q in out.moved}
    if any(set(T._record(row.tally)["members"]) - placed for row in settled.gone.values()):
        raise Refused(key)  # a member of an identity that no longer stands, not placed here (a copy)
    if out.moved and _copied(conn, {b.article for b in out.moved}):
        raise Refused(key)
    ids = set(out.joins) | set(out.leaves)
    out.rows = quick._rows(conn, ids, record=True)
    if set(out.rows) != ids:
        raise Refused(key)  # (or it has no tally, or several surnames)
    for ident in sorted(ids):
        old = out.rows[ident]
        members = T._record(old.tally)["members"]
        had = {k.split("#", 1)[0] for k in members}
        arts = [p.article for p in out.joins[ident]]
        if any(a in had for a in arts) or len(set(arts)) < len(arts):
            raise Refused(key)  # one article, two people of one identity: the guard would refuse
        leaving = {p.key for p in out.leaves[ident]}
        originals = [(k, v[4] if len(v) > 4 else None) for k, v in members.items() if not v[3] and k not in leaving]
        if _id("PERSON", originals + [(p.key, p.published) for p in out.joins[ident]]) != ident:
            raise Refused(key)  # its earliest member would change, and its id with it
    return out


def _write(conn: Connection, surname: str, moves: _Moves, person_row: Any) -> set[str]:
    """Store the moves; returns the articles whose stories must be redone beyond the new ones."""
    i, m = T.identities, T.identity_mentions
    rows, parts, placed = [], [], {}
    changed: set[str] = set()
    for ident in sorted(moves.rows):
        old = moves.rows[ident]
        members = moves.joins.get(ident, [])
        redo = {p.article for p in members + moves.leaves.get(ident, [])}
        row, made = person_row(conn, old.block, old, Identity(ident, "PERSON", "", members), redo, ident)
        rows.append(row)
        parts += made
        placed |= {p.key: ident for p in members}
        if row["country"] != old.country:
            changed |= report_rows.naming(conn, ident, set(conn.execute(
                select(m.c.article_id).where(m.c.identity_id == ident)).scalars()))
    for label in sorted(moves.starts):
        members = moves.starts[label]
        ident = _id("PERSON", [(p.key, p.published) for p in members])
        row, made = person_row(conn, "n:" + surname, None, Identity(ident, "PERSON", "", members), set(), ident)
        rows.append(row)
        parts += made
        placed |= {p.key: ident for p in members}
        if ident in moves.shown and moves.shown[ident] != (row["country"] or ""):
            changed |= report_rows.naming(conn, ident, {p.article for p in members})  # the reports carry its country
    # a member of an identity that no longer stands changes only where its id or country does (its
    # name a stored story reads as it is read, `resolved.with_names`)
    changed |= {b.article for b in moves.moved if moves.was.get(b.key) not in moves.shown
                or placed[b.key] != moves.was[b.key]}
    for chunk in quick._chunks(set(moves.rows) | moves.gone):
        conn.execute(delete(i).where(i.c.id.in_(chunk)))
    for chunk in quick._chunks(moves.gone - set(moves.rows)):  # (a row rewritten keeps its other members' parts)
        conn.execute(delete(T.identity_parts).where(T.identity_parts.c.identity_id.in_(chunk)))
    for b in moves.moved:
        conn.execute(delete(m).where(m.c.article_id == b.article, m.c.entity_id.in_(b.entities)))
    if rows:
        conn.execute(insert(i), rows)
    if parts:
        conn.execute(insert(T.identity_parts), parts)
    links = [{"article_id": q.article, "entity_id": e, "identity_id": placed[q.key]}
             for q in moves.new + moves.moved for e in q.entities]
    if links:
        conn.execute(insert(m), links)
    return changed


def _alone(conn: Connection, ids: set[str]) -> set[str]:
    """Of these identities, those with one article (a bare mention that stood alone)."""
    i = T.identities
    out: set[str] = set()
    for chunk in quick._chunks(ids):  # (by id: a test of `articles` in SQL reads most people through its index)
        out |= {r.id for r in conn.execute(select(i.c.id, i.c.articles).where(i.c.id.in_(chunk))) if r.articles == 1}
    return out


def _copied(conn: Connection, articles: set[str]) -> bool:
    """Whether some of these articles have near-duplicate copies stored."""
    a = schema.articles
    for chunk in quick._chunks(articles):
        if conn.execute(select(func.count()).select_from(a).where(a.c.duplicate_of.in_(chunk))).scalar():
            return True
    return False
