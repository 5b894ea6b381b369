"""A new mention's related full names decided again from their own mentions, not from the whole surname.

When a new full name may join or part spelling variants (rule 2 reads context), or is "same" as
another name (rule 1), `window` used to re-resolve its whole surname: for a surname shared by
many people, thousands of articles, when the names involved are a handful. Rules 1 and 2 only
ever join names of one block (surname + initial) related "same" or "variant", so the names a new
mention can move are its name's component: the names reached from it through those relations
(`identities._related`), closed over the block. Their mentions are all held by the stored
identities of those names (a name's mentions are one cluster unless the guard keeps two apart;
a mention found outside them is refused). Here those mentions and the new ones are joined
again by rules 1 and 2 (`identities.full_names`), with every other person named with them
found as the window path finds it: a bare mention as itself, a full name as its stored
identity (`window._Finder`).

The answer is used only when the stored mentions come out partitioned exactly as stored: each
stored identity's full-name mentions one cluster, no two identities joined. Then only new
mentions moved, each into one stored identity or into a cluster of new mentions alone, and the
bare mentions that could follow are those near the new ones, which `window` decides as before.
Otherwise (a join or a split among stored identities), None: the whole surname is re-resolved.
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
from .mentions import Local, local_from
from .names import Name
from .quick import name_block

MAX_MENTIONS = 2000  # the most stored mentions a component may have for this path to read them


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
    found = set(new)
    todo = sorted(new)
    while todo:
        name = todo.pop()
        parsed = Name(name)
        for other in sorted((set(stored.get(name_block(name), {})) | new) - found):
            if name_block(other) == name_block(name) and _related(parsed, Name(other)):
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


def settle(conn: Connection, new: list[Local], find: Callable[[str], str | None]) -> Settled | None:
    """Rules 1 and 2 on the components of the new full-name mentions of one surname (`new`), with
    their names' stored mentions. Each new mention, and each stored one whose identity does not
    stand as it was (joined to another, or split), gets a label: the stored identity its cluster
    is (with nothing else of another identity), or "new:" and its cluster's smallest key. None
    when the mentions cannot all be read (module docstring). `find` gives the cluster of a person
    named with a new mention (None: unknown)."""
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
    group, labels = _stored_mentions(conn, {k.split("#", 1)[0] for k in members}, names)
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
                     ) -> tuple[list[Local], dict[str, str | None]]:
    """The stored mentions of `names` in these articles, and the label of every person named in
    them (a bare mention: itself; a full name: its stored identity, None when it has none)."""
    rp = T.resolve_people
    ident = quick._stored_identities(conn, articles)
    group: list[Local] = []
    labels: dict[str, str | None] = {}
    for chunk in quick._chunks(articles):
        for row in conn.execute(select(rp.c.people).where(rp.c.article_id.in_(chunk))):
            for q in (local_from(d) for d in T._record(row.people)):
                labels[q.key] = q.key if q.parsed.single else ident.get(q.key)
                if not q.parsed.single and q.parsed.words in names:
                    group.append(q)
    return group, labels
