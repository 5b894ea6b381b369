"""People and bodies across articles: one identity per person, joined by name with context.

Joining rules, strongest first (each a pass; a pass sees the clusters the earlier ones made):
1. the same full name ("Anna Varga" / "Ruritanian Prime Minister Anna Varga"), or one full name
   inside another with the same given name and surname ("Lukas Varga" is not "Anna Lukas Varga");
2. the same surname with given names spelt differently (Omar / Omer al-Rashid), when the context
   agrees: the same country, a role title in common, or another person both articles name (the
   first mention of the name that sorts first, read against the other name's cluster as it
   stands, its joined parts together);
3. a bare surname ("Mrs Varga", "Lindqvist") joins the one identity with that surname whose context
   agrees, context read from its mentions within `bare_window_days` of the bare one (a surname
   names whoever the news called so at the time); two bare surnames join only on agreeing
   context too. A shared surname or given name
   alone never joins.
Never in one identity: two full names with different given names (Pavel / Greta Holm).
Bodies (ORG) join on the same folded name when it can name one body; places (GPE, LOC, FAC) on
their gazetteer id.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .clusters import Clusters
from .lexicon import rules, words
from .mentions import PLACE_TYPES, Local
from .names import Name, fold, parse, relation, variant_lengths


@dataclass
class Identity:
    id: str
    type: str
    name: str
    members: list[Local] = field(default_factory=list)

    def to_dict(self) -> dict:
        names = sorted({n for m in self.members for n in m.names})
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "names": names,
            "roles": roles_over_time(self.members),
            "articles": len({m.article for m in self.members}),
            "mentions": [_mention(m) for m in sorted(self.members, key=lambda m: (m.article, m.entities))],
        }


def resolve_identities(people: list[Local]) -> tuple[list[Identity], dict[str, str]]:
    """Identities of the people, bodies and places given, and each Local key's identity id."""
    out: list[Identity] = []
    for kind in ("PERSON", "ORG", "PLACE"):
        group = sorted((p for p in people if p.type == kind or (kind == "PLACE" and p.type in PLACE_TYPES)),
                       key=lambda p: p.key)
        clusters = {"PERSON": _people, "ORG": _bodies, "PLACE": _places}[kind](group)
        by_key = {p.key: p for p in group}
        for keys in clusters.groups():
            members = [by_key[k] for k in keys]
            types = Counter(m.type for m in members)
            ident_id = _id(kind, [(m.key, m.published) for m in members]) if kind == "PERSON" else keyed_id(name_key(members[0]))
            out.append(Identity(ident_id, sorted(types, key=lambda t: (-types[t], t))[0],
                                _display(members), members))
    index = {m.key: ident.id for ident in out for m in ident.members}
    return sorted(out, key=lambda i: i.id), index


def _people(group: list[Local]) -> Clusters:
    clusters = Clusters(p.key for p in group)
    clash = _Guard({p.key: p for p in group})
    full_names(group, clusters, clash)
    _bare_surnames(group, clusters, clash)
    return clusters


def full_names(group: list[Local], clusters: Clusters, clash: _Guard) -> None:
    """Rules 1 and 2 on `group` (sorted by key): the full names joined, before bare surnames.
    The people named with them are found in `clusters` as they stand (`variants.settle` gives
    it people outside `group`, found as this order reads them then: `variants._as_met`)."""
    by_name: dict[tuple[str, ...], list[Local]] = defaultdict(list)
    for p in group:
        if not p.parsed.single:
            by_name[p.parsed.words].append(p)
    for same in by_name.values():  # one full name, one person
        for p in same[1:]:
            clusters.join(same[0].key, p.key, clash)
    by_surname: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    for name_words in sorted(by_name):  # "same" and "variant" names share a surname and an initial
        name = by_name[name_words][0].parsed
        by_surname[(name.surname, (name.given or " ")[0])].append(name_words)
    pairs = [(by_name[x][0], by_name[y][0], rel) for block in by_surname.values() for i, x in enumerate(block)
             for y in block[i + 1:] if (rel := _related(by_name[x][0].parsed, by_name[y][0].parsed))]
    for a, b, rel in pairs:
        if rel == "same":
            clusters.join(a.key, b.key, clash)
    context = _JoiningContext(group, clusters)
    for a, b, rel in pairs:
        if rel == "variant" and context.agree(a, root := clusters.find(b.key)):
            other = clusters.find(a.key)
            if clusters.join(a.key, b.key, clash) and other != root:
                context.joined(root, other)


def _related(a: Name, b: Name) -> str | None:
    """`relation` of two full names of one block (surname and initial) when it can be "same" or
    "variant", else None, without the edit distance where lengths alone rule a variant out: a
    common surname's block holds thousands of pairs, nearly all "different"."""
    if a.given != b.given and (len(a.words) != len(b.words) or not variant_lengths(a.given or "", b.given or "")):
        return None  # "same" needs one given name; "variant" as many words, and a spelling variant's lengths
    rel = relation(a, b)
    return rel if rel in ("same", "variant") else None


class _Context:
    """What a cluster's articles say of it, as it stands: countries, role titles, the clusters
    of the other people named with it."""

    def __init__(self, group: list[Local], clusters: Clusters) -> None:
        self.clusters = clusters
        self.countries: dict = defaultdict(set)
        self.titles: dict = defaultdict(set)
        self.others: dict = defaultdict(set)
        for p in group:
            root = clusters.find(p.key)
            if p.country:
                self.countries[root].add(p.country)
            self.titles[root] |= {r.title for r in p.roles}
            self.others[root] |= {clusters.find(k) for k in p.others}

    def agree(self, p: Local, root) -> bool:
        """Country, a role title, or another person in common between `p` and the cluster."""
        if p.country and p.country in self.countries[root]:
            return True
        if {r.title for r in p.roles} & self.titles[root]:
            return True
        return bool({self.clusters.find(k) for k in p.others} & self.others[root])


class _JoiningContext(_Context):
    """`_Context` for rule 2, whose joins happen while it is read: a joined cluster's context is
    its parts' together, and the clusters of the people named with it are found as they stand.
    So what a decision reads does not hang on which part's key is the smallest (the joined
    cluster's root), and a cluster that gains members or context only agrees more: what lets a
    pass that adds a mention tell that a decision stays (`window`)."""

    def agree(self, p: Local, root) -> bool:
        if p.country and p.country in self.countries[root]:
            return True
        if {r.title for r in p.roles} & self.titles[root]:
            return True
        met = {self.clusters.find(k) for k in p.others}
        return bool(met & {self.clusters.find(k) for k in self.others[root]})

    def joined(self, a, b) -> None:
        """Clusters `a` and `b` (roots) are one now: the root kept holds both contexts."""
        keep, gone = sorted((a, b))
        self.countries[keep] |= self.countries.pop(gone, set())
        self.titles[keep] |= self.titles.pop(gone, set())
        self.others[keep] |= self.others.pop(gone, set())


def _bare_surnames(group: list[Local], clusters: Clusters, clash) -> None:
    """A bare surname joins the one identity of that surname whose mentions within
    `bare_window_days` of it agree with it (with no full name of that word about then, every
    one whose context agrees). A bare "Mrs Varga" names whoever the news called Varga at the
    time: what a Varga did years before or after neither joins her nor rules her out."""
    by_surname: dict[str, list[Local]] = defaultdict(list)
    for p in group:
        by_surname[p.parsed.surname].append(p)
    joins = []
    for surname in sorted(by_surname):
        people = by_surname[surname]
        if not any(p.parsed.single for p in people):
            continue
        dated = sorted((d, p.key) for p in people if (d := day(p.published)) is not None)
        undated = [p for p in people if day(p.published) is None]
        by_key = {p.key: p for p in people}
        for p in people:
            if not p.parsed.single:
                continue
            own = clusters.find(p.key)
            d = day(p.published)
            if d is None:
                near = people
            else:
                lo = bisect.bisect_left(dated, (d - window(), ""))
                hi = bisect.bisect_right(dated, (d + window(), "\uffff"))
                near = [by_key[k] for _, k in dated[lo:hi]] + undated
            context = _NearContext([q for q in near if q.key != p.key], clusters)
            fitting = {r for r in context.roots if r != own and context.agree(p, r)}
            named = fitting & context.full
            if len(named) == 1:
                joins.append((p.key, next(iter(named))))
            elif not named and not context.full:
                joins += [(p.key, r) for r in fitting]
    for a, b in sorted(joins):
        clusters.join(a, b, clash)


def window() -> timedelta:
    """How far apart in time a bare surname and the mentions that decide it may be."""
    return timedelta(days=rules().bare_window_days)


def day(published: str | None) -> date | None:
    """An article's date (None when it has none, or none that reads as a date)."""
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def near(a: str | None, b: str | None) -> bool:
    """Whether two article dates lie within the bare-surname window (an undated one is near all)."""
    da, db = day(a), day(b)
    return da is None or db is None or abs(da - db) <= window()


class _NearContext(_Context):
    """What the mentions near a bare surname say of their clusters (as they stand before bare
    surnames join): as `_Context`, and which clusters are there and which have a full name there."""

    def __init__(self, mentions: list[Local], clusters: Clusters) -> None:
        super().__init__(mentions, clusters)
        self.roots = {clusters.find(q.key) for q in mentions}
        self.full = {clusters.find(q.key) for q in mentions if not q.parsed.single}


class _Guard:
    """Refuses a join that would put two different full names (Pavel / Greta Holm) or two
    people of one article in one identity; keeps each cluster's full names and articles."""

    def __init__(self, by_key: dict[str, Local]) -> None:
        self.names = {k: ({p.parsed} if not p.parsed.single else set()) for k, p in by_key.items()}
        self.articles = {k: {p.article} for k, p in by_key.items()}

    def __call__(self, left, right) -> bool:
        if any(relation(x, y) == "different" for x in self.names[left] for y in self.names[right]):
            return True
        if self.articles[left] & self.articles[right]:
            return True
        keep, gone = sorted((left, right))  # the join goes ahead: the kept root gathers both
        self.names[keep] |= self.names.pop(gone)
        self.articles[keep] |= self.articles.pop(gone)
        return False


def _places(group: list[Local]) -> Clusters:
    """Places join on their gazetteer id (or name within a country)."""
    clusters = Clusters(p.key for p in group)
    by_place: dict[str, list[Local]] = defaultdict(list)
    for p in group:
        if p.place:
            by_place[p.place].append(p)
    for block in by_place.values():
        for p in block[1:]:
            clusters.join(block[0].key, p.key)
    return clusters


def _bodies(group: list[Local]) -> Clusters:
    """Bodies join on the same name, when the name can identify one: two words or more, or an
    acronym ("State" or "Defense" alone names no one body)."""
    clusters = Clusters(p.key for p in group)
    by_name: dict[str, list[Local]] = defaultdict(list)
    for p in group:
        if _body_joins(p):
            by_name[_body_key(p.name)].append(p)
    for block in by_name.values():
        for p in block[1:]:
            clusters.join(block[0].key, p.key)
    return clusters


def _body_key(name: str) -> str:
    words = fold(name).split()
    return " ".join(words[1:] if words and words[0] == "the" else words)


def _body_joins(p: Local) -> bool:
    return len(_body_key(p.name).split()) >= 2 or (p.name.isupper() and len(p.name) >= 2)


def name_key(p: Local) -> str:
    """The key every member of `p`'s identity shares: every joining rule needs it in common. A
    person's surname ("n:varga"); a body's folded name ("o:ministry of trade"), or its mention
    ("o1:ARTICLE#ENTITY") when the name cannot identify one body; a place's gazetteer key
    ("g:geonames:1"), or its mention when it has none. A body or place is made by its key alone."""
    if p.type == "PERSON":
        return "n:" + p.parsed.surname
    if p.type == "ORG":
        return "o:" + _body_key(p.name) if _body_joins(p) else "o1:" + p.key
    return "g:" + (p.place or p.key)


def keyed_id(key: str) -> str:
    """A body's or place's id: from its name key, so that it never changes as mentions come in
    (a person's comes from its earliest member, as merges and splits move members)."""
    return ("o" if key.startswith("o") else "g") + hashlib.sha1(key.encode()).hexdigest()[:12]


def _display(members: list[Local]) -> str:
    """The longest name without titles, ties broken by how many articles use it, then alphabetically."""
    counts: dict[str, int] = defaultdict(int)
    for m in members:
        counts[m.name] += 1
    return sorted(counts, key=lambda n: (-len(parse(n).words), -counts[n], n))[0]


def _id(kind: str, members: list[tuple[str, str | None]]) -> str:
    """A person's id: from its earliest member ((key, article date) pairs; by date, then key; an
    undated one last). From the content, so the same in any order; and as news comes in date
    order, a new mention seldom renames the identity (a renamed identity's stories are redone)."""
    prefix = {"PERSON": "p", "ORG": "o"}.get(kind, "g")
    first = min(members, key=lambda m: (m[1] or "9999", m[0]))[0]
    return prefix + hashlib.sha1(first.encode()).hexdigest()[:12]


def roles_over_time(members: list[Local]) -> list[dict]:
    """Each title held (short forms read as the title: "Gov." is governor), with whom of, the
    first and last article dates it was seen, in how many articles, and how it was written."""
    seen: dict[str, dict] = {}
    for m in members:
        for r in m.roles:
            title = canonical_title(r.title)
            row = seen.setdefault(title, {"title": title, "of": Counter(), "first_seen": None,
                                          "last_seen": None, "articles": set(), "written": set()})
            if r.of:
                row["of"][r.of] += 1
            row["articles"].add(m.article)
            row["written"].add(r.text)
            if r.published:
                row["first_seen"] = min(filter(None, (row["first_seen"], r.published)))
                row["last_seen"] = max(filter(None, (row["last_seen"], r.published)))
    out = []
    for title in sorted(seen, key=lambda t: (seen[t]["first_seen"] or "9999", t)):
        row = seen[title]
        of = sorted(row["of"], key=lambda o: (-row["of"][o], o))
        out.append({**row, "of": of[0] if of else None, "articles": len(row["articles"]),
                    "written": sorted(row["written"])})
    return out


def canonical_title(title: str) -> str:
    """A folded title with its short forms spelt out ("gov" -> "governor")."""
    short = words().abbreviations
    return " ".join(short.get(w, w) for w in fold(title).split())


def _mention(m: Local) -> dict:
    roles = []
    for r in m.roles:
        for title in dict.fromkeys((r.text, r.title)):
            roles.append({"title": title, "of": r.of})
    uniq = {(r["title"], r["of"] or ""): r for r in roles}
    return {
        "article": m.article, "file": m.file, "entity": m.entities[0], "entities": m.entities,
        "copy_of": m.copy_of,
        "name": m.name, "names": m.names, "published": m.published,
        "roles": [uniq[k] for k in sorted(uniq)],
    }
