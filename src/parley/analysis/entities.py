"""Entities from the named-entity recogniser, gathered into one entity per referent per article.

spaCy gives spans; an analyst wants referents. Spans with the same name are one entity whatever
label each got (the majority label wins), and a person's short forms ("Parker" after "Richard
Parker") join the fullest name they belong to. Mentions keep their offsets; a leading "the" and a
trailing possessive are not part of a name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..document import Document, Entity, Mention

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


def mention_of(span: Any) -> Mention | None:
    """The mention a span stands for, with the article and possessive trimmed off its edges."""
    text = span.text
    start = span.start_char
    lead = _LEADING_ARTICLE.match(text)
    if lead:
        text, start = text[lead.end() :], start + lead.end()
    trail = _TRAILING_POSSESSIVE.search(text)
    if trail:
        text = text[: trail.start()]
    text = text.strip()
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return Mention(start=start, end=start + len(text), text=text)


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split())


def extract_entities(spacy_doc: Any, document: Document) -> None:
    """Fill `document.entities` from the recogniser's spans, in order of first mention."""
    groups: dict[str, _Group] = {}
    for span in spacy_doc.ents:
        label = LABELS.get(span.label_)
        mention = mention_of(span) if label else None
        if mention is None:
            continue
        group = groups.setdefault(_key(mention.text), _Group(name=mention.text))
        group.labels[label] += 1
        group.mentions.append(mention)
        group.forms.add(mention.text)
    _merge_short_person_names(groups)
    ordered = sorted(groups.values(), key=lambda g: min(m.start for m in g.mentions))
    document.entities = [
        Entity(
            id=f"e{n}",
            type=_label(group),
            name=group.name,
            aliases=sorted(form for form in group.forms if form != group.name),
            mentions=sorted(group.mentions, key=lambda m: m.start),
        )
        for n, group in enumerate(ordered, start=1)
    ]


def _merge_short_person_names(groups: dict[str, _Group]) -> None:
    """Fold "Parker" into "Richard Parker" when exactly one longer person name contains it.

    The small model often labels a lone surname ORG ("Odhiambo said ..."); a short ORG name made
    only of a person's name words is that person, so it is folded in too.
    """
    people = [key for key, g in groups.items() if _label(g) == "PERSON" and len(key.split()) > 1]
    shorts = [key for key, g in groups.items() if _label(g) in {"PERSON", "ORG"}]
    for short in sorted(shorts, key=len):
        words = short.split()
        longer = [key for key in people if key != short and len(key.split()) > len(words) and _contains_words(key, words)]
        if len(longer) != 1 or short not in groups or longer[0] not in groups:
            continue
        target, source = groups[longer[0]], groups.pop(short)
        target.mentions.extend(source.mentions)
        target.forms |= source.forms
        target.labels["PERSON"] += sum(source.labels.values())


def _label(group: _Group) -> str:
    return group.labels.most_common(1)[0][0]


def _contains_words(name: str, words: list[str]) -> bool:
    tokens = name.split()
    return any(tokens[i : i + len(words)] == words for i in range(len(tokens) - len(words) + 1))
