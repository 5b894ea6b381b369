"""A title used for a person already named is that person: "the Chinese ambassador said ...".

News names a person once with a title ("Ruritanian Ambassador Ana Ruiz") and later by the title
alone ("the Ruritanian ambassador", "Ruritania's envoy", "the ambassador"). Such a phrase becomes a
mention of the one person whose role has that title head (and, where the phrase names a country or
a body, whose role belongs to it); with two candidates it is left alone. A title phrase the
recogniser labelled an organisation ("Ruritania CM") is folded into that person the same way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..document import Entity, Mention, Role
from .lexicon import titles
from .places import country_of_demonym, lookup
from .doctable import doc_text
from .wordhashes import hash_table, listed_tokens

_DETERMINERS = {"the", "this", "that"}
_POSSESSIVE = {"'s", "’s"}


def link_title_mentions(doc: Any, entities: list[Entity]) -> list[Entity]:
    """Add title-only phrases as mentions of the person they name; fold title-only ORG entities."""
    people = [e for e in entities if e.type == "PERSON" and e.roles]
    if not people:
        return entities
    taken = [(m.start, m.end) for e in entities if e.type in {"PERSON", "ORG", "GROUP"} for m in e.mentions]
    taken += [(r.start, r.end) for e in entities for r in e.roles if r.start is not None and r.end is not None]
    kept = []
    for entity in entities:
        if entity.type == "ORG" and _fold_title_org(doc, entity, people):
            continue
        kept.append(entity)
    for token in _possible_heads(doc):
        phrase = _title_phrase(doc, token)
        if phrase is None:
            continue
        start, end, body = phrase
        a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if any(x < b and a < y for x, y in taken):
            continue
        person = _only_holder(people, doc[token.i].text, body)
        if person is not None:
            person.mentions.append(Mention(start=a, end=b, text=doc_text(doc)[a:b]))
            person.mentions.sort(key=lambda m: m.start)
            taken.append((a, b))
    return kept


def _possible_heads(doc: Any) -> list[Any]:
    """The words that are a title head (a Token per word costs more than testing it)."""
    return listed_tokens(doc, _head_hashes())


@lru_cache(maxsize=1)
def _head_hashes() -> Any:
    return hash_table(head for head in titles().heads if " " not in head)


def _title_phrase(doc: Any, token: Any) -> tuple[int, int, str | None] | None:
    """[start, end) of "the (Ruritanian) (deputy) ambassador" ending at `token`, and its body word."""
    lexicon = titles()
    i = token.i
    if not lexicon.is_head(token.text) or token.tag_ in {"NNS", "NNPS"}:
        return None
    after = doc[i + 1] if i + 1 < len(doc) else None
    if after is not None and (after.pos_ == "PROPN" or after.lower_ in {"of", "'s", "’s"} or lexicon.is_title_word(after.text)):
        return None  # "ambassador Ana Ruiz", "ambassador of Peru": a title written with its name or body
    k = i
    while k > 0 and lexicon.is_title_word(doc[k - 1].text) and doc[k - 1].pos_ != "PROPN" or (
            k > 0 and doc[k - 1].lower_ in {"deputy", "vice"}):
        k -= 1
    body = None
    if k > 0 and doc[k - 1].text in _POSSESSIVE and k > 1:
        body, k = doc[k - 2].text, k - 2
    elif k > 0 and (doc[k - 1].ent_type_ in {"NORP", "GPE"} or country_of_demonym(doc[k - 1].text)):
        body, k = doc[k - 1].text, k - 1
    if k > 0 and doc[k - 1].lower_ in _DETERMINERS:
        k -= 1
    elif body is None:
        return None  # a bare "ambassador" is a description of anyone
    return k, i + 1, body


def _only_holder(people: list[Entity], head: str, body: str | None) -> Entity | None:
    holders = [p for p in people if any(_holds(role, head, body) for role in p.roles)]
    return holders[0] if len(holders) == 1 else None


def _holds(role: Role, head: str, body: str | None) -> bool:
    if role.title.lower().split()[-1] != head.lower():
        return False
    if body is None:
        return True
    wanted = country_of_demonym(body) or _country(body)
    if wanted is None:
        return body.lower() in (role.of or "").lower() or body.lower() in role.title.lower()
    return wanted in {_country(role.of or ""), country_of_demonym(role.title.split()[0])}


def _country(name: str) -> str | None:
    place = lookup(name) if name else None
    return place.country if place is not None else None


def _fold_title_org(doc: Any, entity: Entity, people: list[Entity]) -> bool:
    """ "Ruritania CM" labelled an organisation: a place or demonym and a title, naming one person."""
    words = entity.name.split()
    if len(words) < 2 or not titles().is_head(words[-1]) or not all(titles().is_title_word(w) for w in words[1:]):
        return False
    person = _only_holder(people, words[-1], words[0])
    if person is None:
        return False
    person.mentions.extend(entity.mentions)
    person.mentions.sort(key=lambda m: m.start)
    person.aliases = sorted({*person.aliases, entity.name})
    return True
