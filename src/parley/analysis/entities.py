"""Entities from the named-entity recogniser, gathered into one entity per referent per article.

spaCy gives spans; an analyst wants referents. Spans are first repaired (`spans.py`: titles and
honorifics off names, names the recogniser missed after a title, organisation words), then those
with the same name are one entity whatever label each got (the majority label wins), a person's
short forms ("Parker" after "Richard Parker") join the fullest name they belong to, and each
person's roles are read around every one of their mentions (`roles.py`). Types are corrected by
evidence: a name the recogniser called an organisation but that carries a person's title ("Ana
Ruiz, deputy mayor of Lima") is a person; a known place called a person and used as a place ("in
Lima", "Lima Governor") is a place; international bodies (`resources/international_bodies.tsv`) are organisations.
A title used alone for a person already named is that person (`titlerefs.py`). Mentions keep their
offsets; a leading "the" and a trailing possessive are not part of a name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..document import Document, Entity, Mention, Role
from .acronyms import name_and_acronym
from .counterparts import title_counterparts
from .doctable import offsets, text_of
from .doctable import words as doc_words
from .lexicon import titles
from .namewords import is_document_name, is_honorific, is_org_word, is_place_preposition, is_place_word, is_speech_verb, known_bodies
from .places import lookup
from .roles import PERSON_STARTS, PERSON_TOKENS, premodifier_role, roles_for_mention
from .spans import NameSpan, repair_spans
from .titlerefs import link_title_mentions

#: spaCy (OntoNotes) labels kept as entities, mapped to Parley's types; dates and numbers are not.
LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC", "NORP": "NORP"}

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass
class _Group:
    name: str
    labels: Counter[str] = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)
    roles: list[Role] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)  # written in brackets after the name


def trim_mention(text: str, start: int) -> Mention | None:
    """The mention a span stands for, with the article and possessive trimmed off its edges."""
    lead = _LEADING_ARTICLE.match(text)
    if lead:
        text, start = text[lead.end() :], start + lead.end()
    trail = _TRAILING_POSSESSIVE.search(text)
    if trail:
        text = text[: trail.start()]
    text = text.rstrip()
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return Mention(start=start, end=start + len(text), text=text)


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split())


def _without_acronym(text: str, mention: Mention) -> tuple[Mention, Mention | None]:
    """ "Board of Investment (BoI)" is the name "Board of Investment" and its acronym "BoI", each a
    mention at its own offsets (the recogniser often keeps the bracket and drops its closing half)."""
    end, acronym = name_and_acronym(text, mention.start, mention.end)
    name = Mention(start=mention.start, end=end, text=text[mention.start : end]) if end != mention.end else mention
    if acronym is None:
        return name, None
    return name, Mention(start=acronym[0], end=acronym[1], text=text[acronym[0] : acronym[1]])


def _fold_acronyms(text: str, groups: dict[str, _Group]) -> None:
    """An organisation defined with its acronym is also every later use of the acronym alone: the
    group the recogniser made of it joins, and the uses it did not tag become mentions."""
    for group in [g for g in groups.values() if g.acronyms]:
        for acronym in group.acronyms:
            other = groups.get(_key(acronym))
            if other is not None and other is not group and _label(other) in {"ORG", "PERSON", "GPE"}:
                groups.pop(_key(acronym))
                group.mentions.extend(other.mentions)
                group.labels["ORG"] += sum(other.labels.values())
                group.forms |= other.forms
            group.forms.add(acronym)
            taken = [(m.start, m.end) for g in groups.values() for m in g.mentions]
            for found in re.finditer(rf"(?<![\w&]){re.escape(acronym)}(?![\w&])", text):
                if not any(a < found.end() and found.start() < b for a, b in taken):
                    group.mentions.append(Mention(start=found.start(), end=found.end(), text=acronym))


def extract_entities(spacy_doc: Any, document: Document) -> None:
    """Fill `document.entities` from the recogniser's spans, in order of first mention."""
    spans = [NameSpan(e.start, e.end, LABELS[e.label_]) for e in spacy_doc.ents if e.label_ in LABELS]
    groups: dict[str, _Group] = {}
    repaired = repair_spans(spacy_doc, spans)
    people = [span for span in repaired if span.label == "PERSON" and not _place_called_person(spacy_doc, span)]
    spacy_doc.user_data[PERSON_TOKENS] = {i for span in people for i in range(span.start, span.end)}
    spacy_doc.user_data[PERSON_STARTS] = {span.start for span in people}
    for span in repaired:
        mention = trim_mention(text_of(spacy_doc, span.start, span.end), offsets(spacy_doc)[0][span.start])
        if mention is None or is_document_name(mention.text):
            continue  # "the MoU was signed": a document, not a party
        label, roles = _label_and_roles(spacy_doc, span)
        mention, acronym = _without_acronym(document.article.text, mention) if label == "ORG" else (mention, None)
        group = groups.setdefault(_key(mention.text), _Group(name=mention.text))
        group.labels[label] += 1
        group.mentions.append(mention)
        group.forms.add(mention.text)
        group.roles.extend(roles)
        if acronym is not None:
            group.acronyms.add(acronym.text)
            group.mentions.append(acronym)
    _fold_acronyms(document.article.text, groups)
    _retype_places_called_people(spacy_doc, groups)
    _merge_short_person_names(groups, spacy_doc)
    _merge_short_org_names(spacy_doc, groups)
    ordered = sorted(groups.values(), key=lambda g: min(m.start for m in g.mentions))
    document.entities = [
        Entity(
            id=f"e{n}",
            type=_label(group),
            name=group.name,
            aliases=sorted(form for form in group.forms if form != group.name),
            mentions=sorted(group.mentions, key=lambda m: m.start),
            roles=_distinct(group.roles) if _label(group) == "PERSON" else [],
        )
        for n, group in enumerate(ordered, start=1)
    ]
    document.entities = link_title_mentions(spacy_doc, document.entities)
    _known_bodies(document)
    title_counterparts(document)


@lru_cache(maxsize=1)
def _bodies_pattern() -> re.Pattern[str]:
    """The bodies' names as one alternation. It opens with the names, not with the check on the
    character before them, so that the regex engine skips to the names' first letters instead of
    trying every name at every position (`_bodies_in` makes that check)."""
    forms = sorted(known_bodies(), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w$-])")


_INSIDE_A_WORD = re.compile(r"[\w.]")


def _bodies_in(text: str) -> Iterator[re.Match[str]]:
    """Every known body's name in `text`, left to right, not right after a letter, digit or full stop."""
    pattern, at = _bodies_pattern(), 0
    while (match := pattern.search(text, at)) is not None:
        start = match.start()
        if start and _INSIDE_A_WORD.match(text, start - 1):
            at = start + 1  # "BRICS" inside "XBRICS": look again one character on
            continue
        yield match
        at = match.end()


def _known_bodies(document: Document) -> None:
    """International bodies ("the EU", "BRICS") are organisations wherever they are named, also
    where the recogniser missed or mistyped them; every form of one body is one entity."""
    bodies = known_bodies()
    by_body: dict[str, Entity] = {}
    for entity in list(document.entities):
        body = next((bodies[f] for f in [entity.name, *entity.aliases] if f in bodies), None)
        if body is None or entity.type == "PERSON":
            continue
        entity.type = "ORG"
        first = by_body.setdefault(body, entity)
        if first is not entity:  # "EU" and "European Union": one body
            first.mentions = sorted(first.mentions + entity.mentions, key=lambda m: m.start)
            first.aliases = sorted({*first.aliases, *entity.aliases, entity.name} - {first.name})
            document.entities.remove(entity)
    covered = [(m.start, m.end) for e in document.entities for m in e.mentions]
    for match in _bodies_in(document.article.text):
        a, b = match.span()
        if any(x < b and a < y for x, y in covered):
            continue
        form, body = match.group(), bodies[match.group()]
        entity = by_body.get(body)
        if entity is None:
            entity = Entity(id=f"e{len(document.entities) + 1}", type="ORG", name=form)
            document.entities.append(entity)
            by_body[body] = entity
        entity.mentions.append(Mention(start=a, end=b, text=form))
        entity.mentions.sort(key=lambda m: m.start)
        if len(form) > len(entity.name):
            entity.name, entity.aliases = form, sorted({*entity.aliases, entity.name} - {form})
        elif form != entity.name and form not in entity.aliases:
            entity.aliases = sorted({*entity.aliases, form})
    for body, entity in by_body.items():
        if body != entity.name and body not in entity.aliases:
            entity.aliases = sorted({*entity.aliases, body})


def _label_and_roles(doc: Any, span: NameSpan) -> tuple[str, list[Role]]:
    """The span's type, corrected to PERSON when a person's title is written around it.

    The recogniser calls people organisations ("Ana Ruiz, deputy mayor of Lima") and even places
    ("Lima Governor Ana Ruiz"); a personal-looking name with a person's title is a person, unless
    it is a place the gazetteer knows.
    """
    if span.label not in {"PERSON", "ORG", "GPE", "LOC"}:
        return span.label, []
    if span.label != "PERSON":
        if not _looks_like_personal_name(doc_words(doc)[span.start : span.end]) or (
            span.label != "ORG" and lookup(text_of(doc, span.start, span.end)) is not None
        ):
            return span.label, []  # no title makes "Acme Corp" or a known place a person: skip reading them
    roles = roles_for_mention(doc, span.start, span.end)
    if span.title_start is not None:
        inner = premodifier_role(doc, span.title_start, span.end)
        if inner:
            roles.append(inner)
    if span.label != "PERSON":
        personal = [r for r in roles if _is_personal_title(r.title)]
        return ("PERSON", roles) if personal else (span.label, [])
    return "PERSON", roles


def _is_personal_title(title: str) -> bool:
    return titles().sector_of(title) is not None or titles().is_head(title.split()[-1])


def _looks_like_personal_name(words: list[str]) -> bool:
    """Two or three capitalised words with no organisation-ish word: "Ana Ruiz", not "Acme Corp"."""
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() and not is_org_word(w) for w in words)


def _distinct(roles: list[Role]) -> list[Role]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for role in sorted(roles, key=lambda r: (r.start or 0)):
        key = (role.title.casefold(), (role.of or "").casefold() or None)
        if key not in seen:
            seen.add(key)
            out.append(role)
    return out


def _merge_short_person_names(groups: dict[str, _Group], doc: Any = None) -> None:
    """Fold "Parker" into "Richard Parker" when exactly one longer person name contains it.

    The small model often labels a lone surname ORG ("Odhiambo said ..."), or a place ("Heleno"
    of "Augusto Heleno"); a short ORG name made only of a person's name words, or a one-word place
    name the gazetteer does not know or that is not used as a place, is that person, so it is
    folded in too.
    """
    people = _NameIndex(key for key, g in groups.items() if _label(g) == "PERSON" and len(key.split()) > 1)
    shorts = [key for key, g in groups.items() if _label(g) in {"PERSON", "ORG"} or _place_word_unused(doc, key, g)]
    for short in sorted(shorts, key=len):
        words = short.split()
        longer = people.longer_containing(words)
        if len(longer) != 1 or short not in groups or longer[0] not in groups:
            continue
        if _first(groups[short]) < _first(groups[longer[0]]) and _other_title(groups[short], groups[longer[0]]):
            continue  # "President Ruiz ... Maria Ruiz": a titled surname before a full name without it is someone else's
        target, source = groups[longer[0]], groups.pop(short)
        target.mentions.extend(source.mentions)
        target.forms |= source.forms
        target.roles.extend(source.roles)
        target.labels["PERSON"] += sum(source.labels.values())


class _NameIndex:
    """People's names by their words, so that the longer names holding a short one are found
    without comparing every name with every other (an article may list thousands)."""

    def __init__(self, keys: Any) -> None:
        self._by_word: dict[str, set[str]] = {}
        for key in keys:
            for word in key.split():
                self._by_word.setdefault(word, set()).add(key)

    def longer_containing(self, words: list[str]) -> list[str]:
        """The names with more words than `words` that hold them as a run, in a stable order."""
        if not words:
            return []
        sets = sorted((self._by_word.get(w, set()) for w in words), key=len)  # smallest first: no copy of a big one
        found = sets[0].intersection(*sets[1:])
        return sorted(k for k in found if len(k.split()) > len(words) and _contains_words(k, words))


def _retype_places_called_people(doc: Any, groups: dict[str, _Group]) -> None:
    """A known place the recogniser called a person is a place when it is used as one.

    Used as a place: after "in", "into", "visit" ... (and not the subject of a verb there), as the body before a title ("Lima
    Governor"), or opening a line as a dateline ("Lima: ..."); never with a role, an honorific or a
    speech verb, and not a word of a person's fuller name ("Chen" of "Chen Wei").
    """
    people = [key for key, g in groups.items() if _label(g) == "PERSON"]
    names = _NameIndex(people)
    for key in people:
        group = groups[key]
        if group.roles or names.longer_containing(key.split()):
            continue
        tokens = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in group.mentions]
        tokens = [t for t in tokens if t is not None]
        if not tokens or any(_personal_use(doc, t) for t in tokens):
            continue
        if any(_place_use(doc, t) for t in tokens) and lookup(group.name) is not None:
            group.labels["GPE"] += sum(group.labels.values()) + 1


def _place_called_person(doc: Any, span: NameSpan) -> bool:
    """One mention of a known place, labelled a person, used as a place ("the mayor of Porto")."""
    tokens = doc[span.start : span.end]
    return _place_use(doc, tokens) and not _personal_use(doc, tokens) and lookup(tokens.text) is not None


def _body_use(doc: Any, span: Any) -> bool:
    """The name is written as a body before a title: "Orvex representative Ana Ruiz"."""
    return span.end < len(doc) and titles().is_head(doc[span.end].text)


def _personal_use(doc: Any, span: Any) -> bool:
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and (is_honorific(before.text) or titles().is_title_word(before.text)):
        return True
    return after is not None and is_speech_verb(after)


def _place_use(doc: Any, span: Any) -> bool:
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and is_place_preposition(before.lower_):
        return after is None or after.pos_ not in {"VERB", "AUX", "PART"}  # "in Lima", not "as Lima said"
    if after is not None and titles().is_title_word(after.text) and after.text[:1].isupper():
        return True  # "Lima Governor Ana Ruiz": the body of a title
    if before is not None and before.lower_ == "of" and span.start > 1 and titles().is_head(doc[span.start - 2].text):
        return True  # "the mayor of Lima"
    if before is not None and before.text == "," and span.start > 1 and is_place_word(doc[span.start - 2].text) \
            and (after is None or after.text in {",", ".", ";"}):
        return True  # "the capital, Lima, where ...": the place a place noun is
    return (before is None or before.is_space or "\n" in before.text) and after is not None and after.text in {":", "-", "—"}


def _place_word_unused(doc: Any, key: str, group: _Group) -> bool:
    """A one-word place name the gazetteer does not know, or one never used as a place."""
    if doc is None or _label(group) not in {"GPE", "LOC"} or " " in key:
        return False
    place = lookup(group.name)
    if place is None:
        return True
    if place.kind in {"country", "continent", "region"}:
        return False
    spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in group.mentions]
    return not any(span is not None and _place_use(doc, span) for span in spans)


def _merge_short_org_names(doc: Any, groups: dict[str, _Group]) -> None:
    """Fold "Acme" into "Acme Mining Company" when a lone word the recogniser called a person begins
    exactly one organisation's name, is written as the body of a title ("Acme representative") and
    is never used as a person (no role, honorific or speech)."""
    orgs = [key for key, g in groups.items() if _label(g) == "ORG" and len(key.split()) > 1]
    for key in [k for k, g in groups.items() if _label(g) == "PERSON" and " " not in k]:
        group = groups[key]
        owners = [org for org in orgs if org.split()[0] == key]
        if len(owners) != 1 or group.roles:
            continue
        spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in group.mentions]
        if any(span is None or _personal_use(doc, span) for span in spans) or not any(_body_use(doc, s) for s in spans):
            continue
        target = groups[owners[0]]
        source = groups.pop(key)
        target.mentions.extend(source.mentions)
        target.forms |= source.forms
        target.labels["ORG"] += sum(source.labels.values())


def _other_title(short: _Group, long: _Group) -> bool:
    heads = {r.title.lower().split()[-1] for r in long.roles}
    return any(r.title.lower().split()[-1] not in heads for r in short.roles)


def _first(group: _Group) -> int:
    return min(m.start for m in group.mentions)


def _label(group: _Group) -> str:
    """The label given most often, the first given among equals (as `Counter.most_common`, faster)."""
    return max(group.labels, key=group.labels.__getitem__)


def _contains_words(name: str, words: list[str]) -> bool:
    tokens = name.split()
    return any(tokens[i : i + len(words)] == words for i in range(len(tokens) - len(words) + 1))

