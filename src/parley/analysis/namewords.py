"""Words written around names that are not names: honorifics, name particles, lower-case body nouns.

Loaded once from `resources/name_words.tsv`; code asks questions ("is this an honorific?").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .lemmas import verb_lemma
from .lexicon import read_table


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {}
    for row in read_table("name_words.tsv"):
        kinds.setdefault(row["kind"], set()).add(row["word"].lower())
    return {kind: frozenset(words) for kind, words in kinds.items()}


def is_honorific(word: str) -> bool:
    """A courtesy word before a name ("Mr", "Dr.", "Datuk"): neither name nor role."""
    return word.lower().replace("’", "'") in _words().get("honorific", frozenset())


def is_particle(word: str) -> bool:
    """A particle inside a personal name ("bin", "al-"): the word before it is part of the name."""
    return word.lower() in particles()


def particles() -> frozenset[str]:
    """Every name particle ("de", "van", "bin", "al-"), lower case."""
    return _words().get("particle", frozenset())


def is_document_name(name: str) -> bool:
    """A whole name that is a signed document ("MoU", "Memorandum of Understanding"): not an entity."""
    return " ".join(name.lower().replace("’", "'").split()) in _words().get("document", frozenset())


def is_body_noun(word: str) -> bool:
    """A lower-case noun that can end a body's name before a title ("Lima branch")."""
    return word.lower() in _words().get("body", frozenset())


@lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    return frozenset(row["word"].lower() for row in read_table("org_words.tsv"))


def is_org_word(word: str) -> bool:
    """A capitalised word that makes a name an organisation's ("Chamber", "Group", "Ministry")."""
    return word[:1].isupper() and word.lower() in _org_words()


def is_place_preposition(word: str) -> bool:
    """A word after which a known place's name is used as a place ("in", "to", "visited")."""
    return word.lower() in _words().get("place_cue", frozenset())


@lru_cache(maxsize=1)
def _speech_lemmas() -> frozenset[str]:
    return frozenset(row["lemma"].lower() for row in read_table("cues.tsv") if row.get("category") == "speech")


def is_speech_verb(token: Any) -> bool:
    """A verb of speech ("said", "tells", "added"), read from the attribution cues."""
    return token.pos_ in {"VERB", "AUX"} and verb_lemma(token, _speech_lemmas()) is not None


def is_place_word(word: str) -> bool:
    """A word that ends a place's name ("Province", "Municipality"), never a person's."""
    return word.lower() in _words().get("place_word", frozenset())


@lru_cache(maxsize=1)
def known_bodies() -> dict[str, str]:
    """Every written form of a known international body -> its full name ("EU" -> "European Union")."""
    forms: dict[str, str] = {}
    for row in read_table("international_bodies.tsv"):
        for form in [row["name"], *row["aliases"].split("|")]:
            if form.strip():
                forms[form.strip()] = row["name"]
    return forms


def is_firm_noun(word: str) -> bool:
    """A lower-case noun after a name that makes it a business's name ("the Orvex group")."""
    return word.islower() and word in _words().get("firm", frozenset())
