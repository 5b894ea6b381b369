"""Groups that act as one actor: "a delegation of mayors from the United Kingdom", "the trade mission".

Engagement news is full of them, and they are the actors of its events. A group is a noun phrase
headed by a group noun (`resources/group_nouns.tsv`) with its modifiers and its "of ..."/"from ..."
phrases; a named one ("the Kenyan Trade Delegation") is an organisation the recogniser found. Within
an article, every phrase with the same group noun is one group — "the delegation" later on is the
delegation introduced earlier — unless their countries differ ("the Chinese delegation" and "the
UK delegation" are two) or an indefinite phrase brings in another ("a business delegation"). The
`members` phrase ("mayors", "business leaders") is kept for the actors layer, which derives the
group's country and sector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..document import Document, Entity, Mention
from .ids import renumber_entities
from .lexicon import group_nouns
from .places import countries_in
from .wordhashes import hash_table, listed_tokens

_POSTMODIFIERS = {"of", "from", "representing"}


@dataclass
class _GroupPhrase:
    noun: str
    start: int  # character offsets of the phrase, leading determiner trimmed
    end: int
    text: str
    members: str | None
    entity: Entity | None = None  # the named organisation it is, when the recogniser found one
    countries: list[str] = field(default_factory=list)
    introduced: bool = False  # "a delegation", "another delegation": a group the story brings in


def extract_groups(spacy_doc: Any, document: Document) -> None:
    """Turn group phrases and group-named organisations into GROUP entities, one per group."""
    phrases = [_phrase(token) for token in _group_nouns_in(spacy_doc)]
    phrases = [p for p in phrases if p is not None]
    if not phrases:
        return
    for phrase in phrases:
        phrase.entity = _named_entity(document, phrase)
        phrase.countries = countries_in(phrase.text)
    groups: list[list[_GroupPhrase]] = []
    for phrase in phrases:
        home = next((g for g in reversed(groups) if _same_group(g, phrase)), None)
        if home is None:
            groups.append([phrase])
        else:
            home.append(phrase)
    for members in groups:
        _add_group_entity(document, members)
    renumber_entities(document)


def _group_nouns_in(doc: Any) -> list[Any]:
    """The nouns that name a group ("delegation"); a Token per word costs more than testing it."""
    return listed_tokens(doc, _group_noun_table(), pos=("NOUN", "PROPN"))


@lru_cache(maxsize=1)
def _group_noun_table() -> Any:
    return hash_table(noun for noun in group_nouns() if " " not in noun)


def _phrase(token: Any) -> _GroupPhrase | None:
    """The phrase a group noun heads: its left modifiers and its "of/from" phrases."""
    doc = token.doc
    left = min([token.i] + [c.left_edge.i for c in token.lefts if c.dep_ not in {"punct", "cc", "poss"}])
    right = token.i
    members = None
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in _POSTMODIFIERS:
            right = max(right, child.right_edge.i)
            if child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    obj = objects[0]
                    members = doc[min(t.i for t in obj.lefts) if list(obj.lefts) else obj.i : obj.i + 1].text
        elif child.dep_ in {"compound", "amod", "nmod"}:
            right = max(right, child.right_edge.i)
    introduced = doc[left].lower_ in _INTRODUCING
    while left < token.i and doc[left].pos_ == "DET":
        left += 1
    while right > token.i and (doc[right].is_punct and doc[right].text not in {")"}):
        right -= 1
    span = doc[left : right + 1]
    if span.text.count("(") != span.text.count(")"):
        return None
    return _GroupPhrase(token.lower_, span.start_char, span.end_char, span.text, members, introduced=introduced)


_INTRODUCING = {"a", "an", "another"}  # determiners that bring a new group into the story


def _named_entity(document: Document, phrase: _GroupPhrase) -> Entity | None:
    """The organisation entity whose mention ends with this group noun ("Kenyan Trade Delegation")."""
    for entity in document.entities:
        if entity.type not in {"ORG", "GROUP"}:
            continue
        for mention in entity.mentions:
            if mention.start <= phrase.start < mention.end or phrase.start <= mention.start < phrase.end:
                if mention.text.lower().endswith(phrase.noun):
                    return entity
    return None


def _same_group(group: list[_GroupPhrase], phrase: _GroupPhrase) -> bool:
    """ "The delegation" is the delegation introduced before; "a business delegation" after it is
    another one, unless it repeats the first's words ("a delegation of mayors" twice)."""
    if group[0].noun.rstrip("s") != phrase.noun.rstrip("s"):
        return False
    if phrase.introduced and phrase.text not in {p.text for p in group}:
        return False
    known = {c for p in group for c in p.countries}
    return not (known and phrase.countries and not known & set(phrase.countries))


def _add_group_entity(document: Document, phrases: list[_GroupPhrase]) -> None:
    named = [p.entity for p in phrases if p.entity is not None]
    entity = named[0] if named else None
    if entity is None:
        first = max(phrases, key=lambda p: len(p.text))
        entity = Entity(id="", type="GROUP", name=first.text)
        document.entities.append(entity)
    entity.type = "GROUP"
    for other in named[1:]:
        if other is not entity and other in document.entities:
            entity.mentions.extend(other.mentions)
            entity.aliases.append(other.name)
            document.entities.remove(other)
    known = {(m.start, m.end) for m in entity.mentions}
    for phrase in phrases:
        if phrase.entity is None and (phrase.start, phrase.end) not in known:
            entity.mentions.append(Mention(phrase.start, phrase.end, phrase.text))
            known.add((phrase.start, phrase.end))
    entity.mentions.sort(key=lambda m: m.start)
    entity.aliases = sorted({m.text for m in entity.mentions if m.text != entity.name} | set(entity.aliases) - {entity.name})
    entity.members = entity.members or next((p.members for p in phrases if p.members), None)
