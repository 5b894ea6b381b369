"""Lemmas without the lemmatizer pipe: the verbs and nouns Parley's lexicons care about.

spaCy's lemmatizer costs about a tenth of the parse, and the analysis only ever asks "is this
form of a verb in our cue list?" or "is this noun a plural of a word we know?". A form table built
from the lexicons (regular endings derived, irregular ones from `resources/irregular_verbs.tsv`)
answers that exactly; when the lemmatizer has run anyway (a user's own pipeline), its answer wins.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .lexicon import read_table


def regular_forms(lemma: str) -> set[str]:
    """-s, -ed and -ing forms by the spelling rules, generously: extra forms never match wrongly."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@lru_cache(maxsize=1)
def _irregular() -> dict[str, list[str]]:
    return {row["lemma"]: row["forms"].split("|") for row in read_table("irregular_verbs.tsv")}


def irregular_forms(lemma: str) -> list[str]:
    """The irregular forms of a verb ("beat": beaten), from `resources/irregular_verbs.tsv`."""
    return _irregular().get(lemma, [])


@lru_cache(maxsize=16)
def form_table(lemmas: frozenset[str]) -> dict[str, str]:
    """Every form of the given verbs mapped to its lemma."""
    table: dict[str, str] = {}
    for lemma in sorted(lemmas):
        for form in regular_forms(lemma) | set(_irregular().get(lemma, [])):
            table.setdefault(form, lemma)
    for lemma in lemmas:
        table[lemma] = lemma
    return table


def verb_lemma(token: Any, lemmas: frozenset[str]) -> str | None:
    """The lemma of a verb token when it is one of the verbs in `lemmas`, else None."""
    if token.lemma_:
        lemma = token.lemma_.lower()
        return lemma if lemma in lemmas else None
    return form_table(lemmas).get(token.lower_)


def noun_lemma(token: Any) -> str:
    """A noun's singular, good enough to compare with a word list ("mayors" -> "mayor")."""
    if token.lemma_:
        return token.lemma_.lower()
    word = token.lower_
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word
