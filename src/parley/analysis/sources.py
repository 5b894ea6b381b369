"""Speakers that are not named people: "a statement said", "officials said", "sources said".

When a statement's subject is headed by a source noun (`resources/source_nouns.tsv`) and no known
entity fits it, the speaker is a new entity named as the text names it ("official release" for
"an official release"): a SOURCE for documents, media, bodies and unnamed single sources, a GROUP
for a plural of people ("government officials"). A later subject with the same head noun ("the
release said", "officials said") is the same source. An unrecognised proper-noun subject of a
speech verb that is shaped like a body's name ("BuildRU urges ...", or one the recogniser typed ORG)
is a SOURCE named by that name, as is any name that "reported"; a plain capitalised name that says
something may be a person's and is left alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..document import Document, Entity
from .actors import assign_actor
from .coref import Resolver
from .lemmas import noun_lemma
from .lexicon import read_table, titles
from .places import countries_in
from .doctable import doc_text, sentence_of
from .syntax import on_the_line_of, same_line

#: Words that open a source phrase but are no part of its name: "many analysts", "an official release".
_LEADING = {"a", "an", "the", "this", "that", "these", "those", "many", "some", "several", "all", "both", "most",
            "few", "other", "his", "her", "its", "their", "our", "one", "two", "three", "four", "five"}
_MAX_WORDS = 8
_POSTMODIFIERS = {"from", "of", "close", "to", "at", "in", "for", "on", "with", "by"}


@lru_cache(maxsize=1)
def source_nouns() -> dict[str, str]:
    return {r["noun"]: r["type"] for r in read_table("source_nouns.tsv")}


def source_entity(subject: Any, document: Document, resolver: Resolver, reports: bool = False) -> Entity | None:
    """The SOURCE or GROUP entity a speaking subject names, made on first use; None when the subject
    is headed by no source noun and is no unrecognised name. `reports`: the verb is one media use
    ("X reported"), so a name as its subject is a body's."""
    kind = _source_type(subject, reports)
    if kind is None:
        return None
    start, end, name = _name_span(subject)
    if not name:
        return None
    text = doc_text(subject.doc)
    proper = _name_after(subject) if kind == "SOURCE" and subject.pos_ == "NOUN" else None
    if proper is not None:  # "the news agency Rurinews": the agency is Rurinews
        named = resolver.entity_at(proper[0], proper[1], types={"ORG", "SOURCE"})
        if named is not None:
            resolver.add_entity_mention(named, start, proper[1], text[start : proper[1]])
            return named
    head = subject.lower_
    entity = next((e for e in document.entities if e.type == kind and _head(e.name) == head), None)
    if entity is None:
        countries = countries_in(name)  # "Chinese and Brazilian officials" belong to no one country
        entity = Entity(id=f"e{len(document.entities) + 1}", type=kind, name=name,
                        country=countries[0] if len(countries) == 1 else None)
        if proper is not None:
            entity.name, entity.aliases = text[proper[0] : proper[1]], [name]
        document.entities.append(entity)
        assign_actor(entity, document)  # made after the actors step: given its country and sector here
    end = proper[1] if proper is not None else end
    resolver.add_entity_mention(entity, start, end, text[start:end])
    return entity


def _head(name: str) -> str:
    """The head noun of a source's name: "statement" in "statement from the ministry"."""
    words = name.lower().split()
    cut = next((i for i, w in enumerate(words) if w in _POSTMODIFIERS and i > 0), len(words))
    return words[cut - 1] if cut else ""


def _name_after(subject: Any) -> tuple[int, int] | None:
    """A proper name right after a source noun ("news agency Rurinews", "the daily Ruritania Post")."""
    doc = subject.doc
    i = subject.i + 1
    first = i
    while i < len(doc) and i - first < 4 and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper():
        i += 1
    if i == first:
        return None
    return doc[first].idx, doc[i - 1].idx + len(doc[i - 1].text)


def _source_type(subject: Any, reports: bool = False) -> str | None:
    kind = source_nouns().get(subject.lower_) or source_nouns().get(noun_lemma(subject))
    if kind is not None and subject.pos_ == "NOUN":
        return kind
    # a body's name the recogniser missed ("BuildRU", tagged as anything) or found but did not keep;
    # a plain capitalised name may be a person's, and a person is no SOURCE
    shaped = sum(c.isupper() for c in subject.text) >= 2 and not _in_capitals(subject)
    body = (subject.pos_ == "PROPN" and (subject.ent_type_ in {"ORG", "FAC"} or reports and subject.ent_type_ != "PERSON")
            or shaped)
    if body and subject.pos_ != "PRON" and not titles().is_title_word(subject.lower_):
        return "SOURCE"
    return None


def _in_capitals(token: Any) -> bool:
    """A word in a line set in capitals ("FELLOW DOCTORS SAY ..."): its shape says nothing."""
    words = [t for t in sentence_of(token) if t.is_alpha]
    return len(words) > 2 and sum(t.text.isupper() for t in words) > len(words) / 2


def _name_span(subject: Any) -> tuple[int, int, str]:
    """The subject phrase as the text names it, without leading determiners and quantifiers."""
    doc = subject.doc
    first = on_the_line_of(subject, subject.left_edge).i  # "4:43 p.m.\n\nElection officials say"
    last = subject.i
    for child in subject.rights:  # "sources close to the talks", "a statement from the ministry"
        if child.dep_ in {"prep", "amod"} and child.right_edge.i - first < _MAX_WORDS \
                and same_line(subject, child.right_edge):
            last = max(last, child.right_edge.i)
    while first < subject.i and (doc[first].lower_ in _LEADING or doc[first].is_punct or doc[first].tag_ == "PRP$"):
        first += 1
    span = doc[first : last + 1]
    name = span.text
    opener = doc[first]
    if (opener.is_sent_start and opener.pos_ != "PROPN" and opener.text[:1].isupper() and not opener.text.isupper()
            and not countries_in(opener.text)):
        name = name[:1].lower() + name[1:]  # "Official sources said" opens a sentence: "official sources"
    return span.start_char, span.end_char, name


#: The writer, who speaks as "I" outside quotation marks (columns, op-eds, first-person reports).
AUTHOR = "the author"


def author_entity(subject: Any, document: Document, resolver: Resolver) -> Entity:
    """The article's writer, made on first use; "I" becomes a mention of it. A SOURCE, not a PERSON:
    the writer is unnamed, and lists of the people in the news should not gain "the author"."""
    entity = next((e for e in document.entities if e.type == "SOURCE" and e.name == AUTHOR), None)
    if entity is None:
        entity = Entity(id=f"e{len(document.entities) + 1}", type="SOURCE", name=AUTHOR)
        document.entities.append(entity)
    resolver.add_entity_mention(entity, subject.idx, subject.idx + len(subject.text), subject.text)
    return entity
