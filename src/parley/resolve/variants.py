"""A new mention's related full names decided again from their own mentions, not from the whole surname.

When a new full name may join or part spelling variants (rule 2 reads context), or is "same" as
another name (rule 1), `window` used to re-resolve its whole surname: for a surname shared by
many people, thousands of articles, when the names involved are a handful. Rules 1 and 2 only
ever join names of one block (surname + initial) related "same" or "variant", so the names a new
mention can move are its name's component: the names reached from it through those relations
(`identities._related`), closed over the block. Their mentions are all held by the stored
identities of those names (a name's mentions are one cluster unless the guard keeps two apart;
a mention found outside them is refused). Here those mentions and the new ones are joined
again by rules 1 and 2 (`identities.full_names`). Every other person named with them is read
as rule 2 reads it when the component's pairs come (`_as_met`): a bare mention as itself; a
full name as its stored identity, unless its block comes later in rule 2's order (blocks go by
their first names) and its identity holds spelling variants, which are not joined yet then: as
the names its identity holds "same" as its own.

Where the stored mentions come out grouped as stored, only new mentions moved, each into one
stored identity or into a cluster of new mentions alone. Where two stored identities join, or
one splits, they no longer stand (`Settled.gone`): `window` moves their mentions to the new
clusters and decides again the bare mentions near them. None where the mentions cannot all be
read: the whole surname is re-resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..store import resolved as T
from . import quick
from .clusters import Clusters
from .identities import _Guard, _related, full_names
from .mentions import Local
from .names import Name, relation
from .quick import name_block

# The most stored mentions a component may have for this path to read them: a bound on what one
# settling holds in memory, not on its cost. The whole surname, read instead, holds the component
# and more, so a lower bound only sends a common surname's large component (a generated
# 100,000-article store: 115 names, 2,325 mentions) to the slower path (there 4.9 s for a batch).
MAX_MENTIONS = 50_000


class Unknown(Exception):
    """A person named with the component whose cluster cannot be told here."""


class _Labelled(Clusters):
    """The component's clusters; any other person is found as its label (`outside`), and a label
    as itself (rule 2 finds the clusters it gathered again)."""

    def __init__(self, keys: Iterable[Hashable], outside: Callable[[str], str | None]) -> None:
        super().__init__(keys)
        self.outside = outside
        self.labels: set[str] = set()

    def find(self, key: Hashable) -> Hashable:
        if key in self:
            return super().find(key)
        if key in self.labels:
            return key
        label = self.outside(key)
        if label is None:
            raise Unknown(key)
        self.labels.add(label)
        return label


def holders(conn: Connection, names: dict[tuple[str, ...], str]) -> dict[str, str]:
    """The stored identity of each of these full names (each with an article that names it),
    keyed as `quick._identities_of` keys a variant's ("~" and its words)."""
    wanted = {quick._VARIANT + " ".join(v): (a, v) for v, a in names.items()}
    return quick._identities_of(conn, {a for a, _ in wanted.values()}, wanted)


def component(new: set[tuple[str, ...]], stored: dict[str, dict[tuple[str, ...], str]]) -> set[tuple[str, ...]]:
    """The full names reached from the `new` ones through "same" and "variant" relations, among
    them and the stored names of their blocks (`stored`: block -> name -> an article)."""
    return _reached(new, lambda name: (set(stored.get(name_block(name), {})) | new),
                    lambda a, b: name_block(a) == name_block(b) and bool(_related(Name(a), Name(b))))


def _reached(start: set[tuple[str, ...]], among: Callable[[tuple[str, ...]], Iterable[tuple[str, ...]]],
             linked: Callable[[tuple[str, ...], tuple[str, ...]], bool]) -> set[tuple[str, ...]]:
    """The names reached from `start` through `linked` pairs, each name's candidates `among`."""
    found, todo = set(start), sorted(start)
    while todo:
        name = todo.pop()
        for other in sorted(set(among(name)) - found):
            if linked(name, other):
                found.add(other)
                todo.append(other)
    return found


@dataclass
class Settled:
    """What rules 1 and 2 make of a component with its new mentions."""

    labels: dict[str, str] = field(default_factory=dict)  # new or regrouped mention key -> its label
    gone: dict[str, Any] = field(default_factory=dict)  # stored identities that no longer stand -> their rows
    regrouped: list[Local] = field(default_factory=list)  # their stored full-name mentions
    held: dict[str, str] = field(default_factory=dict)  # a regrouped mention's key -> its stored identity


def settle(conn: Connection, new: list[Local], find: Callable[[str], str | None],
           read: dict | None = None) -> Settled | None:
    """Rules 1 and 2 on the components of the new full-name mentions of one surname (`new`), with
    their names' stored mentions. Each new mention, and each stored one whose identity does not
    stand as it was (joined to another, or split), gets a label: the stored identity its cluster
    is (with nothing else of another identity), or "new:" and its cluster's smallest key. None
    when the mentions cannot all be read (module docstring). `find` gives the cluster of a person
    named with a new mention (None: unknown). `read` keeps what it reads of a component's stored
    mentions for a later call while nothing is written (a surname settled again, `window.apply`)."""
    full_new = sorted((p for p in new if not p.parsed.single), key=lambda p: p.key)
    if not full_new:
        return Settled()
    words = {p.parsed.words for p in full_new}
    stored = quick._block_names(conn, {name_block(w) for w in words})
    names = component(words, stored)
    known = {n: stored[name_block(n)][n] for n in names if n in stored.get(name_block(n), {})}
    held = holders(conn, known)
    idents = {held.get(quick._VARIANT + " ".join(n)) for n in known}
    if None in idents:
        return None
    rows = quick._rows(conn, idents)
    if set(rows) != idents:
        return None
    members: dict[str, str] = {}  # stored full-name mention key -> its identity
    for ident in sorted(idents):
        for key, v in T._record(rows[ident].tally)["members"].items():
            if not v[3] and len(w := quick._words(v[2])) > 1:
                if w not in names:
                    return None  # a name no rule joins to these (a correction)
                members[key] = ident
    if len(members) > MAX_MENTIONS:
        return None
    first = min(words.union(*(stored.get(name_block(w), {}) for w in words)))  # (the first name of their blocks)
    seen = (frozenset(members), frozenset(names), first)
    if read is not None and seen in read:
        group, labels = read[seen]
    else:
        group, met = _stored_mentions(conn, {k.split("#", 1)[0] for k in members}, names)
        labels = _as_met(conn, met, first)
        if read is not None:
            read[seen] = (group, labels)
    if {q.key for q in group} != set(members):
        return None  # a mention of these names held by another identity

    def outside(key: str) -> str | None:
        return labels.get(key) if key in labels else find(key)

    clusters = _Labelled([q.key for q in group] + [p.key for p in full_new], outside)
    everyone = sorted(group + full_new, key=lambda q: q.key)
    try:
        full_names(everyone, clusters, _Guard({q.key: q for q in everyone}))
    except Unknown:
        return None
    held_by: dict[Hashable, set[str]] = defaultdict(set)  # root -> the stored identities of its members
    roots: dict[str, set[Hashable]] = defaultdict(set)  # stored identity -> the roots of its members
    for key, ident in members.items():
        root = clusters.find(key)
        held_by[root].add(ident)
        roots[ident].add(root)
    stands = {ident for ident, found in roots.items() if len(found) == 1 and held_by[next(iter(found))] == {ident}}
    out = Settled(gone={ident: rows[ident] for ident in sorted(idents - stands)})
    out.regrouped = [q for q in group if members[q.key] in out.gone]
    out.held = {q.key: members[q.key] for q in out.regrouped}
    names_of: dict[Hashable, set[str]] = defaultdict(set)
    for q in [*full_new, *out.regrouped]:
        names_of[clusters.find(q.key)].add(q.parsed.full)
    for q in [*full_new, *out.regrouped]:
        root = clusters.find(q.key)
        ident = next(iter(held_by[root])) if len(held_by[root]) == 1 else None
        # a cluster of one new name has the label `window` gives a new name
        named = f"new:{q.parsed.full}" if len(names_of[root]) == 1 and not held_by[root] else f"new:{root}"
        out.labels[q.key] = ident if ident in stands else named
    return out


def _stored_mentions(conn: Connection, articles: set[str], names: set[tuple[str, ...]]
                     ) -> tuple[list[Local], list[tuple[Local, str | None]]]:
    """The stored mentions of `names` in these articles, and every person named in them with its
    stored identity (None: none)."""
    rp = T.resolve_people
    ident = quick._stored_identities(conn, articles)
    group: list[Local] = []
    met: list[tuple[Local, str | None]] = []
    for chunk in quick._chunks(articles):
        for row in conn.execute(select(rp.c.article_id, quick.PEOPLE).where(rp.c.article_id.in_(chunk))):
            for q in quick.stored_people(row.article_id, row.people):
                met.append((q, ident.get(q.key)))
                if not q.parsed.single and q.parsed.words in names:
                    group.append(q)
    return group, met


def _as_met(conn: Connection, met: list[tuple[Local, str | None]], first: tuple[str, ...]) -> dict[str, str | None]:
    """Each person's cluster as rule 2 reads it when the component's pairs come (`first`: the
    first name of their block). Rule 2 goes through the blocks in the order of their first names
    (`identities.full_names`): a block that comes later has not joined its spelling variants yet,
    so a person of it is read as the names its stored identity holds "same" as its own (rule 1),
    not as the identity. A bare mention is itself; a full name of an earlier block, or of an
    identity of one name, its stored identity."""
    i = T.identities
    ids = {ident for q, ident in met if ident is not None and not q.parsed.single}
    names: dict[str, list[tuple[str, ...]]] = {}
    for chunk in quick._chunks(ids):
        for row in conn.execute(select(i.c.id, i.c.names_lc).where(i.c.id.in_(chunk))):
            names[row.id] = sorted({w for n in (row.names_lc or "").split("\n") if len(w := quick._words(n)) > 1})
    varied = {ident for ident, ns in names.items() if len(ns) > 1}
    blocks = quick._block_names(conn, {name_block(names[ident][0]) for ident in varied})
    later = {ident for ident in varied if min(blocks.get(name_block(names[ident][0]), {}) or names[ident]) >= first}
    out: dict[str, str | None] = {}
    for q, ident in met:
        if q.parsed.single:
            out[q.key] = q.key
        elif ident in later:
            out[q.key] = ident + "|" + " ".join("_".join(n) for n in _same_group(q.parsed.words, names[ident]))
        else:
            out[q.key] = ident
    return out


def _same_group(words: tuple[str, ...], names: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The names reached from `words` through "same" relations (rule 1), among `names`."""
    return sorted(_reached({words}, lambda _: names, lambda a, b: relation(Name(a), Name(b)) == "same"))
