"""What resolution reads from one document: its people, bodies and places as comparable mentions.

A `Local` is one person (or body) of one article: the entities the analyzer left apart that are
plainly one ("Tomás Brel" and "Tomas Brel", or "Omar al-Rashid" and a bare "Rashid" when
no other Rashid is named there) gathered, with the names, country, roles and the other people
of that article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document, Entity
from .names import Name, fold, parse, relation

AGENT_TYPES = ("PERSON", "ORG")
PLACE_TYPES = ("GPE", "LOC", "FAC")


@dataclass(frozen=True)
class Seen:
    """A role as one article gives it: the normalised title, whom of, and the words written."""

    title: str
    of: str | None
    text: str
    published: str | None


@dataclass
class Local:
    """One person or body of one article (one or more of its entities)."""

    article: str
    type: str
    entities: list[str]
    name: str  # the longest name
    names: list[str]
    parsed: Name
    country: str | None
    roles: list[Seen]
    file: str | None = None
    published: str | None = None
    others: frozenset[str] = field(default_factory=frozenset)  # keys of the article's other people
    copy_of: str | None = None  # for a near-duplicate article: the article it copies
    place: str | None = None  # for a place: its gazetteer key

    key: str = field(init=False, repr=False, compare=False)  # "ARTICLE#ENTITY"

    def __post_init__(self) -> None:
        self.key = f"{self.article}#{self.entities[0]}"  # read millions of times in a pass; never changes


def locals_of(doc: Document) -> list[Local]:
    """The article's people and bodies, entities that are plainly one person gathered."""
    art = doc.article
    people = [e for e in doc.entities if e.type == "PERSON" and parse(e.name).words]
    bodies = [e for e in doc.entities if e.type == "ORG" and fold(e.name)]
    groups = _gather_people(people)
    out = [_local(doc, group, "PERSON") for group in groups]
    out += [_local(doc, [e], "ORG") for e in sorted(bodies, key=lambda e: e.id)]
    places = [e for e in doc.entities if e.type in PLACE_TYPES and fold(e.name)]
    out += [_local(doc, [e], e.type, place=_gazetteer_key(e)) for e in sorted(places, key=lambda e: e.id)]
    keys = frozenset(p.key for p in out if p.type == "PERSON")
    for p in out:
        p.file, p.published = art.file, art.published
        p.others = keys - {p.key}
    return out


def _gather_people(people: list[Entity]) -> list[list[Entity]]:
    """Entities of one article that are one person: equal names, or a bare surname that only
    one fuller name there carries (ties broken by a shared role or country, else left apart)."""
    people = sorted(people, key=lambda e: (-len(parse(e.name).words), e.id))
    groups: list[list[Entity]] = []
    for ent in people:
        name = parse(ent.name)
        fits = [g for g in groups if relation(parse(g[0].name), name) == "same"]
        if not fits and name.single:
            fits = [g for g in groups if relation(parse(g[0].name), name) == "surname"]
            if len(fits) > 1:
                fits = [g for g in fits if _agrees(g[0], ent)]
        if len(fits) == 1:
            fits[0].append(ent)
        else:
            groups.append([ent])
    return groups


def _agrees(a: Entity, b: Entity) -> bool:
    """Country or a role title in common."""
    if a.country and a.country == b.country:
        return True
    return bool({fold(r.title) for r in a.roles} & {fold(r.title) for r in b.roles})


def _gazetteer_key(e: Entity) -> str | None:
    """A place's gazetteer id, else its folded name within its country, else None (not joined)."""
    geo = e.geo or {}
    if geo.get("geonameid"):
        return f"geonames:{geo['geonameid']}"
    country = geo.get("country") or e.country
    return f"{country}:{fold(e.name)}" if country else None


def _local(doc: Document, group: list[Entity], kind: str, place: str | None = None) -> Local:
    head = group[0]
    names = sorted({n for e in group for n in (e.name, *e.aliases) if n.strip()})
    countries = sorted({e.country for e in group if e.country})
    roles = [
        Seen(fold(r.title), r.of, _written(doc, r.start, r.end) or r.title, doc.article.published)
        for e in group for r in e.roles if r.title and r.title.strip()
    ]
    return Local(
        article=doc.article.id, type=kind, entities=[e.id for e in group], name=head.name,
        names=names, parsed=parse(head.name), country=countries[0] if len(countries) == 1 else None,
        roles=roles, place=place,
    )


def _written(doc: Document, start: int | None, end: int | None) -> str | None:
    """The role as the article writes it ("British Prime Minister"), when its span is known."""
    if start is None or end is None or not 0 <= start < end <= len(doc.article.text):
        return None
    return " ".join(doc.article.text[start:end].split())


def local_to(p: Local) -> dict:
    """A person of an article as `resolve_people` keeps it."""
    return {"article": p.article, "type": p.type, "entities": p.entities, "name": p.name, "names": p.names,
            "country": p.country, "roles": [[r.title, r.of, r.text, r.published] for r in p.roles],
            "file": p.file, "published": p.published, "others": sorted(p.others), "place": p.place}


def local_from(d: dict) -> Local:
    return Local(article=d["article"], type=d["type"], entities=list(d["entities"]), name=d["name"],
                 names=list(d["names"]), parsed=parse(d["name"]), country=d["country"],
                 roles=[Seen(*r) for r in d["roles"]], file=d["file"], published=d["published"],
                 others=frozenset(d["others"]), place=d["place"])
