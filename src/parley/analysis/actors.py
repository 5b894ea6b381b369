"""Country (ISO 3166-1 alpha-3) and actor sector for people, organisations and groups.

An actor's country and sector come from what the article says about it, strongest evidence first:
- a person: the body of each role ("mayor of Lima" -> Lima's country; "Vice President of the Acme
  Chamber" -> that organisation's country and sector), a demonym in a title ("Peruvian trade
  minister"), the sector a title implies (mayor -> GOV, professor -> EDU);
- an organisation: the places and demonyms in its name ("Peru Chamber of Commerce in China" ->
  PER: the first country that is not where the story is set, since "in China" says where it sits),
  keywords in its name for the sector (`resources/org_sectors.tsv`), else where the story is set;
- a group: the places it comes from and its members ("a delegation of mayors from Peru" -> PER, GOV).
Places and demonyms are resolved by `places`; the keyword and title lists are data.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from ..document import Document, Entity, Role
from .lexicon import group_nouns, org_keywords, titles
from .places import countries_in, lookup

_GROUP_MEMBER_SECTORS = (
    (re.compile(r"\b(business|corporate|company|companies|industry|industrial|entrepreneurs?|investors?|"
                r"executives?|bankers?|traders?|firms?)\b", re.I), "BUS"),
    (re.compile(r"\b(officials?|government|mayors?|ministers?|governors?|diplomats?|civil servants?)\b", re.I), "GOV"),
    (re.compile(r"\b(lawmakers?|legislators?|parliamentarians?|senators?|MPs|congressmen)\b", re.I), "LEG"),
    (re.compile(r"\b(students?|academics?|scholars?|professors?|universit(y|ies)|researchers?)\b", re.I), "EDU"),
    (re.compile(r"\b(journalists?|reporters?|media|editors?)\b", re.I), "MED"),
    (re.compile(r"\b(doctors?|physicians?|nurses?|health)\b", re.I), "HLH"),
    (re.compile(r"\b(activists?|volunteers?|charities|NGOs?)\b", re.I), "CVL"),
    (re.compile(r"\b(soldiers?|officers?|military|troops)\b", re.I), "MIL"),
)  # fmt: skip


def assign_countries_and_sectors(spacy_doc: Any, document: Document) -> None:
    """Set `country` and `sector` on every person, organisation and group entity."""
    setting = story_country(document)
    by_name = _names(document)
    orgs = [e for e in document.entities if e.type == "ORG"]
    for entity in orgs:
        _organisation(entity, setting)
    for entity in document.entities:
        if entity.type == "GROUP":
            _group(entity, setting)
    for entity in document.entities:
        if entity.type == "PERSON":
            _person(entity, setting, by_name)


def retype_org_places(spacy_doc: Any, document: Document) -> None:
    """An "organisation" named exactly like a known place, with no organisation word in it, is the place.

    The small model labels regions and districts ORG about as often as GPE; left as ORG they get
    neither coordinates nor a place's role in events.
    """
    for entity in document.entities:
        if entity.type == "ORG" and organisation_sector(entity.name) is None and lookup(entity.name) is not None:
            entity.type = "GPE"


def story_country(document: Document) -> str | None:
    """Where the story is set: the dateline's country, else the country of most place mentions."""
    if document.article.dateline_geo and document.article.dateline_geo.get("country"):
        return document.article.dateline_geo["country"]
    counts: Counter[str] = Counter()
    for entity in document.entities:
        if entity.type in {"GPE", "LOC", "FAC"} and entity.country:
            counts[entity.country] += len(entity.mentions)
    return counts.most_common(1)[0][0] if counts else None


def _names(document: Document) -> dict[str, Entity]:
    names = {}
    for entity in document.entities:
        for name in (entity.name, *entity.aliases):
            names.setdefault(_key(name), entity)
    return names


def _key(name: str) -> str:
    return re.sub(r"^(the|a|an) ", "", " ".join(name.casefold().replace("’", "'").split()))


def _organisation(entity: Entity, setting: str | None) -> None:
    entity.sector = entity.sector or organisation_sector(entity.name)
    entity.country = entity.country or _foreign_first(_countries_of_names(entity), setting) or setting


def _countries_of_names(entity: Entity) -> list[str]:
    found: list[str] = []
    for name in (entity.name, *entity.aliases):
        found += [c for c in countries_in(name) if c not in found]
    return found


def _foreign_first(countries: list[str], setting: str | None) -> str | None:
    """ "Peru Chamber of Commerce in China" in a story set in China is Peru's chamber."""
    if not countries:
        return None
    return next((c for c in countries if c != setting), countries[0])


@lru_cache(maxsize=4096)
def organisation_sector(name: str) -> str | None:
    """The sector an organisation's name signals, by the most specific keyword in it."""
    lowered = f" {name.casefold()} "
    for keyword, sector in org_keywords():
        if re.search(rf"(?<![\w&]){re.escape(keyword)}(?![\w&])", lowered):
            return sector
    return None


def _group(entity: Entity, setting: str | None) -> None:
    texts = [entity.name, *entity.aliases]
    if not entity.country:
        found = [c for text in texts for c in countries_in(text)]
        entity.country = Counter(found).most_common(1)[0][0] if found else None
    if not entity.sector:
        noun_sector = next((group_nouns().get(w) for w in entity.name.lower().split() if group_nouns().get(w)), None)
        entity.sector = noun_sector or _members_sector(" ".join([entity.members or "", *texts]))


def _members_sector(text: str) -> str | None:
    sector = titles().sector_of(text.split(" from ")[0]) if text else None
    if sector:
        return sector
    for pattern, found in _GROUP_MEMBER_SECTORS:
        if pattern.search(text):
            return found
    return None


def _person(entity: Entity, setting: str | None, by_name: dict[str, Entity]) -> None:
    evidence = [_role_evidence(role, setting, by_name) for role in entity.roles]
    entity.country = entity.country or next((c for c, _ in evidence if c), None)
    entity.sector = entity.sector or next((s for _, s in evidence if s), None)


def _role_evidence(role: Role, setting: str | None, by_name: dict[str, Entity]) -> tuple[str | None, str | None]:
    """(country, sector) one role gives: from the body it belongs to, else from the title itself."""
    title_sector = titles().sector_of(role.title)
    title_country = next(iter(countries_in(role.title)), None)  # "Peruvian trade minister"
    if not role.of:
        return title_country, title_sector
    body = by_name.get(_key(role.of))
    if body is not None and body.type in {"ORG", "GROUP"}:
        return body.country or title_country, title_sector or body.sector
    if body is not None and body.type in {"GPE", "LOC", "FAC"} and body.country:
        return body.country, title_sector or "GOV"  # "president of Peru": a public office
    body_sector = organisation_sector(role.of)
    if body_sector:
        return _foreign_first(countries_in(role.of), setting) or title_country, title_sector or body_sector
    place = _place_country(role.of, setting)
    if place:
        return place, title_sector or "GOV"
    return _foreign_first(countries_in(role.of), setting) or title_country, title_sector


def _place_country(name: str, setting: str | None) -> str | None:
    place = lookup(name, (setting,) if setting else ())
    return place.country if place else None
